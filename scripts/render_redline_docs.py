"""Render the README's redline example to docs/redline-pdf.png and docs/redline-docx.png.

Run from the repository root after changing either writer or the redline (needs pdftoppm and
soffice):
    PYTHONPATH=. python scripts/render_redline_docs.py
OLD is the Black Sea example; NEW has the time replaced, a key point deleted, an outcome added,
a participant removed and an initiative's end moved (tests/redline_helpers.py's edits). The DOCX
goes through LibreOffice, which shows the tracked changes. The PNGs are reviewed by eye before
they are committed.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from briefgen.pipeline import BuildOptions
from briefgen.redline import build_redline
from tests.redline_helpers import BLACK_SEA, edited

ROOT = Path(__file__).resolve().parent.parent
PAGE, DPI = 2, 80


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        new = edited(out, "time", "removed", "outcome", "participant", "end")
        options = BuildOptions(out_dir=out / "redline", audiences=("staff",))
        written = build_redline(str(BLACK_SEA), new, options).paths
        [docx] = [p for p in written if p.suffix == ".docx"]
        [pdf] = [p for p in written if p.suffix == ".pdf"]
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out / "lo"), docx],
            check=True,
            capture_output=True,
        )
        for fmt, source in (("pdf", pdf), ("docx", out / "lo" / f"{docx.stem}.pdf")):
            target = ROOT / "docs" / f"redline-{fmt}"
            page = ["-f", str(PAGE), "-l", str(PAGE), "-singlefile"]
            subprocess.run(
                ["pdftoppm", "-r", str(DPI), "-png", *page, str(source), str(target)], check=True
            )
            print(f"{target}.png")


if __name__ == "__main__":
    main()
