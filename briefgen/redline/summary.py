"""The change summary: what differs between two cleared meetings, in the user's words.

Items are matched by identity (a title, name or heading), then by equal text, then by likeness
(difflib), so an edited item reads as edited and a reordered one as moved. Both meetings must
already be cleared for the audience: this module never sees what the audience may not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any, TypeVar

from briefgen.model import Initiative, Item, Meeting, Participant, Section

T = TypeVar("T")
_ALIKE = 0.5
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Change:
    """One line of the summary, and words that must be in the brief for it to be shown there
    (a change to something the audience's template leaves out is not news to that reader)."""

    text: str
    evidence: str = ""


def words(text: str) -> str:
    return " ".join(_WORD.findall(_LINK.sub(r"\1", text).casefold()))


def excerpt(text: str, count: int = 6) -> str:
    plain = " ".join(_LINK.sub(r"\1", text).replace("*", "").replace("_", " ").split())
    cut = plain.split(" ")
    return plain if len(cut) <= count else " ".join(cut[:count]) + "…"


def match(
    old: Sequence[T], new: Sequence[T], ident: Callable[[T], str | None], text: Callable[[T], str]
) -> list[tuple[int, int]]:
    """Pairs of (old index, new index): same identity, else same text, else most alike."""
    pairs: list[tuple[int, int]] = []
    free_old, free_new = set(range(len(old))), set(range(len(new)))
    for key in (ident, text):
        for j in sorted(free_new):
            k = key(new[j])
            found = next((i for i in sorted(free_old) if k and key(old[i]) == k), None)
            if found is not None:
                pairs.append((found, j))
                free_old.discard(found)
                free_new.discard(j)
    scored = sorted(
        (
            (SequenceMatcher(None, text(old[i]).split(), text(new[j]).split()).ratio(), i, j)
            for i in free_old
            for j in free_new
            if ident(old[i]) is None or ident(new[j]) is None
        ),  # two titled items differ
        reverse=True,
    )
    for score, i, j in scored:
        if score >= _ALIKE and i in free_old and j in free_new:
            pairs.append((i, j))
            free_old.discard(i)
            free_new.discard(j)
    return sorted(pairs, key=lambda p: p[1])


def moved(pairs: list[tuple[int, int]]) -> set[int]:
    """New indices of matched items out of their old order: all but the longest run in order."""
    olds = [i for i, _ in pairs]
    best: list[list[int]] = []  # best[k]: longest increasing run ending at k (as positions)
    for k, value in enumerate(olds):
        options = [best[m] for m in range(k) if olds[m] < value]
        longest = max(options, key=lambda run: len(run), default=[])  # earliest of the longest
        best.append([*longest, k])
    keep: set[int] = set()
    for run in best:
        if len(run) > len(keep):
            keep = set(run)
    return {pairs[k][1] for k in range(len(pairs)) if k not in keep}


def _level_change(what: str, old: str | None, new: str | None, levels: Sequence[str]) -> str:
    rank = {level: index for index, level in enumerate(levels)}
    way = "raised" if rank.get(new or "", 0) > rank.get(old or "", 0) else "lowered"
    return f"Classification of {what} {way} from {old} to {new}"


def _value(name: str, old: Any, new: Any) -> str:
    if old is None:
        return f"{name} set to {new}"
    if new is None:
        return f"{name} removed (was {old})"
    return f"{name} changed from {old} to {new}"


def _list_changes(
    kind: str,
    old: Sequence[T],
    new: Sequence[T],
    ident: Callable[[T], str | None],
    text: Callable[[T], str],
    label: Callable[[T], str],
    details: Callable[[T, T, str], list[Change]],
) -> list[Change]:
    pairs = match(old, new, ident, text)
    out_of_order = moved(pairs)
    by_new = {j: i for i, j in pairs}
    matched_old = {i for i, _ in pairs}
    events: list[tuple[float, Change]] = []
    for j, item in enumerate(new):
        name = label(item)
        if j not in by_new:
            events.append((j, Change(f"{kind} added: {name}", name)))
            continue
        before = old[by_new[j]]
        if j in out_of_order:
            events.append((j, Change(f"{kind} '{name}' moved", name)))
        events.extend((j, change) for change in details(before, item, name))
    # A removed item is listed where it stood: after the item it used to follow.
    for i, item in enumerate(old):
        if i not in matched_old:
            after = [j for oi, j in pairs if oi < i]
            name = label(item)
            events.append((max(after, default=-1) + 0.5, Change(f"{kind} removed: {name}", name)))
    return [change for _, change in sorted(events, key=lambda e: e[0])]


def summarise(old: Meeting, new: Meeting, levels: Sequence[str]) -> list[Change]:
    """Every change from OLD to NEW, in the order a staff brief shows them."""
    out: list[Change] = []
    a, b = old.meeting, new.meeting
    for field, name in (
        ("title", "Title"),
        ("date", "Meeting date"),
        ("time", "Meeting time"),
        ("location", "Location"),
        ("organiser", "Organiser"),
        ("language", "Language"),
    ):
        before, after = getattr(a, field), getattr(b, field)
        if before != after:
            out.append(Change(_value(name, before, after), str(after or before)))
    if a.classification != b.classification:
        rank = {level: index for index, level in enumerate(levels)}
        way = (
            "raised"
            if rank.get(b.classification or "", 0) > rank.get(a.classification or "", 0)
            else "lowered"
        )
        out.append(Change(f"Overall marking {way} from {a.classification} to {b.classification}"))
    out.extend(_text_change("Purpose", old.purpose, new.purpose))
    out.extend(_items("Decision", old.decisions, new.decisions, levels))
    out.extend(_items("Key point", old.key_points, new.key_points, levels))
    out.extend(_items("Outcome", old.outcomes, new.outcomes, levels))
    out.extend(
        _list_changes(
            "Participant",
            old.participants,
            new.participants,
            lambda p: p.name,
            lambda p: p.name,
            lambda p: p.name,
            lambda x, y, name: _participant(x, y, name, levels),
        )
    )
    out.extend(_text_change("Background", old.summary, new.summary))
    out.extend(
        _list_changes(
            "Initiative",
            old.initiatives,
            new.initiatives,
            lambda i: i.name,
            lambda i: " ".join(filter(None, (i.name, i.objective, i.description))),
            lambda i: i.name,
            lambda x, y, name: _initiative(x, y, name, levels),
        )
    )
    out.extend(
        _list_changes(
            "Section",
            old.sections,
            new.sections,
            lambda s: s.heading,
            lambda s: " ".join(filter(None, (s.heading, s.body))),
            lambda s: s.heading,
            lambda x, y, name: _section(x, y, name, levels),
        )
    )
    return out


def _text_change(name: str, old: str | None, new: str | None) -> list[Change]:
    if old == new:
        return []
    if old is None:
        return [Change(f"{name} added", excerpt(new or ""))]
    if new is None:
        return [Change(f"{name} removed", excerpt(old))]
    return [Change(f"{name} reworded", excerpt(new))]


def _item_label(item: Item) -> str:
    return item.title or excerpt(item.text)


def _items(kind: str, old: list[Item], new: list[Item], levels: Sequence[str]) -> list[Change]:
    def details(x: Item, y: Item, name: str) -> list[Change]:
        out = []
        if x.title != y.title:
            was = x.title or excerpt(x.text)
            out.append(Change(f"{kind} '{was}' renamed to '{name}'", name))
        if x.text != y.text:
            out.append(Change(f"{kind} '{name}' reworded", name))
        if x.classification != y.classification:
            out.append(
                Change(
                    _level_change(
                        f"{kind.lower()} '{name}'", x.classification, y.classification, levels
                    ),
                    name,
                )
            )
        return out

    return _list_changes(kind, old, new, lambda i: i.title, lambda i: i.text, _item_label, details)


def _fields(kind: str, name: str, x: Any, y: Any, names: dict[str, str]) -> list[Change]:
    out = []
    for field, label in names.items():
        before, after = getattr(x, field), getattr(y, field)
        before = getattr(before, "text", before)  # a partial date, as written
        after = getattr(after, "text", after)
        if before != after:
            out.append(Change(f"{kind} '{name}' {_value(label, before, after)}", name))
    return out


def _participant(x: Participant, y: Participant, name: str, levels: Sequence[str]) -> list[Change]:
    out = _fields(
        "Participant",
        name,
        x,
        y,
        {"role": "role", "organisation": "organisation", "side": "delegation"},
    )
    if x.bio != y.bio:
        out.append(Change(f"Participant '{name}' biography reworded", name))
    if x.classification != y.classification:
        out.append(
            Change(
                _level_change(f"participant '{name}'", x.classification, y.classification, levels),
                name,
            )
        )
    return out


def _initiative(x: Initiative, y: Initiative, name: str, levels: Sequence[str]) -> list[Change]:
    out = []
    for field in ("start", "end"):
        before, after = getattr(x, field), getattr(y, field)
        was, now = (before.text if before else None), (after.text if after else None)
        if was != now:
            what = f"{field} moved from {was} to {now}" if was and now else _value(field, was, now)
            out.append(Change(f"Initiative '{name}' {what}", name))
    old_ms, new_ms = x.milestones, y.milestones
    paired = match(old_ms, new_ms, lambda m: m.label, lambda m: m.label)
    for i, j in paired:
        if old_ms[i].date != new_ms[j].date:
            out.append(
                Change(
                    f"Initiative '{name}' milestone '{new_ms[j].label}' moved from "
                    f"{old_ms[i].date} to {new_ms[j].date}",
                    name,
                )
            )
    for j, m in enumerate(new_ms):
        if j not in {p[1] for p in paired}:
            out.append(Change(f"Initiative '{name}' milestone added: '{m.label}' ({m.date})", name))
    for i, m in enumerate(old_ms):
        if i not in {p[0] for p in paired}:
            out.append(
                Change(f"Initiative '{name}' milestone removed: '{m.label}' ({m.date})", name)
            )
    for field, label in (("objective", "objective"), ("description", "description")):
        if getattr(x, field) != getattr(y, field):
            out.append(Change(f"Initiative '{name}' {label} reworded", name))
    out += _fields(
        "Initiative", name, x, y, {"timeline": "cadence", "owner": "owner", "status": "status"}
    )
    if x.classification != y.classification:
        out.append(
            Change(
                _level_change(f"initiative '{name}'", x.classification, y.classification, levels),
                name,
            )
        )
    return out


def _section(x: Section, y: Section, name: str, levels: Sequence[str]) -> list[Change]:
    out: list[Change] = []
    if x.body != y.body:
        out.extend(
            Change(f"Section '{name}' {c.text.split(' ', 1)[1].lower()}", name)
            for c in _text_change("Text", x.body, y.body)
        )
    if x.table != y.table:
        out.append(Change(f"Section '{name}' table {_table_change(x, y)}", name))
    if x.classification != y.classification:
        out.append(
            Change(
                _level_change(f"section '{name}'", x.classification, y.classification, levels), name
            )
        )
    return out


def _table_change(x: Section, y: Section) -> str:
    if x.table is None:
        return "added"
    if y.table is None:
        return "removed"
    parts = []
    if x.table.columns != y.table.columns:
        parts.append("columns changed")
    old_rows, new_rows = x.table.rows, y.table.rows
    pairs = match(old_rows, new_rows, lambda r: r[0] if r else None, lambda r: " ".join(r))
    edited = sum(
        sum(a != b for a, b in zip(old_rows[i], new_rows[j], strict=False)) for i, j in pairs
    )
    added, removed = len(new_rows) - len(pairs), len(old_rows) - len(pairs)
    for count, what in ((edited, "cell edited"), (added, "row added"), (removed, "row removed")):
        if count:
            plural = what.replace("cell", "cells").replace("row ", "rows ") if count > 1 else what
            parts.append(f"{count} {plural}")
    if moved(pairs):
        parts.append("rows reordered")
    return ", ".join(parts) or "changed"
