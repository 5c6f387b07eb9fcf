"""Prints build time against the size of one paragraph (issue 16): linear, not quadratic.

Each size is one `purpose` paragraph of that many characters, built in-process (warm) to PDF and
DOCX. Values over loader.MAX_TEXT_CHARS are refused at load, so the larger sizes are laid out by
calling the writers on a Document directly: they show where the limit stands, and why.

    python benchmarks/bench_big_text.py
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from briefgen.document import Document, DocumentInfo, Paragraph, Text  # noqa: E402
from briefgen.loader import MAX_TEXT_CHARS  # noqa: E402
from briefgen.pipeline import BuildOptions, build  # noqa: E402
from briefgen.theme import default_theme  # noqa: E402
from briefgen.writers.docx import write_docx  # noqa: E402
from briefgen.writers.pdf import write_pdf  # noqa: E402

WORDS = ("alpha", "beta", "gamma", "delta", "security", "maritime", "corridor", "the", "of")


def paragraph(chars: int) -> str:
    rng = random.Random(1)
    out: list[str] = []
    size = 0
    while size < chars:
        out.append(rng.choice(WORDS))
        size += len(out[-1]) + 1
    return " ".join(out)[:chars]


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def main() -> None:
    print(f"limit per text value: {MAX_TEXT_CHARS:,} characters")
    write_pdf(Document(DocumentInfo(title="warm"), ()), default_theme())  # imports, fonts
    with tempfile.TemporaryDirectory() as tmp:
        print("| characters | build (PDF + DOCX) | PDF writer alone | DOCX writer alone |")
        print("|---|---|---|---|")
        for chars in (25_000, 50_000, 100_000, 200_000, 400_000, 1_000_000):
            text = paragraph(chars)
            document = Document(DocumentInfo(title="Big"), (Paragraph((Text(text),)),))
            pdf = timed(partial(write_pdf, document, default_theme()))
            docx = timed(partial(write_docx, document, default_theme()))
            whole = "refused at load"
            if chars <= MAX_TEXT_CHARS:
                path = Path(tmp) / f"big{chars}.yaml"
                path.write_text(f'meeting:\n  title: Big\n  date: 2025-03-12\npurpose: "{text}"\n')
                seconds = timed(partial(build, path, BuildOptions(out_dir=Path(tmp))))
                whole = f"{seconds:.2f} s"
            print(f"| {chars:,} | {whole} | {pdf:.2f} s | {docx:.2f} s |", flush=True)


if __name__ == "__main__":
    main()
