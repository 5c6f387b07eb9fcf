"""A runt brief's second layout takes its paragraphs' parse and lines from the first's
(writers/pdf/linebreaks.py): only where the text, the fonts and the width are the same, once per
paragraph, never from one split at a page's foot; and the file is the same bytes as a layout
made alone at that spacing."""

from __future__ import annotations

from typing import Any

import pytest
from reportlab.lib.styles import ParagraphStyle

from briefgen.pipeline import BuildOptions, Project, render_document
from briefgen.writers import WriterOptions
from briefgen.writers.pdf import write_pdf
from briefgen.writers.pdf.document import TIGHT
from briefgen.writers.pdf.linebreaks import Relay
from briefgen.writers.pdf.page import Para
from tests.conftest import INPUTS, REPO


def _style(**change: Any) -> ParagraphStyle:
    fields = {"fontName": "Helvetica", "fontSize": 10, "leading": 12, "spaceBefore": 6}
    return ParagraphStyle("body", **{**fields, **change})


BODY = _style()
TIGHTER = _style(spaceBefore=3)  # the same style at a tighter spacing, as Theme.tightened
TEXT = "The quick brown fox jumps over the lazy dog near the river bank"
LINES_100 = ["The quick brown fox", "jumps over the lazy", "dog near the river", "bank"]


def _lines(paragraph: Para) -> list[str]:
    return [
        " ".join(line[1]) if isinstance(line, tuple) else "".join(w.text for w in line.words)
        for line in paragraph.blPara.lines
    ]


def _first_layout(text: str = TEXT, width: float = 100) -> tuple[Relay, Para]:
    relay = Relay()
    first = relay.paragraph(Para, text, BODY)
    first.wrap(width, 500)
    relay.hand_on()
    return relay, first


def test_the_same_text_at_the_same_width_takes_its_twins_lines() -> None:
    relay, first = _first_layout()
    second = relay.paragraph(Para, TEXT, TIGHTER)
    assert second.wrap(100, 500) == (100, 48)
    assert second.blPara is first.blPara  # taken, not broken again
    assert _lines(second) == LINES_100
    assert second.style is TIGHTER  # its own spacing


def test_markup_with_several_fonts_takes_its_twins_lines_too() -> None:
    text = "The <b>quick brown</b> fox jumps <i>over the lazy</i> dog"
    relay, first = _first_layout(text)
    second = relay.paragraph(Para, text, TIGHTER)
    second.wrap(100, 500)
    assert second.blPara is first.blPara and second.frags is first.frags
    assert _lines(second) == ["The quick brown fox", "jumps over the lazy", "dog"]


def test_text_changed_between_layouts_is_broken_anew() -> None:
    relay, _ = _first_layout()
    changed = relay.paragraph(Para, TEXT.replace("dog", "cat") + " today", TIGHTER)
    changed.wrap(100, 500)
    assert _lines(changed) == [
        "The quick brown fox",
        "jumps over the lazy",
        "cat near the river bank",
        "today",
    ]


def test_the_same_text_at_another_width_is_broken_anew() -> None:
    relay, first = _first_layout()
    narrower = relay.paragraph(Para, TEXT, TIGHTER)
    narrower.wrap(60, 500)
    assert narrower.blPara is not first.blPara
    assert _lines(narrower) == [
        "The quick",
        "brown fox",
        "jumps over",
        "the lazy dog",
        "near the river",
        "bank",
    ]
    assert _lines(first) == LINES_100  # the twin's own lines untouched


@pytest.mark.parametrize(
    "change",
    [{"fontName": "Times-Bold", "fontSize": 14, "leading": 16}, {"leftIndent": 40}],
)
def test_the_same_text_in_another_font_or_indent_is_no_twin(change: dict[str, Any]) -> None:
    relay, first = _first_layout()
    other = relay.paragraph(Para, TEXT, _style(**change))
    other.wrap(100, 500)
    assert other.blPara is not first.blPara
    expected = {
        "fontName": ["The quick", "brown fox", "jumps over the", "lazy dog near", "the river bank"],
        "leftIndent": [
            "The quick",
            "brown fox",
            "jumps over",
            "the lazy dog",
            "near the river",
            "bank",
        ],
    }
    assert _lines(other) == expected[next(iter(change))]


def test_a_twin_split_at_a_page_foot_gives_its_parse_but_not_its_lines() -> None:
    relay, first = _first_layout()
    head, rest = first.split(100, 30)  # two lines here, two on the next page
    assert [_lines(head), _lines(rest)] == [LINES_100[:2], LINES_100[2:]]
    second = relay.paragraph(Para, TEXT, TIGHTER)
    second.wrap(100, 500)
    assert second.blPara is not first.blPara
    assert _lines(second) == LINES_100


def test_a_twin_broken_twice_gives_no_lines() -> None:
    relay = Relay()
    first = relay.paragraph(Para, TEXT, BODY)
    first.wrap(60, 500)
    first.wrap(100, 500)  # its lines are no longer those of its first breaking
    relay.hand_on()
    second = relay.paragraph(Para, TEXT, TIGHTER)
    second.wrap(60, 500)
    assert second.blPara is not first.blPara and len(_lines(second)) == 6


def test_a_twin_gives_once() -> None:
    relay, first = _first_layout()
    taker = relay.paragraph(Para, TEXT, TIGHTER)
    again = relay.paragraph(Para, TEXT, TIGHTER)  # a second paragraph of the same words
    taker.wrap(100, 500)
    again.wrap(100, 500)
    assert taker.blPara is first.blPara and again.blPara is not first.blPara
    assert _lines(again) == LINES_100


def _document(name: str, audience: str) -> tuple[Any, Any, WriterOptions]:
    path = next(
        p
        for p in [*INPUTS, *REPO.glob("inputs/packs/*/meetings/*.yaml")]
        if p.name.startswith(name)
    )
    project = Project.for_input(path, BuildOptions())
    chosen = project.audience(audience)
    meeting, _ = project.load_meeting(path, str(path))
    document = render_document(meeting, chosen, project, 1700000000)
    return document, project.theme(chosen), project.writer_options(None, chosen)


@pytest.mark.parametrize(
    ("name", "audience"), [("nato", "staff"), ("nato", "public"), ("black-sea", "archive")]
)
def test_a_pulled_back_brief_is_the_bytes_of_its_tight_layout_made_alone(
    name: str, audience: str
) -> None:
    document, theme, options = _document(name, audience)
    pulled = write_pdf(document, theme, options)
    assert pulled.layout.spacing == TIGHT
    alone = WriterOptions(cache=options.cache, pull_back_runts=False)
    assert pulled.data == write_pdf(document, theme.tightened(TIGHT), alone).data


def test_a_runt_no_spacing_saves_is_the_bytes_of_its_first_layout() -> None:
    # The dinner's staff brief is laid out twice (a runt) and keeps the first layout, written
    # out after the second was made.
    document, theme, options = _document("2025-03-11-nordic", "staff")
    kept = write_pdf(document, theme, options)
    assert (kept.layout.pages, kept.layout.spacing) == (2, 1.0)
    alone = WriterOptions(cache=options.cache, pull_back_runts=False)
    assert kept.data == write_pdf(document, theme, alone).data


def test_nothing_is_handed_from_one_brief_to_the_next() -> None:
    nato, black_sea = _document("nato", "staff"), _document("black-sea", "archive")
    first = write_pdf(*nato).data
    write_pdf(*black_sea)
    assert write_pdf(*nato).data == first


def test_what_a_twin_took_it_gives_on_to_a_third_layout() -> None:
    # A first layout kept after a second was tried is made a third time (document.write_pdf).
    relay, first = _first_layout()
    second = relay.paragraph(Para, TEXT, TIGHTER)
    second.wrap(100, 500)
    relay.hand_on()
    third = relay.paragraph(Para, TEXT, BODY)
    assert third.wrap(100, 500) == (100, 48)
    assert third.blPara is first.blPara and _lines(third) == LINES_100


def test_a_paragraph_split_in_the_second_layout_gives_the_third_its_parse_only() -> None:
    relay, first = _first_layout()
    second = relay.paragraph(Para, TEXT, TIGHTER)
    second.wrap(100, 500)
    second.split(100, 30)
    relay.hand_on()
    third = relay.paragraph(Para, TEXT, BODY)
    third.wrap(100, 500)
    assert third.blPara is not first.blPara and _lines(third) == LINES_100
