"""The timeline in DOCX: a table for structure, each initiative's band a DrawingML drawing.

Columns, axis labels, bars, milestones, labels and the meeting line all come from the plan the
PDF draws (briefgen.timeline, briefgen.timeline_labels), in points, so both formats put them in
the same places: a bar starts on its day, not on the column its day falls in. The table keeps
what a table does well in Word: the axis is real text in header rows that repeat on every page,
one row per initiative never splits, and the initiative's name is real text in its first cell.
The rest of the row is one inline drawing (bars, ♦ milestones, leaders, labels in text boxes,
the meeting line, a redline's old extent) whose alt text says what it shows. A wide timeline
gets a landscape section of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from itertools import count, pairwise

from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml.etree import SubElement

from briefgen import document as d
from briefgen import timeline as tl
from briefgen import timeline_labels as tlabels
from briefgen.tagging import timeline_alt
from briefgen.theme import Theme
from briefgen.writers.docx.accessibility import describe_table, outline_level
from briefgen.writers.docx.blocks import cell, grid, paragraph, run
from briefgen.writers.docx.drawing import Group
from briefgen.writers.docx.sections import break_section
from briefgen.writers.docx.theme import HEADER_DOCPR_ID

STYLE, AXIS, CHART = "TimelineText", "TimelineAxis", "TimelineChart"
_DIAMOND = "\u2666"
_PAD = 40  # twips left and right in an axis cell: narrow columns still fit "Jan" or "Q4"
# A band's geometry in points, as the PDF's (writers/pdf/timeline.py): padding above and
# below, the bar's line, each lane of labels, a name's line height.
_ROW_PAD, _NAME_PAD = 3.0, 5.0
_ASCENT = 1.04  # baseline below a text box's top, in ems: Liberation's ascent plus the extra
# leading Word and LibreOffice put above a line of "at least" 1.25 em


@cache  # tag names are built in every loop; qn splits and formats each time
def _w(tag: str) -> str:
    return qn(f"w:{tag}")


def write_timeline(
    block: d.Timeline,
    out: BaseOxmlElement,
    theme: Theme,
    text_width: int,
    level: int = 0,
    ids: count[int] | None = None,
) -> None:
    """Append caption, chart table, legend and undated initiatives.

    The caption is a heading at outline `level` (the PDF's H tag); the table says what the
    chart shows as its description (Word's alt text for a table), each band's drawing what it
    shows of its initiative. `text_width` (twips) is the page's; the chart takes the plan's.
    `ids` numbers the drawings: the document's `drawing_ids`, shared by its charts (else
    found anew)."""
    size = tl.text_size(theme.role("timeline").size)
    portrait, landscape = tl.text_widths(theme.page)
    plan = tl.plan(block, portrait, landscape, size)
    colours = tl.palette(theme.colours)
    if plan is not None and plan.landscape:
        break_section(out, landscape=False)
    if block.title:
        caption = paragraph(out, "FieldLabel")
        SubElement(caption.find(_w("pPr")), _w("keepNext"))
        SubElement(caption.find(_w("pPr")), _w("spacing"), {_w("before"): "120", _w("after"): "80"})
        run(caption, block.title)
        if level:
            outline_level(caption, level)
    if plan is not None:
        _Table(plan, colours, size, ids or drawing_ids(out)).write(out, block)
        legend = paragraph(out, STYLE)
        _coloured(legend, _DIAMOND, colours["milestone"])
        run(legend, f" {block.milestone_label}")
        if block.marker and block.marker_label:
            run(legend, "\u2003\u2003")
            _coloured(legend, "\u2502", colours["marker"])
            run(legend, f" {block.marker_label}")
        if block.previous_label and any(r.previous is not None for r in block.rows):
            run(legend, "\u2003\u2003")
            _coloured(legend, "\u25a1", colours["previous"])
            run(legend, f" {block.previous_label}")
    undated = tl.undated(block)
    if undated:
        p = paragraph(out, STYLE)
        run(p, f"{block.undated_label}:", bold=True)
        run(p, " " + "; ".join(r.label + (f" ({r.cadence})" if r.cadence else "") for r in undated))
    if plan is not None and plan.landscape:
        break_section(out, landscape=True)


def drawing_ids(out: BaseOxmlElement) -> count[int]:
    """Drawing ids after every one in the document so far (a logo, an earlier chart): the
    same document gives the same ids, and none is used twice.

    A chart uses every id it draws, in order, so one count shared by a document's charts goes
    on as this would after each: found once, not by walking the whole document per chart (a
    pack of a hundred meetings has a chart in most)."""
    taken = [int(e.get("id", "0")) for e in out.getroottree().iter(qn("wp:docPr"))]
    return count(max(taken, default=0) + 1)


def _coloured(p: BaseOxmlElement, text: str, colour: str) -> None:
    r = run(p, text)
    rpr = r.makeelement(_w("rPr"), {})
    SubElement(rpr, _w("color"), {_w("val"): colour[1:]})
    r.insert(0, rpr)


@dataclass(frozen=True)
class Band:
    """An initiative's row laid out, in points from the band's top-left (y down)."""

    height: float
    centre: float  # the bar's middle
    bar: float  # the bar's height
    boxes: tuple[tlabels.Box, ...]
    baselines: tuple[float, ...]  # per box


def band(plan: tl.Plan, row: d.TimelineRow, size: float, marker: dt.date | None) -> Band:
    """Where a row's parts go, as the PDF lays them out: the bar line, then a line per lane."""
    boxes = tuple(tlabels.place(plan, row, size, marker))
    lanes = max((box.lane + 1 for box in boxes), default=0)
    line, lane = size * 1.3, size * 1.2
    name = _name_lines(row.label, plan.name_width - 2 * _NAME_PAD, size) * size * 1.25
    height = 2 * _ROW_PAD + max(name, line + lanes * lane)
    baselines = tuple(_ROW_PAD + line + (box.lane + 1) * lane - size * 0.25 for box in boxes)
    return Band(height, _ROW_PAD + line / 2, size * 0.95, boxes, baselines)


def _name_lines(text: str, width: float, size: float) -> int:
    """Lines a name wraps to, words measured with the wider of the sans and serif metrics
    (those of the Liberation fonts), so its row is tall enough for it in Word too."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, current = 1, ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        wide = max(stringWidth(candidate, face, size) for face in ("Helvetica", "Times-Roman"))
        if current and wide + 1 > width:
            lines, current = lines + 1, word
        else:
            current = candidate
    return lines


class _Table:
    def __init__(
        self, plan: tl.Plan, colours: dict[str, str], size: float, ids: count[int]
    ) -> None:
        self.plan, self.colours, self.size, self.ids = plan, colours, size, ids
        # Column edges in twips from the plan's points: the axis cells and the drawings agree.
        width = plan.column_width
        edges = [round((plan.name_width + i * width) * 20) for i in range(len(plan.ticks) + 1)]
        self.name = edges[0]
        self.columns = [b - a for a, b in pairwise(edges)]
        self.marker: dt.date | None = None

    def write(self, out: BaseOxmlElement, block: d.Timeline) -> None:
        self.marker = block.marker
        tbl = grid(out, "BriefTable", [self.name, *self.columns], 0)
        dated = [r for r in block.rows if r.dated]
        days = [
            day
            for r in dated
            for day in (r.start, r.end, *(m.date for m in r.milestones))
            if day is not None
        ]
        describe_table(
            tbl,
            block.title or "Timeline",
            timeline_alt(
                len(dated), min(days, default=None), max(days, default=None), block.marker
            ),
        )
        tbl_pr = tbl.find(_w("tblPr"))
        tbl_pr.find(_w("tblLook")).set(_w("noHBand"), "1")  # stripes go per initiative
        margins = tbl_pr.makeelement(_w("tblCellMar"), {})
        for side, width in (("top", 10), ("left", _PAD), ("bottom", 10), ("right", _PAD)):
            SubElement(margins, _w(side), {_w("w"): str(width), _w("type"): "dxa"})
        tbl_pr.find(_w("tblLook")).addprevious(margins)
        # Rules down every axis column whatever the theme's table look, so the axis reads; in
        # the bands the drawing draws them. White ones across keep two bands apart.
        borders = tbl_pr.makeelement(_w("tblBorders"), {})
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            SubElement(
                borders,
                _w(side),
                {
                    _w("val"): "single",
                    _w("sz"): "2" if side == "insideV" else "6",
                    _w("space"): "0",
                    _w("color"): "FFFFFF" if side == "insideH" else self.colours["grid"][1:],
                },
            )
        tbl_pr.find(_w("tblLayout")).addprevious(borders)
        self.header(tbl, block.name_header)
        for index, row in enumerate(dated):
            self.initiative(tbl, row, self.colours["stripe"] if index % 2 else None)

    # Header --------------------------------------------------------------------------------
    def header(self, tbl: BaseOxmlElement, name: str) -> None:
        plan, fill = self.plan, self.colours["header"]
        two = any(g.label for g in plan.groups)
        if two:
            tr = self.row(tbl, header=True)
            self.text(self.cell(tr, self.name, fill, merge="restart"), name, bold=True)
            for group in plan.groups:
                width = sum(self.columns[group.first : group.first + group.count])
                tc = self.cell(tr, width, fill, span=group.count)
                self.text(tc, group.label, bold=True, align="center")
        tr = self.row(tbl, header=True)
        tc = self.cell(tr, self.name, fill, merge="continue" if two else None)
        self.text(tc, "" if two else name, bold=True)
        for index, tick in enumerate(plan.ticks):
            self.text(self.cell(tr, self.columns[index], fill), tick.label, align="center")

    # Body ----------------------------------------------------------------------------------
    def initiative(self, tbl: BaseOxmlElement, row: d.TimelineRow, stripe: str | None) -> None:
        laid = band(self.plan, row, self.size, self.marker)
        tr = self.row(tbl)
        # At least the PDF's band, never exactly: a name in another font, or one long word, may
        # take more lines in Word than the PDF's metrics say, and an exact row would clip it.
        # (LibreOffice sets an inline drawing a few points below a cell's top, so its rows
        # come out a little taller than the PDF's.)
        SubElement(
            tr.find(_w("trPr")),
            _w("trHeight"),
            {_w("val"): str(round(laid.height * 20)), _w("hRule"): "atLeast"},
        )
        name = self.cell(tr, self.name, stripe)
        margins = SubElement(name.find(_w("tcPr")), _w("tcMar"))
        for side, width in (("top", _ROW_PAD), ("left", _NAME_PAD), ("right", _NAME_PAD)):
            SubElement(margins, _w(side), {_w("w"): str(round(width * 20)), _w("type"): "dxa"})
        self.text(name, row.label, style=STYLE)
        chart = self.cell(tr, sum(self.columns), stripe, span=len(self.columns))
        margins = SubElement(chart.find(_w("tcPr")), _w("tcMar"))
        for side in ("top", "left", "bottom", "right"):
            SubElement(margins, _w(side), {_w("w"): "0", _w("type"): "dxa"})
        p = paragraph(chart, CHART)
        group = self.drawing(row, laid)
        number = next(self.ids)
        if number == HEADER_DOCPR_ID:  # the header logo's
            number = next(self.ids)
        group.inline(p, number, f"Timeline {row.label}"[:255], band_alt(row))

    def drawing(self, row: d.TimelineRow, laid: Band) -> Group:
        plan, colours, size = self.plan, self.colours, self.size
        column, width = plan.column_width, plan.width - plan.name_width
        group = Group(width, laid.height)
        starts = {g.first for g in plan.groups}
        for index in range(1, len(plan.ticks)):  # the axis' rules through the band
            rule = 0.7 if index in starts else 0.25
            group.line(index * column, 0, index * column, laid.height, colours["grid"], rule)
        centre, bar = laid.centre, laid.bar
        span = plan.span(row)
        if span is not None:
            # An open end is an arrowhead inside the axis: the initiative runs on past it.
            tip = bar * 0.8
            start = span[0] * column + (tip if row.start is None else 0)
            end = max(span[1] * column - (tip if row.end is None else 0), start + 2)
            group.rect(
                start,
                centre - bar / 2,
                end - start,
                bar,
                fill=colours["bar"],
                line=colours["bar_edge"],
                line_width=0.6,
                rounded=bar / 4,
            )
            for open_end, x, way in ((row.end is None, end, 1), (row.start is None, start, -1)):
                if open_end:
                    group.polygon(
                        [(x, centre - tip), (x + way * tip, centre), (x, centre + tip)],
                        colours["bar_edge"],
                    )
        was = plan.previous_span(row)
        if was is not None:  # a redline's old extent: dashed, in the deletion colour
            start, end = was[0] * column, max(was[1] * column, was[0] * column + 2)
            group.rect(
                start,
                centre - bar / 2 - 1,
                end - start,
                bar + 2,
                line=colours["previous"],
                line_width=0.9,
                dash="dash",
            )
        for box, baseline in zip(laid.boxes, laid.baselines, strict=True):
            group.line(box.tick, centre, box.tick, baseline + size * 0.2, colours["milestone"], 0.4)
            group.text(
                box.x0,
                baseline - _ASCENT * size,
                box.x1 - box.x0,
                size * 1.2,
                box.text,
                STYLE,
                box.align,
                size,
            )
        half = bar * 0.7
        for milestone in row.milestones:
            x = tlabels.tick(plan, milestone.date)
            group.polygon(
                [(x, centre - half), (x + half, centre), (x, centre + half), (x - half, centre)],
                colours["milestone"],
                "#FFFFFF",
            )
        line = tlabels.marker_x(plan, self.marker)
        if line is not None:
            group.line(line, 0, line, laid.height, colours["marker"], 1.1, dash="dash")
        return group

    # Cells ---------------------------------------------------------------------------------
    def row(self, tbl: BaseOxmlElement, header: bool = False) -> BaseOxmlElement:
        """A row that never splits; the header rows repeat on every page."""
        tr: BaseOxmlElement = SubElement(tbl, _w("tr"))
        tr_pr = SubElement(tr, _w("trPr"))
        SubElement(tr_pr, _w("cantSplit"))
        if header:
            SubElement(tr_pr, _w("tblHeader"))
        return tr

    def cell(
        self,
        tr: BaseOxmlElement,
        width: int,
        fill: str | None,
        *,
        span: int = 1,
        merge: str | None = None,
    ) -> BaseOxmlElement:
        tc = cell(tr, width)
        tc_pr = tc.find(_w("tcPr"))
        if span > 1:
            SubElement(tc_pr, _w("gridSpan"), {_w("val"): str(span)})
        if merge:
            SubElement(tc_pr, _w("vMerge"), {_w("val"): merge})
        if fill:
            SubElement(
                tc_pr, _w("shd"), {_w("val"): "clear", _w("color"): "auto", _w("fill"): fill[1:]}
            )
        return tc

    def text(
        self,
        tc: BaseOxmlElement,
        text: str,
        *,
        bold: bool = False,
        align: str = "left",
        style: str = AXIS,
    ) -> None:
        p = paragraph(tc, style)
        if align != "left":
            SubElement(p.find(_w("pPr")), _w("jc"), {_w("val"): align})
        if text:
            run(p, text, bold=bold)


def band_alt(row: d.TimelineRow) -> str:
    """A band's alternative text: the initiative's dates, milestones and old extent in words."""
    text = f"{row.label}: "
    if row.start and row.end:
        text += f"from {_day(row.start)} to {_day(row.end)}"
    elif row.start:
        text += f"from {_day(row.start)}, open-ended"
    elif row.end:
        text += f"until {_day(row.end)}"
    else:
        text += "no dates"
    if row.milestones:
        text += "; milestones: " + ", ".join(f"{m.label} on {_day(m.date)}" for m in row.milestones)
    if row.previous is not None:
        first, last = (_day(day) if day else "open" for day in row.previous)
        text += f"; previously {first} to {last}"
    return text + "."


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B} {day.year}"
