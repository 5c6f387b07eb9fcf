"""Page budgets: reductions give way in order until the PDF fits, both formats get the result,
and what was dropped is reported as a warning."""

from __future__ import annotations

import typing
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from briefgen.budget import REDUCTIONS, fit
from briefgen.config import Reduction
from briefgen.document import Document, DocumentInfo, Paragraph, Text
from briefgen.errors import BriefgenError
from briefgen.pipeline import BuildOptions, build
from briefgen.writers import Layout, Written
from tests.conftest import EXAMPLE


def _document(reduced: frozenset[str]) -> Document:
    words = ",".join(sorted(reduced))
    return Document(DocumentInfo(title="t"), (Paragraph((Text(words),)),))


class _Pages:
    """A stand-in PDF writer: the page count per set of reductions, and what it laid out."""

    def __init__(self, pages: dict[str, int]) -> None:
        self.pages, self.laid_out = pages, []  # type: ignore[var-annotated]

    def __call__(self, document: Document) -> Written:
        words = document.blocks[0].children[0].text  # type: ignore[union-attr]
        self.laid_out.append(words)
        return Written(b"", Layout(pages=self.pages[words]))


def test_reductions_give_way_in_order_until_the_brief_fits() -> None:
    pages = _Pages({"": 3, "initiatives": 2, "initiatives,participants": 1})
    fitted = fit("principal", 1, ("initiatives", "participants", "background"), _document, pages)
    assert fitted.reduced == {"initiatives", "participants"}
    assert pages.laid_out == ["", "initiatives", "initiatives,participants"]  # not background
    assert [w.message for w in fitted.warnings] == [
        "principal: initiatives table moved to the staff brief to fit 1 page",
        "principal: participants table made a line of names to fit 1 page",
    ]
    assert all(w.severity == "warning" for w in fitted.warnings)


def test_a_brief_within_its_budget_loses_nothing() -> None:
    pages = _Pages({"": 2})
    fitted = fit("staff", 2, ("background",), _document, pages)
    assert fitted.reduced == frozenset() and fitted.warnings == ()
    assert pages.laid_out == [""]


def test_a_reduction_the_template_ignores_is_neither_applied_nor_reported() -> None:
    def render(reduced: frozenset[str]) -> Document:
        return _document(reduced - {"milestones"})  # this template has no milestones table

    pages = _Pages({"": 2, "background": 1})
    fitted = fit("staff", 1, ("milestones", "background"), render, pages)
    assert fitted.reduced == {"background"}
    assert [w.message for w in fitted.warnings] == [
        "staff: background cut to its first paragraph to fit 1 page"
    ]


def test_over_budget_after_every_reduction_says_so() -> None:
    fitted = fit("principal", 1, ("initiatives",), _document, _Pages({"": 3, "initiatives": 2}))
    assert [w.message for w in fitted.warnings] == [
        "principal: initiatives table moved to the staff brief to fit 1 page",
        "principal: 2 pages, over its budget of 1 page",
    ]
    assert "pages:" in (fitted.warnings[-1].hint or "")


def test_no_budget_lays_nothing_out() -> None:
    pages = _Pages({"": 9})
    fitted = fit("staff", None, ("background",), _document, pages)
    assert fitted.warnings == () and fitted.pdf is None and fitted.reduced == frozenset()
    assert pages.laid_out == []


def test_the_config_schema_names_every_reduction() -> None:
    assert set(typing.get_args(Reduction)) == set(REDUCTIONS)


def test_an_unknown_reduction_in_briefgen_yaml_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "briefgen.yaml").write_text(
        "audiences:\n  principal:\n    reductions: [initiatives, backgroud]\n", encoding="utf-8"
    )
    meeting = tmp_path / "m.yaml"
    meeting.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(BriefgenError) as raised:
        build(meeting, BuildOptions(audiences=("principal",), out_dir=tmp_path / "out"))
    message = raised.value.diagnostics[0].format()
    assert "briefgen.yaml:3:31: error: audiences.principal.reductions[1]" in message
    assert "'background'" in message  # the valid names are listed


def test_the_example_principal_brief_drops_its_initiatives_table_in_both_formats(
    tmp_path: Path,
) -> None:
    built = build(EXAMPLE, BuildOptions(audiences=("principal",), out_dir=tmp_path))
    assert [w.message for w in built.warnings] == [  # type: ignore[attr-defined]
        "principal: initiatives table moved to the staff brief to fit 1 page"
    ]
    pdf = next(p for p in built if p.suffix == ".pdf")
    docx_path = next(p for p in built if p.suffix == ".docx")
    assert len(PdfReader(pdf).pages) == 1
    pdf_text = PdfReader(pdf).pages[0].extract_text()
    assert "5 initiatives: the staff brief lists them" in pdf_text
    assert "Joint Military Exercises" not in pdf_text
    document = docx.Document(str(docx_path))
    words = "\n".join(p.text for p in document.paragraphs)
    assert "5 initiatives: the staff brief lists them" in words
    # The title block's fields and the participants are the tables left, as in the PDF.
    firsts = [table.rows[0].cells[0].text for table in document.tables]
    assert firsts == ["Date", "Name"]


def test_a_docx_alone_is_fitted_by_a_pdf_counted_not_written(
    tmp_path: Path, replays: list[int]
) -> None:
    # Without a PDF asked for, the budget's PDF is only counted (its layout never finished):
    # the DOCX and the warnings are those of a build of both formats.
    both = build(EXAMPLE, BuildOptions(audiences=("principal",), out_dir=tmp_path / "both"))
    replays.clear()
    alone = build(
        EXAMPLE,
        BuildOptions(audiences=("principal",), formats=("docx",), out_dir=tmp_path / "alone"),
    )
    assert replays == []
    assert [p.name for p in alone] == [p.name for p in both if p.suffix == ".docx"]
    assert alone[0].read_bytes() == next(p for p in both if p.suffix == ".docx").read_bytes()
    assert alone.warnings == both.warnings  # type: ignore[attr-defined]
    assert sorted(p.name for p in (tmp_path / "alone").iterdir()) == [alone[0].name]


def test_only_the_kept_attempt_of_a_budget_is_drawn_and_written(
    tmp_path: Path, replays: list[int]
) -> None:
    # The example's principal brief is laid out twice (2 pages, then 1 without its
    # initiatives); the first attempt gives way and is never drawn nor written out.
    built = build(
        EXAMPLE, BuildOptions(audiences=("principal",), formats=("pdf",), out_dir=tmp_path)
    )
    assert len(built.warnings) == 1  # type: ignore[attr-defined]  # the initiatives gave way
    assert len(replays) == 1
    assert len(PdfReader(built[0]).pages) == 1


def test_a_staff_budget_cuts_the_background_to_its_first_paragraph(tmp_path: Path) -> None:
    (tmp_path / "briefgen.yaml").write_text(
        "audiences:\n  staff:\n    pages: 1\n    reductions: [participants, background]\n",
        encoding="utf-8",
    )
    long = "\n\n".join(f"Paragraph {n}. " + "Background words go on. " * 40 for n in range(1, 9))
    indented = "\n".join("  " + line if line else "" for line in long.splitlines())
    path = tmp_path / "budgeted.yaml"
    path.write_text(
        "meeting:\n  title: Budgeted\n  date: 2025-01-15\nparticipants:\n"
        "  - name: Ada Lovelace\n    role: Analyst\nsummary: |\n" + indented + "\n",
        encoding="utf-8",
    )
    built = build(path, BuildOptions(audiences=("staff",), out_dir=tmp_path / "out"))
    messages = [w.message for w in built.warnings]  # type: ignore[attr-defined]
    assert messages == [
        "staff: participants table made a line of names to fit 1 page",
        "staff: background cut to its first paragraph to fit 1 page",
    ]
    pdf = next(p for p in built if p.suffix == ".pdf")
    text = PdfReader(pdf).pages[0].extract_text()
    assert len(PdfReader(pdf).pages) == 1
    assert "Paragraph 1." in text and "Paragraph 2." not in text
    assert "Ada Lovelace (Analyst)" in text
