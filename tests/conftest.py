"""Shared fixtures: paths of the repository, the example inputs, and a meeting-file writer."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

# Commands run by the tests run themselves: a build server the developer left running would
# otherwise serve them (with the same results, but the tests would not test this checkout's
# start-up). tests/test_build_server.py starts its own servers and turns this back on.
os.environ["BRIEFGEN_SERVER"] = "off"

REPO = Path(__file__).resolve().parent.parent
INPUTS = sorted((REPO / "inputs").glob("*.yaml"))
EXAMPLE = REPO / "inputs" / "nato-sg-bih-presidency-2024-12-18.yaml"


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[str], Path]:
    """Write dedented YAML text to a file in a temporary folder and return its path."""
    counter = iter(range(1000))

    def write(text: str, name: str | None = None) -> Path:
        path = tmp_path / (name or f"meeting{next(counter)}.yaml")
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


MINIMAL = """\
meeting:
  title: Minimal meeting
  date: 2025-01-15
"""


# (input file name, audience) → {"pdf": path, "docx": path}
Briefs = dict[tuple[str, str], dict[str, Path]]


def builtin_audiences() -> list[str]:
    """The audiences `briefgen audiences` lists when there is no briefgen.yaml."""
    from briefgen.pipeline import Project

    return list(Project().audiences)


@pytest.fixture(scope="session")
def built_briefs(tmp_path_factory: pytest.TempPathFactory) -> Briefs:
    """Every file in inputs/ built once per built-in audience in both formats, in-process.

    Keyed by (input file name, audience); the value maps format to the written file. Shared by
    the parity and real-client tests, which only read these files.
    """
    from briefgen.pipeline import BuildOptions, build

    out = tmp_path_factory.mktemp("briefs")
    audiences = tuple(builtin_audiences())
    built: Briefs = {}
    for path in INPUTS:
        written = build(path, BuildOptions(audiences=audiences, out_dir=out / path.stem))
        for audience in audiences:
            built[(path.name, audience)] = {
                f.suffix[1:]: f for f in written if f.name.endswith(f".{audience}{f.suffix}")
            }
    return built


@pytest.fixture(scope="session")
def built_pack(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example pack built once: "audience.ext" -> path."""
    from briefgen.pack import build_pack
    from briefgen.pipeline import BuildOptions

    out = tmp_path_factory.mktemp("pack-pdf")
    pack = REPO / "inputs" / "packs" / "ministerial-week" / "pack.yaml"
    paths = build_pack(pack, BuildOptions(out_dir=out), jobs=1)
    return {p.name.split(".", 1)[1]: p for p in paths}


def fresh_python(probe: str, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run `probe` in a new interpreter (nothing imported yet) with this checkout importable:
    for tests of what a cold command loads."""
    return subprocess.run(
        [sys.executable, "-c", probe],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


@pytest.fixture
def replays(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Grows by one each time a laid-out PDF is drawn (its LaidOut finished), in this test."""
    from briefgen.writers.pdf.replay import ReplayCanvas

    drawn: list[int] = []
    replay = ReplayCanvas.replay

    def counted(self: ReplayCanvas, doc: object) -> None:
        drawn.append(1)
        replay(self, doc)

    monkeypatch.setattr(ReplayCanvas, "replay", counted)
    return drawn
