"""Benchmark: briefgen against the naive floor (benchmarks/floor.py), interleaved in one run.

Run: python benchmarks/compare.py [--repeat N] [--cold N] [--scale] [--instructions]
(prints numbers; asserts nothing)

Every measurement alternates briefgen and the floor (and the other commands) within each
repetition, so a burst of load from other work hits both sides alike; the table gives the
minimum (the least disturbed run) and the median of each, and the ratio of the minimums.
- cold: whole processes as a user starts them (`briefgen build` of the example, both formats,
  against `python benchmarks/floor.py`), and `briefgen validate`, `lint`, `--help`; each twice:
  run by itself (BRIEFGEN_SERVER=off), and handed to a build server (`briefgen server start`,
  started for the run in a cache folder of its own), timing the whole client process.
- in-process: `briefgen.build()` with one Project reused (as a service does) on distinct
  copies of the example (each its own id and title), against the floor's functions on the
  seed brief; both formats, PDF alone (tagged PDF/UA-1) and DOCX alone. Both sides write
  their files (briefgen atomically, with fsync; the floor with a plain write).
- --scale: 1x, 10x and 100x the example's key points and table rows, each size in a fresh
  process: time per build (both formats) and peak memory, briefgen and the floor.
- --instructions: the cold commands once each under `valgrind --tool=callgrind`, for counts
  that the machine's load does not move.
Before measuring, briefgen's modules are compiled to bytecode (`compileall`), as pip does when
it installs a wheel: with PYTHONDONTWRITEBYTECODE set (as on this machine) an editable checkout
would otherwise compile every module of briefgen again in each cold process, about a quarter of
a cold build's instructions that no installed briefgen pays.
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import copy
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
EXAMPLE = REPO / "inputs" / "nato-sg-bih-presidency-2024-12-18.yaml"
SEED = HERE / "seed_brief.json"
FLOOR = HERE / "floor.py"
sys.path.insert(0, str(HERE))

import floor  # noqa: E402  (the floor lives next to this script)


def briefgen_command() -> list[str]:
    script = Path(sys.executable).with_name("briefgen")
    return [str(script)] if script.exists() else [sys.executable, "-m", "briefgen"]


def interleave(actions: dict[str, Callable[[], object]], repeat: int) -> dict[str, list[float]]:
    """Run every action once per round, rotating the order; seconds per run, by name."""
    times: dict[str, list[float]] = {name: [] for name in actions}
    names = list(actions)
    for round_ in range(repeat):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            start = time.perf_counter()
            actions[name]()
            times[name].append(time.perf_counter() - start)
    return times


# Cold commands run themselves (a build server the user has running must not serve them); the
# "served" ones go to the server this script starts, in a cache folder of its own.
HERE_ONLY = {**os.environ, "BRIEFGEN_SERVER": "off"}


def run(args: list[str], env: dict[str, str] = HERE_ONLY) -> Callable[[], object]:
    def action() -> None:
        subprocess.run(
            args,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=REPO,
            env=env,
        )

    return action


@contextlib.contextmanager
def build_server() -> Iterator[dict[str, str]]:
    """A build server for the run (`briefgen server start`); yields the environment that uses it."""
    cache = tempfile.mkdtemp(prefix="bgc-", dir="/tmp")  # short: a socket path has <= 107 bytes
    env = {k: v for k, v in os.environ.items() if k != "BRIEFGEN_SERVER"}
    env["BRIEFGEN_CACHE_DIR"] = cache
    exe = briefgen_command()
    subprocess.run([*exe, "server", "start"], check=True, env=env, stdout=subprocess.DEVNULL)
    try:
        yield env
    finally:
        subprocess.run([*exe, "server", "stop"], check=True, env=env, stdout=subprocess.DEVNULL)
        shutil.rmtree(cache, ignore_errors=True)


def copies(folder: Path, count: int) -> list[Path]:
    """Distinct meeting files: the example with its own id and title each."""
    folder.mkdir(parents=True, exist_ok=True)
    text = EXAMPLE.read_text(encoding="utf-8")
    paths = []
    for index in range(count):
        changed = re.sub(r"(?m)^(  id: .+)$", rf"\g<1>-{index:03d}", text)
        changed = re.sub(r"(?m)^(  title: .+)$", rf"\g<1> {index}", changed, count=1)
        path = folder / f"meeting-{index:03d}.yaml"
        path.write_text(changed, encoding="utf-8")
        paths.append(path)
    return paths


def cold(repeat: int, out: Path) -> dict[str, list[float]]:
    exe = briefgen_command()
    commands = {
        "build": ["build", str(EXAMPLE), "-o", str(out / "cold")],
        "validate": ["validate", str(EXAMPLE)],
        "lint": ["lint", str(EXAMPLE)],
        "--help": ["--help"],
    }
    with build_server() as served:
        actions = {
            "floor": run([sys.executable, str(FLOOR), str(SEED), str(out / "floor")]),
            **{f"briefgen {name}": run([*exe, *args]) for name, args in commands.items()},
            **{f"served {name}": run([*exe, *args], served) for name, args in commands.items()},
        }
        return interleave(actions, repeat)


def warm(repeat: int, out: Path) -> dict[str, list[float]]:
    import briefgen
    from briefgen.pipeline import Project

    inputs = copies(out / "inputs", 16)
    project = Project.for_input(inputs[0], briefgen.BuildOptions())
    briefs = []
    for index in range(16):
        brief = floor.load(SEED)
        brief["title"] = f"{brief['title']} {index}"
        briefs.append(brief)
    turn = {"n": 0}

    def build(formats: tuple[str, ...]) -> Callable[[], object]:
        options = briefgen.BuildOptions(formats=formats, out_dir=out / "warm")

        def action() -> None:
            turn["n"] += 1
            briefgen.build(inputs[turn["n"] % len(inputs)], options, project)

        return action

    def floor_write(*writers: tuple[str, Callable[[dict[str, Any]], bytes]]) -> Callable[[], None]:
        def action() -> None:
            turn["n"] += 1
            brief = briefs[turn["n"] % len(briefs)]
            for suffix, writer in writers:
                (out / f"floor.{suffix}").write_bytes(writer(brief))

        return action

    pdf, docx = ("pdf", floor.write_pdf), ("docx", floor.write_docx)
    actions = {
        "briefgen both": build(("pdf", "docx")),
        "floor both": floor_write(pdf, docx),
        "briefgen pdf": build(("pdf",)),
        "floor pdf": floor_write(pdf),
        "briefgen docx": build(("docx",)),
        "floor docx": floor_write(docx),
    }
    interleave(actions, 3)  # warm-up: imports, fonts, compiled templates, reference document
    return interleave(actions, repeat)


def row(
    label: str,
    ours: list[float],
    theirs: list[float] | None,
    goal: str,
    limit: float,
    unit: float = 1.0,
) -> str:
    """A table row; `limit` is the goal as a ratio (with a floor) or in seconds (without)."""
    if not ours:  # not measured this run (--cold 0 or --repeat 0)
        return ""
    scale, suffix = (1000, " ms") if unit < 1 else (1, " s")
    if not ours:  # not measured this run (--cold 0)
        return f"| {label} | not measured | | | ≤ {goal} | |"
    best = min(ours)
    text = f"{best * scale:.{0 if scale == 1000 else 2}f}{suffix}"
    median = f"{statistics.median(ours) * scale:.{0 if scale == 1000 else 2}f}"
    if theirs is None:
        met = best <= limit
        return (
            f"| {label} | {text} (median {median}) | | | ≤ {goal} | {'met' if met else 'NOT met'} |"
        )
    ratio = best / min(theirs)
    floor_text = f"{min(theirs) * scale:.{0 if scale == 1000 else 2}f}{suffix}"
    floor_median = f"{statistics.median(theirs) * scale:.{0 if scale == 1000 else 2}f}"
    met = ratio <= limit
    return (
        f"| {label} | {text} (median {median}) | {floor_text} (median {floor_median}) | "
        f"{ratio:.2f}x | ≤ {goal} | {'met' if met else 'NOT met'} |"
    )


def table(cold_times: dict[str, list[float]], warm_times: dict[str, list[float]]) -> str:
    c, w = cold_times, warm_times
    lines = [
        "| | briefgen (min) | floor (min) | ratio | goal | |",
        "|---|---|---|---|---|---|",
        row(
            "cold `briefgen build`, both formats, whole process",
            c["briefgen build"],
            c["floor"],
            "1.0x",
            1.0,
        ),
        row(
            "in-process `build()`, both formats, distinct inputs",
            w["briefgen both"],
            w["floor both"],
            "0.8x",
            0.8,
            unit=0.001,
        ),
        row(
            "PDF alone, in-process, tagged vs raw untagged reportlab",
            w["briefgen pdf"],
            w["floor pdf"],
            "1.1x",
            1.1,
            unit=0.001,
        ),
        row(
            "DOCX alone, in-process, vs raw python-docx",
            w["briefgen docx"],
            w["floor docx"],
            "0.6x",
            0.6,
            unit=0.001,
        ),
        row("cold `briefgen validate`", c["briefgen validate"], None, "0.15 s", 0.15),
        row("cold `briefgen lint`", c["briefgen lint"], None, "0.3 s", 0.3),
        row("cold `briefgen --help`", c["briefgen --help"], None, "60 ms", 0.060, unit=0.001),
        row(
            "cold `briefgen build`, both formats, with `briefgen server` running",
            c["served build"],
            c["floor"],
            "1.0x",
            1.0,
        ),
        row("cold `briefgen validate`, server running", c["served validate"], None, "0.15 s", 0.15),
        row("cold `briefgen lint`, server running", c["served lint"], None, "0.3 s", 0.3),
        row(
            "cold `briefgen --help`, server running",
            c["served --help"],
            None,
            "60 ms",
            0.060,
            unit=0.001,
        ),
    ]
    return "\n".join(line for line in lines if line)


# ---------------------------------------------------------------------------------------------
# Growth with the input


def scaled_yaml(factor: int, folder: Path) -> Path:
    import yaml

    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["key_points"] = [
        {**point, "title": f"{point['title']} {n}"}
        for n in range(factor)
        for point in data["key_points"]
    ]
    data["initiatives"] = [
        {**item, "name": f"{item['name']} {n}"}
        for n in range(factor)
        for item in data["initiatives"]
    ]
    for section in data["sections"]:
        if "table" in section:
            section["table"]["rows"] = section["table"]["rows"] * factor
    path = folder / f"scaled-{factor}.yaml"
    # Repeated rows written out in full: briefgen limits YAML aliases.
    dumper = type("Dumper", (yaml.SafeDumper,), {"ignore_aliases": lambda self, data: True})
    text = yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def scaled_brief(factor: int, folder: Path) -> Path:
    brief = floor.load(SEED)
    heading = ""
    for block in brief["blocks"]:
        heading = block.get("heading", heading)
        if "bullets" in block and heading == "Key points":
            block["bullets"] = copy.deepcopy(block["bullets"]) * factor
        if "table" in block and heading in ("Initiatives", "Focus areas"):
            block["table"] = block["table"][:1] + block["table"][1:] * factor
    path = folder / f"scaled-{factor}.json"
    path.write_text(json.dumps(brief), encoding="utf-8")
    return path


def probe(side: str, path: Path, out: Path) -> None:
    """In a fresh process: one warm-up build, then the median of three; prints JSON."""
    import resource

    if side == "briefgen":
        import briefgen
        from briefgen.pipeline import Project

        options = briefgen.BuildOptions(out_dir=out)
        project = Project.for_input(path, options)

        def action() -> None:
            briefgen.build(path, options, project)
    else:
        brief = floor.load(path)

        def action() -> None:
            (out / "floor.pdf").write_bytes(floor.write_pdf(brief))
            (out / "floor.docx").write_bytes(floor.write_docx(brief))

    times = interleave({"build": action}, 4)["build"][1:]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Linux carries ru_maxrss over exec from the forking parent (this benchmark, large after
    # its in-process rounds); the memory map's own high-water mark starts afresh.
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
    print(json.dumps({"seconds": statistics.median(times), "peak_mb": peak}))


def scale(out: Path) -> str:
    lines = [
        "| size | briefgen time | briefgen peak memory | floor time | floor peak memory |",
        "|---|---|---|---|---|",
    ]
    for factor in (1, 10, 100):
        results = {}
        for side, path in (
            ("briefgen", scaled_yaml(factor, out)),
            ("floor", scaled_brief(factor, out)),
        ):
            done = subprocess.run(
                [sys.executable, __file__, "--probe", side, str(path), str(out)],
                check=True,
                capture_output=True,
                text=True,
            )
            results[side] = json.loads(done.stdout)
        b, f = results["briefgen"], results["floor"]
        lines.append(
            f"| {factor}x | {b['seconds'] * 1000:.0f} ms | {b['peak_mb']:.0f} MB | "
            f"{f['seconds'] * 1000:.0f} ms | {f['peak_mb']:.0f} MB |"
        )
    return "\n".join(lines)


def instructions(out: Path) -> str:
    """Instruction counts of the cold commands (callgrind: ~50x slower, but load-proof)."""
    if shutil.which("valgrind") is None:
        return "(valgrind not found)"
    exe = briefgen_command()
    commands = {
        "briefgen build": [*exe, "build", str(EXAMPLE), "-o", str(out / "cg")],
        "floor": [sys.executable, str(FLOOR), str(SEED), str(out / "cgf")],
        "briefgen validate": [*exe, "validate", str(EXAMPLE)],
        "briefgen lint": [*exe, "lint", str(EXAMPLE)],
        "briefgen --help": [*exe, "--help"],
    }
    lines = ["| cold command | instructions (callgrind) |", "|---|---|"]
    for name, args in commands.items():
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *args],
            capture_output=True,
            text=True,
            cwd=REPO,
            env=HERE_ONLY,
        )
        found = re.search(r"Collected : (\d+)", done.stderr)
        count = f"{int(found.group(1)) / 1e9:.2f} G" if found else "?"
        lines.append(f"| {name} | {count} |")
    return "\n".join(lines)


def compile_package() -> None:
    """Bytecode for every briefgen module, as an installed wheel has (see the docstring)."""
    compileall.compile_dir(REPO / "briefgen", quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=40, help="in-process rounds")
    parser.add_argument("--cold", type=int, default=15, help="cold-start rounds")
    parser.add_argument("--scale", action="store_true", help="also 1x/10x/100x growth")
    parser.add_argument("--instructions", action="store_true", help="also callgrind counts")
    parser.add_argument("--only-scale", action="store_true", help="only the growth table")
    parser.add_argument("--probe", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    compile_package()
    if args.probe:
        probe(args.probe[0], Path(args.probe[1]), Path(args.probe[2]))
        return
    load_before = os.getloadavg()
    if args.only_scale:
        with tempfile.TemporaryDirectory() as folder:
            print(scale(Path(folder)))
        return
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        cold_times = cold(args.cold, out)
        warm_times = warm(args.repeat, out)
        print(
            f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; load average "
            f"{load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after; "
            f"{args.cold} cold rounds, {args.repeat} in-process rounds, interleaved\n"
        )
        print(table(cold_times, warm_times))
        if args.instructions:
            print()
            print(instructions(out))
        if args.scale:
            print()
            print(scale(out))


if __name__ == "__main__":
    main()
