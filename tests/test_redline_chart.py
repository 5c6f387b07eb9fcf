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


A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
WPS = "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}"


def _x_extent(shape: object) -> tuple[int, int]:
    off = shape.find(f"{WPS}spPr/{A}xfrm/{A}off")  # type: ignore[attr-defined]
    ext = shape.find(f"{WPS}spPr/{A}xfrm/{A}ext")  # type: ignore[attr-defined]
    return int(off.get("x")), int(off.get("x")) + int(ext.get("cx"))


def test_docx_draws_the_old_extent_dashed_in_the_deletion_colour(tmp_path: Path) -> None:
    (docx_path,) = redline(tmp_path, "-f", "docx")
    root = document_xml(docx_path)
    colour = DELETED[1:].upper()
    dashed = [
        shape
        for shape in root.iter(f"{WPS}wsp")
        if (ln := shape.find(f"{WPS}spPr/{A}ln")) is not None
        and ln.find(f"{A}prstDash") is not None
        and ln.find(f"{A}solidFill/{A}srgbClr").get("val").upper() == colour
    ]
    assert len(dashed) == 1  # one bar moved: one old extent, as in the PDF
    [old] = dashed
    assert old.find(f"{WPS}spPr/{A}prstGeom").get("prst") == "rect"
    assert old.find(f"{WPS}spPr/{A}noFill") is not None  # an outline over the bar
    row = next(a for a in old.iterancestors() if a.tag == f"{W}tr")
    assert "".join(row.find(f"{W}tc").itertext()) == "Grain corridor mine clearance"
    # Same start as the new bar (the rounded one), ending earlier: 15 Dec 2025, not Mar 2026.
    [bar] = [
        s
        for s in row.iter(f"{WPS}wsp")
        if (g := s.find(f"{WPS}spPr/{A}prstGeom")) is not None and g.get("prst") == "roundRect"
    ]
    (old_start, old_end), (bar_start, bar_end) = _x_extent(old), _x_extent(bar)
    assert old_start == bar_start and old_end < bar_end
    descr = next(
        row.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")
    ).get("descr")
    assert "previously 1 April 2025 to 15 December 2025" in descr
    texts = "".join(t.text or "" for t in root.iter(f"{W}t"))
    assert "\u25a1 Deleted" in texts  # the legend entry


def test_the_old_extent_is_drawn_in_the_deletion_colour() -> None:
    assert palette(Colours())["previous"].upper() == DELETED.upper()
