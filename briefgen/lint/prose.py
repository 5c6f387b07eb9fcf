"""The prose of one text value as lint sees it: words, sentence starts and list items, no markup.

Markup, URLs and e-mail addresses are blanked out (replaced by spaces, so offsets stay those of
the value) before any rule looks at the words: `**Note:**see` is punctuation and markup, not a
missing space, and `example.org/Report` is not a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")  # letters, inner apostrophes

_URL = re.compile(
    r"\b(?:https?|ftp|mailto):[^\s<>()\[\]]+|\bwww\.[^\s<>()\[\]]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)
_CODE_SPAN = re.compile(r"`+[^`]*`+")
_LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_MARKUP_CHARS = re.compile(r"[*_\[\]|<>]|^[ \t]*#{1,6}(?=\s)|^[ \t]*:::.*$", re.MULTILINE)
LIST_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]+", re.MULTILINE)
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+")  # closing quotes may follow
_OPENING = "\"'\u201c\u2018([ "


# Words that end in a full stop without ending a sentence ("e.g. the", "approx. three").
def word_set(text: str) -> frozenset[str]:
    """A set of words written as one string, for readable word lists."""
    return frozenset(text.split())


ABBREVIATIONS = word_set(
    """al approx art ca capt cf ch col dept dr ed eds eg est etc fig gen ibid ie incl jr lt mr
    mrs ms no nos op p para pp prof ref resp sec sgt sr st viz vol vs
    jan feb mar apr jun jul aug sep sept oct nov dec"""
)


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str


@dataclass
class Prose:
    text: str
    masked: str  # `text` with markup, URLs, e-mail addresses and hidden spans turned into spaces
    words: list[Word]
    # Offset of the first letter of each sentence → "start" (of the value or a paragraph),
    # "item" (a Markdown list item) or "sentence" (after a full stop, ! or ?).
    starts: dict[int, str]
    # Markdown list items as (list number, offset of the item's first character).
    list_items: list[tuple[int, int]] = field(default_factory=list)

    def sentence_start(self, offset: int) -> bool:
        return offset in self.starts

    def word_at(self, offset: int) -> Word | None:
        return next((w for w in self.words if w.start <= offset < w.end), None)


def analyse(text: str, markdown: bool, hidden: Iterable[tuple[int, int]] = ()) -> Prose:
    """Blank out what is not prose and find the words, sentence starts and list items."""
    chars = list(text)
    patterns = [_URL, _CODE_SPAN, _LINK_TARGET, _MARKUP_CHARS, LIST_ITEM] if markdown else [_URL]
    spans = [m.span() for pattern in patterns for m in pattern.finditer(text)]
    for start, end in [*spans, *hidden]:
        chars[start:end] = " " * (end - start)
    masked = "".join(chars)
    words = [Word(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(masked)]
    list_items = _list_items(text) if markdown else []
    starts = _sentence_starts(masked, text, {offset for _, offset in list_items})
    return Prose(text, masked, words, starts, list_items)


def first_letter(masked: str, offset: int) -> int | None:
    """Offset of the letter a sentence starting at `offset` begins with (None if not a letter)."""
    while offset < len(masked) and masked[offset] in _OPENING:
        offset += 1
    if offset < len(masked) and masked[offset].isalpha():
        return offset
    return None


def _list_items(text: str) -> list[tuple[int, int]]:
    """Markdown list items, numbered so that items of one list (same indent, no prose between)
    share a number."""
    items: list[tuple[int, int]] = []
    number = 0
    current_indent: int | None = None
    offset = 0
    for line in text.splitlines(keepends=True):
        match = LIST_ITEM.match(line)
        if match:
            indent = len(match.group(1))
            if indent != current_indent:
                number += 1
                current_indent = indent
            items.append((number, offset + match.end()))
        elif line.strip() and not line.startswith((" ", "\t")) and current_indent is not None:
            current_indent = None  # an unindented paragraph ends the list
        offset += len(line)
    return items


def _sentence_starts(masked: str, text: str, item_starts: set[int]) -> dict[int, str]:
    starts: dict[int, str] = {}
    # The value's first line, and every line after a blank line, starts a paragraph.
    for match in re.finditer(r"(?:\A|\n[ \t]*\n)\s*", masked):
        letter = first_letter(masked, match.end())
        if letter is not None and match.end() not in item_starts:
            starts[letter] = "start"
    for offset in item_starts:
        letter = first_letter(masked, offset)
        if letter is not None:
            starts[letter] = "item"
    for match in _SENTENCE_END.finditer(masked):
        stop = match.start()
        if _ends_abbreviation(masked, stop) or masked[stop - 1 : stop] == ".":
            continue  # "e.g. the", and an ellipsis ("wait... then") does not end a sentence
        letter = first_letter(masked, match.end())
        if letter is not None:
            starts.setdefault(letter, "sentence")
    return starts


def _ends_abbreviation(masked: str, stop: int) -> bool:
    """Whether the full stop at `stop` ends an abbreviation (e.g., U.S., approx.) or an initial."""
    if masked[stop] != ".":
        return False
    word_start = stop
    while word_start > 0 and not masked[word_start - 1].isspace():
        word_start -= 1
    token = masked[word_start:stop]
    if not token or token[-1].isdigit():
        return False
    if len(token) == 1 or re.fullmatch(r"(?:[^\W\d_]\.)+[^\W\d_]", token):
        return True  # an initial ("J. Smith") or letters with stops ("e.g", "U.S")
    return token.casefold().rstrip(".") in ABBREVIATIONS
