"""Issue 10's remaining rules: chart labels and file properties typeset like the text."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from lxml import etree
from pypdf import PdfReader

from briefgen.pack import build_pack
from briefgen.pipeline import BuildOptions, build

TYPED = """
meeting:
  title: Review of the "Harbour" Plan
  date: 2025-03-12
  organiser: O'Neill's Unit
  classification: PUBLIC
participants:
  - {name: Seán O'Neill, role: Director, classification: PUBLIC}
purpose: Review the plan.
initiatives:
  - name: The "Harbour" Plan
    start: 2025-01-01
    end: 2025-12-31
    milestones:
      - {date: 2025-06-30, label: Partners' review}
"""


def _docx_xml(path: Path, part: str) -> str:
    with zipfile.ZipFile(path) as docx:
        return docx.read(part).decode("utf-8")


@pytest.fixture(scope="module")
def typed_brief(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("typed")
    source = folder / "m.yaml"
    source.write_text(TYPED.lstrip(), encoding="utf-8")
    written = build(source, BuildOptions(audiences=("staff",), out_dir=folder / "out"))
    return {path.suffix[1:]: path for path in written}


def test_chart_labels_are_typeset_in_both_formats(typed_brief: dict[str, Path]) -> None:
    pdf_text = "".join(page.extract_text() for page in PdfReader(typed_brief["pdf"]).pages)
    docx_text = "".join(
        etree.fromstring(_docx_xml(typed_brief["docx"], "word/document.xml").encode()).itertext()
    )
    for text in (pdf_text, docx_text):
        # The milestone label and the bar's name, as the chart prints them.
        assert "Partners\u2019 review" in text
        assert "\u201cHarbour\u201d Plan" in text
        assert "Partners' review" not in text and '"Harbour"' not in text


def test_file_properties_are_typeset_like_the_brief(typed_brief: dict[str, Path]) -> None:
    with pikepdf.open(typed_brief["pdf"]) as pdf:
        info = {str(key): str(value) for key, value in pdf.docinfo.items()}
    assert info["/Title"] == "Review of the \u201cHarbour\u201d Plan"
    assert info["/Author"] == "O\u2019Neill\u2019s Unit"
    assert "Se\u00e1n O\u2019Neill" in info["/Keywords"]
    core = _docx_xml(typed_brief["docx"], "docProps/core.xml")
    assert "Review of the \u201cHarbour\u201d Plan" in core
    assert "O\u2019Neill\u2019s Unit" in core
    assert "Se\u00e1n O\u2019Neill" in core
    assert "O'Neill" not in core


WriteYaml = Callable[..., Path]


def test_a_docx_lists_second_to_last_item_is_kept_with_the_last(
    write_yaml: WriteYaml, tmp_path: Path
) -> None:
    path = write_yaml(
        """
        meeting: {title: Lists, date: 2025-03-12}
        purpose: Review.
        key_points:
          - First point.
          - Second point.
          - Third point.
        """
    )
    (written,) = build(path, BuildOptions(formats=("docx",), out_dir=tmp_path / "out"))
    body = etree.fromstring(_docx_xml(written, "word/document.xml").encode())
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    items = [p for p in body.iter(f"{w}p") if "point." in "".join(p.itertext())]
    kept = [p.find(f"{w}pPr/{w}keepNext") is not None for p in items]
    assert kept == [False, True, False]
    # keepNext stands right after the style, where the schema orders it (Word refuses otherwise).
    properties = items[1].find(f"{w}pPr")
    assert [child.tag.split("}")[1] for child in properties][:2] == ["pStyle", "keepNext"]


PACK = Path(__file__).parent.parent / "inputs" / "packs" / "ministerial-week" / "pack.yaml"
MEETINGS = (
    "Bilateral with the Minister of Defence of Moldova",
    "Working Dinner with Nordic and Baltic Ministers",
    "Trilateral on Black Sea Maritime Security",
    "Defence Industry Round Table on Ammunition",
)


def _meeting_pages(pdf: Path) -> list[int]:
    """The first page (1-based) of each meeting, and of the annex, from the PDF's outline."""
    reader = PdfReader(pdf)
    starts = {
        entry.title: reader.get_destination_page_number(entry) + 1
        for entry in reader.outline
        if not isinstance(entry, list)  # a meeting's sections, nested under it
    }
    return [starts[title] for title in (*MEETINGS, "Annex: Biographies")]


def test_a_packs_meetings_keep_their_audiences_page_budget(tmp_path: Path) -> None:
    built = build_pack(PACK, BuildOptions(out_dir=tmp_path, formats=("pdf",)), jobs=1)
    (principal,) = [p for p in built if ".principal." in p.name]
    # Cover on page 1, then one page per meeting: the Black Sea brief gave way to fit.
    assert _meeting_pages(principal) == [2, 3, 4, 5, 6]
    (warning,) = built.warnings
    assert warning.format().endswith(
        "inputs/black-sea-maritime-security-2025-03-12.yaml: warning: principal: initiatives "
        "table moved to the staff brief to fit 1 page"
    )
    (staff,) = [p for p in built if ".staff." in p.name]  # no budget: nothing gives way
    assert len(PdfReader(staff).pages) == 9


IMPERATIVE_MEETING = """\
meeting: {title: Readout words, date: 2025-03-12, classification: INTERNAL}
purpose: Press for a funded plan.
key_points:
  - text: Press for a single, funded clearance plan.
    classification: PUBLIC
  - text: Ask Greece to host the hub.
  - title: Solidarity
    text: Thanks to both ministers. Stress our support for the plan.
    classification: PUBLIC
outcomes:
  - text: Joint statement published. Avoid commitments on insurance.
    classification: PUBLIC
"""


def test_lint_flags_instructions_to_staff_only_where_the_public_reads_them() -> None:
    from briefgen.lint import lint_text

    found = [
        (str(w.location), w.message.split(" \u2026")[0])
        for w in lint_text(IMPERATIVE_MEETING, "m.yaml")
        if w.code == "public-imperative"
    ]
    # The purpose (never in the readout) and the INTERNAL item ("Ask") are not flagged;
    # "Thanks to" opens no instruction.
    assert found == [
        ("m.yaml:4:11", "'Press"),
        ("m.yaml:8:37", "'Stress"),
        ("m.yaml:11:38", "'Avoid"),
    ]


def test_a_public_meeting_makes_its_unmarked_items_public_for_the_rule() -> None:
    from briefgen.lint import lint_text

    text = (
        "meeting: {title: T, date: 2025-03-12, classification: PUBLIC}\n"
        "key_points:\n  - Urge calm.\n"
    )
    (warning,) = [w for w in lint_text(text, "m.yaml") if w.code == "public-imperative"]
    assert str(warning.location) == "m.yaml:3:5"
    assert "PUBLIC and prints in the public readout" in warning.message


def test_the_imperative_rule_reads_through_emphasis_and_not_into_nouns_or_titles() -> None:
    from briefgen.lint import lint_text

    text = (
        "meeting: {title: T, date: 2025-03-12, classification: PUBLIC}\n"
        "summary: State Secretary Novak opened. Press freedom came up. Offer of help welcomed.\n"
        'key_points:\n  - "**Ask** Greece to host the hub."\n'
    )
    found = [
        w.message.split(" ")[0] for w in lint_text(text, "m.yaml") if w.code == "public-imperative"
    ]
    assert found == ["'Ask"]


def test_the_imperative_rule_compares_markings_without_case() -> None:
    from briefgen.lint import lint_text

    text = (
        "meeting: {title: T, date: 2025-03-12, classification: Public}\n"
        "key_points:\n  - Urge calm.\n"
    )
    levels = ("Public", "Internal", "Confidential")
    codes = [w.code for w in lint_text(text, "m.yaml", levels=levels)]
    assert codes.count("public-imperative") == 1


def test_a_packs_title_is_typeset_in_its_properties_as_on_its_cover(tmp_path: Path) -> None:
    import shutil

    inputs = Path(__file__).parent.parent / "inputs"
    shutil.copytree(inputs / "packs", tmp_path / "inputs" / "packs")
    shutil.copy(inputs / "black-sea-maritime-security-2025-03-12.yaml", tmp_path / "inputs")
    pack = tmp_path / "inputs" / "packs" / "ministerial-week" / "pack.yaml"
    pack.write_text(
        pack.read_text(encoding="utf-8").replace(
            "title: Ministerial Week, Brussels", "title: Minister's Week -- Brussels"
        ),
        encoding="utf-8",
    )
    options = BuildOptions(out_dir=tmp_path / "out", audiences=("staff",))
    paths = build_pack(pack, options, audiences=("staff",), jobs=1)
    [pdf] = [p for p in paths if p.suffix == ".pdf"]
    [docx] = [p for p in paths if p.suffix == ".docx"]
    with pikepdf.open(pdf) as opened:
        assert str(opened.docinfo["/Title"]) == "Minister\u2019s Week \u2013 Brussels"
    assert "<dc:title>Minister\u2019s Week \u2013 Brussels<" in _docx_xml(docx, "docProps/core.xml")


def test_a_docx_keeps_its_last_section_with_the_paragraph_before_it(
    write_yaml: WriteYaml, tmp_path: Path
) -> None:
    path = write_yaml(
        """
        meeting: {title: Ends, date: 2025-03-12}
        purpose: Review.
        sections:
          - heading: First
            body: One paragraph.
          - heading: Closing remarks
            body: The end.
        """
    )
    (written,) = build(path, BuildOptions(formats=("docx",), out_dir=tmp_path / "out"))
    body = etree.fromstring(_docx_xml(written, "word/document.xml").encode())
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    texts = {"".join(p.itertext()): p for p in body.iter(f"{w}p")}
    assert texts["One paragraph."].find(f"{w}pPr/{w}keepNext") is not None
    assert texts["Review."].find(f"{w}pPr/{w}keepNext") is None
