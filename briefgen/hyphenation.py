"""Justified text only where words can be hyphenated: the one rule both writers follow.

Justified lines without hyphenation open rivers of space between words, so a theme's
`align: justify` holds only when a hyphenation dictionary (pyphen's, the ones LibreOffice
ships) exists for the brief's language; the PDF then hyphenates with it (reportlab's
`hyphenationLang`) and the DOCX asks Word to (`w:autoHyphenation`). Otherwise the text is set
ragged right in both formats.
"""

from __future__ import annotations

from functools import lru_cache

# The roles whose text runs in paragraphs a theme may justify.
JUSTIFIABLE_ROLES = ("body", "list-item", "table-cell", "field-value")
# Languages without a dictionary of their own, hyphenated by their closest neighbour's rules.
_NEIGHBOURS = {"bs": "hr_HR", "sh": "hr_HR", "nb": "nb_NO", "no": "nb_NO"}


@lru_cache(maxsize=32)
def dictionary_for(language: str) -> str | None:
    """pyphen's dictionary name for a language tag (`en` → en_GB, `bs` → hr_HR), or None."""
    import pyphen

    tag = language.replace("-", "_")
    base = tag.split("_")[0].lower()
    preferred = {"en": "en_GB"}.get(tag, tag)
    for candidate in (preferred, _NEIGHBOURS.get(base, ""), base):
        if candidate and candidate in pyphen.LANGUAGES:
            return candidate
    return None


def alignment(align: str, language: str) -> str:
    """The alignment to print: `justify` falls back to `left` for a language with no
    hyphenation dictionary."""
    if align == "justify" and dictionary_for(language) is None:
        return "left"
    return align
