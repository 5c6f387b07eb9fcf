"""A pack's files, side by side: each audience's PDF laid out in a worker process while this one
writes the DOCX, which waits for the PDF's page numbers only when it reaches its contents.

A pack's PDF is one long serial layout and its DOCX a long serial build of XML; one after the
other they leave a core idle. Side by side they give the bytes of one after the other: the same
Document, theme and options, and a later format gets the layout of the first earlier one that
found contents pages (the DOCX's contents show the PDF's pages). Errors come in the same order:
of an audience's files, the first format's error is the one raised, and an audience's files are
all finished before the next audience's Document is made.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future
from functools import partial
from pathlib import Path
from typing import Any

from briefgen.document import Document, DocumentInfo
from briefgen.errors import BriefgenError
from briefgen.parallel import default_jobs, forks, outcome, process_pool, submit
from briefgen.theme import Theme
from briefgen.writers import Layout, WriterOptions, Written, write_format

# The format laid out apart: the one that paginates, whose layout the others may wait for.
APART = "pdf"


@dataclasses.dataclass(frozen=True)
class PackFile:
    """One file of a pack: what it is written from, and where it goes."""

    target: Path
    document: Document
    theme: Theme
    fmt: str
    pdfa: bool
    standard: str
    options: WriterOptions  # without a layout: that comes from the audience's earlier formats


def write_pack_files(
    audiences: Iterable[Sequence[PackFile]], jobs: int | None
) -> list[tuple[Path, bytes]]:
    """Each audience's files (made when the audience's turn comes), in order, as (target, data).

    With `jobs` of 2 or more (None: every CPU), PDFs go to worker processes and the rest is
    written here meanwhile; with 1, or nothing to do side by side, all is written here.
    """
    workers = (default_jobs() if jobs is None else jobs) - 1
    if workers < 1:
        return [pair for files in audiences for pair in _one_by_one(files)]
    out: list[tuple[Path, bytes]] = []
    shared = None  # one pool for every audience, where workers are not forked
    try:
        for files in audiences:
            apart = [f for f in files if f.fmt == APART]
            if not apart or len(files) < 2:
                out.extend(_one_by_one(files))
                continue
            size = min(workers, len(apart))
            if not forks():
                shared = shared or process_pool(size)
                out.extend(_side_by_side(files, shared, inherited=False))
                continue
            # Workers forked for this audience have its files: no Document is pickled to them
            # (0.05-0.2 s for a hundred meetings' to load again in the worker).
            _HANDED.update(enumerate(files))
            pool = process_pool(size)
            try:
                out.extend(_side_by_side(files, pool, inherited=True))
            finally:
                _HANDED.clear()
                pool.shutdown(wait=True, cancel_futures=True)
    finally:
        if shared is not None:
            # On an error or Ctrl-C, a PDF not yet started is not started.
            shared.shutdown(wait=True, cancel_futures=True)
    return out


# The files of the audience being written, by index, for the workers forked meanwhile.
_HANDED: dict[int, PackFile] = {}


def _one_by_one(files: Sequence[PackFile]) -> list[tuple[Path, bytes]]:
    out = []
    layout: Layout | None = None
    for file in files:
        written = _write(file, dataclasses.replace(file.options, layout=layout))
        layout = layout or _contents_layout(written)
        out.append((file.target, written.data))
    return out


def _side_by_side(
    files: Sequence[PackFile], pool: Any, inherited: bool
) -> list[tuple[Path, bytes]]:
    results: list[Callable[[], Written]] = []
    try:
        for index, file in enumerate(files):
            if file.fmt == APART:
                # Pickled, a file goes without the Project's cache (it holds a lock); the
                # worker reads the theme's files anew, which gives the same bytes.
                options = dataclasses.replace(file.options, cache=None)
                item = index if inherited else dataclasses.replace(file, options=options)
                results.append(_Apart(submit(pool, _write_apart, item)).written)
            else:
                earlier = list(results)
                options = dataclasses.replace(
                    file.options,
                    layout=None,
                    pending_layout=partial(_first_layout, earlier) if earlier else None,
                )
                written = _write(file, options)
                results.append(partial(_given, written))
    except BriefgenError:
        # Raised here, but a file before this one may have failed first (its error is the
        # one a run one file after the other reports).
        for result in results:
            result()
        raise
    return [(file.target, result().data) for file, result in zip(files, results, strict=True)]


class _Apart:
    """A file being written in a worker: its Written, or its error raised, once it is done."""

    def __init__(self, future: Future[Any]) -> None:
        self.future = future

    def written(self) -> Written:
        got = outcome(self.future)
        if got.error is not None:
            raise got.error
        assert got.value is not None
        value: Written = got.value
        return value


def _given(written: Written) -> Written:
    return written


def _write_apart(item: int | PackFile) -> Written:
    """In a worker: the file, handed down by the fork (an index) or pickled."""
    file = _HANDED[item] if isinstance(item, int) else item
    return _write(file, dataclasses.replace(file.options, layout=None))


def _write(file: PackFile, options: WriterOptions) -> Written:
    return write_format(
        file.document,
        file.theme,
        file.fmt,
        pdfa=file.pdfa,
        standard=file.standard,
        options=options,
    )


def _first_layout(earlier: Sequence[Callable[[], Written]]) -> Layout | None:
    for result in earlier:
        layout = _contents_layout(result())
        if layout is not None:
            return layout
    return None


def _contents_layout(written: Written) -> Layout | None:
    return written.layout if written.layout.contents_pages else None


def warm_writers(theme: Theme, options: WriterOptions, formats: Sequence[str]) -> None:
    """Load what each writer needs for `theme` by writing an empty Document: a process forked
    afterwards inherits the fonts, metrics and reference documents."""
    for fmt in formats:
        # An error here is the pack's own write's to report, for the file it concerns.
        with contextlib.suppress(BriefgenError):
            write_format(Document(DocumentInfo(title="")), theme, fmt, options=options)
