"""A pack's PDF laid out in a worker process while its DOCX is written here: the same files as
one after the other, the same error when one fails, and nothing written then."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path
from typing import Any

import pytest

import briefgen.pack_files
from briefgen.errors import WriterError
from briefgen.pack import build_pack, build_packs
from briefgen.pipeline import BuildOptions
from briefgen.writers import write_format
from tests.conftest import REPO

PACK = REPO / "inputs" / "packs" / "ministerial-week" / "pack.yaml"
NAMES = [
    "2025-03-10_ministerial-week-brussels.principal.pdf",
    "2025-03-10_ministerial-week-brussels.principal.docx",
    "2025-03-10_ministerial-week-brussels.staff.pdf",
    "2025-03-10_ministerial-week-brussels.staff.docx",
]

# The failing writers below reach the worker by inheritance: a forked worker has this module's
# patches, a spawned one would not.
forked = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="workers are not forked here"
)


@pytest.mark.parametrize("inherited", [True, False], ids=["forked", "pickled"])
def test_side_by_side_writes_the_bytes_of_one_after_the_other(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, inherited: bool
) -> None:
    serial = build_pack(PACK, BuildOptions(out_dir=tmp_path / "one"), jobs=1)
    if not inherited:  # as where workers are spawned: each PDF's file is pickled to them
        monkeypatch.setattr(briefgen.pack_files, "forks", lambda: False)
    side = build_pack(PACK, BuildOptions(out_dir=tmp_path / "two"), jobs=2)
    assert [p.name for p in serial] == [p.name for p in side] == NAMES
    for one, two in zip(serial, side, strict=True):
        assert one.read_bytes() == two.read_bytes(), one.name


@forked
def test_the_pdf_is_written_in_a_worker_and_the_docx_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "writers.log"

    def logged(document: Any, theme: Any, fmt: str, **kwargs: Any) -> Any:
        with log.open("a") as handle:
            handle.write(f"{fmt} {os.getpid()}\n")
        return write_format(document, theme, fmt, **kwargs)

    monkeypatch.setattr(briefgen.pack_files, "write_format", logged)
    build_pack(PACK, BuildOptions(out_dir=tmp_path / "out", audiences=("staff",)), jobs=2)
    pids = dict(line.split() for line in log.read_text().splitlines())
    assert pids["docx"] == str(os.getpid()) and pids["pdf"] != str(os.getpid())

    log.unlink()
    build_pack(PACK, BuildOptions(out_dir=tmp_path / "out"), jobs=1)
    assert set(log.read_text().split()) == {"pdf", "docx", str(os.getpid())}


def failing(*formats: str) -> Any:
    def write(document: Any, theme: Any, fmt: str, **kwargs: Any) -> Any:
        if fmt in formats:
            raise WriterError(f"the {fmt} failed")
        return write_format(document, theme, fmt, **kwargs)

    return write


@forked
@pytest.mark.parametrize(
    ("formats", "message"),
    [
        (("pdf",), "the pdf failed"),
        (("docx",), "the docx failed"),
        (("pdf", "docx"), "the pdf failed"),
    ],
)
def test_a_failing_format_fails_the_pack_once_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, formats: tuple[str, ...], message: str
) -> None:
    monkeypatch.setattr(briefgen.pack_files, "write_format", failing(*formats))
    out = tmp_path / "out"
    outcomes = list(build_packs([str(PACK)], BuildOptions(out_dir=out), None, 2))
    assert len(outcomes) == 1 and outcomes[0].value is None
    assert isinstance(outcomes[0].error, WriterError)
    assert str(outcomes[0].error.message).startswith(message)
    assert not out.exists() or list(out.iterdir()) == []  # no file, no temporary file


@forked
def test_an_interrupt_while_the_pdf_is_laid_out_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(document: Any, theme: Any, fmt: str, **kwargs: Any) -> Any:
        if fmt == "docx":
            raise KeyboardInterrupt
        return write_format(document, theme, fmt, **kwargs)

    monkeypatch.setattr(briefgen.pack_files, "write_format", interrupted)
    out = tmp_path / "out"
    with pytest.raises(KeyboardInterrupt):
        build_pack(PACK, BuildOptions(out_dir=out), jobs=2)
    assert not out.exists() or list(out.iterdir()) == []
