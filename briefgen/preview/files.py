"""The served folder: which files are meetings, paths confined to it, etags and atomic saves."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefgen.config import CONFIG_NAME
from briefgen.pipeline import write_atomic

YAML_SUFFIXES = (".yaml", ".yml")
# A meeting file has a top-level `meeting:` mapping; packs, themes and people have none, and a
# label file's `meeting:` is a word.
_MEETING_KEY = re.compile(rb"^meeting\s*:\s*(#.*)?\r?$|^meeting\s*:\s*\{", re.MULTILINE)
_SKIPPED_DIRS = {".git", ".venv", "node_modules", "__pycache__", "out"}


class OutsideFolder(Exception):
    """A requested path leaves the served folder (`..`, an absolute path, a symlink out)."""


@dataclass(frozen=True)
class Folder:
    """The folder a preview serves; `only` limits the file list to meeting files given by name."""

    root: Path  # resolved
    only: tuple[str, ...] = ()

    @classmethod
    def for_inputs(cls, inputs: Sequence[Path]) -> Folder:
        """One folder, or meeting files (served from the folder that holds them all)."""
        if len(inputs) == 1 and inputs[0].is_dir():
            return cls(inputs[0].resolve())
        files = [p.resolve() for p in inputs]
        root = Path(os.path.commonpath([f.parent for f in files]))
        return cls(root, tuple(sorted(f.relative_to(root).as_posix() for f in files)))

    def confine(self, relative: str) -> Path:
        """The file a request names, links followed, if it lies inside the folder."""
        if not relative or relative.startswith(("/", "\\")) or "\x00" in relative:
            raise OutsideFolder(relative)
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            raise OutsideFolder(relative)
        return path

    def relative(self, path: Path) -> str:
        """A watched path as the page names files: relative to the folder when inside it."""
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def meeting_files(self) -> list[str]:
        if self.only:
            return [name for name in self.only if (self.root / name).is_file()]
        found = []
        for folder, dirs, names in os.walk(self.root):
            dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS and not d.startswith("."))
            for name in sorted(names):
                path = Path(folder) / name
                if is_meeting_file(path):
                    found.append(path.relative_to(self.root).as_posix())
        return found


def is_meeting_file(path: Path) -> bool:
    if path.suffix not in YAML_SUFFIXES or path.name == CONFIG_NAME:
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(64 * 1024)
    except OSError:
        return False
    return bool(_MEETING_KEY.search(head))


def etag_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def read_with_etag(path: Path) -> tuple[str, str]:
    data = path.read_bytes()
    return data.decode("utf-8-sig"), etag_of(data)


def current_etag(path: Path) -> str | None:
    try:
        return etag_of(path.read_bytes())
    except FileNotFoundError:
        return None


def save_text(path: Path, text: str) -> str:
    """Write atomically, keeping the file's permissions; returns the new etag."""
    data = text.encode("utf-8")
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = 0o644
    write_atomic(path, data, mode)
    return etag_of(data)
