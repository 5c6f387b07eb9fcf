"""The DOCX writer's theme extras: header text and logo, marking colours, table styles."""

from __future__ import annotations

from pathlib import Path

from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.image.image import Image
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.parts.story import StoryPart
from docx.shared import Mm, Pt, RGBColor
from lxml.etree import SubElement

from briefgen.errors import ThemeError
from briefgen.theme import Theme

_STRIPE = "F2F2F2"  # a striped table's band when the theme sets no table_stripe (as the PDF)
HEADER_DOCPR_ID = 1024  # docPr ids must be unique across the body and the header
_ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "left"}


def _w(tag: str) -> str:
    return qn(f"w:{tag}")


def files_stamp(theme: Theme) -> tuple[object, ...]:
    """What on disk a cached reference depends on besides the theme's settings: its folder and
    the reference document's and logo's size and modification time."""
    stamp: list[object] = [theme.base_dir]
    for name in (theme.reference_docx, theme.logo.file if theme.logo else None):
        if name:
            try:
                info = theme.file_path(name).stat()
                stamp.append((name, info.st_mtime_ns, info.st_size))
            except FileNotFoundError:
                stamp.append((name, None))
    return tuple(stamp)


def add_theme_styles(doc: WordDocument, theme: Theme) -> None:
    """Styles the theme's extras need: "Marking Text" for the marking beside the header text,
    "Logo" for the title logo's paragraph; the Brief Table's rules; the header's position."""
    styles = doc.styles
    if "Marking Text" not in styles:
        marking = styles.add_style("Marking Text", WD_STYLE_TYPE.CHARACTER)
        role = theme.role("marking")
        marking.font.bold, marking.font.italic = role.bold, role.italic
        marking.font.size = Pt(role.size)
        marking.font.color.rgb = RGBColor.from_string(theme.marking_colour("")[1:])
    if "Logo" not in styles:
        logo = styles.add_style("Logo", WD_STYLE_TYPE.PARAGRAPH)
        logo.base_style = styles["Normal"]
        pf = logo.paragraph_format
        pf.space_before, pf.space_after, pf.keep_with_next = Pt(0), Pt(8), True
        pf.line_spacing = 1.0
        ppr = logo.element.get_or_add_pPr()
        ppr.append(OxmlElement("w:jc", {_w("val"): _ALIGN[theme.role("title").align]}))
    _table_style(doc, theme)
    if theme.logo is not None and theme.logo.placement != "title":
        # Centre the logo in the top margin, as in the PDF.
        _, height = theme.logo_size(_pixels(theme), header=True)
        doc.sections[0].header_distance = Mm(max((theme.page.margin_top - height) / 2, 3))


def _pixels(theme: Theme) -> tuple[int, int]:
    assert theme.logo is not None
    image = _image(theme.file_path(theme.logo.file))
    return image.px_width, image.px_height


def _image(path: Path) -> Image:
    try:
        image: Image = Image.from_file(str(path))
        return image
    except FileNotFoundError:
        raise ThemeError(f"logo {path} not found", hint="check logo.file in the theme") from None
    except Exception as exc:  # python-docx raises several kinds for a damaged or odd image
        raise ThemeError(
            f"logo {path} cannot be read as an image: {exc}", hint="save the logo as PNG (or JPEG)"
        ) from exc


def _table_style(doc: WordDocument, theme: Theme) -> None:
    """Brief Table is built as a grid; striped and minimal take rules and fills away."""
    if theme.table_style == "grid":
        return
    style = doc.styles.element.get_by_id("BriefTable")
    border = theme.colours.table_border[1:]
    borders = style.find(f"{_w('tblPr')}/{_w('tblBorders')}")
    for child in list(borders):
        borders.remove(child)
    for band in style.findall(f"{_w('tblStylePr')}[@{_w('type')}='band2Horz']"):
        style.remove(band)
    # Brief Table is based on Table Grid, whose rules it inherits side by side unless each
    # side is switched off here; schema order: top, left, bottom, right, insideH, insideV.
    kept = {"striped": {"bottom": 6}, "minimal": {"top": 8, "bottom": 8}}[theme.table_style]
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(
            _border(side, border, kept[side])
            if side in kept
            else OxmlElement(f"w:{side}", {_w("val"): "nil"})
        )
    if theme.table_style == "striped":
        stripe = (theme.colours.table_stripe or "#" + _STRIPE)[1:]
        style.append(
            parse_xml(
                f'<w:tblStylePr {nsdecls("w")} w:type="band2Horz"><w:tblPr/><w:tcPr>'
                f'<w:shd w:val="clear" w:color="auto" w:fill="{stripe}"/></w:tcPr></w:tblStylePr>'
            )
        )
        return
    first_row = style.find(f"{_w('tblStylePr')}[@{_w('type')}='firstRow']/{_w('tcPr')}")
    for child in list(first_row):
        first_row.remove(child)
    cell_borders = SubElement(first_row, _w("tcBorders"))
    cell_borders.append(_border("bottom", border, 5))


def _border(side: str, colour: str, eighths: int) -> BaseOxmlElement:
    return OxmlElement(
        f"w:{side}",
        {_w("val"): "single", _w("sz"): str(eighths), _w("space"): "0", _w("color"): colour},
    )


def has_header(theme: Theme) -> bool:
    """Whether the theme puts anything in the header besides the marking."""
    return bool(theme.header_text) or (theme.logo is not None and theme.logo.placement != "title")


def write_header(story: BaseOxmlElement, part: StoryPart, marking: str, theme: Theme) -> None:
    """The header: the marking alone in its paragraph style, or one Header line of logo and
    text at the left, the marking centred and a logo at the right (the style's tab stops)."""
    if not has_header(theme):
        _marking_run(_paragraph(story, "Marking"), marking, "", theme)
        return
    p = _paragraph(story, "Header")
    placement = theme.logo.placement if theme.logo else ""
    if placement == "header-left":
        _logo_run(p, part, theme, HEADER_DOCPR_ID)
        if theme.header_text:
            _text_run(p, " ")
    if theme.header_text:
        _text_run(p, theme.header_text)
    if marking:
        _tab(p)
        _marking_run(p, marking, "MarkingText", theme)
    if placement == "header-right":
        _tab(p)
        if not marking:
            _tab(p)
        _logo_run(p, part, theme, HEADER_DOCPR_ID)


def write_footer_marking(story: BaseOxmlElement, marking: str, theme: Theme) -> None:
    _marking_run(_paragraph(story, "Marking"), marking, "", theme)


def title_logo(body: BaseOxmlElement, part: StoryPart, theme: Theme) -> None:
    """The logo in its own paragraph above the title, when the theme places it there."""
    if theme.logo is not None and theme.logo.placement == "title":
        _logo_run(_paragraph(body, "Logo"), part, theme, None)


def _paragraph(parent: BaseOxmlElement, style_id: str) -> BaseOxmlElement:
    p: BaseOxmlElement = SubElement(parent, _w("p"))
    SubElement(SubElement(p, _w("pPr")), _w("pStyle"), {_w("val"): style_id})
    return p


def _text_run(p: BaseOxmlElement, text: str) -> BaseOxmlElement:
    r: BaseOxmlElement = SubElement(p, _w("r"))
    t = SubElement(r, _w("t"), {qn("xml:space"): "preserve"})
    t.text = text
    return r


def _tab(p: BaseOxmlElement) -> None:
    SubElement(SubElement(p, _w("r")), _w("tab"))


def _marking_run(p: BaseOxmlElement, marking: str, style_id: str, theme: Theme) -> None:
    """The marking's run; its level's colour is direct formatting, the one exception to named
    styles: levels are project settings, so no style per level can exist in the reference."""
    r: BaseOxmlElement = SubElement(p, _w("r"))
    colour = theme.level_colour(marking)
    if style_id or colour:
        rpr = SubElement(r, _w("rPr"))
        if style_id:
            SubElement(rpr, _w("rStyle"), {_w("val"): style_id})
        if colour:
            SubElement(rpr, _w("color"), {_w("val"): colour[1:]})
    SubElement(r, _w("t"), {qn("xml:space"): "preserve"}).text = marking


def _logo_run(p: BaseOxmlElement, part: StoryPart, theme: Theme, docpr_id: int | None) -> None:
    logo = theme.logo
    assert logo is not None
    path = theme.file_path(logo.file)
    image = _image(path)
    width, height = theme.logo_size(
        (image.px_width, image.px_height), header=logo.placement != "title"
    )
    inline = part.new_pic_inline(str(path), Mm(width), Mm(height))
    # Screen readers read descr; Word shows it as the picture's alt text.
    inline.docPr.set("descr", logo.alt)
    if docpr_id is not None:
        inline.docPr.set("id", str(docpr_id))
    for nv in inline.iter(qn("pic:cNvPr")):
        nv.set("descr", logo.alt)
    SubElement(SubElement(p, _w("r")), _w("drawing")).append(inline)
