"""The render pool: worker processes that check and render briefs off the server's event loop.

Each worker keeps one `Project` for the served folder, tagged with the folder's generation; the
server bumps the generation when a template, theme, label file or briefgen.yaml changes, and a
worker that sees a newer generation starts from a fresh `Project` (and fresh file caches).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import multiprocessing
import os
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from briefgen.errors import BriefgenError, Diagnostic
from briefgen.launcher import GC_THRESHOLDS

# A stand-in meeting the workers render at start, so fonts, templates and writers are loaded
# before the first real edit arrives.
_WARM_TEXT = """\
meeting:
  title: Warm-up
  date: 2025-01-01
  classification: PUBLIC
participants:
  - name: A. Person
purpose: Warm the renderer.
"""

DiagnosticJson = dict[str, Any]


@dataclass(frozen=True)
class Job:
    root: str  # the served folder
    generation: int
    path: str  # the file, relative to root: display name and where its folder's files are
    text: str


@dataclass(frozen=True)
class Rendered:
    data: bytes
    marking: str


class Failed(Exception):
    """Bad input: the text, a template or a theme; carries the diagnostics for the page."""

    def __init__(self, diagnostics: list[DiagnosticJson]) -> None:
        super().__init__(diagnostics)  # the only argument, so it crosses back from the worker
        self.diagnostics = diagnostics


# Per worker: (briefgen.yaml, meeting folder) -> (generation, Project). A served folder is one
# project unless a subfolder has a briefgen.yaml of its own (a pack with its people directory).
_projects: dict[tuple[Path | None, Path], tuple[int, Any]] = {}
_generation = 0


def _project(file: Path, generation: int) -> Any:
    global _generation
    from briefgen.config import find_config, load_config
    from briefgen.pipeline import Project

    # A Project's caches follow its files' stamps; a new generation (a watched file changed)
    # also renews the Projects themselves, for a changed briefgen.yaml.
    if generation > _generation:  # an older job in flight just uses the newer files
        _projects.clear()
        _generation = generation
    folder = file.parent
    config_path = find_config(folder)
    key = (config_path, folder)
    if key not in _projects:
        _projects[key] = (generation, Project(load_config(config_path), (), folder))
    return _projects[key][1]


def diagnostic_json(diagnostic: Diagnostic, code: str) -> DiagnosticJson:
    loc = diagnostic.location
    return {
        "file": loc.file if loc else None,
        "line": loc.line if loc else None,
        "column": loc.column if loc else None,
        "severity": diagnostic.severity,
        "code": code,
        "message": diagnostic.message,
        "hint": diagnostic.hint,
    }


def error_code(error: BriefgenError) -> str:
    """`validation`, `input`, `template`…: the error's kind, as the page groups them (a subclass
    defined elsewhere, such as an unknown audience, reports the kind it belongs to)."""
    kind = next(c for c in type(error).__mro__ if c.__module__ == "briefgen.errors")
    return kind.__name__.removesuffix("Error").lower() or "error"


def _failed(error: BriefgenError) -> Failed:
    return Failed([diagnostic_json(d, error_code(error)) for d in error.diagnostics])


def _meeting(job: Job) -> tuple[Any, Any]:
    project = _project(Path(job.root) / job.path, job.generation)
    return project, project.load_meeting_text(job.text, job.path)[0]


def render(job: Job, audience_name: str, fmt: str) -> Rendered:
    from briefgen.dates import source_date_epoch
    from briefgen.pipeline import fit_brief
    from briefgen.writers import lay_out_format, write_format

    try:
        project, meeting = _meeting(job)
        audience = project.audience(audience_name)
        theme = project.theme(audience)

        # The PDF whose pages the budget counts: written only if kept, and for a DOCX never.
        options = project.writer_options(audience=audience)
        lay_out = partial(lay_out_format, theme=theme, pdfa=audience.pdfa, options=options)
        # The brief within its page budget, as `build` writes it, in either format.
        fitted = fit_brief(meeting, audience, project, source_date_epoch(), lay_out)
        document = fitted.document
        if fmt == "pdf" and fitted.pdf is not None:
            data = fitted.pdf.finish().data
        else:
            data = write_format(document, theme, fmt, pdfa=audience.pdfa, options=options).data
    except BriefgenError as exc:
        raise _failed(exc) from None
    return Rendered(data, document.info.marking)


def check(job: Job, with_lint: bool = True) -> list[DiagnosticJson]:
    """Validation errors, or (for a valid meeting) lint warnings; empty when all is well."""
    from briefgen.lint import lint_text, user_words

    try:
        project, _ = _meeting(job)
    except BriefgenError as exc:
        return _failed(exc).diagnostics
    if not with_lint:
        return []
    words = user_words(Path(job.root) / job.path)
    warnings = lint_text(job.text, job.path, words, project.config.levels)
    return [
        {
            "file": w.location.file,
            "line": w.location.line,
            "column": w.location.column,
            "severity": "warning",
            "code": w.code,
            "message": w.message,
            "hint": w.suggestion,
        }
        for w in warnings
    ]


def project_info(root: str, generation: int) -> dict[str, Any]:
    """Audiences and levels of the served folder's project, for the page's switcher."""
    try:
        project = _project(Path(root) / "-", generation)
        audiences = {
            name: {"label": a.label or name.title(), "theme": a.theme, "template": a.template}
            for name, a in project.audiences.items()
        }
    except BriefgenError as exc:
        raise _failed(exc) from None
    return {"audiences": audiences, "levels": list(project.config.levels)}


def warm(root: str) -> int:
    """Load fonts, templates and both writers in this worker before the first edit."""
    for fmt in ("pdf", "docx"):
        # A project whose config is broken still serves (and reports it on use).
        with contextlib.suppress(Failed):
            render(Job(root, 0, "warm-up.yaml", _WARM_TEXT), "staff", fmt)
    # Every render allocates a million short-lived objects: collected less often, and never
    # walking what the warm-up loaded (frozen: the libraries, fonts, templates).
    gc.set_threshold(*GC_THRESHOLDS)
    gc.freeze()
    return os.getpid()


def _ignore_interrupts() -> None:
    # Ctrl+C reaches the whole process group; the server shuts the pool down in order.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class RenderPool:
    """A process pool warmed at start; `call` awaits a worker function without blocking."""

    def __init__(self, workers: int) -> None:
        self.size = workers
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        # spawn: forking a process that already runs threads (the server's) is unsafe.
        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(
            max_workers=self.size, mp_context=context, initializer=_ignore_interrupts
        )

    def warm(self, root: str) -> None:
        # Submitted together, so each lands on its own new worker.
        futures = [self.executor.submit(warm, root) for _ in range(self.size)]
        for future in futures:
            future.result()

    async def call(self, function: Any, *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        executor = self.executor
        try:
            return await loop.run_in_executor(executor, function, *args)
        except BrokenProcessPool:
            # A worker died (killed, out of memory): start a fresh pool and try once more,
            # so one crash does not leave the preview unable to render until restarted.
            if self.executor is executor:
                executor.shutdown(wait=False, cancel_futures=True)
                self.executor = self._start()
            return await loop.run_in_executor(self.executor, function, *args)

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
