"""Read a tagged PDF's structure tree back (pikepdf) with the text of each element (pypdf)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from pypdf import PdfReader


@dataclass
class Node:
    tag: str
    obj: Any = None
    kids: list[Node] = field(default_factory=list)
    own: list[tuple[int, int]] = field(default_factory=list)  # (page, mcid) in order
    objr: list[Any] = field(default_factory=list)  # annotations (OBJR targets)
    texts: dict[tuple[int, int], str] = field(default_factory=dict, repr=False)
    pdf: Any = field(default=None, repr=False)

    @property
    def text(self) -> str:
        """The element's text in structure order, whitespace collapsed."""
        parts: list[str] = []
        self._collect(parts)
        return " ".join(" ".join(parts).split())

    def _collect(self, parts: list[str]) -> None:
        # Content and kids interleave in /K; own text first is how the writer orders them.
        parts.extend(self.texts.get(key, "") for key in self.own)
        for kid in self.kids:
            kid._collect(parts)

    def find(self, tag: str) -> list[Node]:
        out = [self] if self.tag == tag else []
        for kid in self.kids:
            out.extend(kid.find(tag))
        return out

    def walk(self) -> list[Node]:
        out = [self]
        for kid in self.kids:
            out.extend(kid.walk())
        return out


def marked_texts(data: bytes) -> tuple[dict[tuple[int, int], str], list[str]]:
    """Text per (page, MCID), and the text drawn inside artifacts per page."""
    texts: dict[tuple[int, int], str] = {}
    artifacts: list[str] = []
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages):
        stack: list[int | None] = []
        found: list[str] = []

        def before(op: bytes, args: Any, *_: Any, stack: list[int | None] = stack) -> None:
            if op == b"BDC":
                props = args[1] if len(args) > 1 else {}
                mcid = props.get("/MCID") if hasattr(props, "get") else None
                stack.append(int(mcid) if mcid is not None else None)
            elif op == b"BMC":
                stack.append(None)
            elif op == b"EMC" and stack:
                stack.pop()

        def text(
            t: str,
            *_: Any,
            stack: list[int | None] = stack,
            number: int = number,
            found: list[str] = found,
        ) -> None:
            if stack and stack[-1] is not None:
                key = (number, stack[-1])
                texts[key] = texts.get(key, "") + t
            elif t.strip():
                found.append(t)

        page.extract_text(visitor_operand_before=before, visitor_text=text)
        artifacts.append(" ".join(" ".join(found).split()))
    return texts, artifacts


def read_structure(data: bytes) -> Node:
    texts, _ = marked_texts(data)
    pdf = pikepdf.open(io.BytesIO(data))  # stays open: the nodes keep its objects
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    node = _node(pdf.Root.StructTreeRoot.K, None, pages, texts)
    node.pdf = pdf
    return node


def _node(
    obj: Any, page: int | None, pages: dict[Any, int], texts: dict[tuple[int, int], str]
) -> Node:
    node = Node(str(obj.S)[1:], obj, texts=texts)
    if "/Pg" in obj:
        page = pages[obj.Pg.objgen]
    kids = obj.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else ([] if kids is None else [kids])
    for kid in items:
        if isinstance(kid, int):
            assert page is not None
            node.own.append((page, int(kid)))
        elif kid.get("/Type") == "/MCR":
            node.own.append((pages[kid.Pg.objgen], int(kid.MCID)))
        elif kid.get("/Type") == "/OBJR":
            node.objr.append(kid.Obj)
        else:
            node.kids.append(_node(kid, page, pages, texts))
    return node
