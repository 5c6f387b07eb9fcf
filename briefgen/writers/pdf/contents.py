"""The table of contents in PDF: laid out in one pass, its page numbers filled in at the end.

An entry's height never depends on its page number, so the contents are laid out with the rest
of the document and each number is a form XObject drawn in place but defined when the file is
saved, once every page is known: one layout pass instead of reportlab's multiBuild. Entries
link to the same destinations as the outline.
"""

from __future__ import annotations

from html import escape
from typing import Any, Protocol

from reportlab import platypus as rl
from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas

from briefgen import document as d
from briefgen.writers.pdf.page import OutlineEntry
from briefgen.writers.pdf.structure import Element, Tagged

_NUMBER_WIDTH = 30.0  # points kept for the page number at the right
_INDENT = 14.0  # points per level


class Writer(Protocol):
    """What the PDF writer offers: its styles, the outline entries so far, a paragraph, and
    where each table of contents records the pages of its entries."""

    styles: dict[str, ParagraphStyle]
    outlined: list[OutlineEntry]
    contents_pages: list[list[int]]

    levels: Any
    theme: Any

    def rule(self, space_before: float, space_after: float) -> rl.HRFlowable: ...

    def para(
        self,
        inlines: tuple[d.Inline, ...],
        role: str,
        outline: int | None = None,
        tag: Element | None = None,
    ) -> rl.Paragraph: ...


def contents_flowables(
    block: d.TableOfContents, writer: Writer, parent: Element
) -> list[rl.Flowable]:
    """The title and the entries: title blocks and headings up to `block.depth` after here.

    In the structure: the title a heading, the entries a TOC of TOCI, each with its Link."""
    out: list[rl.Flowable] = []
    if block.title:
        tag = parent.add(f"H{writer.levels.heading(1)}")
        out.append(writer.para(block.title, "heading-1", tag=tag))
        # A heading 1 in both formats, so ruled like one (the DOCX style carries the rule).
        out.append(writer.rule(0, writer.theme.role("heading-1").space_after))
        out[-1].keepWithNext = 1
    pages: list[int] = []
    writer.contents_pages.append(pages)
    out.append(
        _Contents(
            writer.outlined,
            len(writer.outlined),
            block.depth,
            writer.styles["body"],
            pages,
            parent.add("TOC"),
        )
    )
    return out


class _Contents(rl.Flowable):  # type: ignore[misc]
    """Stands in the story for entries that do not exist yet: the headings after it are made
    later. When laid out, it splits into one line per entry, so long contents run on."""

    def __init__(
        self,
        outlined: list[OutlineEntry],
        start: int,
        depth: int,
        style: ParagraphStyle,
        pages: list[int],
        toc: Element,
    ) -> None:
        super().__init__()
        self.outlined, self.start, self.depth, self.style = outlined, start, depth, style
        self.pages, self.toc = pages, toc

    def _lines(self) -> list[rl.Flowable]:
        targets = [e for e in self.outlined[self.start :] if e.level <= self.depth]
        # Form names end up in the file: made from positions, never from id().
        return [
            _Line(p, f"contents{self.start}-{number}", self.style, self.pages, self.toc)
            for number, p in enumerate(targets)
        ]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # Taller than any frame, so that the frame asks for split() and flows the lines.
        return availWidth, (availHeight + 1 if self._lines() else 0)

    def split(self, availWidth: float, availHeight: float) -> list[rl.Flowable]:
        return self._lines()

    def draw(self) -> None:
        pass


class _Line(Tagged, rl.Flowable):  # type: ignore[misc]
    def __init__(
        self, target: OutlineEntry, name: str, style: ParagraphStyle, pages: list[int], toc: Element
    ) -> None:
        super().__init__()
        self.target, self.name, self.pages, self.toc = target, name, pages, toc
        text, level = target.text, target.level
        self.level = level
        markup = (
            escape(text, quote=False) if level else f"<b>{escape(text, quote=False)}</b>"
        )  # titles bold, as in DOCX
        self.para = rl.Paragraph(
            markup,
            ParagraphStyle(
                f"contents-{level}",
                parent=style,
                leftIndent=_INDENT * level,
                rightIndent=_NUMBER_WIDTH,
                spaceBefore=0,
                spaceAfter=0,
            ),
        )
        self.space = style.fontSize * (0.7 if level == 0 else 0.25)

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        # Entries are made at each layout attempt; only the one drawn becomes a TOCI.
        if self.briefgen_tag is None:
            self.briefgen_tag = self.toc.add("TOCI")
        super().drawOn(canvas, x, y, _sW)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _, height = self.para.wrap(availWidth, availHeight)
        self.width, self.height = availWidth, height + self.space
        return self.width, self.height

    def draw(self) -> None:
        canvas: Canvas = self.canv
        para, style = self.para, self.para.style
        para.drawOn(canvas, 0, 0)
        # Where reportlab puts the last line: its first baseline is one ascent below the top.
        lines = len(para.blPara.lines)
        baseline = para.height - style.fontSize * 0.9 - (lines - 1) * style.leading
        # Where the text ends: the line's room less what it left over.
        room = self.width - _INDENT * self.level - _NUMBER_WIDTH
        line = para.blPara.lines[-1]
        spare = line[0] if isinstance(line, tuple) else line.extraSpace
        last = _INDENT * self.level + room - spare
        canvas.saveState()
        canvas.setStrokeColor(HexColor("#808080"))
        canvas.setLineWidth(0.6)
        canvas.setDash(0.6, 2.4)  # a dotted leader, drawn: dots as text would be read out
        if self.width - _NUMBER_WIDTH > last + 6:
            canvas.line(last + 4, baseline, self.width - _NUMBER_WIDTH + 4, baseline)
        canvas.restoreState()
        name = self.name
        canvas.doForm(name)  # the page number, defined at save time
        # The target is laid out later; its destination name is known already.
        canvas.linkRect(
            self.target.text or "…",
            self.target.key,
            (0, 0, self.width, para.height),
            relative=1,
            thickness=0,
        )
        canvas.at_save.append(lambda c: self._number(c, name, baseline, style))

    def _number(self, canvas: Canvas, name: str, baseline: float, style: Any) -> None:
        """Define the page-number form; it is drawn where doForm stood, in this line's space."""
        page = self.target.page
        self.pages.append(page)
        canvas.beginForm(name)
        canvas.setFont(style.fontName, style.fontSize)
        canvas.setFillColor(style.textColor)
        canvas.drawRightString(self.width, baseline, str(page))
        canvas.endForm()
