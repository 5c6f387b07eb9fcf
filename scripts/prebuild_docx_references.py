"""Build the DOCX reference documents of the built-in themes into briefgen/writers/docx/prebuilt/.

Run after changing the DOCX styles code, a built-in theme or python-docx's version:
    python scripts/prebuild_docx_references.py
tests/test_docx_prebuilt.py fails until then (the stale files are never used meanwhile).
Entries are stored with a fixed date, so rebuilding unchanged code rewrites identical files.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from briefgen.pipeline import Project
from briefgen.resources import load_theme
from briefgen.writers.docx import prebuilt
from briefgen.writers.docx.styles import build_reference


def fixed_zip(blob: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(item.filename))
    return out.getvalue()


def builtin_themes() -> list[str]:
    folder = Path(prebuilt.__file__).resolve().parents[3] / "templates" / "themes"
    return sorted(path.stem for path in folder.glob("*.yaml"))


def main() -> None:
    folders = Project().folders
    keep = set()
    for name in builtin_themes():
        theme = load_theme(name, folders)
        if not prebuilt.eligible(theme):
            print(f"{name}: names files of its own, built at run time")
            continue
        ref = build_reference(theme)
        path = prebuilt.save(theme, fixed_zip(ref.blob), ref.text_width, ref.number_abstracts)
        keep |= {path.name, path.with_suffix(".json").name}
        print(
            f"{name}: {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}"
        )
    for stale in prebuilt.FOLDER.iterdir():
        if stale.name not in keep:
            stale.unlink()


if __name__ == "__main__":
    main()
