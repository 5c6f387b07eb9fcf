"""Audiences: who a brief is for, which template and theme it uses, and what it may contain."""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.errors import AudienceError
from briefgen.model import Meeting


@dataclass(frozen=True)
class Audience:
    name: str
    description: str
    template: str
    theme: str = "default"
    label: str = ""  # printed as the brief's subtitle, e.g. "Staff brief"


BUILTIN_AUDIENCES: dict[str, Audience] = {
    "staff": Audience(
        name="staff",
        description="The full brief for the staff who prepare and support the meeting.",
        template="staff.md.j2",
        label="Staff brief",
    ),
}


def get_audience(name: str, audiences: dict[str, Audience] | None = None) -> Audience:
    known = audiences or BUILTIN_AUDIENCES
    if name in known:
        return known[name]
    from difflib import get_close_matches

    close = get_close_matches(name, list(known), n=1)
    hint = (f"did you mean `{close[0]}`? " if close else "") + f"audiences: {', '.join(known)}"
    raise AudienceError(f"unknown audience {name!r}", hint=hint)


def select(meeting: Meeting, audience: Audience) -> Meeting:
    """The meeting as this audience may see it (clearance filtering arrives with markings)."""
    return meeting
