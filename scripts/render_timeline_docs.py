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
# (built file's suffix, page, dpi, PNG name): the first landscape chart page; the pack's
# first page (cover, programme, contents); its annex. Pages: "landscape" and "last" are
# found in each file, as the PDF and the DOCX need not break alike.
PAGES = [
    ("capability-roadmap-review.staff", "landscape", 90, "timeline"),
    ("ministerial-week-brussels.staff", "1", 80, "pack-contents"),
    ("ministerial-week-brussels.staff", "last", 80, "pack-annex"),
]


def page_number(source: Path, which: str) -> int:
    from pypdf import PdfReader

    pages = PdfReader(source).pages
    if which == "last":
        return len(pages)
    if which == "landscape":
        return next(n for n, p in enumerate(pages, 1) if p.mediabox.width > p.mediabox.height)
    return int(which)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        build(TIMELINE, BuildOptions(out_dir=out))
        build_pack(PACK, BuildOptions(out_dir=out), audiences=("staff",))
        docx = sorted(str(p) for p in out.glob("*.docx"))
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(out / "docx"), *docx],
            check=True,
            capture_output=True,
        )
        for stem, page, dpi, name in PAGES:
            for fmt, folder in (("pdf", out), ("docx", out / "docx")):
                [source] = folder.glob(f"*_{stem}.pdf")
                number = page_number(source, page)
                target = ROOT / "docs" / f"{name}-{fmt}"
                subprocess.run(
                    [
                        "pdftoppm",
                        "-r",
                        str(dpi),
                        "-png",
                        "-f",
                        str(number),
                        "-l",
                        str(number),
                        "-singlefile",
                        str(source),
                        str(target),
                    ],
                    check=True,
                )
                print(f"{target}.png")


if __name__ == "__main__":
    main()
