"""What `briefgen archive show` says about a version: its source in a few lines, and a field-level
summary of what changed from the version before (a redline does it word by word)."""

from __future__ import annotations

import re
from typing import Any

# How items of each list are recognised across versions, and what a person calls one.
_LISTS = {
    "participants": ("Participant", ("name",)),
    "key_points": ("Key point", ("title", "text")),
    "outcomes": ("Outcome", ("title", "text")),
    "initiatives": ("Initiative", ("name",)),
    "sections": ("Section", ("heading",)),
}
_TEXTS = {"purpose": "Purpose", "summary": "Background"}
_VERSION = re.compile(r"_v(\d+)\.pdf$")


def versions_before(entries: list[dict[str, Any]], entry: dict[str, Any]) -> list[dict[str, Any]]:
    """Earlier versions of the same meeting for the same audience, oldest first."""
    stem = _VERSION.sub("", entry["file"])
    same = [
        e for e in entries
        if _VERSION.sub("", e["file"]) == stem and e["audience"] == entry["audience"]
        and e["version"] < entry["version"]
    ]  # fmt: skip
    return sorted(same, key=lambda e: int(e["version"]))


def summary(source: dict[str, Any] | None) -> list[str]:
    """The embedded source in a few lines: what the meeting is, who is in it, how much it says."""
    if source is None:
        return ["(no embedded source: archived before briefs carried theirs)"]
    info = _dict(source.get("meeting"))
    when = ", ".join(str(info[k]) for k in ("date", "time", "location") if info.get(k))
    lines = [f"{info.get('title', '?')} ({when})"]
    if info.get("organiser"):
        lines.append(f"organiser: {info['organiser']}")
    lines.append(f"marking: {info.get('classification', '?')}")
    people = [p for p in source.get("participants") or [] if isinstance(p, dict)]
    if people:
        names = ", ".join(
            f"{p.get('name')} ({p['role']})" if p.get("role") else str(p.get("name"))
            for p in people
        )
        lines.append(f"participants ({len(people)}): {names}")
    counts = [
        f"{len(source.get(key) or [])} {label.lower()}s"
        for key, (label, _) in _LISTS.items()
        if key != "participants"
    ]
    lines.append(", ".join(counts))
    return lines


def changes(
    old_entry: dict[str, Any],
    new_entry: dict[str, Any],
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
) -> list[str]:
    """One line per change, in document order: how it was built, then the meeting's fields."""
    found = _build_changes(old_entry, new_entry)
    if old is None or new is None:
        found.append("(a version without an embedded source: its content cannot be compared)")
        return found
    found += _mapping_changes("Meeting", _dict(old.get("meeting")), _dict(new.get("meeting")))
    for key, label in _TEXTS.items():
        if old.get(key) != new.get(key):
            found.append(_presence(label, old.get(key), new.get(key)))
    for key, (label, keys) in _LISTS.items():
        found += _list_changes(label, keys, _items(old.get(key)), _items(new.get(key)))
    return found or ["no change in the source"]


def _build_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    found = []
    if old.get("source_sha256") != new.get("source_sha256"):
        found.append(
            f"source file changed ({old.get('source')} -> {new.get('source')})"
            if old.get("source") != new.get("source")
            else "source file changed"
        )
    old_files, new_files = _dict(old.get("templates")), _dict(new.get("templates"))
    changed = sorted(n for n in old_files.keys() | new_files.keys()
                     if old_files.get(n) != new_files.get(n))  # fmt: skip
    if changed:
        found.append("templates, themes or fonts changed: " + ", ".join(changed))
    if old.get("config_sha256") != new.get("config_sha256"):
        found.append("briefgen.yaml changed")
    if old.get("briefgen_version") != new.get("briefgen_version"):
        found.append(f"briefgen {old.get('briefgen_version')} -> {new.get('briefgen_version')}")
    if old.get("marking") != new.get("marking"):
        found.append(f"marking {old.get('marking')} -> {new.get('marking')}")
    return found


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _items(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _presence(label: str, old: object, new: object) -> str:
    if old is None:
        return f"{label} added"
    if new is None:
        return f"{label} removed"
    return f"{label} changed"


def _mapping_changes(label: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    found = []
    for key in [*old, *(k for k in new if k not in old)]:
        if old.get(key) == new.get(key):
            continue
        if key not in new:
            found.append(f"{label} {key} removed (was {_short(old[key])})")
        elif key not in old:
            found.append(f"{label} {key} added: {_short(new[key])}")
        else:
            found.append(f"{label} {key}: {_short(old[key])} -> {_short(new[key])}")
    return found


def _identity(item: dict[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        if item.get(key):
            return _short(item[key])
    return "?"


def _list_changes(
    label: str, keys: tuple[str, ...], old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> list[str]:
    old_by = {_identity(item, keys): item for item in old}
    new_by = {_identity(item, keys): item for item in new}
    found = []
    for name, item in new_by.items():
        if name not in old_by:
            found.append(f"{label} added: {name}")
        elif old_by[name] != item:
            fields = sorted(k for k in old_by[name].keys() | item.keys()
                            if old_by[name].get(k) != item.get(k))  # fmt: skip
            found.append(f"{label} {name} changed ({', '.join(fields)})")
    found += [f"{label} removed: {name}" for name in old_by if name not in new_by]
    if not found and list(old_by) != list(new_by):
        found.append(f"{label}s reordered")
    return found


def _short(value: object, width: int = 60) -> str:
    text = " ".join(str(value).split())
    return repr(text if len(text) <= width else text[: width - 1] + "…")
