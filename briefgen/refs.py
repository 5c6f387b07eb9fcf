"""Filling `{ref: id}` participants from the people directory, with the directory's level kept.

Below both `people` (which loads and validates a directory) and `validation` (which loads a
meeting), so neither imports the other.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from briefgen.errors import Diagnostic
from briefgen.loader import LoadedYaml, format_path


@dataclass(frozen=True)
class PeopleDirectory:
    path: str
    people: dict[str, dict[str, Any]] = field(default_factory=dict)  # id → fields as written

    def ids(self) -> list[str]:
        return sorted(self.people)


def higher_level(first: Any, second: Any, levels: Sequence[str]) -> Any:
    """The higher of two markings as written (case-insensitive); `first` if either is unknown.

    An unknown level is left for validation to report at its line.
    """
    rank = {level.casefold(): index for index, level in enumerate(levels)}
    if not isinstance(first, str) or not isinstance(second, str):
        return first if isinstance(first, str) else second
    a, b = rank.get(first.strip().casefold()), rank.get(second.strip().casefold())
    if a is None or b is None:
        return first
    return second if b > a else first


def merge_person(
    record: dict[str, Any], entry: dict[str, Any], levels: Sequence[str]
) -> dict[str, Any]:
    """A participant filled from its directory record; fields written beside the ref win.

    Directory data carries the directory's level: a participant that shows any field taken
    from a record is marked at least as high as that record, so `select()` filters the
    directory's text by the directory's marking, never by the lower one written beside a ref.
    """
    merged = {**record, **entry}
    borrowed = set(record) - set(entry) - {"classification"}
    if borrowed and record.get("classification") is not None:
        merged["classification"] = higher_level(
            entry.get("classification"), record["classification"], levels
        )
    return merged


def resolve_refs(
    loaded: LoadedYaml, people: PeopleDirectory | None, levels: Sequence[str] = ()
) -> tuple[LoadedYaml, list[Diagnostic]]:
    """Fill every `{ref: id}` participant from the directory; unknown refs are diagnostics.

    Positions stay valid: a participant keeps its place, and fields it writes itself keep
    theirs; fields from the directory were checked when the directory was loaded. `levels`
    (lowest first) rank the directory's marking against the participant's.
    """
    data = loaded.data
    participants = data.get("participants") if isinstance(data, dict) else None
    if not isinstance(participants, list):
        return loaded, []
    problems: list[Diagnostic] = []
    filled: list[Any] = []
    for index, entry in enumerate(participants):
        ref = entry.get("ref") if isinstance(entry, dict) else None
        if not isinstance(ref, str):
            filled.append(entry)
            continue
        location = loaded.source.location(("participants", index, "ref"))
        where = format_path(("participants", index, "ref"))
        if people is None:
            problems.append(
                Diagnostic(
                    f"{where}: {ref!r} refers to a people directory, but none is set",
                    location,
                    "set `people:` in the pack file or in briefgen.yaml (a folder or a YAML file)",
                )
            )
            filled.append({**entry, "name": entry.get("name", ref)})
        elif ref not in people.people:
            close = difflib.get_close_matches(ref, people.ids(), n=1)
            hint = (f"did you mean `{close[0]}`? " if close else "") + (
                f"people in {people.path}: {', '.join(people.ids()) or '(none)'}"
            )
            problems.append(Diagnostic(f"{where}: unknown person {ref!r}", location, hint))
            filled.append({**entry, "name": entry.get("name", ref)})
        else:
            filled.append(merge_person(people.people[ref], entry, levels))
    return LoadedYaml({**data, "participants": filled}, loaded.source), problems
