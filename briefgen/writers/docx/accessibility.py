"""What Word's accessibility checker looks for that styles do not give: outline levels on
paragraphs that are headings by meaning, and a caption and description on every table."""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

# Where each child may stand in w:pPr and w:tblPr (the schema's sequence): a new element goes
# before the first of the ones after it.
_PPR_AFTER_OUTLINE = ("divId", "cnfStyle", "rPr", "sectPr", "pPrChange")
_TBLPR_AFTER_CAPTION = ("tblDescription", "tblPrChange")


def outline_level(p: BaseOxmlElement, level: int) -> None:
    """Make a paragraph a heading at `level` (1 = Heading 1's) in Word's navigation and checker."""
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = p.makeelement(qn("w:pPr"), {})
        p.insert(0, ppr)
    for old in ppr.findall(qn("w:outlineLvl")):
        ppr.remove(old)
    element = ppr.makeelement(qn("w:outlineLvl"), {qn("w:val"): str(min(level, 9) - 1)})
    _insert(ppr, element, _PPR_AFTER_OUTLINE)


def describe_table(tbl: BaseOxmlElement, caption: str, description: str) -> None:
    """w:tblCaption and w:tblDescription: the table's title and alt text in Word."""
    tbl_pr = tbl.find(qn("w:tblPr"))
    caption_el = tbl_pr.makeelement(qn("w:tblCaption"), {qn("w:val"): caption[:255]})
    _insert(tbl_pr, caption_el, _TBLPR_AFTER_CAPTION)
    description_el = tbl_pr.makeelement(qn("w:tblDescription"), {qn("w:val"): description})
    _insert(tbl_pr, description_el, ("tblPrChange",))


def _insert(parent: BaseOxmlElement, element: BaseOxmlElement, after: tuple[str, ...]) -> None:
    for child in parent:
        if child.tag in {qn(f"w:{name}") for name in after}:
            child.addprevious(element)
            return
    parent.append(element)
