"""Where a timeline row's milestone labels go, in points on the chart's time axis, so that no
label touches another, a leader line (from a milestone down to its label) or the meeting line.

Both writers place labels by this plan: the PDF draws each box where it says, the DOCX puts each
label in the grid cells under its box, so the two read in the same order (lane by lane, left to
right). Widths are estimates (timeline.estimate_width, a little generous), the same for both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from briefgen.document import TimelineRow
from briefgen.timeline import Plan, estimate_width

GAP = 3.0  # points between two labels in a lane
CLEAR = 1.5  # points between a label and a line passing it
OFFSET = 2.0  # points between a milestone's leader and its label's text


@dataclass(frozen=True)
class Box:
    """A milestone label: its text spans `x0`..`x1` in lane `lane` under the row's bar; its
    leader runs down from the milestone at `tick` (all in points from the axis start)."""

    text: str
    date: dt.date
    tick: float
    x0: float
    x1: float
    lane: int
    align: Literal["left", "right"]  # starts just after its milestone, or ends just before


def tick(plan: Plan, day: dt.date) -> float:
    """Where a milestone on a day sits, in points from the axis start: the middle of its day."""
    column = plan.ticks[plan.column(day)]
    return (plan.x(day) + 0.5 / (column.end - column.start).days) * plan.column_width


def marker_x(plan: Plan, day: dt.date | None) -> float | None:
    """Where the meeting line is drawn (the middle of its day), None without a meeting or
    when the meeting falls outside the axis."""
    if day is None or not plan.ticks[0].start <= day < plan.ticks[-1].end:
        return None
    return tick(plan, day)


def place(plan: Plan, row: TimelineRow, size: float, marker: dt.date | None) -> list[Box]:
    """The row's labels, none touching another, a leader line or the meeting line. Returned in
    reading order: lane by lane, left to right.

    A label whose box holds another's milestone must lie deeper than it (the other's leader
    would cross it otherwise): labels are laid out in an order that honours these relations,
    each in the shallowest lane below those it must be under where nothing in the lane overlaps
    it. Sides are chosen so the relations have no cycle (a cycle needs a label that ends at its
    milestone: turning one of its labels round breaks it)."""
    room = plan.width - plan.name_width
    line = marker_x(plan, marker)
    options = [
        _candidates(m.label, m.date, tick(plan, m.date), estimate_width(m.label, size), room, line)
        for m in row.milestones
    ]
    choice = [0] * len(options)
    for _ in range(2 * len(options) + 1):
        boxes = [option[index] for option, index in zip(options, choice, strict=True)]
        order, stuck = _order(boxes)
        if stuck is None:
            return _lanes(boxes, order)
        turnable = [i for i in stuck if choice[i] + 1 < len(options[i])]
        if not turnable:
            break
        choice[max(turnable, key=lambda i: (boxes[i].align == "right", boxes[i].tick))] += 1
    boxes = [option[index] for option, index in zip(options, choice, strict=True)]
    return _lanes(boxes, _order(boxes)[0])  # a cycle no side breaks: its relations dropped


def _candidates(
    text: str, date: dt.date, at: float, width: float, room: float, line: float | None
) -> list[Box]:
    """The sides a label may take, best first: off the meeting line, then after its milestone."""
    right_of = Box(text, date, at, at + OFFSET, at + OFFSET + width, 0, "left")
    left_of = Box(text, date, at, at - OFFSET - width, at - OFFSET, 0, "right")
    sides = [right_of, left_of]
    if line is not None:  # just past the meeting line, when the milestone is near it
        sides.append(
            Box(text, date, at, line + CLEAR + 0.5, line + CLEAR + 0.5 + width, 0, "left")
            if at < line
            else Box(text, date, at, line - CLEAR - 0.5 - width, line - CLEAR - 0.5, 0, "right")
        )
    fits = [box for box in sides if box.x0 >= 0 and box.x1 <= room]
    if not fits:  # wider than the room on either side: as near its milestone as the axis allows
        x0 = max(0.0, min(at + OFFSET, room - width))
        fits = [Box(text, date, at, x0, x0 + width, 0, "left")]
    return sorted(fits, key=lambda box: _holds(box, line))


def _holds(box: Box, x: float | None) -> bool:
    return x is not None and box.x0 - CLEAR <= x <= box.x1 + CLEAR


def _order(boxes: list[Box]) -> tuple[list[int], set[int] | None]:
    """The labels in an order where each comes after every label whose milestone its box holds
    (ties: right to left), and the labels caught in a cycle of those relations, if any (the
    order then takes them right to left regardless)."""
    above = [
        {j for j, other in enumerate(boxes) if j != i and _holds(box, other.tick)}
        for i, box in enumerate(boxes)
    ]
    done: list[int] = []
    waiting = set(range(len(boxes)))
    stuck: set[int] | None = None
    while waiting:
        ready = [i for i in waiting if not (above[i] & waiting)]
        if not ready:
            stuck = stuck or set(waiting)
            ready = list(waiting)
        chosen = min(ready, key=lambda i: (-boxes[i].tick, boxes[i].text))
        done.append(chosen)
        waiting.discard(chosen)
    return done, stuck


def _lanes(boxes: list[Box], order: list[int]) -> list[Box]:
    placed: dict[int, Box] = {}
    for i in order:
        box = boxes[i]
        lane = max(
            (other.lane + 1 for other in placed.values() if _holds(box, other.tick)), default=0
        )
        while any(
            other.lane == lane and box.x0 < other.x1 + GAP and other.x0 < box.x1 + GAP
            for other in placed.values()
        ):
            lane += 1
        placed[i] = _in_lane(box, lane)
    return sorted(placed.values(), key=lambda box: (box.lane, box.x0))


def _in_lane(box: Box, lane: int) -> Box:
    return Box(box.text, box.date, box.tick, box.x0, box.x1, lane, box.align)


@dataclass(frozen=True)
class Cell:
    """Labels of a lane in grid cells (the DOCX): `count` columns from `first`."""

    text: str
    first: int
    count: int
    align: Literal["left", "right"]


def cells(plan: Plan, lane: list[Box]) -> list[Cell]:
    """A lane's labels as grid cells, each covering its box, after the cells before it. A label
    with no column left joins the one before it: nothing is dropped."""
    count, width = len(plan.ticks), plan.column_width
    out: list[Cell] = []
    for box in lane:
        free = out[-1].first + out[-1].count if out else 0
        if free >= count:
            last = out.pop()
            out.append(Cell(f"{last.text} {box.text}", last.first, last.count, last.align))
            continue
        first = min(max(int(box.x0 // width), free), count - 1)
        end = min(max(int((box.x1 - 0.01) // width), first), count - 1)
        out.append(Cell(box.text, first, end - first + 1, box.align))
    return out
