"""The archive folder: naming, manifest, append-only versions, concurrency and reproducibility."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from briefgen import __version__
from briefgen.archive import LOCK_NAME, MANIFEST, archive, read_manifest
from briefgen.errors import ArchiveError
from briefgen.pdfa import problems
from briefgen.verify import verify
from tests.conftest import EXAMPLE, REPO

EPOCH = 1_734_519_600  # 2024-12-18T11:00:00Z
VARIANT = """\
meeting:
  title: Harbour security talks
  date: 2025-02-03
  organiser: Ministry of Defence
purpose: Variant {n} of the purpose.
"""


def manifest(folder: Path) -> list[dict[str, Any]]:
    text = (folder / MANIFEST).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture
def epoch(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    return EPOCH


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example archived once with SOURCE_DATE_EPOCH set; tests copy it before changing it."""
    folder = tmp_path_factory.mktemp("archive") / "briefs"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        archive(EXAMPLE, folder)
    return folder


def test_names_the_file_and_writes_one_manifest_line(archived: Path) -> None:
    name = "2024-12-18_nato-sg-bih-presidency_archive_v1.pdf"
    assert sorted(p.name for p in archived.iterdir() if p.name != LOCK_NAME) == [
        ".briefgen-index.sqlite",
        name,
        MANIFEST,
    ]  # the index is derived: search rebuilds it
    [entry] = manifest(archived)
    data = (archived / name).read_bytes()
    assert entry["file"] == name
    assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["size"] == len(data)
    assert entry["source"] == EXAMPLE.name
    assert entry["source_sha256"] == hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()
    assert entry["audience"] == "archive" and entry["version"] == 1
    assert entry["marking"] == "PUBLIC"
    assert entry["briefgen_version"] == __version__
    assert entry["created"] == "2024-12-18T11:00:00Z" and entry["source_date_epoch"] == EPOCH
    assert entry["format"] == "PDF/A-3a + PDF/UA-1" and problems(data) == []
    assert entry["config_sha256"] is None


def test_the_template_hash_covers_the_files_used(archived: Path) -> None:
    [entry] = manifest(archived)
    files = entry["templates"]
    assert {
        "staff.md.j2",
        "base.md.j2",
        "macros.md.j2",
        "themes/formal.yaml",
        "labels/en.yaml",
    } <= set(files)
    assert "public.md.j2" not in files and "principal.md.j2" not in files  # not used
    builtins = REPO / "templates"
    assert (
        files["staff.md.j2"] == hashlib.sha256((builtins / "staff.md.j2").read_bytes()).hexdigest()
    )
    lines = "".join(f"{name}\t{sha}\n" for name, sha in sorted(files.items()))
    assert entry["templates_sha256"] == hashlib.sha256(lines.encode()).hexdigest()


def test_the_pdf_dates_are_the_archive_time(archived: Path) -> None:
    with pikepdf.open(next(archived.glob("*.pdf"))) as pdf:
        assert str(pdf.docinfo.CreationDate) == "D:20241218110000+00'00'"


def test_the_same_brief_again_writes_nothing(archived: Path, tmp_path: Path) -> None:
    folder = shutil.copytree(archived, tmp_path / "a")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = archive(EXAMPLE, folder)  # a later time: the same brief all the same
    assert not result.written
    assert result.path == folder / "2024-12-18_nato-sg-bih-presidency_archive_v1.pdf"
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_changed_source_is_the_next_version(archived: Path, tmp_path: Path, epoch: int) -> None:
    folder = shutil.copytree(archived, tmp_path / "a")
    first = (folder / "2024-12-18_nato-sg-bih-presidency_archive_v1.pdf").read_bytes()
    changed = tmp_path / EXAMPLE.name
    changed.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("Brussels", "Brussels, Belgium"),
        encoding="utf-8",
    )
    result = archive(changed, folder)
    assert result.written and result.path.name.endswith("_archive_v2.pdf")
    assert (folder / "2024-12-18_nato-sg-bih-presidency_archive_v1.pdf").read_bytes() == first
    assert [e["version"] for e in manifest(folder)] == [1, 2]
    assert not archive(changed, folder).written


def test_changed_templates_and_other_audiences_are_new_entries(
    archived: Path, tmp_path: Path, epoch: int
) -> None:
    folder = shutil.copytree(archived, tmp_path / "a")
    staff = archive(EXAMPLE, folder, "staff")
    assert staff.written and staff.path.name.endswith("_staff_v1.pdf")
    assert problems(staff.path.read_bytes()) == []  # an archive is PDF/A for any audience
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "staff.md.j2").write_text(
        (REPO / "templates" / "staff.md.j2").read_text(encoding="utf-8") + "\nArchived copy.\n",
        encoding="utf-8",
    )
    from briefgen.pipeline import BuildOptions

    custom = archive(EXAMPLE, folder, options=BuildOptions(template_dirs=(templates,)))
    assert custom.written and custom.path.name.endswith("_archive_v2.pdf")
    assert custom.entry["templates_sha256"] != manifest(folder)[0]["templates_sha256"]


def test_an_unlisted_file_is_never_overwritten(archived: Path, tmp_path: Path, epoch: int) -> None:
    folder = shutil.copytree(archived, tmp_path / "a")
    stray = folder / "2024-12-18_nato-sg-bih-presidency_archive_v2.pdf"
    stray.write_bytes(b"left by a crash")
    changed = tmp_path / EXAMPLE.name
    changed.write_text(EXAMPLE.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    result = archive(changed, folder)
    assert result.path.name.endswith("_v3.pdf")  # a number on disk is never reused
    assert stray.read_bytes() == b"left by a crash"


def test_archived_files_are_read_only(archived: Path) -> None:
    if os.name != "nt":
        assert next(archived.glob("*.pdf")).stat().st_mode & 0o222 == 0


def test_a_line_cut_short_by_a_crash_does_not_swallow_the_next(
    archived: Path, tmp_path: Path, epoch: int
) -> None:
    folder = shutil.copytree(archived, tmp_path / "a")
    with (folder / MANIFEST).open("ab") as handle:
        handle.write(b'{"file": "half a li')
    changed = tmp_path / EXAMPLE.name
    changed.write_text(EXAMPLE.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    archive(changed, folder)
    lines = read_manifest(folder)
    assert [line.entry is not None for line in lines] == [True, False, True]
    assert lines[2].entry is not None and lines[2].entry["version"] == 2


def test_the_lock_is_honoured(
    archived: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from filelock import FileLock

    folder = shutil.copytree(archived, tmp_path / "a")
    changed = tmp_path / EXAMPLE.name
    changed.write_text(EXAMPLE.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    monkeypatch.setattr("briefgen.manifest.LOCK_TIMEOUT", 0.2)
    with FileLock(str(folder / LOCK_NAME)), pytest.raises(ArchiveError, match="stayed locked"):
        archive(changed, folder)
    assert len(manifest(folder)) == 1


def _archive_in_process(args: tuple[str, str, Any]) -> tuple[str, str, bool]:
    path, folder, barrier = args
    barrier.wait()  # start together, so the processes really do race for the folder
    result = archive(path, Path(folder))
    return Path(path).name, result.path.name, result.written


def test_parallel_archive_commands_lose_nothing(tmp_path: Path) -> None:
    sources = []
    for n in range(4):
        path = tmp_path / f"variant{n}.yaml"
        path.write_text(VARIANT.format(n=n), encoding="utf-8")
        sources.append(path)
    twin = tmp_path / "variant0-again.yaml"  # the same content as variant0: one of the two wins
    shutil.copy(sources[0], twin)
    sources.append(twin)
    folder = tmp_path / "archive"
    context = multiprocessing.get_context("spawn")  # the start method every platform has
    with context.Manager() as manager:
        barrier = manager.Barrier(len(sources))
        with context.Pool(len(sources)) as pool:
            results = pool.map(
                _archive_in_process, [(str(p), str(folder), barrier) for p in sources]
            )
    written = [name for _, name, new in results if new]
    assert len(written) == 4 and len(set(written)) == 4
    by_source = {source: name for source, name, _ in results}
    assert by_source["variant0.yaml"] == by_source["variant0-again.yaml"]
    entries = manifest(folder)  # every line parses
    assert sorted(e["version"] for e in entries) == [1, 2, 3, 4]
    assert sorted(e["file"] for e in entries) == sorted(written)
    report = verify(folder)
    assert report.findings == [] and report.checked == 4


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k not in ("TZ", "LC_ALL", "LANG")}
    full_env.update(env)
    full_env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "briefgen.cli", *args],
        env=full_env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )


def test_rebuilding_gives_the_same_bytes_across_processes_zones_and_locales(tmp_path: Path) -> None:
    """What an archivist does (docs/archiving.md): re-archive with the recorded time into an
    empty folder, compare. (`build --pdfa` makes PDF/A-2b without the embedded source, so it is
    not the archived file's twin any more.)"""
    folder = tmp_path / "archive"
    _run(
        ["archive", str(EXAMPLE), "--to", str(folder)],
        {"TZ": "Pacific/Kiritimati", "LC_ALL": "C.UTF-8"},
        tmp_path,
    )
    [entry] = manifest(folder)
    digests = {entry["sha256"]}
    for n, (zone, locale) in enumerate(
        [("UTC", "C"), ("America/St_Johns", "tr_TR.UTF-8"), ("Asia/Kathmandu", "de_DE.UTF-8")]
    ):
        out = tmp_path / f"rebuilt{n}"
        _run(
            ["archive", str(EXAMPLE), "-a", entry["audience"], "--to", str(out)],
            {"TZ": zone, "LC_ALL": locale, "SOURCE_DATE_EPOCH": str(entry["source_date_epoch"])},
            tmp_path,
        )
        digests.add(hashlib.sha256((out / entry["file"]).read_bytes()).hexdigest())
    assert len(digests) == 1, digests
