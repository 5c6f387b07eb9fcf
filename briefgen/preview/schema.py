"""The meeting schema as the page's editor sees it: the project's marking levels as choices."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from briefgen.schema import shipped_schema_text


def editor_schema(levels: Sequence[str]) -> dict[str, Any]:
    """The shipped meeting schema, with every `classification` offering the project's levels.

    The editor uses the schema for completion and hover only; the diagnostics come from the
    server (validation and lint), so a level written in another case is not flagged twice.
    """
    schema: dict[str, Any] = json.loads(shipped_schema_text("meeting"))
    _offer_levels(schema, list(levels))
    return schema


def _offer_levels(node: Any, levels: list[str]) -> None:
    if isinstance(node, dict):
        properties = node.get("properties")
        if isinstance(properties, dict) and "classification" in properties:
            old = properties["classification"]
            description = _description(old)
            properties["classification"] = {
                "enum": levels,
                "description": description,
                "title": "Classification",
            }
        for value in node.values():
            _offer_levels(value, levels)
    elif isinstance(node, list):
        for value in node:
            _offer_levels(value, levels)


def _description(node: Any) -> str:
    if isinstance(node, dict):
        if isinstance(node.get("description"), str):
            return str(node["description"])
        for option in node.get("anyOf", []):
            found = _description(option)
            if found:
                return found
    return ""
