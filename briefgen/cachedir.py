"""The private folder where briefgen keeps what it can rebuild (compiled templates, word lists).

`BRIEFGEN_CACHE_DIR` moves it (empty: off); else `$XDG_CACHE_HOME/briefgen` or ~/.cache/briefgen.
Each cache lives in a subfolder named by a hash of everything its content depends on, so a new
version of anything it was made from never reads an old entry. A subfolder is used only when it
is ours and private (0700): someone else's, or one others may write to, could hand us data or
code. A cache that cannot be made or read is skipped, never an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import stat
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from briefgen.buildserver import address


def cache_root() -> Path | None:
    """Where briefgen keeps what it can rebuild; None when switched off (or no home folder).
    The rule itself is the build server's (buildserver.address), which must find the same
    folder without importing pathlib."""
    root = address.cache_root()
    return Path(root) if root is not None else None


def private_folder(name: str) -> Path | None:
    """The cache's subfolder `name`, made if need be; None when off, unusable or not private."""
    root = cache_root()
    if root is None:
        return None
    folder = root / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError:
        return None
    shared = info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    if not stat.S_ISDIR(info.st_mode) or shared or info.st_uid != os.getuid():
        return None
    return folder


def content_key(format_tag: bytes, sources: Sequence[Path]) -> str | None:
    """A hash of what a stored set depends on: its format, the interpreter, marshal's version and
    the bytes of the files that produce it; None when one cannot be read (no cache, never a
    stale one)."""
    digest = hashlib.sha256(format_tag)
    digest.update(sys.implementation.cache_tag.encode())
    digest.update(str(marshal.version).encode())
    for source in sources:
        try:
            digest.update(source.read_bytes())
        except OSError:
            return None
    return digest.hexdigest()[:16]


def load_set(path: Path) -> frozenset[Any] | None:
    """A set kept by `store_set`; None when missing, unreadable or damaged (rebuild it)."""
    with contextlib.suppress(Exception):
        stored = marshal.loads(path.read_bytes())
        if isinstance(stored, frozenset):
            return stored
    return None


def store_set(path: Path, value: frozenset[Any]) -> None:
    """Keep a set atomically (a reader never sees half an entry); a failing disk is skipped."""
    with contextlib.suppress(OSError):
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(marshal.dumps(value))
            os.replace(temporary, path)
        except OSError:
            Path(temporary).unlink(missing_ok=True)
            raise
