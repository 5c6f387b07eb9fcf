"""The private folder where briefgen keeps what it can rebuild (compiled templates, word lists).

`BRIEFGEN_CACHE_DIR` moves it (empty: off); else `$XDG_CACHE_HOME/briefgen` or ~/.cache/briefgen.
Each cache lives in a subfolder named by a hash of everything its content depends on, so a new
version of anything it was made from never reads an old entry. A subfolder is used only when it
is ours and private (0700): someone else's, or one others may write to, could hand us data or
code. A cache that cannot be made or read is skipped, never an error.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def cache_root() -> Path | None:
    """Where briefgen keeps what it can rebuild; None when switched off."""
    configured = os.environ.get("BRIEFGEN_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured.strip() else None
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg) if xdg else Path.home() / ".cache") / "briefgen"


def private_folder(name: str) -> Path | None:
    """The cache's subfolder `name`, made if need be; None when off, unusable or not private."""
    root = cache_root()
    if root is None:
        return None
    folder = root / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except (OSError, RuntimeError):  # RuntimeError: no home folder to expand
        return None
    shared = info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    if not stat.S_ISDIR(info.st_mode) or shared or info.st_uid != os.getuid():
        return None
    return folder
