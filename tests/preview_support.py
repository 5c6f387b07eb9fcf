"""A real preview server for tests: bound to a free port, served from a thread, stopped after."""

from __future__ import annotations

import contextlib
import io
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import uvicorn
from pypdf import PdfReader

from briefgen.preview.app import Preview, create_app
from briefgen.preview.files import Folder
from briefgen.preview.guard import Gate
from briefgen.preview.server import bind
from briefgen.preview.workers import RenderPool
from tests.conftest import EXAMPLE, REPO

CONFIG = """\
templates: [tpl]
audiences:
  staff:
    label: Staff brief
"""


@dataclass
class Running:
    base: str
    token: str
    preview: Preview

    def client(self, token: bool = True) -> httpx.Client:
        headers = {"X-Briefgen-Token": self.token} if token else {}
        return httpx.Client(base_url=self.base, headers=headers, timeout=30)


def make_project(root: Path) -> Path:
    """A served folder: briefgen.yaml, a copy of the built-in templates, two meeting files."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "briefgen.yaml").write_text(CONFIG, encoding="utf-8")
    shutil.copytree(
        REPO / "templates",
        root / "tpl",
        ignore=shutil.ignore_patterns("__init__.py", "__pycache__"),
    )
    shutil.copy(EXAMPLE, root / "example.yaml")
    (root / "sub").mkdir()
    shutil.copy(EXAMPLE, root / "sub" / "second.yaml")
    return root


@contextlib.contextmanager
def running(root: Path, workers: int = 2) -> Iterator[Running]:
    sock = bind("127.0.0.1", 0)
    gate = Gate(port=sock.getsockname()[1])
    pool = RenderPool(workers)
    pool.warm(str(root.resolve()))
    preview = Preview(Folder.for_inputs([root]), gate, pool)
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(preview), log_level="warning", lifespan="on", timeout_graceful_shutdown=1
        )
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the preview server did not start"
        time.sleep(0.02)
    try:
        yield Running(f"http://127.0.0.1:{gate.port}", gate.token, preview)
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
        pool.close()


def pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
