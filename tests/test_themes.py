"""Themes: validation at the YAML line, marking colours per level, logos with alt text, table
styles, header text, confined file paths, reference documents, and both shipped themes."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import textwrap
import zipfile
from pathlib import Path
from typing import Any

import docx
import pikepdf
import pytest
from docx.shared import Inches, Pt, RGBColor
from lxml import etree
from PIL import Image
from pypdf import PdfReader

from briefgen.config import AudienceSettings, ProjectConfig
from briefgen.document import (
    BulletList,
    Document,
    DocumentInfo,
    Heading,
    ListItem,
    NumberedList,
    Paragraph,
    Table,
    Text,
    TitleBlock,
    TitleField,
)
from briefgen.errors import ThemeError, ValidationError
from briefgen.pipeline import Project, render_document
from briefgen.resources import load_theme, template_folders
from briefgen.theme import Theme
from briefgen.validation import load_meeting
from briefgen.writers.docx import write_docx
from briefgen.writers.pdf import write_pdf
from briefgen.writers.pdf.theme import table_commands
from tests.conftest import INPUTS

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
}
LEVEL_COLOURS = {
    "PUBLIC": "#2E7D32",
    "INTERNAL": "#455A64",
    "RESTRICTED": "#B45F06",
    "CONFIDENTIAL": "#C00000",
}  # templates/themes/default.yaml
ALT = "Ministry of Examples — crest"


def brief(marking: str = "RESTRICTED") -> Document:
    item = ListItem((Paragraph((Text("An item"),)),))
    return Document(
        DocumentInfo(title="Theme test brief", marking=marking, created=1734480000),
        (
            TitleBlock(
                (Text("Theme test brief"),),
                (Text("Staff brief"),),
                (TitleField("Date", (Text("18 December 2024"),)),),
            ),
            Heading(1, (Text("Purpose"),)),
            Paragraph((Text("Body text."),)),
            BulletList((item,)),
            NumberedList((item,)),
            Table(
                ((Text("Name"),), (Text("Role"),)),
                (((Text("Ana"),), (Text("Chair"),)), ((Text("Bo"),), (Text("Member"),))),
            ),
        ),
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A user template folder with a themes/ subfolder and a small logo in it."""
    (tmp_path / "templates" / "themes").mkdir(parents=True)
    Image.new("RGB", (40, 20), (200, 30, 30)).save(tmp_path / "templates" / "themes" / "logo.png")
    return tmp_path / "templates"


def theme_file(folder: Path, text: str, name: str = "t") -> Path:
    path = folder / "themes" / f"{name}.yaml"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def load(folder: Path, text: str, input_dir: Path | None = None) -> Theme:
    theme_file(folder, text)
    return load_theme("t", template_folders([folder]), input_dir)


def part(blob: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(blob)) as package:
        return etree.fromstring(package.read(name))


def rgb(colour: str) -> tuple[float, ...]:
    return tuple(round(int(colour[i : i + 2], 16) / 255, 3) for i in (1, 3, 5))


def coloured_text(pdf: bytes) -> list[tuple[str, tuple[float, ...] | None]]:
    """Every text piece on every page with the fill colour (rg) in force when it was shown."""
    out: list[tuple[str, tuple[float, ...] | None]] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        state: dict[str, Any] = {"fill": None}

        def operator(op: bytes, args: list[Any], *_: Any, state: dict[str, Any] = state) -> None:
            if op == b"rg":
                state["fill"] = tuple(round(float(a), 3) for a in args)

        def text(chunk: str, *_: Any, state: dict[str, Any] = state) -> None:
            if chunk.strip():
                out.append((chunk.strip(), state["fill"]))

        page.extract_text(visitor_operand_before=operator, visitor_text=text)
    return out


def content(pdf: bytes, page: int = 0) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[page].get_contents().get_data().decode("latin-1")


# --- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        (
            "colours:\n  markings:\n    PUBLIC: '#00AA00'\n    RESTRICTED: amber\n",
            4,
            17,
            "colours.markings.RESTRICTED: Value error, colour 'amber'",
        ),
        ("table_style: zebra\n", 1, 14, "table_style"),
        ("logo:\n  file: logo.png\n  alt: Crest\n  placement: footer\n", 4, 14, "logo.placement"),
        ("description: x\nlogo:\n  file: logo.png\n", 2, 1, "required field `alt`"),
        ("logo: {file: logo.png, alt: '  '}\n", 1, 29, "alt must describe"),
        ("logo: {file: logo.png, alt: Crest, width_mm: 0}\n", 1, 46, "logo.width_mm"),
    ],
)
def test_bad_values_are_reported_at_their_line(
    folder: Path, text: str, line: int, column: int, words: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        load(folder, text)
    where = caught.value.diagnostics[0].location
    assert where is not None and where.file.endswith("t.yaml")
    assert (where.line, where.column) == (line, column)
    assert words.replace("Value error, ", "") in caught.value.diagnostics[0].message


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("description: x\nlogo: {file: missing.png, alt: Crest}\n", 2, "file not found"),
        ("description: x\nlogo: {file: t.yaml, alt: Crest}\n", 2, "not a PNG or JPEG"),
        ("description: x\n\nreference_docx: logo.png\n", 3, "not a Word (.docx) file"),
        (
            "fonts:\n  family: Liberation Sans\n  bold: NoSuchFont.ttf\n",
            3,
            "no bundled font 'NoSuchFont.ttf'",
        ),
    ],
)
def test_bad_files_are_theme_errors_at_their_line(
    folder: Path, text: str, line: int, words: str
) -> None:
    with pytest.raises(ThemeError) as caught:
        load(folder, text)
    assert caught.value.location is not None
    assert caught.value.location.file.endswith("t.yaml")
    assert caught.value.location.line == line
    assert words in caught.value.message


# --- confinement -----------------------------------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    secret = tmp_path / "elsewhere" / "secret.png"
    secret.parent.mkdir()
    Image.new("RGB", (8, 8)).save(secret)
    return secret


@pytest.mark.parametrize("key", ["logo", "reference_docx", "font"])
@pytest.mark.parametrize("how", ["dotdot", "absolute", "symlink"])
def test_paths_outside_the_template_folders_are_refused(
    folder: Path, outside: Path, key: str, how: str
) -> None:
    name = {
        "dotdot": "../../elsewhere/secret.png",
        "absolute": str(outside),
        "symlink": "link.png",
    }[how]
    if how == "symlink":
        (folder / "themes" / "link.png").symlink_to(outside)
    text = {
        "logo": f"description: x\nlogo: {{file: '{name}', alt: Crest}}\n",
        "reference_docx": f"description: x\nreference_docx: '{name}'\n",
        "font": f"description: x\nfonts: {{regular: '{name}'}}\n",
    }[key]
    with pytest.raises(ThemeError) as caught:
        load(folder, text)
    assert "outside the template folders" in caught.value.message
    assert caught.value.location is not None and caught.value.location.line == 2
    assert caught.value.location.file == str(folder / "themes" / "t.yaml")


def test_the_input_folder_and_other_template_folders_are_allowed(
    folder: Path, outside: Path
) -> None:
    text = "logo: {file: '../../elsewhere/secret.png', alt: Crest}\n"
    theme = load(folder, text, input_dir=outside.parent)
    assert theme.file_path(theme.logo.file) == outside.resolve()  # type: ignore[union-attr]
    # Inside the theme's own template folder, one level up from themes/, is fine too.
    shutil.copy(outside, folder / "crest.png")
    assert load(folder, "logo: {file: ../crest.png, alt: Crest}\n").logo is not None


def test_writers_recheck_the_confinement(folder: Path, outside: Path) -> None:
    theme = load(folder, "logo: {file: logo.png, alt: Crest}\n")
    moved = theme.model_copy(
        update={
            "logo": theme.logo.model_copy(  # type: ignore[union-attr]
                update={"file": str(outside)}
            )
        }
    )
    for write in (write_pdf, write_docx):
        with pytest.raises(ThemeError, match="outside the template folders"):
            write(brief(), moved)


# --- marking colours -------------------------------------------------------------------------


@pytest.mark.parametrize("level", list(LEVEL_COLOURS))
def test_pdf_marking_is_drawn_in_its_levels_colour(level: str) -> None:
    theme = load_theme("default", template_folders())
    pieces = coloured_text(write_pdf(brief(level), theme).data)
    markings = [fill for text, fill in pieces if text == level]
    assert len(markings) == 2  # header and footer
    assert set(markings) == {rgb(LEVEL_COLOURS[level])}


def test_pdf_marking_level_matches_in_any_case_and_falls_back() -> None:
    theme = Theme(colours={"marking": "#123456", "markings": {"restricted": "#00AA00"}})
    pieces = dict(coloured_text(write_pdf(brief("RESTRICTED"), theme).data))
    assert pieces["RESTRICTED"] == rgb("#00AA00")
    pieces = dict(coloured_text(write_pdf(brief("SECRET"), theme).data))
    assert pieces["SECRET"] == rgb("#123456")


@pytest.mark.parametrize("level", list(LEVEL_COLOURS))
def test_docx_marking_runs_carry_their_levels_colour(level: str) -> None:
    blob = write_docx(brief(level), load_theme("default", template_folders())).data
    for name in ("word/header1.xml", "word/footer1.xml"):
        runs = [r for r in part(blob, name).iter(f"{{{W}}}r") if "".join(r.itertext()) == level]
        assert len(runs) == 1, name
        colour = runs[0].find("w:rPr/w:color", NS)
        assert colour is not None and colour.get(f"{{{W}}}val") == LEVEL_COLOURS[level][1:]


# --- header text and logo --------------------------------------------------------------------


@pytest.mark.parametrize("placement", ["header-left", "header-right", "title"])
def test_logo_with_alt_text_in_both_formats(folder: Path, placement: str) -> None:
    theme = load(
        folder,
        f"""
        header_text: Ministry of Examples
        logo: {{file: logo.png, alt: "{ALT}", placement: {placement}, width_mm: 20}}
    """,
    )
    pdf = write_pdf(brief(), theme).data
    reader = PdfReader(io.BytesIO(pdf))
    images = [
        o
        for o in reader.pages[0]["/Resources"]["/XObject"].values()
        if o.get_object()["/Subtype"] == "/Image"
    ]
    assert len(images) == 1
    if placement == "title":  # a Figure with the alt text; the image drawn as its content
        with pikepdf.open(io.BytesIO(pdf)) as tagged:
            figures = [
                e
                for e in tagged.objects
                if isinstance(e, pikepdf.Dictionary) and e.get("/S") == "/Figure"
            ]
            assert [str(f.Alt) for f in figures] == [ALT]
            kids = figures[0].K
            mcid = int(kids[0] if isinstance(kids, pikepdf.Array) else kids)
        assert re.search(rf"/Figure <</MCID {mcid}>> BDC\s[^E]*?/\S+ Do\s", content(pdf))
    else:  # in the running header the logo is a pagination artifact, as the header text is
        assert re.search(
            r"/Artifact <</Type /Pagination /Subtype /Header>> BDC\s[^E]*?/\S+ Do\s", content(pdf)
        )
    words = reader.pages[0].extract_text()
    assert "Ministry of Examples" in words

    blob = write_docx(brief(), theme).data
    story = "word/document.xml" if placement == "title" else "word/header1.xml"
    doc_prs = part(blob, story).findall(".//wp:docPr", NS)
    assert [d.get("descr") for d in doc_prs] == [ALT]
    assert [p.get("descr") for p in part(blob, story).findall(".//pic:cNvPr", NS)] == [ALT]
    with zipfile.ZipFile(io.BytesIO(blob)) as package:
        assert [n for n in package.namelist() if n.startswith("word/media/")] == [
            "word/media/image1.png"
        ]
    header = docx.Document(io.BytesIO(blob)).sections[0].header.paragraphs
    assert "Ministry of Examples" in header[0].text and "RESTRICTED" in header[0].text


def test_output_does_not_depend_on_where_the_theme_is(folder: Path, tmp_path: Path) -> None:
    text = f"logo: {{file: logo.png, alt: '{ALT}'}}\n"
    first = load(folder, text)
    moved = shutil.copytree(folder, tmp_path / "elsewhere" / "templates")
    second = load(moved, text)
    assert first.base_dir != second.base_dir
    for write in (write_pdf, write_docx):
        assert write(brief(), first).data == write(brief(), second).data


def test_logo_in_the_header_is_scaled_to_fit_the_top_margin(folder: Path) -> None:
    Image.new("RGB", (20, 200)).save(folder / "themes" / "tall.png")
    theme = load(folder, "logo: {file: tall.png, alt: Tall, width_mm: 30}\n")
    width, height = theme.logo_size((20, 200), header=True)
    assert height == pytest.approx(theme.page.margin_top * 0.45)
    assert width == pytest.approx(height / 10)
    extent = part(write_docx(brief(), theme).data, "word/header1.xml").find(".//wp:extent", NS)
    assert int(extent.get("cy")) == pytest.approx(height * 36000, abs=1)


def test_header_text_without_marking_or_logo(folder: Path) -> None:
    theme = load(folder, "header_text: Ministry of Examples\n")
    blob = write_docx(brief(marking=""), theme).data
    header = docx.Document(io.BytesIO(blob)).sections[0].header.paragraphs
    assert [(p.style.name, p.text) for p in header] == [("Header", "Ministry of Examples")]
    assert (
        "Ministry of Examples"
        in PdfReader(io.BytesIO(write_pdf(brief(""), theme).data)).pages[0].extract_text()
    )


# --- table styles ----------------------------------------------------------------------------


def _brief_table(theme: Theme) -> etree._Element:
    styles = part(write_docx(brief(), theme).data, "word/styles.xml")
    return styles.find("w:style[@w:styleId='BriefTable']", NS)


def test_table_styles_in_docx() -> None:
    def sides(style: etree._Element) -> dict[str, str]:
        return {
            etree.QName(b).localname: b.get(f"{{{W}}}val")
            for b in style.find("w:tblPr/w:tblBorders", NS)
        }

    grid = _brief_table(Theme(table_style="grid"))
    assert set(sides(grid).values()) == {"single"}
    striped = _brief_table(Theme(table_style="striped", colours={"table_stripe": "#ABCDEF"}))
    assert sides(striped) == {
        "top": "nil",
        "left": "nil",
        "bottom": "single",
        "right": "nil",
        "insideH": "nil",
        "insideV": "nil",
    }
    band = striped.find("w:tblStylePr[@w:type='band2Horz']/w:tcPr/w:shd", NS)
    assert band.get(f"{{{W}}}fill") == "ABCDEF"
    minimal = _brief_table(Theme(table_style="minimal"))
    assert sides(minimal) == {
        "top": "single",
        "left": "nil",
        "bottom": "single",
        "right": "nil",
        "insideH": "nil",
        "insideV": "nil",
    }
    assert minimal.find(".//w:shd", NS) is None  # no fills at all
    # Header text would be white on white: it takes the heading colour instead.
    styles = part(write_docx(brief(), Theme(table_style="minimal")).data, "word/styles.xml")
    colour = styles.find("w:style[@w:styleId='TableHeader']/w:rPr/w:color", NS)
    assert colour.get(f"{{{W}}}val") == Theme().colours.heading[1:]


def test_table_styles_in_pdf() -> None:
    def ops(style: str) -> set[str]:
        return {c[0] for c in table_commands(Theme(table_style=style))}

    assert ops("grid") == {"BACKGROUND", "GRID", "ROWBACKGROUNDS"}
    assert ops("striped") == {"BACKGROUND", "ROWBACKGROUNDS", "LINEBELOW"}
    assert ops("minimal") == {"LINEABOVE", "LINEBELOW"}
    # The minimal table's header is drawn in the heading colour on no fill.
    fills = {"table_header_background": "#ABCDEF", "table_stripe": "#FEDCBA"}

    def colours_used(style: str) -> set[tuple[float, ...]]:
        pdf = write_pdf(brief(), Theme(table_style=style, colours=fills)).data
        return {
            tuple(round(float(x), 3) for x in m.groups())
            for m in re.finditer(r"([\d.]+) ([\d.]+) ([\d.]+) rg", content(pdf))
        }

    assert {rgb("#ABCDEF"), rgb("#FEDCBA")} <= colours_used("grid")
    assert not {rgb("#ABCDEF"), rgb("#FEDCBA")} & colours_used("minimal")
    pieces = dict(coloured_text(write_pdf(brief(), Theme(table_style="minimal")).data))
    assert pieces["Name"] == rgb(Theme().colours.heading)


# --- reference documents ---------------------------------------------------------------------


def make_reference(
    path: Path, colour: str = "00AA55", localise: bool = False, drop_lists: bool = False
) -> None:
    """A reference document as an organisation might have it: Georgia headings in green,
    US Letter with 1.5" margins; optionally with German style ids or without list styles."""
    ref = docx.Document()
    heading = ref.styles["Heading 1"]
    heading.font.name, heading.font.size = "Georgia", Pt(19)
    heading.font.color.rgb = RGBColor.from_string(colour)
    section = ref.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left", "right", "top", "bottom"):
        setattr(section, f"{side}_margin", Inches(1.5))
    ref.add_paragraph("Content of the reference that must not reach a brief.")
    styles = ref.styles.element
    if localise:  # German Word: ids are localised, names are not
        for style in styles.findall("w:style", NS):
            if style.get(f"{{{W}}}styleId") == "Heading1":
                style.set(f"{{{W}}}styleId", "berschrift1")
            for ref_el in style.findall("w:basedOn", NS) + style.findall("w:next", NS):
                if ref_el.get(f"{{{W}}}val") == "Heading1":
                    ref_el.set(f"{{{W}}}val", "berschrift1")
    if drop_lists:
        for style in styles.findall("w:style", NS):
            if style.get(f"{{{W}}}styleId", "").startswith(("ListNumber", "ListBullet")):
                styles.remove(style)
    ref.save(str(path))


def reference_theme(folder: Path, extra: str = "") -> Theme:
    return load(folder, "reference_docx: ref.docx\n" + textwrap.dedent(extra))


def _style(blob: bytes, style_id: str) -> etree._Element:
    found = part(blob, "word/styles.xml").find(f"w:style[@w:styleId='{style_id}']", NS)
    assert found is not None, style_id
    return found


@pytest.mark.parametrize("variant", ["plain", "localised", "without-lists"])
def test_reference_docx_styles_and_page_are_used(
    folder: Path, tmp_path: Path, variant: str
) -> None:
    make_reference(
        folder / "themes" / "ref.docx",
        localise=variant == "localised",
        drop_lists=variant == "without-lists",
    )
    blob = write_docx(brief(), reference_theme(folder)).data
    heading = _style(blob, "Heading1")
    assert heading.find("w:rPr/w:color", NS).get(f"{{{W}}}val") == "00AA55"
    assert heading.find("w:rPr/w:rFonts", NS).get(f"{{{W}}}ascii") == "Georgia"
    assert heading.find("w:rPr/w:sz", NS).get(f"{{{W}}}val") == "38"
    body = part(blob, "word/document.xml")
    size = body.find(".//w:sectPr/w:pgSz", NS)
    assert (size.get(f"{{{W}}}w"), size.get(f"{{{W}}}h")) == ("12240", "15840")
    assert body.find(".//w:sectPr/w:pgMar", NS).get(f"{{{W}}}left") == "2160"
    text = "".join(body.itertext())
    assert "Content of the reference" not in text and "Body text." in text
    word = docx.Document(io.BytesIO(blob))
    used = {p.style.name for p in word.paragraphs}
    assert {"Title", "Heading 1", "Field Label", "List Bullet", "List Number"} <= {
        *used,
        *(p.style.name for t in word.tables for c in t._cells for p in c.paragraphs),
    }
    # Briefgen's own styles were added; the list styles number through numbering.xml.
    for style_id in ("FieldLabel", "TableHeader", "Marking", "BriefTable", "ListNumber"):
        _style(blob, style_id)
    num = _style(blob, "ListNumber").find("w:pPr/w:numPr/w:numId", NS).get(f"{{{W}}}val")
    assert part(blob, "word/numbering.xml").find(f"w:num[@w:numId='{num}']", NS) is not None
    # Table widths follow the reference's text width (6160 twips wide at 1.5" margins... 8.5-3).
    grid = body.findall(".//w:tbl", NS)[-1].findall("w:tblGrid/w:gridCol", NS)
    assert sum(int(c.get(f"{{{W}}}w")) for c in grid) == 12240 - 2 * 2160


def test_theme_settings_given_explicitly_override_the_reference(folder: Path) -> None:
    make_reference(folder / "themes" / "ref.docx")
    theme = reference_theme(
        folder,
        """
        page: {margin_left: 20}
        roles:
          heading-1: {colour: "#112233"}
    """,
    )
    blob = write_docx(brief(), theme).data
    heading = _style(blob, "Heading1")
    assert heading.find("w:rPr/w:color", NS).get(f"{{{W}}}val") == "112233"
    assert heading.find("w:rPr/w:rFonts", NS).get(f"{{{W}}}ascii") == "Georgia"  # kept
    margins = part(blob, "word/document.xml").find(".//w:sectPr/w:pgMar", NS)
    assert margins.get(f"{{{W}}}left") == str(round(20 / 25.4 * 1440))
    assert margins.get(f"{{{W}}}right") == "2160"  # not given: the reference's


def test_a_changed_reference_is_read_again(folder: Path) -> None:
    path = folder / "themes" / "ref.docx"
    make_reference(path, colour="00AA55")
    theme = reference_theme(folder)
    write_docx(brief(), theme)
    make_reference(path, colour="AA0055")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    colour = _style(write_docx(brief(), theme).data, "Heading1").find("w:rPr/w:color", NS)
    assert colour.get(f"{{{W}}}val") == "AA0055"


def test_a_broken_reference_is_a_theme_error(folder: Path) -> None:
    with zipfile.ZipFile(folder / "themes" / "ref.docx", "w") as package:
        package.writestr("hello.txt", "not a Word document")
    with pytest.raises(ThemeError, match="cannot be opened as a Word document"):
        write_docx(brief(), reference_theme(folder))


def test_libreoffice_opens_a_brief_made_from_a_reference(folder: Path, tmp_path: Path) -> None:
    make_reference(folder / "themes" / "ref.docx", localise=True, drop_lists=True)
    source = tmp_path / "brief.docx"
    source.write_bytes(write_docx(brief(), reference_theme(folder)).data)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    text = PdfReader(tmp_path / "brief.pdf").pages[0].extract_text()
    assert "Theme test brief" in text and "Purpose" in text and "RESTRICTED" in text


def test_a_reference_written_by_libreoffice(folder: Path, tmp_path: Path) -> None:
    # Another producer's quirks: no numbering part, header and footer at distance 0, and core
    # properties under a relationship type python-docx does not know.
    (tmp_path / "ref.txt").write_text("Reference content\n", encoding="utf-8")
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "docx",
            "--outdir",
            str(folder / "themes"),
            str(tmp_path / "ref.txt"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    blob = write_docx(brief(), reference_theme(folder)).data  # a duplicate zip entry would warn
    with zipfile.ZipFile(io.BytesIO(blob)) as package:
        names = package.namelist()
    assert names.count("docProps/core.xml") == 1
    assert [n for n in names if n.startswith("word/numbering")] == ["word/numbering1.xml"]
    margins = part(blob, "word/document.xml").find(".//w:sectPr/w:pgMar", NS)
    assert int(margins.get(f"{{{W}}}header")) > 0 and int(margins.get(f"{{{W}}}footer")) > 0
    word = docx.Document(io.BytesIO(blob))
    assert word.core_properties.title == "Theme test brief"
    assert [p.style.name for p in word.paragraphs][:2] == ["Title", "Subtitle"]


# --- the shipped themes ----------------------------------------------------------------------


@pytest.mark.parametrize("theme_name", ["default", "formal"])
@pytest.mark.parametrize("path", INPUTS, ids=[p.stem for p in INPUTS])
def test_shipped_themes_build_every_input(theme_name: str, path: Path, tmp_path: Path) -> None:
    config = ProjectConfig(audiences={"staff": AudienceSettings(theme=theme_name)})
    project = Project(config, input_dir=path.parent)
    meeting, _ = load_meeting(path, levels=config.levels)
    audience = project.audience("staff")
    document = render_document(meeting, audience, project)
    theme = project.theme(audience)
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(write_pdf(document, theme).data)
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    family = {"default": "LiberationSans", "formal": "LiberationSerif"}[theme_name]
    assert family in fonts
    width = float(PdfReader(pdf).pages[0].mediabox.width)
    assert round(width) == 595  # both shipped themes are A4 (the formal one was Letter)
    word = docx.Document(io.BytesIO(write_docx(document, theme).data))
    assert word.paragraphs[0].style.name == "Title"
