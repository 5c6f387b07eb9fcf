"""The PDF structure tree: elements made from the Document, marked content drawn into them.

The writer builds `Element`s from the Document in logical order (so a table split over pages
is still one Table, and the tree never depends on layout). Drawing only fills them: a tagged
flowable brackets what it draws with `/Tag <</MCID n>> BDC … EMC`, and everything else on a page
is inside `/Artifact` (see `MarkedCanvas`). At save, `write_tree` turns the elements into
reportlab PDF objects: no second pass over the finished file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reportlab import platypus as rl
from reportlab.pdfbase import pdfdoc


@dataclass(frozen=True)
class Marked:
    """A marked-content sequence: page index (0-based) and its MCID there."""

    page: int
    mcid: int


@dataclass(frozen=True)
class Annotation:
    """A link annotation inside an element: its page, reportlab reference and parent key."""

    page: int
    ref: Any
    key: LateNumber


@dataclass(eq=False)
class Element:
    tag: str
    kids: list[Element | Marked | Annotation] = field(default_factory=list)
    alt: str = ""
    scope: str = ""  # a TH's /Scope: Column or Row
    lang: str = ""
    links: dict[str, str] = field(default_factory=dict)  # link target -> its words, for /Contents

    def add(self, tag: str, *, alt: str = "", scope: str = "", lang: str = "") -> Element:
        child = Element(tag, alt=alt, scope=scope, lang=lang)
        self.kids.append(child)
        return child


class LateNumber(pdfdoc.PDFObject):  # type: ignore[misc]
    """An integer known only at save (a /StructParent key after the pages' keys)."""

    value = 0

    def format(self, document: Any) -> bytes:
        return str(self.value).encode("ascii")


class Tagged:
    """Mixin for flowables that are one element's content: drawOn brackets the drawing.

    The same flowable drawn twice is a repetition (a table's header row on the next page):
    the second time it stays an artifact. A split keeps the element on both parts.
    """

    briefgen_tag: Element | None = None
    _briefgen_drawn = False

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        tag = self.briefgen_tag
        if tag is None or self._briefgen_drawn or not hasattr(canvas, "begin_marked"):
            super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
            return
        self._briefgen_drawn = True
        canvas.begin_marked(tag)
        super().drawOn(canvas, x, y, _sW)  # type: ignore[misc]
        canvas.end_marked()

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts: list[Any] = super().split(availWidth, availHeight)  # type: ignore[misc]
        for part in parts:
            if isinstance(part, Tagged):
                part.briefgen_tag = self.briefgen_tag
        return parts


class TaggedParagraph(Tagged, rl.Paragraph):  # type: ignore[misc]
    pass


def tagged(flowable: Any, element: Element) -> Any:
    flowable.briefgen_tag = element
    return flowable


def pdf_text(text: str) -> str:
    """A PDF text string in UTF-16 hex: no escaping needed, any script carried."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class _Raw(pdfdoc.PDFObject):  # type: ignore[misc]
    """An object written as it is given: text, references and late numbers. reportlab's
    generic dictionaries cost a few format calls per key; a brief has hundreds of elements."""

    def __init__(self, parts: list[Any]) -> None:
        self.parts = parts

    def format(self, document: Any) -> bytes:
        numbers = document.idToObjectNumberAndVersion
        out = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            elif isinstance(part, pdfdoc.PDFObjectReference):
                number, generation = numbers[part.name]
                out.append(f"{number} {generation} R")
            else:
                out.append(str(part.value))
        return "".join(out).encode("latin-1")


def _page(page: int) -> pdfdoc.PDFObjectReference:
    return pdfdoc.PDFObjectReference(f"Page{page + 1}")


def write_tree(doc: Any, root: Element, pages: int) -> Any:
    """Register the tree's objects with reportlab's document; returns the StructTreeRoot."""
    elements: list[Element] = []
    parents: dict[int, Element | None] = {id(root): None}
    pending = [root]
    while pending:  # depth first, in document order
        element = pending.pop()
        elements.append(element)
        children = [k for k in element.kids if isinstance(k, Element)]
        for child in children:
            parents[id(child)] = element
        pending.extend(reversed(children))
    raws = {id(e): _Raw([]) for e in elements}
    refs = {id(e): doc.Reference(raws[id(e)]) for e in elements}
    tree = _Raw([])
    tree_ref = doc.Reference(tree)
    by_page: list[dict[int, Any]] = [{} for _ in range(pages)]
    keyed: list[tuple[LateNumber, Any]] = []
    for element in elements:
        parent = parents[id(element)]
        parts: list[Any] = [
            f"<< /Type /StructElem /S /{element.tag} /P ",
            refs[id(parent)] if parent is not None else tree_ref,
        ]
        first = next((k.page for k in element.kids if isinstance(k, Marked)), None)
        if first is not None:
            parts += [" /Pg ", _page(first)]
        kids: list[list[Any]] = []
        for kid in element.kids:
            if isinstance(kid, Element):
                kids.append([refs[id(kid)]])
            elif isinstance(kid, Marked):
                by_page[kid.page][kid.mcid] = refs[id(element)]
                kids.append(
                    [str(kid.mcid)]
                    if kid.page == first
                    else ["<< /Type /MCR /Pg ", _page(kid.page), f" /MCID {kid.mcid} >>"]
                )
            else:
                kid.key.value = pages + len(keyed)
                keyed.append((kid.key, refs[id(element)]))
                kids.append(["<< /Type /OBJR /Obj ", kid.ref, " /Pg ", _page(kid.page), " >>"])
        if kids:
            parts.append(" /K [")
            for kid_parts in kids:
                parts += [*kid_parts, " "]
            parts.append("]")
        if element.alt:
            parts.append(f" /Alt {pdf_text(element.alt)}")
        if element.lang:
            parts.append(f" /Lang {pdf_text(element.lang)}")
        if element.scope:
            parts.append(f" /A << /O /Table /Scope /{element.scope} >>")
        parts.append(" >>")
        raws[id(element)].parts = parts
    nums: list[Any] = ["<< /Nums ["]
    for index, marked in enumerate(by_page):
        nums.append(f" {index} [")
        for mcid in sorted(marked):
            nums += [marked[mcid], " "]
        nums.append("]")
    for key, ref in keyed:
        nums += [" ", key, " ", ref]
    nums.append(" ] >>")
    parent_tree = doc.Reference(_Raw(nums))
    tree.parts = [
        "<< /Type /StructTreeRoot /K ",
        refs[id(root)],
        " /ParentTree ",
        parent_tree,
        f" /ParentTreeNextKey {pages + len(keyed)} >>",
    ]
    return tree_ref
