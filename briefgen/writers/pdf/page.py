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
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from briefgen import document as d
from briefgen.writers.pdf.marked import MarkedCanvas
from briefgen.writers.pdf.structure import Element
from briefgen.writers.pdf.theme import HeaderChrome


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
        mark_y, room = y, x_right - left - label_w - 12
        text = self.info.marking.strip()
        if text:  # the marking shares the footer line if the texts beside it fit in a quarter
            side = (x_right - left - canvas.stringWidth(text, mark_font, mark_size)) / 2 - 12
            if side >= max(label_w, (x_right - left) / 4):
                room = side
            else:  # two lines, centred on where the one would be
                y, mark_y = y + mark_size * 0.8, y - mark_size * 0.8
        canvas.saveState()
        with canvas.artifact("Footer"):
            canvas.setFont(font, size)
            canvas.setFillColor(colour)
            canvas.drawRightString(x_right, y, label)
            canvas.drawString(left, y, _fit(self.footer, font, size, room))
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
        canvas.restoreState()


@lru_cache(maxsize=256)  # every page draws the same footer
def _fit(text: str, font: str, size: float, room: float) -> str:  # cut with … to fit the room
    if pdfmetrics.stringWidth(text, font, size) <= room:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text.rstrip() + "…" if text else ""


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
    moves a heading and a two-page table to a new page; this splits it where it is, unless less
    than `room` points remain."""

    def __init__(self, flowables: list[rl.Flowable], room: float) -> None:
        super().__init__(flowables)
        self._room = room

    def split(self, aW: float, aH: float) -> list[rl.Flowable]:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        if self._room < aH < self._H:
            return list(self._content)
        return super().split(aW, aH)  # type: ignore[no-any-return]


class BriefTemplate(rl.BaseDocTemplate):  # type: ignore[misc]
    _last_level = -1
    _last_written = -1  # the level as written, before the clamp below

    def afterFlowable(self, flowable: rl.Flowable) -> None:
        entry = getattr(flowable, "_briefgen_outline", None)
        if entry is None:
            return
        title, written = entry
        # Outline levels may not skip (a heading 3 straight after the title becomes level 1);
        # headings written at one level stay siblings however they were clamped.
        level = (self._last_level if written == self._last_written
                 else min(written, self._last_level + 1))
        self._last_level, self._last_written = level, written
        key = flowable._briefgen_key  # named when made, so a table of contents can link ahead
        # The frame's cursor is below the flowable just drawn; aim the view at its top.
        top = self.frame._y + flowable.height + flowable.getSpaceAfter() + 4
        self.canv.bookmarkPage(key, fit="XYZ", top=top)
        flowable._briefgen_page = self.page  # read by a table of contents
        self.canv.addOutlineEntry(title or "…", key, level=level, closed=False)
        self.canv.showOutline()
