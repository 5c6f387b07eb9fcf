"""The timeline's axis: unit, columns, labels and orientation, decided once for both writers.

A writer draws what `plan` decides, so a PDF and a DOCX of one timeline have the same columns,
the same axis labels and the same page orientation. The `::: timeline` markup a template emits
is turned into a `Timeline` node here too, since its row kinds are a timeline matter.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Literal

from briefgen.document import Timeline, TimelineMilestone, TimelineRow

if TYPE_CHECKING:
    from briefgen.theme import Colours, PageSetup

Unit = Literal["week", "month", "quarter", "year"]

# The finest unit whose column count stays within its limit wins: a month's span in weeks,
# two years in months, eight in quarters, anything longer in years.
_MAX_COLUMNS: tuple[tuple[Unit, int], ...] = (("week", 14), ("month", 24), ("quarter", 32))
MIN_COLUMNS = 4  # a one-day span still gets an axis to read it against
PORTRAIT_COLUMNS = 16  # more columns than this go on a landscape page…
LANDSCAPE_ROWS = 8  # …if the chart has this many rows; a smaller one takes a coarser unit
MIN_TEXT_SIZE = 8.0  # no chart text smaller, in points at print size, whatever the theme says
_CHAR_WIDTH = 0.55  # average advance of a sans-serif character, in ems (estimates only)


@dataclass(frozen=True)
class Tick:
    """One column of the axis: the days from `start` up to, not including, `end`."""

    start: dt.date
    end: dt.date
    label: str  # empty where labels are thinned out to fit


@dataclass(frozen=True)
class Group:
    """A label over several columns: the year over its months, the month over its weeks."""

    label: str
    first: int
    count: int


@dataclass(frozen=True)
class Plan:
    unit: Unit
    ticks: tuple[Tick, ...]
    groups: tuple[Group, ...]
    landscape: bool
    width: float  # the whole chart: name column plus time columns, in points
    name_width: float  # the column of initiative names, in points

    @property
    def column_width(self) -> float:
        return (self.width - self.name_width) / len(self.ticks)

    def x(self, day: dt.date) -> float:
        """Where a day starts, in columns from the axis start (equal-width columns, as in DOCX)."""
        if day <= self.ticks[0].start:
            return 0.0
        if day >= self.ticks[-1].end:
            return float(len(self.ticks))
        index = self.column(day)
        tick = self.ticks[index]
        return index + (day - tick.start).days / (tick.end - tick.start).days

    def column(self, day: dt.date) -> int:
        """The column a day falls in (clamped to the axis)."""
        low, high = 0, len(self.ticks) - 1
        while low < high:  # ticks are sorted; bisect on their ends
            middle = (low + high) // 2
            if self.ticks[middle].end <= day:
                low = middle + 1
            else:
                high = middle
        return low

    def span(self, row: TimelineRow) -> tuple[float, float] | None:
        """A row's bar in columns, open ends running to the axis edge; None if it has no bar."""
        return self.extent(row.start, row.end)

    def previous_span(self, row: TimelineRow) -> tuple[float, float] | None:
        """A redline row's old bar in columns, as span(); None if it did not move."""
        return None if row.previous is None else self.extent(*row.previous)

    def extent(self, first: dt.date | None, last: dt.date | None) -> tuple[float, float] | None:
        if first is None and last is None:
            return None
        start = self.x(first) if first else 0.0
        end = self.x(last + dt.timedelta(days=1)) if last else float(len(self.ticks))
        return start, end


def text_size(role_size: float) -> float:
    """The chart's text size: the theme's timeline role, never below MIN_TEXT_SIZE."""
    return max(role_size, MIN_TEXT_SIZE)


def text_widths(page: PageSetup) -> tuple[float, float]:
    """The text width of a portrait and of a landscape page, in points."""
    width, height = page.size_mm
    sides = page.margin_left + page.margin_right
    return (width - sides) * 72 / 25.4, (height - sides) * 72 / 25.4


def plan(
    timeline: Timeline, portrait_width: float, landscape_width: float, font_size: float
) -> Plan | None:
    """The axis for a timeline on a page of the given text widths; None when nothing is dated."""
    days = [d for row in timeline.rows for d in _dates(row)]
    if not days:
        return None
    if timeline.marker:
        days.append(timeline.marker)
    first, last = min(days), max(days)
    unit, starts = _unit(first, last, _MAX_COLUMNS)
    landscape = len(starts) - 1 > PORTRAIT_COLUMNS
    if landscape and sum(row.dated for row in timeline.rows) < LANDSCAPE_ROWS:
        unit, starts = _unit(first, last, tuple((u, PORTRAIT_COLUMNS) for u, _ in _MAX_COLUMNS))
        landscape = False
    width = landscape_width if landscape else portrait_width
    longest = max((len(row.label) for row in timeline.rows if row.dated), default=10)
    # Names get what they need up to a third of the width, and at least a sixth.
    name_width = min(max(_text_width("x" * longest, font_size) + 9, width / 6), width / 3)
    column_width = (width - name_width) / (len(starts) - 1)
    language = _locale(timeline.language)
    labels = [_tick_label(unit, day, language) for day in starts[:-1]]
    step = _label_step(unit, labels, column_width, font_size)
    ticks = tuple(
        Tick(start, end, label if _shown(unit, start, index, step) else "")
        for index, ((start, end), label) in enumerate(zip(pairwise(starts), labels, strict=True))
    )
    groups = tuple(
        group
        if group.count * column_width >= _text_width(group.label, font_size)
        else Group("", group.first, group.count)
        for group in _groups(unit, ticks, language)
    )
    return Plan(unit, ticks, groups, landscape, width, name_width)


def _dates(row: TimelineRow) -> list[dt.date]:
    # A redline's old extent too, so the axis shows where the bar was.
    return [d for d in (row.start, row.end, *(row.previous or ())) if d] + [
        m.date for m in row.milestones
    ]


def _unit(
    first: dt.date, last: dt.date, limits: tuple[tuple[Unit, int], ...]
) -> tuple[Unit, list[dt.date]]:
    """The finest unit within its column limit, and the column boundaries (one more than
    columns) covering first..last; years always fit."""
    for unit, limit in (*limits, ("year", 10_000)):
        starts = [_floor(unit, first)]
        while (starts[-1] <= last or len(starts) <= MIN_COLUMNS) and len(starts) <= limit + 1:
            starts.append(_next(unit, starts[-1]))
        if starts[-1] > last and len(starts) - 1 <= limit:
            return unit, starts
    raise AssertionError("years always fit")  # pragma: no cover


def _floor(unit: Unit, day: dt.date) -> dt.date:
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    if unit == "quarter":
        return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return dt.date(day.year, 1, 1)


def _next(unit: Unit, day: dt.date) -> dt.date:
    if unit == "week":
        return day + dt.timedelta(days=7)
    if unit == "year":
        return dt.date(day.year + 1, 1, 1)
    months = day.month - 1 + (1 if unit == "month" else 3)
    return dt.date(day.year + months // 12, months % 12 + 1, 1)


def _locale(language: str) -> str:
    from babel import Locale, UnknownLocaleError

    code = language.replace("-", "_")
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return "en"
    return code


@lru_cache(maxsize=4096)
def _tick_label(unit: Unit, day: dt.date, locale: str) -> str:
    from babel.dates import format_date

    if unit == "week":
        return str(day.day)
    if unit == "month":
        return str(format_date(day, "LLL", locale=locale))
    if unit == "quarter":
        return str(format_date(day, "QQQ", locale=locale))
    return str(day.year)


@lru_cache(maxsize=1024)
def _group_label(unit: Unit, day: dt.date, locale: str) -> str:
    from babel.dates import format_skeleton

    return str(format_skeleton("yMMM", day, locale=locale)) if unit == "week" else str(day.year)


def _text_width(text: str, size: float) -> float:
    """An estimate (both writers must agree without measuring): a little generous."""
    return len(text) * _CHAR_WIDTH * size + 3


def estimate_width(text: str, size: float) -> float:
    """A label's width in points as both writers take it (see timeline_labels): the wider of
    the sans and serif base-14 metrics, which Liberation Sans and Serif share, and the average
    estimate (for characters those fonts lack); never less than the text drawn."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    metrics: float = max(
        stringWidth(text, "Helvetica", size), stringWidth(text, "Times-Roman", size)
    )
    return max(metrics + 1, _text_width(text, size))


def _label_step(unit: Unit, labels: Sequence[str], column_width: float, size: float) -> int:
    """Label every column, or every 2nd, 3rd, … where the widest label would not fit."""
    widest = max(_text_width(label, size) for label in labels)
    steps = {"month": (1, 2, 3, 6, 12), "quarter": (1, 2, 4)}.get(unit, (1, 2, 5, 10, 20, 50))
    for step in steps:
        if step * column_width >= widest:
            return step
    return math.ceil(widest / column_width)


def _shown(unit: Unit, start: dt.date, index: int, step: int) -> bool:
    # Thinned labels fall on round places: Jan/Apr/Jul/Oct, Q1/Q3, 2020/2025.
    if unit == "month":
        return (start.month - 1) % step == 0
    if unit == "quarter":
        return ((start.month - 1) // 3) % step == 0
    if unit == "year":
        return start.year % step == 0
    return index % step == 0


def _groups(unit: Unit, ticks: Sequence[Tick], locale: str) -> tuple[Group, ...]:
    if unit == "year":
        return ()
    groups: list[Group] = []
    for index, tick in enumerate(ticks):
        label = _group_label(unit, tick.start, locale)
        if groups and groups[-1].label == label:
            last = groups[-1]
            groups[-1] = Group(label, last.first, last.count + 1)
        else:
            groups.append(Group(label, index, 1))
    return tuple(groups)


def lanes(spans: Sequence[tuple[float, float]], gap: float = 0.0) -> list[int]:
    """Stack labels so none overlaps: each (left, width) gets the first lane where it clears
    the label before it by `gap`. Results are in the order given."""
    order = sorted(range(len(spans)), key=lambda i: spans[i][0])
    ends: list[float] = []
    placed = [0] * len(spans)
    for index in order:
        left, width = spans[index]
        lane = next((n for n, end in enumerate(ends) if end + gap <= left), len(ends))
        if lane == len(ends):
            ends.append(0.0)
        ends[lane] = left + width
        placed[index] = lane
    return placed


def undated(timeline: Timeline) -> list[TimelineRow]:
    return [row for row in timeline.rows if not row.dated]


# ---------------------------------------------------------------------------------------------
# From markup: the rows of the table inside `::: timeline` (see macros.md.j2)

_SETTINGS = {
    "title": "title",
    "language": "language",
    "name-header": "name_header",
    "milestone-legend": "milestone_label",
    "undated-legend": "undated_label",
}


def timeline_from_rows(rows: Sequence[Sequence[str]]) -> Timeline:
    """Build the node from `kind | text | start | end | cadence` rows; ValueError if malformed."""
    settings: dict[str, str] = {}
    marker: dt.date | None = None
    items: list[TimelineRow] = []
    for number, row in enumerate(rows, start=1):
        kind, text, start, end, cadence = (*[c.strip() for c in row], "", "", "", "", "")[:5]
        if kind in _SETTINGS:
            settings[_SETTINGS[kind]] = text
        elif kind == "meeting":
            settings["marker_label"], marker = text, _day(start, number)
        elif kind == "initiative":
            items.append(TimelineRow(text, _day(start, number), _day(end, number), (), cadence))
        elif kind == "milestone" and items:
            last = items[-1]
            milestone = TimelineMilestone(_required_day(start, number), text)
            items[-1] = TimelineRow(
                last.label, last.start, last.end, (*last.milestones, milestone), last.cadence
            )
        else:
            raise ValueError(
                f"timeline row {number}: unknown kind {kind!r}; kinds are initiative, milestone "
                f"(after its initiative), meeting, {', '.join(_SETTINGS)}"
            )
    return Timeline(
        rows=tuple(items),
        marker=marker,
        title=settings.get("title", ""),
        marker_label=settings.get("marker_label", ""),
        milestone_label=settings.get("milestone_label", ""),
        undated_label=settings.get("undated_label", ""),
        name_header=settings.get("name_header", ""),
        language=settings.get("language", "en"),
    )


def _day(text: str, number: int) -> dt.date | None:
    return _required_day(text, number) if text else None


def _required_day(text: str, number: int) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"timeline row {number}: {text!r} is not a date (YYYY-MM-DD)") from None


# ---------------------------------------------------------------------------------------------
# Colours both writers use, from the theme's


def palette(colours: Colours) -> dict[str, str]:
    """Bar, milestone, meeting-line, grid and header colours as #RRGGBB."""
    return {
        "bar": _blend(colours.heading, "#FFFFFF", 0.55),
        "bar_edge": colours.heading,
        "milestone": colours.heading,
        "marker": colours.marking,
        "grid": colours.table_border,
        "stripe": colours.table_stripe or "#FFFFFF",
        "header": colours.table_header_background,
        "header_text": colours.table_header_text,
        "text": colours.text,
        "previous": "#C0262D",  # a redline's old extent: its deletion colour (pdf.page.DELETED)
    }


def _blend(colour: str, other: str, share: float) -> str:
    """`colour` mixed with `share` of `other`."""
    a = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(other[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * share):02X}" for x, y in zip(a, b, strict=True))
