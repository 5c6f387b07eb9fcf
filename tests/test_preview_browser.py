"""The preview page in a real browser: Debian's headless Chromium driven by Playwright.

No browser is downloaded: Playwright starts /usr/bin/chromium (skipped where it is absent).
"""

from __future__ import annotations

import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.preview_support import Running, make_project, running

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MEETING = REPO / "inputs" / "black-sea-maritime-security-2025-03-12.yaml"
TIMEOUT_MS = 20_000

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    root = make_project(tmp_path_factory.mktemp("browser") / "project")
    shutil.copy(MEETING, root / "brief.yaml")
    with running(root) as started:
        yield started


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("profile")),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 900},
        )
        yield context
        context.close()


def test_write_check_preview_switch_and_save(server: Running, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server.base}/?token={server.token}&file=brief.yaml")
    page.wait_for_selector("body[data-ready=true]", timeout=TIMEOUT_MS)
    page.wait_for_selector("#pages-main canvas", timeout=TIMEOUT_MS)
    assert page.locator("#pane-main .marking").text_content() == "INTERNAL"

    # A misspelt key: the diagnostic appears at its line (36: `purpose: |-`), with the hint.
    page.click(".cm-content")
    page.keyboard.press("Control+Home")
    for _ in range(35):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Home")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.keyboard.insert_text("x")
    problem = page.locator("#problems li.error")
    problem.first.wait_for(timeout=TIMEOUT_MS)
    assert problem.first.get_attribute("data-line") == "36"
    assert "unknown key `purxpose`" in problem.first.text_content()
    assert "did you mean `purpose`?" in problem.first.text_content()
    assert page.locator(".cm-lintRange-error").count() >= 1

    # Fixed, and new words typed: the diagnostics go and the pages show the new text.
    page.keyboard.press("Escape")
    page.keyboard.press("Backspace")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("End")
    page.keyboard.insert_text(" Typed in the browser.")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#pages-main .page-text')]"
        ".some(p => p.textContent.includes('Typed in the browser.'))",
        timeout=TIMEOUT_MS,
    )
    page.wait_for_function(
        "() => !document.querySelector('#problems li.error')", timeout=TIMEOUT_MS
    )
    assert "has-errors" not in (page.locator("body").get_attribute("class") or "")

    # Another audience: the public brief drops what is above PUBLIC, and says so in its marking.
    page.select_option("#audience", "public")
    page.wait_for_function(
        "() => document.querySelector('#pane-main .marking').textContent === 'PUBLIC'",
        timeout=TIMEOUT_MS,
    )

    # Ctrl+S saves the unsaved text to disk.
    page.click(".cm-content")
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "() => document.getElementById('status').textContent === 'saved brief.yaml'",
        timeout=TIMEOUT_MS,
    )
    saved = (server.preview.folder.root / "brief.yaml").read_text(encoding="utf-8")
    assert "Typed in the browser." in saved and "purpose: |-" in saved
    assert saved != MEETING.read_text(encoding="utf-8")

    # From the page itself, a request without the token is refused.
    status = page.evaluate("() => fetch('/api/files').then(r => r.status)")
    assert status == 403
    assert errors == []


class _ForeignSite(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<!doctype html><title>another site</title>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_a_foreign_page_cannot_use_the_api(server: Running, browser: object) -> None:
    # Another site open in the same browser, even one on this machine, that knows the token.
    foreign = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _ForeignSite)
    threading.Thread(target=foreign.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()  # type: ignore[attr-defined]
        page.goto(f"http://127.0.0.1:{foreign.server_address[1]}/")
        target = server.preview.folder.root / "brief.yaml"
        before = target.read_bytes()
        with page.expect_response(lambda r: "/api/check" in r.url) as answer:
            page.evaluate(
                "([url, body]) => fetch(url, {method: 'POST', body, mode: 'no-cors'})",
                [
                    f"{server.base}/api/check?token={server.token}",
                    '{"path": "brief.yaml", "text": "meeting: {}"}',
                ],
            )
        assert answer.value.status == 403
        assert target.read_bytes() == before
    finally:
        foreign.shutdown()
        foreign.server_close()
