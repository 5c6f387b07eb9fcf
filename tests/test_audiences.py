"""Audiences and markings: clearance filtering never leaks, markings follow what is printed."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import yaml
from pydantic import BaseModel
from pypdf import PdfReader

from briefgen.audience import BUILTIN_AUDIENCES, clearance_level, select
from briefgen.config import ProjectConfig
from briefgen.errors import AudienceError, TemplateError, ValidationError
from briefgen.model import DEFAULT_LEVELS, Meeting
from briefgen.pipeline import BuildOptions, Project, build, render_document
from briefgen.validation import load_meeting
from tests.conftest import INPUTS

MIXED = next(p for p in INPUTS if p.name.startswith("mixed-levels"))
LEVELS = list(DEFAULT_LEVELS)
# Built-in audiences plus custom ones at every intermediate clearance.
CONFIG = """\
audiences:
  internal-readers:
    description: Cleared to INTERNAL.
    template: staff.md.j2
    clearance: INTERNAL
  restricted-readers:
    description: Cleared to RESTRICTED.
    template: staff.md.j2
    clearance: RESTRICTED
    portion_marks: true
"""
AUDIENCES = [*BUILTIN_AUDIENCES, "internal-readers", "restricted-readers"]


def text_fields(value: Any) -> Iterator[str]:
    """Every piece of text an item carries (its classification excepted)."""
    if isinstance(value, BaseModel):
        for name, field_value in value:
            if name != "classification":
                yield from text_fields(field_value)
    elif isinstance(value, list):
        for element in value:
            yield from text_fields(element)
    elif isinstance(value, str):
        yield value


def forbidden_texts(meeting: Meeting, clearance: str) -> set[str]:
    """Texts of every item above the clearance that no allowed item also contains."""
    rank = {level: i for i, level in enumerate(LEVELS)}
    default = meeting.meeting.classification or LEVELS[0]
    hidden: set[str] = set()
    allowed: set[str] = {meeting.meeting.title}
    for key in ("participants", "key_points", "outcomes", "initiatives", "sections"):
        for item in getattr(meeting, key):
            level = item.classification or default
            target = hidden if rank[level] > rank[clearance] else allowed
            target.update(text_fields(item))
    meeting_level = [
        meeting.purpose,
        meeting.summary,
        meeting.meeting.time,
        meeting.meeting.location,
        meeting.meeting.organiser,
    ]
    target = hidden if rank[default] > rank[clearance] else allowed
    target.update(t for t in meeting_level if t)
    normalised_allowed = " ".join(" ".join(allowed).split())
    return {
        t
        for t in (" ".join(h.split()) for h in hidden)
        if len(t) >= 6 and t not in normalised_allowed
    }


def words(text: str) -> str:
    # Bullets of the three list levels are layout, not words.
    return " ".join(re.sub("[\u2022\u2013\u25e6]", " ", text).split())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], list[Path]]:
    folder = tmp_path_factory.mktemp("leak")
    config = folder / "briefgen.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    results = {}
    for path in INPUTS:
        options = BuildOptions(audiences=tuple(AUDIENCES), out_dir=folder / "out", config=config)
        for written in build(path, options):
            audience = written.name.split(".")[-2]
            results.setdefault((path.name, audience), []).append(written)
    return results


def pdf_surfaces(path: Path) -> list[str]:
    """Page text, metadata, outline titles, and every decompressed stream (UTF-8 and UTF-16)."""
    reader = PdfReader(path)
    surfaces = [words(" ".join(page.extract_text() for page in reader.pages))]
    surfaces.append(words(" ".join(str(v) for v in (reader.metadata or {}).values())))

    def outline_titles(entries: list[Any]) -> Iterator[str]:
        for entry in entries:
            if isinstance(entry, list):
                yield from outline_titles(entry)
            else:
                yield entry.title

    surfaces.append(words(" ".join(outline_titles(reader.outline))))
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                data = obj.read_bytes()
                surfaces.append(data.decode("utf-8", "ignore"))
                surfaces.append(data.decode("utf-16-be", "ignore"))
    surfaces.append(path.read_bytes().decode("latin-1"))
    return surfaces


def docx_surfaces(path: Path) -> list[str]:
    """Every part of the DOCX zip: body, headers, footers, properties, everything."""
    surfaces = []
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            raw = archive.read(name).decode("utf-8", "ignore")
            surfaces.append(raw)
            surfaces.append(words(re.sub(r"<[^>]+>", "", raw)))
            surfaces.append(words(re.sub(r"<[^>]+>", " ", raw)))
    return surfaces


@pytest.mark.parametrize("input_path", INPUTS, ids=lambda p: p.stem)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_nothing_above_clearance_reaches_any_part_of_any_file(
    built: dict[tuple[str, str], list[Path]], input_path: Path, audience: str
) -> None:
    project = Project(ProjectConfig.model_validate(yaml.safe_load(CONFIG)))
    meeting, _ = load_meeting(input_path)
    clearance = clearance_level(project.audience(audience), LEVELS)
    hidden = forbidden_texts(meeting, clearance)
    files = built[(input_path.name, audience)]
    assert len(files) == 2
    for path in files:
        surfaces = pdf_surfaces(path) if path.suffix == ".pdf" else docx_surfaces(path)
        for text in hidden:
            for variant in {text, text.replace("&", "&amp;").replace("<", "&lt;")}:
                assert not any(variant in surface for surface in surfaces), (
                    f"{text!r} leaked into {path.name}"
                )


def test_the_mixed_input_really_hides_something_from_each_restricted_audience() -> None:
    meeting, _ = load_meeting(MIXED)
    for clearance in LEVELS[:-1]:
        assert forbidden_texts(meeting, clearance), clearance


def test_public_readout_shows_public_items(built: dict[tuple[str, str], list[Path]]) -> None:
    [pdf] = [p for p in built[(MIXED.name, "public")] if p.suffix == ".pdf"]
    text = words(" ".join(page.extract_text() for page in PdfReader(pdf).pages))
    assert "open, free and secure cyberspace" in text
    assert "Cyber Skills Exchange" in text


def test_custom_template_printing_the_whole_context_still_cannot_leak(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "staff.md.j2").write_text(
        "{{ meeting }} {{ participants }} {{ key_points }} {{ outcomes }} {{ initiatives }}"
        " {{ sections }} {{ purpose }} {{ summary }} {{ audience }} {{ marking }}\n",
        encoding="utf-8",
    )
    meeting, _ = load_meeting(MIXED)
    project = Project(ProjectConfig(), (templates,))
    document = render_document(meeting, project.audience("public"), project)
    from briefgen.document import dump

    text = words(dump(document))
    assert "Operation Glass Harbour" not in text and "malware sandbox" not in text
    assert "RESTRICTED" not in text and "CONFIDENTIAL" not in text
    assert "Helena Varga" in text  # the PUBLIC participant is there, so the template did print


def test_overall_marking_is_the_highest_level_present_in_the_output() -> None:
    meeting, _ = load_meeting(MIXED)
    assert select(meeting, BUILTIN_AUDIENCES["public"], LEVELS).marking == "PUBLIC"
    assert select(meeting, BUILTIN_AUDIENCES["staff"], LEVELS).marking == "CONFIDENTIAL"
    restricted = BUILTIN_AUDIENCES["staff"].__class__(
        name="r", description="", template="staff.md.j2", clearance="RESTRICTED"
    )
    assert select(meeting, restricted, LEVELS).marking == "RESTRICTED"


def test_marking_printed_top_and_bottom_of_every_page(
    built: dict[tuple[str, str], list[Path]],
) -> None:
    [pdf] = [p for p in built[(MIXED.name, "staff")] if p.suffix == ".pdf"]
    pages = PdfReader(pdf).pages
    assert len(pages) >= 2
    for page in pages:
        heights: list[float] = []

        def visit(
            text: str, cm: Any, tm: Any, font: Any, size: Any, found: list[float] = heights
        ) -> None:
            if text.strip() == "CONFIDENTIAL":
                found.append(float(tm[5]) * float(cm[3]) + float(cm[5]))

        page.extract_text(visitor_text=visit)
        top = float(page.mediabox.top)
        assert any(y > top * 0.9 for y in heights), heights
        assert any(y < top * 0.1 for y in heights), heights


def test_portion_marks_for_audiences_that_ask(built: dict[tuple[str, str], list[Path]]) -> None:
    [pdf] = [p for p in built[(MIXED.name, "restricted-readers")] if p.suffix == ".pdf"]
    text = words(" ".join(page.extract_text() for page in PdfReader(pdf).pages))
    assert "(P) Public commitment:" in text
    assert "(I) Pilot scope:" in text
    assert "(R) Utility Indicator Sharing" in text
    [staff] = [p for p in built[(MIXED.name, "staff")] if p.suffix == ".pdf"]
    assert "(P) Public commitment" not in words(
        " ".join(p.extract_text() for p in PdfReader(staff).pages)
    )


def test_unknown_level_is_a_validation_error_at_its_line(write_yaml: Any) -> None:
    path = write_yaml(
        "meeting:\n  title: X\n  date: 2025-01-01\n"
        "key_points:\n  - text: a\n    classification: SECRET\n"
    )
    with pytest.raises(ValidationError) as error:
        load_meeting(path)
    [diagnostic] = error.value.diagnostics
    assert diagnostic.location is not None and diagnostic.location.line == 6
    assert "unknown marking 'SECRET'" in diagnostic.message


def test_project_levels_from_briefgen_yaml_next_to_the_input(tmp_path: Path) -> None:
    (tmp_path / "briefgen.yaml").write_text(
        "levels: [NATO UNCLASSIFIED, NATO RESTRICTED, NATO CONFIDENTIAL, NATO SECRET]\n",
        encoding="utf-8",
    )
    sub = tmp_path / "meetings"
    sub.mkdir()
    meeting_file = sub / "m.yaml"
    meeting_file.write_text(
        "meeting:\n  title: X\n  date: 2025-01-01\n  classification: NATO RESTRICTED\n"
        "key_points:\n  - text: Secret line\n    classification: nato secret\n"
        "  - text: Open line\n    classification: NATO UNCLASSIFIED\n",
        encoding="utf-8",
    )
    written = build(meeting_file, BuildOptions(formats=("pdf",), out_dir=tmp_path / "out"))
    text = words(" ".join(p.extract_text() for p in PdfReader(written[0]).pages))
    assert text.count("NATO SECRET") == 2  # top and bottom banner
    assert "Secret line" in text
    public = build(
        meeting_file,
        BuildOptions(audiences=("public",), formats=("pdf",), out_dir=tmp_path / "out"),
    )
    public_text = words(" ".join(p.extract_text() for p in PdfReader(public[0]).pages))
    assert "Secret line" not in public_text and "Open line" in public_text
    assert "NATO UNCLASSIFIED" in public_text and "NATO RESTRICTED" not in public_text


def test_user_template_folder_overrides_one_block(tmp_path: Path) -> None:
    (tmp_path / "staff.md.j2").write_text(
        '{% extends "base.md.j2" %}'
        "{% block content %}# Why we meet\n\n{{ purpose }}\n{% endblock %}\n",
        encoding="utf-8",
    )
    written = build(
        MIXED, BuildOptions(formats=("pdf",), out_dir=tmp_path / "out", template_dirs=(tmp_path,))
    )
    text = words(" ".join(p.extract_text() for p in PdfReader(written[0]).pages))
    assert "Why we meet" in text and "Agree the next phase" in text


def test_unsafe_template_fails_without_output(tmp_path: Path) -> None:
    (tmp_path / "staff.md.j2").write_text(
        "Hello\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    with pytest.raises(TemplateError) as error:
        build(MIXED, BuildOptions(out_dir=out, template_dirs=(tmp_path,)))
    assert error.value.location is not None and error.value.location.line == 2
    assert error.value.location.file.endswith("staff.md.j2")
    assert not out.exists() or not any(out.iterdir())


def test_unknown_audience_suggests(tmp_path: Path) -> None:
    with pytest.raises(AudienceError) as error:
        build(MIXED, BuildOptions(audiences=("principle",), out_dir=tmp_path))
    assert error.value.hint and "principal" in error.value.hint


def test_dates_and_labels_follow_the_meeting_language(write_yaml: Any, tmp_path: Path) -> None:
    path = write_yaml(
        "meeting:\n  title: Sastanak\n  date: 2024-12-18\n  language: bs\npurpose: Razgovor.\n"
    )
    written = build(path, BuildOptions(formats=("pdf",), out_dir=tmp_path / "out"))
    text = words(" ".join(p.extract_text() for p in PdfReader(written[0]).pages))
    assert "18. decembar 2024." in text
    assert "Svrha" in text and "Stranica 1 od 1" in text
