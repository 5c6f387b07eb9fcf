"""Caches of project files, owned by whoever owns the files (a `Project`), never the process.

A value is stored under a key that includes the stamp of every file it was made from (path,
modification time, size, inode), so an edited file gives a new key and the old value is never
served again; the oldest entries make room for new ones.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any, TypeVar

V = TypeVar("V")
Stamp = tuple[tuple[str, int, int, int] | tuple[str], ...]


def stamp(paths: Iterable[Path | str]) -> Stamp:
    """What identifies these files' current contents; a missing file stamps as its name alone."""
    out: list[tuple[str, int, int, int] | tuple[str]] = []
    for path in paths:
        try:
            info = Path(path).stat()
        except OSError:
            out.append((str(path),))
        else:
            out.append((str(path), info.st_mtime_ns, info.st_size, info.st_ino))
    return tuple(out)


class Cache:
    """A bounded, thread-safe mapping from keys to values built on first use."""

    def __init__(self, limit: int = 128) -> None:
        self._limit = limit
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], V]) -> V:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                value: V = self._entries[key]
                return value
        value = build()  # outside the lock: a build may itself use the cache
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self._limit:
                self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)


def cached(cache: Cache | None, key: Hashable, build: Callable[[], V]) -> V:
    """`build()` through `cache` when there is one; without, every call builds afresh."""
    return build() if cache is None else cache.get(key, build)
