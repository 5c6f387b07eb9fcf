"""PDF pages: the chrome every page carries, the canvas that holds pages for "Page X of Y", and
the document template that records headings for the outline and a table of contents."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from reportlab import platypus as rl
from reportlab.lib.colors import Color, HexColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from briefgen import document as d
from briefgen.footer import GAP, footer_text, shorten
from briefgen.writers.pdf.breaks import starts_here
from briefgen.writers.pdf.linebreaks import Relayed
from briefgen.writers.pdf.marked import MarkedCanvas
from briefgen.writers.pdf.structure import Element, Tagged
from briefgen.writers.pdf.theme import HeaderChrome

# A redline's marks: inserted text underlined, deleted struck through, a bar beside each line.
INSERTED, DELETED, CHANGE_BAR = "#1d5fbf", "#c0262d", "#6b6b6b"
CHANGE_BAR_GAP = 7  # points left of the text frame


@dataclass
class OutlineEntry:
    """A title or heading as the outline and a table of contents know it."""

    text: str
    level: int  # 0 for a title block, else the heading's level
    key: str  # its destination's name in the file, made from its position (never id())
    page: int = 0  # filled in when it is laid out


class Para(Tagged, Relayed):
    """A Paragraph that breaks its lines once per width (tables and keep-with-next groups wrap
    a cell three or four times at one width, and line breaking dominates the layout time), may
    take them from its twin in the layout before (linebreaks.Relay), and may carry its outline
    entry."""

    _wrapped_at: float | None = None
    entry: OutlineEntry | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # A failed split() deletes blPara to force the next wrap; honour that (Para.split keeps
        # it where the lines are still right).
        if availWidth == self._wrapped_at and "blPara" in self.__dict__:
            return self.width, self.height
        self._gather()
        self._wrapped_at = availWidth
        return super().wrap(availWidth, availHeight)  # type: ignore[no-any-return]

    def split(self, availWidth: float, availHeight: float) -> list[rl.Flowable]:
        parts = self._split(availWidth, availHeight)
        if parts and parts[0] is not self:  # a heading broken across pages: its first part
            parts[0].entry = self.entry  # is where the outline and the contents point
        return parts

    def _split(self, availWidth: float, availHeight: float) -> list[rl.Flowable]:
        # reportlab's rest-of-paragraph breaks its lines again on every page, and is built from
        # all the words left: a one-megabyte paragraph took minutes (issue 16). The lines broken
        # at this width are the rest's lines, so the rest keeps them, and reportlab only sees
        # the lines around the break; the rest's words are gathered if it is wrapped anew.
        broken = self.__dict__.get("blPara") if availWidth == self._wrapped_at else None
        lines = getattr(broken, "lines", None)
        if broken is None or lines is None or not _reusable(self, lines):
            return super().split(availWidth, availHeight)
        fit = int(availHeight / self.style.leading)
        if len(lines) > fit + 2:
            self.blPara = broken.clone(lines=lines[: fit + 2])
        parts: list[rl.Flowable] = super().split(availWidth, availHeight)
        self.blPara = broken  # no room here: the lines stay right for the next frame too
        if len(parts) != 2:
            return parts
        first, rest = parts
        kept = len(first.blPara.lines)
        rest.blPara = broken.clone(lines=lines[kept:])
        rest.width, rest._wrapped_at = availWidth, availWidth
        rest.height = len(rest.blPara.lines) * rest.style.leading
        rest._words_from = (self._get_split_blParaFunc(), broken, kept)
        return parts

    _words_from: tuple[Callable[..., Any], Any, int] | None = None

    def _gather(self) -> None:
        """Give a rest made by split() all its words, before anything reads them."""
        if self._words_from is not None:
            func, whole, kept = self._words_from
            self.frags, self._words_from = func(whole, kept, len(whole.lines)), None

    def minWidth(self) -> float:
        self._gather()
        return super().minWidth()  # type: ignore[no-any-return]


def _reusable(para: Para, lines: list[Any]) -> bool:
    """Whether a split paragraph's rest can keep the lines broken for the whole: the widths
    are the same (no first-line indent), the height is lines times leading, and its lines do not
    point into the whole's fragment list (which the rest no longer has)."""
    style = para.style
    auto = getattr(para, "autoLeading", getattr(style, "autoLeading", ""))
    return (
        style.firstLineIndent == 0
        and auto in ("", "off")
        and not (lines and hasattr(lines[0], "sFW"))
    )


@dataclass(frozen=True)
class Chrome:
    """What every page carries outside the frame: marking banners, footer text, page label."""

    info: d.DocumentInfo
    footer: str
    page: tuple[float, float]
    margins: tuple[float, float, float, float]  # top, right, bottom, left in points
    marking: tuple[str, float, Color]  # font, size, colour
    label: tuple[str, float, Color]
    header: HeaderChrome | None = None  # the theme's header text and logo
    marking_element: Element | None = None  # the marking said once, as real content

    def draw(self, canvas: BriefCanvas, page: int, pages: int) -> None:
        # The page's own size: a landscape page (a wide timeline) has its chrome turned with it.
        (width, height), (top, right, bottom, left) = canvas._pagesize, self.margins
        font, size, colour = self.label
        mark_font, mark_size, mark_colour = self.marking
        label = self.info.page_label.replace("{page}", str(page)).replace("{pages}", str(pages))
        label_w = canvas.stringWidth(label, font, size)
        x_right, centre = width - right, (width - right + left) / 2
        y = bottom / 2 - size * 0.35  # the footer line sits midway down the bottom margin
        mark_y, room = y, x_right - left - label_w - GAP
        text = self.info.marking.strip()
        if text:  # one design in both formats (briefgen.footer): footer line, marking under it
            y, mark_y = y + mark_size * 0.8, y - mark_size * 0.8
        # The words are chosen on the portrait text width, as the DOCX does; then measured.
        words = footer_text(self.footer, self.info.page_label, self.page[0] - left - right, size)
        footer = _fit(words, font, size, room)
        canvas.saveState()
        with canvas.artifact("Footer"):
            canvas.setFont(font, size)
            canvas.setFillColor(colour)
            canvas.drawRightString(x_right, y, label)
            canvas.drawString(left, y, footer)
            if text:
                canvas.setFont(mark_font, mark_size)
                canvas.setFillColor(mark_colour)
                canvas.drawCentredString(centre, mark_y, text)
        if text:
            canvas.setFont(mark_font, mark_size)
            canvas.setFillColor(mark_colour)
            # The first page's top banner is the marking as real content, read once.
            if page == 1 and self.marking_element is not None:
                canvas.begin_marked(self.marking_element)
                canvas.drawCentredString(centre, height - top / 2 - mark_size * 0.35, text)
                canvas.end_marked()
            else:
                with canvas.artifact("Header"):
                    canvas.drawCentredString(centre, height - top / 2 - mark_size * 0.35, text)
        if self.header is not None:
            mark_w = canvas.stringWidth(text, mark_font, mark_size) if text else 0
            with canvas.artifact("Header"):
                self.header.draw(canvas, (width, height), self.margins, mark_w)
        if self.info.revisions is not None:
            legend_y = max(y, mark_y) + size * 1.6
            with canvas.artifact("Footer"):
                draw_legend(canvas, self.info.revisions, (font, size), left, legend_y)
        canvas.restoreState()


def draw_legend(
    canvas: Canvas, revisions: d.Revisions, font: tuple[str, float], x: float, y: float
) -> None:
    """A redline's key, above the footer line: the bar, inserted and deleted text as drawn."""
    name, size = font
    canvas.setFont(name, size)
    canvas.setStrokeColor(HexColor(CHANGE_BAR))
    canvas.setLineWidth(1.6)
    canvas.line(x, y - size * 0.25, x, y + size * 0.85)
    x += 6
    for label, colour, offset in (
        (revisions.inserted_label, INSERTED, -1.6),
        (revisions.deleted_label, DELETED, size * 0.3),
    ):
        width = canvas.stringWidth(label, name, size)
        canvas.setFillColor(HexColor(colour))
        canvas.setStrokeColor(HexColor(colour))
        canvas.setLineWidth(0.8)
        canvas.drawString(x, y, label)
        canvas.line(x, y + offset, x + width, y + offset)
        x += width + 10


@lru_cache(maxsize=256)  # every page draws the same footer
def _fit(text: str, font: str, size: float, room: float) -> str:  # at a word, with …
    return shorten(text, room, lambda s: pdfmetrics.stringWidth(s, font, size))


class BriefCanvas(MarkedCanvas):
    """Holds every page until save(), when the page count is known for "Page X of Y"."""

    def __init__(self, *args: Any, chrome: Chrome, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._chrome = chrome
        self._held: list[dict[str, Any]] = []
        self._bookmarks: list[tuple[str, dict[str, Any]]] = []
        # Drawn once every page exists (a table of contents' page numbers), before "Page X of Y".
        self.at_save: list[Callable[[Canvas], None]] = []
        stamp = time.strftime("D:%Y%m%d%H%M%S+00'00'", time.gmtime(chrome.info.created))
        self.setDateFormatter(lambda *_: stamp)
        # reportlab seeds the file /ID from SOURCE_DATE_EPOCH when set; let the brief's date decide.
        self._doc.signature = hashlib.md5(stamp.encode(), usedforsecurity=False)

    def bookmarkPage(self, key: str, **kwargs: Any) -> None:
        # A bookmark names the PDF page object, which is only created at save().
        self._bookmarks.append((key, kwargs))

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()
        self._bookmarks = []

    def save(self) -> None:
        """reportlab calls this at the end of a build: the layout is done, nothing written yet.
        `write_out` writes the file, so a layout that loses to a tighter one costs no PDF."""

    def write_out(self) -> None:
        """Draw what waited for the page count, and write the PDF (reportlab's save)."""
        for draw in self.at_save:
            draw(self)
        for state in self._held:
            self.__dict__.update(state)
            for key, kwargs in self._bookmarks:
                super().bookmarkPage(key, **kwargs)
            self.close_default()
            self._chrome.draw(self, self._pageNumber, len(self._held))
            super().showPage()
        self._code: list[str] = []  # showPage opened a next page's artifact; there is none
        self.finish_structure(len(self._held))
        super().save()


class KeepWithNext(rl.KeepTogether):  # type: ignore[misc]
    """Keeps a heading with what follows, without leaving most of a page blank: KeepTogether
    moves a heading and a two-page table to a new page; this splits it where it is when the
    headings and a first piece of what follows fit (breaks.starts_here), else moves on. Only
    within `room` points of a page's foot does a heading never start there, however short."""

    def __init__(self, flowables: list[rl.Flowable], room: float) -> None:
        super().__init__(flowables)
        self._room = room

    def split(self, aW: float, aH: float) -> list[rl.Flowable]:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        if self._room < aH < self._H and self._starts_here(aW, aH):
            # Through the queue, not drawn here: a heading taller than the room left (even than
            # a page) is then split like any paragraph instead of failing the layout.
            return [rl.NullActionFlowable(), *self._content]
        return super().split(aW, aH)  # type: ignore[no-any-return]

    def _starts_here(self, aW: float, aH: float) -> bool:
        *heads, last = self._content
        if not heads:
            return True
        # A heading taller than a page must split anyway: let it.
        # The headings' heights and the space below each (a little generous: no merging).
        above = sum(head.wrap(aW, 0xFFFFFF)[1] + head.getSpaceAfter() for head in heads)
        if above > self._frame_height():
            return True
        left = aH - above - last.getSpaceBefore()
        return starts_here(last, aW, left)

    def _frame_height(self) -> float:
        frame = getattr(self, "_frame", None)
        return float(frame._height) if frame is not None else float("inf")


class BriefTemplate(rl.BaseDocTemplate):  # type: ignore[misc]
    _last_level = -1
    _last_written = -1  # the level as written, before the clamp below

    def handle_keepWithNext(self, flowables: list[rl.Flowable]) -> None:
        """reportlab keeps no list with the headings before it (a list is a container, which
        its keep-with-next leaves out); a brief's list is kept like a paragraph is, so a heading
        never ends a page whose foot has no room for the list's first lines."""
        kept = 0
        while kept < len(flowables) and flowables[kept].getKeepWithNext():
            kept += 1
        if 0 < kept < len(flowables) and isinstance(flowables[kept], rl.ListFlowable):
            group = self.keepTogetherClass(flowables[: kept + 1])
            for flowable in group._content[:-1]:
                flowable.__dict__["keepWithNext"] = 0  # as reportlab does: kept once, here
            del flowables[: kept + 1]
            flowables.insert(0, group)
            return
        super().handle_keepWithNext(flowables)

    def afterFlowable(self, flowable: rl.Flowable) -> None:
        entry = flowable.entry if isinstance(flowable, Para) else None
        if entry is None:
            return
        title, written = entry.text, entry.level
        # Outline levels may not skip (a heading 3 straight after the title becomes level 1);
        # headings written at one level stay siblings however they were clamped.
        level = (
            self._last_level
            if written == self._last_written
            else min(written, self._last_level + 1)
        )
        self._last_level, self._last_written = level, written
        key = entry.key  # named when made, so a table of contents can link ahead
        # The frame's cursor is below the flowable just drawn; aim the view at its top.
        top = self.frame._y + flowable.height + flowable.getSpaceAfter() + 4
        self.canv.bookmarkPage(key, fit="XYZ", top=top)
        entry.page = self.page  # read by a table of contents
        self.canv.addOutlineEntry(title or "…", key, level=level, closed=False)
        self.canv.showOutline()
