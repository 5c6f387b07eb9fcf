"""Lint rules that compare text values with each other: consistent case and consistent spelling.

A list item, table cell or heading is judged against its siblings rather than against a fixed
style guide: a file may use Title Case or sentence case for its headings, but not both.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence

from briefgen.lint.prose import Prose, Word, first_letter, word_set
from briefgen.lint.rules import Finding, is_prose
from briefgen.lint.source import TextValue
from briefgen.lint.words import ALLOWED_FIELDS, Names, dictionary_knows, normalise, variety

Pair = tuple[TextValue, Prose]

# Words Title Case leaves in lower case (articles, conjunctions, prepositions).
SMALL_WORDS = word_set(
    """a an the and but or nor for so yet as at by in of off on per to up via with from into
    onto over than vs versus between among amid amidst about within without under after before
    upon near towards toward across against along through throughout during since until"""
)


def _heading_group(value: TextValue) -> str | None:
    path = value.path
    if path[0] == "sections" and path[-1] == "heading":
        return "heading"
    if path[0] == "sections" and len(path) >= 2 and path[-2] == "columns":
        return "table header"
    return None


def _sibling_key(path: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Values that are siblings share this key: the same field of every item of one list, or
    the same column of every row of one table."""
    indexes = [i for i, part in enumerate(path) if isinstance(part, int)]
    if not indexes:
        return path
    at = indexes[-1]
    if len(path) >= 2 and isinstance(path[-1], int) and isinstance(path[-2], int):
        at = len(path) - 2  # a table cell (row, column): the same column of the other rows
    return (*path[:at], "*", *path[at + 1 :])


def sibling_case(pairs: Sequence[Pair]) -> Iterator[Finding]:
    """A list item or table cell in lower case where its siblings start with a capital."""
    groups: dict[tuple[object, ...], list[tuple[TextValue, Prose, int]]] = defaultdict(list)
    for value, prose in pairs:
        for number, offset in prose.list_items:  # items of a Markdown list inside the text
            letter = first_letter(prose.masked, offset)
            if letter is not None:
                groups[(value.path, number)].append((value, prose, letter))
        if is_prose(value) or _heading_group(value) or len(value.path) < 2:
            continue
        start = len(value.text) - len(value.text.lstrip())
        letter = first_letter(prose.masked, start)
        if letter == start:
            groups[_sibling_key(value.path)].append((value, prose, letter))
    for members in groups.values():
        for value, prose, letter in members:
            found = prose.word_at(letter)
            word = found.text if found else prose.masked[letter]
            if not prose.masked[letter].islower() or any(c.isupper() for c in word[1:]):
                continue
            others = [p.masked[at] for v, p, at in members if (v, at) != (value, letter)]
            upper = sum(c.isupper() for c in others)
            if upper and upper > len(others) - upper:
                yield Finding(
                    "lowercase-start",
                    value,
                    letter,
                    letter + 1,
                    "starts in lower case; its siblings start with a capital",
                    f"'{word[:1].upper()}{word[1:]}'",
                )


def heading_case(pairs: Sequence[Pair], names: Names) -> Iterator[Finding]:
    """Section headings (and, separately, table headers) that mix Title Case and sentence case."""
    groups: dict[str, list[Pair]] = defaultdict(list)
    for value, prose in pairs:
        group = _heading_group(value)
        if group:
            groups[group].append((value, prose))
    for group, members in groups.items():
        if len(members) < 2:
            continue
        analysed = [(value, prose, *_case_words(prose, names)) for value, prose in members]
        votes = Counter(_vote(cap, low) for _, _, _, cap, low in analysed)
        style = None
        if votes["title"] != votes["sentence"]:
            style = "title" if votes["title"] > votes["sentence"] else "sentence"
        firsts = [first for _, _, first, _, _ in analysed if first is not None]
        for value, _prose, first, cap, low in analysed:
            others = [other.text[0] for other in firsts if other is not first]
            upper = sum(c.isupper() for c in others)
            if first is not None and first.text[0].islower() and upper > len(others) - upper:
                yield Finding(
                    "heading-case",
                    value,
                    first.start,
                    first.end,
                    f"{group} starts in lower case; the other {group}s start with a capital",
                    f"'{first.text.capitalize()}'",
                )
            wrong = low if style == "title" else cap if style == "sentence" else []
            for word in wrong:
                fixed = word.text.capitalize() if style == "title" else word.text.lower()
                case = "Title Case" if style == "title" else "sentence case"
                yield Finding(
                    "heading-case",
                    value,
                    word.start,
                    word.end,
                    f"'{word.text}' does not follow the {case} of the other {group}s",
                    f"'{fixed}'",
                )


def _vote(cap: list[Word], low: list[Word]) -> str | None:
    if len(cap) > len(low):
        return "title"
    return "sentence" if len(low) > len(cap) else None


def _case_words(prose: Prose, names: Names) -> tuple[Word | None, list[Word], list[Word]]:
    """A heading's first word, and its other significant words in capitals and in lower case."""
    words = prose.words
    if not words:
        return None, [], []
    proper = [(start, end) for start, end, _ in proper_spans(prose.masked, names)]
    cap: list[Word] = []
    low: list[Word] = []
    for word in words[1:]:
        bare = normalise(word.text)
        if (
            bare.casefold() in SMALL_WORDS
            or len(bare) < 2
            or bare.isupper()
            or any(c.isupper() for c in bare[1:])
            or prose.masked[word.start - 1] in "-'\u2019"  # the second half of High-Level
            or any(start <= word.start < end for start, end in proper)
        ):
            continue
        if bare[0].isupper():
            if bare not in names.proper_words:  # a name keeps its capital in any style
                cap.append(word)
        else:
            low.append(word)
    return words[0], cap, low


def proper_noun_case(pairs: Sequence[Pair], names: Names) -> Iterator[Finding]:
    """A name of the meeting written in another case (`Bosnia and herzegovina`)."""
    for value, prose in pairs:
        for start, end, phrase in proper_spans(prose.masked, names):
            written = " ".join(prose.masked[start:end].split())
            if written == phrase or (written.isupper() and len(written) > 4):
                continue  # exact, or a heading in capitals on purpose
            if _only_first_word_differs(written, phrase):
                continue  # "the national CERTs": a descriptive name used as ordinary words
            pairs_of_chars = enumerate(zip(written, phrase, strict=False))
            differs = next((i for i, (a, b) in pairs_of_chars if a != b), 0)
            at = start + _raw_index(prose.masked[start:end], differs)
            word = prose.word_at(at)
            where = (word.start, word.end) if word else (at, at + 1)
            yield Finding(
                "proper-noun-case",
                value,
                *where,
                f"'{written}' is written '{phrase}' elsewhere in this file",
                f"'{phrase}'",
            )


def _only_first_word_differs(written: str, phrase: str) -> bool:
    written_words, phrase_words = written.split(), phrase.split()
    return (
        len(phrase_words) > 1
        and written_words[1:] == phrase_words[1:]
        and dictionary_knows(phrase_words[0])
    )


def proper_spans(text: str, names: Names) -> list[tuple[int, int, str]]:
    """Where the file's proper nouns occur in a text, in any case, longest name first."""
    spans: list[tuple[int, int, str]] = []
    for phrase in names.phrases:
        for match in _phrase_pattern(phrase).finditer(text):
            if not any(s < match.end() and match.start() < e for s, e, _ in spans):
                spans.append((match.start(), match.end(), phrase))
    return sorted(spans)


@functools.lru_cache(maxsize=1024)
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    body = r"\s+".join(re.escape(part) for part in phrase.split())
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE)


def _raw_index(span: str, normalised_index: int) -> int:
    """Index in `span` of a character counted in its whitespace-collapsed form."""
    seen = -1
    previous_space = False
    for index, char in enumerate(span):
        if char.isspace():
            if previous_space:
                continue
            previous_space = True
        else:
            previous_space = False
        seen += 1
        if seen == normalised_index:
            return index
    return 0


def mixed_spelling(pairs: Sequence[Pair], names: Names) -> Iterator[Finding]:
    """British and American spellings in one file (`defence` and `defense`): flags the minority."""
    found: list[tuple[TextValue, Word, str, str]] = []
    for value, prose in pairs:
        if (str(value.path[0]), str(value.path[-1])) in ALLOWED_FIELDS:
            continue  # names keep their own spelling (Hellenic Defense Ministry)
        proper = proper_spans(prose.masked, names)
        for word in prose.words:
            if any(start <= word.start < end for start, end, _ in proper):
                continue
            spelt = variety(word.text)
            if spelt:
                found.append((value, word, *spelt))
    counts = Counter(kind for _, _, kind, _ in found)
    if len(counts) < 2:
        return
    # The file's variety is the one it uses most; on a tie, the one it uses first.
    first_kind = found[0][2]
    majority = max(counts, key=lambda kind: (counts[kind], kind == first_kind))
    for value, word, kind, other in found:
        if kind != majority:
            yield Finding(
                "mixed-spelling",
                value,
                word.start,
                word.end,
                f"'{word.text}' is {kind} spelling; this file mostly uses {majority} spelling",
                f"'{other}'",
            )
