"""JSON Schema of briefgen's files, exported from the pydantic models, for editors and lint."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def meeting_schema() -> dict[str, Any]:
    from briefgen.model import Item, Meeting

    schema = _export(Meeting)
    # Item's before-validator also accepts a bare string (`- Avoid commitments…`), which pydantic
    # cannot see; without this an editor would flag every string key point of a valid file.
    item = schema["$defs"][Item.__name__]
    text = dict(item["properties"]["text"])
    text.pop("title", None)
    description = item.get("description", "")
    schema["$defs"][Item.__name__] = {"anyOf": [text, item], "description": description}
    return schema


def theme_schema() -> dict[str, Any]:
    from briefgen.theme import ROLES, Theme

    schema = _export(Theme)
    # Role names are checked by a validator; listing them lets an editor complete them.
    schema["properties"]["roles"]["propertyNames"] = {"enum": list(ROLES)}
    return schema


def pack_schema() -> dict[str, Any]:
    from briefgen.packfile import Pack

    return _export(Pack)


def config_schema() -> dict[str, Any]:
    from briefgen.config import ProjectConfig

    return _export(ProjectConfig)


# The file kinds `briefgen schema KIND` knows; a new kind is one line here.
SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    "meeting": meeting_schema,
    "theme": theme_schema,
    "pack": pack_schema,
    "config": config_schema,
}


def schema_text(kind: str) -> str:
    """The schema of a file kind as the JSON text that is shipped and printed."""
    return json.dumps(SCHEMAS[kind](), indent=2, ensure_ascii=False) + "\n"


def shipped_schema_text(kind: str) -> str:
    """The schema file shipped inside the package (briefgen/schemas/KIND.schema.json)."""
    return resources.files("briefgen").joinpath(f"schemas/{kind}.schema.json").read_text("utf-8")


def _export(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema(mode="validation")
    _drop_excluded_fields(model, schema)
    _numbers_are_text(schema)
    return {"$schema": JSON_SCHEMA_DIALECT, **schema}


def _numbers_are_text(node: Any) -> None:
    # briefgen reads every scalar as the text written, so `end: 2031` or `timeline: 2025` is
    # valid text; editors read such values as numbers, so text fields accept numbers too.
    if isinstance(node, dict):
        if node.get("type") == "string":
            node["type"] = ["string", "number"]
        for value in node.values():
            _numbers_are_text(value)
    elif isinstance(node, list):
        for value in node:
            _numbers_are_text(value)


def _drop_excluded_fields(model: type[BaseModel], schema: dict[str, Any]) -> None:
    # Fields marked exclude=True (such as base_dir) are filled in by the loader, not written by
    # people, so an editor should not offer them.
    for name, field in model.model_fields.items():
        if field.exclude:
            schema.get("properties", {}).pop(name, None)
            if name in schema.get("required", []):
                schema["required"].remove(name)
