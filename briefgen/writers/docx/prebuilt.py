"""Reference documents of the built-in themes, built once at release time and shipped.

Restyling python-docx's default template for a theme costs ~40 ms, four DOCX writes' worth;
a cold `briefgen build` paid it every time. A theme that names no file of its own (no
reference_docx, no logo) makes its reference from its settings and this package's code alone,
so it can be built ahead: `python scripts/prebuild_docx_references.py` writes
`prebuilt/<key>.docx` (+ `.json`), and tests/test_docx_prebuilt.py rebuilds each one and
compares them part by part. The key hashes everything the reference depends on: the theme's
settings, python-docx's version (its default template) and the source of the modules that
build it, so after any change to those a stale file is simply never found (the reference is
built as before) until the script is run again, which the test asks for.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import docx

from briefgen.theme import Theme

FOLDER = Path(__file__).resolve().parent / "prebuilt"
# The modules whose code shapes a reference document (styles.py builds it from the others).
SOURCES = ("styles.py", "theme.py", "reference.py", "roles.py", "prebuilt.py")


def eligible(theme: Theme) -> bool:
    """A theme whose reference depends on its settings alone, not on files of its own."""
    return not theme.reference_docx and theme.logo is None


def key(theme: Theme) -> str:
    digest = hashlib.sha256()
    digest.update(theme.model_dump_json().encode())
    digest.update(getattr(docx, "__version__", "").encode())
    here = Path(__file__).resolve().parent
    for name in SOURCES:
        digest.update(name.encode())
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:24]


def load(theme: Theme) -> tuple[bytes, int, tuple[int, ...]] | None:
    """The shipped reference for this theme and this code: (blob, text width, numbering), or
    None when there is none (a theme with files, or code changed since it was built)."""
    if not eligible(theme):
        return None
    name = key(theme)
    try:
        blob = (FOLDER / f"{name}.docx").read_bytes()
        meta = json.loads((FOLDER / f"{name}.json").read_text(encoding="utf-8"))
        return blob, int(meta["text_width"]), tuple(int(n) for n in meta["number_abstracts"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(theme: Theme, blob: bytes, text_width: int, number_abstracts: tuple[int, ...]) -> Path:
    """Store a reference built for this theme (the prebuild script)."""
    FOLDER.mkdir(exist_ok=True)
    name = key(theme)
    meta = {"text_width": text_width, "number_abstracts": list(number_abstracts)}
    (FOLDER / f"{name}.json").write_text(json.dumps(meta) + "\n", encoding="utf-8")
    path = FOLDER / f"{name}.docx"
    path.write_bytes(blob)
    return path
