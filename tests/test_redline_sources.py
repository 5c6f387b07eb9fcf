"""Where a redline's OLD comes from: git:REV, an archived PDF's embedded YAML, an archive folder;
and LibreOffice opening every redline DOCX with its changes shown."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.pipeline import BuildOptions, build
from briefgen.redline import embedded_source
from tests.redline_helpers import BLACK_SEA, EDITS, MIXED, edited

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:docx")


def invoke(*args: str) -> tuple[int, list[str], str]:
    result = CliRunner().invoke(main, ["redline", *args])
    return result.exit_code, result.stdout.splitlines(), result.stderr


def pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout


def git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )


def test_git_revision_as_old(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "briefs").mkdir(parents=True)
    meeting = repo / "briefs" / "meeting.yaml"
    shutil.copy(BLACK_SEA, meeting)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "first")
    old, new = EDITS["word"]
    meeting.write_text(BLACK_SEA.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    code, paths, err = invoke("git:HEAD", str(meeting), "-o", str(tmp_path / "out"), "-f", "pdf")
    assert code == 0, err
    assert err == "staff: 1 change\n"
    text = pdftotext(Path(paths[0]))
    assert "meeting.yaml at git HEAD" in text
    assert "Section 'Issues likely to be raised' table 1 cell edited" in text


def test_git_errors_are_reported_not_raised(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    meeting = repo / "meeting.yaml"
    shutil.copy(BLACK_SEA, meeting)
    code, _, err = invoke("git:HEAD", str(meeting), "-o", str(tmp_path / "out"))
    assert code == 1
    assert err.startswith("git:HEAD: error: git: ")
    assert "hint: is the file committed at that revision" in err
    code, _, err = invoke("git:--output=/tmp/x", str(meeting), "-o", str(tmp_path / "out"))
    assert code == 2 and "does not name a revision" in err
    assert not (tmp_path / "out").exists()


def attach_source(pdf_path: Path, yaml_bytes: bytes, name: str = "source.yaml") -> None:
    """Embed a YAML file as an associated file with /AFRelationship /Source, as archives do."""
    with pikepdf.open(pdf_path, allow_overwriting_input=True) as pdf:
        spec = pikepdf.AttachedFileSpec(
            pdf, yaml_bytes, filename=name, mime_type="application/yaml"
        )
        spec.obj.AFRelationship = pikepdf.Name.Source
        pdf.attachments[name] = spec
        pdf.Root.AF = pikepdf.Array([spec.obj])
        pdf.save(pdf_path)


def test_embedded_source_reads_the_yaml_back(tmp_path: Path) -> None:
    pdf = build(BLACK_SEA, BuildOptions(formats=("pdf",), out_dir=tmp_path))[0]
    assert embedded_source(pdf) is None
    attach_source(pdf, b"meeting: {title: T, date: 2025-01-01}\n")
    assert embedded_source(pdf) == b"meeting: {title: T, date: 2025-01-01}\n"


def archived(folder: Path, source: Path, version: int, audience: str = "archive") -> Path:
    """An archive folder entry by hand: the PDF with its source embedded, and its manifest line."""
    folder.mkdir(exist_ok=True)
    built = build(
        source, BuildOptions(audiences=("staff",), formats=("pdf",), out_dir=folder / "tmp")
    )[0]
    target = folder / f"2025-03-12_black-sea-maritime-security_{audience}_v{version}.pdf"
    shutil.move(built, target)
    attach_source(target, source.read_bytes())
    data = target.read_bytes()
    entry = {
        "file": target.name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
        "version": version,
        "audience": audience,
        "source": source.name,
        "source_sha256": "0" * 64,
        "templates_sha256": "0" * 64,
        "briefgen_version": "0",
        "created": "2025-03-12T00:00:00Z",
        "source_date_epoch": 0,
    }
    with (folder / "manifest.jsonl").open("a", encoding="utf-8") as manifest:
        manifest.write(json.dumps(entry) + "\n")
    return target


def test_against_an_archived_pdf_and_the_latest_in_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    first = archived(folder, BLACK_SEA, 1)
    second = archived(folder, edited(tmp_path, "word", file="v2.yaml"), 2)
    new = edited(tmp_path, "word", "time")
    code, paths, err = invoke("--against", str(first), str(new), "-o", str(tmp_path / "a"))
    assert code == 0, err
    assert err == "staff: 2 changes\n"
    code, paths, err = invoke(
        "--against", str(folder), str(new), "-o", str(tmp_path / "b"), "-f", "pdf"
    )
    assert code == 0, err
    text = pdftotext(Path(paths[0]))
    assert f"Compared with {second.name} (version 2)." in text
    assert "Meeting time changed" in text and "cell edited" not in text  # v2 had the word


def test_against_checks_the_manifest_hash_and_says_what_is_there(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    pdf = archived(folder, BLACK_SEA, 1)
    pdf.chmod(0o644)
    pdf.write_bytes(pdf.read_bytes() + b"\n")
    code, _, err = invoke("--against", str(folder), str(BLACK_SEA), "-o", str(tmp_path / "o"))
    assert code == 1 and "does not match its manifest entry" in err
    code, _, err = invoke("--against", str(folder), str(MIXED), "-o", str(tmp_path / "o"))
    assert code == 1 and "holds no archived version of 2025-06-04_cyber-resilience" in err
    plain = build(BLACK_SEA, BuildOptions(formats=("pdf",), out_dir=tmp_path / "p"))[0]
    code, _, err = invoke("--against", str(plain), str(BLACK_SEA), "-o", str(tmp_path / "o"))
    assert code == 1 and "carries no embedded meeting source" in err
    assert not (tmp_path / "o").exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_every_redline_docx_and_shows_deletions(tmp_path: Path) -> None:
    new = edited(tmp_path, *EDITS)
    docs = tmp_path / "docx"
    for audience in ("staff", "principal", "public", "archive"):
        code, _paths, err = invoke(
            str(BLACK_SEA), str(new), "-a", audience, "-f", "docx", "-o", str(docs)
        )
        assert code == 0, err
    files = sorted(docs.glob("*.docx"))
    assert len(files) == 4
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    for file in files:
        text = " ".join(pdftotext(tmp_path / "pdf" / f"{file.stem}.pdf").split())
        assert "Trilateral on Black Sea Maritime Security" in text
        if ".public." in file.name:
            assert "No changes" in text
            continue
        assert "10:30\u201311:45 CET" in text  # the old time, deleted
        assert "11:30\u201312:45 CET" in text
        if ".staff." in file.name or ".archive." in file.name:
            assert "kept informed" in text  # a deleted table cell's words
