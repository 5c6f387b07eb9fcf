"""Typography from plain typing: curly quotes by language, en dashes, unbreakable dates.

Applied once to the `Document`'s text, between the reader and the writers, so both formats print
the same characters. URLs, e-mail addresses and other code-like words are left exactly as typed.
A small function rather than `smartypants`: that library works on HTML, writes entities and
knows only English quotes, while briefs are written in several languages.
"""

from __future__ import annotations

import dataclasses
import re
from functools import cache, lru_cache
from typing import Any

from briefgen.document import (
    Deletion,
    Document,
    DocumentInfo,
    Emphasis,
    Inline,
    Insertion,
    Link,
    Strong,
    Text,
    Timeline,
    TimelineMilestone,
    TimelineRow,
    TitleField,
)

NBSP = "\u00a0"

# Opening and closing double, then single quotes, by base language. English (and the default):
# U+201C U+201D, U+2018 U+2019; Bosnian, Croatian, Serbian, German, Czech...: low-9 quotes
# U+201E U+201C, U+201A U+2018.
_LOW_NINE = ("\u201e", "\u201c", "\u201a", "\u2018")
_QUOTES: dict[str, tuple[str, str, str, str]] = {
    "en": ("\u201c", "\u201d", "\u2018", "\u2019"),
    **{code: _LOW_NINE for code in ("bs", "hr", "sr", "sh", "de", "cs", "sk", "sl", "pl")},
}
APOSTROPHE = "\u2019"

# Words typed as code or addresses keep every character as typed.
_CODE_LIKE = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.|mailto:)\S*|\S+@\S+\.\S+|`[^`]*`")
# 10:30-11:15, 2025-2031, pages 3-5 (but never an ISO date such as 2025-03-12 or 2025-Q3).
_TIME_RANGE = re.compile(r"(?<![\d:])(\d{1,2}[:.]\d{2})-(\d{1,2}[:.]\d{2})(?![\d:])")
_NUMBER_RANGE = re.compile(r"(?<![\d-])(\d{1,4})-(\d{1,4})(?![\d-])")
_ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_SPACED_HYPHEN = re.compile(r"(?<=\S) - (?=\S)")
# Quote characters that open: at the start, after a space, an opening bracket or a dash.
_OPENS_AFTER = set(" \t\n\u00a0([{\u2013\u2014/-") | {""}
_OPENING_QUOTES = set("\u201c\u201e\u201a\u2018\u00ab")
_QUOTE_CHARS = re.compile("[\"']")
_SPACE_AND_YEAR = re.compile(r" \d{4}")


def language_base(language: str) -> str:
    return language.replace("_", "-").split("-")[0].lower()


def quotes_for(language: str) -> tuple[str, str, str, str]:
    return _QUOTES.get(language_base(language), _QUOTES["en"])


def smarten(text: str, language: str = "en", before: str = "") -> str:
    """Plain typing made typographic; `before` is the character preceding the text (the end of
    the previous piece of the same paragraph), so a quote after bold text closes correctly."""
    if not _may_hold_code(text):  # most text: no scan for addresses at every letter
        return _smarten_prose(text, language, before)
    pieces: list[str] = []
    last = 0
    for match in _CODE_LIKE.finditer(text):
        pieces.append(_smarten_prose(text[last : match.start()], language, before))
        pieces.append(match.group(0))
        before = match.group(0)[-1:] or before
        last = match.end()
    pieces.append(_smarten_prose(text[last:], language, before))
    return "".join(pieces)


def _smarten_prose(text: str, language: str, before: str) -> str:
    if not text:
        return text
    # The character before counts for a spaced hyphen ("x@y.org - now"); a hyphen there
    # could join the text's own, so it is not lent.
    lent = before[-1:] if before[-1:] not in ("", "-") else ""
    text = _dashes(lent + text)[len(lent) :]
    text = unbreakable_dates(text, language)
    return _quotes(text, language, before)


def _may_hold_code(text: str) -> bool:
    """False where _CODE_LIKE cannot match: each of its forms holds one of these."""
    return ":" in text or "@" in text or "`" in text or "www." in text


def _dashes(text: str) -> str:
    if "-" not in text:  # every replacement below but the ellipsis needs a hyphen
        return text.replace("...", "\u2026")
    text = text.replace("---", "\u2014").replace("--", "\u2013")
    text = _SPACED_HYPHEN.sub(" \u2013 ", text)
    text = _TIME_RANGE.sub("\\1\u2013\\2", text)
    # Leave ISO dates alone: blank them out, replace the rest, put them back.
    dates = _ISO_DATE.findall(text)
    masked = _ISO_DATE.sub("\0", text)
    masked = _NUMBER_RANGE.sub("\\1\u2013\\2", masked)
    for date in dates:
        masked = masked.replace("\0", date, 1)
    return masked.replace("...", "\u2026")


def _quotes(text: str, language: str, before: str) -> str:
    # Only the quote characters change, each decided by the (already replaced) character before
    # it and the typed one after: visit those alone (most text has none, or a few apostrophes).
    if '"' not in text and "'" not in text:
        return text
    open_double, close_double, open_single, close_single = quotes_for(language)
    out = list(text)
    previous_at = before[-1:] if before else ""
    single_open = False
    for match in _QUOTE_CHARS.finditer(text):
        index = match.start()
        previous = out[index - 1] if index else previous_at
        following = text[index + 1 : index + 2]
        opens = previous in _OPENS_AFTER or previous in _OPENING_QUOTES
        if text[index] == '"':
            out[index] = open_double if opens else close_double
        elif previous.isalnum() and following.isalpha():
            out[index] = APOSTROPHE  # don't, it's, Zieliński's
        elif opens and following.isdigit():
            out[index] = APOSTROPHE  # the '90s
        elif opens:
            out[index], single_open = open_single, True
        elif single_open:
            out[index], single_open = close_single, False
        else:
            out[index] = APOSTROPHE  # the ministers' statement
    return "".join(out)


@lru_cache(maxsize=16)
def _month_pattern(language: str) -> re.Pattern[str]:
    """Dates written with month names in the language (wide and abbreviated): 17 September
    2025, 17. septembar 2025., Sept 2025, Q3 2025, whose spaces must not break a line."""
    from babel import Locale, UnknownLocaleError

    names: set[str] = set()
    # en_GB writes "Sept"; the rest of English "Sep": accept both wherever they are typed.
    for code in {language.replace("-", "_"), language_base(language), "en", "en_GB"}:
        try:
            locale = Locale.parse(code)
        except (UnknownLocaleError, ValueError):
            continue
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                names.update(str(n) for n in locale.months[context][width].values())
    alternatives = "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))
    day = rf"(?:\b\d{{1,2}}\.?[ ](?=(?:{alternatives})\b))?"
    month_or_quarter = rf"(?:\b(?:{alternatives})\.?|\b[QqK][Vv]?[1-4])"
    return re.compile(rf"{day}{month_or_quarter}[ ](?=\d{{4}}\b)")


def unbreakable_dates(text: str, language: str = "en") -> str:
    """Replace the spaces inside dates by no-break spaces, so a date never breaks a line."""
    if not _SPACE_AND_YEAR.search(text):  # each date the pattern finds ends so
        return text
    return _month_pattern(language_base(language)).sub(
        lambda m: m.group(0).replace(" ", NBSP), text
    )


def typeset(document: Document) -> Document:
    """The document with every Text typeset in the document's language (links' own text too,
    unless it is an address)."""
    language = document.info.language
    blocks = tuple(_node(block, language) for block in document.blocks)
    return dataclasses.replace(document, info=typeset_info(document.info), blocks=blocks)


def typeset_info(info: DocumentInfo) -> DocumentInfo:
    """The title is printed in the footer and the file's properties, subject and keywords in the
    properties: the same characters as the document's text."""
    language = info.language
    return dataclasses.replace(
        info,
        title=smarten(info.title, language),
        author=smarten(info.author, language),
        subject=smarten(info.subject, language),
        keywords=tuple(smarten(keyword, language) for keyword in info.keywords),
    )


# Plain-string fields that are printed prose (a chart's labels and legend), typeset like Text.
_PROSE_FIELDS: dict[type, tuple[str, ...]] = {
    Timeline: (
        "title",
        "marker_label",
        "milestone_label",
        "previous_label",
        "undated_label",
        "name_header",
    ),
    TimelineRow: ("label", "cadence"),
    TimelineMilestone: ("label",),
}


def _node(node: Any, language: str) -> Any:
    # What typesetting leaves as it was is returned as the same object, so an unchanged part of
    # the tree is never rebuilt (a replaced dataclass runs its checks again).
    if isinstance(node, tuple):
        if node and all(isinstance(n, _INLINE_TYPES) for n in node):
            return _same_or(node, _inlines(node, language, [""]))
        return _same_or(node, tuple(_node(n, language) for n in node))
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        changes = {}
        for name in _nested_fields(type(node)):
            value = getattr(node, name)
            if isinstance(value, tuple) or dataclasses.is_dataclass(value):
                typeset_value = _node(value, language)
                if typeset_value is not value:
                    changes[name] = typeset_value
        for name in _PROSE_FIELDS.get(type(node), ()):
            value = getattr(node, name)
            typeset_value = smarten(value, language)
            if typeset_value != value:
                changes[name] = typeset_value
        return dataclasses.replace(node, **changes) if changes else node
    return node


@cache
def _nested_fields(cls: type) -> tuple[str, ...]:
    """The fields of a node class that may hold nodes (a title field's label is printed as is)."""
    names = tuple(f.name for f in dataclasses.fields(cls))
    return tuple(n for n in names if n != "label") if issubclass(cls, TitleField) else names


def _same_or(old: tuple[Any, ...], new: tuple[Any, ...]) -> tuple[Any, ...]:
    return old if all(a is b for a, b in zip(old, new, strict=True)) else new


def _inlines(nodes: tuple[Inline, ...], language: str, last: list[str]) -> tuple[Inline, ...]:
    """Typeset a run of inlines in order; `last` carries the previous character across nodes."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text):
            text = smarten(node.text, language, last[0])
            last[0] = text[-1:] or last[0]
            out.append(node if text == node.text else Text(text))
        elif isinstance(node, Link) and _CODE_LIKE.fullmatch(_flat(node.children)):
            last[0] = _flat(node.children)[-1:] or last[0]
            out.append(node)
        elif isinstance(node, (Strong, Emphasis, Link, Insertion, Deletion)):
            children = _inlines(node.children, language, last)
            same = all(a is b for a, b in zip(node.children, children, strict=True))
            out.append(node if same else dataclasses.replace(node, children=children))
        else:
            last[0] = " "  # a line break
            out.append(node)
    return tuple(out)


def _flat(nodes: tuple[Inline, ...]) -> str:
    from briefgen.document import plain_text

    return plain_text(nodes).strip()


def _inline_types() -> tuple[type, ...]:
    import typing

    return typing.get_args(Inline)


_INLINE_TYPES = _inline_types()
