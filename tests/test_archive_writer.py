"""The archive writer's paths that the other archive tests leave unobserved: the same brief seen
before the lock and again under it, a briefgen.yaml found beside the input, a folder made with
its parents, the exact file mode, a file system without hard links.

Fast on purpose (one brief, archived a few times): the mutation run (scripts/mutation.py) tries
these first on archive.py.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

import briefgen.pdfa
from briefgen.archive import LOCK_NAME, MANIFEST, archive, publish
from briefgen.errors import ArchiveError
from tests.conftest import EXAMPLE

EPOCH = 1_734_519_600
V1 = "2024-12-18_nato-sg-bih-presidency_archive_v1.pdf"
V2 = "2024-12-18_nato-sg-bih-presidency_archive_v2.pdf"


@pytest.fixture(autouse=True)
def epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))


def manifest(folder: Path) -> list[dict[str, Any]]:
    text = (folder / MANIFEST).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_new_folder_is_made_with_its_parents_and_the_file_is_mode_0444(tmp_path: Path) -> None:
    folder = tmp_path / "records" / "2024" / "archive"
    result = archive(EXAMPLE, folder)
    assert result.written and result.path == folder / V1
    assert names(folder) == [".briefgen-index.sqlite", LOCK_NAME, V1, MANIFEST]
    if os.name != "nt":
        assert (folder / V1).stat().st_mode & 0o777 == 0o444  # read-only for everyone


def test_an_archived_brief_is_found_without_waiting_for_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another archive command is busy in the folder: asking again for a brief it already has
    # answers at once from the manifest, without rendering and without the lock.
    folder = tmp_path / "archive"
    archive(EXAMPLE, folder)
    monkeypatch.setattr("briefgen.manifest.LOCK_TIMEOUT", 0.2)
    with FileLock(str(folder / LOCK_NAME)):
        again = archive(EXAMPLE, folder)
    assert not again.written
    assert again.path == folder / V1 and again.entry["version"] == 1


def test_a_brief_archived_while_this_one_rendered_is_not_archived_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two commands archive the same brief; the other one takes the lock and writes while this
    # one is still rendering. Under the lock this one must find that line and write nothing.
    folder = tmp_path / "archive"
    real = briefgen.pdfa.to_pdfa
    raced: list[bool] = []

    def other_command_finishes_first(*args: Any, **kwargs: Any) -> bytes:
        if not raced:
            raced.append(True)
            assert archive(EXAMPLE, folder).written  # the other command, start to end
        return real(*args, **kwargs)

    monkeypatch.setattr(briefgen.pdfa, "to_pdfa", other_command_finishes_first)
    result = archive(EXAMPLE, folder)
    assert raced == [True]
    assert not result.written
    assert result.path == folder / V1 and result.entry["version"] == 1
    assert [e["file"] for e in manifest(folder)] == [V1]
    assert V2 not in names(folder)


def test_a_briefgen_yaml_beside_the_input_is_part_of_the_entry(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    source = project / EXAMPLE.name
    shutil.copy(EXAMPLE, source)
    config = project / "briefgen.yaml"
    config.write_text("audiences:\n  archive:\n    description: Full record\n", encoding="utf-8")
    first = archive(source, tmp_path / "archive")  # found, not passed
    assert first.entry["config_sha256"] == hashlib.sha256(config.read_bytes()).hexdigest()
    config.write_text("audiences:\n  archive:\n    description: The record\n", encoding="utf-8")
    second = archive(source, tmp_path / "archive")
    assert second.written and second.path.name == V2


def _no_hard_links(source: object, target: object) -> None:
    raise OSError(errno.EPERM, "Operation not permitted")


def test_without_hard_links_the_file_is_renamed_into_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "link", _no_hard_links)  # e.g. some network and FAT file systems
    folder = tmp_path / "archive"
    result = archive(EXAMPLE, folder)
    assert result.written and result.path == folder / V1
    assert names(folder) == [".briefgen-index.sqlite", LOCK_NAME, V1, MANIFEST]  # no temp file
    assert hashlib.sha256(result.path.read_bytes()).hexdigest() == result.entry["sha256"]


def test_without_hard_links_an_existing_file_is_still_never_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "link", _no_hard_links)
    target = tmp_path / V1
    target.write_bytes(b"the archived file")
    with pytest.raises(ArchiveError, match="already exists and is never overwritten"):
        publish(target, b"a new file")
    assert target.read_bytes() == b"the archived file"
    assert names(tmp_path) == [V1]  # the temporary file is gone too
