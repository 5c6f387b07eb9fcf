"""DOCX building blocks shared by the body, the timeline and the contents: runs, grids."""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from functools import cache, lru_cache

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml.etree import SubElement

SPECIAL = re.compile("(\t|\r\n|\r|\n)")


@cache  # tag names are built in every loop; qn splits and formats each time
def w(tag: str) -> str:
    return qn(f"w:{tag}")


P, PPR, PSTYLE, R, RPR, T = w("p"), w("pPr"), w("pStyle"), w("r"), w("rPr"), w("t")
VAL, PRESERVE = w("val"), qn("xml:space")


def paragraph(parent: BaseOxmlElement, style_id: str) -> BaseOxmlElement:
    # lxml directly and the style id rather than its name: python-docx's name lookups and
    # ordered-insert helpers are most of its time, and the element order here is fixed anyway.
    return _copy_into(parent, _paragraph(style_id))


def _copy_into(parent: BaseOxmlElement, model: BaseOxmlElement) -> BaseOxmlElement:
    """A copy of `model` appended to `parent`. lxml copies a small tree about three times
    faster than SubElement builds it; on the way in, the copy's own namespace declaration
    (the parent's) is dropped, so the XML is that of the tree built in place."""
    # copy.copy: lxml copies an element with its whole subtree either way, and deepcopy's
    # memo bookkeeping would be most of the cost here.
    element: BaseOxmlElement = copy.copy(model)
    parent.append(element)
    return element


# The models are never put in a document or handed out, only copied: nothing can change them.
@lru_cache(maxsize=256)
def _paragraph(style_id: str) -> BaseOxmlElement:
    p: BaseOxmlElement = OxmlElement("w:p")
    SubElement(SubElement(p, PPR), PSTYLE, {VAL: style_id})
    return p


@lru_cache(maxsize=256)
def _cell(width: int) -> BaseOxmlElement:
    tc: BaseOxmlElement = OxmlElement("w:tc")
    SubElement(SubElement(tc, w("tcPr")), w("tcW"), {w("w"): str(width), w("type"): "dxa"})
    return tc


def keep_with_next(elements: list[BaseOxmlElement]) -> None:
    """Word's keep-with-next on each paragraph among `elements` (right after its style, where
    the schema orders it)."""
    for element in elements:
        properties = element.find(PPR) if element.tag == P else None
        if properties is not None and properties.find(w("keepNext")) is None:
            properties.insert(1, properties.makeelement(w("keepNext"), {}))


def keep_end_with_previous(body: BaseOxmlElement) -> None:
    """The paragraph before the last heading keeps with it, as the PDF keeps a brief's last
    section with the block before it: a last page never holds a heading and a line or two."""
    children = list(body)
    for index in range(len(children) - 1, 0, -1):
        element = children[index]
        style = element.find(f"{PPR}/{PSTYLE}") if element.tag == P else None
        if style is not None and str(style.get(VAL, "")).startswith("Heading"):
            keep_with_next(children[index - 1 : index])  # a paragraph; a table is left alone
            return


def run(
    parent: BaseOxmlElement, text: str, rstyle: str = "", bold: bool = False, italic: bool = False
) -> BaseOxmlElement:
    if not rstyle and (bold or italic):
        # Bold and italic are the Strong and Emphasis character styles (both: Strong
        # Emphasis), so a Word user restyles them in one place; a link keeps its own style.
        rstyle = "StrongEmphasis" if bold and italic else "Strong" if bold else "Emphasis"
        bold = italic = False
    pieces = SPECIAL.split(text)
    if len(pieces) == 1 and text:  # most runs: one piece of text, its w:t in the model
        r = _copy_into(
            parent, _run(rstyle, bold, italic, "preserve" if text != text.strip() else "t")
        )
        r[-1].text = text
        return r
    r = _copy_into(parent, _run(rstyle, bold, italic, ""))
    # Tabs and line ends inside a text become Word's own tab and break elements.
    for index, piece in enumerate(pieces):
        if index % 2:
            SubElement(r, w("tab") if piece == "\t" else w("br"))
        elif piece:
            t = SubElement(r, T)
            t.text = piece
            if piece != piece.strip():
                t.set(PRESERVE, "preserve")
    return r


@lru_cache(maxsize=64)
def _run(rstyle: str, bold: bool, italic: bool, text: str) -> BaseOxmlElement:
    """A run's model: its properties, and an empty w:t if `text` is "t" ("preserve": one
    keeping its spaces)."""
    r: BaseOxmlElement = OxmlElement("w:r")
    if rstyle or bold or italic:
        rpr = SubElement(r, RPR)  # children in schema order: rStyle, b, i
        if rstyle:
            SubElement(rpr, w("rStyle"), {VAL: rstyle})
        if bold:
            SubElement(rpr, w("b"))
        if italic:
            SubElement(rpr, w("i"))
    if text:
        t = SubElement(r, T)
        if text == "preserve":
            t.set(PRESERVE, "preserve")
    return r


def grid(out: BaseOxmlElement, style_id: str, widths: list[int], indent: int) -> BaseOxmlElement:
    """A table with its properties and column grid, ready for rows."""
    tbl: BaseOxmlElement = SubElement(out, w("tbl"))
    tbl_pr = SubElement(tbl, w("tblPr"))
    SubElement(tbl_pr, w("tblStyle"), {VAL: style_id})
    SubElement(tbl_pr, w("tblW"), {w("w"): str(sum(widths)), w("type"): "dxa"})
    # Word 2010 layout (the template's compatibility mode) hangs a table's border into the
    # margin by the cell padding; indenting by that padding lines the border up with the text.
    SubElement(tbl_pr, w("tblInd"), {w("w"): str(indent), w("type"): "dxa"})
    # Fixed layout keeps the reader's widths; an unbroken URL wraps inside its cell.
    SubElement(tbl_pr, w("tblLayout"), {w("type"): "fixed"})
    SubElement(
        tbl_pr,
        w("tblLook"),
        {
            VAL: "0420",
            w("firstRow"): "1",
            w("lastRow"): "0",
            w("firstColumn"): "0",
            w("lastColumn"): "0",
            w("noHBand"): "0",
            w("noVBand"): "1",
        },
    )
    columns = SubElement(tbl, w("tblGrid"))
    for width in widths:
        SubElement(columns, w("gridCol"), {w("w"): str(width)})
    return tbl


def cell(tr: BaseOxmlElement, width: int) -> BaseOxmlElement:
    return _copy_into(tr, _cell(width))


def column_widths(weights: Sequence[float], columns: int, total: int) -> list[int]:
    if len(weights) != columns or sum(weights) <= 0:  # no usable widths: share equally
        weights = [1.0] * columns
    scale = total / sum(weights)
    widths = [round(weight * scale) for weight in weights[:-1]]
    return [*widths, total - sum(widths)]
