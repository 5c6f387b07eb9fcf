"""Output files: no two inputs of one call share a name, an input's files are written all or
none, names are bounded, and a bad output location is a usage error, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from briefgen.errors import EXIT_USAGE, UsageError
from briefgen.outputs import bounded_stem, write_set
from briefgen.pipeline import BuildOptions, build
from tests.conftest import MINIMAL, REPO

STEM = "2025-01-15_minimal-meeting"


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "briefgen.cli", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def meeting(folder: Path, text: str = MINIMAL, name: str = "m.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- 5: two inputs, one name ----------------------------------------------------------------


def test_two_meetings_with_one_name_are_both_refused(tmp_path: Path) -> None:
    meeting(tmp_path / "one")
    meeting(tmp_path / "two")
    meeting(tmp_path / "three", MINIMAL.replace("Minimal meeting", "Other meeting"))
    result = run("build", "one/m.yaml", "two/m.yaml", "three/m.yaml", "-j", "1", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (
        "one/m.yaml: error: one/m.yaml and two/m.yaml would both be written to "
        f"out/{STEM}.staff.pdf; nothing is written for either"
    ) in result.stderr
    assert (
        "two/m.yaml: error: two/m.yaml and one/m.yaml would both be written to "
        f"out/{STEM}.staff.pdf; nothing is written for either"
    ) in result.stderr
    assert "hint: give one of them its own `meeting.id`" in result.stderr
    assert result.stdout.splitlines() == [
        "out/2025-01-15_other-meeting.staff.pdf",
        "out/2025-01-15_other-meeting.staff.docx",
    ]
    assert files_in(tmp_path / "out") == [
        "2025-01-15_other-meeting.staff.docx",
        "2025-01-15_other-meeting.staff.pdf",
    ]


def test_the_same_file_twice_is_no_clash(tmp_path: Path) -> None:
    meeting(tmp_path)
    result = run("build", "m.yaml", "./m.yaml", "-j", "1", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def pack_file(folder: Path, title: str) -> Path:
    meeting(folder)
    path = folder / "p.yaml"
    path.write_text(
        textwrap.dedent(f"""\
        pack: {{title: {title}, id: week, start: 2025-01-13}}
        meetings: [m.yaml]
    """),
        encoding="utf-8",
    )
    return path


def test_two_packs_with_one_id_and_start_are_both_refused(tmp_path: Path) -> None:
    pack_file(tmp_path / "p1", "First")
    pack_file(tmp_path / "p2", "Second")
    result = run("pack", "p1/p.yaml", "p2/p.yaml", "-j", "1", cwd=tmp_path)
    assert result.returncode == 1
    assert (
        "p1/p.yaml: error: p1/p.yaml and p2/p.yaml would both be written to "
        "out/2025-01-13_week.staff.pdf"
    ) in result.stderr
    assert "give one of them its own `pack.id`" in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "out").exists()


# --- 6: all files of an input, or none -----------------------------------------------------


def test_a_folder_in_the_way_leaves_no_file_behind(tmp_path: Path) -> None:
    path = meeting(tmp_path)
    (tmp_path / "out" / f"{STEM}.staff.docx").mkdir(parents=True)
    with pytest.raises(UsageError) as caught:
        build(path, BuildOptions(out_dir=tmp_path / "out"))
    assert caught.value.message == (
        f"cannot write {tmp_path}/out/{STEM}.staff.docx: a folder of that name is in the way"
    )
    assert files_in(tmp_path / "out") == [f"{STEM}.staff.docx"]


def test_a_failed_rename_puts_the_earlier_files_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a.pdf", tmp_path / "a.docx"
    first.write_bytes(b"old pdf")
    real_replace = os.replace

    def failing(src: str | Path, dst: str | Path) -> None:
        if Path(dst) == second:
            raise OSError(28, "No space left on device", str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(UsageError) as caught:
        write_set([(first, b"new pdf"), (second, b"new docx")])
    assert "No space left on device" in caught.value.message
    assert first.read_bytes() == b"old pdf"
    assert files_in(tmp_path) == ["a.pdf"]  # no temporary or backup file left either


def test_a_set_replaces_every_old_file(tmp_path: Path) -> None:
    first, second = tmp_path / "a.pdf", tmp_path / "a.docx"
    first.write_bytes(b"old")
    write_set([(first, b"new pdf"), (second, b"new docx")])
    assert first.read_bytes() == b"new pdf" and second.read_bytes() == b"new docx"
    assert files_in(tmp_path) == ["a.docx", "a.pdf"]


# --- 9: bounded names, no folder for a failed build -----------------------------------------


def test_a_300_character_word_gives_a_bounded_distinct_name(tmp_path: Path) -> None:
    path = meeting(tmp_path, MINIMAL.replace("Minimal meeting", "Review " + "x" * 300))
    written = build(path, BuildOptions(out_dir=tmp_path / "out"))
    names = [p.name for p in written]
    assert all(len(n.encode()) <= 120 for n in names)
    assert names[0].startswith("2025-01-15_review-") and names[0].endswith(".staff.pdf")


def test_bounded_stems() -> None:
    assert bounded_stem("2025-01-15_short") == "2025-01-15_short"
    long = "2025-01-15_" + "-".join(["word"] * 40)
    cut = bounded_stem(long)
    assert len(cut) <= 100
    assert cut == "2025-01-15_" + "-".join(["word"] * 16) + "-" + cut[-8:]
    assert bounded_stem(long + "-x") != cut  # still distinct
    assert bounded_stem(long) == cut  # and the same every time
    one_word = bounded_stem("2025-01-15_" + "y" * 300)
    assert len(one_word) == 100 and one_word.startswith("2025-01-15_yyy")


def test_a_failed_build_creates_no_folder(tmp_path: Path) -> None:
    meeting(tmp_path, "meeting: {title: x}\n")
    result = run("build", "m.yaml", "-o", "new/out", cwd=tmp_path)
    assert result.returncode == 1
    assert not (tmp_path / "new").exists()


# --- 10: output locations -------------------------------------------------------------------


def test_an_output_folder_under_a_file_is_a_usage_error(tmp_path: Path) -> None:
    meeting(tmp_path)
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    result = run("build", "m.yaml", "-o", "afile/sub", cwd=tmp_path)
    assert result.returncode == EXIT_USAGE
    assert "Traceback" not in result.stderr
    assert "error: cannot write to afile/sub: Not a directory" in result.stderr
    assert "hint: a file of that name is in the way of the folder" in result.stderr
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "x"


def test_a_read_only_output_folder_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests may run as root, which chmod cannot stop: refuse the temporary file instead.
    import tempfile

    def refuse(*args: object, dir: str | Path = "", **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(dir))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    path = meeting(tmp_path)
    with pytest.raises(UsageError) as caught:
        build(path, BuildOptions(out_dir=tmp_path / "ro"))
    assert caught.value.message == f"cannot write to {tmp_path}/ro: Permission denied"
    assert caught.value.exit_code == EXIT_USAGE
    assert not (tmp_path / "ro").exists()


def test_a_read_only_archive_folder_is_an_archive_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    from briefgen.archive import publish
    from briefgen.errors import ArchiveError

    def refuse(*args: object, dir: str | Path = "", **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(dir))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(ArchiveError) as caught:
        publish(tmp_path / "x_v1.pdf", b"%PDF")
    assert caught.value.message == f"cannot write {tmp_path}/x_v1.pdf: Permission denied"
