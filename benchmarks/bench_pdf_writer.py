"""Benchmark: the PDF writer alone on one rendered Document (the seed brief, staff), in-process.

Run: python benchmarks/bench_pdf_writer.py [--rounds N] [--input FILE] [--audience NAME]
     python benchmarks/bench_pdf_writer.py --profile tottime|cumtime [--rounds N]
     python benchmarks/bench_pdf_writer.py --instructions   (callgrind: per-round instructions)

Prints the minimum and median ms per phase over N rounds after one warm-up: the whole writer
(`write_pdf`, both layouts of a runt brief), and each layout on its own (`_lay_out` at the
theme's spacing and at the tightened one, its drawing recorded but neither drawn nor written
out; and one drawn and written out).
With --profile, a cProfile of N whole-writer rounds instead.
Asserts nothing; wall times on a shared machine move, so decide on --profile or callgrind.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "inputs" / "nato-sg-bih-presidency-2024-12-18.yaml"


def timed(action: Callable[[], object], rounds: int) -> list[float]:
    action()  # warm-up: fonts registered, caches filled
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def instructions(args: argparse.Namespace) -> None:
    """Instructions per whole-writer round: callgrind of R rounds less callgrind of none (both
    after the same imports and warm-up), divided by R. The load does not move this count."""
    totals = []
    for rounds in (0, args.rounds):
        with tempfile.TemporaryDirectory() as folder:
            command = [
                "valgrind", "--tool=callgrind", f"--callgrind-out-file={folder}/out",
                sys.executable, __file__, "--bare", "--rounds", str(rounds),
                "--input", str(args.input), "--audience", args.audience, "--what", args.what,
            ]  # fmt: skip
            result = subprocess.run(command, capture_output=True, text=True, check=True)
            found = re.search(r"Collected : (\d+)", result.stderr)
            assert found, result.stderr
            totals.append(int(found.group(1)))
    per_round = (totals[1] - totals[0]) / args.rounds
    print(
        f"{args.input.name} ({args.audience}): {per_round / 1e6:.1f} M instructions per "
        f"{args.what} ({args.rounds} rounds, callgrind)"
    )


def _other_round(args: argparse.Namespace, project: object) -> Callable[[], object]:
    import briefgen

    if args.what == "floor":
        sys.path.insert(0, str(REPO / "benchmarks"))
        import floor  # type: ignore[import-not-found]

        brief = floor.load()
        return lambda: floor.write_pdf(brief)
    out = Path(tempfile.mkdtemp())
    options = briefgen.BuildOptions(audiences=(args.audience,), formats=("pdf",), out_dir=out)
    return lambda: briefgen.build(args.input, options, project)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--input", type=Path, default=SEED)
    parser.add_argument("--audience", default="staff")
    parser.add_argument("--profile", choices=("tottime", "cumtime"))
    parser.add_argument("--lines", type=int, default=40)
    parser.add_argument("--bare", action="store_true", help="only the rounds (for callgrind)")
    parser.add_argument("--instructions", action="store_true", help="callgrind counts")
    parser.add_argument(
        "--what",
        choices=("write_pdf", "build", "floor"),
        default="write_pdf",
        help="what a round is: the PDF writer on a rendered Document; briefgen.build() of the "
        "input as PDF (the whole pipeline, its file written); the raw-reportlab floor's PDF",
    )
    args = parser.parse_args()
    if args.instructions:
        instructions(args)
        return
    sys.path.insert(0, str(REPO))
    import briefgen
    from briefgen.pipeline import Project, render_document
    from briefgen.writers.pdf import document as pdf_document

    project = Project.for_input(args.input, briefgen.BuildOptions())
    audience = project.audience(args.audience)
    theme = project.theme(audience)
    meeting, _ = project.load_meeting(args.input, str(args.input))
    doc = render_document(meeting, audience, project, 1700000000)
    options = project.writer_options(None, audience)

    def whole() -> object:
        return pdf_document.write_pdf(doc, theme, options)

    if args.what != "write_pdf":
        whole = _other_round(args, project)  # type: ignore[assignment]

    if args.bare:
        for _ in range(args.rounds + 1):
            whole()
        return

    if args.profile:
        whole()
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.rounds):
            whole()
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats(args.profile).print_stats(args.lines)
        return

    written = whole()
    print(
        f"{args.input.name} ({args.audience}): {written.layout.pages} pages, "  # type: ignore[attr-defined]
        f"spacing {written.layout.spacing}; {args.rounds} rounds after a warm-up"
    )  # type: ignore[attr-defined]
    tight = theme.tightened(pdf_document.TIGHT)
    phases: dict[str, Callable[[], object]] = {
        f"{args.what} (one round)": whole,
        "layout at the theme's spacing, written": lambda: pdf_document._lay_out(
            doc, theme, options
        ).written(),
        "layout at the theme's spacing, not written": lambda: pdf_document._lay_out(
            doc, theme, options
        ),
        "layout at TIGHT spacing, not written": lambda: pdf_document._lay_out(doc, tight, options),
    }
    for name, action in phases.items():
        times = timed(action, args.rounds)
        print(f"  {name:45} min {min(times):7.1f} ms   median {statistics.median(times):7.1f} ms")


if __name__ == "__main__":
    main()
