"""Benchmark: a big pack against the naive floor writing the same pack, in one run.

Run: python benchmarks/bench_pack_floor.py [--meetings N ...] [--jobs J] [--rounds R]
(prints numbers; asserts nothing)

The pack target of issue 11 (a 100-meeting pack in 2 s) is a number of seconds on the machine
of its day. This script measures what raw reportlab and python-docx need for the same pack on
the machine of today: the floor (benchmarks/floor.py) writing N copies of the seed brief one
after another, each from a new page, as one PDF and one DOCX, the two files side by side on
their own processes (the shape of `briefgen pack -j 2`: the PDF in a worker beside the DOCX);
and `briefgen pack -j J` of N copies of the example meeting (each with its own id and title),
staff audience, both formats. Both are whole processes started from the shell, imports
included, alternated over R rounds. The floor has no cover, contents, tagging or audiences.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_many import write_pack  # noqa: E402  (the staff pack bench_many.py builds)
from bench_many_floor import checkout_env, machine, timed  # noqa: E402  (whole processes)
from compare import copies  # noqa: E402  (the example's distinct copies, as compare.py makes)

FLOOR_PACK = """
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
sys.path.insert(0, {here!r})
import floor

def one(suffix):
    briefs = []
    for index in range({count}):
        brief = floor.load()
        brief["title"] = f"{{brief['title']}} {{index}}"
        briefs.append(brief)
    write = floor.write_pdf_pack if suffix == "pdf" else floor.write_docx_pack
    (Path({out!r}) / f"floor-pack.{{suffix}}").write_bytes(write(briefs))

if __name__ == "__main__":
    with ProcessPoolExecutor({jobs}) as pool:
        list(pool.map(one, ["pdf", "docx"]))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, nargs="+", default=[25, 100])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()
    env = checkout_env()
    print(machine(options.jobs))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        inputs = copies(folder / "meetings", max(options.meetings))
        (folder / "floor").mkdir()
        for size in options.meetings:
            script = folder / f"floor_pack_{size}.py"
            script.write_text(
                FLOOR_PACK.format(
                    here=str(HERE), out=str(folder / "floor"), jobs=options.jobs, count=size
                ),
                encoding="utf-8",
            )
            pack = write_pack(folder, inputs[:size])
            command = [sys.executable, "-m", "briefgen", "pack", str(pack)]
            command += ["-j", str(options.jobs), "-o", str(folder / "packs")]
            times: dict[str, list[float]] = {"floor": [], "briefgen": []}
            for _ in range(options.rounds):
                times["floor"].append(timed([sys.executable, str(script)], env))
                times["briefgen"].append(timed(command, env))
            floor_s, ours = min(times["floor"]), min(times["briefgen"])
            medians = statistics.median(times["briefgen"]) / statistics.median(times["floor"])
            print(
                f"pack of {size:3d}: floor {floor_s:.2f} s, briefgen {ours:.2f} s "
                f"(min of {options.rounds}): {ours / floor_s:.2f}x (of the medians {medians:.2f}x)"
            )


if __name__ == "__main__":
    main()
