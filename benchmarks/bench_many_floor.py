"""Benchmark: many briefs against the naive floor doing the same many briefs, in one run.

Run: python benchmarks/bench_many_floor.py [--briefs N] [--jobs J] [--rounds R]
(prints numbers; asserts nothing)

The batch target of issue 11 (500 briefs x 2 formats in 7.5 s with -j 2) is a number of seconds
on the machine of its day, when the floor wrote the seed brief in 39.7 ms. This script measures
what it stands for on the machine of today: the floor (benchmarks/floor.py, raw reportlab and
python-docx) writing N copies of the seed brief on J processes, and `briefgen build -j J` of N
copies of the example meeting (each with its own id and title) — both as whole processes
started from the shell, imports and process pool included, alternated over R rounds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from compare import copies  # noqa: E402  (the example's distinct copies, as compare.py makes)

# The floor's batch: its own process pool over the seed brief with distinct titles, the same
# shape as `briefgen build -j J` (a parent handing files to J worker processes).
FLOOR_BATCH = """
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
sys.path.insert(0, {here!r})
import floor

def one(index):
    brief = floor.load()
    brief["title"] = f"{{brief['title']}} {{index}}"
    out = Path({out!r})
    (out / f"floor-{{index:04d}}.pdf").write_bytes(floor.write_pdf(brief))
    (out / f"floor-{{index:04d}}.docx").write_bytes(floor.write_docx(brief))

if __name__ == "__main__":
    with ProcessPoolExecutor({jobs}) as pool:
        list(pool.map(one, range({count}), chunksize=4))
"""


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def checkout_env() -> dict[str, str]:
    """This checkout's briefgen, no build server: every run a whole cold process."""
    return {**os.environ, "PYTHONPATH": str(HERE.parent), "BRIEFGEN_SERVER": "off"}


def machine(jobs: int) -> str:
    return (
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, -j {jobs}, "
        f"load {os.getloadavg()[0]:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--briefs", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()
    env = checkout_env()
    print(machine(options.jobs))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inputs = copies(folder / "inputs", options.briefs)
        script = folder / "floor_batch.py"
        (folder / "floor").mkdir()
        script.write_text(
            FLOOR_BATCH.format(
                here=str(HERE), out=str(folder / "floor"), jobs=options.jobs, count=options.briefs
            ),
            encoding="utf-8",
        )
        build = [sys.executable, "-m", "briefgen", "build", *map(str, inputs)]
        build += ["-j", str(options.jobs), "-o", str(folder / "briefgen")]
        times: dict[str, list[float]] = {"floor": [], "briefgen": []}
        for _ in range(options.rounds):
            times["floor"].append(timed([sys.executable, str(script)], env))
            times["briefgen"].append(timed(build, env))
        written = len(list((folder / "briefgen").iterdir()))
    floor_s, ours = min(times["floor"]), min(times["briefgen"])
    print(
        f"floor:    {options.briefs} briefs x 2 formats: {floor_s:.1f} s (min of {options.rounds})"
    )
    print(f"briefgen: {options.briefs} briefs x 2 formats ({written} files): {ours:.1f} s")
    medians = statistics.median(times["briefgen"]) / statistics.median(times["floor"])
    print(f"ratio:    {ours / floor_s:.2f}x  (of the medians {medians:.2f}x)")
    # The 7.5 s was 0.76x of the floor's rate of its day (500 x 39.7 ms / 2 cores).
    print(
        f"the issue's 7.5 s as a share of the floor then, on today's floor: {0.76 * floor_s:.1f} s"
    )


if __name__ == "__main__":
    main()
