"""Audiences: who a brief is for, its template, theme and clearance, and what it may contain.

The clearance filter acts on the validated meeting before any template runs, so a template,
however customised, can only print what survived.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

from briefgen.config import ProjectConfig
from briefgen.errors import AudienceError
from briefgen.model import Meeting

HIGHEST = "*highest*"
LOWEST = "*lowest*"


@dataclass(frozen=True)
class Audience:
    name: str
    description: str
    template: str
    theme: str = "default"
    clearance: str = HIGHEST  # a level name, or HIGHEST / LOWEST of the configured levels
    portion_marks: bool = False
    label: str = ""  # subtitle on the brief; the language's label for the audience if empty
    pdfa: bool = False  # its PDFs are PDF/A (2a unless pdf_standard says), for archiving
    pdf_standard: str = ""  # e.g. "a-3a" (see briefgen.standards); "" = the project's or ua-1
    pages: int | None = None  # the page budget; None = as many as the content takes
    # What may give way, in order, to keep within `pages` (names from briefgen.budget).
    reductions: tuple[str, ...] = ()


BUILTIN_AUDIENCES: dict[str, Audience] = {
    audience.name: audience
    for audience in (
        Audience(
            "principal",
            "The person who attends: purpose, key messages, outcomes sought, who is in the "
            "room and the initiatives in brief, on one page.",
            "principal.md.j2",
            pages=1,
            reductions=("initiatives", "participants"),
        ),
        Audience(
            "staff",
            "The full brief for the staff who prepare and support the meeting.",
            "staff.md.j2",
        ),
        Audience(
            "public",
            "A readout for publication, built only from content cleared for the public.",
            "public.md.j2",
            theme="formal",
            clearance=LOWEST,
        ),
        Audience(
            "archive",
            "The full record for the archive, every item with its portion mark.",
            "staff.md.j2",
            theme="formal",
            portion_marks=True,
            pdfa=True,
        ),
    )
}


def audiences_for(config: ProjectConfig) -> dict[str, Audience]:
    """The built-in audiences with the project's changes and additions applied."""
    result = dict(BUILTIN_AUDIENCES)
    for name, settings in config.audiences.items():
        base = result.get(name)
        if base is None and settings.template is None:
            raise AudienceError(
                f"audience {name!r} in briefgen.yaml is new, so it needs a `template`",
                hint="e.g. template: staff.md.j2",
            )
        changes = settings.model_dump(exclude_none=True)
        clearance = changes.pop("clearance", None)
        if "reductions" in changes:
            changes["reductions"] = tuple(changes["reductions"])
        merged = {**(base.__dict__ if base else {"name": name, "description": ""}), **changes}
        if clearance is not None:
            merged["clearance"] = _canonical_level(clearance, config.levels)
        result[name] = Audience(**merged)
    return result


def get_audience(name: str, audiences: dict[str, Audience] | None = None) -> Audience:
    known = audiences if audiences is not None else BUILTIN_AUDIENCES
    if name in known:
        return known[name]
    close = get_close_matches(name, list(known), n=1)
    hint = (f"did you mean `{close[0]}`? " if close else "") + f"audiences: {', '.join(known)}"
    raise AudienceError(f"unknown audience {name!r}", hint=hint)


def clearance_level(audience: Audience, levels: list[str]) -> str:
    if audience.clearance == HIGHEST:
        return levels[-1]
    if audience.clearance == LOWEST:
        return levels[0]
    return _canonical_level(audience.clearance, levels)


def _canonical_level(value: str, levels: list[str]) -> str:
    for level in levels:
        if level.casefold() == value.casefold():
            return level
    raise AudienceError(f"clearance {value!r} is not a level; levels: {', '.join(levels)}")


@dataclass(frozen=True)
class Selection:
    """The meeting as one audience may see it, and the overall marking of what remains."""

    meeting: Meeting
    marking: str
    levels: tuple[str, ...]


def select(meeting: Meeting, audience: Audience, levels: list[str]) -> Selection:
    """Remove every item above the audience's clearance; mark the result by what is left."""
    rank = {level: index for index, level in enumerate(levels)}
    default = meeting.meeting.classification or levels[0]
    ceiling = rank[clearance_level(audience, levels)]
    present: list[str] = [levels[0]]

    def visible(items: list[Any]) -> list[Any]:
        # Kept items carry their effective level, so portion marks need no defaulting later.
        kept = [
            item.model_copy(update={"classification": item.classification or default})
            for item in items
            if rank[item.classification or default] <= ceiling
        ]
        present.extend(item.classification for item in kept)
        return kept

    meeting_level_visible = rank[default] <= ceiling
    info_changes: dict[str, object] = {}
    if not meeting_level_visible:
        # Title and date identify the brief and are always shown; the rest carries the default.
        info_changes.update(time=None, location=None, organiser=None)
    filtered = {
        "participants": visible(meeting.participants),
        "key_points": visible(meeting.key_points),
        "outcomes": visible(meeting.outcomes),
        "initiatives": visible(meeting.initiatives),
        "sections": visible(meeting.sections),
        "purpose": meeting.purpose if meeting_level_visible else None,
        "summary": meeting.summary if meeting_level_visible else None,
    }
    info = meeting.meeting
    if meeting_level_visible and (
        info.time or info.location or info.organiser or meeting.purpose or meeting.summary
    ):
        present.append(default)
    marking = max(present, key=rank.__getitem__)
    # The meeting's own default must not reveal a level the output does not contain.
    info_changes["classification"] = marking
    result = meeting.model_copy(
        update={**filtered, "meeting": info.model_copy(update=info_changes)}
    )
    return Selection(meeting=result, marking=marking, levels=tuple(levels))
