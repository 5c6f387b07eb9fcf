"""Benchmark: instructions per in-process build, briefgen against the floor (callgrind).

Run: python benchmarks/bench_instructions.py [--builds N] [--modes pdf docx both]
(prints numbers; asserts nothing; needs valgrind; about two minutes per mode and side)

Wall times on a shared VM drift by 1.3x within minutes; instruction counts do not. Each side
runs in a fresh interpreter under `valgrind --tool=callgrind`: once with its warm-up alone (three
builds: imports, fonts, templates, reference document) and once with N more builds of distinct
inputs; the difference over N is one build's instructions. briefgen builds distinct copies of
the example meeting through one `Project`, as compare.py's in-process rows do; the floor writes
the seed brief with distinct titles (benchmarks/floor.py).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

# One side's builds: `python -c PROBE SIDE MODE COUNT`.
PROBE = """
import re, sys, tempfile
from pathlib import Path
sys.path[:0] = [{here!r}, {repo!r}]
side, mode, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
out = Path(tempfile.mkdtemp())
if side == "floor":
    import floor
    briefs = []
    for index in range(16):
        brief = floor.load()
        brief["title"] = f"{{brief['title']}} {{index}}"
        briefs.append(brief)
    writers = {{"pdf": [floor.write_pdf], "docx": [floor.write_docx]}}
    chosen = writers.get(mode) or writers["pdf"] + writers["docx"]
    def one(index):
        for write in chosen:
            (out / "floor.out").write_bytes(write(briefs[index % 16]))
else:
    import briefgen
    from compare import copies
    from briefgen.pipeline import Project
    inputs = copies(out / "inputs", 16)
    project = Project.for_input(inputs[0], briefgen.BuildOptions())
    formats = ("pdf", "docx") if mode == "both" else (mode,)
    options = briefgen.BuildOptions(formats=formats, out_dir=out / "out")
    def one(index):
        briefgen.build(inputs[index % 16], options, project)
for index in range(3 + count):
    one(index)
"""


def instructions(side: str, mode: str, count: int) -> int:
    done = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-c",
            PROBE.format(here=str(HERE), repo=str(HERE.parent)),
            side,
            mode,
            str(count),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=tempfile.gettempdir(),
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"no count from callgrind for {side} {mode}:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--builds", type=int, default=8)
    parser.add_argument("--modes", nargs="+", default=["pdf", "docx", "both"])
    options = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind not found")
    print("| in-process build | briefgen | floor | ratio |\n|---|---|---|---|")
    for mode in options.modes:
        per_build = {}
        for side in ("briefgen", "floor"):
            warm = instructions(side, mode, 0)
            more = instructions(side, mode, options.builds)
            per_build[side] = (more - warm) / options.builds
        ours, floor = per_build["briefgen"], per_build["floor"]
        print(f"| {mode} | {ours / 1e6:.0f} M | {floor / 1e6:.0f} M | {ours / floor:.2f}x |")


if __name__ == "__main__":
    main()
