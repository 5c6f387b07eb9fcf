"""The PDF writer: a Document and a Theme in, PDF bytes out (reportlab platypus)."""

from __future__ import annotations

import hashlib
import io
import re
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any, NoReturn
from xml.sax.saxutils import escape

from reportlab import platypus as rl
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas

from briefgen import document as d
from briefgen.errors import ThemeError, WriterError
from briefgen.theme import Theme
from briefgen.writers.pdf_contents import contents_flowables
from briefgen.writers.pdf_theme import HeaderChrome, header_chrome, table_commands, title_logo
from briefgen.writers.pdf_timeline import landscape_template, timeline_flowables

if sys.version_info >= (3, 11):
    from typing import assert_never
else:  # same effect at run time; mypy still checks that every node type is handled
    def assert_never(arg: NoReturn, /) -> NoReturn:
        raise TypeError(f"unhandled node {arg!r}")


_FACES = ("regular", "bold", "italic", "bold_italic")
_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
_BULLETS = ("\u2022", "\u2013", "\u25e6")  # by nesting depth, like a word processor's defaults
# Paragraph markup is XML: quotes matter inside attribute values such as href.
_QUOTES = {'"': "&quot;", "'": "&#39;"}
# C0 controls cannot be drawn and some make reportlab's markup parser fail.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MIN_ROOM = 0.2  # share of a page below which a heading moves on to stay with its text


@dataclass(frozen=True)
class _Fonts:
    regular: str
    bold: str
    italic: str
    bold_italic: str

    def face(self, bold: bool, italic: bool) -> str:
        return ((self.regular, self.italic), (self.bold, self.bold_italic))[bold][italic]


# Parsing a TTF costs milliseconds and the registry is process-wide, so register once per file set.
_FONT_CACHE: dict[tuple[str, ...], _Fonts] = {}
_FONT_LOCK = threading.Lock()


def _register_fonts(theme: Theme) -> _Fonts:
    try:
        paths = tuple(str(theme.font_path(face)) for face in _FACES)  # type: ignore[arg-type]
    except FileNotFoundError as exc:
        raise ThemeError(str(exc), hint="set fonts.* in the theme to a .ttf file") from exc
    with _FONT_LOCK:
        if paths in _FONT_CACHE:
            return _FONT_CACHE[paths]
        # The prefix keeps a family called e.g. "Helvetica" from replacing reportlab's own fonts;
        # the counter keeps two themes that share a family name but not files apart.
        stem = "briefgen-" + (re.sub(r"[^A-Za-z0-9]", "", theme.fonts.family) or "font")
        if any(f.regular.startswith(stem + "-") for f in _FONT_CACHE.values()):
            stem += str(len(_FONT_CACHE))
        names = [f"{stem}-{face}" for face in _FACES]
        for name, path in zip(names, paths, strict=True):
            try:
                pdfmetrics.registerFont(TTFont(name, path))
            except (TTFError, OSError, ValueError) as exc:
                hint = "use a TrueType (.ttf) font whose licence allows embedding"
                raise ThemeError(f"font {path} cannot be used in a PDF: {exc}", hint=hint) from exc
        pdfmetrics.registerFontFamily(stem, normal=names[0], bold=names[1], italic=names[2],
                                      boldItalic=names[3])
        _FONT_CACHE[paths] = _Fonts(*names)
        return _FONT_CACHE[paths]


class _Para(rl.Paragraph):  # type: ignore[misc]
    """A Paragraph that breaks its lines once per width: tables and keep-with-next groups wrap
    a cell three or four times at one width, and line breaking dominates the layout time."""

    _wrapped_at: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # A failed split() deletes blPara to force the next wrap; honour that.
        if availWidth == self._wrapped_at and "blPara" in self.__dict__:
            return self.width, self.height
        self._wrapped_at = availWidth
        return super().wrap(availWidth, availHeight)  # type: ignore[no-any-return]


class _Writer:
    """Turns blocks into flowables with the theme's styles; one instance per PDF."""

    def __init__(self, theme: Theme, fonts: _Fonts) -> None:
        self.theme, self.fonts, self.colours = theme, fonts, theme.colours
        self.outlined: list[_Para] = []  # in document order, for a table of contents
        c = theme.colours
        colours = {"title": c.heading, "heading-1": c.heading, "heading-2": c.heading,
                   "heading-3": c.heading, "table-header": theme.table_header_colour}
        self.styles = {role: self._style(role, colours.get(role, c.text)) for role in (
            "title", "subtitle", "field-label", "field-value", "heading-1", "heading-2",
            "heading-3", "body", "list-item", "table-header", "table-cell")}
        # Heading 1 is underlined by a rule; the role's space below goes under the rule instead.
        self.styles["heading-1"].spaceAfter = 2

    def _style(self, role: str, colour: str) -> ParagraphStyle:
        r = self.theme.role(role)
        return ParagraphStyle(
            role, fontName=self.fonts.face(r.bold, r.italic), fontSize=r.size,
            leading=r.size * r.leading, textColor=HexColor(r.colour or colour),
            spaceBefore=r.space_before, spaceAfter=r.space_after, alignment=_ALIGN[r.align],
            # Long words and URLs break mid-word rather than overflow. (uriWasteReduce would
            # break at '/' first, but reportlab 5.1 then leaves the rest unsplit and overflowing.)
            splitLongWords=1, keepWithNext=role.startswith("heading-"),
        )

    def markup(self, inlines: Sequence[d.Inline]) -> str:
        out: list[str] = []
        for node in inlines:
            match node:
                case d.Text(text=text):
                    out.append(escape(_CONTROL.sub("", text), _QUOTES))
                case d.Strong(children=children):
                    out.append(f"<b>{self.markup(children)}</b>")
                case d.Emphasis(children=children):
                    out.append(f"<i>{self.markup(children)}</i>")
                case d.Link(url=url, children=children):
                    href = escape(_CONTROL.sub("", url), _QUOTES)
                    label = self.markup(children) or href
                    out.append(f'<a href="{href}" color="{self.colours.link}">{label}</a>')
                case d.LineBreak():
                    out.append("<br/>")
                case _:
                    assert_never(node)
        return "".join(out)

    def para(self, inlines: Sequence[d.Inline], role: str, outline: int | None = None) -> _Para:
        p = _Para(self.markup(inlines), self.styles[role])
        if outline is not None:  # read back by _BriefTemplate.afterFlowable
            p._briefgen_outline = (d.plain_text(tuple(inlines)), outline)
            self.outlined.append(p)
            p._briefgen_key = f"outline{len(self.outlined)}"  # in the file: no id() here
        return p

    def rule(self, space_before: float, space_after: float) -> rl.HRFlowable:
        return rl.HRFlowable(width="100%", thickness=0.6, color=HexColor(self.colours.rule),
                             spaceBefore=space_before, spaceAfter=space_after)

    def blocks(self, blocks: Sequence[d.Block], depth: int = 0) -> list[rl.Flowable]:
        out: list[rl.Flowable] = []
        for block in blocks:
            match block:
                case d.TitleBlock():
                    out.extend(self.title_block(block))
                case d.Heading(level=level, children=children):
                    level = min(max(level, 1), 3)
                    out.append(self.para(children, f"heading-{level}", outline=level))
                    if level == 1:
                        out.append(self.rule(0, self.theme.role("heading-1").space_after))
                        out[-1].keepWithNext = 1
                case d.Paragraph(children=children):
                    out.append(self.para(children, "list-item" if depth else "body"))
                case d.BulletList() | d.NumberedList():
                    if block.items:
                        out.append(self.list(block, depth))
                case d.Table():
                    if block.header:
                        out.append(self.table(block))
                case d.PageBreak():  # not at a page's top: no blank page after a landscape one
                    out.append(rl.PageBreakIfNotEmpty())
                case d.Timeline():
                    out.extend(timeline_flowables(block, self.theme, self.fonts, "page"))
                case d.TableOfContents():
                    out.extend(contents_flowables(block, self))
                case _:
                    assert_never(block)
        return out

    def title_block(self, block: d.TitleBlock) -> list[rl.Flowable]:
        out: list[rl.Flowable] = [self.para(block.title, "title", outline=0)]
        if block.subtitle:
            out.append(self.para(block.subtitle, "subtitle"))
        if block.fields:
            labels = [d.Text(f.label) for f in block.fields]
            style = self.styles["field-label"]
            widest = max(pdfmetrics.stringWidth(t.text, style.fontName, style.fontSize)
                         for t in labels)
            rows = [[self.para((t,), "field-label"), self.para(f.value, "field-value")]
                    for t, f in zip(labels, block.fields, strict=True)]
            out.append(rl.Table(rows, colWidths=[min(widest + 12, 170), "*"], hAlign="LEFT",
                                style=[("FONTNAME", (0, 0), (-1, -1), self.fonts.regular),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                       ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                       ("TOPPADDING", (0, 0), (-1, -1), 1),
                                       ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))
        out.append(self.rule(6, 8))
        return out

    def list(self, block: d.BulletList | d.NumberedList, depth: int) -> rl.Flowable:
        style = self.styles["list-item"]
        size = style.fontSize
        common: dict[str, Any] = dict(bulletFontName=self.fonts.regular, bulletFontSize=size,
                                      bulletColor=style.textColor, spaceAfter=style.spaceAfter)
        items = [rl.ListItem(self.blocks(item.blocks, depth + 1) or [_Para("", style)])
                 for item in block.items]
        if isinstance(block, d.NumberedList):
            last = f"{block.start + len(block.items) - 1}."
            indent = max(size * 1.8, pdfmetrics.stringWidth(last, self.fonts.regular, size) + 6)
            return rl.ListFlowable(items, bulletType="1", start=block.start,
                                   bulletFormat="%s.", leftIndent=indent, **common)
        return rl.ListFlowable(items, bulletType="bullet", leftIndent=size * 1.5,
                               start=_BULLETS[depth % len(_BULLETS)], **common)

    def table(self, block: d.Table) -> rl.Flowable:
        columns = len(block.header)
        total = sum(block.widths)
        if len(block.widths) == columns and total > 0:
            weights = [w / total for w in block.widths]
        else:  # the reader gave no (usable) widths: share the width equally
            weights = [1 / columns] * columns
        data = [[self.para(cell, "table-header") for cell in block.header]]
        data += [[self.para(cell, "table-cell") for cell in row] for row in block.rows]
        style: list[tuple[Any, ...]] = [
            ("FONTNAME", (0, 0), (-1, -1), self.fonts.regular),
            *table_commands(self.theme),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]
        # Percentages resolve against the space where the table lands, e.g. inside a list item;
        # repeatRows repeats the header on every page, splitInRow lets a tall row break.
        return rl.Table(data, colWidths=[f"{w * 100:.4f}%" for w in weights], repeatRows=1,
                        splitInRow=1, hAlign="LEFT", style=style, spaceBefore=2, spaceAfter=10)


@dataclass(frozen=True)
class _Chrome:
    """What every page carries outside the frame: marking banners, footer text, page label."""

    info: d.DocumentInfo
    footer: str
    page: tuple[float, float]
    margins: tuple[float, float, float, float]  # top, right, bottom, left in points
    marking: tuple[str, float, Color]  # font, size, colour
    label: tuple[str, float, Color]
    header: HeaderChrome | None = None  # the theme's header text and logo

    def draw(self, canvas: Canvas, page: int, pages: int) -> None:
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
        canvas.setFont(font, size)
        canvas.setFillColor(colour)
        canvas.drawRightString(x_right, y, label)
        canvas.drawString(left, y, _fit(self.footer, font, size, room))
        if text:
            canvas.setFont(mark_font, mark_size)
            canvas.setFillColor(mark_colour)
            canvas.drawCentredString(centre, height - top / 2 - mark_size * 0.35, text)
            canvas.drawCentredString(centre, mark_y, text)
        if self.header is not None:
            mark_w = canvas.stringWidth(text, mark_font, mark_size) if text else 0
            self.header.draw(canvas, (width, height), self.margins, mark_w)
        canvas.restoreState()


@lru_cache(maxsize=256)  # every page draws the same footer
def _fit(text: str, font: str, size: float, room: float) -> str:  # cut with … to fit the room
    if pdfmetrics.stringWidth(text, font, size) <= room:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text.rstrip() + "…" if text else ""


class _BriefCanvas(Canvas):  # type: ignore[misc]
    """Holds every page until save(), when the page count is known for "Page X of Y"."""

    def __init__(self, *args: Any, chrome: _Chrome, **kwargs: Any) -> None:
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
            self._chrome.draw(self, self._pageNumber, len(self._held))
            super().showPage()
        super().save()


class _KeepWithNext(rl.KeepTogether):  # type: ignore[misc]
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


class _BriefTemplate(rl.BaseDocTemplate):  # type: ignore[misc]
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


def write_pdf(document: d.Document, theme: Theme) -> bytes:
    """Render the document as PDF with the theme's fonts, colours and page set-up."""
    fonts = _register_fonts(theme)
    info, page = document.info, theme.page
    width, height = A4 if page.size == "A4" else LETTER
    top, right, bottom, left = (m * mm for m in (page.margin_top, page.margin_right,
                                                 page.margin_bottom, page.margin_left))

    def chrome_font(role: str, colour: str) -> tuple[str, float, Color]:
        r = theme.role(role)
        return fonts.face(r.bold, r.italic), r.size, HexColor(r.colour or colour)

    # The marking takes its level's colour (colours.markings) over the marking role's.
    marking = (*chrome_font("marking", "#000000")[:2], HexColor(theme.marking_colour(info.marking)))
    chrome = _Chrome(info, theme.footer_text or info.title, (width, height),
                     (top, right, bottom, left), marking,
                     chrome_font("footer", theme.colours.text),
                     header_chrome(theme, chrome_font("header", theme.colours.text)))
    body_height = height - top - bottom
    frame = rl.Frame(left, bottom, width - left - right, body_height, id="body",
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    out = io.BytesIO()
    doc = _BriefTemplate(
        out, pagesize=(width, height),
        pageTemplates=[rl.PageTemplate("page", [frame]), landscape_template(theme)],
        leftMargin=left, rightMargin=right, topMargin=top, bottomMargin=bottom,
        title=info.title, author=info.author, subject=info.subject,
        keywords=list(info.keywords), creator="briefgen", lang=info.language or None,
        invariant=1, pageCompression=1, displayDocTitle=1,
        initialFontName=fonts.regular, initialFontSize=theme.role("body").size,
        keepTogetherClass=partial(_KeepWithNext, room=body_height * _MIN_ROOM),
    )
    story = [*title_logo(theme), *_Writer(theme, fonts).blocks(document.blocks)]
    try:
        doc.build(story, canvasmaker=partial(_BriefCanvas, chrome=chrome))
    except rl.LayoutError as exc:
        hint = "something is too large for one page; split it or use smaller margins"
        raise WriterError(f"the PDF layout failed: {exc}", hint=hint) from exc
    return out.getvalue()
