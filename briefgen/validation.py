"""Turn loaded YAML into a typed model, reporting every problem at its YAML line and column."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import pydantic
from pydantic import BaseModel

from briefgen.errors import Diagnostic, ValidationError
from briefgen.loader import KeyPath, LoadedYaml, format_path, load_yaml_file
from briefgen.model import DEFAULT_LEVELS, Meeting
from briefgen.refs import PeopleDirectory, resolve_refs

ModelT = TypeVar("ModelT", bound=BaseModel)


def load_meeting(
    path: Path,
    display_name: str | None = None,
    *,
    levels: Sequence[str] | None = None,
    people: PeopleDirectory | None = None,
) -> tuple[Meeting, LoadedYaml]:
    """Load and validate a meeting file; raises InputError or ValidationError.

    `levels` are the marking levels of the project (briefgen.yaml), lowest first; `people`
    is the directory `{ref: id}` participants are filled from.
    """
    return validate_meeting(load_yaml_file(path, display_name), levels=levels, people=people)


def validate_meeting(
    loaded: LoadedYaml,
    *,
    levels: Sequence[str] | None = None,
    people: PeopleDirectory | None = None,
) -> tuple[Meeting, LoadedYaml]:
    """Validate loaded YAML (a file, or unsaved text from an editor) as a meeting."""
    loaded, problems = resolve_refs(loaded, people, levels or DEFAULT_LEVELS)
    try:
        meeting = validate(Meeting, loaded, context={"levels": tuple(levels or ())})
    except ValidationError as exc:
        problems = sorted([*problems, *exc.diagnostics], key=_position)
        raise ValidationError(problems[0].message, diagnostics=problems) from None
    if problems:
        raise ValidationError(problems[0].message, diagnostics=problems)
    return meeting, loaded


def _position(diagnostic: Diagnostic) -> tuple[int, int]:
    loc = diagnostic.location
    return (loc.line or 0, loc.column or 0) if loc else (0, 0)


def validate(
    model: type[ModelT], loaded: LoadedYaml, *, context: dict[str, Any] | None = None
) -> ModelT:
    if not isinstance(loaded.data, dict):
        diagnostic = Diagnostic(
            f"the file must be a mapping of keys (such as {_example_keys(model)}), "
            f"not {_describe(loaded.data)}",
            loaded.source.location(()),
            hint="write `key: value` lines at the top level, not a list or a single value",
        )
        raise ValidationError(diagnostic.message, diagnostics=[diagnostic])
    _check_kind(model, loaded)
    try:
        return model.model_validate(loaded.data, context=context)
    except pydantic.ValidationError as exc:
        diagnostics = [_diagnostic(model, loaded, error) for error in exc.errors()]
        diagnostics.sort(key=_position)
        raise ValidationError(diagnostics[0].message, diagnostics=diagnostics) from None


# The top-level key that tells each kind of input file apart, and the command that builds it.
FILE_KINDS = {
    "meeting": ("a meeting file", "briefgen build"),
    "pack": ("a pack file", "briefgen pack"),
}


def _check_kind(model: type[BaseModel], loaded: LoadedYaml) -> None:
    """A pack given where a meeting is expected (or the reverse) is named as such, instead of
    a list of unknown keys."""
    wanted = [
        name
        for name, field in model.model_fields.items()
        if field.is_required() and name in FILE_KINDS
    ]
    if not wanted or wanted[0] in loaded.data:
        return
    for key, (what, command) in FILE_KINDS.items():
        if key != wanted[0] and key in loaded.data:
            expected = FILE_KINDS[wanted[0]][0]
            raise ValidationError(
                f"this is {what} (it has `{key}:`), not {expected}",
                location=loaded.source.location((key,), key=True),
                hint=f"build it with `{command} {loaded.source.file}`",
            )


def _diagnostic(model: type[BaseModel], loaded: LoadedYaml, error: Any) -> Diagnostic:
    # pydantic adds the names of union members and 'function-after' markers to loc; drop them.
    path: KeyPath = tuple(p for p in error["loc"] if isinstance(p, int) or not _is_marker(p))
    kind = error["type"]
    source = loaded.source
    where = format_path(path)
    value = error.get("input")
    if kind == "extra_forbidden":
        key = str(path[-1])
        valid = sorted(_fields_at(model, path[:-1]))
        close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
        hint = f"did you mean `{close[0]}`?" if close else None
        valid_text = ", ".join(valid)
        hint = (hint + " " if hint else "") + f"valid keys here: {valid_text}"
        return Diagnostic(f"{where}: unknown key `{key}`", source.location(path, key=True), hint)
    if kind == "missing":
        parent = format_path(path[:-1])
        location = source.location(path[:-1], key=True)
        return Diagnostic(
            f"{parent}: required field `{path[-1]}` is missing", location, f"add `{path[-1]}:` here"
        )
    cause = (error.get("ctx") or {}).get("error")
    below: KeyPath = getattr(cause, "at", ())
    location = source.location((*path, *below), key=bool(below))
    if kind in {
        "date_from_datetime_parsing",
        "date_parsing",
        "date_type",
        "date_from_datetime_inexact",
    }:
        return Diagnostic(
            f"{where}: {value!r} is not a valid date",
            location,
            "write dates as YYYY-MM-DD, e.g. 2024-12-18",
        )
    if kind == "string_type":
        return Diagnostic(f"{where}: expected text, got {_describe(value)}", location)
    if kind == "list_type":
        return Diagnostic(
            f"{where}: expected a list, got {_describe(value)}",
            location,
            "start each item on its own line with '- '",
        )
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return Diagnostic(
            f"{where}: expected a mapping of keys, got {_describe(value)}",
            location,
            f"valid keys here: {', '.join(sorted(_fields_at(model, path)))}",
        )
    if kind == "string_pattern_mismatch" and path and path[-1] == "id":
        return Diagnostic(
            f"{where}: {value!r} is not a valid id",
            location,
            "use lower-case letters, digits and single hyphens, e.g. nato-sg-bih-presidency",
        )
    message = error["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return Diagnostic(
        f"{format_path((*path, *below))}: {message}", location, getattr(cause, "hint", None)
    )


def _is_marker(part: Any) -> bool:
    text = str(part)
    return text.startswith(("function-", "tagged-union[")) or text in {"str", "list[str]"}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{value!r}"


def _example_keys(model: type[BaseModel]) -> str:
    return ", ".join(f"`{name}`" for name in list(model.model_fields)[:3])


def _fields_at(model: type[BaseModel], path: KeyPath) -> set[str]:
    """The field names valid at a path, by walking the model's annotations."""
    current: Any = model
    for part in path:
        current = _strip(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]  # a mapping of names to models
        elif isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(part)
            current = field.annotation if field else None
        else:
            return set()
    current = _strip(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return set(current.model_fields)
    return set()


def _strip(annotation: Any) -> Any:
    """Optional[X] → X; Annotated[X, ...] → X."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _strip(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _strip(members[0]) if len(members) == 1 else annotation
    return annotation
