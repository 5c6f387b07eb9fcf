"""What the archive search reads and matches: folded text, a brief's searchable fields, and the
small query language (words, "phrases", prefix*, OR, -word) turned into a safe FTS5 expression.

SQLite's unicode61 tokenizer with `remove_diacritics 2` folds case and Latin accents (Šekerinska
-> sekerinska, Komšić -> komsic) but not letters that are not a base letter plus a mark (đ, ł, ø,
ß, æ), Greek tonos (ή), nor compatibility forms (ﬁ). `fold` does those, one letter at a time and
always into letters, so a folded text splits into exactly the tokens of the original: the index
matches the folded text while snippets are cut from the original (FTS5 external content).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from briefgen.errors import UsageError

# Letters that do not decompose into a base letter and a combining mark.
_SPECIAL = {
    "đ": "d", "ð": "d", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "þ": "th", "ħ": "h",
    "\u0131": "i", "ŧ": "t", "ŋ": "n", "ĸ": "k",
}  # fmt: skip
# Keys of a meeting that hold no words worth finding (levels, dates, identifiers).
_NOT_TEXT = {"classification", "date", "start", "end", "id", "ref", "language", "schema_version"}
_PEOPLE_KEYS = ("name", "role", "organisation", "side")
_QUERY_HINT = (
    'search for words, "exact phrases" and prefixes (rotat*), join alternatives with OR and '
    'exclude a word with -word, e.g. "air policing" rotat* -exercise'
)
_SYNTAX = set("()[]{}:^+")


@lru_cache(maxsize=4096)
def _fold_letter(letter: str) -> str:
    lowered = letter.casefold()
    base = "".join(
        c for c in unicodedata.normalize("NFKD", lowered) if not unicodedata.combining(c)
    )
    base = "".join(_SPECIAL.get(c, c) for c in base)
    return base if base and base.isalpha() else letter


_TABLE: dict[int, str] = {}  # every non-ASCII character met so far, folded


def fold(text: str) -> str:
    """Lower case without accents, letter by letter: `Đukanović` -> `dukanovic`.

    ASCII is left to the tokenizer (it folds case); the rest goes through one translation
    table, filled as characters are first met.
    """
    if text.isascii():
        return text
    for char in set(text).difference(map(chr, _TABLE)):
        if not char.isascii():
            _TABLE[ord(char)] = _fold_letter(char) if char.isalpha() else char
    return text.translate(_TABLE)


def brief_text(source: dict[str, Any]) -> tuple[str, str, str]:
    """(title, people, body) of an embedded source: every string in it, by where it sits.

    The body walks the whole meeting rather than a list of fields, so text in a field added to
    the model later is found too.
    """
    meeting = _mapping(source.get("meeting"))
    title = str(meeting.get("title", ""))
    people = []
    for person in source.get("participants") or []:
        if isinstance(person, dict):
            people.append(" · ".join(str(person[k]) for k in _PEOPLE_KEYS if person.get(k)))
    body: list[str] = []
    for key, value in source.items():
        if key == "participants":
            for person in value or []:
                if isinstance(person, dict):  # what is not name/role: e.g. a bio
                    rest = {k: v for k, v in person.items() if k not in _PEOPLE_KEYS}
                    _strings(rest, body)
        elif key == "meeting" and isinstance(value, dict):
            _strings({k: v for k, v in value.items() if k != "title"}, body)
        elif key not in _NOT_TEXT:
            _strings(value, body)
    return title, "\n".join(people), "\n".join(body)


def _mapping(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _strings(value: object, out: list[str]) -> None:
    if isinstance(value, str):
        if value.strip():
            out.append(value.strip())
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in _NOT_TEXT:
                _strings(item, out)
    elif isinstance(value, list):
        for item in value:
            _strings(item, out)


def participant_key(names: list[str]) -> str:
    """Folded names, one per line, for the --participant filter (a substring of one name)."""
    return "\n".join(fold(name).lower() for name in names)


def fts_query(text: str) -> str:
    """Translate a search query into an FTS5 expression in which every word is a quoted string,
    so no user text is ever FTS syntax; a query that cannot be read is a usage error."""
    terms = _lex(text)
    positive: list[str] = []
    excluded: list[str] = []
    pending_or = False
    for kind, value in terms:
        if kind == "or":
            if not positive or pending_or:
                raise _bad("OR needs a word on each side")
            pending_or = True
            continue
        if kind == "not":
            excluded.append(value)
        elif pending_or:
            positive[-1] = f"{positive[-1]} OR {value}"
            pending_or = False
        else:
            positive.append(value)
    if pending_or:
        raise _bad("OR needs a word on each side")
    if not positive:
        raise _bad("the query has no word to look for" if not excluded
                   else "a query cannot only exclude words")  # fmt: skip
    expression = " AND ".join(f"({term})" for term in positive)
    for term in excluded:
        expression = f"({expression}) NOT {term}"
    return expression


def _lex(text: str) -> list[tuple[str, str]]:
    """(kind, FTS5 text) per term: `word`, `or`, `not` (the FTS5 text of the excluded word)."""
    if text.count('"') % 2:
        raise _bad("a quotation mark is not closed")
    terms: list[tuple[str, str]] = []
    for match in re.finditer(r'(-?)"([^"]*)"(\*?)|(\S+)', text):
        negate, phrase, star, word = match.groups()
        if word is None:
            term = _string(phrase, prefix=bool(star))
            if term:
                terms.append(("not" if negate else "word", term))
            continue
        if word == "OR":
            terms.append(("or", ""))
            continue
        if word in ("AND", "NOT", "NEAR") or word.startswith("NEAR("):
            raise _bad(f"`{word}` is not part of the query language")
        negate = word.startswith("-") and len(word) > 1
        body = word[1:] if negate else word
        prefix = body.endswith("*")
        body = body[:-1] if prefix else body
        if "*" in body or (prefix and not body):
            raise _bad("`*` ends a word to find every word it begins, e.g. rotat*")
        bad = sorted(_SYNTAX & set(body))
        if bad:
            raise _bad(f"`{''.join(bad)}` cannot be searched for")
        term = _string(body, prefix=prefix)
        if term:
            terms.append(("not" if negate else "word", term))
    return terms


def _string(text: str, *, prefix: bool) -> str:
    """One FTS5 string (a phrase of the tokens in `text`), or "" when it holds no token."""
    folded = fold(text)
    if not any(c.isalnum() for c in folded):
        return ""
    quoted = '"' + folded.replace('"', '""') + '"'
    return quoted + " *" if prefix else quoted


def _bad(message: str) -> UsageError:
    return UsageError(f"cannot read the search query: {message}", hint=_QUERY_HINT)
