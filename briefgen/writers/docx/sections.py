"""Landscape sections in DOCX: section breaks around wide content, and chrome fitted to each page.

Blocks ask for a break with `break_section`; `finish_sections` then gives every break the page
set-up of the document (turned where landscape) and, because Word's header and footer tab
stops are absolute positions, gives landscape sections their own copy of the header and footer
with the stops moved to the wider margins. Sections after a landscape one point back at the
original header and footer, so page numbers run on and sit at the right margin in both.
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml.etree import SubElement

_REFERENCES = (qn("w:headerReference"), qn("w:footerReference"))
_RELATION_ATTRIBUTES = (qn("r:embed"), qn("r:id"), qn("r:link"))
_PAGE_BREAK = f"{qn('w:r')}/{qn('w:br')}[@{qn('w:type')}='page']"
# What may precede w:tabs in a w:pPr, in the schema's order.
_BEFORE_TABS = {
    qn(f"w:{t}")
    for t in (
        "pStyle",
        "keepNext",
        "keepLines",
        "pageBreakBefore",
        "framePr",
        "widowControl",
        "numPr",
        "suppressLineNumbers",
        "pBdr",
        "shd",
    )
}


@cache  # tag names are built in every loop; qn splits and formats each time
def _w(tag: str) -> str:
    return qn(f"w:{tag}")


def break_section(out: BaseOxmlElement, landscape: bool) -> None:
    """End the current section here; the section ending is `landscape` or portrait.

    The page set-up is filled in by `finish_sections`, once the document's own is known. A
    paragraph holding only a page break becomes the break, so no blank page appears.
    """
    last = out[-1] if len(out) else None
    if (
        last is not None
        and last.tag == _w("p")
        and last.find(_PAGE_BREAK) is not None
        and len(last.findall(_w("r"))) == 1
    ):
        last.remove(last.find(_w("r")))
        p = last
    else:
        p = SubElement(out, _w("p"))
    ppr = p.find(_w("pPr"))
    if ppr is None:
        ppr = SubElement(p, _w("pPr"))
    sect = SubElement(ppr, _w("sectPr"))
    SubElement(sect, _w("pgSz"), {_w("orient"): "landscape" if landscape else "portrait"})


def ends_section(out: BaseOxmlElement) -> bool:
    """Whether the last paragraph ends a section (a page break after it would be blank)."""
    return len(out) > 0 and out[-1].find(f"{_w('pPr')}/{_w('sectPr')}") is not None


def finish_sections(word: WordDocument) -> None:
    """Page set-up for every break, and header and footer fitted to landscape sections."""
    body = word.element.body
    final = body.sectPr
    breaks = body.findall(f"{_w('p')}/{_w('pPr')}/{_w('sectPr')}")  # one per break paragraph
    if not breaks:
        return
    last_child = body[-2] if len(body) > 1 else None
    if last_child is not None and last_child.find(f"{_w('pPr')}/{_w('sectPr')}") is not None:
        # Content ends on a turned page: the final section takes its orientation instead of
        # following it as an empty one.
        ending = last_child.find(f"{_w('pPr')}/{_w('sectPr')}")
        if _is_landscape(ending):
            breaks.remove(ending)
            _set_up(final, final, landscape=True)
            ppr = ending.getparent()
            ppr.remove(ending)
            if len(ppr) == 0 and len(last_child) == 1:  # the break's carrier, now empty
                body.remove(last_child)
    for sect in breaks:
        _set_up(sect, final, landscape=_is_landscape(sect))
    _fit_chrome(word, [*breaks, final])


def _is_landscape(sect: BaseOxmlElement) -> bool:
    size = sect.find(_w("pgSz"))
    return size is not None and size.get(_w("orient")) == "landscape"


def _set_up(sect: BaseOxmlElement, final: BaseOxmlElement, landscape: bool) -> None:
    """Copy the document's page set-up into a break, turned if landscape; keep its references."""
    source = [copy.deepcopy(c) for c in final if c.tag not in _REFERENCES]
    for child in list(sect):
        if child.tag not in _REFERENCES:
            sect.remove(child)
    for child in source:
        if child.tag == _w("titlePg"):
            continue
        sect.append(child)
    size = sect.find(_w("pgSz"))
    width, height = int(size.get(_w("w"))), int(size.get(_w("h")))
    if landscape != (width > height):
        size.set(_w("w"), str(height))
        size.set(_w("h"), str(width))
    # Each margin stays on its side when the paper turns, as in the PDF.
    if landscape:
        size.set(_w("orient"), "landscape")
    else:
        size.attrib.pop(_w("orient"), None)


def _fit_chrome(word: WordDocument, sections: list[BaseOxmlElement]) -> None:
    first = sections[0]
    references = [c for c in first if c.tag in _REFERENCES]
    if not references:
        return
    portrait_width = _text_width(first)
    turned: list[BaseOxmlElement] | None = None
    for sect in sections[1:]:
        for child in [c for c in sect if c.tag in _REFERENCES]:
            sect.remove(child)
        if _is_landscape(sect) and not _is_landscape(first):
            if turned is None:
                turned = [
                    _turned_copy(word, ref, portrait_width, _text_width(sect)) for ref in references
                ]
            chosen = turned
        else:
            chosen = references
        for index, ref in enumerate(chosen):  # references come first in a sectPr
            sect.insert(index, copy.deepcopy(ref))


def _text_width(sect: BaseOxmlElement) -> int:
    size, margins = sect.find(_w("pgSz")), sect.find(_w("pgMar"))
    return int(size.get(_w("w"))) - int(margins.get(_w("left"))) - int(margins.get(_w("right")))


def _turned_copy(
    word: WordDocument, reference: BaseOxmlElement, portrait: int, landscape: int
) -> BaseOxmlElement:
    """A copy of a header or footer whose tab stops are moved from one text width to another."""
    document_part = word.part
    old_part: Any = document_part.related_parts[reference.get(qn("r:id"))]
    is_header = reference.tag == _w("headerReference")
    add_part = document_part.add_header_part if is_header else document_part.add_footer_part
    new_part, rid = add_part()  # type: ignore[no-untyped-call]
    element = new_part.element
    for child in list(element):
        element.remove(child)
    for child in old_part.element:
        element.append(copy.deepcopy(child))
    for node in element.iter():  # pictures (a logo) keep pointing at their image parts
        for attribute in _RELATION_ATTRIBUTES:
            old = node.get(attribute)
            if old and old in old_part.rels:
                rel = old_part.rels[old]
                node.set(
                    attribute,
                    new_part.relate_to(rel.target_part, rel.reltype)
                    if not rel.is_external
                    else new_part.relate_to(rel.target_ref, rel.reltype, is_external=True),
                )
    styles = word.styles.element
    for p in element.iter(_w("p")):
        style_id = p.find(f"{_w('pPr')}/{_w('pStyle')}")
        style = styles.get_by_id(style_id.get(_w("val"))) if style_id is not None else None
        stops = style.findall(f"{_w('pPr')}/{_w('tabs')}/{_w('tab')}") if style is not None else []
        if stops:
            _move_stops(p, stops, landscape / portrait)
    ref = copy.deepcopy(reference)
    ref.set(qn("r:id"), rid)
    return ref


def _move_stops(p: BaseOxmlElement, stops: list[BaseOxmlElement], scale: float) -> None:
    """Paragraph tabs that clear the style's stops and set them `scale` times further out."""
    ppr = p.find(_w("pPr"))
    tabs = ppr.find(_w("tabs"))
    if tabs is None:
        tabs = ppr.makeelement(_w("tabs"), {})
        ppr.insert(sum(1 for child in ppr if child.tag in _BEFORE_TABS), tabs)
    for stop in stops:
        position = int(stop.get(_w("pos")))
        SubElement(tabs, _w("tab"), {_w("val"): "clear", _w("pos"): str(position)})
        SubElement(
            tabs,
            _w("tab"),
            {_w("val"): stop.get(_w("val")), _w("pos"): str(round(position * scale))},
        )
