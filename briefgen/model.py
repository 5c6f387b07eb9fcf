"""The meeting file's schema (version 1): typed, frozen models that also export JSON Schema.

This is the one place that defines every field. Rich-text fields (Markdown) are marked with
`RichText`; every other text field is plain text shown exactly as written.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from briefgen.dates import FORMS_HINT, PartialDate, parse_day, parse_partial_date
from briefgen.errors import FieldError
from briefgen.locales import label_languages, locale_known
from briefgen.outputs import bounded_stem

PlainText = Annotated[str, Field(json_schema_extra={"x-briefgen-text": "plain"})]
RichText = Annotated[
    str,
    Field(json_schema_extra={"x-briefgen-text": "markdown"}),
]
DEFAULT_LEVELS = ("PUBLIC", "INTERNAL", "RESTRICTED", "CONFIDENTIAL")


def _known_level(value: str, info: ValidationInfo) -> str:
    """A marking must be one of the configured levels (case-insensitive; stored as configured)."""
    levels = (info.context or {}).get("levels") or DEFAULT_LEVELS
    for level in levels:
        if level.casefold() == value.strip().casefold():
            return str(level)
    import difflib

    close = difflib.get_close_matches(value.upper(), list(levels), n=1)
    suggestion = f"did you mean {close[0]}? " if close else ""
    raise ValueError(
        f"unknown marking {value!r}; {suggestion}levels, lowest first: {', '.join(levels)}"
    )


Classification = Annotated[
    str,
    AfterValidator(_known_level),
    Field(
        description="Protective marking: one of the configured levels (default PUBLIC, "
        "INTERNAL, RESTRICTED, CONFIDENTIAL)."
    ),
]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]


def _known_language(value: str) -> str:
    """A language Babel has data for (dates, numbers), written as a locale code."""
    if not locale_known(value):
        raise FieldError(
            f"unknown language {value!r}",
            f"write a locale code; with labels: {', '.join(label_languages())} (others get "
            "English labels), e.g. en, bs, en_GB",
        )
    return value


Language = Annotated[
    str,
    AfterValidator(_known_language),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$",
            "description": "Locale code, e.g. en, bs, en_GB.",
        }
    ),
]
# A calendar day, YYYY-MM-DD with month and day zero-padded, in the supported years.
Day = Annotated[
    dt.date,
    PlainValidator(parse_day),
    PlainSerializer(lambda value: value.isoformat(), return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_blank_text(cls, value: Any) -> Any:
        # An empty string where text is expected is almost always a forgotten value.
        if isinstance(value, str) and not value.strip():
            raise ValueError("is empty; write the text or remove the key")
        return value


class MeetingInfo(StrictModel):
    title: PlainText = Field(description="The meeting's title, as printed on the brief.")
    date: Day = Field(description="Date of the meeting, YYYY-MM-DD.")
    time: PlainText | None = Field(
        None, description="Time as it should be printed, e.g. 10:30-11:15 CET."
    )
    location: PlainText | None = None
    organiser: PlainText | None = None
    classification: Classification | None = Field(
        None, description="Default protective marking of every item."
    )
    id: Slug | None = Field(
        None, description="Short name used in file names; derived from the title."
    )
    language: Language = Field("en", description="Language of the brief (dates, fixed labels).")


class Participant(StrictModel):
    """A person at the meeting. Written `{ref: person-id}` (plus any fields to override), the
    person comes from the people directory (see briefgen.people) before validation."""

    model_config = ConfigDict(json_schema_extra=lambda schema: _name_or_ref(schema))

    name: PlainText
    ref: Slug | None = Field(None, description="Id in the people directory the rest came from.")
    role: PlainText | None = None
    organisation: PlainText | None = None
    side: PlainText | None = Field(None, description="Which delegation, e.g. 'NATO' or 'host'.")
    bio: PlainText | None = None
    sort_as: PlainText | None = Field(
        None,
        description="How the name sorts in lists of biographies, when that is not by "
        "its last word: 'Ó Briain', 'von der Leyen'.",
    )
    latin: PlainText | None = Field(
        None,
        description="The name in Latin letters, as the person spells it officially, "
        "shown beside a name written in another script: 'Andrii Sybiha'.",
    )
    classification: Classification | None = None


def _name_or_ref(schema: dict[str, Any]) -> None:
    # For editors: a participant written as a ref needs no name (the directory has it).
    schema["required"] = [r for r in schema.get("required", []) if r != "name"]
    schema["anyOf"] = [{"required": ["name"]}, {"required": ["ref"]}]


class Item(StrictModel):
    """A key point, outcome or decision: a string, or a mapping with an optional bold title."""

    title: PlainText | None = None
    text: RichText
    classification: Classification | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"text": value} if isinstance(value, str) else value


def _period_schema(which: str) -> WithJsonSchema:
    return WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}(-(\d{2}(-\d{2})?|[Qq][1-4]))?$",
            "description": f"{which} day of the period: {FORMS_HINT}.",
        }
    )


# A start or end written as a day, month, quarter or year (see briefgen.dates); it prints back
# as written, and compares as the first (start) or last (end) day of its period.
PeriodStart = Annotated[
    PartialDate,
    PlainValidator(lambda value: parse_partial_date(value, end=False)),
    PlainSerializer(lambda value: value.text, return_type=str),
    _period_schema("First"),
]
PeriodEnd = Annotated[
    PartialDate,
    PlainValidator(lambda value: parse_partial_date(value, end=True)),
    PlainSerializer(lambda value: value.text, return_type=str),
    _period_schema("Last"),
]


class Milestone(StrictModel):
    date: Day
    label: PlainText


class Initiative(StrictModel):
    name: PlainText
    description: PlainText | None = None
    objective: PlainText | None = None
    timeline: PlainText | None = Field(None, description="Cadence as free text: Annual, Ongoing…")
    start: PeriodStart | None = None
    end: PeriodEnd | None = None
    milestones: list[Milestone] = Field(default_factory=list)
    owner: PlainText | None = None
    status: PlainText | None = None
    classification: Classification | None = None

    @field_validator("end")
    @classmethod
    def _ordered_range(cls, end: PartialDate | None, info: ValidationInfo) -> PartialDate | None:
        # A field validator (not a model one) so the error points at the `end:` line.
        start = info.data.get("start")
        if start is not None and end is not None and end < start:
            raise ValueError(f"end ({end.text}) is before start ({start.text})")
        return end


class SectionTable(StrictModel):
    columns: list[PlainText] = Field(min_length=1)
    rows: list[list[PlainText]] = Field(default_factory=list)

    @model_validator(mode="after")
    def _rows_match_columns(self) -> SectionTable:
        for number, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"row {number} has {len(row)} cell(s) but there are "
                    f"{len(self.columns)} columns; give every row one cell per column"
                )
        return self


class Section(StrictModel):
    heading: PlainText
    body: RichText | None = None
    table: SectionTable | None = None
    classification: Classification | None = None


class Meeting(StrictModel):
    """A meeting file. Every list may be empty or absent."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="briefgen meeting file",
        json_schema_extra={"$id": "https://briefgen.invalid/schema/meeting-1.json"},
    )

    schema_version: Literal[1] = Field(1, description="Version of this file format.")
    meeting: MeetingInfo
    participants: list[Participant] = Field(default_factory=list)
    purpose: RichText | None = None
    decisions: list[Item] = Field(
        default_factory=list,
        description="What the principal must decide or ask for; printed right after the "
        "purpose in the principal's and staff briefs, never in the public readout.",
    )
    summary: RichText | None = Field(None, description="Background.")
    key_points: list[Item] = Field(default_factory=list)
    outcomes: list[Item] = Field(default_factory=list)
    initiatives: list[Initiative] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)

    @field_validator("schema_version", mode="before")
    @classmethod
    def _version_from_text(cls, value: Any) -> Any:
        return int(value) if isinstance(value, str) and value.isdigit() else value

    @property
    def slug(self) -> str:
        return self.meeting.id or slugify(self.meeting.title)

    @property
    def file_stem(self) -> str:
        """`2024-12-18_nato-sg-bih-presidency`: sorts by date in any file browser; a very
        long title is cut at a word, with a hash of the whole (see `bounded_stem`)."""
        return bounded_stem(f"{self.meeting.date.isoformat()}_{self.slug}")


def slugify(text: str, max_words: int = 8) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(words[:max_words]) or "meeting"


def meeting_json_schema() -> dict[str, Any]:
    return Meeting.model_json_schema()
