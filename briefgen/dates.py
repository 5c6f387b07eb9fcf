"""Dates written as a day, a month (2025-03), a quarter (2025-Q2) or a year (2025)."""

from __future__ import annotations

import calendar
import datetime as dt
import os
import re
from typing import Any, Literal

from briefgen.errors import FieldError, UsageError

Precision = Literal["day", "month", "quarter", "year"]

_FORMS = re.compile(
    r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})(?:-(?P<day>\d{2}))?|[Qq](?P<quarter>\d)))?$"
)
# The same shapes with unpadded numbers, to show the padded form in the error.
_UNPADDED = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?$")
_DAY = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})$")
# Supported years. Readers show a PDF date before 1900 oddly (year 1 appears as 1100) and the
# timeline needs room past the last year; no meeting falls outside this range.
MIN_YEAR, MAX_YEAR = 1900, 2999
_CALENDAR_HINT = "months run from 01 to 12, and the day must exist in that month"
DAY_HINT = "write a date as YYYY-MM-DD, e.g. 2024-12-18"
# Babel skeletons per precision and style: "Apr 2025", "Q2 2025", "2025" (localised by CLDR).
_SKELETONS = {
    ("month", "long"): "yMMMM",
    ("month", "medium"): "yMMM",
    ("month", "short"): "yMMM",
    ("quarter", "long"): "yQQQ",
    ("quarter", "medium"): "yQQQ",
    ("quarter", "short"): "yQQQ",
}
FORMS_HINT = "write a day as 2025-03-12, a month as 2025-03, a quarter as 2025-Q2 or a year as 2025"


class PartialDate(dt.date):
    """A date that remembers how precisely it was written.

    As a start, `2025-Q2` is 1 April 2025; as an end it is 30 June 2025. It compares, sorts and
    subtracts like the day it stands for, so code that wants a plain date needs nothing special.
    """

    __slots__ = ("precision",)
    precision: Precision

    def __new__(
        cls, year: int, month: int = 1, day: int = 1, precision: Precision = "day"
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


def _not_a_date(text: str, forms: str) -> FieldError:
    """`2027-3-1` → hint `2027-03-01`: the one grammar is ISO 8601, month and day zero-padded."""
    match = _UNPADDED.match(text)
    if match is None:
        return FieldError(f"{text!r} is not a valid date", forms)
    padded = f"{match['year']}-{int(match['month']):02d}"
    if match["day"]:
        padded += f"-{int(match['day']):02d}"
    return FieldError(
        f"{text!r} is not a valid date: month and day take two digits", f"write {padded}"
    )


def _check_year(year: int, text: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise FieldError(
            f"{text!r} is outside the supported years",
            f"briefgen handles dates from {MIN_YEAR} to {MAX_YEAR}",
        )


def parse_day(value: Any) -> dt.date:
    """A calendar day written YYYY-MM-DD (zero-padded) in the supported years; ValueError if not."""
    if isinstance(value, dt.datetime):
        raise ValueError(f"{value!r} has a time of day; {DAY_HINT}")
    if isinstance(value, dt.date):
        _check_year(value.year, value.isoformat())
        return dt.date(value.year, value.month, value.day)
    text = str(value).strip()
    match = _DAY.match(text)
    if match is None:
        raise _not_a_date(text, DAY_HINT)
    _check_year(int(match["year"]), text)
    try:
        return dt.date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        raise FieldError(f"{text!r} is not a day of the calendar", _CALENDAR_HINT) from None


def parse_partial_date(value: Any, *, end: bool) -> PartialDate:
    """`2025-Q2` → its first day, or its last day if `end`; ValueError if it is no date."""
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, dt.datetime):
        raise ValueError(f"{value!r} has a time of day; {FORMS_HINT}")
    if isinstance(value, dt.date):
        _check_year(value.year, value.isoformat())
        return PartialDate(value.year, value.month, value.day)
    text = str(value).strip()
    match = _FORMS.match(text)
    if not match:
        raise _not_a_date(text, FORMS_HINT)
    year = int(match["year"])
    precision: Precision
    _check_year(year, text)
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
            raise FieldError(f"{text!r} is not a day of the calendar", _CALENDAR_HINT) from None
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


def start_of_day(day: dt.date) -> int:
    """Midnight UTC of a day, in seconds since the epoch."""
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else None.

    Without it a brief is dated by its meeting (see `document_info`), not by the clock: its
    content does not depend on when it was generated, so the same input gives the same bytes.
    """
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    # Up to the end of year 9999: later dates overflow the writers' date handling.
    if not (value.isascii() and value.isdigit()) or int(value) > 253402300799:
        raise UsageError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {value!r}",
            hint="unset it, or set it to e.g. $(git log -1 --format=%ct)",
        )
    return int(value)
