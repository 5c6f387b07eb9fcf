"""The archive's embedded source (PDF/A-3a associated file) and the archive writer's edge cases
that earlier tests left unobserved: a changed briefgen.yaml, a deleted v1, lines with missing
fields or `file: ".."`, a bad line mid-manifest."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
from pathlib import Path

import page
import pikepdf
import pytest

from briefgen.archive import MANIFEST, archive
from briefgen.audience import select
from briefgen.embedded import read_source
from briefgen.manifest import chain_head, encode_line, seal
from briefgen.pdfa import problems
from briefgen.pipeline import BuildOptions, Project, build
from briefgen.validation import load_meeting
from tests.conftest import EXAMPLE, INPUTS

EPOCH = 1_734_519_600
MIXED = next(p for p in INPUTS if p.name.startswith("mixed-levels"))


@pytest.fixture(autouse=True)
def epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))


@pytest.fixture(scope="module")
def archived(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("source") / "archive"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        for path in INPUTS:
            archive(path, folder)
        archive(MIXED, folder, "public")
    return folder


def entries(folder: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (folder / MANIFEST).read_text("utf-8").splitlines()]


def test_every_archived_pdf_validates_as_pdfa_3a_and_pdfua_1(archived: Path) -> None:
    for pdf in sorted(archived.glob("*.pdf")):
        for profile in ("3a", "ua1"):
            report = page.validate_pdf(pdf, profile=profile)
            assert report.is_compliant, (pdf.name, profile, [f.message for f in report.failures])
        assert problems(pdf.read_bytes()) == []  # the self-check agrees


def test_a_pdfa_build_carries_no_source_and_validates_as_pdfa_2a(tmp_path: Path) -> None:
    [pdf] = build(EXAMPLE, BuildOptions(formats=("pdf",), pdfa=True, out_dir=tmp_path))
    report = page.validate_pdf(pdf, profile="2a")
    assert report.is_compliant, [f.message for f in report.failures]
    with pikepdf.open(pdf) as opened:
        assert "/AF" not in opened.Root and "/Trapped" not in opened.docinfo


def test_the_source_is_an_associated_file_with_relationship_source(archived: Path) -> None:
    name = "2024-12-18_nato-sg-bih-presidency_archive_v1.pdf"
    with pikepdf.open(archived / name) as pdf:
        meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
        assert meta["pdfaid:part"] == "3" and meta["pdfaid:conformance"] == "A"
        [spec] = list(pdf.Root.AF)
        assert spec.Type == pikepdf.Name.Filespec
        assert spec.AFRelationship == pikepdf.Name.Source
        assert str(spec.UF) == str(spec.F) == EXAMPLE.name
        stream = spec.EF.F
        assert stream.Type == pikepdf.Name.EmbeddedFile
        assert stream.Subtype == pikepdf.Name("/application/yaml")
        assert str(stream.Params.ModDate) == "D:20241218110000+00'00'"
        assert int(stream.Params.Size) == len(stream.read_bytes())
        assert list(pdf.attachments) == [EXAMPLE.name]


def test_the_embedded_source_is_the_cleared_meeting_and_reads_back(
    archived: Path, tmp_path: Path
) -> None:
    public = archived / "2025-06-04_cyber-resilience-dialogue_public_v1.pdf"
    text = read_source(public)
    assert text is not None
    assert text.startswith(b"# briefgen archive source: the meeting as cleared for the "
                           b"audience `public`.\n")  # fmt: skip
    decoded = text.decode("utf-8")
    for level in ("INTERNAL", "RESTRICTED", "CONFIDENTIAL"):
        assert level not in decoded  # nothing above the public's clearance, not even its name
    assert "Colonel Aurelio Bracci" not in decoded and "Dmitri Kovalenko" not in decoded
    assert "Helena Varga" in decoded
    copy = tmp_path / "source.yaml"
    copy.write_bytes(text)
    project = Project()
    original, _ = load_meeting(MIXED)
    read_back, _ = load_meeting(copy)
    assert read_back == select(original, project.audience("public"), project.config.levels).meeting
    [entry] = [e for e in entries(archived) if e["file"] == public.name]
    assert entry["embedded_sha256"] == hashlib.sha256(text).hexdigest()
    assert entry["marking"] == "PUBLIC"


def test_a_pdf_without_a_source_reads_back_as_none(tmp_path: Path) -> None:
    [pdf] = build(EXAMPLE, BuildOptions(formats=("pdf",), pdfa=True, out_dir=tmp_path))
    assert read_source(pdf) is None and read_source(b"not a pdf") is None


def test_verify_checks_the_embedded_source_against_the_manifest(
    archived: Path, tmp_path: Path
) -> None:
    from briefgen.verify import verify

    folder = Path(shutil.copytree(archived, tmp_path / "a"))
    name = "2024-12-18_nato-sg-bih-presidency_archive_v1.pdf"
    target = folder / name
    os.chmod(target, 0o644)
    with pikepdf.open(io.BytesIO(target.read_bytes())) as pdf:  # swap the source, keep the rest
        pdf.Root.AF[0].EF.F.write(b"meeting:\n  title: Something else\n  date: 2024-12-18\n")
        out = io.BytesIO()
        pdf.save(out)
    data = out.getvalue()
    target.write_bytes(data)
    lines = (folder / MANIFEST).read_text("utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, 1) if name in line)
    entry = json.loads(lines[number - 1]) | {"sha256": hashlib.sha256(data).hexdigest(),
                                             "size": len(data)}  # fmt: skip
    lines[number - 1] = json.dumps(entry)
    (folder / MANIFEST).write_text("\n".join(lines) + "\n", "utf-8")
    found = [f.format() for f in verify(folder).findings]
    m = folder / MANIFEST
    assert f"{m}:{number}: error: `embedded_sha256` is not the SHA-256 of the PDF's embedded " \
        "source" in found  # fmt: skip
    assert f"{m}:{number}: error: `audience` 'archive' is not the audience the embedded source " \
        "was cleared for (None)" in found  # fmt: skip


def test_problems_flags_an_attachment_that_is_not_associated(archived: Path) -> None:
    data = (archived / "2024-12-18_nato-sg-bih-presidency_archive_v1.pdf").read_bytes()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        del pdf.Root.AF
        out = io.BytesIO()
        pdf.save(out)
    broken = out.getvalue()
    assert problems(broken) == [
        f"attachment {EXAMPLE.name!r} is not an associated file (/AF) of the catalog"
    ]
    assert not page.validate_pdf_bytes(broken, profile="3a").is_compliant  # nor is it to page
    found = problems(data, (2, "A"))  # as PDF/A-2a the same file is not acceptable
    assert "the name dictionary has /EmbeddedFiles" in found
    assert "the XMP does not say PDF/A-2a (pdfaid:part 3, pdfaid:conformance A)" in found


def _changed(tmp_path: Path, marker: str) -> Path:
    path = tmp_path / EXAMPLE.name
    path.write_text(EXAMPLE.read_text("utf-8") + f"\n# {marker}\n", "utf-8")
    return path


def test_a_changed_briefgen_yaml_gives_a_new_version(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    config = tmp_path / "briefgen.yaml"
    config.write_text("audiences:\n  archive:\n    description: Full record\n", "utf-8")
    options = BuildOptions(config=config)
    first = archive(EXAMPLE, folder, options=options)
    assert first.entry["config_sha256"] == hashlib.sha256(config.read_bytes()).hexdigest()
    assert not archive(EXAMPLE, folder, options=options).written
    config.write_text("audiences:\n  archive:\n    description: The full record\n", "utf-8")
    second = archive(EXAMPLE, folder, options=options)
    assert second.written and second.path.name.endswith("_archive_v2.pdf")
    assert second.entry["source_sha256"] == first.entry["source_sha256"]


def test_a_deleted_v1_is_not_reused(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    first = archive(EXAMPLE, folder)
    os.chmod(first.path, 0o644)
    first.path.unlink()  # the file is gone, its manifest line is not
    second = archive(_changed(tmp_path, "v2"), folder)
    assert second.path.name == "2024-12-18_nato-sg-bih-presidency_archive_v2.pdf"
    assert second.entry["version"] == 2


def _append(folder: Path, entry: dict[str, object]) -> None:
    manifest = folder / MANIFEST
    with manifest.open("ab") as handle:
        handle.write(encode_line(seal(entry, chain_head(manifest.read_bytes()))))


def test_lines_with_missing_fields_or_a_dotdot_file_are_not_the_same_brief(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    first = archive(EXAMPLE, folder)
    entry = {k: v for k, v in first.entry.items() if k not in ("prev", "line_sha256")}
    (folder / MANIFEST).write_bytes(b"")  # v1 stays on disk, so its number is taken
    _append(folder, {k: v for k, v in entry.items() if k != "audience"})
    _append(folder, entry | {"file": ".."})
    again = archive(EXAMPLE, folder)  # neither line is an entry: the brief is archived anew
    assert again.written
    assert again.path == folder / "2024-12-18_nato-sg-bih-presidency_archive_v2.pdf"


def test_a_bad_line_mid_manifest_hides_no_later_entry(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    archive(EXAMPLE, folder)
    changed = _changed(tmp_path, "v2")
    second = archive(changed, folder)
    lines = (folder / MANIFEST).read_bytes().splitlines(keepends=True)
    (folder / MANIFEST).write_bytes(lines[0] + b"{broken\n" + lines[1])
    again = archive(changed, folder)  # found on the line after the broken one
    assert not again.written and again.path == second.path
    third = archive(_changed(tmp_path, "v3"), folder)
    assert third.path.name.endswith("_archive_v3.pdf")
