"""Benchmark: a redline of the example against an edited copy, next to a plain build of it.

Run: python benchmarks/bench_redline.py [INPUT]   (prints numbers; asserts nothing)
The target: a redline (both formats) costs at most twice a plain build of both formats.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = REPO / "inputs" / "nato-sg-bih-presidency-2024-12-18.yaml"


def median_ms(action: Callable[[], object], repeat: int = 20) -> float:
    action()  # warm-up: imports, fonts, template compilation
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def edited_copy(source: Path, folder: Path) -> Path:
    """OLD: the example with every fifth "the" as "a" and every third "and" as "or"."""
    text = source.read_text(encoding="utf-8")
    for word, other, every in ((" the ", " a ", 5), (" and ", " or ", 3)):
        pieces = text.split(word)
        text = pieces[0] + "".join(
            (other if index % every == 0 else word) + piece
            for index, piece in enumerate(pieces[1:], start=1)
        )
    path = folder / "old.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def main() -> None:
    input_path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_INPUT
    sys.path.insert(0, str(REPO))
    from briefgen.pipeline import BuildOptions, build
    from briefgen.redline import build_redline

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        old = edited_copy(input_path, folder)
        options = BuildOptions(out_dir=folder / "out")
        result = build_redline(str(old), input_path, options)
        changes = len(result.redlines[0].changes)
        plain = median_ms(lambda: build(input_path, options))
        redline = median_ms(lambda: build_redline(str(old), input_path, options))
        same = median_ms(lambda: build_redline(str(input_path), input_path, options))
    print(f"input: {input_path.name} (staff, PDF + DOCX; {changes} changes in the summary)")
    print(f"  plain build, both formats    {plain:7.1f} ms")
    print(f"  redline, both formats        {redline:7.1f} ms   {redline / plain:.2f}x")
    print(f"  redline of identical inputs  {same:7.1f} ms   {same / plain:.2f}x")


if __name__ == "__main__":
    main()
