"""The pack file's model: which meetings a pack holds, for whom, and what its cover says.

Kept apart from `pack.py` (which builds packs) so that the JSON Schema export and editors can use
it without the pipeline.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from briefgen.model import Day, Language, PlainText, Slug, StrictModel

__all__ = ["Pack", "PackInfo"]


class PackInfo(StrictModel):
    title: PlainText = Field(description="The pack's title, on its cover.")
    subtitle: PlainText | None = None
    start: Day | None = Field(None, description="First day; the first meeting's if absent.")
    end: Day | None = Field(None, description="Last day; the last meeting's if absent.")
    organiser: PlainText | None = None
    contact: PlainText | None = Field(
        None, description="Who owns the pack and how to reach them, printed on the cover."
    )
    issued: dt.date | None = Field(
        None, description="Issue date on the cover; SOURCE_DATE_EPOCH's day if absent."
    )
    handling: PlainText | None = Field(
        None, description="Handling instruction on the cover; a default naming the marking."
    )
    language: Language = Field("en", description="Language of the cover, contents and annex.")
    id: Slug | None = Field(None, description="Short name used in file names.")

    @field_validator("end")
    @classmethod
    def _after_start(cls, end: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get("start")
        if start and end and end < start:
            raise ValueError(f"end ({end}) is before start ({start})")
        return end


class Pack(StrictModel):
    """A pack file."""

    schema_version: Literal[1] = 1
    pack: PackInfo
    audience: list[str] = Field(
        default_factory=lambda: ["staff"],
        description="Audience, or a list of them: one PDF and one DOCX each.",
    )
    meetings: list[PlainText] = Field(
        min_length=1, description="Meeting files, relative to this file, in pack order."
    )
    people: PlainText | None = Field(
        None, description="People directory (folder or file) for `{ref: id}` participants."
    )
    contents_depth: int = Field(
        0, ge=0, le=2, description="0 lists the meetings; 1 adds their sections; 2, subsections."
    )

    @field_validator("audience", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("schema_version", mode="before")
    @classmethod
    def _version_from_text(cls, value: Any) -> Any:
        return int(value) if isinstance(value, str) and value.isdigit() else value
