"""Timelines: partial dates, the axis plan both writers share, the markup, and both writers."""

from __future__ import annotations

import datetime as dt
import io
import pickle
import re
import zipfile
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PageObject, PdfReader

from briefgen import document as d
from briefgen import timeline as tl
from briefgen.dates import PartialDate, parse_partial_date
from briefgen.errors import MarkupError, ValidationError
from briefgen.pipeline import Project, render_document
from briefgen.reader import read_markup
from briefgen.templating import format_date
from briefgen.validation import load_meeting
from briefgen.writers import get_writer
from tests.conftest import MINIMAL, REPO
from tests.test_parity import docx_body_words, pdf_body_words

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DAY = dt.date


# ---------------------------------------------------------------------------------------------
# Partial dates


@pytest.mark.parametrize(
    ("text", "first", "last", "precision"),
    [
        ("2025-03-12", DAY(2025, 3, 12), DAY(2025, 3, 12), "day"),
        ("2025-03", DAY(2025, 3, 1), DAY(2025, 3, 31), "month"),
        ("2024-02", DAY(2024, 2, 1), DAY(2024, 2, 29), "month"),
        ("2025-Q2", DAY(2025, 4, 1), DAY(2025, 6, 30), "quarter"),
        ("2025-q4", DAY(2025, 10, 1), DAY(2025, 12, 31), "quarter"),
        ("2031", DAY(2031, 1, 1), DAY(2031, 12, 31), "year"),
    ],
)
def test_a_period_starts_on_its_first_day_and_ends_on_its_last(
    text: str, first: dt.date, last: dt.date, precision: str
) -> None:
    start, end = parse_partial_date(text, end=False), parse_partial_date(text, end=True)
    assert (start, end) == (first, last)
    assert start.precision == end.precision == precision
    assert start.text == end.text == text.replace("q", "Q")  # printed back as written


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2025-13", "2025"),
        ("2025-Q5", "2025"),
        ("2025-Q0", "2025"),
        ("2025-02-30", "2025"),
        ("25-03", "2025"),
        ("March 2025", "2025"),
        ("2025-00", "2025"),
        ("2025-3", "2025-03"),
        ("2025-3-1", "2025-03-01"),
        ("0000", "from 1900 to 2999"),
        ("9999-12", "from 1900 to 2999"),
    ],
)
def test_what_is_no_date_says_how_to_write_one(text: str, says: str) -> None:
    with pytest.raises(ValueError) as error:
        parse_partial_date(text, end=False)
    assert says in f"{error.value} {getattr(error.value, 'hint', '')}"


def test_a_partial_date_survives_pickling_as_worker_processes_need() -> None:
    date = parse_partial_date("2025-Q3", end=True)
    copy = pickle.loads(pickle.dumps(date))
    assert (copy, copy.precision, type(copy)) == (date, "quarter", PartialDate)


@pytest.mark.parametrize(
    ("text", "end", "printed"),
    [
        ("2025-Q2", False, "Q2 2025"),
        ("2025-03", True, "March 2025"),
        ("2027", True, "2027"),
        ("2025-03-12", False, "12 March 2025"),
    ],
)
def test_templates_print_a_period_as_written(text: str, end: bool, printed: str) -> None:
    assert format_date(parse_partial_date(text, end=end), "en") == printed


def test_a_reversed_range_is_an_error_at_the_end_line(write_yaml) -> None:  # type: ignore[no-untyped-def]
    text = MINIMAL + "initiatives:\n  - name: X\n    start: 2025-Q3\n    end: 2025-06\n"
    with pytest.raises(ValidationError) as error:
        load_meeting(write_yaml(text))
    [found] = error.value.diagnostics
    assert found.location is not None and (found.location.line, found.location.column) == (7, 10)
    assert "end (2025-06) is before start (2025-Q3)" in found.message


def test_a_bad_quarter_is_an_error_at_its_line_with_the_forms(write_yaml) -> None:  # type: ignore[no-untyped-def]
    text = MINIMAL + "initiatives:\n  - name: X\n    start: 2025-Q7\n"
    with pytest.raises(ValidationError) as error:
        load_meeting(write_yaml(text))
    [found] = error.value.diagnostics
    assert found.location is not None and found.location.line == 6
    assert "Q1 to Q4" in found.message


# ---------------------------------------------------------------------------------------------
# The plan: unit, orientation, columns


def timeline(
    rows: int, first: dt.date, days: int, milestones: int = 0, marker: dt.date | None = None
) -> d.Timeline:
    step = max(days // max(rows, 1), 1)
    items = []
    for index in range(rows):
        start = first + dt.timedelta(days=index * step % max(days - 1, 1))
        end = min(start + dt.timedelta(days=max(days // 3, 1)), first + dt.timedelta(days=days))
        marks = tuple(
            d.TimelineMilestone(
                start + (end - start) * (k + 1) / (milestones + 1), f"Milestone {k + 1}"
            )
            for k in range(milestones)
        )
        items.append(d.TimelineRow(f"Initiative {index + 1}", start, end, marks))
    return d.Timeline(
        rows=(*items, d.TimelineRow("Undated", cadence="Annual")),
        title="Timeline",
        marker=marker or first,
        marker_label="Meeting",
        milestone_label="Milestone",
        undated_label="Not scheduled",
        name_header="Initiative",
    )


PORTRAIT, LANDSCAPE = tl.text_widths(Project().theme(Project().audience("staff")).page)


@pytest.mark.parametrize(
    ("rows", "days", "unit", "landscape"),
    [
        (1, 1, "week", False),  # one day
        (1, 30, "week", False),  # one month
        (3, 600, "quarter", False),  # twenty months, few rows: a coarser unit fits portrait
        (20, 600, "month", True),  # twenty months, many rows: months on a landscape page
        (45, 7 * 365, "quarter", True),
        (60, 10 * 365, "year", False),  # ten years in years fits portrait
    ],
)
def test_the_unit_and_orientation_follow_the_span_and_the_rows(
    rows: int, days: int, unit: str, landscape: bool
) -> None:
    block = timeline(rows, DAY(2025, 3, 5), days)
    plan = tl.plan(block, PORTRAIT, LANDSCAPE, 7.5)
    assert plan is not None and (plan.unit, plan.landscape) == (unit, landscape)
    assert tl.MIN_COLUMNS <= len(plan.ticks) <= (32 if landscape else tl.PORTRAIT_COLUMNS)
    everything = [x for r in block.rows for x in (r.start, r.end) if x] + [DAY(2025, 3, 5)]
    assert plan.ticks[0].start <= min(everything) and plan.ticks[-1].end > max(everything)
    assert all(a.end == b.start for a, b in pairwise(plan.ticks))
    assert plan.width == (LANDSCAPE if landscape else PORTRAIT)


def test_nothing_dated_means_no_chart() -> None:
    block = d.Timeline(rows=(d.TimelineRow("Insurance facility", cadence="Under review"),))
    assert tl.plan(block, PORTRAIT, LANDSCAPE, 7.5) is None
    assert tl.undated(block) == list(block.rows)


def test_axis_labels_are_thinned_on_round_places_when_columns_are_narrow() -> None:
    plan = tl.plan(timeline(40, DAY(2025, 1, 1), 700), 200, 200, 7.5)
    assert plan is not None and plan.unit == "month"
    shown = [t.start.month for t in plan.ticks if t.label]
    assert shown and len(shown) < len(plan.ticks) and all((m - 1) % 3 == 0 for m in shown)


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 12)), max_size=30))
def test_labels_in_one_lane_never_overlap(spans: list[tuple[int, int]]) -> None:
    lanes = tl.lanes([(float(a), float(w)) for a, w in spans])
    for lane in set(lanes):
        mine = sorted(span for span, n in zip(spans, lanes, strict=True) if n == lane)
        assert all(a + w <= b for (a, w), (b, _) in pairwise(mine))


# ---------------------------------------------------------------------------------------------
# Markup: the template's `::: timeline` block and the reader


def test_the_staff_template_puts_initiatives_on_a_timeline_and_in_tables(write_yaml) -> None:  # type: ignore[no-untyped-def]
    path = write_yaml(
        MINIMAL
        + """\
initiatives:
  - name: "Tricky | initiative | 2020-01-01 ::: **x**"
    start: 2025-Q2
    end: 2025-12
    milestones:
      - {date: 2025-06-30, label: "| milestone | 1999-01-01"}
  - name: Cadence only
    timeline: Annual
"""
    )
    project = Project()
    meeting, _ = load_meeting(path)
    document = render_document(meeting, project.audience("staff"), project)
    [chart] = [b for b in document.blocks if isinstance(b, d.Timeline)]
    tricky, cadence = chart.rows
    assert tricky.label == "Tricky | initiative | 2020-01-01 ::: **x**"  # text, never markup
    assert (tricky.start, tricky.end) == (DAY(2025, 4, 1), DAY(2025, 12, 31))
    assert tricky.milestones == (d.TimelineMilestone(DAY(2025, 6, 30), "| milestone | 1999-01-01"),)
    assert (cadence.dated, cadence.cadence) == (False, "Annual")
    assert (
        chart.marker == DAY(2025, 1, 15)
        and chart.marker_label == "Meeting, 15\u00a0January\u00a02025"
    )
    tables = [b for b in document.blocks if isinstance(b, d.Table)]
    texts = [" ".join(d.plain_text(c) for c in row) for t in tables for row in t.rows]
    # The same facts, as text (a date's spaces are no-break spaces: briefgen.typography).
    assert any("Q2\u00a02025 \u2013 Dec\u00a02025" in t for t in texts)
    assert any("30\u00a0Jun\u00a02025" in t and "| milestone |" in t for t in texts)


def test_portion_marks_print_once_in_the_chart_and_the_milestones_table() -> None:
    project = Project()
    meeting, _ = load_meeting(REPO / "inputs" / "black-sea-maritime-security-2025-03-12.yaml")
    document = render_document(meeting, project.audience("archive"), project)
    [chart] = [b for b in document.blocks if isinstance(b, d.Timeline)]
    assert chart.rows[0].label == "(I) Grain corridor mine clearance"
    milestones = [
        b
        for b in document.blocks
        if isinstance(b, d.Table) and d.plain_text(b.header[1]) == "Milestone"
    ]
    assert d.plain_text(milestones[0].rows[0][2]) == "(I) Grain corridor mine clearance"


def test_a_principal_brief_has_no_timeline() -> None:
    project = Project()
    meeting, _ = load_meeting(REPO / "inputs" / "black-sea-maritime-security-2025-03-12.yaml")
    document = render_document(meeting, project.audience("principal"), project)
    assert not any(isinstance(b, d.Timeline) for b in document.blocks)


@pytest.mark.parametrize(
    ("markup", "message"),
    [
        ("::: timeline\n| k | t |\n|---|---|\n| bogus | x |\n:::\n", "unknown kind 'bogus'"),
        (
            "::: timeline\n| k | t | s |\n|---|---|---|\n| initiative | x | 2025-13-01 |\n:::\n",
            "not a date",
        ),
        ("::: timeline\nJust text\n:::\n", "one table"),
    ],
)
def test_malformed_timeline_markup_is_a_markup_error(markup: str, message: str) -> None:
    with pytest.raises(MarkupError, match=message):
        read_markup(markup, d.DocumentInfo(title="t"))


# ---------------------------------------------------------------------------------------------
# Writers


def document_with(block: d.Timeline) -> d.Document:
    return d.Document(
        d.DocumentInfo(title="Timelines", marking="INTERNAL"),
        (
            d.Heading(1, (d.Text("Initiatives"),)),
            block,
            d.Paragraph((d.Text("After the chart."),)),
        ),
    )


@pytest.fixture(scope="module")
def wide() -> dict[str, bytes]:
    """Forty rows over twenty months: a landscape chart over pages, then portrait again."""
    theme = Project().theme(Project().audience("staff"))
    document = document_with(
        timeline(40, DAY(2025, 1, 1), 600, milestones=2, marker=DAY(2025, 6, 10))
    )
    return {fmt: get_writer(fmt)(document, theme).data for fmt in ("pdf", "docx")}


def test_pdf_chart_runs_over_landscape_pages_with_its_axis_and_chrome_on_each(
    wide: dict[str, bytes],
) -> None:
    pages = PdfReader(io.BytesIO(wide["pdf"])).pages
    turned = [p for p in pages if p.mediabox.width > p.mediabox.height]
    assert len(turned) >= 2  # the chart split, on landscape pages only
    assert pages[0].mediabox.width < pages[0].mediabox.height
    assert pages[-1].mediabox.width < pages[-1].mediabox.height  # back to portrait after it
    assert "After the chart." in pages[-1].extract_text()
    for number, page in enumerate(pages, start=1):
        found = _texts_with_x(page)
        if page in turned:
            texts = [t for t, _ in found]  # the axis heads each page (after the caption)
            start = texts.index("Initiative")
            assert start <= 1 and texts[start + 1 : start + 3] == ["2025", "2026"]
        label = f"Page {number} of {len(pages)}"
        [(_, x)] = [(t, x) for t, x in found if t == label]
        # Right-aligned at the right margin of this page, whichever way it is turned.
        width = float(page.mediabox.width)
        assert width - 100 < x + 60 < width


def _texts_with_x(page: PageObject) -> list[tuple[str, float]]:
    """The page's texts and where each starts (x in page space)."""
    found: list[tuple[str, float]] = []
    page.extract_text(
        visitor_text=lambda text, cm, tm, *_: (
            text.strip() and found.append((text.strip(), cm[4] + tm[4]))
        )
    )
    return found


def test_docx_chart_is_a_landscape_section_whose_footer_tabs_reach_its_margin(
    wide: dict[str, bytes],
) -> None:
    package = zipfile.ZipFile(io.BytesIO(wide["docx"]))
    body = package.read("word/document.xml").decode()
    sections = re.findall(r"<w:sectPr.*?</w:sectPr>", body, re.S)
    orients = ["landscape" if 'w:orient="landscape"' in s else "portrait" for s in sections]
    assert orients == ["portrait", "landscape", "portrait"]
    assert "w:headerReference" in sections[1] and "w:footerReference" in sections[1]
    assert "w:footerReference" in sections[2]  # portrait again: the original footer
    footers = sorted(n for n in package.namelist() if re.match(r"word/footer\d+\.xml", n))
    assert len(footers) == 2
    turned = package.read(footers[-1]).decode()
    positions = [int(p) for p in re.findall(r'<w:tab w:val="right" w:pos="(\d+)"', turned)]
    assert positions and min(positions) > 13000  # twips: beyond a portrait text width
    assert body.count("<w:tblHeader/>") == 2  # years and months repeat on every page
    assert body.count("<wp:inline") == 40  # each initiative's band is one drawing


def test_pdf_and_docx_charts_say_the_same_words(wide: dict[str, bytes], tmp_path: Path) -> None:
    (tmp_path / "t.pdf").write_bytes(wide["pdf"])
    (tmp_path / "t.docx").write_bytes(wide["docx"])
    words, headers = docx_body_words(tmp_path / "t.docx")
    mm = 72 / 25.4
    assert pdf_body_words(tmp_path / "t.pdf", (25 * mm, 22 * mm), headers) == words
    assert {"Milestone", "Meeting", "Not", "scheduled:", "(Annual)"} <= set(words)


def test_a_timeline_last_in_the_document_leaves_no_empty_page() -> None:
    theme = Project().theme(Project().audience("staff"))
    document = d.Document(
        d.DocumentInfo(title="T"),
        (d.Paragraph((d.Text("Before."),)), timeline(20, DAY(2025, 1, 1), 600)),
    )
    pages = PdfReader(io.BytesIO(get_writer("pdf")(document, theme).data)).pages
    assert pages[-1].mediabox.width > pages[-1].mediabox.height
    body = (
        zipfile.ZipFile(io.BytesIO(get_writer("docx")(document, theme).data))
        .read("word/document.xml")
        .decode()
    )
    sections = re.findall(r"<w:sectPr.*?</w:sectPr>", body, re.S)
    assert ['w:orient="landscape"' in s for s in sections] == [False, True]
