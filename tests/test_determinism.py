"""Reproducible builds: separate processes give identical bytes, whatever the clock, zone or locale.

Each build runs `python -m briefgen.cli build` in its own process, so nothing cached in this
process (fonts, styles, hash seeds) can make two builds look alike.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import EXAMPLE, INPUTS, REPO, builtin_audiences

EPOCH = "1700000000"  # 2023-11-14 22:13:20 UTC
EPOCH_ISO = "2023-11-14T22:13:20Z"
EPOCH_PDF = "D:20231114221320+00'00'"


def build(
    out: Path, inputs: list[Path], env: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    environment.update(PYTHONPATH=str(REPO), **env)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "briefgen.cli",
            "build",
            *map(str, inputs),
            "--out",
            str(out),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env=environment,
    )


def outputs(
    out: Path,
    env: dict[str, str],
    inputs: list[Path] | None = None,
    audiences: list[str] | None = None,
) -> dict[str, bytes]:
    """Build in a fresh process; every written file's name and bytes."""
    flags = [arg for name in audiences or ["staff"] for arg in ("--audience", name)]
    result = build(out, inputs or [EXAMPLE], env, *flags)
    assert result.returncode == 0, result.stderr
    files = {Path(line).name: Path(line).read_bytes() for line in result.stdout.splitlines()}
    assert len(files) == 2 * len(inputs or [EXAMPLE]) * len(audiences or ["staff"])
    return files


def differing(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    assert a.keys() == b.keys()
    return sorted(name for name in a if a[name] != b[name])


def test_two_processes_give_identical_bytes_for_every_brief(tmp_path: Path) -> None:
    # Different hash seeds: no output may depend on set or dict iteration order of strings.
    audiences = builtin_audiences()
    first = outputs(tmp_path / "a", {"PYTHONHASHSEED": "1"}, INPUTS, audiences)
    second = outputs(tmp_path / "b", {"PYTHONHASHSEED": "2"}, INPUTS, audiences)
    assert differing(first, second) == []


@pytest.fixture(scope="module")
def epoch_builds(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, bytes]]:
    """The example built with SOURCE_DATE_EPOCH in two processes, zone and locale differing."""
    root = tmp_path_factory.mktemp("epoch")
    environments = [
        {"SOURCE_DATE_EPOCH": EPOCH, "TZ": "UTC", "LC_ALL": "C", "PYTHONHASHSEED": "3"},
        {
            "SOURCE_DATE_EPOCH": EPOCH,
            "TZ": "Asia/Tokyo",
            "LC_ALL": "C.UTF-8",
            "PYTHONHASHSEED": "4",
        },
    ]
    return [outputs(root / str(i), env) for i, env in enumerate(environments)]


def test_source_date_epoch_builds_are_identical_across_zones_and_locales(
    epoch_builds: list[dict[str, bytes]],
) -> None:
    assert differing(*epoch_builds) == []


def test_source_date_epoch_changes_the_output(
    epoch_builds: list[dict[str, bytes]], tmp_path: Path
) -> None:
    # Without the variable the timestamp is fixed too (the epoch), so the bytes differ only
    # through the date: proof that the variable is read at all.
    plain = outputs(tmp_path, {"TZ": "UTC"})
    assert differing(plain, epoch_builds[0]) == sorted(plain)


def test_pdf_dates_are_the_epoch(epoch_builds: list[dict[str, bytes]]) -> None:
    pdf = next(data for name, data in epoch_builds[0].items() if name.endswith(".pdf"))
    info = PdfReader(io.BytesIO(pdf)).metadata
    assert info is not None
    assert str(info["/CreationDate"]) == EPOCH_PDF
    assert str(info["/ModDate"]) == EPOCH_PDF


def test_docx_dates_are_the_epoch(epoch_builds: list[dict[str, bytes]]) -> None:
    blob = next(data for name, data in epoch_builds[0].items() if name.endswith(".docx"))
    with zipfile.ZipFile(io.BytesIO(blob)) as package:
        core = package.read("docProps/core.xml").decode()
        stamps = {entry.date_time for entry in package.infolist()}
    assert f'<dcterms:created xsi:type="dcterms:W3CDTF">{EPOCH_ISO}</dcterms:created>' in core
    assert f'<dcterms:modified xsi:type="dcterms:W3CDTF">{EPOCH_ISO}</dcterms:modified>' in core
    assert stamps == {(2023, 11, 14, 22, 13, 20)}  # zip entries too, in UTC


@pytest.mark.parametrize("value", ["yesterday", "-5", "1.5e9", "²", "253402300800"])
def test_bad_source_date_epoch_is_a_usage_error(tmp_path: Path, value: str) -> None:
    result = build(tmp_path / "out", [EXAMPLE], {"SOURCE_DATE_EPOCH": value})
    assert result.returncode == 2, result.stderr
    assert "SOURCE_DATE_EPOCH" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "out").exists()
