"""The page chrome of a DOCX brief: the first section's header and footer, filled.

The marking at the top (with the theme's header text and logo); at the bottom the footer text,
"Page X of Y" as Word fields and the marking. Landscape sections get their own copies later
(sections.finish_sections). The parts are found and added here rather than through
python-docx's `section.header`, whose look-ups each compile an XPath and, for a section
without a header, search the whole body for an earlier section to inherit from.
"""

from __future__ import annotations

import re

from docx.document import Document as WordDocument
from docx.enum.section import WD_HEADER_FOOTER
from docx.oxml.ns import qn
from docx.oxml.section import CT_SectPr
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.parts.hdrftr import FooterPart, HeaderPart
from lxml.etree import SubElement

from briefgen.document import DocumentInfo
from briefgen.footer import footer_text
from briefgen.theme import POINTS_PER_MM, Theme
from briefgen.writers.docx.blocks import PPR, PRESERVE, P, R, paragraph, run, w
from briefgen.writers.docx.theme import has_header, write_footer_marking, write_header

_PLACEHOLDER = re.compile(r"\{(page|pages)\}")
_FIELDS = {"page": "PAGE", "pages": "NUMPAGES"}


def page_chrome(word: WordDocument, info: DocumentInfo, theme: Theme) -> None:
    """Marking at the top; marking, footer text and "Page X of Y" fields at the bottom."""
    section = _first_section(word)
    if info.marking or has_header(theme):
        header = _own_part(word, section, header=True)
        write_header(_story(header), header, info.marking, theme)
    footer = _story(_own_part(word, section, header=False))
    line = paragraph(footer, "Footer")  # its style has a right tab stop at the margin
    # One design in both formats (briefgen.footer): the text shortened at a word, then the
    # page label, then the marking centred on the line under them.
    page = theme.page
    text_width = page.size_points[0] - (page.margin_left + page.margin_right) * POINTS_PER_MM
    run(
        line,
        footer_text(
            theme.footer_text or info.title, info.page_label, text_width, theme.role("footer").size
        ),
    )
    run(line, "\t")
    for index, piece in enumerate(_PLACEHOLDER.split(info.page_label)):
        if index % 2:  # the split puts each placeholder's name at odd positions
            _field(line, _FIELDS[piece])
        elif piece:
            run(line, piece)
    if info.marking:
        write_footer_marking(footer, info.marking, theme)


def _first_section(word: WordDocument) -> CT_SectPr:
    """The set-up of `word.sections[0]`, found without python-docx's XPath union over the
    whole body: the first section break's if there is one, else the body's own."""
    body = word.element.body
    first: CT_SectPr | None = body.find(f"{P}/{PPR}/{w('sectPr')}")
    return body.sectPr if first is None else first


def _own_part(word: WordDocument, section: CT_SectPr, header: bool) -> HeaderPart | FooterPart:
    """The first section's default header or footer part, added if it has none. (python-docx's
    `section.header.part` compiles an XPath at each of its four look-ups and, for a section
    without one, searches the whole body for an earlier section to inherit from.)"""
    kind = "headerReference" if header else "footerReference"
    reference = section.find(f"{w(kind)}[@{w('type')}='default']")
    document = word.part
    if reference is not None:
        found: HeaderPart | FooterPart = document.related_parts[reference.get(qn("r:id"))]
        return found
    added: HeaderPart | FooterPart
    if header:
        added, rid = document.add_header_part()  # type: ignore[no-untyped-call]
        section.add_headerReference(WD_HEADER_FOOTER.PRIMARY, rid)
    else:
        added, rid = document.add_footer_part()  # type: ignore[no-untyped-call]
        section.add_footerReference(WD_HEADER_FOOTER.PRIMARY, rid)
    return added


def _story(part: HeaderPart | FooterPart) -> BaseOxmlElement:
    """The header or footer element, emptied of the template's blank paragraph."""
    element: BaseOxmlElement = part.element
    for child in list(element):
        element.remove(child)
    return element


def _field(p: BaseOxmlElement, instruction: str) -> None:
    """A complex field with a cached "1" so the text reads right before Word updates it."""
    SubElement(SubElement(p, R), w("fldChar"), {w("fldCharType"): "begin"})
    SubElement(SubElement(p, R), w("instrText"), {PRESERVE: "preserve"}).text = f" {instruction} "
    SubElement(SubElement(p, R), w("fldChar"), {w("fldCharType"): "separate"})
    run(p, "1")
    SubElement(SubElement(p, R), w("fldChar"), {w("fldCharType"): "end"})
