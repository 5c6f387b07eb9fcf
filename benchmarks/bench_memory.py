"""Benchmark: memory stays flat per brief, in a long-lived process and behind the build server.

Run: python benchmarks/bench_memory.py [--briefs N]   (prints numbers; asserts nothing)

- in-process: one Project (as a service or the preview keeps it) builds N distinct copies of the
  example, both formats; the resident set (VmRSS) is printed every N/10 builds. Flat means
  nothing is kept per brief: the caches are bounded and the Documents are dropped.
- build server: `briefgen server start`, then N `briefgen build` commands through it; the
  server's resident set after every N/10 commands (each command runs in a child that exits, so
  the server itself must not grow).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare import copies  # distinct copies of the example, as compare.py builds them


def resident_mb(pid: int | str = "self") -> float:
    found = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    return int(found.group(1)) / 1024 if found else float("nan")


def in_process(inputs: list[Path], out: Path) -> None:
    import briefgen
    from briefgen.pipeline import Project, build

    options = briefgen.BuildOptions(out_dir=out)
    project = Project.for_input(inputs[0], options)
    step = max(1, len(inputs) // 10)
    print("in-process, one Project: builds -> resident MB")
    for count, path in enumerate(inputs, start=1):
        build(path, options, project=project)
        if count == 1 or count % step == 0:
            print(f"  {count:5d}  {resident_mb():6.1f}")


def served(inputs: list[Path], out: Path) -> None:
    cache = tempfile.mkdtemp(prefix="bgm-", dir="/tmp")  # a socket path has at most 107 bytes
    env = {k: v for k, v in os.environ.items() if k != "BRIEFGEN_SERVER"}
    env["BRIEFGEN_CACHE_DIR"] = cache
    command = [sys.executable, "-m", "briefgen"]
    subprocess.run([*command, "server", "start"], check=True, env=env, stdout=subprocess.DEVNULL)
    try:
        status = subprocess.run(
            [*command, "server", "status"], env=env, capture_output=True, text=True, check=True
        )
        found = re.search(r"process (\d+)", status.stdout)
        assert found, status.stdout
        pid = found.group(1)
        step = max(1, len(inputs) // 10)
        print(f"build server: commands -> server resident MB (at start {resident_mb(pid):.1f})")
        for count, path in enumerate(inputs, start=1):
            subprocess.run(
                [*command, "build", str(path), "-o", str(out)],
                check=True,
                env=env,
                stdout=subprocess.DEVNULL,
            )
            if count == 1 or count % step == 0:
                print(f"  {count:5d}  {resident_mb(pid):6.1f}")
    finally:
        subprocess.run([*command, "server", "stop"], env=env, stdout=subprocess.DEVNULL)
        shutil.rmtree(cache, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--briefs", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        inputs = copies(Path(folder) / "inputs", args.briefs)
        served(inputs[: max(10, args.briefs // 3)], Path(folder) / "served")
        in_process(inputs, Path(folder) / "out")


if __name__ == "__main__":
    main()
