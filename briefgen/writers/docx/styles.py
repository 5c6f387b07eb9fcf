"""The DOCX reference document: python-docx's default template restyled from a theme."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import partial

import docx
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Emu, Mm, Pt, RGBColor, Twips

from briefgen.cache import Cache, cached
from briefgen.theme import Theme
from briefgen.writers.docx import prebuilt
from briefgen.writers.docx.reference import adopt_reference
from briefgen.writers.docx.roles import ALIGN, BUILTIN_ROLES, CUSTOM_ROLES
from briefgen.writers.docx.theme import add_theme_styles, files_stamp

CELL_PADDING = 100  # twips left and right in a Brief Table cell: the PDF's 5 pt
LIST_DEPTH = 3  # the template defines List Bullet/Number/Continue 1-3; deeper lists clamp
_BULLETS = ("\u2022", "\u2013", "\u25e6")  # same glyphs by depth as the PDF writer
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-'
    b'properties"><Application>briefgen</Application></Properties>'
)


@dataclass(frozen=True)
class Reference:
    """A themed reference document, saved; each write reopens it (cheaper than restyling)."""

    blob: bytes
    text_width: int  # twips between the margins
    number_abstracts: tuple[int, ...]  # abstractNumId behind List Number, List Number 2, ...


def reference(theme: Theme, cache: Cache | None = None) -> Reference:
    """The theme's reference document, built once per theme and state of its files (in
    `cache`, a Project's), or afresh without a cache."""
    key = ("docx-reference", theme.model_dump_json(), files_stamp(theme))
    return cached(cache, key, partial(_shipped_or_built, theme))


def _shipped_or_built(theme: Theme) -> Reference:
    shipped = prebuilt.load(theme)  # a built-in theme's, made ahead by the same code
    return Reference(*shipped) if shipped else build_reference(theme)


def build_reference(theme: Theme) -> Reference:
    doc = docx.Document()
    _prune(doc)
    text_width = _page_setup(doc, theme)
    _restyle(doc, theme, text_width)
    add_theme_styles(doc, theme)
    if theme.reference_docx:  # the organisation's document, gaps filled from the one above
        doc, text_width = adopt_reference(theme, doc)
    buf = io.BytesIO()
    doc.save(buf)
    return Reference(buf.getvalue(), text_width, _number_abstracts(doc))


def _prune(doc: WordDocument) -> None:
    """Drop what only bloats or misleads: the 100 unused table styles (85 % of styles.xml and
    most of the parse time; Word re-creates built-ins on demand), the Word 2010 duplicate
    stylesWithEffects, a bibliography part, the thumbnail, and app.xml naming Mac Word."""
    for rId, rel in list(doc.part.rels.items()):
        if rel.reltype in (_STYLES_WITH_EFFECTS, RT.CUSTOM_XML):
            doc.part.drop_rel(rId)
    package = doc.part.package
    for rId, rel in list(package.rels.items()):
        if rel.reltype in (RT.THUMBNAIL, RT.EXTENDED_PROPERTIES):
            del package.rels[rId]
    app = Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, _APP_XML, package)
    package.relate_to(app, RT.EXTENDED_PROPERTIES)
    styles = doc.styles.element
    for style in styles.findall(qn("w:style")):
        kept = style.get(qn("w:styleId")) == "TableGrid" or style.get(qn("w:default")) == "1"
        if style.get(qn("w:type")) == "table" and not kept:
            styles.remove(style)
    # Theme font references (Calibri/Cambria) would override the font set below.
    for fonts in styles.iter(qn("w:rFonts")):
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{attr}"), None)


def _page_setup(doc: WordDocument, theme: Theme) -> int:
    page = theme.page
    section = doc.sections[0]
    width, height = page.size_mm
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin, section.bottom_margin = Mm(page.margin_top), Mm(page.margin_bottom)
    section.left_margin, section.right_margin = Mm(page.margin_left), Mm(page.margin_right)
    # Marking and footer sit midway in the margins, as in the PDF.
    section.header_distance = Mm(max(page.margin_top / 2 - 2, 3))
    section.footer_distance = Mm(max(page.margin_bottom / 3, 3))
    return int(Emu(section.page_width - section.left_margin - section.right_margin).twips)


def _colour(theme: Theme, role: str) -> str:
    return theme.role_colour(role)[1:]


def _run_properties(theme: Theme, role: str) -> BaseOxmlElement:
    """A complete rPr for a role, in schema order; complex-script twins (bCs, szCs) matter for
    Arabic or Hebrew names, and all four rFonts slots stop Word substituting per script."""
    r = theme.role(role)
    name = theme.docx_font_name
    rpr = OxmlElement("w:rPr")
    rpr.append(
        OxmlElement(
            "w:rFonts", {qn(f"w:{slot}"): name for slot in ("ascii", "hAnsi", "eastAsia", "cs")}
        )
    )
    for tag, on in (("b", r.bold), ("bCs", r.bold), ("i", r.italic), ("iCs", r.italic)):
        rpr.append(OxmlElement(f"w:{tag}", None if on else {qn("w:val"): "0"}))
    rpr.append(OxmlElement("w:color", {qn("w:val"): _colour(theme, role)}))
    half_points = str(round(r.size * 2))
    rpr.append(OxmlElement("w:sz", {qn("w:val"): half_points}))
    rpr.append(OxmlElement("w:szCs", {qn("w:val"): half_points}))
    return rpr


def _replace_run_properties(style: BaseOxmlElement, rpr: BaseOxmlElement) -> None:
    old = style.find(qn("w:rPr"))
    if old is not None:
        style.remove(old)
    style.insert_element_before(rpr, "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr")


def _border(side: str, colour: str, eighths: int = 4, space: int = 0) -> BaseOxmlElement:
    return OxmlElement(
        f"w:{side}",
        {
            qn("w:val"): "single",
            qn("w:sz"): str(eighths),
            qn("w:space"): str(space),
            qn("w:color"): colour,
        },
    )


def _restyle(doc: WordDocument, theme: Theme, text_width: int) -> None:
    styles = doc.styles
    for name in CUSTOM_ROLES:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.quick_style = True
    for name, role in {**BUILTIN_ROLES, **CUSTOM_ROLES}.items():
        style = styles[name]
        element = style.element
        _replace_run_properties(element, _run_properties(theme, role))
        # Word applies the linked "… Char" style when a paragraph style meets part of a
        # paragraph; left alone it would keep the template's Cambria blue.
        link = element.find(qn("w:link"))
        if link is not None:
            linked = styles.element.get_by_id(link.get(qn("w:val")))
            if linked is not None:
                _replace_run_properties(linked, _run_properties(theme, role))
        r = theme.role(role)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(r.space_before), Pt(r.space_after)
        fmt.alignment = ALIGN[r.align]
        # "At least" keeps the PDF's leading yet never clips if someone enlarges the font.
        fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        fmt.line_spacing = Pt(r.size * r.leading)
        ppr = element.get_or_add_pPr()
        # Subtitle's stray numPr and Title's accent border come from the template; list styles'
        # contextualSpacing would drop the space between items that the PDF keeps.
        for tag in ("w:pBdr", "w:contextualSpacing") + (() if "List" in name else ("w:numPr",)):
            for child in ppr.findall(qn(tag)):
                ppr.remove(child)
    # The template's stops are for Letter with 1" margins. The footer line is "text<tab>page
    # label": a centre stop would catch the tab whenever the text is short.
    for name in ("Header", "Footer"):
        tabs = styles[name].paragraph_format.tab_stops
        tabs.clear_all()
        if name == "Header":
            tabs.add_tab_stop(Twips(text_width // 2), WD_TAB_ALIGNMENT.CENTER)
        tabs.add_tab_stop(Twips(text_width), WD_TAB_ALIGNMENT.RIGHT)
    # Heading 1 carries a rule under it, as in the PDF.
    bdr = OxmlElement("w:pBdr")
    bdr.append(_border("bottom", theme.colours.rule[1:], eighths=5, space=1))
    styles["Heading 1"].element.get_or_add_pPr().insert_element_before(
        bdr, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:outlineLvl"
    )
    _defaults(doc, theme)
    _add_character_and_table_styles(doc, theme)
    _timeline_styles(doc, theme)
    _bullets(doc, theme)


def _defaults(doc: WordDocument, theme: Theme) -> None:
    """Document defaults reach everything no style names (e.g. a style a user adds later)."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    for child in rpr.findall(qn("w:rFonts")) + rpr.findall(qn("w:sz")) + rpr.findall(qn("w:szCs")):
        rpr.remove(child)
    themed = _run_properties(theme, "body")
    rpr.insert(0, themed.find(qn("w:rFonts")))
    lang = rpr.find(qn("w:lang"))
    lang.addprevious(themed.find(qn("w:sz")))
    lang.addprevious(themed.find(qn("w:szCs")))
    spacing = defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}/{qn('w:spacing')}")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")


def _add_character_and_table_styles(doc: WordDocument, theme: Theme) -> None:
    c = theme.colours
    link = doc.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER, builtin=True)
    link.base_style = doc.styles["Default Paragraph Font"]
    link.font.color.rgb = RGBColor.from_string(c.link[1:])
    link.font.underline = True
    link.unhide_when_used = True
    link.priority = 99
    border = c.table_border[1:]
    sides = "".join(
        f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="{border}"/>'
        for s in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    stripe = (
        ""
        if c.table_stripe is None
        else (
            '<w:tblStylePr w:type="band2Horz"><w:tblPr/><w:tcPr>'
            f'<w:shd w:val="clear" w:color="auto" w:fill="{c.table_stripe[1:]}"/>'
            "</w:tcPr></w:tblStylePr>"
        )
    )
    # Padding as in the PDF: 5 pt left/right, 3 pt top, 4 pt bottom.
    brief_table = parse_xml(
        f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="BriefTable">'
        '<w:name w:val="Brief Table"/><w:basedOn w:val="TableGrid"/><w:uiPriority w:val="59"/>'
        '<w:qFormat/><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr>'
        '<w:tblPr><w:tblStyleRowBandSize w:val="1"/>'
        f"<w:tblBorders>{sides}</w:tblBorders>"
        '<w:tblCellMar><w:top w:w="60" w:type="dxa"/>'
        f'<w:left w:w="{CELL_PADDING}" w:type="dxa"/><w:bottom w:w="80" w:type="dxa"/>'
        f'<w:right w:w="{CELL_PADDING}" w:type="dxa"/></w:tblCellMar>'
        '</w:tblPr><w:tblStylePr w:type="firstRow"><w:tblPr/>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{c.table_header_background[1:]}"/>'
        f"</w:tcPr></w:tblStylePr>{stripe}</w:style>"
    )
    # The title block's labelled fields: no grid, a rule below like the PDF's.
    field_table = parse_xml(
        f'<w:style {nsdecls("w")} w:type="table" w:customStyle="1" w:styleId="FieldTable">'
        '<w:name w:val="Field Table"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/>'
        '<w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr><w:tblPr><w:tblBorders>'
        f'<w:bottom w:val="single" w:sz="5" w:space="0" w:color="{c.rule[1:]}"/></w:tblBorders>'
        '<w:tblCellMar><w:top w:w="20" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>'
        '<w:bottom w:w="20" w:type="dxa"/><w:right w:w="100" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr></w:style>"
    )
    doc.styles.element.append(brief_table)
    doc.styles.element.append(field_table)
    # Strong and Emphasis are the template's; bold italic text gets a style of its own.
    doc.styles.element.append(
        parse_xml(
            f'<w:style {nsdecls("w")} w:type="character" w:customStyle="1" '
            'w:styleId="StrongEmphasis"><w:name w:val="Strong Emphasis"/>'
            '<w:basedOn w:val="Strong"/><w:uiPriority w:val="22"/><w:qFormat/>'
            "<w:rPr><w:b/><w:bCs/><w:i/><w:iCs/></w:rPr></w:style>"
        )
    )


def _timeline_styles(doc: WordDocument, theme: Theme) -> None:
    """The chart's axis text (Timeline Text in the header's colour) and the paragraph holding a
    band's drawing: one-point type, so no line height pads the drawing and rows abut."""
    header = theme.colours.table_header_text[1:]
    for style_id, name, rpr, ppr in (
        ("TimelineAxis", "Timeline Axis", f'<w:color w:val="{header}"/>', ""),
        (
            "TimelineChart",
            "Timeline Chart",
            '<w:sz w:val="2"/><w:szCs w:val="2"/>',
            '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>',
        ),
    ):
        doc.styles.element.append(
            parse_xml(
                f'<w:style {nsdecls("w")} w:type="paragraph" w:customStyle="1" '
                f'w:styleId="{style_id}"><w:name w:val="{name}"/>'
                f'<w:basedOn w:val="TimelineText"/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr>'
                "</w:style>"
            )
        )


def _bullets(doc: WordDocument, theme: Theme) -> None:
    """List Bullet 1-3 get the PDF's glyphs in the theme font instead of Symbol's private-use
    bullet, which renders as a box where Symbol is missing."""
    numbering = doc.part.numbering_part.element
    for depth in range(LIST_DEPTH):
        lvl = _abstract_for(doc, numbering, _list_style("Bullet", depth)).find(qn("w:lvl"))
        lvl.find(qn("w:lvlText")).set(qn("w:val"), _BULLETS[depth])
        fonts = lvl.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        for slot in ("ascii", "hAnsi"):
            fonts.set(qn(f"w:{slot}"), theme.docx_font_name)


def list_style(kind: str, depth: int) -> str:
    """The style id of a list paragraph: kind is Bullet, Number or Continue; depth from 0."""
    return _list_style(kind, min(depth, LIST_DEPTH - 1))


def _list_style(kind: str, depth: int) -> str:
    return f"List{kind}{depth + 1 if depth else ''}"


def _abstract_for(doc: WordDocument, numbering: BaseOxmlElement, style_id: str) -> BaseOxmlElement:
    """The abstract numbering a list style points at (style -> w:num -> w:abstractNum)."""
    style = f'w:style[@w:styleId="{style_id}"]'
    num_id = doc.styles.element.xpath(f"{style}/w:pPr/w:numPr/w:numId/@w:val")[0]
    abstract_id = numbering.xpath(f'w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')[0]
    found: BaseOxmlElement = numbering.xpath(f'w:abstractNum[@w:abstractNumId="{abstract_id}"]')[0]
    return found


def _number_abstracts(doc: WordDocument) -> tuple[int, ...]:
    numbering = doc.part.numbering_part.element
    abstracts = (_abstract_for(doc, numbering, _list_style("Number", d)) for d in range(LIST_DEPTH))
    return tuple(int(a.get(qn("w:abstractNumId"))) for a in abstracts)
