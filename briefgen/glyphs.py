"""Text the theme's fonts cannot show: found at its YAML line before a brief prints boxes.

The bundled Liberation fonts cover Latin, Greek, Cyrillic and Hebrew letters, not Arabic, CJK or
emoji, which a PDF prints as empty boxes; and the PDF writer lays right-to-left text out left to
right (reportlab orders it only with its optional bidi support). Both are reported as warnings
with the field's line and column, by `briefgen build` and `briefgen lint`. Invisible format
characters (joiners, direction marks) are never reported: the PDF writer drops them, see
`invisible`.
"""

from __future__ import annotations

import threading
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.errors import Diagnostic, Location

if TYPE_CHECKING:
    from briefgen.theme import Theme

# Characters a layout engine consumes rather than draws (Unicode category Cf: ZWJ, ZWNJ, LRM,
# RLM, bidi embeddings, word joiner, BOM…). Without shaping and bidi the PDF has no use for
# them, and Liberation draws some as visible bars; the soft hyphen stays, reportlab breaks at it.
_KEEP_FORMAT = {"\u00ad"}
_MAX_REPORTED = 5  # values with missing glyphs reported per file, then a summary
_CMAPS: dict[str, frozenset[int]] = {}
_LOCK = threading.Lock()


def invisible(char: str) -> bool:
    """A format character the PDF must not draw."""
    return unicodedata.category(char) == "Cf" and char not in _KEEP_FORMAT


def drop_invisible(text: str) -> str:
    if text.isascii():
        return text
    # Each distinct character looked up once: a paragraph has a few dozen, and most have none.
    dropped = {ord(c): None for c in set(text) if invisible(c)}
    return text.translate(dropped) if dropped else text


def font_characters(path: Path) -> frozenset[int]:
    """The code points a TrueType font has glyphs for (its cmap), read once per file."""
    key = str(path)
    with _LOCK:
        if key not in _CMAPS:
            from briefgen.cmapcache import font_cmap

            _CMAPS[key] = font_cmap(path)
        return _CMAPS[key]


def missing(text: str, characters: frozenset[int]) -> list[int]:
    """Offsets in `text` of the characters the font cannot show (whitespace and invisible
    format characters need no glyph)."""
    if text.isascii():
        return []  # every font we accept covers ASCII; the common case stays cheap
    return [
        i
        for i, c in enumerate(text)
        if ord(c) not in characters and not c.isspace() and not invisible(c)
    ]


def right_to_left(text: str) -> int | None:
    """The offset of the first strong right-to-left letter (Hebrew, Arabic…), if any."""
    if text.isascii():
        return None
    for i, c in enumerate(text):
        if unicodedata.bidirectional(c) in ("R", "AL"):
            return i
    return None


def shows_all(text: str, font: Path) -> bool:
    """Whether the font draws every character of the whole text and none runs right to left:
    then no value of it can warn, and `check_source` (which re-reads the YAML for its values
    and needs the meeting's JSON Schema, ~10 % of a warm build) has nothing to find."""
    if text.isascii():
        return True
    characters = font_characters(font)
    return not any(
        missing(char, characters) or right_to_left(char) is not None
        for char in set(text)
        if not char.isascii()
    )


def describe(char: str) -> str:
    return f"{char!r} (U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')})"


def check_source(
    text: str, file: str, schema: dict[str, Any], font: Path, family: str
) -> list[Diagnostic]:
    """Warnings for the text values of a meeting file (its `text` and JSON Schema) that the
    font file cannot show, or that run right to left, at the line and column of the character."""
    if text.isascii():
        return []
    from briefgen.lint.source import LineIndex, collect_text_values

    characters = font_characters(font)
    index = LineIndex(text)
    found: list[Diagnostic] = []
    skipped = 0
    for value in collect_text_values(text, schema):
        gaps = missing(value.text, characters)
        if gaps and len(found) >= _MAX_REPORTED:
            skipped += 1
        elif gaps:
            chars = "".join(dict.fromkeys(value.text[i] for i in gaps))
            shown = ", ".join(describe(c) for c in chars[:3]) + (" …" if len(chars) > 3 else "")
            found.append(
                Diagnostic(
                    f"the font {family} has no glyph for {shown}: the PDF prints a box instead",
                    Location(file, *index.position(value.offsets[gaps[0]])),
                    "give the theme a font for this script (see 'Fonts for other scripts' in the "
                    "README)",
                    severity="warning",
                )
            )
        elif (rtl := right_to_left(value.text)) is not None and len(found) < _MAX_REPORTED:
            found.append(
                Diagnostic(
                    "right-to-left text is printed left to right in the PDF (the DOCX shows it "
                    "in order)",
                    Location(file, *index.position(value.offsets[rtl])),
                    "check the PDF; briefgen does not order right-to-left text yet",
                    severity="warning",
                )
            )
    if skipped:
        found.append(
            Diagnostic(
                f"{skipped} more text value(s) with characters the font {family} cannot show",
                Location(file),
                severity="warning",
            )
        )
    return found


def font_warnings(path: Path, display_name: str, themes: list[Theme]) -> list[Diagnostic]:
    """Text of the meeting file that the themes' fonts cannot show, or that runs right to left
    (see briefgen.glyphs): warnings at the characters' lines."""
    text = path.read_text(encoding="utf-8-sig", errors="replace")
    if text.isascii():
        return []
    if all(shows_all(text, theme.font_path("regular")) for theme in themes):
        return []  # the common case, without the schema and the second YAML pass
    from briefgen.schema import meeting_schema

    found: dict[str, Diagnostic] = {}  # themes sharing a font report once
    for theme in themes:
        font = theme.font_path("regular")
        for warning in check_source(text, display_name, meeting_schema(), font, theme.fonts.family):
            found.setdefault(warning.format(), warning)
    return list(found.values())
