"""An organisation's own Word file as the DOCX reference document, as Pandoc's --reference-doc.

Its styles, fonts and page set-up are kept; a style briefgen needs and the file lacks is copied
from the themed built-in reference (found by id, else by name, as Word localises ids such as
`berschrift1` but not the names); then only what the theme sets explicitly is applied on top.
"""

from __future__ import annotations

import copy
from typing import Any, cast

import docx
from docx.document import Document as WordDocument
from docx.enum.text import WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.parts.numbering import NumberingPart
from docx.shared import Emu, Mm, Pt, RGBColor, Twips
from docx.styles.style import StyleFactory

from briefgen.errors import Location, ThemeError
from briefgen.theme import RoleStyle, Theme
from briefgen.writers.docx.roles import ALIGN, BUILTIN_ROLES, CUSTOM_ROLES

# Word style id -> role; ids are the names without spaces, as python-docx and Word make them.
_ROLE_OF = {name.replace(" ", ""): role for name, role in {**BUILTIN_ROLES, **CUSTOM_ROLES}.items()}
# Which styles an explicitly set theme colour recolours.
_COLOUR_STYLES = {
    "heading": ("Title", "Heading1", "Heading2", "Heading3"),
    "text": ("Normal",),
    "link": ("Hyperlink",),
    "marking": ("Marking", "MarkingText"),
    "table_header_text": ("TableHeader",),
}
_LISTS = tuple(f"List{kind}{n}" for kind in ("Bullet", "Number") for n in ("", "2", "3"))
_REFS = ("basedOn", "next", "link")
# settings.xml is order-sensitive: themeFontLang comes before these.
_AFTER_THEME_FONT_LANG = (
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)


def _w(tag: str) -> str:
    return qn(f"w:{tag}")


def adopt_reference(theme: Theme, themed: WordDocument) -> tuple[WordDocument, int]:
    """The theme's reference_docx, ready to write into, and its text width in twips."""
    assert theme.reference_docx
    path = theme.file_path(theme.reference_docx)
    try:
        user = docx.Document(str(path))
    except Exception as exc:  # python-docx, zipfile and lxml each raise their own kinds
        raise ThemeError(
            f"reference_docx {path} cannot be opened as a Word document: {exc}",
            location=Location(theme.path) if theme.path else None,
            hint="save it from Word as a .docx document (not .dotx, .docm or .doc)",
        ) from None
    _empty(user)
    merge = _Merge(user, themed)
    for style in themed.styles.element.findall(_w("style")):
        merge.ensure(style.get(_w("styleId")))
    for style_id in _LISTS:
        merge.repair_list(style_id)
    _language_slots(user)
    _apply_theme(user, theme)
    text_width = _page(user, theme, themed)
    for style_id, stops in (
        ("Header", (WD_TAB_ALIGNMENT.CENTER, WD_TAB_ALIGNMENT.RIGHT)),
        ("Footer", (WD_TAB_ALIGNMENT.RIGHT,)),
    ):
        # The writer lays out header and footer lines with these stops (see docx_styles).
        tabs = _style(user, style_id).paragraph_format.tab_stops
        tabs.clear_all()
        for stop in stops:
            position = text_width // 2 if stop == WD_TAB_ALIGNMENT.CENTER else text_width
            tabs.add_tab_stop(Twips(position), stop)
    return user, text_width


def _empty(user: WordDocument) -> None:
    """Drop the file's content, keeping its last section's set-up: every page gets the one
    header and footer the writer fills, so first-page and even-page variants go too."""
    body = user.element.body
    for child in list(body):
        if child.tag != _w("sectPr"):
            body.remove(child)
    section = body.get_or_add_sectPr()
    for ref in section.findall(_w("headerReference")) + section.findall(_w("footerReference")):
        if ref.get(_w("type")) != "default":
            section.remove(ref)
    for child in section.findall(_w("titlePg")):
        section.remove(child)
    for child in user.settings.element.findall(_w("evenAndOddHeaders")):
        user.settings.element.remove(child)
    # A thumbnail would show the reference's own first page; comments would lose their anchors.
    # LibreOffice types core properties as ".../officedocument/.../metadata/core-properties":
    # python-docx would not find the part and add a second /docProps/core.xml to the zip.
    for rId, rel in list(user.part.package.rels.items()):
        misspelt = rel.reltype.endswith("/metadata/core-properties") != (
            rel.reltype == RT.CORE_PROPERTIES
        )
        if rel.reltype == RT.THUMBNAIL or misspelt:
            del user.part.package.rels[rId]
    for rId, rel in list(user.part.rels.items()):
        if rel.reltype == RT.COMMENTS:
            user.part.drop_rel(rId)


class _Merge:
    """Adds the styles (and list numbering) the writer needs that the user's file lacks."""

    def __init__(self, user: WordDocument, themed: WordDocument) -> None:
        self.styles = user.styles.element
        self.source = themed.styles.element
        self.source_numbering = themed.part.numbering_part.element
        try:
            self.numbering = cast(XmlPart, user.part.part_related_by(RT.NUMBERING)).element
            self.copied_numbering = False
        except KeyError:  # no lists in the file: take the themed numbering whole, ids and all
            package = user.part.package
            part = NumberingPart.load(
                package.next_partname("/word/numbering%d.xml"),
                CT.WML_NUMBERING,
                themed.part.numbering_part.blob,
                package,
            )
            user.part.relate_to(part, RT.NUMBERING)
            self.numbering = part.element
            self.copied_numbering = True
        self.by_id = {s.get(_w("styleId")): s for s in self.styles.findall(_w("style"))}
        self.by_name = {(s.get(_w("type")), _name(s)): s for s in self.styles.findall(_w("style"))}
        self.abstracts: dict[str, str] = {}  # themed abstractNumId -> the copy's id

    def ensure(self, style_id: str | None) -> None:
        if not style_id or style_id in self.by_id:
            return
        source = self.source.get_by_id(style_id)
        if source is None:
            return
        same = self.by_name.get((source.get(_w("type")), _name(source)))
        if same is not None:
            self._rename(same.get(_w("styleId")), style_id)
            return
        style = copy.deepcopy(source)
        # A copied style takes the file's font through its base style, not the theme's.
        for fonts in style.findall(f"{_w('rPr')}/{_w('rFonts')}"):
            fonts.getparent().remove(fonts)
        self.styles.append(style)
        self.by_id[style_id] = style
        for ref in _REFS:
            for child in style.findall(_w(ref)):
                self.ensure(child.get(_w("val")))
        num_id = style.find(f"{_w('pPr')}/{_w('numPr')}/{_w('numId')}")
        if num_id is not None and not self.copied_numbering:
            num_id.set(_w("val"), self._copy_num(num_id.get(_w("val"))))

    def _rename(self, old: str, new: str) -> None:
        """Give a localised style briefgen's id, and every reference to it."""
        style = self.by_id.pop(old)
        style.set(_w("styleId"), new)
        self.by_id[new] = style
        for root, tags in (
            (self.styles, _REFS),
            (self.numbering, ("pStyle", "styleLink", "numStyleLink")),
        ):
            for tag in tags:
                for child in root.iter(_w(tag)):
                    if child.get(_w("val")) == old:
                        child.set(_w("val"), new)

    def repair_list(self, style_id: str) -> None:
        """A list style whose numbering is missing or broken gets the themed one: the writer
        numbers lists through their style."""
        style, source = self.by_id.get(style_id), self.source.get_by_id(style_id)
        if style is None or source is None:
            return
        num_ids = style.xpath("w:pPr/w:numPr/w:numId/@w:val")
        if num_ids and self.numbering.xpath(f'w:num[@w:numId="{num_ids[0]}"]/w:abstractNumId'):
            return
        themed_num = source.xpath("w:pPr/w:numPr/w:numId/@w:val")[0]
        num_pr = source.find(f"{_w('pPr')}/{_w('numPr')}")
        ppr = style.get_or_add_pPr()
        for old in ppr.findall(_w("numPr")):
            ppr.remove(old)
        new_pr = copy.deepcopy(num_pr)
        new_pr.find(_w("numId")).set(_w("val"), self._copy_num(themed_num, force=True))
        ppr.insert_element_before(
            new_pr,
            "w:suppressLineNumbers",
            "w:pBdr",
            "w:shd",
            "w:tabs",
            "w:spacing",
            "w:ind",
            "w:jc",
            "w:outlineLvl",
        )

    def _copy_num(self, themed_num_id: str, force: bool = False) -> str:
        if self.copied_numbering and not force:
            return themed_num_id
        abstract_id = self.source_numbering.xpath(
            f'w:num[@w:numId="{themed_num_id}"]/w:abstractNumId/@w:val'
        )[0]
        if abstract_id not in self.abstracts:
            abstract = copy.deepcopy(
                self.source_numbering.xpath(f'w:abstractNum[@w:abstractNumId="{abstract_id}"]')[0]
            )
            used = [int(v) for v in self.numbering.xpath("w:abstractNum/@w:abstractNumId")]
            new_id = str(max(used, default=-1) + 1)
            abstract.set(_w("abstractNumId"), new_id)
            # Every abstractNum precedes every num in numbering.xml.
            first_num = self.numbering.find(_w("num"))
            if first_num is not None:
                first_num.addprevious(abstract)
            else:
                self.numbering.append(abstract)
            self.abstracts[abstract_id] = new_id
        return str(self.numbering.add_num(int(self.abstracts[abstract_id])).numId)


def _name(style: BaseOxmlElement) -> str:
    name = style.find(_w("name"))
    return "" if name is None else str(name.get(_w("val"), "")).casefold()


def _language_slots(user: WordDocument) -> None:
    """The writer sets the language in docDefaults and settings; make sure both places exist."""
    styles = user.styles.element
    defaults = styles.find(_w("docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(_w("rPrDefault"))
    if rpr_default is None:
        rpr_default = OxmlElement("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(_w("rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_default.append(rpr)
    if rpr.find(_w("lang")) is None:
        rpr.insert_element_before(
            OxmlElement("w:lang", {_w("val"): "en-GB"}),
            "w:eastAsianLayout",
            "w:specVanish",
            "w:oMath",
        )
    settings = user.settings.element
    if settings.find(_w("themeFontLang")) is None:
        settings.insert_element_before(
            OxmlElement("w:themeFontLang", {_w("val"): "en-GB"}), *_AFTER_THEME_FONT_LANG
        )


def _style(user: WordDocument, style_id: str) -> Any:  # python-docx's style classes
    element = user.styles.element.get_by_id(style_id)
    assert element is not None, style_id  # _Merge added every style the writer uses
    return StyleFactory(element)


def _apply_theme(user: WordDocument, theme: Theme) -> None:
    """What the theme sets explicitly wins over the file; its defaults do not."""
    if "fonts" in theme.model_fields_set:
        rprs = [user.styles.element.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")]
        rprs += [_style(user, sid).element.get_or_add_rPr() for sid in _ROLE_OF]
        for rpr in rprs:
            _set_font(rpr, theme.docx_font_name)
    for field in theme.colours.model_fields_set & set(_COLOUR_STYLES):
        for style_id in _COLOUR_STYLES[field]:
            rgb = RGBColor.from_string(getattr(theme.colours, field)[1:])
            _style(user, style_id).font.color.rgb = rgb
    for style_id, role in _ROLE_OF.items():
        if role in theme.roles:
            _apply_role(_style(user, style_id), theme.roles[role])


def _set_font(rpr: BaseOxmlElement, name: str) -> None:
    for old in rpr.findall(_w("rFonts")):
        rpr.remove(old)
    rpr.insert(
        0 if rpr.find(_w("rStyle")) is None else 1,
        OxmlElement("w:rFonts", {_w(slot): name for slot in ("ascii", "hAnsi", "eastAsia", "cs")}),
    )


def _apply_role(style: Any, role: RoleStyle) -> None:
    given = role.model_fields_set
    font = style.font
    if "size" in given:
        font.size = Pt(role.size)
    if "bold" in given:
        font.bold = role.bold
    if "italic" in given:
        font.italic = role.italic
    if "colour" in given and role.colour:
        font.color.rgb = RGBColor.from_string(role.colour[1:])
    fmt = getattr(style, "paragraph_format", None)
    if fmt is None:  # a character style has no paragraph properties
        return
    if "space_before" in given:
        fmt.space_before = Pt(role.space_before)
    if "space_after" in given:
        fmt.space_after = Pt(role.space_after)
    if "align" in given:
        fmt.alignment = ALIGN[role.align]
    if "leading" in given:
        fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        fmt.line_spacing = Pt(role.size * role.leading)


def _page(user: WordDocument, theme: Theme, themed: WordDocument) -> int:
    """Apply the page settings the theme gives explicitly (or the file lacks); the text width."""
    section, page = user.sections[0], theme.page
    # A file made without a header or footer may put them at the very edge (distance 0).
    for distance in ("header_distance", "footer_distance"):
        if not getattr(section, distance):
            setattr(section, distance, getattr(themed.sections[0], distance))
    given = page.model_fields_set
    if "size" in given or section.page_width is None or section.page_height is None:
        width, height = page.size_mm
        section.page_width, section.page_height = Mm(width), Mm(height)
    for side in ("top", "bottom", "left", "right"):
        if f"margin_{side}" in given or getattr(section, f"{side}_margin") is None:
            setattr(section, f"{side}_margin", Mm(getattr(page, f"margin_{side}")))
    width = section.page_width - section.left_margin - section.right_margin  # type: ignore[operator]
    return int(Emu(width).twips)
