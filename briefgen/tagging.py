"""What each Document node and role is in a tagged PDF, in one table; plus language tags.

The Document is also the structure tree: every block and inline maps to one PDF structure tag
(ISO 32000-1, 14.8.4), and everything a writer adds that is not in the Document is an artifact.
The README prints `NODE_TAGS` and the roles table's tag column comes from `ROLE_TAGS`; a test
checks that the README and the PDFs agree with both.
"""

from __future__ import annotations

import datetime as dt
import re

# Document node -> the structure element(s) it becomes, outermost first.
NODE_TAGS: dict[str, str] = {
    "Document": "Document",
    "TitleBlock": "H1 (the title), P (subtitle), Table > TR > TH (Scope Row) + TD (fields)",
    "Heading": "H1 … H3 (levels never skip: a heading 3 after a heading 1 is H2)",
    "Paragraph": "P",
    "BulletList, NumberedList": "L > LI > Lbl (bullet or number) + LBody",
    "Table": "Table > THead > TR > TH (Scope Column); TBody > TR > TD; one Table over pages",
    "Timeline": "H (its title, a level below the heading before it), Figure with /Alt, P (legend)",
    "TableOfContents": "H1 (its title), TOC > TOCI (each with a Link)",
    "Link": "Link (annotation with /StructParent, /Contents and an OBJR)",
    "Text, Strong, Emphasis, LineBreak": "the text of the enclosing element",
    "PageBreak": "nothing",
    "logo (theme)": "Figure with /Alt above the title; a header artifact in the page header",
    "marking (DocumentInfo)": "P, once, as the first element; a pagination artifact on every page",
}

# Role -> tag, for the README's roles table.
ROLE_TAGS: dict[str, str] = {
    "title": "H1",
    "subtitle": "P",
    "field-label": "TH",
    "field-value": "TD",
    "heading-1": "H1",
    "heading-2": "H2",
    "heading-3": "H3",
    "body": "P",
    "list-item": "LI > LBody > P",
    "table-header": "TH",
    "table-cell": "TD",
    "marking": "artifact (Header/Footer); P once",
    "header": "artifact (Pagination Header)",
    "footer": "artifact (Pagination Footer)",
    "timeline": "Figure",
}

# What the writers draw that is not in the Document: always an artifact.
ARTIFACTS = (
    "running header text and logo, markings, footer text, page numbers (Pagination artifacts)",
    "rules under the title block and heading 1, table rules, fills and stripes",
    "repeated table header rows on continuation pages, contents leaders",
)

# A bare language code gets the region most of our readers mean; a full tag is used as written.
DEFAULT_REGIONS = {
    "en": "en-GB",
    "fr": "fr-FR",
    "de": "de-DE",
    "bs": "bs-BA",
    "hr": "hr-HR",
    "sr": "sr-RS",
    "es": "es-ES",
    "it": "it-IT",
    "nl": "nl-NL",
    "pt": "pt-PT",
    "pl": "pl-PL",
    "uk": "uk-UA",
    "ro": "ro-RO",
    "bg": "bg-BG",
    "el": "el-GR",
    "tr": "tr-TR",
    "sq": "sq-AL",
    "mk": "mk-MK",
}


def language_tag(language: str) -> str:
    """A full BCP 47 tag: `en` -> `en-GB`, `bs_BA` -> `bs-BA`; an unknown bare code stays."""
    text = language.strip().replace("_", "-")
    if not text:
        return "en-GB"
    parts = text.split("-")
    if len(parts) == 1:
        return DEFAULT_REGIONS.get(parts[0].lower(), parts[0].lower())
    return "-".join([parts[0].lower(), *(p.upper() if len(p) == 2 else p for p in parts[1:])])


def timeline_alt(
    count: int,
    first: dt.date | None,
    last: dt.date | None,
    marker: dt.date | None,
    has_table: bool = True,
) -> str:
    """The chart's alternative text, written for a person who cannot see it."""
    noun = "initiative" if count == 1 else "initiatives"
    text = f"Timeline chart of {count} {noun}"
    if first and last:
        text += f" from {_month(first)} to {_month(last)}"
    text += "."
    if marker:
        text += f" A dashed line marks the meeting on {marker.day} {marker:%B} {marker.year}."
    if has_table:
        text += " The initiatives table in this brief lists the same facts."
    return text


def _month(day: dt.date) -> str:
    return f"{day:%B} {day.year}"


def markdown_table() -> str:
    """The node table as the README prints it."""
    rows = [f"| {node} | {tag} |" for node, tag in NODE_TAGS.items()]
    return "\n".join(["| Document node | PDF structure |", "|---|---|", *rows])


_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def is_full_tag(tag: str) -> bool:
    return bool(_TAG.match(tag)) and "-" in tag


class HeadingLevels:
    """Heading levels as the structure has them (title = 1); both writers ask the same way.

    Levels never skip (PDF/UA, Word's checker): a heading 3 straight after the title becomes
    level 2, and headings written at one level stay siblings however they were clamped.
    """

    def __init__(self) -> None:
        self._level, self._written, self._base = 0, -1, 0

    def title(self) -> int:
        self._level, self._written, self._base = 1, 0, 1
        return 1

    def heading(self, written: int) -> int:
        level = self._level if written == self._written else max(1, min(written, self._level + 1))
        self._level, self._written, self._base = level, written, level
        return level

    def below(self) -> int:
        """A heading one level below the last heading (a timeline's title), at most 6."""
        self._level, self._written = min(self._base + 1, 6), -1
        return self._level
