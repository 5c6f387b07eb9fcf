"""Screenshots of the preview page for the README (docs/preview-*.png), in Debian's headless
chromium via Playwright (no browser download).

Run: python scripts/preview_screenshots.py
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
MEETING = REPO / "inputs" / "black-sea-maritime-security-2025-03-12.yaml"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="preview-shots-"))
    shutil.copy(MEETING, folder / MEETING.name)
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen.cli", "preview", str(folder), "--port", "0", "--no-open"],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split(": ", 1)[1].strip()
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                str(folder / "profile"),
                executable_path="/usr/bin/chromium",
                args=ARGS,
                viewport={"width": 1400, "height": 860},
            )
            page = context.new_page()
            page.goto(url)
            page.wait_for_selector("#pages-main canvas", timeout=30000)
            # A misspelt key on line 6 (`  id:` becomes `  idd:`): the diagnostic at its line.
            page.click(".cm-content")
            page.keyboard.press("Control+Home")
            for _ in range(5):
                page.keyboard.press("ArrowDown")
            page.keyboard.press("End")
            page.keyboard.press("Home")
            page.keyboard.press("ArrowRight")
            page.keyboard.insert_text("d")
            page.keyboard.press("Escape")
            page.wait_for_selector("#problems li.error", timeout=30000)
            page.wait_for_timeout(300)
            page.screenshot(path=str(REPO / "docs" / "preview-diagnostic.png"))
            page.keyboard.press("Backspace")
            page.wait_for_function("() => !document.querySelector('#problems li.error')")
            page.select_option("#compare", "public")
            page.wait_for_selector("#pages-compare canvas", timeout=30000)
            page.wait_for_timeout(500)
            page.screenshot(path=str(REPO / "docs" / "preview-side-by-side.png"))
            context.close()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(30)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
