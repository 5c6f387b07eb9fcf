"""Milestone labels on the chart plan: boxes disjoint, clear of leader lines and the meeting
line, text at least 8 pt and within its box as drawn; the DOCX cells cover the same order."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.pdfmetrics import stringWidth

from briefgen import document as d
from briefgen import timeline as tl
from briefgen import timeline_labels as tlabels
from briefgen.pipeline import Project, render_document
from tests.conftest import INPUTS, REPO

PACK_MEETINGS = sorted((REPO / "inputs" / "packs" / "ministerial-week" / "meetings").glob("*.yaml"))


def _problems(boxes: list[tlabels.Box], marker: float | None, room: float) -> list[str]:
    found = []
    for box in boxes:
        if box.x0 < 0 or box.x1 > room + 0.01:
            found.append(f"{box.text!r} leaves the axis")
        if marker is not None and box.x0 <= marker <= box.x1:
            found.append(f"{box.text!r} on the meeting line")
        for other in boxes:
            if other is box:
                continue
            if other.lane == box.lane and box.x0 < other.x1 and other.x0 < box.x1:
                found.append(f"{box.text!r} overlaps {other.text!r}")
            # The other's leader runs from the bar down through every lane above its own.
            if other.lane > box.lane and box.x0 <= other.tick <= box.x1:
                found.append(f"{box.text!r} crosses the leader of {other.text!r}")
    return found


def _timelines(path: Path) -> list[d.Timeline]:
    project = Project.for_input(path, __import__("briefgen").BuildOptions())
    meeting, _ = project.load_meeting(path)
    document = render_document(meeting, project.audience("staff"), project)
    return [block for block in document.blocks if isinstance(block, d.Timeline)]


CHARTS = [(path, chart) for path in [*INPUTS, *PACK_MEETINGS] for chart in _timelines(path)]


@pytest.mark.parametrize(("path", "chart"), CHARTS, ids=[p.stem for p, _ in CHARTS])
def test_labels_of_every_example_chart_collide_with_nothing(path: Path, chart: d.Timeline) -> None:
    theme = Project().theme(Project().audience("staff"))
    size = tl.text_size(theme.role("timeline").size)
    assert size >= 8
    plan = tl.plan(chart, *tl.text_widths(theme.page), size)
    assert plan is not None
    room = plan.width - plan.name_width
    marker = tlabels.marker_x(plan, chart.marker)
    for row in chart.rows:
        boxes = tlabels.place(plan, row, size, chart.marker)
        assert sorted(b.text for b in boxes) == sorted(m.label for m in row.milestones)
        assert _problems(boxes, marker, room) == []
        for box in boxes:  # the text drawn (Liberation Sans = Helvetica metrics) fits its box
            assert stringWidth(box.text, "Helvetica", size) <= box.x1 - box.x0


def test_the_charts_of_the_examples_have_labels_to_place() -> None:
    assert sum(len(row.milestones) for _, chart in CHARTS for row in chart.rows) >= 20


def _chart(days: list[int], labels: list[str], marker: int | None) -> d.Timeline:
    first = dt.date(2025, 1, 1)
    milestones = tuple(
        d.TimelineMilestone(first + dt.timedelta(days=n), text)
        for n, text in zip(days, labels, strict=False)
    )
    row = d.TimelineRow("Initiative", first, first + dt.timedelta(days=700), milestones)
    return d.Timeline(
        rows=(row,), marker=first + dt.timedelta(days=marker) if marker is not None else None
    )


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(0, 700), min_size=1, max_size=9),
    st.lists(st.text("abcdefghWM 0123456789", min_size=1, max_size=22), min_size=9, max_size=9),
    st.one_of(st.none(), st.integers(0, 700)),
)
def test_crowded_labels_still_collide_with_nothing(
    days: list[int], labels: list[str], marker: int | None
) -> None:
    chart = _chart(days, labels, marker)
    plan = tl.plan(chart, 480, 720, 8)
    assert plan is not None
    boxes = tlabels.place(plan, chart.rows[0], 8, chart.marker)
    room = plan.width - plan.name_width
    # Only a label wider than the space on both sides of its milestone may be left touching.
    problems = [
        p
        for p in _problems(boxes, tlabels.marker_x(plan, chart.marker), room)
        if "meeting line" not in p or _wide(p, boxes, room)
    ]
    assert problems == []


def _wide(problem: str, boxes: list[tlabels.Box], room: float) -> bool:
    box = next(b for b in boxes if problem.startswith(repr(b.text)))
    width = box.x1 - box.x0
    return not (box.tick + tlabels.OFFSET + width > room and box.tick - tlabels.OFFSET - width < 0)


def test_docx_cells_keep_the_lane_order_and_every_label() -> None:
    chart = _chart([10, 12, 14, 300, 305], ["Alpha", "Beta", "Gamma", "Delta", "Epsilon"], 150)
    plan = tl.plan(chart, 480, 720, 8)
    assert plan is not None
    boxes = tlabels.place(plan, chart.rows[0], 8, chart.marker)
    texts = []
    for lane in sorted({b.lane for b in boxes}):
        cells = tlabels.cells(plan, [b for b in boxes if b.lane == lane])
        ends = [c.first + c.count for c in cells]
        assert all(a <= b.first for a, b in zip(ends, cells[1:], strict=False))
        texts += [c.text for c in cells]
    assert " ".join(texts).split() == [b.text for b in boxes]
