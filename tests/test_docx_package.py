"""The DOCX writer's shared state: parsed reference documents and model elements reused.

The writer keeps each reference document parsed and hands every write a copy; these tests
check that no write can leave a trace in the next one (alternating briefs in one process give
the bytes each gives alone in a fresh process), that the copies are independent trees, and
that the parts it serialises are exactly those python-docx's own save writes.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import docx

from briefgen.pipeline import BuildOptions, Project, render_document
from briefgen.validation import load_meeting
from briefgen.writers import WriterOptions
from briefgen.writers.docx import write_docx
from briefgen.writers.docx.package import join_package, open_reference, split_package, write_zip
from briefgen.writers.docx.styles import reference
from tests.conftest import EXAMPLE, INPUTS, REPO, fresh_python

# Two briefs that differ in nearly everything (lists, tables, timeline, marking, language).
PAIRS = [(EXAMPLE, "staff"), (INPUTS[0], "public"), (INPUTS[1], "principal")]

ALONE = """
import hashlib
from pathlib import Path
from briefgen.pipeline import BuildOptions, Project, render_document
from briefgen.validation import load_meeting
from briefgen.writers.docx import write_docx
path, audience = Path({path!r}), {audience!r}
project = Project.for_input(path, BuildOptions())
chosen = project.audience(audience)
document = render_document(load_meeting(path)[0], chosen, project)
data = write_docx(document, project.theme(chosen), project.writer_options(None, chosen)).data
print(hashlib.sha256(data).hexdigest())
"""


def docx_of(project: Project, path: Path, audience: str) -> bytes:
    chosen = project.audience(audience)
    document = render_document(load_meeting(path)[0], chosen, project)
    theme = project.theme(chosen)
    return write_docx(document, theme, project.writer_options(None, chosen)).data


def test_alternate_builds_give_the_bytes_of_each_built_alone_in_a_fresh_process() -> None:
    project = Project.for_input(EXAMPLE, BuildOptions())
    alternated: dict[tuple[Path, str], set[str]] = {pair: set() for pair in PAIRS}
    for _ in range(3):
        for path, audience in PAIRS:
            digest = hashlib.sha256(docx_of(project, path, audience)).hexdigest()
            alternated[(path, audience)].add(digest)
    for (path, audience), digests in alternated.items():
        result = fresh_python(ALONE.format(path=str(path), audience=audience), REPO)
        assert result.returncode == 0, result.stderr
        assert digests == {result.stdout.strip()}, (path.name, audience)


def test_each_opened_reference_is_a_tree_of_its_own() -> None:
    project = Project.for_input(EXAMPLE, BuildOptions())
    blob = reference(project.theme(project.audience("staff"))).blob
    first, second = open_reference(blob), open_reference(blob)
    first.add_paragraph("only in the first")
    first.styles.element.remove(first.styles.element[-1])
    first.core_properties.title = "changed"
    third = open_reference(blob)
    for other in (second, third):
        assert [p.text for p in other.paragraphs] == []
        assert len(other.styles.element) == len(first.styles.element) + 1
        assert other.core_properties.title == ""
    assert first.element is not second.element
    assert first.part.package is not second.part.package


def test_an_opened_reference_is_what_python_docx_opens() -> None:
    project = Project.for_input(EXAMPLE, BuildOptions())
    blob = reference(project.theme(project.audience("public"))).blob
    ours, theirs = open_reference(blob).part.package, docx.Document(io.BytesIO(blob)).part.package
    assert [(str(p.partname), type(p).__name__) for p in ours.iter_parts()] == [
        (str(p.partname), type(p).__name__) for p in theirs.iter_parts()
    ]
    assert join_package(*split_package(ours)) == join_package(*split_package(theirs))


def test_the_parts_are_what_python_docx_saves() -> None:
    project = Project.for_input(EXAMPLE, BuildOptions())
    word = open_reference(reference(project.theme(project.audience("staff"))).blob)
    word.add_paragraph("text").add_run().add_picture(
        str(REPO / "templates" / "themes" / "formal-logo.png")
    )
    saved = io.BytesIO()
    word.save(saved)
    with zipfile.ZipFile(saved) as archive:
        expected = {name: archive.read(name) for name in archive.namelist()}
    trees, members = split_package(word.part.package)
    assert sorted(trees) == [
        "docProps/core.xml",
        "word/document.xml",
        "word/numbering.xml",
        "word/settings.xml",
        "word/styles.xml",
    ]
    parts = join_package(trees, members)
    assert sorted(parts) == sorted(expected)
    assert parts == expected
    assert "word/media/image1.png" in parts


def test_the_zip_has_fixed_order_stamps_and_attributes() -> None:
    members = {"word/document.xml": b"<d/>", "[Content_Types].xml": b"<t/>", "_rels/.rels": b""}
    data = write_zip(members, 1700000000)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == [
            "[Content_Types].xml",
            "_rels/.rels",
            "word/document.xml",
        ]
        assert {i.date_time for i in infos} == {(2023, 11, 14, 22, 13, 20)}
        # zipfile's writestr gives an entry without attributes rw------- (0o600 << 16).
        assert {(i.create_system, i.external_attr, i.compress_type) for i in infos} == {
            (0, 0o600 << 16, zipfile.ZIP_DEFLATED)
        }
        assert archive.read("word/document.xml") == b"<d/>"
    assert write_zip(dict(reversed(members.items())), 1700000000) == data


def test_a_brief_written_without_a_project_cache_is_the_same() -> None:
    project = Project.for_input(EXAMPLE, BuildOptions())
    chosen = project.audience("staff")
    document = render_document(load_meeting(EXAMPLE)[0], chosen, project)
    theme = project.theme(chosen)
    cached = write_docx(document, theme, project.writer_options(None, chosen)).data
    assert write_docx(document, theme, WriterOptions()).data == cached


def test_an_emptied_core_property_is_written_short() -> None:
    # python-docx writes the template's comment, emptied, as <dc:description></dc:description>;
    # every brief so far has had <dc:description/> (the part written and read back).
    project = Project.for_input(EXAMPLE, BuildOptions())
    with zipfile.ZipFile(io.BytesIO(docx_of(project, EXAMPLE, "staff"))) as archive:
        core = archive.read("docProps/core.xml")
    assert b"<dc:description/>" in core
    assert b"<dc:description>" not in core


def test_paragraphs_and_cells_are_fresh_trees_without_a_namespace_of_their_own() -> None:
    from docx.oxml import OxmlElement
    from lxml import etree

    from briefgen.writers.docx.blocks import cell, paragraph

    body = OxmlElement("w:body")
    first = paragraph(body, "Normal")
    first[0].append(OxmlElement("w:keepNext"))  # a change to one copy...
    paragraph(body, "Normal")  # ...is not in the next
    cell(OxmlElement("w:tr"), 1200).append(OxmlElement("w:p"))
    row = OxmlElement("w:tr")
    cell(row, 1200)
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    assert etree.tostring(body).decode() == (
        f'<w:body xmlns:w="{ns}">'
        '<w:p><w:pPr><w:pStyle w:val="Normal"/><w:keepNext/></w:pPr></w:p>'
        '<w:p><w:pPr><w:pStyle w:val="Normal"/></w:pPr></w:p></w:body>'
    )
    assert etree.tostring(row).decode() == (
        f'<w:tr xmlns:w="{ns}"><w:tc><w:tcPr><w:tcW w:w="1200" w:type="dxa"/></w:tcPr>'
        "</w:tc></w:tr>"
    )


def test_runs_from_their_models_are_the_runs_built_in_place() -> None:
    from docx.oxml import OxmlElement
    from lxml import etree

    from briefgen.writers.docx.blocks import run

    p = OxmlElement("w:p")
    run(p, "plain")
    run(p, " spaced ", bold=True)
    run(p, "a\tb\nc", italic=True)
    run(p, "both", bold=True, italic=True)
    run(p, "link", "Hyperlink", bold=True)
    run(p, "")
    run(p, "plain")[0].text = "changed"  # a change to one copy is not in the model
    run(p, "plain")
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    assert etree.tostring(p).decode() == (
        f'<w:p xmlns:w="{ns}">'
        "<w:r><w:t>plain</w:t></w:r>"
        '<w:r><w:rPr><w:rStyle w:val="Strong"/></w:rPr>'
        '<w:t xml:space="preserve"> spaced </w:t></w:r>'
        '<w:r><w:rPr><w:rStyle w:val="Emphasis"/></w:rPr>'
        "<w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t></w:r>"
        '<w:r><w:rPr><w:rStyle w:val="StrongEmphasis"/></w:rPr><w:t>both</w:t></w:r>'
        '<w:r><w:rPr><w:rStyle w:val="Hyperlink"/><w:b/></w:rPr><w:t>link</w:t></w:r>'
        "<w:r/>"
        "<w:r><w:t>changed</w:t></w:r>"
        "<w:r><w:t>plain</w:t></w:r>"
        "</w:p>"
    )
