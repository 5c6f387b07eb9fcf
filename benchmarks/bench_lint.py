"""Prints how long lint takes: a cold `briefgen lint` process, and each example in-process."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FILES = [
    REPO / "tests" / "fixtures" / "press-release-defects.yaml",
    *sorted((REPO / "inputs").glob("*.yaml")),
]


def main() -> None:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "briefgen.cli", "lint", *map(str, FILES)],
        cwd=REPO,
        capture_output=True,
        check=False,
    )
    print(f"cold process, {len(FILES)} files: {time.perf_counter() - start:.2f} s")

    sys.path.insert(0, str(REPO))
    from briefgen.lint import lint_file

    start = time.perf_counter()
    lint_file(FILES[0])
    print(
        f"first file in-process (loads dictionary, inflect, ftfy): "
        f"{(time.perf_counter() - start) * 1000:.0f} ms"
    )
    rounds = 10
    for path in FILES:
        start = time.perf_counter()
        for _ in range(rounds):
            lint_file(path)
        each = (time.perf_counter() - start) / rounds * 1000
        print(f"{path.name}: {each:.1f} ms ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
