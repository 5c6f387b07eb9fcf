"""Dates written as a day, a month (2025-03), a quarter (2025-Q2) or a year (2025)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any, Literal

Precision = Literal["day", "month", "quarter", "year"]

_FORMS = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?|[Qq](?P<quarter>\d)))?$"
)
# Babel skeletons per precision and style: "Apr 2025", "Q2 2025", "2025" (localised by CLDR).
_SKELETONS = {
    ("month", "long"): "yMMMM", ("month", "medium"): "yMMM", ("month", "short"): "yMMM",
    ("quarter", "long"): "yQQQ", ("quarter", "medium"): "yQQQ", ("quarter", "short"): "yQQQ",
}
FORMS_HINT = "write a day as 2025-03-12, a month as 2025-03, a quarter as 2025-Q2 or a year as 2025"


class PartialDate(dt.date):
    """A date that remembers how precisely it was written.

    As a start, `2025-Q2` is 1 April 2025; as an end it is 30 June 2025. It compares, sorts and
    subtracts like the day it stands for, so code that wants a plain date needs nothing special.
    """

    __slots__ = ("precision",)
    precision: Precision

    def __new__(cls, year: int, month: int = 1, day: int = 1, precision: Precision = "day"
                ) -> PartialDate:
        self = super().__new__(cls, year, month, day)
        self.precision = precision
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # date pickles by bytes; the precision must survive
        return (PartialDate, (self.year, self.month, self.day, self.precision))

    def __repr__(self) -> str:
        return f"PartialDate({self.text!r})"

    @property
    def text(self) -> str:
        """The form it was written in: `2025-03-12`, `2025-03`, `2025-Q2` or `2025`."""
        if self.precision == "month":
            return f"{self.year:04d}-{self.month:02d}"
        if self.precision == "quarter":
            return f"{self.year:04d}-Q{(self.month - 1) // 3 + 1}"
        if self.precision == "year":
            return f"{self.year:04d}"
        return self.isoformat()


def parse_partial_date(value: Any, *, end: bool) -> PartialDate:
    """`2025-Q2` → its first day, or its last day if `end`; ValueError if it is no date."""
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, dt.datetime):
        raise ValueError(f"{value!r} has a time of day; {FORMS_HINT}")
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    text = str(value).strip()
    match = _FORMS.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a date; {FORMS_HINT}")
    year = int(match["year"])
    precision: Precision
    if year < 1:
        raise ValueError(f"{text!r}: year 0 does not exist; {FORMS_HINT}")
    if match["quarter"]:
        quarter = int(match["quarter"])
        if not 1 <= quarter <= 4:
            raise ValueError(f"{text!r}: a quarter is Q1 to Q4")
        first, last, precision = 3 * quarter - 2, 3 * quarter, "quarter"
    elif match["month"]:
        first = last = int(match["month"])
        precision = "day" if match["day"] else "month"
        if not 1 <= first <= 12:
            raise ValueError(f"{text!r}: a month is 01 to 12")
    else:
        first, last, precision = 1, 12, "year"
    if precision == "day":
        try:
            return PartialDate(year, first, int(match["day"]))
        except ValueError:
            raise ValueError(f"{text!r} is not a day of the calendar") from None
    if end:
        return PartialDate(year, last, calendar.monthrange(year, last)[1], precision)
    return PartialDate(year, first, 1, precision)


def format_period(value: dt.date, locale: str, style: str = "long") -> str:
    """A month, quarter or year in the reader's language: "Apr 2025", "Q2 2025", "2025"."""
    from babel.dates import format_skeleton

    precision = getattr(value, "precision", "day")
    if precision == "year":
        return str(format_skeleton("y", value, locale=locale))
    skeleton = _SKELETONS[(precision, style if style in ("long", "medium") else "short")]
    return str(format_skeleton(skeleton, value, locale=locale))
