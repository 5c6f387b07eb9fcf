"""Audiences: who a brief is for, its template, theme and clearance, and what it may contain.

The clearance filter acts on the validated meeting before any template runs, so a template,
however customised, can only print what survived.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import get_close_matches
from functools import cache
from typing import Any

from pydantic import BaseModel

from briefgen.config import ProjectConfig
from briefgen.errors import EXIT_USAGE, AudienceError
from briefgen.loader import KeyPath, format_path
from briefgen.model import Meeting


class UnknownAudienceError(AudienceError):
    """An audience name that is not defined. Names come from the command line (`-a`), so this
    is a usage error like an unknown format; a pack file's `audience:` reports it at its line
    as invalid input instead."""

    exit_code = EXIT_USAGE


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
    raise UnknownAudienceError(f"unknown audience {name!r}", hint=hint)


def clearance_level(audience: Audience, levels: list[str]) -> str:
    if audience.clearance == HIGHEST:
        return levels[-1]
    if audience.clearance == LOWEST:
        return levels[0]
    return _canonical_level(audience.clearance, levels)


def canonical_level(value: object, levels: Sequence[str]) -> str | None:
    """A level as configured, matched case-insensitively; None if it is not a level."""
    if isinstance(value, str):
        for level in levels:
            if level.casefold() == value.strip().casefold():
                return level
    return None


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


# Shown to every audience whatever the meeting's level: they identify the brief and name its
# files. Every other field is content, cleared by the level it carries.
ALWAYS_SHOWN: frozenset[KeyPath] = frozenset(
    {
        ("schema_version",),
        ("meeting", "title"),
        ("meeting", "date"),
        ("meeting", "id"),
        ("meeting", "language"),
    }
)
# The meeting's default level; a cleared meeting carries the overall marking here instead, so
# it never reveals a level the output does not contain.
MARKING: KeyPath = ("meeting", "classification")
_LEVEL = "classification"
_SCALARS = (str, int, float, bool, dt.date)


def is_item(model: type[BaseModel]) -> bool:
    """A model with its own `classification` is an item: it is kept or dropped as a whole."""
    return _LEVEL in model.model_fields


@cache
def check_filterable(model: type[BaseModel]) -> type[BaseModel]:
    """Refuse a model with a field `select()` cannot clear; called at import and per class.

    Every field is one of: an item or list of items (kept or dropped by its own level), a
    model or list of models inside one (carried by it), a plain value (carried by what holds
    it). Content that may be dropped needs a default to fall back to.
    """
    _check_fields(model, (), top=True)
    return model


def _check_fields(model: type[BaseModel], path: KeyPath, *, top: bool) -> None:
    for name, info in model.model_fields.items():
        where = (*path, name)
        element = _check_type(info.annotation, where)
        droppable = element is not None and is_item(element) and where != ("meeting",)
        if droppable and info.is_required():
            _refuse(where, "an item that may be dropped needs a default (None or [])")
        content = (top or path == ("meeting",)) and where not in ALWAYS_SHOWN
        if content and where not in (MARKING, ("meeting",)) and info.is_required():
            _refuse(where, "meeting-level content needs a default to fall back to")


def _check_type(annotation: Any, where: KeyPath) -> type[BaseModel] | None:
    """Check a field's type (recursing into models); the model it holds, if any."""
    inner, _ = _unwrap(annotation)
    if typing.get_origin(inner) is list:
        return _check_type(typing.get_args(inner)[0], where)
    if isinstance(inner, type) and issubclass(inner, BaseModel):
        _check_fields(inner, where, top=False)
        return inner
    if typing.get_origin(inner) is typing.Literal or (
        isinstance(inner, type) and issubclass(inner, _SCALARS)
    ):
        return None
    return _refuse(
        where, f"its type {annotation!r} is not text, a date, a number, a model or a list of those"
    )


def _refuse(path: KeyPath, why: str) -> typing.NoReturn:
    raise TypeError(
        f"select() cannot clear field {format_path(path)}: {why}; "
        "make it filterable or teach briefgen.audience about it"
    )


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(X, optional) for X, X | None and Annotated[X, ...]."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return annotation, optional
            annotation, optional = members[0], True
        else:
            return annotation, optional


def cleared(level: str, audience: Audience, levels: Sequence[str]) -> bool:
    """Whether an audience may see content marked `level` (a configured level)."""
    rank = {name: index for index, name in enumerate(levels)}
    return rank[level] <= rank[clearance_level(audience, list(levels))]


def select(meeting: Meeting, audience: Audience, levels: list[str]) -> Selection:
    """Remove every item above the audience's clearance; mark the result by what is left.

    Walks the model's fields, so a field added later is cleared by the level it carries.
    """
    check_filterable(type(meeting))
    rank = {level: index for index, level in enumerate(levels)}
    default = meeting.meeting.classification or levels[0]
    ceiling = rank[clearance_level(audience, levels)]
    present: list[str] = [levels[0]]
    meeting_level_visible = rank[default] <= ceiling

    def clear(value: BaseModel, path: KeyPath, level: str) -> BaseModel:
        """The model with its content cleared; `level` is the one its plain fields carry."""
        changes: dict[str, Any] = {}
        header = path in ((), ("meeting",))
        for name, info in type(value).model_fields.items():
            where = (*path, name)
            field_value = getattr(value, name)
            if where == MARKING:
                continue  # set from the marking once everything is cleared
            new_value: Any = clear_element(field_value, where, level)
            if new_value is _DROPPED:
                new_value = info.get_default(call_default_factory=True)
            if (
                header
                and where not in ALWAYS_SHOWN
                and not (
                    isinstance(field_value, BaseModel)
                    or _holds_items(typing.cast(typing.Hashable, info.annotation))
                )
            ):
                # Meeting-level content: shown only when the meeting's own level is.
                blank = info.get_default(call_default_factory=True)
                if not meeting_level_visible:
                    new_value = blank
                elif new_value != blank:
                    present.append(default)
            if new_value is not field_value:
                changes[name] = new_value
        return value.model_copy(update=changes) if changes else value

    def clear_element(value: Any, path: KeyPath, level: str) -> Any:
        if isinstance(value, list):
            kept = [clear_element(element, path, level) for element in value]
            return [element for element in kept if element is not _DROPPED]
        if not isinstance(value, BaseModel):
            return value
        if path == ("meeting",):
            return clear(value, path, level)
        if not is_item(type(value)):
            return clear(value, path, level)
        own = getattr(value, _LEVEL) or level
        if rank[own] > ceiling:
            return _DROPPED
        present.append(own)
        # Kept items carry their effective level, so portion marks need no defaulting later.
        return clear(value, path, own).model_copy(update={_LEVEL: own})

    cleared_meeting = clear(meeting, (), default)
    assert isinstance(cleared_meeting, Meeting)
    marking = max(present, key=rank.__getitem__)
    result = cleared_meeting.model_copy(
        update={"meeting": cleared_meeting.meeting.model_copy(update={_LEVEL: marking})}
    )
    return Selection(meeting=result, marking=marking)


@cache
def _holds_items(annotation: typing.Hashable) -> bool:
    """Whether a field holds items (which mark the output by their own levels)."""
    inner, _ = _unwrap(annotation)
    while typing.get_origin(inner) is list:
        inner, _ = _unwrap(typing.get_args(inner)[0])
    return isinstance(inner, type) and issubclass(inner, BaseModel) and is_item(inner)


_DROPPED = object()  # an item above the clearance: removed from its list, or its field reset

check_filterable(Meeting)

# The meeting's lists of marked items (participants, key points, decisions, outcomes, …), read
# from the model, so templates' portion marks cover a list added later too.
ITEM_LISTS = tuple(
    name
    for name, field in Meeting.model_fields.items()
    if typing.get_origin(_unwrap(field.annotation)[0]) is list
    and _holds_items(typing.cast(typing.Hashable, field.annotation))
)
