"""Shared fixtures: paths of the repository, the example inputs, and a meeting-file writer."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

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
