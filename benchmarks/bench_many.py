"""Benchmark: many briefs and big packs from the command line, as a user runs them.

Run: python benchmarks/bench_many.py [--briefs N] [--jobs J]   (prints numbers; asserts nothing)

- `briefgen build` on N meeting files (default 500), both formats, staff audience: the three
  ordinary example inputs in turn, each copy with its own id so every output file is distinct.
- `briefgen pack` on packs of 25, 50 and 100 of those meetings (one audience, both formats),
  to show how time and peak memory grow with the pack.

Peak memory is the largest resident set of any one process of the run (the parent or a worker),
from getrusage(RUSAGE_CHILDREN) in a wrapper process that runs only that command.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCES = [
    "black-sea-maritime-security-2025-03-12.yaml",
    "nato-sg-bih-presidency-2024-12-18.yaml",
    "mixed-levels-cyber-dialogue-2025-06-04.yaml",
]
_WRAPPER = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "rc": done.returncode}))
"""


def meetings(folder: Path, count: int) -> list[Path]:
    """`count` meeting files: the example inputs in turn, each with a distinct id."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = [(REPO / "inputs" / name).read_text(encoding="utf-8") for name in SOURCES]
    paths = []
    for index in range(count):
        text = re.sub(r"(?m)^(  id: .+)$", rf"\g<1>-{index:04d}", texts[index % len(texts)])
        path = folder / f"meeting-{index:04d}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def measure(args: list[str]) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *args],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=REPO,
    )
    result: dict[str, float] = json.loads(out.stdout)
    if result["rc"]:
        raise SystemExit(f"failed: {' '.join(args)}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--briefs", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    options = parser.parse_args()
    cli = [sys.executable, "-m", "briefgen.cli"]
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, -j {options.jobs}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = meetings(folder / "meetings", max(options.briefs, 100))
        briefs = files[: options.briefs]
        result = measure(
            [*cli, "build", *map(str, briefs), "-j", str(options.jobs), "-o", str(folder / "out")]
        )
        written = len(list((folder / "out").iterdir()))
        print(
            f"build: {len(briefs)} briefs x 2 formats ({written} files): "
            f"{result['seconds']:.1f} s, peak {result['peak_mb']:.0f} MB per process"
        )
        for size in (25, 50, 100):
            pack = write_pack(folder, files[:size])
            result = measure(
                [*cli, "pack", str(pack), "-j", str(options.jobs), "-o", str(folder / "packs")]
            )
            pages = _pages(folder / "packs" / f"{_day(files[:size])}_pack-{size}.staff.pdf")
            print(
                f"pack: {size:3d} meetings ({pages} pages, PDF + DOCX): "
                f"{result['seconds']:.1f} s, peak {result['peak_mb']:.0f} MB"
            )


def write_pack(folder: Path, files: list[Path]) -> Path:
    """`folder/pack-N.yaml`: the N meeting files (inside `folder`) as one staff pack."""
    size = len(files)
    pack = folder / f"pack-{size}.yaml"
    entries = "\n".join(f"  - {path.relative_to(folder).as_posix()}" for path in files)
    pack.write_text(
        f"pack:\n  title: Pack of {size}\n  id: pack-{size}\n"
        f"audience: staff\nmeetings:\n{entries}\n",
        encoding="utf-8",
    )
    return pack


def _day(files: list[Path]) -> str:
    days = re.findall(r"(?m)^  date: (\S+)$", "\n".join(p.read_text() for p in files))
    return min(days)


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


if __name__ == "__main__":
    main()
