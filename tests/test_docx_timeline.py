"""The DOCX timeline read back: bars, milestones and the meeting line at their real dates on the
chart plan, labels beside their markers and clear of each other, few paragraphs, no direct
formatting beyond the style's, drawing ids unique, alt text on every band."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from briefgen import BuildOptions
from briefgen import document as d
from briefgen import timeline as tl
from briefgen.pipeline import Project, render_document
from tests.conftest import INPUTS, Briefs

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
WPS = "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}"
EMU = 12_700  # per point


def _timelines(path: Path) -> list[d.Timeline]:
    project = Project.for_input(path, BuildOptions())
    meeting, _ = project.load_meeting(path)
    document = render_document(meeting, project.audience("staff"), project)
    return [b for b in document.blocks if isinstance(b, d.Timeline)]


def _chart(path: Path) -> tuple[d.Timeline, tl.Plan]:
    project = Project.for_input(path, BuildOptions())
    [chart] = _timelines(path)
    theme = project.theme(project.audience("staff"))
    size = tl.text_size(theme.role("timeline").size)
    plan = tl.plan(chart, *tl.text_widths(theme.page), size)
    assert plan is not None
    return chart, plan


CHARTS = [path for path in INPUTS if _timelines(path)]


def _where(plan: tl.Plan, day: dt.date) -> float:
    """A day's start in points from the axis start, by its share of its column's days."""
    for index, tick in enumerate(plan.ticks):
        if tick.start <= day < tick.end:
            share = (day - tick.start).days / (tick.end - tick.start).days
            return (index + share) * plan.column_width
    return 0.0 if day < plan.ticks[0].start else len(plan.ticks) * plan.column_width


def _day_width(plan: tl.Plan) -> float:
    return plan.column_width / min((t.end - t.start).days for t in plan.ticks)


def _shapes(row: etree._Element) -> list[dict[str, object]]:
    out = []
    for shape in row.iter(f"{WPS}wsp"):
        sp_pr = shape.find(f"{WPS}spPr")
        off, ext = sp_pr.find(f"{A}xfrm/{A}off"), sp_pr.find(f"{A}xfrm/{A}ext")
        geometry = sp_pr.find(f"{A}prstGeom")
        ln = sp_pr.find(f"{A}ln")
        colour = ln.find(f"{A}solidFill/{A}srgbClr") if ln is not None else None
        x, y = int(off.get("x")) / EMU, int(off.get("y")) / EMU
        out.append(
            {
                "kind": geometry.get("prst") if geometry is not None else "polygon",
                "x0": x,
                "x1": x + int(ext.get("cx")) / EMU,
                "y0": y,
                "y1": y + int(ext.get("cy")) / EMU,
                "line": colour.get("val") if colour is not None else None,
                "dash": ln is not None and ln.find(f"{A}prstDash") is not None,
                "text": "".join(shape.itertext()),
                "box": shape.find(f"{WPS}txbx") is not None,
            }
        )
    return out


def _bands(path: Path) -> tuple[etree._Element, list[etree._Element]]:
    with zipfile.ZipFile(path) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    [table] = [t for t in body.iter(f"{W}tbl") if t.find(f".//{WPS}wsp") is not None]
    return table, [r for r in table.iter(f"{W}tr") if r.find(f".//{WPS}wsp") is not None]


@pytest.mark.parametrize("path", CHARTS, ids=lambda p: p.stem)
def test_bars_milestones_and_the_meeting_line_stand_at_their_dates(
    built_briefs: Briefs, path: Path
) -> None:
    chart, plan = _chart(path)
    _, bands = _bands(built_briefs[(path.name, "staff")]["docx"])
    rows = [r for r in chart.rows if r.dated]
    assert len(bands) == len(rows)
    tolerance = _day_width(plan)  # one day: far inside the finest tick
    marker_xs = set()
    for band, row in zip(bands, rows, strict=True):
        assert "".join(band.find(f"{W}tc").itertext()) == row.label
        shapes = _shapes(band)
        if row.start or row.end:
            [bar] = [s for s in shapes if s["kind"] == "roundRect"]
            if row.start:
                assert abs(bar["x0"] - _where(plan, row.start)) <= tolerance, row.label
            if row.end:
                end = _where(plan, row.end + dt.timedelta(days=1))
                assert abs(bar["x1"] - end) <= tolerance, row.label
        diamonds = [s for s in shapes if s["kind"] == "polygon" and s["line"] == "FFFFFF"]
        assert len(diamonds) == len(row.milestones)
        for diamond, milestone in zip(diamonds, row.milestones, strict=True):
            middle = (diamond["x0"] + diamond["x1"]) / 2
            assert abs(middle - _where(plan, milestone.date)) <= tolerance
        marker = [s for s in shapes if s["kind"] == "line" and s["dash"]]
        if chart.marker:
            [line] = marker
            assert abs(line["x0"] - _where(plan, chart.marker)) <= tolerance
            marker_xs.add(round(line["x0"], 3))
    assert len(marker_xs) <= 1  # one straight line down the chart


def test_the_meeting_line_is_on_its_day_not_the_next_column(built_briefs: Briefs) -> None:
    # Black Sea: quarters from Q1 2025; the meeting on 12 March is 70.5 of Q1's 90 days in,
    # not at 1 April (the next column), where the old grid put it.
    path = next(p for p in CHARTS if "black-sea" in p.name)
    _, plan = _chart(path)
    assert plan.unit == "quarter" and plan.ticks[0].start == dt.date(2025, 1, 1)
    _, bands = _bands(built_briefs[(path.name, "staff")]["docx"])
    [line] = [s for s in _shapes(bands[0]) if s["kind"] == "line" and s["dash"]]
    assert line["x0"] == pytest.approx(70.5 / 90 * plan.column_width, abs=0.01)


@pytest.mark.parametrize("path", CHARTS, ids=lambda p: p.stem)
def test_labels_sit_beside_their_leaders_clear_of_each_other_and_the_band_edges(
    built_briefs: Briefs, path: Path
) -> None:
    chart, plan = _chart(path)
    _, bands = _bands(built_briefs[(path.name, "staff")]["docx"])
    width = plan.width - plan.name_width
    found = 0
    for band in bands:
        shapes = _shapes(band)
        frame = shapes[0]
        labels = [s for s in shapes if s["box"]]
        leaders = [s for s in shapes if s["kind"] == "line" and s["line"] != "FFFFFF"]
        meeting = [s["x0"] for s in leaders if s["dash"]]
        found += len(labels)
        for label in labels:
            # Inside the band: never over a cell border.
            assert label["x0"] >= 0 and label["x1"] <= width + 0.01
            assert label["y0"] >= 0 and label["y1"] <= frame["y1"] + 0.01
            # Beside a leader that reaches down to its line, or just past the meeting line.
            beside = [
                s
                for s in leaders
                if not s["dash"]
                and s["x0"] == s["x1"]
                and min(abs(label["x0"] - s["x0"]), abs(label["x1"] - s["x0"])) <= 2.05
                and s["y1"] >= label["y0"]
            ]
            past = [x for x in meeting if min(abs(label["x0"] - x), abs(label["x1"] - x)) <= 2.05]
            assert beside or past, label["text"]
            for other in labels:
                if other is not label and abs(other["y0"] - label["y0"]) < 0.01:
                    assert label["x1"] <= other["x0"] or other["x1"] <= label["x0"]
    assert found == sum(len(r.milestones) for r in chart.rows)


@pytest.mark.parametrize("path", CHARTS, ids=lambda p: p.stem)
def test_the_chart_has_a_paragraph_per_cell_and_label_and_no_direct_run_formatting(
    built_briefs: Briefs, path: Path
) -> None:
    chart, plan = _chart(path)
    file = built_briefs[(path.name, "staff")]["docx"]
    table, bands = _bands(file)
    cells = [tc for tr in table.iter(f"{W}tr") for tc in tr.findall(f"{W}tc")]
    labels = sum(len(r.milestones) for r in chart.rows if r.dated)
    paragraphs = list(table.iter(f"{W}p"))
    assert len(paragraphs) == len(cells) + labels  # no empty spacer paragraphs
    assert len(cells) == (1 + len(plan.groups) if any(g.label for g in plan.groups) else 0) + (
        1 + len(plan.ticks)
    ) + 2 * len(bands)
    with zipfile.ZipFile(file) as package:
        styles = etree.fromstring(package.read("word/styles.xml"))
    [text_style] = [s for s in styles.iter(f"{W}style") if s.get(f"{W}styleId") == "TimelineText"]
    style_size = text_style.find(f"{W}rPr/{W}sz").get(f"{W}val")
    for r in table.iter(f"{W}r"):
        rpr = r.find(f"{W}rPr")
        if rpr is None:
            continue
        kinds = [child.tag for child in rpr]
        if kinds == [f"{W}rStyle"]:
            continue  # bold axis text: the Strong character style
        # Text boxes repeat the style's size, for LibreOffice; nothing else.
        assert kinds == [f"{W}sz", f"{W}szCs"], kinds
        assert {c.get(f"{W}val") for c in rpr} == {style_size}


def test_the_black_sea_chart_needs_a_few_dozen_paragraphs(built_briefs: Briefs) -> None:
    path = next(p for p in CHARTS if "black-sea" in p.name)
    table, _ = _bands(built_briefs[(path.name, "staff")]["docx"])
    # Header: name + 3 years, name + 11 quarters; 2 bands of name and drawing; 2 labels.
    assert len(list(table.iter(f"{W}p"))) == 4 + 12 + 4 + 2


@pytest.mark.parametrize("path", CHARTS, ids=lambda p: p.stem)
def test_drawing_ids_are_unique_every_band_has_alt_text_and_python_docx_reads_it(
    built_briefs: Briefs, path: Path
) -> None:
    chart, _ = _chart(path)
    file = built_briefs[(path.name, "staff")]["docx"]
    ids: list[str] = []
    with zipfile.ZipFile(file) as package:
        for name in package.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                ids += [
                    e.get("id") for e in etree.fromstring(package.read(name)).iter(f"{WP}docPr")
                ]
    assert len(ids) == len(set(ids))
    _, bands = _bands(file)
    for band, row in zip(bands, [r for r in chart.rows if r.dated], strict=True):
        [doc_pr] = band.iter(f"{WP}docPr")
        assert doc_pr.get("descr").startswith(f"{row.label}: ")
    read = docx.Document(str(file))
    assert len(read.inline_shapes) >= len(bands)


def test_drawingml_keeps_its_usual_prefixes(built_briefs: Briefs) -> None:
    # lxml invents "ns0"-style prefixes for a namespace nobody declared; Word writes a:graphic
    # with its own xmlns:a, and so do we (readers should not care, but some validators do).
    source = next(p for p in INPUTS if p.name.startswith("black-sea"))
    with zipfile.ZipFile(built_briefs[(source.name, "staff")]["docx"]) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    assert "<a:graphic " in xml
    assert not re.search(r"<ns\d+:", xml)
