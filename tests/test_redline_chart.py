"""A redline's timeline: a bar whose end moved shows its old extent in both formats."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.document import Document, DocumentInfo, Timeline, TimelineRow, dump
from briefgen.redline.chart import merge_timeline
from briefgen.theme import Colours
from briefgen.timeline import palette
from briefgen.writers.pdf.page import DELETED
from tests.redline_helpers import BLACK_SEA, W, document_xml, edited

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:docx")


def redline(tmp_path: Path, *args: str) -> list[Path]:
    new = edited(tmp_path, "end")  # an initiative's end: 2025-12-15 -> 2026-03
    result = CliRunner().invoke(
        main, ["redline", str(BLACK_SEA), str(new), "-o", str(tmp_path / "out"), *args]
    )
    assert result.exit_code == 0, result.output
    return [Path(line) for line in result.stdout.splitlines()]


def test_the_document_carries_the_old_extent() -> None:
    row = TimelineRow("Mine survey", dt.date(2025, 1, 1), dt.date(2026, 3, 31))
    assert row.previous is None
    moved = TimelineRow(
        "Mine survey",
        dt.date(2025, 1, 1),
        dt.date(2026, 3, 31),
        previous=(dt.date(2025, 1, 1), dt.date(2025, 12, 15)),
    )
    old = Timeline((TimelineRow("Mine survey", dt.date(2025, 1, 1), dt.date(2025, 12, 15)),))
    same = TimelineRow("Patrols", dt.date(2025, 2, 1), dt.date(2025, 3, 1))
    merged = merge_timeline(
        Timeline((*old.rows, same)), Timeline((row, same, TimelineRow("New one")))
    )
    assert merged.rows == (moved, same, TimelineRow("New one"))
    text = dump(Document(DocumentInfo("t"), (merged,)))
    assert "row 'Mine survey' 2025-01-01..2026-03-31 was=2025-01-01..2025-12-15" in text
    assert "row 'Patrols' 2025-02-01..2025-03-01\n" in text  # unchanged: no "was"


def _dashed_rects(pdf: Path) -> int:
    """Rectangles stroked with a dash pattern in the deletion colour, over all pages."""
    red = [round(int(DELETED[i : i + 2], 16) / 255, 3) for i in (1, 3, 5)]
    count = 0
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            colour: list[float] = []
            dashed = False
            for operands, op in pikepdf.parse_content_stream(page):
                name = str(op)
                if name == "RG":
                    colour = [round(float(v), 3) for v in operands]
                elif name == "d":
                    dashed = len(operands[0]) > 0
                elif name == "re" and dashed and colour == red:
                    count += 1
    return count


def test_pdf_draws_the_old_extent_and_names_it(tmp_path: Path) -> None:
    (pdf,) = redline(tmp_path, "-f", "pdf")
    assert _dashed_rects(pdf) == 1  # one bar moved: one old extent
    same = CliRunner().invoke(
        main, ["redline", str(BLACK_SEA), str(BLACK_SEA), "-o", str(tmp_path / "same"), "-f", "pdf"]
    )
    assert same.exit_code == 0, same.output
    assert _dashed_rects(Path(same.stdout.splitlines()[0])) == 0


def test_docx_frames_the_old_extent_cells(tmp_path: Path) -> None:
    (docx_path,) = redline(tmp_path, "-f", "docx")
    root = document_xml(docx_path)
    colour = DELETED[1:].upper()
    framed = [
        b
        for b in root.iter(f"{W}top")
        if b.getparent().tag == f"{W}tcBorders" and b.get(f"{W}color", "").upper() == colour
    ]
    assert framed, "no cell framed in the deletion colour"
    rows = {b.getparent().getparent().getparent().getparent() for b in framed}
    assert len(rows) == 1  # all on the moved initiative's row
    texts = "".join(t.text or "" for t in root.iter(f"{W}t"))
    assert "\u25a1 Deleted" in texts  # the legend entry


def test_the_old_extent_is_drawn_in_the_deletion_colour() -> None:
    assert palette(Colours())["previous"].upper() == DELETED.upper()
