"""Lint rules that look at one text value at a time: encoding, spacing, sentence case, words.

Each rule yields `Finding`s with offsets into the value's text; lint.py turns them into file
positions. Only mojibake, missing-space and whitespace findings carry a replacement that
`--fix` may apply: those never change what the text says.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from briefgen.lint.prose import ABBREVIATIONS, Prose
from briefgen.lint.source import TextValue
from briefgen.lint.words import PREFIXES, Names, indefinite_article, normalise, suggest

SAFE_CODES = frozenset({"mojibake", "missing-space", "whitespace"})
# Free-text fields written as sentences: their first word starts a sentence.
PROSE_KEYS = frozenset({"purpose", "summary", "text", "body", "bio", "description"})
_LEGITIMATE_DOUBLES = frozenset({"had", "that"})  # "he had had", "that that is"


@dataclass(frozen=True)
class Finding:
    code: str
    value: TextValue
    start: int
    end: int
    message: str
    suggestion: str | None = None
    replacement: str | None = None  # what --fix writes instead of value.text[start:end]


def is_prose(value: TextValue) -> bool:
    return value.kind == "markdown" or value.path[-1] in PROSE_KEYS


def mojibake(value: TextValue) -> Iterator[Finding]:
    """Text decoded with the wrong encoding (`KomÅ¡ić`), repaired by ftfy."""
    for match in re.finditer(r"[^ \t\r\n]+", value.text):
        token = match.group()
        repaired = repair_mojibake(token)
        if repaired == token:
            continue
        prefix = _common_prefix(token, repaired)
        suffix = _common_prefix(token[prefix:][::-1], repaired[prefix:][::-1])
        start, end = match.start() + prefix, match.end() - suffix
        punctuation = ".,;:!?\"'()[]"
        yield Finding(
            "mojibake",
            value,
            start,
            end,
            f"'{token.strip(punctuation)}' looks like text decoded with the wrong encoding",
            f"'{repaired.strip(punctuation)}'",
            repaired[prefix : len(repaired) - suffix],
        )


def repair_mojibake(token: str) -> str:
    import ftfy
    from ftfy.badness import is_bad

    if not is_bad(token):
        return token
    repaired = ftfy.fix_encoding(token)
    if repaired != token:
        return repaired
    # A word that is only partly garbled ("KomÅ¡ić": the ć survived) cannot be re-encoded as a
    # whole, so let ftfy repair each run of characters that the wrong code page can produce.
    runs = ("".join(run) for _, run in itertools.groupby(token, _windows_1252))
    repaired = "".join(ftfy.fix_encoding(run) for run in runs)
    return token if is_bad(repaired) else repaired


def _windows_1252(char: str) -> bool:
    import ftfy.bad_codecs  # noqa: F401  (registers the "sloppy" code pages)

    try:
        char.encode("sloppy-windows-1252")
    except UnicodeEncodeError:
        return False
    return True


def _common_prefix(a: str, b: str) -> int:
    length = 0
    while length < min(len(a), len(b)) and a[length] == b[length]:
        length += 1
    return length


def missing_space(value: TextValue, prose: Prose) -> Iterator[Finding]:
    """`region.As`, `integration,discussions`: no space after sentence or clause punctuation.

    Decimals (3.5), times (10:30), abbreviations (e.g., U.S.), ellipses, URLs and e-mail
    addresses are not flagged: digits and stops around the mark, or masking, rule them out.
    """
    text = prose.masked
    for match in re.finditer(r"(?<=[^\W\d_])([,;:.!?])(?=[^\W\d_])", text):
        mark, at = match.group(1), match.start()
        before, after = text[at - 1], text[at + 1]
        token = _token_around(text, at)
        if "/" in token or "@" in token:
            continue  # a path or address that escaped masking
        if mark in ".!?" and not (after.isupper() and before.islower()):
            continue  # "report.pdf", "U.S.", "e.g.": a sentence ends before a capital
        if mark == ":" and not before.islower():
            continue  # "A:B", "ISO:2015"
        yield Finding(
            "missing-space",
            value,
            at,
            at + 1,
            f"no space after '{mark}'",
            f"'{mark} {after}'",
            f"{mark} ",
        )


def _token_around(text: str, at: int) -> str:
    start, end = at, at
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end]


def whitespace(value: TextValue, prose: Prose) -> Iterator[Finding]:
    """Doubled spaces, tabs, spaces before punctuation, and leading or trailing spaces."""
    text = value.text
    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        indent = len(body) - len(body.lstrip(" \t"))
        if not (value.kind == "markdown" and body.lstrip().startswith("|")):  # aligned table
            for match in re.finditer(r"[ \t]{2,}|\t", body[indent:]):
                start = offset + indent + match.start()
                if match.end() + indent < len(body):
                    yield Finding(
                        "whitespace",
                        value,
                        start,
                        start + len(match.group()),
                        "stray whitespace inside the text",
                        "one space",
                        " ",
                    )
            for match in re.finditer(r"(?<=[^\W_])[ \t]+(?=[,;:.!?](?:\s|$))", body):
                start = offset + match.start()
                yield Finding(
                    "whitespace",
                    value,
                    start,
                    offset + match.end(),
                    f"space before '{body[match.end()]}'",
                    "no space",
                    "",
                )
        trailing = len(body) - len(body.rstrip(" \t"))
        if trailing and body.strip():
            start = offset + len(body) - trailing
            yield Finding(
                "whitespace", value, start, start + trailing, "trailing whitespace", "remove it", ""
            )
        offset += len(line)
    leading = len(text) - len(text.lstrip(" \t"))
    if leading and value.style in ("'", '"'):
        yield Finding("whitespace", value, 0, leading, "leading whitespace", "remove it", "")


def doubled_word(value: TextValue, prose: Prose) -> Iterator[Finding]:
    """`the the`: a word written twice in a row."""
    words = prose.words
    for first, second in itertools.pairwise(words):
        gap = prose.text[first.end : second.start]  # unmasked: `code` between is no gap
        if (
            first.text.casefold() == second.text.casefold()
            and gap.strip() == ""
            and "\n\n" not in gap
            and prose.starts.get(second.start) != "item"
            and first.text.casefold() not in _LEGITIMATE_DOUBLES
        ):
            yield Finding(
                "doubled-word",
                value,
                second.start,
                second.end,
                f"'{second.text}' is written twice",
                f"'{first.text}'",
            )


def sentence_case(value: TextValue, prose: Prose) -> Iterator[Finding]:
    """A sentence that starts in lower case (`the meeting …` at the start of a paragraph)."""
    for offset, kind in sorted(prose.starts.items()):
        if kind == "item" or (kind == "start" and not is_prose(value)):
            continue  # list items and short fields are judged against their siblings
        char = prose.masked[offset]
        found = prose.word_at(offset)
        word = found.text if found else char
        if char.islower() and not any(c.isupper() for c in word[1:]):  # not "iPhone"
            yield Finding(
                "lowercase-start",
                value,
                offset,
                offset + 1,
                "sentence starts in lower case",
                f"'{word[:1].upper()}{word[1:]}'",
            )


def article(value: TextValue, prose: Prose) -> Iterator[Finding]:
    """`a important`: 'a' before a vowel sound or 'an' before a consonant sound."""
    words = prose.words
    for word, following in itertools.pairwise(words):
        is_article = word.text in ("a", "an") or (
            word.text in ("A", "An") and prose.sentence_start(word.start)
        )
        gap = prose.text[word.end : following.start]
        if not is_article or not gap or gap.strip() or "\n\n" in gap:
            continue
        expected = indefinite_article(following.text)
        if expected != word.text.lower():
            fixed = expected.capitalize() if word.text[0].isupper() else expected
            yield Finding(
                "article",
                value,
                word.start,
                word.end,
                f"'{word.text}' before '{following.text}'",
                f"'{fixed} {following.text}'",
            )


def spelling(value: TextValue, prose: Prose, names: Names) -> Iterator[Finding]:
    """Words that are in neither the dictionary nor the file's names nor the user's word list.

    A capitalised word inside a sentence is taken as a proper noun and not checked: place and
    people names (Odesa, Montreux) are too many to list, while typos are mostly lower case.
    """
    text = prose.masked
    for word in prose.words:
        bare = normalise(word.text)
        if (
            len(bare) < 2
            or bare.isupper()
            or any(c.isupper() for c in bare[1:])
            or not _latin(bare)
            or (bare[0].isupper() and not prose.sentence_start(word.start))
            or (text[word.end : word.end + 1] == "-" and bare.lower() in PREFIXES)
            or (text[word.end : word.end + 1] == "." and bare.lower() in ABBREVIATIONS)
            or _in_dotted_name(text, word.start, word.end)
            or names.allows(bare)
        ):
            continue
        correction = suggest(bare)
        hint = f"did you mean '{correction}'? " if correction else ""
        yield Finding(
            "spelling",
            value,
            word.start,
            word.end,
            f"unknown word '{word.text}'",
            f"{hint}if it is right, add it to .briefgen-words",
        )


def _in_dotted_name(text: str, start: int, end: int) -> bool:
    """Part of report.pdf or Node.js: a stop between letters, not ending a sentence."""
    after = text[end : end + 2]
    before = text[max(start - 2, 0) : start]
    joined_after = len(after) == 2 and after[0] == "." and after[1].islower()
    joined_before = len(before) == 2 and before[1] == "." and before[0].isalpha()
    return joined_after or joined_before


def _latin(word: str) -> bool:
    # The dictionary is English; names in Cyrillic or Greek script are not for it to judge.
    return all(c.isascii() or "LATIN" in _char_name(c) for c in word)


def _char_name(char: str) -> str:
    import unicodedata

    return unicodedata.name(char, "")
