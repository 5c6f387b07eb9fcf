"""Many files on all cores: a process pool whose results come back in input order.

Builds are CPU-bound Python (layout, XML), so threads would share one core; processes do not.
Where the platform allows, workers are forked from a parent that has already imported the
writers, registered the fonts and built the DOCX reference document, so each worker starts
warm instead of paying those ~150 ms itself. A BriefgenError in a worker comes back as a
result, with its diagnostics, so one bad file never stops the others.

The engine is a `concurrent.futures` executor: this machine's process pool, or one the caller
opens elsewhere (briefgen.executors: a Dask cluster), with the same ordered results.
"""

from __future__ import annotations

import gc
import os
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from briefgen.errors import BriefgenError, Diagnostic, Location

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Outcome(Generic[R]):
    """The result of one job: a value, or the error it raised."""

    value: R | None = None
    error: BriefgenError | None = None


def default_jobs() -> int:
    """Every CPU this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS and Windows have no affinity call
        return os.cpu_count() or 1


def runs_here(jobs: int | None, items: int) -> bool:
    """Whether run_jobs works in this process (one job at a time, or one item): no pool."""
    return (default_jobs() if jobs is None else max(jobs, 1)) == 1 or items <= 1


def run_jobs(
    function: Callable[[T], R],
    items: Sequence[T],
    jobs: int | None = None,
    warm: Callable[[], None] | None = None,
    executor: Executor | None = None,
    chunk: int | None = None,
) -> Iterator[Outcome[R]]:
    """`function(item)` for every item, in order, on up to `jobs` processes (default: all), or
    on `executor` when one is given (its own workers; `jobs` and `warm` do not apply).

    `chunk` items go to a worker at a time (default: up to 16, as the items allow); jobs of a
    tenth of a second or more want 1, so that no worker idles while another ends the run.

    `function` must be picklable (a module-level function or a partial of one). `warm` runs
    once in this process before the workers start, to fill caches they inherit.
    """
    if executor is not None:
        for packed in executor.map(partial(_call, function), items):
            yield _thaw(packed)
        return
    if runs_here(jobs, len(items)):  # no pool (nor its import) for one input
        for item in items:
            yield _thaw(_call(function, item))
        return
    if warm is not None:
        warm()
    workers = min(default_jobs() if jobs is None else jobs, len(items))
    # Small chunks keep the progress steady and the last worker's tail short; for cheap jobs,
    # several per worker keep the queue cheap.
    if chunk is None:
        chunk = max(1, min(16, len(items) // (workers * 8)))
    # What this process holds now (imports, the warm Project, fonts, templates) lives as long
    # as the workers: frozen, their collections never walk it (and its pages stay shared).
    # Unfrozen after, so a host process calling this keeps its own collector as it was.
    gc.freeze()
    try:
        with process_pool(workers) as pool:
            for packed in pool.map(partial(_call, function), items, chunksize=chunk):
                yield _thaw(packed)
    finally:
        gc.unfreeze()


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` processes, forked from this (warm) one where that is safe."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(workers, mp_context=_context())


def forks() -> bool:
    """Whether `process_pool`'s workers, started now, would be forked from this process (and
    so have what it holds, without pickling)."""
    return bool(_context().get_start_method() == "fork")


def submit(pool: Executor, function: Callable[[T], R], item: T) -> Future[Any]:
    """`function(item)` on `pool`; `outcome(future)` gives its result or its BriefgenError."""
    return pool.submit(_call, function, item)


def outcome(future: Future[Any]) -> Outcome[Any]:
    """The Outcome of a `submit`ted job, once it is done (waiting for it until then)."""
    return _thaw(future.result())


def _context() -> Any:
    import multiprocessing

    # Fork shares the warm parent's memory; it is only safe while this process has one thread.
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


# An error's class, message, location, hint and diagnostics.
_Frozen = tuple[type[BriefgenError], str, Location | None, str | None, list[Diagnostic]]


def _call(function: Callable[[T], R], item: T) -> tuple[R | None, _Frozen | None]:
    try:
        return function(item), None
    except BriefgenError as error:
        # Exceptions pickle by their args, which would drop the diagnostics: send the parts.
        return None, (type(error), error.message, error.location, error.hint, error.diagnostics)


def _thaw(packed: tuple[R | None, _Frozen | None]) -> Outcome[R]:
    value, frozen = packed
    if frozen is None:
        return Outcome(value=value)
    cls, message, location, hint, diagnostics = frozen
    error = cls.__new__(cls)
    BriefgenError.__init__(error, message, location=location, hint=hint, diagnostics=diagnostics)
    return Outcome(error=error)


def run_apart(
    function: Callable[[str], list[Path]],
    plan: Callable[[str], list[Path]],
    items: Sequence[str],
    jobs: int | None,
    fix: str,
    warm: Callable[[], None] | None = None,
    executor: Executor | None = None,
) -> Iterator[Outcome[list[Path]]]:
    """run_jobs, except that inputs which would write the same file as another input of the
    call are not run: each gets an error naming the other (`fix` is the hint).

    `plan(item)` lists the files an item would write; an item it fails for is left to the run,
    which reports its error.
    """
    from briefgen.outputs import clashes

    planned = []
    if len(items) > 1:
        planned = [
            (item, outcome.value or [])
            for item, outcome in zip(items, run_jobs(plan, list(items), jobs), strict=True)
        ]
    refused = clashes(planned, fix)
    todo = [item for item in items if item not in refused]
    # Each a build of a tenth of a second or more: handed out one at a time (see run_jobs).
    results = iter(
        run_jobs(function, todo, jobs, warm=warm if todo else None, executor=executor, chunk=1)
    )
    for item in items:
        yield Outcome(error=refused[item]) if item in refused else next(results)


# ---------------------------------------------------------------------------------------------
# `briefgen build` on many files


# The Projects of the `build_many` run in progress, by configuration and input folder: the
# parent fills it while warming, forked workers inherit it, and the run empties it when done.
# (It is not passed to the workers as an argument: Projects hold compiled templates.) A
# long-lived remote worker sees the run's id change and starts afresh, so it never builds with
# a configuration read in an earlier run.
_RUN_PROJECTS: dict[tuple[Path | None, Path], Any] = {}
_RUN_ID: list[str] = [""]


def build_many(
    inputs: Sequence[str], options: Any, jobs: int | None = None, executor: Executor | None = None
) -> Iterator[tuple[str, Outcome[list[Path]]]]:
    """Build every input (see pipeline.build); yields (input, outcome) in input order.

    Inputs that share a configuration share one Project for the run (its compiled templates,
    themes and reference documents), so a theme is read once per run, and again next run.
    With an `executor` (other machines), every path is made absolute first: the workers find
    the files on a shared filesystem, whatever their working folder.
    """
    _RUN_PROJECTS.clear()
    run = uuid.uuid4().hex
    _RUN_ID[0] = run
    jobs_inputs = list(inputs)
    if executor is not None:
        jobs_inputs = [str(Path(name).absolute()) for name in inputs]
        options = _absolute(options)
    try:
        outcomes = run_apart(
            partial(_build_one, options=options, run=run),
            partial(_plan_one, options=options),
            jobs_inputs,
            jobs,
            "give one of them its own `meeting.id` (used in file names), or "
            "build them into different -o folders",
            warm=partial(_warm, inputs[0], options) if inputs else None,
            executor=executor,
        )
        yield from zip(inputs, outcomes, strict=True)
    finally:
        _RUN_PROJECTS.clear()


def _absolute(options: Any) -> Any:
    return replace(
        options,
        out_dir=Path(options.out_dir).absolute(),
        template_dirs=tuple(Path(d).absolute() for d in options.template_dirs),
        config=Path(options.config).absolute() if options.config else None,
    )


def _project_for(input_path: str, options: Any) -> Any:
    from briefgen.config import find_config
    from briefgen.pipeline import Project

    path = Path(input_path)
    key = (options.config or find_config(path), path.resolve().parent)
    if key not in _RUN_PROJECTS:
        _RUN_PROJECTS[key] = Project.for_input(path, options)
    return _RUN_PROJECTS[key]


def _build_one(input_path: str, options: Any, run: str = "") -> list[Path]:
    from briefgen.pipeline import build

    if run != _RUN_ID[0]:  # a worker that outlives runs (Dask): this run's Projects only
        _RUN_PROJECTS.clear()
        _RUN_ID[0] = run
    return build(input_path, options, _project_for(input_path, options))


def _plan_one(input_path: str, options: Any) -> list[Path]:
    from briefgen.pipeline import planned_outputs

    return planned_outputs(input_path, options, _project_for(input_path, options))


def _warm(input_path: str, options: Any) -> None:
    """Load what every build needs (writers, fonts, reference document) by writing nothing, so
    forked workers inherit a warm Project."""
    from briefgen.document import Document, DocumentInfo
    from briefgen.writers import get_writer

    try:
        project = _project_for(input_path, options)
        for name in options.audiences:
            theme = project.theme(project.audience(name))
            for fmt in options.formats:
                get_writer(fmt)(Document(DocumentInfo(title="")), theme, project.writer_options())
    except BriefgenError:
        pass  # the build itself reports it, for the file it concerns
