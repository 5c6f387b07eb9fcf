"""Content parity: every example brief says the same words, in the same order, in PDF and DOCX.

The page chrome (marking banners, footer text, "Page X of Y") is left out on both sides: in the
PDF it is whatever is drawn outside the body frame, in the DOCX it lives in the header and footer
parts, which python-docx's body iteration does not visit.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from docx.table import Table as WordTable
from pypdf import PageObject, PdfReader

from briefgen.pipeline import Project
from briefgen.resources import load_theme
from tests.conftest import INPUTS, Briefs, builtin_audiences

MM = 72 / 25.4
# Normalisations, the only ones: list markers are drawn as text in the PDF but are numbering
# properties in the DOCX, so standalone bullets and list numbers are dropped on both sides; a
# the legend's milestone symbol. Text drawn in a DOCX drawing (a timeline band's labels in text
# boxes) is read where the drawing stands, as the PDF's text is read where it is drawn.
MARKER = re.compile("^(?:[\u2022\u2013\u25e6\u25aa\u2023\u00b7-]|\\d+[.)]|[\u2666\u2190\u2192]+)$")
# The second: a table split across pages repeats its header row on each new page in the PDF;
# the DOCX marks the row to repeat (w:tblHeader) and holds it once.
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TBL_HEADER = f"{W}tblHeader"


def drawn_text(p: object) -> list[str]:
    """The paragraphs of the text boxes in a paragraph's drawings, in document order."""
    return [
        "".join(t.text or "" for t in box_p.iter(f"{W}t"))
        for box in p._p.iter(f"{W}txbxContent")  # type: ignore[attr-defined]
        for box_p in box.iter(f"{W}p")
    ]


def words(text: str) -> list[str]:
    return [w for w in text.split() if not MARKER.match(w)]


def docx_body_words(path: Path) -> tuple[list[str], list[list[str]]]:
    """Words of paragraphs and tables in document order (header and footer parts excluded),
    and the words of each repeating table header row."""
    out: list[str] = []
    headers: list[list[str]] = []

    def visit(container: object) -> None:
        for item in container.iter_inner_content():  # type: ignore[attr-defined]
            if isinstance(item, WordTable):
                for row in item.rows:
                    start = len(out)
                    seen: set[int] = set()
                    for cell in row.cells:
                        # python-docx gives a merged cell once per grid column it spans, and a
                        # vertically merged one again in the rows below: read each cell once.
                        if cell._tc.getparent() is row._tr and id(cell._tc) not in seen:
                            seen.add(id(cell._tc))
                            visit(cell)
                    if row._tr.find(f".//{TBL_HEADER}") is not None:
                        headers.append(out[start:])
            else:
                out.extend(words(item.text))
                for text in drawn_text(item):
                    out.extend(words(text))

    visit(docx.Document(str(path)))
    return out, headers


def pdf_body_words(path: Path, margins: tuple[float, float], headers: list[list[str]]) -> list[str]:
    """Words of every page's text without the lines drawn in the top and bottom margins, and
    without a table header that opens a page after it was already printed (a repeated header)."""
    top, bottom = margins
    out: list[str] = []
    for page in PdfReader(path).pages:
        page_words = words("\n".join(_body_lines(page, top, bottom)))
        for header in headers:  # a header may be several rows (a timeline's years and months)
            if page_words[: len(header)] == header and _contains(out, header):
                del page_words[: len(header)]
        out.extend(page_words)
    return out


def _body_lines(page: PageObject, top: float, bottom: float) -> list[str]:
    height = float(page.mediabox.height)
    chrome: list[str] = []

    def in_margin(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        y = cm[5] + tm[5] * cm[3]  # baseline in page space (no rotation in our PDFs)
        if text.strip() and (y < bottom or y > height - top):
            chrome.append(text.strip())

    lines = [line.strip() for line in page.extract_text(visitor_text=in_margin).splitlines()]
    # The chrome is drawn when the page is finished, so it comes last; the footer text can equal
    # the title, so take each piece's last occurrence.
    for piece in chrome:
        assert piece in lines, f"chrome text {piece!r} not on a line of its own"
        del lines[len(lines) - 1 - lines[::-1].index(piece)]
    return lines


def _contains(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def margins_of(audience: str) -> tuple[float, float]:
    project = Project()
    page = load_theme(project.audience(audience).theme, project.folders).page
    return page.margin_top * MM, page.margin_bottom * MM


def first_difference(a: list[str], b: list[str]) -> str:
    for index, (x, y) in enumerate(zip(a, b)):  # noqa: B905 - lengths may differ
        if x != y:
            around = slice(max(index - 5, 0), index + 5)
            return f"word {index}: PDF {a[around]} vs DOCX {b[around]}"
    return f"lengths differ: PDF {len(a)} words, DOCX {len(b)}; tail {a[-5:]} vs {b[-5:]}"


@pytest.mark.parametrize("audience", builtin_audiences())
@pytest.mark.parametrize("input_path", INPUTS, ids=lambda p: p.stem)
def test_pdf_and_docx_have_the_same_words(
    built_briefs: Briefs, input_path: Path, audience: str
) -> None:
    files = built_briefs[(input_path.name, audience)]
    word, headers = docx_body_words(files["docx"])
    pdf = pdf_body_words(files["pdf"], margins_of(audience), headers)
    assert len(word) > 20  # the brief has content at all
    assert pdf == word, first_difference(pdf, word)


def test_chrome_is_dropped_and_only_chrome(built_briefs: Briefs) -> None:
    # The staff brief of the example has a marking and three pages: the comparison above must
    # not keep the page labels, and must keep the body's first and last words.
    files = built_briefs[(INPUTS[-1].name, "staff")]
    assert "nato-sg-bih" in INPUTS[-1].name
    pdf = pdf_body_words(files["pdf"], margins_of("staff"), [])
    text = " ".join(pdf)
    assert "Page 1 of" not in text and "PUBLIC" not in text
    assert pdf[:3] == ["NATO", "Secretary", "General"]
    assert pdf[-2:] == ["security", "framework."]


def test_only_a_repeated_table_header_is_dropped(tmp_path: Path) -> None:
    # A table of 80 rows splits across pages whatever comes before it: the PDF repeats its
    # header row on each new page, and only those repeats may be dropped.
    from briefgen.pipeline import BuildOptions, build

    rows = "\n".join(f"        - [Area {n}, Step {n}]" for n in range(80))
    meeting = tmp_path / "m.yaml"
    meeting.write_text(
        "meeting: {title: Split table, date: 2025-01-15}\n"
        "sections:\n  - heading: Focus areas\n    table:\n"
        "      columns: [Focus Area, Action Steps]\n      rows:\n" + rows + "\n",
        encoding="utf-8",
    )
    written = build(meeting, BuildOptions(out_dir=tmp_path / "out"))
    files = {p.suffix[1:]: p for p in written}
    _, headers = docx_body_words(files["docx"])
    assert headers == [["Focus", "Area", "Action", "Steps"]]
    kept = pdf_body_words(files["pdf"], margins_of("staff"), [])
    dropped = pdf_body_words(files["pdf"], margins_of("staff"), headers)
    pages = len(PdfReader(files["pdf"]).pages)
    assert pages >= 2
    assert len(kept) - len(dropped) == 4 * (pages - 1)
    assert " ".join(dropped).count("Focus Area Action Steps") == 1


@pytest.mark.parametrize("audience", builtin_audiences())
@pytest.mark.parametrize("input_path", INPUTS, ids=lambda p: p.stem)
def test_pdf_text_in_structure_order_reads_like_the_docx(
    built_briefs: Briefs, input_path: Path, audience: str
) -> None:
    """What a screen reader reads (the tagged text in structure order) is the DOCX's body,
    after the marking, which the tree states once, first."""
    from tests.pdf_structure import read_structure

    files = built_briefs[(input_path.name, audience)]
    tree = read_structure(files["pdf"].read_bytes())
    kids = tree.kids
    if kids and kids[0].tag == "P" and not kids[0].kids and tree.text.startswith(kids[0].text):
        kids = kids[1:]  # the marking, said once
    docx_words, headers = docx_body_words(files["docx"])
    pdf_words: list[str] = []
    for node in (n for kid in kids for n in kid.walk()):
        for part in node.own:  # a chart over two pages repeats its axis, as a table its header
            part_words = words(node.texts.get(part, ""))
            for header in headers:
                if part_words[: len(header)] == header and _contains(pdf_words, header):
                    del part_words[: len(header)]
            pdf_words.extend(part_words)
    assert pdf_words == docx_words
