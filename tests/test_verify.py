"""`briefgen verify`: tampered, missing and stray files, broken manifests, lost PDF/A markers."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.archive import MANIFEST, archive
from briefgen.cli import main
from briefgen.manifest import chain_head, encode_line, seal
from briefgen.pipeline import Project, render_document
from briefgen.validation import load_meeting
from briefgen.verify import verify
from briefgen.writers import write_format
from tests.conftest import INPUTS


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every example input archived once; each test works on its own copy."""
    folder = tmp_path_factory.mktemp("pristine") / "archive"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", "1734519600")
        for path in INPUTS:
            archive(path, folder)
    return folder


@pytest.fixture
def folder(pristine: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "archive"
    shutil.copytree(pristine, copy)
    for pdf in copy.glob("*.pdf"):
        os.chmod(pdf, 0o644)  # archived files are read-only; the tests tamper with them
    return copy


def append_sealed(folder: Path, entry: dict[str, object]) -> None:
    """Append a line the way briefgen does, chain and all: only its content is under test."""
    manifest = folder / MANIFEST
    sealed = seal(entry, chain_head(manifest.read_bytes()))
    with manifest.open("ab") as handle:
        handle.write(encode_line(sealed))


def messages(folder: Path) -> list[str]:
    return [finding.format() for finding in verify(folder).findings]


def test_an_intact_archive_has_no_findings(folder: Path) -> None:
    report = verify(folder)
    assert report.findings == [] and report.checked == len(INPUTS)


def test_a_changed_byte_is_reported_as_altered(folder: Path) -> None:
    victim = sorted(folder.glob("*.pdf"))[1]
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0x01
    victim.write_bytes(bytes(data))
    [line] = messages(folder)
    assert line.startswith(f"{victim}: error: altered: sha256 ")
    assert "\n" not in line


def test_a_deleted_file_is_reported_as_missing(folder: Path) -> None:
    first_line = (folder / MANIFEST).read_text(encoding="utf-8").splitlines()[0]
    victim = folder / json.loads(first_line)["file"]
    victim.unlink()
    assert messages(folder) == [f"{victim}: error: missing: listed on manifest line 1"]


def test_a_stray_file_is_reported_as_unlisted(folder: Path) -> None:
    (folder / "notes.txt").write_text("not archived", encoding="utf-8")
    (folder / "extra").mkdir()
    assert messages(folder) == [
        f"{folder / 'extra'}: error: unlisted: a folder the manifest does not list",
        f"{folder / 'notes.txt'}: error: unlisted: a file the manifest does not list",
    ]


def test_a_truncated_manifest_is_reported(folder: Path) -> None:
    manifest = folder / MANIFEST
    text = manifest.read_bytes()
    manifest.write_bytes(text[: len(text) - 40])  # cut inside the last line
    last = json.loads(text.splitlines()[-1])["file"]
    found = messages(folder)
    assert len(found) == 2
    assert found[0].startswith(f"{manifest}:{len(INPUTS)}: error: manifest line does not parse")
    assert found[1] == f"{folder / last}: error: unlisted: a file the manifest does not list"


def test_an_emptied_or_absent_manifest_leaves_every_file_unlisted(folder: Path) -> None:
    (folder / MANIFEST).unlink()
    found = messages(folder)
    assert found[0] == f"{folder / MANIFEST}: error: missing: the archive has no manifest"
    assert len(found) == 1 + len(INPUTS)


def test_a_listed_pdf_that_is_not_pdfa_is_reported(folder: Path) -> None:
    project = Project()
    audience = project.audience("staff")
    meeting, _ = load_meeting(INPUTS[0], str(INPUTS[0]))
    data = write_format(
        render_document(meeting, audience, project), project.theme(audience), "pdf"
    ).data
    (folder / "plain.pdf").write_bytes(data)
    entry = {
        "file": "plain.pdf",
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
        "version": 1,
        "audience": "staff",
        "source": "x.yaml",
        "source_sha256": "0" * 64,
        "templates_sha256": "0" * 64,
        "briefgen_version": "0",
        "created": "2025-03-12T00:00:00Z",
        "source_date_epoch": 1741737600,
    }
    append_sealed(folder, entry)
    [line] = messages(folder)
    assert line.startswith(
        f"{folder / 'plain.pdf'}: error: not PDF/A + PDF/UA-1: the XMP does not say PDF/A-2a"
    )


def test_a_line_that_names_a_path_or_repeats_a_file_is_reported(folder: Path) -> None:
    lines = (folder / MANIFEST).read_text(encoding="utf-8").splitlines()
    append_sealed(folder, json.loads(lines[0]))
    append_sealed(folder, json.loads(lines[0]) | {"file": "../outside.pdf"})
    m = folder / MANIFEST
    assert messages(folder) == [
        f"{m}:5: error: {json.loads(lines[0])['file']} is listed again (first on line 1)",
        f"{m}:6: error: manifest line does not parse: `file` '../outside.pdf' is not a file "
        "name in the archive folder",
    ]


def test_the_command_prints_one_line_per_finding_and_exits_1(folder: Path) -> None:
    runner = CliRunner()
    clean = runner.invoke(main, ["verify", str(folder)])
    assert clean.exit_code == 0 and clean.stdout == ""
    assert f"{len(INPUTS)} archived files checked, 0 findings" in clean.stderr
    (folder / "stray.pdf").write_bytes(b"%PDF-1.4")
    sorted(folder.glob("2024-*.pdf"))[0].unlink()
    result = runner.invoke(main, ["verify", str(folder)])
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 2
    assert runner.invoke(main, ["verify", str(folder / "nowhere")]).exit_code == 2


def test_the_archive_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1734519600")
    runner = CliRunner()
    target = tmp_path / "archive"
    first = runner.invoke(main, ["archive", str(INPUTS[0]), "--to", str(target)])
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith(f"archived {INPUTS[0]} as {target}")
    assert "(version 1)" in first.stdout
    again = runner.invoke(main, ["archive", str(INPUTS[0]), "--to", str(target)])
    assert again.exit_code == 0 and "already archived as" in again.stdout
    wrong = runner.invoke(main, ["archive", str(INPUTS[0]), "--to", str(target), "-a", "stafff"])
    # An unknown audience on the command line is a usage error, like an unknown format.
    assert wrong.exit_code == 2 and "did you mean `staff`" in wrong.stderr
