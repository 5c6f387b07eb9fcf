"""Wording that reaches the public readout: no instructions addressed to staff.

A key point written for the principal ("Ask Greece to host the hub") is fine in an internal
brief, but an item marked at the lowest level prints in the public readout, where an imperative
reads as an instruction leaked from the brief. The rule looks at the first word of each sentence
of every text value that the lowest level may see: the value's nearest `classification` (an
item's own, else the meeting's), as the clearance filter decides it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from briefgen.lint.rules import Finding
from briefgen.lint.source import TextValue

# Verbs that open a staff instruction in briefs ("Press for…", "Avoid commitments…"). Only
# words that are verbs when they open a sentence: "Thanks to both ministers" is no instruction.
IMPERATIVES = frozenset(
    """
    ask avoid brief call check confirm convey deflect demand do don't emphasise emphasize encourage
    ensure explore express flag highlight insist invite make mention note offer point press probe
    propose push raise reassure recall refer register reiterate remind request resist respond seek
    signal state stress suggest tell thank underline urge warn
    """.split()  # noqa: SIM905 - a word list reads better as words
)
# A sentence's first word: at the start, after a full stop, or opening a Markdown list item,
# through any emphasis (`**Ask** Greece`).
_SENTENCE_START = re.compile(
    r"(?:^|(?<=[.!?:;])\s+|\n\s*(?:[-*+]|\d+[.)])?\s*)[*_]*([A-Za-z][\w']*)[*_]*(?:\s+(\S+))?"
)
# A verb read as a noun: "State Secretary Novak", "Press freedom", "Offer of support".
_NOUN_AFTER = frozenset({"of", "freedom", "release", "releases", "conference", "coverage"})
_TITLES = frozenset({"State", "Press"})  # before a capital: "State Secretary", "Press Office"

# Fields that are not sentences a template prints as prose.
_NOT_PROSE = frozenset({"classification", "id", "date", "time", "start", "end", "ref", "language"})
# The brief's aim and asks: written as instructions by convention, never in the readout.
_NEVER_PUBLIC = frozenset({"meeting", "purpose", "decisions"})


def staff_imperatives(
    values: Sequence[TextValue], data: Any, levels: Sequence[str]
) -> Iterator[Finding]:
    """Sentences that open with an imperative in text the lowest level (the public) may see."""
    if not levels or not isinstance(data, dict):
        return
    lowest = levels[0].upper()  # markings compare without case, as the clearance filter does
    meeting = data.get("meeting")
    default = meeting.get("classification") if isinstance(meeting, dict) else None
    for value in values:
        if value.path[-1] in _NOT_PROSE or value.path[0] in _NEVER_PUBLIC:
            continue
        if _level(data, value.path, default or lowest) != lowest:
            continue
        for match in _SENTENCE_START.finditer(value.text):
            word, after = match.group(1), (match.group(2) or "").strip("*_,.;:")
            if word.lower() not in IMPERATIVES or not word[0].isupper():
                continue
            if after.lower() in _NOUN_AFTER or (word in _TITLES and after[:1].isupper()):
                continue
            yield Finding(
                "public-imperative",
                value,
                match.start(1),
                match.end(1),
                f"'{word} …' reads as an instruction to staff, but this text is {lowest} and "
                "prints in the public readout",
                "report what was said or agreed, or mark the item at a higher level",
            )


def _level(data: Any, path: tuple[Any, ...], level: str) -> str:
    """The nearest `classification` on the way down `path` (an item's own over its holder's)."""
    node = data
    for key in path:
        if isinstance(node, dict):
            own = node.get("classification")
            if isinstance(own, str) and own:
                level = own
            node = node.get(key)
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            break
    return str(level).upper()
