"""Render the timeline and pack examples to docs/*.png, from the PDF and from the DOCX.

Run from the repository root after changing either writer (needs pdftoppm and soffice):
    PYTHONPATH=. python scripts/render_timeline_docs.py
The DOCX goes through LibreOffice, as a reader without Word would see it. The PNGs are
reviewed by eye before they are committed.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from briefgen.pack import build_pack
from briefgen.pipeline import BuildOptions, build

ROOT = Path(__file__).resolve().parent.parent
TIMELINE = ROOT / "inputs" / "capability-roadmap-review-2025-09-17.yaml"
PACK = ROOT / "inputs" / "packs" / "ministerial-week" / "pack.yaml"
# (built file's suffix, page, dpi, PNG name): the first landscape chart page; contents; annex.
PAGES = [
    ("capability-roadmap-review.staff", 5, 90, "timeline"),
    ("ministerial-week-brussels.staff", 2, 80, "pack-contents"),
    ("ministerial-week-brussels.staff", 10, 80, "pack-annex"),
]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        build(TIMELINE, BuildOptions(out_dir=out))
        build_pack(PACK, BuildOptions(out_dir=out), audiences=("staff",))
        docx = sorted(str(p) for p in out.glob("*.docx"))
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir",
                        str(out / "docx"), *docx], check=True, capture_output=True)
        for stem, page, dpi, name in PAGES:
            for fmt, folder in (("pdf", out), ("docx", out / "docx")):
                [source] = folder.glob(f"*_{stem}.pdf")
                target = ROOT / "docs" / f"{name}-{fmt}"
                subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l",
                                str(page), "-singlefile", str(source), str(target)], check=True)
                print(f"{target}.png")


if __name__ == "__main__":
    main()
