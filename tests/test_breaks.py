"""Page breaks read back from the PDF's layout: no heading at a page's foot, no lone table row at
a page's top, no table jumping whole past a page it could have started on, no runt last page.

The synthetic cases slide a block down the page one paragraph at a time, so every place a break
can fall is tried; the real cases check every example input for every audience.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen import document as d
from briefgen.pipeline import BuildOptions, Project
from briefgen.theme import Theme
from briefgen.writers.pdf import write_pdf
from tests.conftest import INPUTS, Briefs, builtin_audiences
from tests.pdf_layout import Line, body_lines

THEME = Project().theme(Project().audience("staff"))


def _frame(theme: Theme) -> tuple[float, float]:
    """The text frame's top and bottom, in points from the page's foot."""
    page, mm = theme.page, 72 / 25.4
    height = page.size_points[1]
    return height - page.margin_top * mm + 1, page.margin_bottom * mm - 1


def _lines(document: d.Document, theme: Theme = THEME) -> list[list[Line]]:
    return body_lines(write_pdf(document, theme).data, *_frame(theme))


def _text(words: str) -> tuple[d.Inline, ...]:
    return (d.Text(words),)


def _filler(count: int) -> list[d.Block]:
    return [
        d.Paragraph(_text(f"Filler {n}. " + "Words of a paragraph go on. " * 8))
        for n in range(count)
    ]


def _table(rows: int) -> d.Table:
    return d.Table(
        header=(_text("Name"), _text("Value")),
        rows=tuple((_text(f"Row {n}"), _text("x")) for n in range(rows)),
    )


def _document(*blocks: d.Block) -> d.Document:
    return d.Document(d.DocumentInfo(title="Breaks"), tuple(blocks))


@pytest.mark.parametrize("filler", range(14, 26))
def test_a_heading_never_ends_a_page_and_its_table_starts_where_it_fits(filler: int) -> None:
    pages = _lines(_document(*_filler(filler), d.Heading(1, _text("Stranded heading")), _table(30)))
    top, bottom = _frame(THEME)
    for lines in pages[:-1]:
        assert lines[-1].text != "Stranded heading"
    heading_page = next(
        i for i, p in enumerate(pages) if any(ln.text == "Stranded heading" for ln in p)
    )
    if heading_page > 0:  # it moved on: the page before had no room for it and two rows
        room = pages[heading_page - 1][-1].y - bottom
        assert room < 0.1 * (top - bottom), f"the page before is {room:.0f} pt short"


@pytest.mark.parametrize("filler", range(18, 34))
def test_no_table_row_alone_at_a_page_top(filler: int) -> None:
    # One-line paragraphs move the table down a line at a time.
    lines_before = [d.Paragraph(_text(f"Filler {n}.")) for n in range(filler)]
    pages = _lines(_document(*lines_before, _table(12)))
    for lines in pages[1:]:
        rows = [ln for ln in lines if ln.text.startswith("Row ")]
        assert len(rows) != 1, [ln.text for ln in lines]


def _bullets(count: int, words: int = 1) -> d.BulletList:
    return d.BulletList(
        tuple(
            d.ListItem((d.Paragraph(_text(f"Item {n}. " + "More words. " * words)),))
            for n in range(count)
        )
    )


@pytest.mark.parametrize("items", [2, 5])
@pytest.mark.parametrize("filler", range(30, 40))
def test_no_list_item_alone_at_a_page_top(filler: int, items: int) -> None:
    # One-line paragraphs move the list down a line at a time; a paragraph follows it.
    lines_before = [d.Paragraph(_text(f"Filler {n}.")) for n in range(filler)]
    after = d.Paragraph(_text("After the list."))
    pages = _lines(_document(*lines_before, _bullets(items), after))
    for lines in pages[1:]:
        shown = [ln for ln in lines if "Item " in ln.text]
        if shown and shown[0] is lines[0]:  # the page opens inside the list
            assert len(shown) != 1, [ln.text for ln in lines]


@pytest.mark.parametrize("filler", range(32, 44))
def test_a_heading_goes_with_a_two_item_list_kept_whole(filler: int) -> None:
    lines_before = [d.Paragraph(_text(f"Filler {n}.")) for n in range(filler)]
    heading = d.Heading(1, _text("Stranded heading"))
    rest = (d.Heading(1, _text("Next")), *_filler(8))  # so the list is not in the last section
    pages = _lines(_document(*lines_before, heading, _bullets(2, words=6), *rest))
    for lines in pages[:-1]:
        assert lines[-1].text != "Stranded heading"
    for lines in pages[1:]:
        shown = [ln for ln in lines if "Item " in ln.text]
        assert len(shown) != 1, [ln.text for ln in lines]


@pytest.mark.parametrize("filler", range(14, 26))
def test_a_last_short_section_goes_with_what_precedes_it(filler: int) -> None:
    pages = _lines(
        _document(
            *_filler(filler),
            d.Heading(1, _text("Closing remarks")),
            d.Paragraph(_text("One short closing line.")),
        )
    )
    if len(pages) > 1:
        # The heading and its line never stand alone: the paragraph before comes along.
        assert len(pages[-1]) > 4, [ln.text for ln in pages[-1]]


@pytest.mark.parametrize("filler", range(11, 19))  # 10 fit one page, tightened
def test_no_paragraph_leaves_one_line_alone_at_a_page_foot_or_top(filler: int) -> None:
    long = [
        d.Paragraph(_text(f"Filler {n}. " + "Words of a paragraph go on. " * 16))
        for n in range(filler)
    ]
    pages = _lines(_document(*long))
    assert len(pages) > 1
    for lines in pages[:-1]:
        assert _paragraph_runs(lines)[-1] >= 2  # no orphan
    for lines in pages[1:]:
        assert _paragraph_runs(lines)[0] >= 2  # no widow


def _paragraph_runs(lines: list[Line]) -> list[int]:
    """Lines per paragraph on a page, paragraphs told apart by a gap wider than the leading."""
    runs, previous = [0], None
    for line in lines:
        if previous is not None and previous - line.y > 1.5 * line.size * 1.3:
            runs.append(0)
        runs[-1] += 1
        previous = line.y
    return runs


CASES = [(p, a) for p in INPUTS for a in builtin_audiences()]


@pytest.mark.parametrize(("input_path", "audience"), CASES, ids=[f"{p.stem}-{a}" for p, a in CASES])
def test_no_page_of_an_example_brief_ends_with_a_heading(
    built_briefs: Briefs, input_path: Path, audience: str
) -> None:
    project = Project.for_input(input_path, BuildOptions())
    theme = project.theme(project.audience(audience))
    pdf = built_briefs[(input_path.name, audience)]["pdf"].read_bytes()
    headings = {theme.role(f"heading-{n}").size for n in (1, 2, 3)}
    for number, lines in enumerate(body_lines(pdf, *_frame(theme))[:-1], start=1):
        last = lines[-1]
        assert not (last.bold and last.size in headings), f"page {number} ends with {last.text!r}"


@pytest.mark.parametrize("name", ["staff.pdf", "principal.pdf"])
def test_no_page_of_the_example_pack_ends_with_a_heading(
    built_pack: dict[str, Path], name: str
) -> None:
    headings = {THEME.role(f"heading-{n}").size for n in (1, 2, 3)}
    pages = body_lines(built_pack[name].read_bytes(), *_frame(THEME))
    for number, lines in enumerate(pages[:-1], start=1):
        if number <= 2:  # the cover and the contents, whose entries are bold
            continue
        last = lines[-1]
        assert not (last.bold and last.size in headings), f"page {number} ends with {last.text!r}"


def test_a_runt_last_page_is_pulled_back_by_tighter_spacing() -> None:
    # Sixteen paragraphs take a page and three lines at the theme's spacing; three fifths of
    # the space between paragraphs (never smaller text) keeps all 48 lines on one page.
    written = write_pdf(_document(*_filler(16)), THEME)
    assert (written.layout.pages, written.layout.spacing) == (1, 0.6)
    (lines,) = body_lines(written.data, *_frame(THEME))
    assert len(lines) == 48 and lines[-1].text.startswith("paragraph go on")


def test_a_runt_no_spacing_can_save_keeps_the_themes_spacing() -> None:
    # Six lines over: the tightest spacing still needs the second page, so nothing changes.
    document = _document(*_filler(17))
    written = write_pdf(document, THEME)
    assert (written.layout.pages, written.layout.spacing) == (2, 1.0)
    assert [len(lines) for lines in body_lines(written.data, *_frame(THEME))] == [45, 6]
    # A last page a third full is no runt: the spacing is the theme's.
    assert write_pdf(_document(*_filler(20)), THEME).layout.spacing == 1.0


def test_the_docx_is_the_same_whether_or_not_its_pdf_pulled_a_runt_back(tmp_path: Path) -> None:
    # The NATO staff brief's PDF is pulled back from three pages to two; its DOCX is the same
    # bytes built alone or with the PDF (the DOCX never depends on the formats asked for).
    from briefgen.pipeline import build

    nato = next(p for p in INPUTS if p.name.startswith("nato"))
    both = build(nato, BuildOptions(audiences=("staff",), out_dir=tmp_path / "both"))
    [pdf] = [p for p in both if p.suffix == ".pdf"]
    assert len(PdfReader(pdf).pages) == 2
    alone = build(
        nato, BuildOptions(audiences=("staff",), formats=("docx",), out_dir=tmp_path / "alone")
    )
    [docx] = [p for p in both if p.suffix == ".docx"]
    assert docx.read_bytes() == alone[0].read_bytes()


def _nested_list() -> d.BulletList:
    inner = d.BulletList(tuple(d.ListItem((d.Paragraph(_text(f"Sub {c}.")),)) for c in "abcd"))
    first = (d.ListItem((d.Paragraph(_text("Item 0.")),)),)
    middle = tuple(d.ListItem((d.Paragraph(_text(f"Item {n}.")),)) for n in range(1, 4))
    last = d.ListItem((d.Paragraph(_text("Item LAST.")), inner))
    return d.BulletList((*first, *middle, last))


@pytest.mark.parametrize("filler", range(28, 46))
def test_a_list_whose_last_item_holds_a_list_breaks_whole_items(filler: int) -> None:
    # The last item is a paragraph and a sub-list: it never opens a page by itself, and a
    # list nested in an item splits without failing the layout (reportlab wraps its pieces).
    lines_before = [d.Paragraph(_text(f"Filler {n}.")) for n in range(filler)]
    pages = _lines(_document(*lines_before, _nested_list(), *_filler(3)))
    for lines in pages[1:]:
        if lines[0].text.endswith("Item LAST."):
            pytest.fail(f"the last item opens page alone: {[ln.text for ln in lines[:3]]}")
