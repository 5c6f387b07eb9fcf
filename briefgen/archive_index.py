"""placeholder"""
from __future__ import annotations

from pathlib import Path
from typing import Any


def add_entry(folder: Path, before: bytes, line: bytes, entry: dict[str, Any], source: bytes) -> None:
    return None
