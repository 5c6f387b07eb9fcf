"""Benchmark: how long briefgen takes for the example meeting, in-process and from the shell.

Run: python benchmarks/bench_build.py [INPUT]   (prints numbers; asserts nothing)
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = REPO / "inputs" / "nato-sg-bih-presidency-2024-12-18.yaml"


def median_ms(action, repeat: int = 30) -> float:  # type: ignore[no-untyped-def]
    action()  # warm-up: imports, font registration, template compilation
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def cold_ms(args: list[str], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, cwd=REPO)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    input_path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_INPUT
    sys.path.insert(0, str(REPO))
    from briefgen.pipeline import Project, render_document
    from briefgen.validation import load_meeting
    from briefgen.writers import get_writer

    project = Project()
    audience = project.audience("staff")
    theme = project.theme(audience)
    write_pdf, write_docx = get_writer("pdf"), get_writer("docx")

    def document():  # type: ignore[no-untyped-def]
        meeting, _ = load_meeting(input_path)
        return render_document(meeting, audience, project)

    results = {
        "load + validate + render + read (no writer)": median_ms(document),
        "PDF (whole pipeline)": median_ms(lambda: write_pdf(document(), theme).data),
        "DOCX (whole pipeline)": median_ms(lambda: write_docx(document(), theme).data),
        "both formats (whole pipeline)": median_ms(
            lambda: (lambda d: (write_pdf(d, theme).data, write_docx(d, theme).data))(document())
        ),
    }
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryDirectory() as out:
        exe = [sys.executable, "-m", "briefgen.cli"]
        results["cold `briefgen --help`"] = cold_ms([*exe, "--help"])
        results["cold `briefgen build` (both formats)"] = cold_ms(
            [*exe, "build", str(input_path), "--out", out]
        )
    print(
        f"input: {input_path.relative_to(REPO) if input_path.is_relative_to(REPO) else input_path}"
    )
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    for name, value in results.items():
        print(f"{name:45s} {value:8.1f} ms (median)")
    print(f"{'peak memory (in-process runs)':45s} {peak_mb:8.1f} MB")


if __name__ == "__main__":
    main()
