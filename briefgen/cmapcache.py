"""The code points a font file has glyphs for, kept on disk so a cold lint or build need not
import reportlab's font parser (~0.2 G instructions) and parse the font to know them.

The set is keyed on the font file's bytes (its SHA-256 names the entry) inside a folder of the
private cache (briefgen.cachedir) named by a hash of reportlab's TrueType reader and the
interpreter, so another font, or a reportlab that reads fonts differently, never reuses an
entry. The set is what reading the font gives, so warnings never depend on the cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import marshal
import os
import sys
import tempfile
from pathlib import Path

from briefgen.cachedir import private_folder

_FORMAT = b"briefgen-cmap-1"  # bump when what is stored changes
READER = "reportlab.pdfbase.ttfonts"


def read_cmap(font: Path) -> frozenset[int]:
    """The font's cmap, read by reportlab (what the PDF writer embeds with)."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    return frozenset(TTFontFile(str(font)).charToGlyph)


def reader_key() -> str | None:
    """A hash of the code that reads a cmap and of the interpreter; None if it cannot be read."""
    digest = hashlib.sha256(_FORMAT)
    digest.update(sys.implementation.cache_tag.encode())
    digest.update(str(marshal.version).encode())
    try:
        spec = importlib.util.find_spec(READER)
        if spec is None or spec.origin is None:
            return None
        digest.update(Path(spec.origin).read_bytes())
    except (ImportError, OSError):
        return None
    return digest.hexdigest()[:16]


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
    with contextlib.suppress(Exception):  # missing, unreadable or damaged: read the font
        stored = marshal.loads(entry.read_bytes())
        if isinstance(stored, frozenset):
            return stored
    characters = read_cmap(font)
    _store(entry, characters)
    return characters


def _store(path: Path, characters: frozenset[int]) -> None:
    """Write atomically (a reader never sees half an entry); a failing disk is skipped."""
    with contextlib.suppress(OSError):
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(marshal.dumps(characters))
            os.replace(temporary, path)
        except OSError:
            Path(temporary).unlink(missing_ok=True)
            raise
