"""Packs: one PDF and one DOCX of several meetings, with contents, continuous page numbers and
biographies; the people directory; pack files validated like meeting files; many files at once."""

from __future__ import annotations

import gc
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.errors import ValidationError
from briefgen.pack import build_pack
from briefgen.parallel import run_jobs
from briefgen.people import load_people
from briefgen.pipeline import BuildOptions, Project
from briefgen.validation import load_meeting
from tests.conftest import MINIMAL, REPO

PACK = REPO / "inputs" / "packs" / "ministerial-week" / "pack.yaml"
TITLES = [
    "Bilateral with the Minister of Defence of Moldova",
    "Working Dinner with Nordic and Baltic Ministers",
    "Trilateral on Black Sea Maritime Security",
    "Defence Industry Round Table on Ammunition",
]
ANNEX = "Annex: Biographies"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pack")
    paths = build_pack(PACK, BuildOptions(out_dir=out), jobs=2)
    return {p.name.split(".", 1)[1]: p for p in paths}


def outline(reader: PdfReader) -> list[tuple[str, int]]:
    """Top-level outline entries: title and (1-based) page."""
    return [
        (item.title, reader.get_destination_page_number(item) + 1)
        for item in reader.outline
        if not isinstance(item, list)
    ]


def test_one_pdf_and_one_docx_per_audience_of_the_pack(built: dict[str, Path]) -> None:
    assert sorted(built) == ["principal.docx", "principal.pdf", "staff.docx", "staff.pdf"]
    assert all(p.name.startswith("2025-03-10_ministerial-week-brussels.") for p in built.values())


def test_pdf_contents_list_each_meeting_at_its_page_linked_like_the_outline(
    built: dict[str, Path],
) -> None:
    reader = PdfReader(built["staff.pdf"])
    top = outline(reader)
    assert [t for t, _ in top] == ["Ministerial Week, Brussels", *TITLES, ANNEX]
    for title, page in top[1:]:  # each meeting (and the annex) starts a page with its title
        lines = [line for line in reader.pages[page - 1].extract_text().splitlines() if line]
        assert lines[0] == title, lines[:3]  # (the banners are drawn last)
    # Cover, programme and contents share the first page (no title alone on a blank page).
    contents = reader.pages[0].extract_text().splitlines()
    contents = contents[contents.index("Contents") :]
    for title, page in top[1:]:  # the entry, then its page number (drawn as the last thing)
        at = contents.index(title)
        assert contents[at + 1] == str(page)
    targets = {}
    for annotation in reader.pages[0]["/Annots"]:
        link = annotation.get_object()
        targets[round(float(link["/Rect"][1]))] = reader.get_page_number(link["/Dest"][0]) + 1
    assert set(targets.values()) >= {page for _, page in top[1:]}  # clickable, same targets


def test_page_x_of_y_runs_on_across_the_meetings(built: dict[str, Path]) -> None:
    pages = PdfReader(built["staff.pdf"]).pages
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page.extract_text()


def test_docx_contents_field_is_filled_with_the_pdfs_pages(built: dict[str, Path]) -> None:
    body = zipfile.ZipFile(built["staff.docx"]).read("word/document.xml").decode()
    # contents_depth 0: the meetings' titles only (Title style, level 1).
    assert re.search(
        r'<w:instrText xml:space="preserve"> TOC \\b _BriefgenContents \\h \\z '
        r'\\t "Title,1" </w:instrText>',
        body,
    )
    entries = re.findall(
        r'<w:hyperlink w:anchor="(_Toc\d+)" w:history="1"><w:r><w:t '
        r'xml:space="preserve">([^<]*)</w:t>.*?PAGEREF \1 .*?<w:t xml:space='
        r'"preserve">(\d+)</w:t>',
        body,
    )
    pdf = dict(outline(PdfReader(built["staff.pdf"])))
    titled = [(text, int(page)) for _, text, page in entries if text in pdf]
    assert titled == [(t, pdf[t]) for t in [*TITLES, ANNEX]]
    assert len(entries) == len(titled)  # contents_depth 0: no section entries
    for anchor, _, _ in entries:  # each entry's target is bookmarked
        assert f'w:name="{anchor}"' in body
    footer = "".join(
        zipfile.ZipFile(built["staff.docx"]).read(n).decode()
        for n in zipfile.ZipFile(built["staff.docx"]).namelist()
        if "footer" in n
    )
    assert "NUMPAGES" in footer and body.count('w:type="page"') >= 4


def test_annex_has_each_biography_once_with_the_meetings_attended(built: dict[str, Path]) -> None:
    reader = PdfReader(built["staff.pdf"])
    annex = " ".join(reader.pages[dict(outline(reader))[ANNEX] - 1].extract_text().split())
    assert annex.count("Gen. Karin Holm") == 1
    assert (
        "Attends: Bilateral with the Minister of Defence of Moldova; Working Dinner with "
        "Nordic and Baltic Ministers; Defence Industry Round Table on Ammunition"
    ) in annex
    assert "Ion Cebotari" not in annex  # no biography, no entry
    assert "joins for the second half" not in annex  # a meeting's own role stays there
    assert "Андрій Сибіга" in annex  # named in a meeting file, not the directory: kept too


def test_fields_next_to_a_ref_override_the_directory() -> None:
    path = PACK.parent / "meetings" / "2025-03-10-moldova-bilateral.yaml"
    people = load_people(PACK.parent / "people")
    meeting, _ = load_meeting(path, people=people)
    holm = next(p for p in meeting.participants if p.ref == "karin-holm")
    assert holm.role == "Chief of Defence Staff (joins for the second half)"
    assert holm.bio and holm.bio.startswith("Chief of Defence Staff since 2023")
    nosatii = meeting.participants[0]
    assert (nosatii.name, nosatii.side) == ("Anatolie Nosatîi", "Guest")  # from a many-file


def test_a_meeting_with_refs_builds_alone_through_briefgen_yaml(tmp_path: Path) -> None:
    path = PACK.parent / "meetings" / "2025-03-11-nordic-baltic-dinner.yaml"
    project = Project.for_input(path, BuildOptions())
    meeting, _ = project.load_meeting(path)
    assert meeting.participants[0].name == "Maria Lindqvist"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def locations(error: pytest.ExceptionInfo[ValidationError]) -> list[tuple[str, int, int]]:
    return [
        (Path(d.location.file).name, d.location.line or 0, d.location.column or 0)
        for d in error.value.diagnostics
        if d.location
    ]


def test_an_unknown_ref_is_an_error_at_its_line_with_a_suggestion(tmp_path: Path) -> None:
    write(tmp_path, "people/jane-doe.yaml", "name: Jane Doe\nbio: Diplomat.\n")
    meeting = write(tmp_path, "m.yaml", MINIMAL + "participants:\n  - ref: jane-do\n")
    with pytest.raises(ValidationError) as error:
        load_meeting(meeting, people=load_people(tmp_path / "people"))
    assert locations(error) == [("m.yaml", 5, 10)]
    assert (
        error.value.diagnostics[0].hint == "did you mean `jane-doe`? people in "
        f"{tmp_path / 'people'}: jane-doe"
    )
    with pytest.raises(ValidationError, match="none is set"):
        load_meeting(meeting)


def test_people_files_are_validated_at_their_own_lines(tmp_path: Path) -> None:
    write(tmp_path, "people/a.yaml", "name: A\nrole: R\n")
    write(tmp_path, "people/c.yaml", "name: C\nbiography: typo\n")
    write(
        tmp_path,
        "people/many.yaml",
        """
        people:
          a:
            name: Duplicate
          b:
            nmae: B
        """,
    )
    with pytest.raises(ValidationError) as error:
        load_people(tmp_path / "people")
    found = {(f, line) for f, line, _ in locations(error)}
    assert found == {("c.yaml", 2), ("many.yaml", 2), ("many.yaml", 5)}
    messages = " ".join(d.message for d in error.value.diagnostics)
    assert "unknown key `biography`" in messages and "defined twice" in messages


def test_a_pack_file_is_validated_like_a_meeting_file(tmp_path: Path) -> None:
    write(tmp_path, "m.yaml", MINIMAL)
    pack = write(
        tmp_path,
        "pack.yaml",
        """
        pack:
          title: P
          start: 2025-03-10
          end: 2025-03-01
        audience: [staff, principle]
        meetings: [m.yaml, missing.yaml]
        colour: blue
        """,
    )
    with pytest.raises(ValidationError) as error:
        build_pack(pack, BuildOptions(out_dir=tmp_path / "out"))
    assert locations(error) == [("pack.yaml", 4, 8), ("pack.yaml", 7, 1)]  # end; unknown key
    pack.write_text(
        pack.read_text().replace("  end: 2025-03-01\n", "").replace("colour: blue\n", "")
    )
    with pytest.raises(ValidationError) as error:
        build_pack(pack, BuildOptions(out_dir=tmp_path / "out"))
    assert locations(error) == [("pack.yaml", 4, 19), ("pack.yaml", 5, 20)]
    assert "did you mean `principal`?" in (error.value.diagnostics[0].hint or "")
    assert not (tmp_path / "out").exists()


def test_a_broken_meeting_fails_the_pack_with_its_own_location(tmp_path: Path) -> None:
    write(tmp_path, "good.yaml", MINIMAL)
    write(tmp_path, "bad.yaml", "meeting:\n  title: Bad\n  date: 2025-02-30\n")
    pack = write(tmp_path, "pack.yaml", "pack: {title: P}\nmeetings: [good.yaml, bad.yaml]\n")
    with pytest.raises(ValidationError) as error:
        build_pack(pack, BuildOptions(out_dir=tmp_path / "out"), jobs=2)
    assert locations(error) == [("bad.yaml", 3, 9)]


def _double(value: int) -> int:
    if value < 0:
        raise ValidationError("negative", hint="use a positive number")
    return value * 2


def test_parallel_jobs_keep_input_order_and_bring_errors_back_whole() -> None:
    outcomes = list(run_jobs(_double, [3, -1, 5, 7], jobs=2))
    assert [o.value for o in outcomes] == [6, None, 10, 14]
    error = outcomes[1].error
    assert isinstance(error, ValidationError)
    assert error.diagnostics[0].hint == "use a positive number"


def _frozen(_: int) -> int:
    return gc.get_freeze_count()


def test_workers_start_with_the_parents_objects_frozen_and_the_parent_is_left_as_it_was() -> None:
    # Frozen, what the warm parent holds is never walked by the workers' collections; the
    # host process gets its collector back as it had it.
    assert gc.get_freeze_count() == 0
    outcomes = list(run_jobs(_frozen, [1, 2, 3], jobs=2))
    assert all((o.value or 0) > 10_000 for o in outcomes)  # imports, modules, the test run
    assert gc.get_freeze_count() == 0


def cli(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefgen.cli", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(REPO)},
    )


def test_build_many_with_jobs_lists_paths_in_input_order_and_progress_lines(tmp_path: Path) -> None:
    inputs = sorted((REPO / "inputs").glob("*.yaml"))[:3]
    result = cli("build", *inputs, "-j", "2", "-f", "pdf", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    stems = [Path(line).name.split(".")[0] for line in result.stdout.splitlines()]
    expected = [load_meeting(p)[0].file_stem for p in inputs]
    assert stems == expected
    assert result.stderr.splitlines() == [f"[{n}/3] {p}" for n, p in enumerate(inputs, 1)]


def test_pack_command_prints_the_written_files(tmp_path: Path) -> None:
    result = cli("pack", PACK, "-a", "principal", "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "out/2025-03-10_ministerial-week-brussels.principal.pdf",
        "out/2025-03-10_ministerial-week-brussels.principal.docx",
    ]
    # The one meeting that gave way to keep its page in the principal pack says so.
    (warning,) = result.stderr.splitlines()
    assert warning.endswith(
        "inputs/black-sea-maritime-security-2025-03-12.yaml: warning: principal: initiatives "
        "table moved to the staff brief to fit 1 page"
    )
