"""The PDF writer: a Document and a Theme in, PDF bytes out (reportlab platypus), laid out on
the theme's pages with their chrome, and what the layout found (pages, contents pages)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from reportlab import platypus as rl
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.units import mm

from briefgen import document as d
from briefgen.errors import WriterError
from briefgen.tagging import language_tag
from briefgen.theme import Theme
from briefgen.writers import Layout, WriterOptions, Written
from briefgen.writers.pdf.body import FlowableWriter
from briefgen.writers.pdf.breaks import END_SHARE, keep_short_ends
from briefgen.writers.pdf.fonts import Fonts, register_fonts
from briefgen.writers.pdf.linebreaks import Relay
from briefgen.writers.pdf.page import BriefTemplate, Chrome, KeepWithNext, Para
from briefgen.writers.pdf.replay import RecordingFrame, ReplayCanvas
from briefgen.writers.pdf.structure import Element, tagged
from briefgen.writers.pdf.theme import header_chrome, title_logo
from briefgen.writers.pdf.timeline import landscape_template

# Share of a page below which a heading never starts; above it, a heading starts where it and a
# first piece of its text fit (page.KeepWithNext), so no table jumps whole leaving a gap.
_MIN_ROOM = 0.06


def _is_heading(flowable: rl.Flowable) -> bool:
    """A heading, or a caption kept with what follows (a chart's title)."""
    if isinstance(flowable, Para) and flowable.entry is not None:
        return flowable.entry.level > 0
    return isinstance(flowable, rl.Paragraph) and bool(flowable.getKeepWithNext())


# A last page filled to less than this share of its frame is a runt: the layout is tried once
# more with the space above and below every block cut to TIGHT of the theme's, and kept when
# that saves the page. One level, not a search for the loosest that works: every pulled-back
# brief looks alike, and a runt costs one extra layout, not three.
RUNT = 0.25
TIGHT = 0.6


def write_pdf(
    document: d.Document,
    theme: Theme,
    options: WriterOptions | None = None,
    *,
    replay: bool = True,
) -> Written:
    """Render the document as PDF with the theme's fonts, colours and page set-up; the layout
    returned has the page of every contents entry.

    A last page holding only a few lines is pulled back onto the page before where a tighter
    spacing between blocks (never smaller text) saves it; the layout says which spacing.

    Each layout records its drawing and only the one kept draws (replay.py); `replay=False`
    draws each as it is laid out instead, the same bytes (what the tests compare it with).
    """
    return lay_out_pdf(document, theme, options, replay=replay).finish()


def lay_out_pdf(
    document: d.Document,
    theme: Theme,
    options: WriterOptions | None = None,
    *,
    replay: bool = True,
) -> LaidOut:
    """The document laid out as `write_pdf` lays it out, its pages counted; drawn and written
    only when `finish`ed (a page budget's attempts that give way are never written)."""
    options = options or WriterOptions()
    relay, fonts = Relay(), register_fonts(theme)
    first = _lay_out(document, theme, options, relay, fonts, replay)
    if first.pages < 2 or first.filled >= RUNT or not options.pull_back_runts:
        return first.laid_out(1.0)
    relay.hand_on()  # the same text at the same widths: the first layout's lines serve
    tighter = _lay_out(document, theme.tightened(TIGHT), options, relay, fonts, replay)
    if tighter.pages < first.pages:
        return tighter.laid_out(TIGHT)
    if not replay:
        return first.laid_out(1.0)

    def again() -> Written:
        # Undrawn still, and the second layout may have split paragraphs whose lines it shares
        # with the first: the first is made again, from the second's lines (linebreaks.py).
        relay.hand_on()
        return _lay_out(document, theme, options, relay, fonts).written()

    return LaidOut(Layout(pages=first.pages), again)


@dataclass(frozen=True)
class LaidOut:
    """A PDF laid out, its pages counted (`layout`: pages and spacing; the contents' pages are
    known once written), and `finish`, which draws and writes it."""

    layout: Layout
    write: Callable[[], Written]

    def finish(self) -> Written:
        return self.write()


@dataclass
class _Draft:
    """One layout of the document, its drawing recorded, the PDF not yet written: a layout
    that loses to a tighter one is never drawn nor turned into a file (fonts subset, objects
    formatted)."""

    canvas: ReplayCanvas
    doc: BriefTemplate
    out: io.BytesIO
    writer: FlowableWriter
    pages: int
    filled: float  # how full the last page's frame is (0 to 1)

    def laid_out(self, spacing: float) -> LaidOut:
        return LaidOut(Layout(pages=self.pages, spacing=spacing), partial(self.written, spacing))

    def written(self, spacing: float = 1.0) -> Written:
        self.canvas.replay(self.doc)
        self.canvas.write_out()  # fills the contents' pages too (they are drawn at save)
        contents = tuple(tuple(entries) for entries in self.writer.contents_pages)
        layout = Layout(contents_pages=contents, pages=self.pages, spacing=spacing)
        return Written(self.out.getvalue(), layout)


def _lay_out(
    document: d.Document,
    theme: Theme,
    options: WriterOptions,
    relay: Relay | None = None,
    fonts: Fonts | None = None,
    record: bool = True,
) -> _Draft:
    """The document laid out on the theme's pages, its drawing recorded (or done, unless
    `record`)."""
    fonts = fonts or register_fonts(theme)
    info, page = document.info, theme.page
    width, height = page.size_points
    top, right, bottom, left = (
        m * mm for m in (page.margin_top, page.margin_right, page.margin_bottom, page.margin_left)
    )

    def chrome_font(role: str, colour: str) -> tuple[str, float, Color]:
        r = theme.role(role)
        return fonts.face(r.bold, r.italic), r.size, HexColor(r.colour or colour)

    # The marking takes its level's colour (colours.markings) over the marking role's.
    marking = (*chrome_font("marking", "#000000")[:2], HexColor(theme.marking_colour(info.marking)))
    root = Element("Document")
    # The marking is said once as real content: the first page's top banner, read first.
    marking_element = root.add("P") if info.marking.strip() else None
    chrome = Chrome(
        info,
        theme.footer_text or info.title,
        (width, height),
        (top, right, bottom, left),
        marking,
        chrome_font("footer", theme.colours.text),
        header_chrome(theme, chrome_font("header", theme.colours.text), options.cache),
        marking_element,
    )
    body_height = height - top - bottom
    frame = RecordingFrame(
        left,
        bottom,
        width - left - right,
        body_height,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    out = io.BytesIO()
    doc = BriefTemplate(
        out,
        pagesize=(width, height),
        pageTemplates=[rl.PageTemplate("page", [frame]), landscape_template(theme)],
        leftMargin=left,
        rightMargin=right,
        topMargin=top,
        bottomMargin=bottom,
        title=info.title,
        author=info.author,
        subject=info.subject,
        keywords=list(info.keywords),
        creator="briefgen",
        lang=language_tag(info.language),
        invariant=1,
        pageCompression=1,
        displayDocTitle=1,
        initialFontName=fonts.regular,
        initialFontSize=theme.role("body").size,
        keepTogetherClass=partial(KeepWithNext, room=body_height * _MIN_ROOM),
    )
    logo = [
        tagged(f, root.add("Figure", alt=theme.logo.alt if theme.logo else ""))
        for f in title_logo(theme, options.cache)
    ]
    writer = FlowableWriter(theme, fonts, root, info.language, relay)
    writer.text_width = width - left - right
    story = keep_short_ends(
        [*logo, *writer.blocks(document.blocks, root)], body_height * END_SHARE, _is_heading
    )
    # A page break before anything breaks nothing: reportlab drops it, then fails (IndexError
    # inside its build) when nothing follows it. Alone, it is an empty document.
    if len(story) == 1 and type(story[0]) is rl.PageBreakIfNotEmpty:
        story = []
    try:
        doc.build(
            story,
            canvasmaker=partial(
                ReplayCanvas,
                chrome=chrome,
                root=root,
                language=language_tag(info.language),
                record=record,
            ),
        )
    except rl.LayoutError as exc:
        # reportlab's message names Python objects by address: useless to a reader, and it
        # would make the message differ from run to run.
        where = re.search(r"on page (\d+)", str(exc))
        page_no = f" on page {where.group(1)}" if where else ""
        hint = "something is too large for one page; split it or use smaller margins"
        raise WriterError(
            f"the PDF layout failed{page_no}: a block does not fit on a page", hint=hint
        ) from None
    # The frame the story ended in, its cursor below the last block (none: nothing was drawn).
    last = getattr(doc, "frame", None)
    filled = (last._y1 + last._height - last._y) / last._height if last else 1.0
    return _Draft(doc.canv, doc, out, writer, doc.page, filled)
