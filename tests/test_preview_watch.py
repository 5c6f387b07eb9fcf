"""Nothing stale: edits to a template, theme, label file or briefgen.yaml while the preview
runs show in the next render; and the command line's start, refusals and clean stop."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import EXAMPLE, REPO
from tests.preview_support import make_project, pdf_text, running

EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")


def wait_for_change(stream: Iterator[str], name: str) -> None:
    for line in stream:
        if line.startswith("data:") and json.loads(line[5:]) == {"changed": name}:
            return


def render_text(client: httpx.Client) -> str:
    answer = client.post(
        "/api/render",
        json={"path": "example.yaml", "text": EXAMPLE_TEXT, "audience": "staff", "format": "pdf"},
    )
    assert answer.status_code == 200, answer.text
    return pdf_text(answer.content)


def test_edits_to_project_files_show_in_the_next_render(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    edits = [  # file, text replaced, its replacement, what the brief then says
        (
            "tpl/staff.md.j2",
            "{% block content %}\n",
            "{% block content %}\nFreshly edited template paragraph.\n\n",
            "Freshly edited",
        ),
        (
            "tpl/themes/default.yaml",
            "table_style: striped\n",
            'table_style: striped\nfooter_text: "Theme footer edited"\n',
            "Theme footer edited",
        ),
        (
            "tpl/labels/en.yaml",
            "purpose: Purpose\n",
            "purpose: Aim of the meeting\n",
            "Aim of the meeting",
        ),
        (
            "briefgen.yaml",
            "    label: Staff brief\n",
            "    label: Desk officer copy\n",
            "Desk officer copy",
        ),
    ]
    with (
        running(root) as server,
        server.client() as client,
        client.stream("GET", "/api/events") as events,
    ):
        lines = events.iter_lines()
        before = render_text(client)  # every worker has its project and caches filled
        render_text(client)
        for name, old, new, expected in edits:
            assert expected not in before
            path = root / name
            text = path.read_text(encoding="utf-8")
            assert old in text
            path.write_text(text.replace(old, new, 1), encoding="utf-8")
            wait_for_change(lines, name)
            after = [render_text(client) for _ in range(2)]  # both workers, not just one
            for words in after:
                assert expected in words, name
        assert "Purpose" in before and "Staff brief" in before


# ---- the command line ----------------------------------------------------------------------


def start_cli(*args: str, cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "briefgen.cli", "preview", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def served(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def test_port_0_prints_the_url_with_the_token_and_ctrl_c_stops_cleanly(served: Path) -> None:
    process = start_cli(
        str(served), "--port", "0", "--no-open", "--workers", "1", "--host", "0.0.0.0", cwd=served
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("briefgen preview: http://127.0.0.1:")
        url = line.split(": ", 1)[1].strip()
        port = int(url.split(":")[2].split("/")[0])
        assert port != 8765 and "/?token=" in url
        token = url.split("token=")[1]
        answer = httpx.get(
            f"http://127.0.0.1:{port}/api/files", headers={"X-Briefgen-Token": token}, timeout=30
        )
        assert answer.json()["files"] == ["example.yaml", "sub/second.yaml"]
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 0, stderr
    assert "anyone who can reach this port and knows the token" in stderr  # --host warned
    assert "Traceback" not in stderr
    assert stderr.strip().endswith("briefgen preview: stopped")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_term_and_hang_up_end_the_preview_and_its_render_workers(
    served: Path, signum: signal.Signals
) -> None:
    process = start_cli(str(served), "--port", "0", "--no-open", "--workers", "2", cwd=served)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("briefgen preview: http://")
        workers = [
            int(pid)
            for pid in Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        ]
        assert len(workers) >= 2  # the two render workers (and multiprocessing's tracker)
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == -signum, stderr  # ended by it, as without the preview's pool
    assert "Traceback" not in stderr
    deadline = time.monotonic() + 10
    while any(running_process(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if running_process(pid)]  # none left for no one


def running_process(pid: int) -> bool:
    try:
        return "State:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False


def test_a_port_in_use_is_a_clear_error(served: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = start_cli(str(served), "--port", str(port), "--no-open", cwd=served)
        stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 2
    assert stdout == ""
    assert f"error: port {port} on 127.0.0.1 is already in use" in stderr
    assert "--port 0" in stderr and "Traceback" not in stderr
