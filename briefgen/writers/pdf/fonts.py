"""PDF fonts: the theme's four TrueType faces registered once per file set with reportlab."""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFError, TTFont

from briefgen.cache import Stamp, stamp
from briefgen.errors import ThemeError
from briefgen.theme import Theme

FACES = ("regular", "bold", "italic", "bold_italic")


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    italic: str
    bold_italic: str

    def face(self, bold: bool, italic: bool) -> str:
        return ((self.regular, self.italic), (self.bold, self.bold_italic))[bold][italic]


class _TTFont(TTFont):  # type: ignore[misc]
    """reportlab's subsets map their unused codes to U+0000, which PDF/UA (and PDF/A-2a's
    Unicode mapping) reject: each subset's ToUnicode CMap lists only the codes it uses."""

    def splitString(self, text: Any, doc: Any, encoding: str = "utf-8") -> list[tuple[int, bytes]]:
        """reportlab's, for text whose characters all have their codes already (after a page or
        so, nearly every string): the same (subset, bytes) runs from one lookup per character,
        without its per-character branches for assigning new codes."""
        state = self.state.get(doc)
        if state is None or not isinstance(text, str):
            return super().splitString(text, doc, encoding)  # type: ignore[no-any-return]
        assignments = state.assignments
        try:  # reportlab maps a no-break space to the space
            codes = [assignments[32 if c == 0xA0 else c] for c in map(ord, text)]
        except KeyError:  # a character new to this document (or without a glyph)
            return super().splitString(text, doc, encoding)  # type: ignore[no-any-return]
        if not codes:
            return []
        if max(codes) < 256:  # all in the first subset: the common case
            return [(0, bytes(codes))]
        runs: list[tuple[int, bytes]] = []
        start = 0
        for i in range(1, len(codes) + 1):
            if i == len(codes) or codes[i] >> 8 != codes[start] >> 8:
                runs.append((codes[start] >> 8, bytes(n & 0xFF for n in codes[start:i])))
                start = i
        return runs

    def addObjects(self, doc: Any) -> None:
        subsets = self.state[doc].subsets if doc in self.state else []
        super().addObjects(doc)  # forgets the document's state
        for number, subset in enumerate(subsets):
            name = (
                b"".join((SUBSETN(number), b"+", self.face.name, self.face.subfontNameX))
            ).decode("pdfdoc")
            stream = doc.idToObject["toUnicodeCMap:" + name]
            stream.content = _to_unicode(name, subset)


def _to_unicode(name: str, subset: list[int]) -> str:
    used = [(code, value) for code, value in enumerate(subset) if value not in (0, 0xFEFF, 0xFFFE)]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            f"/CIDSystemInfo << /Registry ({name}) /Ordering ({name}) /Supplement 0 >> def",
            f"/CMapName /{name} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(used)} beginbfchar",
            *(f"<{code:02X}> <{value:04X}>" for code, value in used),
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


# reportlab's font registry is process-wide (the one global cache we keep): parsing a TTF costs
# milliseconds, so each set of files is registered once per state of those files. The names
# come from the files' contents, never from which themes this process happened to see first.
_FONT_CACHE: dict[Stamp, Fonts] = {}
_FONT_LOCK = threading.Lock()


def register_fonts(theme: Theme) -> Fonts:
    try:
        paths = tuple(str(theme.font_path(face)) for face in FACES)  # type: ignore[arg-type]
    except FileNotFoundError as exc:
        raise ThemeError(str(exc), hint="set fonts.* in the theme to a .ttf file") from exc
    key = stamp(paths)
    with _FONT_LOCK:
        if key in _FONT_CACHE:
            return _FONT_CACHE[key]
        # The prefix keeps a family called e.g. "Helvetica" from replacing reportlab's own fonts;
        # the digest keeps two themes that share a family name but not files apart.
        stem = "briefgen-" + (re.sub(r"[^A-Za-z0-9]", "", theme.fonts.family) or "font")
        stem += "-" + _digest(paths)
        names = [f"{stem}-{face}" for face in FACES]
        for name, path in zip(names, paths, strict=True):
            try:
                pdfmetrics.registerFont(_TTFont(name, path))
            except (TTFError, OSError, ValueError) as exc:
                hint = "use a TrueType (.ttf) font whose licence allows embedding"
                raise ThemeError(f"font {path} cannot be used in a PDF: {exc}", hint=hint) from exc
        pdfmetrics.registerFontFamily(
            stem, normal=names[0], bold=names[1], italic=names[2], boldItalic=names[3]
        )
        _FONT_CACHE[key] = Fonts(*names)
        return _FONT_CACHE[key]


def _digest(paths: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        try:
            digest.update(Path(path).read_bytes())
        except OSError:
            digest.update(path.encode())  # registering it will report the problem
    return digest.hexdigest()[:10]
