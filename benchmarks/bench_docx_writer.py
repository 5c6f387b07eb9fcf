"""Benchmark: the in-process DOCX writer alone, per phase, against raw python-docx (the floor).

Run: python benchmarks/bench_docx_writer.py [--repeat N] [--audience NAME] [--profile]
     valgrind --tool=callgrind python benchmarks/bench_docx_writer.py --loop N
(prints numbers; asserts nothing)

The Document is rendered once (load, validate, render and read are not the writer's), then
`write_docx` runs on it `--repeat` times after a warm-up, interleaved with `floor.write_docx`
on the seed brief (benchmarks/floor.py), so a burst of load hits both alike. Each phase is
timed by wrapping the writer's module-level helpers (whichever of PHASES exist), so the numbers
add up to less than the total by the glue between them. The minimum is the least disturbed
run; on this shared machine wall times move 2x with load, so compare runs made side by side.
`--profile` prints cProfile's top functions of the writer instead; `--loop N` only writes N
times after the warm-up, silently, for instruction counts (N=20 minus N=0, over 20, is one
write's: the machine's load does not move it).
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import importlib
import pstats
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
EXAMPLE = REPO / "inputs" / "nato-sg-bih-presidency-2024-12-18.yaml"
sys.path.insert(0, str(HERE))

import floor  # noqa: E402  (the floor lives next to this script)

# (module, function, phase label): the helpers write_docx calls, in the order it calls them.
PHASES = (
    ("docx", "Document", "open the reference document"),
    ("briefgen.writers.docx.body", "open_reference", "open the reference document"),
    ("briefgen.writers.docx.body", "_Writer.blocks", "body blocks"),
    ("briefgen.writers.docx.body", "fill_contents", "table of contents"),
    ("briefgen.writers.docx.body", "_page_chrome", "header and footer"),
    ("briefgen.writers.docx.body", "page_chrome", "header and footer"),
    ("briefgen.writers.docx.body", "finish_sections", "sections"),
    ("briefgen.writers.docx.body", "_properties", "core properties"),
    ("docx.document", "Document.save", "save (python-docx)"),
    ("briefgen.writers.docx.body", "split_package", "split parts"),
    ("briefgen.writers.docx.body", "join_package", "serialise parts"),
    ("briefgen.writers.docx.body", "tidy_package", "tidy the package"),
    ("briefgen.writers.docx.body", "_normalise_zip", "zip"),
    ("briefgen.writers.docx.body", "write_zip", "zip"),
)

spent: dict[str, float] = defaultdict(float)  # this build's seconds by phase
active: set[str] = set()  # phases running now: a recursive call is counted once


def timed(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if label in active:
            return function(*args, **kwargs)
        active.add(label)
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - start
            active.discard(label)

    return wrapper


def instrument() -> list[str]:
    """Wrap each phase's function where the writer looks it up; the labels found."""
    found = []
    for module_name, name, label in PHASES:
        module = importlib.import_module(module_name)
        owner: Any = module
        *path, attribute = name.split(".")
        for part in path:
            owner = getattr(owner, part, None)
        if owner is None or not hasattr(owner, attribute):
            continue
        setattr(owner, attribute, timed(label, getattr(owner, attribute)))
        if label not in found:
            found.append(label)
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--audience", default="staff")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--loop", type=int, default=None)
    args = parser.parse_args()

    from briefgen.pipeline import BuildOptions, Project, render_document
    from briefgen.validation import load_meeting
    from briefgen.writers.docx import write_docx

    project = Project.for_input(EXAMPLE, BuildOptions())
    audience = project.audience(args.audience)
    theme = project.theme(audience)
    meeting, _ = load_meeting(EXAMPLE)
    document = render_document(meeting, audience, project)
    options = project.writer_options(None, audience)
    seed = floor.load(HERE / "seed_brief.json")

    def ours() -> object:
        return write_docx(document, theme, options)

    def theirs() -> object:
        return floor.write_docx(seed)

    for _ in range(3):  # warm-up: imports, the reference document in the Project's cache
        ours(), theirs()
    if args.loop is not None:
        for _ in range(args.loop):
            ours()
        return
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(lambda: [ours() for _ in range(args.repeat)])
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)
        return
    labels = instrument()
    phases: dict[str, list[float]] = defaultdict(list)
    totals: dict[str, list[float]] = {"briefgen write_docx": [], "floor write_docx": []}
    for round_ in range(args.repeat):
        pair = [("briefgen write_docx", ours), ("floor write_docx", theirs)]
        for name, action in pair if round_ % 2 else pair[::-1]:
            spent.clear()
            start = time.perf_counter()
            action()
            totals[name].append(time.perf_counter() - start)
            if name.startswith("briefgen"):
                for label in labels:
                    phases[label].append(spent.get(label, 0.0))

    print(f"input: {EXAMPLE.relative_to(REPO)} ({args.audience}), {args.repeat} rounds")
    ours_min = min(totals["briefgen write_docx"])
    for name, times in totals.items():
        print(
            f"{name:32s} min {min(times) * 1000:7.2f} ms   median "
            f"{statistics.median(times) * 1000:7.2f} ms"
        )
    print(f"{'ratio (minimums)':32s} {ours_min / min(totals['floor write_docx']):.2f}x")
    print("phases of briefgen write_docx (median per build, ms):")
    for label in labels:
        print(f"  {label:30s} {statistics.median(phases[label]) * 1000:7.2f}")


if __name__ == "__main__":
    main()
