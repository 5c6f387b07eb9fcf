"""The code points a font file has glyphs for, kept on disk so a cold lint or build need not
import reportlab's font parser (~0.2 G instructions) and parse the font to know them.

The set is keyed on the font file's bytes (its SHA-256 names the entry) inside a folder of the
private cache (briefgen.cachedir) named by a hash of reportlab's TrueType reader and the
interpreter, so another font, or a reportlab that reads fonts differently, never reuses an
entry. The set is what reading the font gives, so warnings never depend on the cache.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

from briefgen.cachedir import content_key, load_set, private_folder, store_set

_FORMAT = b"briefgen-cmap-1"  # bump when what is stored changes
READER = "reportlab.pdfbase.ttfonts"


def read_cmap(font: Path) -> frozenset[int]:
    """The font's cmap, read by reportlab (what the PDF writer embeds with)."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    return frozenset(TTFontFile(str(font)).charToGlyph)


def reader_key() -> str | None:
    """A hash of the code that reads a cmap and of the interpreter; None if it cannot be read."""
    try:
        spec = importlib.util.find_spec(READER)
    except ImportError:
        return None
    if spec is None or spec.origin is None:
        return None
    return content_key(_FORMAT, [Path(spec.origin)])


def font_cmap(font: Path) -> frozenset[int]:
    """The font's code points: from the cache when it holds this font's, else read (and kept)."""
    try:
        data = font.read_bytes()
    except OSError:
        return read_cmap(font)  # the reader reports the problem as it always did
    key = reader_key()
    folder = None if key is None else private_folder(f"cmaps-{key}")
    if folder is None:
        return read_cmap(font)
    entry = folder / f"{hashlib.sha256(data).hexdigest()}.marshal"
    stored = load_set(entry)
    if stored is not None:
        return stored
    characters = read_cmap(font)
    store_set(entry, characters)
    return characters
