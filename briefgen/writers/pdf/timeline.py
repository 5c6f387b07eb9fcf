"""The timeline in PDF: a vector chart that splits between rows and repeats its axis per page."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any, NamedTuple, Protocol

from reportlab import platypus as rl
from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from briefgen import document as d
from briefgen import timeline as tl
from briefgen import timeline_labels as tlabels
from briefgen.tagging import timeline_alt
from briefgen.theme import Theme
from briefgen.writers.pdf.replay import RecordingFrame
from briefgen.writers.pdf.structure import Element, Tagged, TaggedParagraph

LANDSCAPE = "landscape"  # the page template a wide timeline sits on
_PAD = 3.0  # points above and below a row's contents
_NAME_PAD = 5.0  # points left and right of a name, as in a table cell


class Fonts(Protocol):
    def face(self, bold: bool, italic: bool) -> str: ...


def landscape_template(theme: Theme) -> rl.PageTemplate:
    """The landscape page: the paper turned, each margin staying on its side."""
    page = theme.page
    width, height = page.size_points
    left, right, top, bottom = (
        m * mm for m in (page.margin_left, page.margin_right, page.margin_top, page.margin_bottom)
    )
    frame = RecordingFrame(
        left,
        bottom,
        height - left - right,
        width - top - bottom,
        id=LANDSCAPE,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    return rl.PageTemplate(LANDSCAPE, [frame], pagesize=(height, width))


def timeline_flowables(
    block: d.Timeline, theme: Theme, fonts: Fonts, main: str, parent: Element, level: int
) -> list[rl.Flowable]:
    """Caption, chart, legend and the undated initiatives; a wide chart on landscape pages.

    In the structure: the title a heading at `level`, the chart a Figure with alternative text,
    the legend and the undated initiatives paragraphs."""
    look = _Look.of(theme, fonts)
    plan = tl.plan(block, *tl.text_widths(theme.page), look.size)
    out: list[rl.Flowable] = []
    if block.title:
        caption = theme.role("field-label")
        out.append(
            _tagged_para(
                parent.add(f"H{level}"),
                escape(block.title, quote=False),
                ParagraphStyle(
                    "timeline-title",
                    fontName=fonts.face(caption.bold, caption.italic),
                    fontSize=caption.size,
                    leading=caption.size * caption.leading,
                    textColor=HexColor(caption.colour or theme.colours.text),
                    spaceBefore=6,
                    spaceAfter=4,
                    keepWithNext=1,
                ),
            )
        )
    if plan is not None:
        chart = _Chart(plan, (), block.marker, look, block.name_header)
        dated = [r for r in block.rows if r.dated]
        days = [
            day
            for r in dated
            for day in (r.start, r.end, *(m.date for m in r.milestones))
            if day is not None
        ]
        alt = timeline_alt(
            len(dated), min(days, default=None), max(days, default=None), block.marker
        )
        whole = _Chart(
            plan, tuple(chart.layout(r) for r in dated), block.marker, look, block.name_header
        )
        whole.briefgen_tag = parent.add("Figure", alt=alt)
        out.append(whole)
        legend = [
            f'<font color="{look.colours["milestone"]}">\u2666</font> '
            f"{escape(block.milestone_label, quote=False)}"
        ]
        if block.marker and block.marker_label:
            legend.append(
                f'<font color="{look.colours["marker"]}">\u2502</font> '
                f"{escape(block.marker_label, quote=False)}"
            )
        if block.previous_label and any(r.previous is not None for r in dated):
            legend.append(
                f'<font color="{look.colours["previous"]}">\u25a1</font> '
                f"{escape(block.previous_label, quote=False)}"
            )
        out.append(
            _tagged_para(parent.add("P"), "\u2003\u2003".join(legend), look.style(space_before=4))
        )
    undated = tl.undated(block)
    if undated:
        items = "; ".join(
            escape(r.label, quote=False)
            + (f" ({escape(r.cadence, quote=False)})" if r.cadence else "")
            for r in undated
        )
        out.append(
            _tagged_para(
                parent.add("P"),
                f"<b>{escape(block.undated_label, quote=False)}:</b> {items}",
                look.style(space_before=3),
            )
        )
    if plan is not None and plan.landscape:
        return [
            rl.NextPageTemplate(LANDSCAPE),
            rl.PageBreak(),
            *out,
            rl.NextPageTemplate(main),
            rl.PageBreak(),
        ]
    return out


def _tagged_para(element: Element, markup: str, style: ParagraphStyle) -> rl.Paragraph:
    para = TaggedParagraph(markup, style)
    para.briefgen_tag = element
    return para


@dataclass(frozen=True)
class _Look:
    regular: str
    bold: str
    size: float
    colours: dict[str, str]

    @classmethod
    def of(cls, theme: Theme, fonts: Fonts) -> _Look:
        size = tl.text_size(theme.role("timeline").size)
        return cls(
            fonts.face(False, False), fonts.face(True, False), size, tl.palette(theme.colours)
        )

    def style(self, **extra: Any) -> ParagraphStyle:
        # No widows or orphans: a lone line of the undated list on a page of its own reads badly.
        return ParagraphStyle(
            "timeline",
            fontName=self.regular,
            fontSize=self.size,
            leading=self.size * 1.25,
            textColor=HexColor(self.colours["text"]),
            allowWidows=0,
            allowOrphans=0,
            **extra,
        )

    def colour(self, name: str) -> Any:
        return HexColor(self.colours[name])


class _PlacedLabel(NamedTuple):
    text: str
    tick: float  # the milestone's x
    left: float  # where the text starts
    lane: int


@dataclass(frozen=True)
class _Row:
    """A dated row laid out: its name, bar, milestone labels and height."""

    row: d.TimelineRow
    name: rl.Paragraph
    name_height: float
    labels: tuple[_PlacedLabel, ...]
    ticks: tuple[float, ...]  # the milestones' x
    height: float


class _Chart(Tagged, rl.Flowable):  # type: ignore[misc]
    """Names on the left, the time axis on top, one band per initiative below it."""

    def __init__(
        self, plan: tl.Plan, rows: tuple[_Row, ...], marker: Any, look: _Look, name_header: str
    ) -> None:
        super().__init__()
        self.plan, self.rows, self.marker, self.look = plan, rows, marker, look
        self.name_header = name_header
        self.line = look.size * 1.3
        self.header = self.line * (2 if any(g.label for g in plan.groups) else 1) + 2

    # Layout ------------------------------------------------------------------------------
    def layout(self, row: d.TimelineRow) -> _Row:
        look, plan = self.look, self.plan
        name = rl.Paragraph(escape(row.label, quote=False), look.style())
        _, name_height = name.wrap(plan.name_width - 2 * _NAME_PAD, 10_000)
        size = look.size
        labels: list[_PlacedLabel] = []
        # Boxes, lanes and order as the DOCX has them (timeline_labels): clear of each other,
        # of leaders and of the meeting line; the text starts (or ends) at its box's edge.
        for box in tlabels.place(plan, row, look.size, self.marker):
            width = stringWidth(box.text, look.regular, size)
            left = box.x0 if box.align == "left" else box.x1 - width
            labels.append(_PlacedLabel(box.text, box.tick, max(left, 0.0), box.lane))
        lanes = max((label.lane + 1 for label in labels), default=0)
        band = look.size * 1.3 + lanes * size * 1.2
        height = _PAD * 2 + max(name_height, band)
        ticks = tuple(self.tick(m.date) for m in row.milestones)
        return _Row(row, name, name_height, tuple(labels), ticks, height)

    def tick(self, day: Any) -> float:
        """Where a milestone on a day sits, in points from the time axis' start: mid-day."""
        return tlabels.tick(self.plan, day)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = self.plan.width
        self.height = self.header + sum(r.height for r in self.rows)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[rl.Flowable]:
        room, count = availHeight - self.header, 0
        for row in self.rows:
            if room < row.height:
                break
            room -= row.height
            count += 1
        if count == 0 or count == len(self.rows):
            return []
        if count == len(self.rows) - 1:  # never one row alone under the repeated axis
            count -= 1
            if count < 2:
                return []
        parts = [
            _Chart(self.plan, part, self.marker, self.look, self.name_header)
            for part in (self.rows[:count], self.rows[count:])
        ]
        for part in parts:  # one Figure however many pages the chart runs over
            part.briefgen_tag = self.briefgen_tag
        return parts

    # Drawing -----------------------------------------------------------------------------
    def draw(self) -> None:
        canvas: Canvas = self.canv
        plan, look = self.plan, self.look
        top = self.height - self.header
        canvas.saveState()
        y = top
        for index, row in enumerate(self.rows):  # stripes first, so grid lines show on them
            y -= row.height
            if index % 2:
                canvas.setFillColor(look.colour("stripe"))
                canvas.rect(0, y, plan.width, row.height, stroke=0, fill=1)
        self._grid(canvas, top)
        self._axis(canvas, top)
        y = top
        for row in self.rows:
            self._row(canvas, row, y)
            y -= row.height
        if self.marker is not None and plan.ticks[0].start <= self.marker < plan.ticks[-1].end:
            x = plan.name_width + self.tick(self.marker)
            canvas.setStrokeColor(look.colour("marker"))
            canvas.setLineWidth(1.1)
            canvas.setDash(3, 2)
            canvas.line(x, 0, x, self.height)
        canvas.restoreState()

    def _grid(self, canvas: Canvas, top: float) -> None:
        plan, look = self.plan, self.look
        starts = {g.first for g in plan.groups}
        canvas.setStrokeColor(look.colour("grid"))
        for index in range(len(plan.ticks) + 1):
            x = plan.name_width + index * plan.column_width
            canvas.setLineWidth(0.7 if index in starts or index == len(plan.ticks) else 0.25)
            canvas.line(x, 0, x, top)
        canvas.setLineWidth(0.7)
        canvas.line(0, 0, plan.width, 0)

    def _axis(self, canvas: Canvas, top: float) -> None:
        plan, look, line = self.plan, self.look, self.line
        canvas.setFillColor(look.colour("header"))
        canvas.rect(0, top, plan.width, self.header, stroke=0, fill=1)
        canvas.setFillColor(look.colour("header_text"))
        canvas.setFont(look.bold, look.size)
        base = top + (self.header - look.size) / 2 + look.size * 0.2
        canvas.drawString(_NAME_PAD, base, self._fit(self.name_header, plan.name_width))
        # Text in reading order (groups, then columns), as the DOCX table holds it.
        tick_y = top + 1 + (line - look.size) / 2 + look.size * 0.2
        canvas.setStrokeColor(look.colour("header_text"))
        canvas.setLineWidth(0.5)
        for group in plan.groups:
            x = plan.name_width + group.first * plan.column_width
            if group.first:
                canvas.line(x, top, x, top + self.header)
            if group.label:
                canvas.drawCentredString(
                    x + group.count * plan.column_width / 2, tick_y + line, group.label
                )
        canvas.setFont(look.regular, look.size)
        for index, tick in enumerate(plan.ticks):
            if tick.label:
                x = plan.name_width + (index + 0.5) * plan.column_width
                canvas.drawCentredString(x, tick_y, tick.label)

    def _fit(self, text: str, width: float) -> str:
        while text and stringWidth(text, self.look.bold, self.look.size) > width - 2 * _NAME_PAD:
            text = text[:-1]
        return text

    def _row(self, canvas: Canvas, laid: _Row, top: float) -> None:
        plan, look = self.plan, self.look
        laid.name.drawOn(canvas, _NAME_PAD, top - _PAD - laid.name_height)
        column, x0 = plan.column_width, plan.name_width
        bar = look.size * 0.95
        centre = top - _PAD - look.size * 1.3 / 2
        span = plan.span(laid.row)
        if span is not None:
            # An open end is an arrowhead inside the axis: the initiative runs on past it.
            tip = bar * 0.8
            start = x0 + span[0] * column + (tip if laid.row.start is None else 0)
            end = x0 + span[1] * column - (tip if laid.row.end is None else 0)
            end = max(end, start + 2)
            canvas.setFillColor(look.colour("bar"))
            canvas.setStrokeColor(look.colour("bar_edge"))
            canvas.setLineWidth(0.6)
            canvas.roundRect(start, centre - bar / 2, end - start, bar, bar / 4, stroke=1, fill=1)
            canvas.setFillColor(look.colour("bar_edge"))
            for open_end, x, way in (
                (laid.row.end is None, end, 1),
                (laid.row.start is None, start, -1),
            ):
                if open_end:
                    path = canvas.beginPath()
                    path.moveTo(x, centre + tip)
                    path.lineTo(x + way * tip, centre)
                    path.lineTo(x, centre - tip)
                    path.close()
                    canvas.drawPath(path, stroke=0, fill=1)
        was = plan.previous_span(laid.row)
        if was is not None:
            # A redline's old extent: a dashed outline in the deletion colour, over the new bar.
            start, end = x0 + was[0] * column, max(x0 + was[1] * column, x0 + was[0] * column + 2)
            canvas.setStrokeColor(look.colour("previous"))
            canvas.setLineWidth(0.9)
            canvas.setDash(2, 1.5)
            canvas.rect(start, centre - bar / 2 - 1, end - start, bar + 2, stroke=1, fill=0)
            canvas.setDash()
        size = look.size
        canvas.setFont(look.regular, size)
        for text, tick, left, lane in laid.labels:
            baseline = top - _PAD - look.size * 1.3 - (lane + 1) * size * 1.2 + size * 0.25
            canvas.setStrokeColor(look.colour("milestone"))
            canvas.setLineWidth(0.4)
            canvas.line(x0 + tick, centre, x0 + tick, baseline - size * 0.2)
            canvas.setFillColor(look.colour("text"))
            canvas.drawString(x0 + left, baseline, text)
        half = bar * 0.7
        for tick in laid.ticks:
            path = canvas.beginPath()
            x = x0 + tick
            path.moveTo(x, centre + half)
            path.lineTo(x + half, centre)
            path.lineTo(x, centre - half)
            path.lineTo(x - half, centre)
            path.close()
            canvas.setFillColor(look.colour("milestone"))
            canvas.setStrokeColor(HexColor("#FFFFFF"))
            canvas.setLineWidth(0.5)
            canvas.drawPath(path, stroke=1, fill=1)
