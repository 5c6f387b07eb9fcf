"""Benchmark: `briefgen preview` as the page uses it, over HTTP against the real command.

Run: python benchmarks/bench_preview.py   (prints numbers; asserts nothing but correctness)

1. POST /api/render (PDF, staff, the example) over 50 edits: median and p95, warm.
2. 8 clients at once, each editing its own file: every response has that client's newest words;
   median and p95 latency.
3. Memory (RSS of the server and its render workers) over 1,000 renders.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from pypdf import PdfReader

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "inputs" / "nato-sg-bih-presidency-2024-12-18.yaml"
TEXT = EXAMPLE.read_text(encoding="utf-8")
PLACE = "NATO Headquarters, Brussels"


def edit(text: str, marker: str) -> str:
    return text.replace(PLACE, f"Room {marker}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc)."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(
                next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))
            )
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, StopIteration, ProcessLookupError):
            continue
    return total


def render(client: httpx.Client, path: str, text: str) -> tuple[float, bytes]:
    start = time.perf_counter()
    answer = client.post(
        "/api/render", json={"path": path, "text": text, "audience": "staff", "format": "pdf"}
    )
    elapsed = (time.perf_counter() - start) * 1000
    assert answer.status_code == 200, answer.text
    return elapsed, answer.content


def words(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-preview-"))
    names = [f"meeting-{i}.yaml" for i in range(8)]
    for name in names:
        shutil.copy(EXAMPLE, folder / name)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen.cli", "preview", str(folder), "--port", "0", "--no-open"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split(": ", 1)[1].strip()
        base, token = url.split("/?token=")
        client = httpx.Client(base_url=base, headers={"X-Briefgen-Token": token}, timeout=60)
        print(f"workers: {os.cpu_count()} cores; server {base}")

        for i in range(5):  # warm: each worker renders this file once or more
            render(client, names[0], edit(TEXT, f"warm {i}"))
        times = [render(client, names[0], edit(TEXT, f"edit {i}"))[0] for i in range(50)]
        print(
            f"1. render PDF staff, 50 edits: median {statistics.median(times):.1f} ms, "
            f"p95 {percentile(times, 0.95):.1f} ms (target: median <= 60 ms)"
        )

        latencies: list[float] = []
        answers: list[tuple[str, bytes]] = []
        lock = threading.Lock()

        def client_edits(name: str) -> None:
            with httpx.Client(
                base_url=base, headers={"X-Briefgen-Token": token}, timeout=60
            ) as own:
                for i in range(20):
                    marker = f"{name.split('.')[0]} edit {i}"
                    elapsed, data = render(own, name, edit(TEXT, marker))
                    with lock:
                        latencies.append(elapsed)
                        answers.append((marker, data))

        threads = [threading.Thread(target=client_edits, args=(n,)) for n in names]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # Read the PDFs afterwards: pypdf in the clients would compete with the workers.
        wrong = [marker for marker, data in answers if f"Room {marker}" not in words(data)]
        print(
            f"2. 8 concurrent clients x 20 edits: {len(latencies) - len(wrong)}/"
            f"{len(latencies)} responses correct; median {statistics.median(latencies):.1f} ms,"
            f" p95 {percentile(latencies, 0.95):.1f} ms (target: p95 <= 400 ms)"
        )

        marks = []
        for i in range(1000):
            if i % 250 == 0:
                marks.append((i, rss_kb(process.pid)))
            render(client, names[i % 8], edit(TEXT, f"memory {i}"))
        marks.append((1000, rss_kb(process.pid)))
        shown = ", ".join(f"{n}: {kb / 1024:.0f} MB" for n, kb in marks)
        print(f"3. RSS of server + workers over 1,000 renders: {shown}")
        client.close()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(30)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
