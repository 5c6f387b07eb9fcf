"""DOCX writer: named styles, literal text, tables, lists, page chrome, metadata, determinism."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from lxml import etree

from briefgen.document import (
    BulletList,
    Document,
    DocumentInfo,
    Emphasis,
    Heading,
    LineBreak,
    Link,
    ListItem,
    NumberedList,
    PageBreak,
    Paragraph,
    Strong,
    Table,
    Text,
    TitleBlock,
    TitleField,
)
from briefgen.theme import PageSetup, Theme, default_theme
from briefgen.writers import get_writer
from briefgen.writers.docx import write_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}
ADVERSARIAL = "</para> <b> &amp; {{ 7*7 }} *x* | #"
LONG_URL = "https://example.org/" + "an-unbroken-path-segment-" * 8 + "end"
SCRIPTS = "Русский текст и Ελληνικά."  # Cyrillic and Greek
CREATED = 1734480000  # 2024-12-18 00:00 UTC


def _item(*inlines: Text | Strong, nested: BulletList | NumberedList | None = None) -> ListItem:
    blocks: tuple[Paragraph | BulletList | NumberedList, ...] = (Paragraph(tuple(inlines)),)
    return ListItem(blocks + ((nested,) if nested else ()))


def make_brief(marking: str = "NATO RESTRICTED", created: int = CREATED) -> Document:
    rows = tuple(
        ((Text(f"R{n:02d}"),), (Text(f"Follow-up {n} with Željko Komšić"),), (Text("Ελλάδα"),))
        for n in range(1, 61)
    )
    rows += (((Text("URL"),), (Link(LONG_URL, (Text(LONG_URL),)),), (Text(ADVERSARIAL),)),)
    return Document(
        info=DocumentInfo(
            title="Meeting with the Presidency of Bosnia and Herzegovina",
            author="Western Balkans Desk",
            subject="Bilateral meeting",
            keywords=("Bosnia and Herzegovina", "NATO"),
            language="en-GB",
            marking=marking,
            created=created,
            dated=True,
            page_label="Page {page} of {pages}",
        ),
        blocks=(
            TitleBlock(
                title=(Text("Meeting with Željko Komšić"),),
                subtitle=(Text("Chairman of the Presidency"),),
                fields=(
                    TitleField("Date", (Text("18 December 2024"),)),
                    TitleField("Venue", (Text("Sarajevo"), LineBreak(), Text("Room 4"))),
                ),
            ),
            Heading(1, (Text("Objectives"),)),
            Paragraph(
                (
                    Text("Agree on "),
                    Strong((Text("energy "), Emphasis((Text("interconnector"),)))),
                    Text(". "),
                    Text(ADVERSARIAL),
                    LineBreak(),
                    Text(SCRIPTS),
                )
            ),
            NumberedList((_item(Text("First aim")), _item(Text("Second aim")))),
            Heading(2, (Text("Background"),)),
            BulletList(
                (
                    _item(Text("See "), nested=BulletList((_item(Text("nested point")),))),
                    ListItem((Paragraph((Text("Bullet two"),)), Paragraph((Text("more on two"),)))),
                )
            ),
            Paragraph(
                (
                    Text("Read "),
                    Link("https://www.nato.int/", (Text("the NATO site"),)),
                )
            ),
            Heading(3, (Text("Lines to take"),)),
            NumberedList((_item(Text("Line A")), _item(Text("Line B"))), start=1),
            NumberedList((_item(Text("Line E")),), start=5),
            Table(
                header=((Text("Ref"),), (Text("Action"),), (Text("Country"),)),
                rows=rows,
                widths=(0.15, 0.6, 0.25),
            ),
            PageBreak(),
            Heading(1, (Text("Annex"),)),
        ),
    )


@pytest.fixture(scope="module")
def blob() -> bytes:
    return write_docx(make_brief(), default_theme()).data


def part(blob: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return etree.fromstring(z.read(name))


def text_of(element: etree._Element) -> str:
    return "".join(element.itertext())


def paragraph_texts(root: etree._Element) -> list[str]:
    return [text_of(p) for p in root.iter(f"{{{W}}}p")]


def text_width_of(body: etree._Element) -> int:
    section = body.find(".//w:sectPr", NS)
    page = int(section.find("w:pgSz", NS).get(f"{{{W}}}w"))
    margins = section.find("w:pgMar", NS)
    return page - int(margins.get(f"{{{W}}}left")) - int(margins.get(f"{{{W}}}right"))


def test_registered_in_the_writer_registry() -> None:
    assert get_writer("docx") is write_docx


def test_paragraphs_use_the_named_styles(blob: bytes) -> None:
    word = docx.Document(io.BytesIO(blob))
    used = [(p.style.name, p.text) for p in word.paragraphs]
    assert used[:6] == [
        ("Title", "Meeting with Željko Komšić"),
        ("Subtitle", "Chairman of the Presidency"),
        ("Heading 1", "Objectives"),
        ("Normal", f"Agree on energy interconnector. {ADVERSARIAL}\n{SCRIPTS}"),
        ("List Number", "First aim"),
        ("List Number", "Second aim"),
    ]
    names = {name for name, _ in used}
    assert {"Heading 2", "Heading 3", "List Bullet", "List Bullet 2", "List Continue"} <= names
    cells = word.tables[1].rows
    assert cells[0].cells[0].paragraphs[0].style.name == "Table Header"
    assert cells[1].cells[0].paragraphs[0].style.name == "Table Text"
    assert word.tables[0].style.name == "Field Table"
    assert word.tables[1].style.name == "Brief Table"
    assert word.tables[0].rows[0].cells[0].paragraphs[0].style.name == "Field Label"
    assert word.tables[0].rows[0].cells[1].paragraphs[0].style.name == "Field Value"


def test_no_direct_formatting_only_character_styles(blob: bytes) -> None:
    body = part(blob, "word/document.xml")
    run_props = {child.tag.split("}")[1] for child in body.iterfind(".//w:rPr/*", NS)}
    # Bold and italic are the Strong / Emphasis character styles, not w:b and w:i.
    assert run_props == {"rStyle"}
    run_styles = {e.get(f"{{{W}}}val") for e in body.iterfind(".//w:rPr/w:rStyle", NS)}
    assert {"Strong", "StrongEmphasis"} <= run_styles
    para_props = {child.tag.split("}")[1] for child in body.iterfind(".//w:pPr/*", NS)}
    # outlineLvl is structure, not formatting: the title is a heading (Word's checker, packs);
    # keepNext is pagination: a list's second-to-last item keeps with its last.
    assert para_props == {"pStyle", "numPr", "outlineLvl", "keepNext"}


def test_styles_follow_the_theme() -> None:
    theme = Theme(
        fonts={"family": "Liberation Serif", "docx_name": "Georgia"},
        colours={"heading": "#123456", "table_header_background": "#654321"},
        roles={"body": {"size": 11, "space_after": 7, "align": "justify"}},
    )
    styles = part(write_docx(make_brief(), theme).data, "word/styles.xml")

    def style(style_id: str) -> etree._Element:
        return styles.find(f"w:style[@w:styleId='{style_id}']", NS)

    normal = style("Normal")
    assert normal.find("w:rPr/w:sz", NS).get(f"{{{W}}}val") == "22"
    assert normal.find("w:pPr/w:spacing", NS).get(f"{{{W}}}after") == "140"
    assert normal.find("w:pPr/w:jc", NS).get(f"{{{W}}}val") == "both"
    for style_id in ("Normal", "Title", "Heading1", "ListBullet", "TableText", "Marking", "Footer"):
        fonts = style(style_id).find("w:rPr/w:rFonts", NS)
        assert {fonts.get(f"{{{W}}}{slot}") for slot in ("ascii", "hAnsi", "eastAsia", "cs")} == {
            "Georgia"
        }, style_id
    assert style("Heading1").find("w:rPr/w:color", NS).get(f"{{{W}}}val") == "123456"
    assert style("Title").find("w:rPr/w:color", NS).get(f"{{{W}}}val") == "123456"
    # The linked character style Word uses for part of a paragraph matches its paragraph style.
    assert style("Heading1Char").find("w:rPr/w:color", NS).get(f"{{{W}}}val") == "123456"
    assert style("Marking").find("w:rPr/w:b", NS) is not None
    header_fill = style("BriefTable").find("w:tblStylePr[@w:type='firstRow']/w:tcPr/w:shd", NS)
    assert header_fill.get(f"{{{W}}}fill") == "654321"
    # The template's Calibri/Cambria theme-font references are gone everywhere.
    xml = etree.tostring(styles).decode()
    assert "asciiTheme" not in xml and "majorHAnsi" not in xml


def test_text_is_literal_and_in_order(blob: bytes) -> None:
    texts = paragraph_texts(part(blob, "word/document.xml"))
    joined = "\n".join(texts)
    assert joined.count(ADVERSARIAL) == 2  # in a paragraph and in a table cell
    order = [
        "Meeting with Željko Komšić",
        "18 December 2024",
        "Objectives",
        "interconnector",
        ADVERSARIAL,
        SCRIPTS,
        "First aim",
        "Background",
        "nested point",
        "the NATO site",
        "Line A",
        "Line E",
        "R01",
        "R60",
        LONG_URL,
        "Annex",
    ]
    positions = [joined.index(marker) for marker in order]
    assert positions == sorted(positions)
    raw = zipfile.ZipFile(io.BytesIO(blob)).read("word/document.xml").decode()
    assert "&lt;/para&gt; &lt;b&gt; &amp;amp; {{ 7*7 }}" in raw


def test_inline_formatting_combines(blob: bytes) -> None:
    body = part(blob, "word/document.xml")
    run = next(r for r in body.iter(f"{{{W}}}r") if text_of(r) == "interconnector")
    assert run.find("w:rPr/w:rStyle", NS).get(f"{{{W}}}val") == "StrongEmphasis"
    plain = next(r for r in body.iter(f"{{{W}}}r") if text_of(r) == "Agree on ")
    assert plain.find("w:rPr", NS) is None
    assert body.find(".//w:r/w:br[@w:type='page']", NS) is not None
    assert len(body.findall(".//w:r/w:br", NS)) == 3  # two line breaks and the page break


def test_table_header_repeats_and_widths_follow_the_model(blob: bytes) -> None:
    body = part(blob, "word/document.xml")
    table = body.findall(".//w:tbl", NS)[1]
    rows = table.findall("w:tr", NS)
    assert len(rows) == 62
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(row.find("w:trPr/w:tblHeader", NS) is None for row in rows[1:])
    widths = [int(col.get(f"{{{W}}}w")) for col in table.findall("w:tblGrid/w:gridCol", NS)]
    text_width = text_width_of(body)
    assert sum(widths) == text_width
    assert [round(w / text_width, 2) for w in widths] == [0.15, 0.6, 0.25]
    assert table.find("w:tblPr/w:tblLayout", NS).get(f"{{{W}}}type") == "fixed"


def test_hyperlinks_are_external_relationships(blob: bytes) -> None:
    body = part(blob, "word/document.xml")
    rels = part(blob, "word/_rels/document.xml.rels")
    targets = {rel.get("Id"): (rel.get("Target"), rel.get("TargetMode")) for rel in rels}
    links = {text_of(h): h.get(f"{{{R}}}id") for h in body.iter(f"{{{W}}}hyperlink")}
    assert targets[links["the NATO site"]] == ("https://www.nato.int/", "External")
    assert targets[links[LONG_URL]] == (LONG_URL, "External")
    link_run = body.find(".//w:hyperlink/w:r", NS)
    assert link_run.find("w:rPr/w:rStyle", NS).get(f"{{{W}}}val") == "Hyperlink"


def test_each_numbered_list_restarts(blob: bytes) -> None:
    body = part(blob, "word/document.xml")
    numbering = part(blob, "word/numbering.xml")
    num_ids: dict[str, str] = {}
    for p in body.iter(f"{{{W}}}p"):
        num_id = p.find("w:pPr/w:numPr/w:numId", NS)
        if num_id is not None:
            num_ids[text_of(p)] = num_id.get(f"{{{W}}}val")
    assert num_ids["First aim"] == num_ids["Second aim"]
    assert num_ids["Line A"] == num_ids["Line B"]
    assert len({num_ids["First aim"], num_ids["Line A"], num_ids["Line E"]}) == 3

    def start(num_id: str) -> str:
        num = numbering.find(f"w:num[@w:numId='{num_id}']", NS)
        return num.find("w:lvlOverride[@w:ilvl='0']/w:startOverride", NS).get(f"{{{W}}}val")

    assert (start(num_ids["First aim"]), start(num_ids["Line A"]), start(num_ids["Line E"])) == (
        "1",
        "1",
        "5",
    )
    # All point at List Number's own abstract numbering, so restyling it restyles them.
    styles = part(blob, "word/styles.xml")
    style_num = styles.find("w:style[@w:styleId='ListNumber']/w:pPr/w:numPr/w:numId", NS)
    abstract = numbering.find(
        f"w:num[@w:numId='{style_num.get(f'{{{W}}}val')}']/w:abstractNumId", NS
    ).get(f"{{{W}}}val")
    for num_id in set(num_ids.values()):
        found = numbering.find(f"w:num[@w:numId='{num_id}']/w:abstractNumId", NS)
        assert found.get(f"{{{W}}}val") == abstract


def test_header_and_footer_carry_marking_and_page_fields(blob: bytes) -> None:
    word = docx.Document(io.BytesIO(blob))
    section = word.sections[0]
    assert [(p.style.name, p.text) for p in section.header.paragraphs] == [
        ("Marking", "NATO RESTRICTED")
    ]
    footer = section.footer.paragraphs
    # One footer design in both formats: the text and page label, then the marking under them.
    assert footer[0].style.name == "Footer"
    assert footer[0].text == "Meeting with the Presidency of Bosnia and Herzegovina\tPage 1 of 1"
    assert (footer[1].style.name, footer[1].text) == ("Marking", "NATO RESTRICTED")
    footer_xml = part(blob, "word/footer1.xml")
    instructions = [text_of(i).strip() for i in footer_xml.iter(f"{{{W}}}instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]
    kinds = [c.get(f"{{{W}}}fldCharType") for c in footer_xml.iter(f"{{{W}}}fldChar")]
    assert kinds == ["begin", "separate", "end"] * 2
    # One right-aligned stop at the margin: a centre stop would catch a short footer's tab.
    styles = part(blob, "word/styles.xml")
    tabs = styles.findall("w:style[@w:styleId='Footer']/w:pPr/w:tabs/w:tab", NS)
    stops = [(t.get(f"{{{W}}}val"), int(t.get(f"{{{W}}}pos"))) for t in tabs]
    assert stops == [("right", text_width_of(part(blob, "word/document.xml")))]


def test_no_marking_means_no_header_and_no_marking_in_footer() -> None:
    word = docx.Document(io.BytesIO(write_docx(make_brief(marking=""), default_theme()).data))
    section = word.sections[0]
    assert section.header.is_linked_to_previous  # no header part at all
    assert [p.style.name for p in section.footer.paragraphs] == ["Footer"]


def test_core_properties_and_language(blob: bytes) -> None:
    props = docx.Document(io.BytesIO(blob)).core_properties
    assert props.title == "Meeting with the Presidency of Bosnia and Herzegovina"
    assert props.author == "Western Balkans Desk"
    assert props.subject == "Bilateral meeting"
    assert props.keywords == "Bosnia and Herzegovina, NATO"
    assert props.language == "en-GB"
    # Given a creation time (SOURCE_DATE_EPOCH, or here the caller), the DOCX states it.
    assert props.created is not None and props.created.timestamp() == CREATED
    assert props.modified == props.created
    assert props.last_modified_by == "briefgen"
    assert props.revision == 1
    assert props.comments == ""
    styles = part(blob, "word/styles.xml")
    lang = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(f"{{{W}}}val") == "en-GB"
    app = part(blob, "docProps/app.xml")
    assert "Microsoft" not in text_of(app)


@pytest.mark.parametrize(("size", "width"), [("A4", 11906), ("Letter", 12240)])
def test_page_size_and_margins(size: str, width: int) -> None:
    theme = Theme(page=PageSetup(size=size, margin_left=30, margin_top=20))  # type: ignore[arg-type]
    body = part(write_docx(make_brief(), theme).data, "word/document.xml")
    section = body.find("w:body/w:sectPr", NS)
    assert abs(int(section.find("w:pgSz", NS).get(f"{{{W}}}w")) - width) <= 1
    margins = section.find("w:pgMar", NS)
    assert int(margins.get(f"{{{W}}}left")) == round(30 * 1440 / 25.4)
    assert int(margins.get(f"{{{W}}}top")) == round(20 * 1440 / 25.4)
    assert body.find("w:body", NS)[-1] is section  # section properties stay last


def test_output_is_deterministic(blob: bytes) -> None:
    assert write_docx(make_brief(), default_theme()).data == blob
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        infos = z.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(2024, 12, 18, 0, 0, 0)}
    # Dates before 1980 cannot be stored in a zip: they clamp rather than fail.
    old = write_docx(make_brief(created=0), default_theme()).data
    with zipfile.ZipFile(io.BytesIO(old)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    assert old != blob


def test_no_unused_bulk_from_the_template(blob: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        names = set(z.namelist())
    assert not {"word/stylesWithEffects.xml", "docProps/thumbnail.jpeg"} & names
    styles = part(blob, "word/styles.xml")
    tables = {s.get(f"{{{W}}}styleId") for s in styles.iterfind("w:style[@w:type='table']", NS)}
    assert tables == {"TableNormal", "TableGrid", "BriefTable", "FieldTable"}


def test_unknown_block_fails_loudly() -> None:
    # Dispatch ends in assert_never: mypy flags a node a writer forgets, and at run time an
    # unknown node stops the build instead of vanishing from the file.
    bogus = replace(make_brief(), blocks=(object(),))  # type: ignore[arg-type]
    with pytest.raises(AssertionError, match="unreachable"):
        write_docx(bogus, default_theme())


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is required for the real-client test (LibreOffice, poppler-utils)")
    return path


def test_libreoffice_renders_it(blob: bytes, tmp_path: Path) -> None:
    soffice, pdftotext = _tool("soffice"), _tool("pdftotext")
    source = tmp_path / "brief.docx"
    source.write_bytes(blob)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = tmp_path / "brief.pdf"
    assert pdf.is_file()
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert "Željko Komšić" in text
    assert "Follow-up 60 with Željko Komšić" in text
    assert ADVERSARIAL in text
    assert "NATO RESTRICTED" in text
    pages = text.count("\f")
    assert pages >= 3 and f"Page 2 of {pages}" in text
    # The repeated header row: "Ref" heads the table on every page it spans.
    table_pages = [page for page in text.split("\f") if "Follow-up" in page]
    assert len(table_pages) >= 2 and all("Ref" in page for page in table_pages)
    assert "5. Line E" in " ".join(text.split())
