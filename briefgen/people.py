"""The people directory: one biography serves every meeting a person attends.

A directory is a folder of YAML files, or one file. A file holding a `people:` mapping defines
many people (`id: {name: …}`); any other file defines one person whose id is its file name.
A participant written `{ref: person-id}` is filled from the directory before validation;
fields written next to the ref override the directory's.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from briefgen.confine import confine
from briefgen.errors import Diagnostic, Location, ValidationError
from briefgen.loader import LoadedYaml, SourceMap, load_yaml_file
from briefgen.model import Participant, slugify
from briefgen.refs import PeopleDirectory, resolve_refs
from briefgen.validation import validate

__all__ = ["PeopleDirectory", "load_people", "resolve_refs"]

_SUFFIXES = (".yaml", ".yml")


def load_people(
    path: Path,
    levels: Sequence[str] = (),
    roots: Sequence[Path] = (),
    location: Location | None = None,
) -> PeopleDirectory:
    """Read and validate every person; all problems at once, each at its file and line.

    The directory must lie inside `roots` (when given: the folder of the file that names it,
    at `location`), and every file read from a folder inside that folder, links followed.
    """
    if roots:
        confine(
            path,
            roots,
            what=f"people directory {path}",
            allowed="the project's folder",
            error=ValidationError,
            location=location,
        )
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in _SUFFIXES and p.is_file())
        for file in files:
            confine(
                file,
                [path],
                what=f"people file {file}",
                allowed="its people directory",
                error=ValidationError,
            )
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
                problems.append(
                    Diagnostic(
                        f"person {person_id!r} is defined twice (first at {where[person_id]})",
                        location,
                        "give each person one entry",
                    )
                )
                continue
            try:
                validate(Participant, LoadedYaml(data, source), context=context)
            except ValidationError as exc:
                problems.extend(exc.diagnostics)
                continue
            if "ref" in data:
                problems.append(
                    Diagnostic(
                        "a person in the directory cannot have a ref",
                        source.location(("ref",), key=True),
                    )
                )
                continue
            people[person_id] = data
            where[person_id] = location
    if problems:
        raise ValidationError(problems[0].message, diagnostics=problems)
    return PeopleDirectory(str(path), people)


def _entries(loaded: LoadedYaml, file: Path) -> list[tuple[str, Any, SourceMap, Location]]:
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
        return [
            (
                str(key),
                value,
                _shifted(source, ("people", key)),
                source.location(("people", key), key=True),
            )
            for key, value in many.items()
        ]
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
