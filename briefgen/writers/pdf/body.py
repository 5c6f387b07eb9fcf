"""The PDF writer's blocks: each Document block as reportlab flowables, tagged as it is made."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from reportlab import platypus as rl
from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from typing_extensions import assert_never

from briefgen import document as d
from briefgen.glyphs import drop_invisible
from briefgen.hyphenation import alignment, dictionary_for
from briefgen.tables import column_groups
from briefgen.tagging import HeadingLevels
from briefgen.theme import TEXT_ROLES, Theme, field_label_width
from briefgen.writers.pdf.breaks import Table
from briefgen.writers.pdf.contents import contents_flowables
from briefgen.writers.pdf.fonts import Fonts
from briefgen.writers.pdf.linebreaks import Relay
from briefgen.writers.pdf.lists import TaggedList
from briefgen.writers.pdf.page import (
    CHANGE_BAR,
    CHANGE_BAR_GAP,
    DELETED,
    INSERTED,
    OutlineEntry,
    Para,
)
from briefgen.writers.pdf.structure import Element, tagged
from briefgen.writers.pdf.theme import table_commands
from briefgen.writers.pdf.timeline import timeline_flowables

_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
_BULLETS = ("\u2022", "\u2013", "\u25e6")  # by nesting depth, like a word processor's defaults


def _marked_as(value: tuple[d.Inline, ...], label: tuple[d.Inline, ...]) -> tuple[d.Inline, ...]:
    """A field's label, inserted or deleted with its value when that went whole."""
    kind = d.change_of(value)
    return (kind(label),) if kind is not None else label


class _ChangedPara(Para):
    """A paragraph with a redline's changes: a bar in the left margin beside every line that
    holds inserted (underlined) or deleted (struck) text."""

    def draw(self) -> None:
        super().draw()
        lines = getattr(self.blPara, "lines", ())
        if getattr(self.blPara, "kind", 0) != 1:
            return  # a paragraph with no markup at all has no changes either
        canvas, leading = self.canv, self.style.leading
        # Just left of the frame, wherever the paragraph sits (a list item, a table cell).
        frame_left = self.canv._doctemplate.frame._x1
        x = frame_left - CHANGE_BAR_GAP - canvas.absolutePosition(0, 0)[0]
        canvas.saveState()
        canvas.setStrokeColor(HexColor(CHANGE_BAR))
        canvas.setLineWidth(1.6)
        for index, line in enumerate(lines):
            if any(getattr(frag, "us_lines", None) for frag in line.words):
                top = self.height - index * leading
                canvas.line(x, top - leading, x, top)
        canvas.restoreState()


class FlowableWriter:
    """Turns blocks into flowables with the theme's styles; one instance per PDF."""

    def __init__(
        self,
        theme: Theme,
        fonts: Fonts,
        root: Element,
        language: str = "en",
        relay: Relay | None = None,
    ) -> None:
        self.theme, self.fonts, self.colours = theme, fonts, theme.colours
        self.language = language
        # A runt brief's second layout takes each paragraph's parse and lines from the first's.
        self.relay = relay or Relay()
        self.changes = 0  # a redline's insertions and deletions marked up so far
        self.outlined: list[OutlineEntry] = []  # in document order, for a table of contents
        self.contents_pages: list[list[int]] = []  # per table of contents, filled at save
        self.text_width = 0.0  # of the portrait page, in points: where wide tables split
        # The structure tree, made from the Document as the flowables are (see structure.py).
        self.root, self.levels = root, HeadingLevels()
        self.styles = {role: self._style(role, theme.role_colour(role)) for role in TEXT_ROLES}
        # Heading 1 is underlined by a rule; the role's space below goes under the rule instead.
        self.styles["heading-1"].spaceAfter = 2

    def _style(self, role: str, colour: str) -> ParagraphStyle:
        r = self.theme.role(role)
        align = alignment(r.align, self.language)  # justified only where words hyphenate
        hyphenate = (
            {"hyphenationLang": dictionary_for(self.language) or "", "embeddedHyphenation": 1}
            if align == "justify"
            else {}
        )
        return ParagraphStyle(
            role,
            fontName=self.fonts.face(r.bold, r.italic),
            fontSize=r.size,
            leading=r.size * r.leading,
            textColor=HexColor(colour),
            spaceBefore=r.space_before,
            spaceAfter=r.space_after,
            alignment=_ALIGN[align],
            **hyphenate,
            # Long words and URLs break mid-word rather than overflow. (uriWasteReduce would
            # break at '/' first, but reportlab 5.1 then leaves the rest unsplit and overflowing.)
            splitLongWords=1,
            keepWithNext=role.startswith("heading-"),
            allowWidows=0,  # a paragraph's last line never alone at a page's top
        )

    def markup(self, inlines: Sequence[d.Inline], links: dict[str, str] | None = None) -> str:
        out: list[str] = []
        for node in inlines:
            match node:
                case d.Text(text=text):
                    # Joiners and direction marks serve a shaper reportlab lacks: not drawn.
                    out.append(escape(drop_invisible(text)))
                case d.Strong(children=children):
                    out.append(f"<b>{self.markup(children, links)}</b>")
                case d.Emphasis(children=children):
                    out.append(f"<i>{self.markup(children, links)}</i>")
                case d.Link(url=url, children=children):
                    href = escape(url)  # quotes too: it is an attribute's value
                    if links is not None:  # the link's words, for its annotation's /Contents
                        links[url] = d.plain_text(children) or url
                    label = self.markup(children, links) or href
                    out.append(f'<a href="{href}" color="{self.colours.link}">{label}</a>')
                case d.LineBreak():
                    out.append("<br/>")
                case d.Insertion(children=children):
                    self.changes += 1
                    out.append(
                        f'<font color="{INSERTED}"><u color="{INSERTED}" width="0.8" '
                        f'offset="-1.6">{self.markup(children)}</u></font>'
                    )
                case d.Deletion(children=children):
                    self.changes += 1
                    out.append(
                        f'<font color="{DELETED}"><strike color="{DELETED}" width="0.8">'
                        f"{self.markup(children)}</strike></font>"
                    )
                case _:
                    assert_never(node)
        return "".join(out)

    def para(
        self,
        inlines: Sequence[d.Inline],
        role: str,
        outline: int | None = None,
        tag: Element | None = None,
    ) -> Para:
        links: dict[str, str] = {}
        seen = self.changes
        text = self.markup(inlines, links)
        # A changed paragraph draws change bars; the class test is cheaper than every draw.
        kind = _ChangedPara if self.changes != seen else Para
        p = self.relay.paragraph(kind, text, self.styles[role])
        if tag is not None:
            tag.links.update(links)
            tagged(p, tag)
        if outline is not None:  # read back by BriefTemplate.afterFlowable
            key = f"outline{len(self.outlined) + 1}"
            p.entry = OutlineEntry(d.plain_text(tuple(inlines)), outline, key)
            self.outlined.append(p.entry)
        return p

    def rule(self, space_before: float, space_after: float) -> rl.HRFlowable:
        return rl.HRFlowable(
            width="100%",
            thickness=0.6,
            color=HexColor(self.colours.rule),
            spaceBefore=space_before,
            spaceAfter=space_after,
        )

    def blocks(
        self, blocks: Sequence[d.Block], parent: Element, depth: int = 0
    ) -> list[rl.Flowable]:
        out: list[rl.Flowable] = []
        for block in blocks:
            match block:
                case d.TitleBlock():
                    out.extend(self.title_block(block, parent))
                case d.Heading(level=level, children=children):
                    level = min(max(level, 1), 3)
                    tag = parent.add(f"H{self.levels.heading(level)}")
                    out.append(self.para(children, f"heading-{level}", outline=level, tag=tag))
                    if level == 1:
                        out.append(self.rule(0, self.theme.role("heading-1").space_after))
                        out[-1].keepWithNext = 1
                case d.Paragraph(children=children):
                    out.append(
                        self.para(children, "list-item" if depth else "body", tag=parent.add("P"))
                    )
                case d.BulletList() | d.NumberedList():
                    if block.items:
                        out.append(self.list(block, depth, parent.add("L")))
                case d.Table():
                    size = self.theme.role("table-cell").size
                    for part in column_groups(block, self.text_width, size) if block.header else []:
                        out.append(self.table(part, parent.add("Table")))
                case d.PageBreak():  # not at a page's top: no blank page after a landscape one
                    out.append(rl.PageBreakIfNotEmpty())
                case d.Timeline():
                    level = self.levels.below() if block.title else 0
                    out.extend(
                        timeline_flowables(block, self.theme, self.fonts, "page", parent, level)
                    )
                case d.TableOfContents():
                    out.extend(contents_flowables(block, self, parent))
                case _:
                    assert_never(block)
        return out

    def title_block(self, block: d.TitleBlock, parent: Element) -> list[rl.Flowable]:
        title = parent.add(f"H{self.levels.title()}")
        out: list[rl.Flowable] = [self.para(block.title, "title", outline=0, tag=title)]
        if block.subtitle:
            out.append(self.para(block.subtitle, "subtitle", tag=parent.add("P")))
        if block.fields:
            labels = [d.Text(f.label) for f in block.fields]
            style = self.styles["field-label"]
            widest = max(
                pdfmetrics.stringWidth(t.text, style.fontName, style.fontSize) for t in labels
            )
            table = parent.add("Table")
            rows = []
            for label, title_field in zip(labels, block.fields, strict=True):
                row = table.add("TR")
                rows.append(
                    [
                        self.para(
                            _marked_as(title_field.value, (label,)),
                            "field-label",
                            tag=row.add("TH", scope="Row"),
                        ),
                        self.para(title_field.value, "field-value", tag=row.add("TD")),
                    ]
                )
            # splitInRow: a field value longer than a page breaks across pages, like a cell.
            out.append(
                rl.Table(
                    rows,
                    colWidths=[field_label_width(widest), "*"],
                    hAlign="LEFT",
                    splitInRow=1,
                    style=[
                        ("FONTNAME", (0, 0), (-1, -1), self.fonts.regular),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("TOPPADDING", (0, 0), (-1, -1), 1),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                    ],
                )
            )
            # The rule closes the fields, as the DOCX field table's bottom border does; a
            # title alone (a pack's annex) has none in either format.
            out.append(self.rule(6, 8))
        return out

    def list(
        self, block: d.BulletList | d.NumberedList, depth: int, element: Element
    ) -> rl.Flowable:
        style = self.styles["list-item"]
        size = style.fontSize
        common: dict[str, Any] = dict(
            bulletFontName=self.fonts.regular,
            bulletFontSize=size,
            bulletColor=style.textColor,
            spaceAfter=style.spaceAfter,
        )
        items, labels = [], []
        for item in block.items:
            entry = element.add("LI")
            labels.append(entry.add("Lbl"))
            body = entry.add("LBody")
            items.append(
                rl.ListItem(self.blocks(item.blocks, body, depth + 1) or [Para("", style)])
            )
        if isinstance(block, d.NumberedList):
            last = f"{block.start + len(block.items) - 1}."
            indent = max(size * 1.8, pdfmetrics.stringWidth(last, self.fonts.regular, size) + 6)
            return TaggedList(
                labels,
                items,
                bulletType="1",
                start=block.start,
                bulletFormat="%s.",
                leftIndent=indent,
                nested=depth > 0,
                **common,
            )
        return TaggedList(
            labels,
            items,
            bulletType="bullet",
            leftIndent=size * 1.5,
            start=_BULLETS[depth % len(_BULLETS)],
            nested=depth > 0,
            **common,
        )

    def table(self, block: d.Table, element: Element) -> rl.Flowable:
        columns = len(block.header)
        total = sum(block.widths)
        if len(block.widths) == columns and total > 0:
            weights = [w / total for w in block.widths]
        else:  # the reader gave no (usable) widths: share the width equally
            weights = [1 / columns] * columns
        # One Table element however many pages it runs over; the header row repeated on the
        # next page is drawn again by the same flowables, so it stays an artifact there.
        head = element.add("THead").add("TR")
        data = [
            [
                self.para(cell, "table-header", tag=head.add("TH", scope="Column"))
                for cell in block.header
            ]
        ]
        body = element.add("TBody") if block.rows else None
        for row in block.rows:
            assert body is not None
            tr = body.add("TR")
            data.append([self.para(cell, "table-cell", tag=tr.add("TD")) for cell in row])
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
        return Table(
            data,
            colWidths=[f"{w * 100:.4f}%" for w in weights],
            repeatRows=1,
            splitInRow=1,
            hAlign="LEFT",
            style=style,
            spaceBefore=2,
            spaceAfter=10,
        )
