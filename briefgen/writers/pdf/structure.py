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
            kind = type(part)
            if kind is str:
                out.append(part)
            elif kind is pdfdoc.PDFObjectReference:
                number, generation = numbers[part.name]
                out.append(f"{number} {generation} R")
            else:
                out.append(str(part.value))
        return "".join(out).encode("latin-1")


def write_tree(doc: Any, root: Element, pages: int) -> Any:
    """Register the tree's objects with reportlab's document; returns the StructTreeRoot."""
    elements: list[tuple[Element, int]] = []  # each with its parent's index (-1: the root)
    pending: list[tuple[Element, int]] = [(root, -1)]
    while pending:  # depth first, in document order
        element, parent = pending.pop()
        index = len(elements)
        elements.append((element, parent))
        pending += [(k, index) for k in reversed(element.kids) if type(k) is Element]
    raws = [_Raw([]) for _ in elements]
    refs = [doc.Reference(raw) for raw in raws]
    index_of = {id(element): i for i, (element, _) in enumerate(elements)}
    tree = _Raw([])
    tree_ref = doc.Reference(tree)
    page_refs = [pdfdoc.PDFObjectReference(f"Page{page + 1}") for page in range(pages)]
    by_page: list[dict[int, Any]] = [{} for _ in range(pages)]
    keyed: list[tuple[LateNumber, Any]] = []
    for (element, parent), raw, ref in zip(elements, raws, refs, strict=True):
        parts: list[Any] = [
            f"<< /Type /StructElem /S /{element.tag} /P ",
            refs[parent] if parent >= 0 else tree_ref,
        ]
        first = None  # the page of its first marked content (a loop: a pack has 10,000s)
        for kid in element.kids:
            if type(kid) is Marked:
                first = kid.page
                break
        if first is not None:
            parts += [" /Pg ", page_refs[first]]
        if element.kids:
            parts.append(" /K [")
            for kid in element.kids:
                if type(kid) is Element:
                    parts += [refs[index_of[id(kid)]], " "]
                elif type(kid) is Marked:
                    by_page[kid.page][kid.mcid] = ref
                    if kid.page == first:
                        parts.append(f"{kid.mcid} ")
                    else:
                        mcr = f" /MCID {kid.mcid} >> "
                        parts += ["<< /Type /MCR /Pg ", page_refs[kid.page], mcr]
                else:
                    assert isinstance(kid, Annotation)
                    kid.key.value = pages + len(keyed)
                    keyed.append((kid.key, ref))
                    parts += ["<< /Type /OBJR /Obj ", kid.ref, " /Pg ", page_refs[kid.page], " >> "]
            parts.append("]")
        if element.alt:
            parts.append(f" /Alt {pdf_text(element.alt)}")
        if element.lang:
            parts.append(f" /Lang {pdf_text(element.lang)}")
        if element.scope:
            parts.append(f" /A << /O /Table /Scope /{element.scope} >>")
        parts.append(" >>")
        raw.parts = parts
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
        refs[0],
        " /ParentTree ",
        parent_tree,
        f" /ParentTreeNextKey {pages + len(keyed)} >>",
    ]
    return tree_ref
