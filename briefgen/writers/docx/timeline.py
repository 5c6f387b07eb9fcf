"""The timeline in DOCX: an editable table, one shaded cell per time unit where a bar runs.

Columns and axis labels come from briefgen.timeline, as in the PDF. Each initiative is a row
(its name, cells shaded over its bar, ♦ where a milestone falls) and, below it, rows whose
merged cells carry the milestones' labels. The meeting's date is a dashed rule down its column.
The header rows repeat on every page; a wide timeline gets a landscape section of its own.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml.etree import SubElement

from briefgen import document as d
from briefgen import timeline as tl
from briefgen.tagging import timeline_alt
from briefgen.theme import Theme
from briefgen.timeline_labels import Box, cells, place
from briefgen.writers.docx.accessibility import describe_table, outline_level
from briefgen.writers.docx.blocks import cell, grid, paragraph, run
from briefgen.writers.docx.sections import break_section

STYLE = "TimelineText"
_DIAMOND, _OPEN_END, _OPEN_START = "\u2666", "\u2192", "\u2190"
_PAD = 40  # twips left and right in a cell: narrow columns still fit "Jan" or "Q4"


def _w(tag: str) -> str:
    return qn(f"w:{tag}")


def write_timeline(
    block: d.Timeline, out: BaseOxmlElement, theme: Theme, text_width: int, level: int = 0
) -> None:
    """Append caption, chart table, legend and undated initiatives; `text_width` in twips.
    The caption is a heading at outline `level` (the PDF's H tag); the table says what the
    chart shows as its description (Word's alt text for a table)."""
    size = tl.text_size(theme.role("timeline").size)
    portrait, landscape = tl.text_widths(theme.page)
    plan = tl.plan(block, portrait, landscape, size)
    colours = tl.palette(theme.colours)
    if plan is not None and plan.landscape:
        break_section(out, landscape=False)
        text_width = round(text_width * landscape / portrait)
    if block.title:
        caption = paragraph(out, "FieldLabel")
        SubElement(caption.find(_w("pPr")), _w("keepNext"))
        SubElement(caption.find(_w("pPr")), _w("spacing"), {_w("before"): "120", _w("after"): "80"})
        run(caption, block.title)
        if level:
            outline_level(caption, level)
    if plan is not None:
        _Table(plan, colours, size, text_width).write(out, block)
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


def _coloured(p: BaseOxmlElement, text: str, colour: str) -> None:
    r = run(p, text)
    rpr = r.makeelement(_w("rPr"), {})
    SubElement(rpr, _w("color"), {_w("val"): colour[1:]})
    r.insert(0, rpr)


class _Table:
    def __init__(self, plan: tl.Plan, colours: dict[str, str], size: float, total: int) -> None:
        self.plan, self.colours, self.size = plan, colours, size
        self.name = round(total * plan.name_width / plan.width)
        count = len(plan.ticks)
        share = (total - self.name) / count
        edges = [round(share * i) for i in range(count + 1)]
        self.columns = [b - a for a, b in pairwise(edges)]
        self.marker_column, self.marker_side = -1, "left"
        self.marker: dt.date | None = None  # labels keep clear of the meeting line

    def write(self, out: BaseOxmlElement, block: d.Timeline) -> None:
        plan = self.plan
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
        # Rules down every column whatever the theme's table look, so the axis reads; white
        # ones across, so the bars of two initiatives one above the other stay apart.
        borders = tbl_pr.makeelement(_w("tblBorders"), {})
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            across = side == "insideH"
            SubElement(
                borders,
                _w(side),
                {
                    _w("val"): "single",
                    _w("sz"): "2" if side == "insideV" else "6",
                    _w("space"): "0",
                    _w("color"): "FFFFFF" if across else self.colours["grid"][1:],
                },
            )
        tbl_pr.find(_w("tblLayout")).addprevious(borders)
        if block.marker and plan.ticks[0].start <= block.marker < plan.ticks[-1].end:
            # The rule goes on the nearer edge of the date's column, drawn as a left border where
            # it can be: LibreOffice lets the next cell's plain left border win over a right one.
            column = plan.column(block.marker)
            if plan.x(block.marker) - column >= 0.5:
                column += 1
            if column < len(plan.ticks):
                self.marker_column, self.marker_side = column, "left"
            else:
                self.marker_column, self.marker_side = column - 1, "right"
        self.header(tbl, block.name_header)
        rows = [row for row in block.rows if row.dated]
        for index, row in enumerate(rows):
            self.initiative(tbl, row, self.colours["stripe"] if index % 2 else None)

    # Header --------------------------------------------------------------------------------
    def header(self, tbl: BaseOxmlElement, name: str) -> None:
        plan, header = self.plan, self.colours["header"]
        two = any(g.label for g in plan.groups)
        if two:
            tr = self.row(tbl, header=True)
            self.text(
                self.cell(tr, self.name, fill=header, merge="restart"),
                name,
                bold=True,
                colour=self.colours["header_text"],
            )
            for group in plan.groups:
                width = sum(self.columns[group.first : group.first + group.count])
                tc = self.cell(tr, width, fill=header, span=group.count)
                self.text(
                    tc, group.label, bold=True, colour=self.colours["header_text"], align="center"
                )
        tr = self.row(tbl, header=True)
        tc = self.cell(tr, self.name, fill=header, merge="continue" if two else None)
        self.text(tc, "" if two else name, bold=True, colour=self.colours["header_text"])
        for index, tick in enumerate(plan.ticks):
            tc = self.cell(tr, self.columns[index], fill=header, column=index)
            self.text(tc, tick.label, colour=self.colours["header_text"], align="center")

    # Body ----------------------------------------------------------------------------------
    def initiative(self, tbl: BaseOxmlElement, row: d.TimelineRow, stripe: str | None) -> None:
        plan = self.plan
        lanes = self.label_lanes(row)
        tr = self.row(tbl)
        self.text(
            self.cell(tr, self.name, fill=stripe, merge="restart" if lanes else None),
            row.label,
            keep=bool(lanes),
        )
        span, was = plan.span(row), plan.previous_span(row)
        marks = [plan.column(m.date) for m in row.milestones]
        for index in range(len(plan.ticks)):
            covered = span is not None and span[0] < index + 1 and span[1] > index
            # A redline's old extent: its cells framed top and bottom in the deletion colour.
            before = was is not None and was[0] < index + 1 and was[1] > index
            text = _DIAMOND * marks.count(index)
            if covered and span is not None:
                if row.end is None and index == len(plan.ticks) - 1:
                    text += _OPEN_END
                if row.start is None and index == 0:
                    text = _OPEN_START + text
            tc = self.cell(
                tr,
                self.columns[index],
                column=index,
                fill=self.colours["bar"] if covered else stripe,
                previous=before,
            )
            self.text(tc, text, colour=self.colours["milestone"], align="center", keep=bool(lanes))
        for number, lane in enumerate(lanes):
            tr = self.row(tbl)
            self.cell(tr, self.name, fill=stripe, merge="continue")
            column = 0
            for label in cells(plan, lane):
                left, count = label.first, label.count
                for index in range(column, left):
                    self.cell(tr, self.columns[index], fill=stripe, column=index)
                width = sum(self.columns[left : left + count])
                tc = self.cell(
                    tr, width, fill=stripe, span=count, column=left if count == 1 else -1
                )
                self.text(tc, label.text, align=label.align, keep=number < len(lanes) - 1)
                column = left + count
            for index in range(column, len(plan.ticks)):
                self.cell(tr, self.columns[index], fill=stripe, column=index)

    def label_lanes(self, row: d.TimelineRow) -> list[list[Box]]:
        """The row's milestone labels (see timeline_labels.place), lane by lane."""
        lanes: list[list[Box]] = []
        for box in place(self.plan, row, self.size, self.marker):
            while len(lanes) <= box.lane:
                lanes.append([])
            lanes[box.lane].append(box)
        return lanes

    # Cells ---------------------------------------------------------------------------------
    def row(self, tbl: BaseOxmlElement, header: bool = False) -> BaseOxmlElement:
        """A row that never splits; an initiative's rows stay together by keepNext (text())."""
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
        *,
        fill: str | None = None,
        span: int = 1,
        merge: str | None = None,
        column: int = -1,
        previous: bool = False,
    ) -> BaseOxmlElement:
        tc = cell(tr, width)
        tc_pr = tc.find(_w("tcPr"))
        if span > 1:
            SubElement(tc_pr, _w("gridSpan"), {_w("val"): str(span)})
        if merge:
            SubElement(tc_pr, _w("vMerge"), {_w("val"): merge})
        rules: dict[str, tuple[str, str]] = {}  # side: (width, colour)
        if previous:  # a redline's old extent: framed top and bottom in the deletion colour
            rules["top"] = rules["bottom"] = ("8", self.colours["previous"])
        if column >= 0 and column == self.marker_column:
            rules[self.marker_side] = ("12", self.colours["marker"])
        if rules:
            borders = SubElement(tc_pr, _w("tcBorders"))
            # Schema order; solid: LibreOffice lets the grid's single rule win over a dashed one.
            for side in ("top", "left", "bottom", "right"):
                if side in rules:
                    size, colour = rules[side]
                    SubElement(
                        borders,
                        _w(side),
                        {
                            _w("val"): "single",
                            _w("sz"): size,
                            _w("space"): "0",
                            _w("color"): colour[1:],
                        },
                    )
        if fill:
            SubElement(
                tc_pr, _w("shd"), {_w("val"): "clear", _w("color"): "auto", _w("fill"): fill[1:]}
            )
        paragraph(tc, STYLE)  # every cell, even empty: Normal's line height would widen rows
        return tc

    def text(
        self,
        tc: BaseOxmlElement,
        text: str,
        *,
        bold: bool = False,
        colour: str | None = None,
        align: str = "left",
        keep: bool = False,
    ) -> None:
        p = tc.find(_w("p"))
        ppr = p.find(_w("pPr"))
        if keep:
            SubElement(ppr, _w("keepNext"))
        if align != "left":
            SubElement(ppr, _w("jc"), {_w("val"): "center" if align == "center" else "right"})
        if text:
            r = run(p, text, bold=bold)
            if colour:
                rpr = r.find(_w("rPr"))
                if rpr is None:
                    rpr = r.makeelement(_w("rPr"), {})
                    r.insert(0, rpr)
                SubElement(rpr, _w("color"), {_w("val"): colour[1:]})
