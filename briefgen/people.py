"""The people directory: one biography serves every meeting a person attends.

A directory is a folder of YAML files, or one file. A file holding a `people:` mapping defines
many people (`id: {name: …}`); any other file defines one person whose id is its file name.
A participant written `{ref: person-id}` is filled from the directory before validation;
fields written next to the ref override the directory's.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.errors import Diagnostic, Location, ValidationError
from briefgen.loader import LoadedYaml, SourceMap, load_yaml_file
from briefgen.model import Participant, slugify
from briefgen.validation import format_path, validate

_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class PeopleDirectory:
    path: str
    people: dict[str, dict[str, Any]] = field(default_factory=dict)  # id → fields as written

    def ids(self) -> list[str]:
        return sorted(self.people)


def load_people(path: Path, levels: Sequence[str] = ()) -> PeopleDirectory:
    """Read and validate every person; all problems at once, each at its file and line."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in _SUFFIXES and p.is_file())
    elif path.is_file():
        files = [path]
    else:
        raise ValidationError(
            f"people directory {path} not found", hint="give a folder of YAML files or one file"
        )
    people: dict[str, dict[str, Any]] = {}
    where: dict[str, Location] = {}
    problems: list[Diagnostic] = []
    context = {"levels": tuple(levels)}
    for file in files:
        loaded = load_yaml_file(file, str(file))
        for person_id, data, source, location in _entries(loaded, file):
            if person_id in people:
                problems.append(Diagnostic(
                    f"person {person_id!r} is defined twice (first at {where[person_id]})",
                    location, "give each person one entry"))
                continue
            try:
                validate(Participant, LoadedYaml(data, source), context=context)
            except ValidationError as exc:
                problems.extend(exc.diagnostics)
                continue
            if "ref" in data:
                problems.append(Diagnostic("a person in the directory cannot have a ref",
                                           source.location(("ref",), key=True)))
                continue
            people[person_id] = data
            where[person_id] = location
    if problems:
        raise ValidationError(problems[0].message, diagnostics=problems)
    return PeopleDirectory(str(path), people)


def _entries(loaded: LoadedYaml, file: Path
             ) -> list[tuple[str, Any, SourceMap, Location]]:
    """(id, fields, source map relative to the fields, location) per person in a file."""
    data, source = loaded.data, loaded.source
    if isinstance(data, dict) and "people" in data:
        many = data["people"]
        if not isinstance(many, dict):
            raise ValidationError(
                "people: expected a mapping of person ids to their fields",
                location=source.location(("people",)),
                hint="e.g. people:\n  jane-doe:\n    name: Jane Doe",
            )
        return [(str(key), value, _shifted(source, ("people", key)),
                 source.location(("people", key), key=True)) for key, value in many.items()]
    return [(slugify(file.stem, max_words=20), data, source, source.location(()))]


def _shifted(source: SourceMap, prefix: tuple[str, ...]) -> SourceMap:
    """The part of a source map under `prefix`, with paths relative to it."""
    size = len(prefix)
    return SourceMap(
        file=source.file,
        text=source.text,
        keys={path[size:]: pos for path, pos in source.keys.items() if path[:size] == prefix},
        values={path[size:]: pos for path, pos in source.values.items() if path[:size] == prefix},
    )


def resolve_refs(loaded: LoadedYaml, people: PeopleDirectory | None
                 ) -> tuple[LoadedYaml, list[Diagnostic]]:
    """Fill every `{ref: id}` participant from the directory; unknown refs are diagnostics.

    Positions stay valid: a participant keeps its place, and fields it writes itself keep
    theirs; fields from the directory were checked when the directory was loaded.
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
            problems.append(Diagnostic(
                f"{where}: {ref!r} refers to a people directory, but none is set", location,
                "set `people:` in the pack file or in briefgen.yaml (a folder or a YAML file)"))
            filled.append({**entry, "name": entry.get("name", ref)})
        elif ref not in people.people:
            close = difflib.get_close_matches(ref, people.ids(), n=1)
            hint = (f"did you mean `{close[0]}`? " if close else "") + (
                f"people in {people.path}: {', '.join(people.ids()) or '(none)'}")
            problems.append(Diagnostic(f"{where}: unknown person {ref!r}", location, hint))
            filled.append({**entry, "name": entry.get("name", ref)})
        else:
            filled.append({**people.people[ref], **entry})
    return LoadedYaml({**data, "participants": filled}, loaded.source), problems


def surname_key(person: dict[str, Any]) -> tuple[str, str]:
    """Sort by surname: `sort_as` when given, else the last word of the Latin spelling or the
    name ("Gen. Karin Holm" under H); ties by the whole name."""
    name = str(person.get("latin") or person["name"])
    key = str(person.get("sort_as") or (name.split() or [name])[-1])
    return (_collation(key), _collation(name))


def _collation(text: str) -> str:
    # Accents sort with their letters (Ó with O), case ignored.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
