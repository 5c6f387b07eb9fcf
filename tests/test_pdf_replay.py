"""A PDF layout records its drawing and only the layout kept draws (writers/pdf/replay.py): the
file is the same bytes as when every layout draws as it is laid out, whatever the brief holds
(links, a table of contents, a landscape chart over pages, split tables, lists, a redline) and
whichever layout is kept; and a layout that loses is never drawn."""

from __future__ import annotations

import copy
import datetime as dt
import io
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab import platypus as rl

from briefgen import document as d
from briefgen.theme import default_theme
from briefgen.writers import WriterOptions
from briefgen.writers.pdf import lay_out_pdf, write_pdf
from briefgen.writers.pdf.replay import RecordingFrame

T = d.Text
FIRST_DAY = dt.date(2025, 1, 1)
MARKER = "Reaffirm"  # the opening of one paragraph, to count its drawings


def _p(*inlines: d.Inline) -> d.Paragraph:
    return d.Paragraph(tuple(inlines))


def _item(*blocks: d.Block) -> d.ListItem:
    return d.ListItem(tuple(blocks))


def _timeline(rows: int, days: int) -> d.Timeline:
    """Wide enough for landscape pages, long enough to run over two of them."""
    step, items = days // rows, []
    for index in range(rows):
        start = FIRST_DAY + dt.timedelta(days=index * step % (days - 1))
        end = min(start + dt.timedelta(days=days // 3), FIRST_DAY + dt.timedelta(days=days))
        step_day = d.TimelineMilestone(start + (end - start) / 2, f"Step {index + 1}")
        items.append(d.TimelineRow(f"Initiative {index + 1}", start, end, (step_day,)))
    return d.Timeline(
        rows=(*items, d.TimelineRow("Undated", cadence="Annual")),
        title="Timeline",
        marker=FIRST_DAY + dt.timedelta(days=100),
        marker_label="Meeting",
        milestone_label="Milestone",
        undated_label="Not scheduled",
        name_header="Initiative",
    )


def brief(filler: int, page_break: bool = False) -> d.Document:
    """A brief whose last page holds more or less as `filler` grows (see CASES)."""
    rows = tuple(
        ((T(f"R{n:02d}"),), (T(f"Follow-up {n} with the Presidency"),), (T("Annual"),))
        for n in range(1, 41)
    )
    words = "The Alliance and its partner discussed regional stability at length. " * 3
    end: list[d.Block] = (
        [d.PageBreak(), _p(T("A last line alone."))]
        if page_break
        else [
            d.Heading(2, (T("Closing"),)),
            _p(T("Closing, see "), d.Link("https://example.org/close", (T("here"),)), T(".")),
        ]
    )
    blocks: list[d.Block] = [
        d.TitleBlock(
            title=(T("Meeting with the Presidency"),),
            subtitle=(T("Brief"),),
            fields=(
                d.TitleField("Date", (T("18 December 2024"),)),
                d.TitleField("Place", (T("Brussels"),)),
            ),
        ),
        d.TableOfContents(title=(T("Contents"),), depth=2),
        d.Heading(1, (T("Purpose"),)),
        _p(
            T(MARKER + " "),
            d.Strong((T("support"),)),
            T(". See "),
            d.Link("https://example.org/a?b=1", (T("the release"),)),
            T("."),
        ),
        _p(
            T("The position "),
            d.Insertion((T("now includes the reform agenda"),)),
            T(" and "),
            d.Deletion((T("no longer the old plan"),)),
            T("."),
        ),
        d.Heading(2, (T("Key messages"),)),
        d.BulletList(
            (
                _item(_p(T("First message"))),
                _item(_p(T("Second message")), d.BulletList((_item(_p(T("Nested"))),))),
            )
        ),
        d.NumberedList((_item(_p(T("Third outcome"))), _item(_p(T("Fourth outcome")))), start=3),
        _timeline(30, 600),
        d.Heading(1, (T("Initiatives"),)),
        d.Table(
            header=((T("Code"),), (T("Action"),), (T("Deadline"),)),
            rows=rows,
            widths=(0.15, 0.65, 0.2),
        ),
        d.Heading(1, (T("Background"),)),
        *[_p(T(f"Paragraph {n}: {words}")) for n in range(filler)],
        *end,
    ]
    info = d.DocumentInfo(
        title="Replay brief",
        author="Unit",
        language="en-GB",
        marking="RESTRICTED",
        created=1734480000,
        revisions=d.Revisions(),
    )
    return d.Document(info=info, blocks=tuple(blocks))


# filler, page break at the end, pull back runts -> pages, spacing kept
CASES = {
    "no runt": (5, False, True, 5, 1.0),
    "runt pulled back": (12, False, True, 5, 0.6),
    "runt, pull-back off": (12, False, False, 6, 1.0),
    "runt the tighter spacing cannot save": (13, False, True, 6, 1.0),
    "runt after a page break": (3, True, True, 6, 1.0),
}


@pytest.mark.parametrize("case", CASES)
def test_replayed_file_is_the_file_drawn_while_laid_out(case: str) -> None:
    filler, page_break, pull_back, pages, spacing = CASES[case]
    document, theme = brief(filler, page_break), default_theme()
    options = WriterOptions(pull_back_runts=pull_back)
    replayed = write_pdf(document, theme, options)
    drawn = write_pdf(document, theme, options, replay=False)
    assert (replayed.layout.pages, replayed.layout.spacing) == (pages, spacing)
    assert replayed.layout == drawn.layout
    assert replayed.data == drawn.data


def test_the_replayed_brief_keeps_what_drawing_makes() -> None:
    """Links, contents page numbers, the outline and the landscape pages of the kept layout."""
    written = write_pdf(brief(12), default_theme())
    assert written.layout.contents_pages == ((1, 1, 4, 5, 5),)
    pages = PdfReader(io.BytesIO(written.data)).pages
    turned = [n for n, page in enumerate(pages, 1) if page.mediabox.width > page.mediabox.height]
    assert turned == [2, 3]
    links = [len(page.get("/Annots", [])) for page in pages]
    assert links == [6, 0, 0, 0, 1]  # five contents entries and a link; the closing link
    text = pages[0].extract_text()
    assert "Purpose" in text and text.index("Contents") < text.index(MARKER)
    assert "Follow-up 40 with the Presidency" in pages[4].extract_text()
    assert "Code" in pages[4].extract_text()  # the table's header again where it runs on


def _count_drawings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    drawn: list[str] = []
    draw = rl.Paragraph.drawPara

    def counting(self: rl.Paragraph, *args: Any, **kwargs: Any) -> None:
        if self.getPlainText().startswith(MARKER):
            drawn.append(MARKER)
        draw(self, *args, **kwargs)

    monkeypatch.setattr(rl.Paragraph, "drawPara", counting)
    return drawn


@pytest.mark.parametrize(
    ("filler", "replay", "drawings"),
    [
        (12, True, 1),  # two layouts, the tighter kept: drawn once
        (12, False, 2),
        (13, True, 1),  # two layouts, the first kept and laid out again: drawn once
        (13, False, 2),
        (5, True, 1),  # one layout
    ],
)
def test_a_layout_that_loses_is_never_drawn(
    monkeypatch: pytest.MonkeyPatch, filler: int, replay: bool, drawings: int
) -> None:
    drawn = _count_drawings(monkeypatch)
    write_pdf(brief(filler), default_theme(), replay=replay)
    assert len(drawn) == drawings


def test_a_frame_copied_for_a_wrap_is_a_copy_of_its_cursor_and_lists() -> None:
    frame = RecordingFrame(10, 20, 300, 400, id="body")
    frame._frameBGs, frame._y = [], 123.5
    frame.held = [rl.Spacer(1, 2)]  # anything else is deep-copied as before
    copied = copy.deepcopy(frame)
    assert type(copied) is RecordingFrame
    assert (copied.id, copied._x1, copied._y, copied._aW) == ("body", 10, 123.5, 288)  # 6 pt pads
    assert copied._frameBGs == [] and copied._frameBGs is not frame._frameBGs
    assert copied.held[0] is not frame.held[0] and copied.held[0].height == 2


@pytest.mark.parametrize("case", CASES)
def test_a_layout_counts_the_pages_of_its_file_and_draws_only_when_finished(
    case: str, replays: list[int]
) -> None:
    # A page budget measured (a pack's meeting): the file's count and spacing, and nothing
    # drawn or written until it is finished, which gives write_pdf's bytes.
    filler, page_break, pull_back, pages, spacing = CASES[case]
    document, theme = brief(filler, page_break), default_theme()
    options = WriterOptions(pull_back_runts=pull_back)
    laid = lay_out_pdf(document, theme, options)
    assert (laid.layout.pages, laid.layout.spacing) == (pages, spacing)
    assert replays == []
    finished = laid.finish()
    assert replays == [1]
    assert finished.data == write_pdf(document, theme, options).data


def test_a_document_of_one_page_break_is_written_as_an_empty_one() -> None:
    # reportlab drops a page break that opens a document and then fails inside its build when
    # nothing follows it (an IndexError): a traceback for markup a template can make.
    theme = default_theme()
    info = d.DocumentInfo(title="Nothing yet")
    alone = write_pdf(d.Document(info=info, blocks=(d.PageBreak(),)), theme)
    empty = write_pdf(d.Document(info=info, blocks=()), theme)
    assert alone == empty
