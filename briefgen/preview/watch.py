"""Watch the served folder and the project's files; tell the page, and renew the project.

A change to anything that is not a meeting file (a template, theme, label file, the people
directory, briefgen.yaml) bumps the generation, so the next render in every worker starts from
a fresh `Project`; every change is announced to the page's event streams.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from pathlib import Path

from briefgen.config import find_config, load_config
from briefgen.errors import BriefgenError
from briefgen.preview.files import Folder, is_meeting_file

Event = dict[str, str] | None  # None tells a stream to end


class Watcher:
    def __init__(self, folder: Folder) -> None:
        self.folder = folder
        self.generation = 0
        self.streams: set[asyncio.Queue[Event]] = set()
        self._stop = asyncio.Event()

    def watched_paths(self) -> list[Path]:
        """The folder, and the project's files outside it (briefgen.yaml may be in a parent)."""
        paths = [self.folder.root]
        config_path = find_config(self.folder.root)
        if config_path is not None:
            paths.append(config_path)
            try:
                config = load_config(config_path)
                people = config.people_path()
                paths.extend([*config.template_dirs(), *([people] if people else [])])
            except BriefgenError:
                pass  # a broken briefgen.yaml: its own edit will bump the generation
        unique: list[Path] = []
        for path in (p.resolve() for p in paths):
            inside = path.is_relative_to(self.folder.root) and path != self.folder.root
            if path.exists() and path not in unique and not inside:
                unique.append(path)
        return unique

    @contextlib.contextmanager
    def subscribe(self) -> Iterator[asyncio.Queue[Event]]:
        queue: asyncio.Queue[Event] = asyncio.Queue()
        self.streams.add(queue)
        try:
            yield queue
        finally:
            self.streams.discard(queue)

    def announce(self, changed: set[Path]) -> None:
        names = set()
        for path in changed:
            if path.name.startswith(".") and path.name.endswith(".tmp"):
                continue  # write_atomic's temporary file; its rename is the real change
            if not is_meeting_file(path):
                self.generation += 1
            names.add(self.folder.relative(path))
        for name in sorted(names):
            for queue in self.streams:
                queue.put_nowait({"changed": name})

    async def run(self) -> None:
        from watchfiles import awatch

        async for changes in awatch(
            *self.watched_paths(), stop_event=self._stop, debounce=100, step=25
        ):
            self.announce({Path(path) for _, path in changes})

    def stop(self) -> None:
        self._stop.set()
        for queue in self.streams:
            queue.put_nowait(None)
