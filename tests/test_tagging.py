"""Tagged PDF: the independent validator (page-validation) passes every PDF we write, and the
structure tree read back says what the Document says, in its order, with the chrome as artifacts.
"""

from __future__ import annotations

import io
import re
from itertools import pairwise
from pathlib import Path

import page
import pikepdf
import pytest

from briefgen import document as d
from briefgen.errors import UsageError
from briefgen.pdfa import problems, to_pdfa
from briefgen.pipeline import Project, render_document
from briefgen.standards import PdfStandard, parse_standard
from briefgen.tagging import language_tag, markdown_table
from briefgen.writers import write_format
from briefgen.writers.pdf import write_pdf
from tests.conftest import INPUTS, REPO, Briefs, builtin_audiences
from tests.pdf_structure import marked_texts, read_structure


def failed(data: bytes, profile: str) -> list[str]:
    return [
        f"{f.rule_id}: {f.message}" for f in page.validate_pdf_bytes(data, profile=profile).failures
    ]


# --- the oracle --------------------------------------------------------------------------------


@pytest.mark.parametrize("audience", builtin_audiences())
@pytest.mark.parametrize("input_path", INPUTS, ids=lambda p: p.stem)
def test_every_brief_passes_pdf_ua_1_and_archives_their_pdf_a_level(
    built_briefs: Briefs, input_path: Path, audience: str
) -> None:
    data = built_briefs[(input_path.name, audience)]["pdf"].read_bytes()
    assert failed(data, "ua1") == []
    if audience == "archive":  # the archive audience writes PDF/A-2a
        assert failed(data, "2a") == []


@pytest.mark.parametrize("audience", ["principal", "staff"])
def test_the_pack_passes_pdf_ua_1(built_pack: dict[str, Path], audience: str) -> None:
    assert failed(built_pack[f"{audience}.pdf"].read_bytes(), "ua1") == []


@pytest.mark.parametrize("standard", ["a-2a", "a-3a", "a-2b", "a-3b"])
def test_each_pdf_a_level_we_offer_passes_its_profile_and_ua_1(standard: str) -> None:
    project = Project()
    meeting, _ = project.load_meeting(INPUTS[0])
    audience = project.audience("staff")
    document = render_document(meeting, audience, project)
    data = write_format(document, project.theme(audience), "pdf", standard=standard).data
    profile = standard[2:]
    assert failed(data, profile) == [] and failed(data, "ua1") == []
    assert problems(data) == []


def test_the_self_check_never_passes_what_the_validator_rejects() -> None:
    """Drop the structure tree: nothing pdfa.py checks itself notices, the validator does."""
    project = Project()
    meeting, _ = project.load_meeting(INPUTS[0])
    audience = project.audience("staff")
    data = to_pdfa(
        write_pdf(render_document(meeting, audience, project), project.theme(audience)).data
    )
    assert problems(data) == []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        del pdf.Root.StructTreeRoot
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
    found = problems(out.getvalue())
    assert any("PDFA2A-STRUCT-TREE-ROOT-001" in line for line in found), found
    assert any("PDFUA1-STRUCT-TREE-ROOT-001" in line for line in found), found


def test_standards_we_cannot_honour_are_refused_by_name() -> None:
    assert parse_standard("ua-1") == PdfStandard(None)
    assert parse_standard("a-3a,ua-1") == PdfStandard((3, "A"))
    assert parse_standard("A-2B").label == "PDF/A-2b + PDF/UA-1"
    for text, words in (
        ("a-1b", "not one briefgen writes"),
        ("ua-2", "not one briefgen"),
        ("a-2a,a-3a", "2 PDF/A levels"),
    ):
        with pytest.raises(UsageError, match=words):
            parse_standard(text)


# --- what the catalog, pages and fonts say ----------------------------------------------------


def test_catalog_pages_and_metadata_of_a_tagged_pdf(built_briefs: Briefs) -> None:
    data = built_briefs[(INPUTS[0].name, "staff")]["pdf"].read_bytes()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "en-GB"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        for index, p in enumerate(pdf.pages):
            assert p.obj.Tabs == "/S" and int(p.obj.StructParents) == index
        meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False, strict=True)
        assert meta["pdfuaid:part"] == "1"
        assert meta["dc:title"] == str(pdf.docinfo.Title)
        assert "/Trapped" not in pdf.docinfo  # pdf:Trapped is outside PDF/A's XMP schemas
        assert int(pdf.Root.StructTreeRoot.ParentTreeNextKey) >= len(pdf.pages)


def test_no_to_unicode_entry_maps_to_u0000(built_briefs: Briefs) -> None:
    data = built_briefs[(INPUTS[0].name, "staff")]["pdf"].read_bytes()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        cmaps = [
            font.ToUnicode.read_bytes().decode("latin-1")
            for p in pdf.pages
            for font in p.Resources.Font.values()
            if "/ToUnicode" in font
        ]
    assert cmaps
    for cmap in cmaps:
        values = re.findall(r"<[0-9A-F]{2}> <([0-9A-F]{4})>", cmap)
        assert values and not {"0000", "FEFF", "FFFE"} & set(values)
        count = int(re.search(r"(\d+) beginbfchar", cmap).group(1))  # type: ignore[union-attr]
        assert count == len(values)


def test_language_tags_are_full() -> None:
    assert language_tag("en") == "en-GB"
    assert language_tag("bs") == "bs-BA"
    assert language_tag("en_us") == "en-US"
    assert language_tag("fr-CA") == "fr-CA"


# --- the structure tree against the Document ---------------------------------------------------


def _document(input_path: Path, audience: str) -> d.Document:
    project = Project()
    meeting, _ = project.load_meeting(input_path)
    return render_document(meeting, project.audience(audience), project)


def _norm(text: str) -> str:
    return "".join(text.split())  # lines wrap anywhere in a cell; words are compared unbroken


def _blocks(blocks: tuple[d.Block, ...]) -> list[d.Block]:
    out: list[d.Block] = []
    for block in blocks:
        out.append(block)
        if isinstance(block, (d.BulletList, d.NumberedList)):
            for item in block.items:
                out.extend(_blocks(item.blocks))
    return out


def _items(blocks: tuple[d.Block, ...]) -> list[d.ListItem]:
    """Every list item, depth first: an item, then the items of lists inside it."""
    out: list[d.ListItem] = []
    for block in blocks:
        if isinstance(block, (d.BulletList, d.NumberedList)):
            for item in block.items:
                out.append(item)
                out.extend(_items(item.blocks))
    return out


@pytest.mark.parametrize("audience", ["staff", "archive", "public"])
@pytest.mark.parametrize("input_path", INPUTS, ids=lambda p: p.stem)
def test_structure_tree_says_what_the_document_says(
    built_briefs: Briefs, input_path: Path, audience: str
) -> None:
    data = built_briefs[(input_path.name, audience)]["pdf"].read_bytes()
    tree = read_structure(data)
    document = _document(input_path, audience)
    assert tree.tag == "Document"
    blocks = _blocks(document.blocks)

    # Headings: the title and every heading, in order, each at most one level below the last.
    headings = [n for n in tree.walk() if re.fullmatch(r"H\d", n.tag)]
    expected = []
    for block in blocks:
        if isinstance(block, d.TitleBlock):
            expected.append(d.plain_text(block.title))
        elif isinstance(block, d.Heading):
            expected.append(d.plain_text(block.children))
        elif isinstance(block, d.Timeline) and block.title:
            expected.append(block.title)
    assert [_norm(h.text) for h in headings] == [_norm(t) for t in expected]
    levels = [int(h.tag[1]) for h in headings]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in pairwise(levels))

    # Lists: one LI per item, its Lbl and LBody, the body reading as the item's blocks.
    items = _items(document.blocks)
    lis = tree.find("LI")
    assert len(lis) == len(items)
    for li, item in zip(lis, items, strict=True):
        assert [k.tag for k in li.kids] == ["Lbl", "LBody"]
        assert li.kids[0].text  # the bullet or number
        words = _norm(
            " ".join(d.plain_text(b.children) for b in item.blocks if isinstance(b, d.Paragraph))
        )
        assert _norm(li.kids[1].text).startswith(words)

    # Tables: one Table per table however many pages; each cell in its row and column.
    tables = [n for n in tree.find("Table") if n.kids and n.kids[0].tag == "THead"]
    doc_tables = [b for b in blocks if isinstance(b, d.Table) and b.header]
    assert len(tables) == len(doc_tables)
    for table, block in zip(tables, doc_tables, strict=True):
        head = table.kids[0].kids
        assert len(head) == 1
        ths = head[0].kids
        assert [_norm(c.text) for c in ths] == [_norm(d.plain_text(c)) for c in block.header]
        for th in ths:
            assert th.tag == "TH" and th.obj.A.Scope == "/Column" and th.obj.A.O == "/Table"
        rows = table.kids[1].kids if len(table.kids) > 1 else []
        assert len(rows) == len(block.rows)
        for tr, row in zip(rows, block.rows, strict=True):
            assert [c.tag for c in tr.kids] == ["TD"] * len(row)
            assert [_norm(c.text) for c in tr.kids] == [_norm(d.plain_text(c)) for c in row]

    # The timeline chart is a Figure with alternative text for a person.
    timelines = [b for b in blocks if isinstance(b, d.Timeline) and any(r.dated for r in b.rows)]
    figures = [f for f in tree.find("Figure") if "Timeline" in str(f.obj.get("/Alt", ""))]
    assert len(figures) == len(timelines)
    for figure, timeline in zip(figures, timelines, strict=True):
        alt = str(figure.obj.Alt)
        count = sum(1 for r in timeline.rows if r.dated)
        assert f"of {count} initiative" in alt and "table" in alt
        assert timeline.marker is None or str(timeline.marker.year) in alt


def test_links_are_reachable_from_the_structure_and_back(built_pack: dict[str, Path]) -> None:
    data = built_pack["staff.pdf"].read_bytes()
    tree = read_structure(data)
    links = tree.find("Link")
    assert links and all(link.objr for link in links)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        nums = list(pdf.Root.StructTreeRoot.ParentTree.Nums)
        parent_tree = dict(zip(map(int, nums[::2]), nums[1::2], strict=True))
        annots = [a for p in pdf.pages for a in p.get("/Annots", []) if a.Subtype == "/Link"]
        assert annots
        for annot in annots:
            element = parent_tree[int(annot.StructParent)]
            assert element.S == "/Link"
            assert str(annot.Contents).strip()
            assert any(
                k.get("/Type") == "/OBJR" and k.Obj.objgen == annot.objgen
                for k in (element.K if isinstance(element.K, pikepdf.Array) else [element.K])
            )
    # The pack's contents: a TOC of one TOCI per entry, each with its link.
    tocs = tree.find("TOC")
    assert len(tocs) == 1 and tocs[0].kids and {k.tag for k in tocs[0].kids} == {"TOCI"}
    assert all(k.find("Link") for k in tocs[0].kids)


def test_page_chrome_is_artifact_and_the_marking_is_said_once(built_briefs: Briefs) -> None:
    data = built_briefs[(INPUTS[-1].name, "staff")]["pdf"].read_bytes()
    document = _document(INPUTS[-1], "staff")
    texts, artifacts = marked_texts(data)
    tagged = " ".join(texts.values())
    marking = document.info.marking
    assert marking and tagged.count(marking) == 1
    tree = read_structure(data)
    assert tree.kids[0].tag == "P" and tree.kids[0].text == marking  # read first
    pages = len(artifacts)
    for number, drawn in enumerate(artifacts, start=1):
        assert f"Page {number} of {pages}" in drawn and f"Page {number} of" not in tagged
        assert document.info.title[:20] in drawn  # the footer text
    with pikepdf.open(io.BytesIO(data)) as pdf:
        content = pdf.pages[0].Contents.read_bytes()
    assert b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC" in content


def test_the_readme_prints_the_tag_table() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme
