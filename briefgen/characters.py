"""Which characters a brief can carry: the one policy for text that DOCX (XML) and PDF refuse.

XML 1.0 cannot hold C0 control characters other than tab, line feed and carriage return, nor
lone surrogates or U+FFFE/U+FFFF; PDF fonts have no glyph for any control character. Such a
character is never meant as text, so the loader rejects it at its line (see briefgen.loader)
instead of letting a writer fail, or a font check mislead, halfway through a build.
"""

from __future__ import annotations

import re

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

_NAMES = {
    0x00: "NUL",
    0x07: "bell",
    0x08: "backspace",
    0x0B: "vertical tab",
    0x0C: "form feed",
    0x1B: "escape",
    0x7F: "delete",
    0x85: "next line",
    0xFFFE: "a noncharacter",
    0xFFFF: "a noncharacter",
}


def describe(char: str) -> str:
    """`U+000B (vertical tab)`: how a person can find the character in an editor."""
    code = ord(char)
    if code in _NAMES:
        name = _NAMES[code]
    elif 0xD800 <= code <= 0xDFFF:
        name = "a lone surrogate"
    else:
        name = "a control character"
    return f"U+{code:04X} ({name})"


def forbidden_message(char: str) -> tuple[str, str]:
    """The message and hint for a character the policy refuses."""
    return (
        f"text contains {describe(char)}, which DOCX and PDF cannot carry",
        "delete it (editors often show it as a box or ^K); tabs and line breaks are fine, and "
        "a line break inside a value is written as a `|` block",
    )
