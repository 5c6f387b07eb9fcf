"""DrawingML in a DOCX: an inline group of shapes (rects, lines, polygons, text boxes) in points.

The timeline draws each initiative's band with it, at the positions the shared chart plan gives
in points, so bars, milestones and labels sit where the PDF puts them (1 pt = 12 700 EMU).
A group is one w:drawing with one wp:docPr: its id (unique in the document) and alt text.
Text boxes hold ordinary paragraphs in a named style, so Word users restyle them like the rest.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import parse_xml
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml.etree import SubElement

from briefgen.writers.docx.blocks import paragraph, run, w

EMU_PER_POINT = 12_700
# Word 2010's group and shape namespaces, which python-docx's qn() does not know; the reference
# document's root declares both (wpg, wps), so the elements take those prefixes.
_WPG = "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"
_WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
_A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"


def emu(points: float) -> str:
    return str(round(points * EMU_PER_POINT))


def _a(tag: str) -> str:
    return qn(f"a:{tag}")


def _wps(tag: str) -> str:
    return f"{{{_WPS_NS}}}{tag}"


def _wpg(tag: str) -> str:
    return f"{{{_WPG}}}{tag}"


class Group:
    """Shapes in one inline drawing, `width` x `height` points; y runs down from the top."""

    def __init__(self, width: float, height: float) -> None:
        self.width, self.height = width, height
        # The group itself; shapes go in as they are drawn (later ones on top).
        self.element: BaseOxmlElement = parse_xml(
            f'<wpg:wgp xmlns:wpg="{_WPG}" xmlns:wps="{_WPS_NS}" {nsdecls("a", "w")}/>'
        )
        SubElement(self.element, _wpg("cNvGrpSpPr"))
        xfrm = SubElement(SubElement(self.element, _wpg("grpSpPr")), _a("xfrm"))
        for tag, x, y in (("off", 0, 0), ("ext", width, height)):
            SubElement(xfrm, _a(tag), _point(tag, x, y))
        for tag, x, y in (("chOff", 0, 0), ("chExt", width, height)):
            SubElement(xfrm, _a(tag), _point(tag, x, y))
        # An invisible frame over the whole group: LibreOffice places the box around a group's
        # shapes at the drawing's origin, which would shift every shape by the left-most one.
        self.rect(0, 0, width, height)

    # Shapes ------------------------------------------------------------------------------
    def rect(
        self,
        x: float,
        y: float,
        width: float,
        height: float,
        *,
        fill: str | None = None,
        line: str | None = None,
        line_width: float = 0.5,
        dash: str = "",
        rounded: float = 0.0,
    ) -> None:
        """A rectangle; `rounded` is the corner radius in points."""
        sp_pr = self._shape(x, y, width, height)
        geometry = SubElement(sp_pr, _a("prstGeom"), {"prst": "roundRect" if rounded else "rect"})
        guides = SubElement(geometry, _a("avLst"))
        if rounded:  # the radius as a share of the shorter side, in 1/100 000
            share = min(round(rounded / max(min(width, height), 0.01) * 100_000), 50_000)
            SubElement(guides, _a("gd"), {"name": "adj", "fmla": f"val {share}"})
        self._paint(sp_pr, fill, line, line_width, dash)
        self._finish(sp_pr)

    def line(
        self, x0: float, y0: float, x1: float, y1: float, colour: str, width: float, dash: str = ""
    ) -> None:
        """A straight line (axis-parallel lines need no flips, the only kind the chart draws)."""
        sp_pr = self._shape(min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0))
        SubElement(SubElement(sp_pr, _a("prstGeom"), {"prst": "line"}), _a("avLst"))
        self._paint(sp_pr, None, colour, width, dash)
        self._finish(sp_pr)

    def polygon(
        self,
        points: Sequence[tuple[float, float]],
        fill: str,
        line: str | None = None,
        line_width: float = 0.5,
    ) -> None:
        """A closed polygon through `points` (in the group's points)."""
        left, top = min(x for x, _ in points), min(y for _, y in points)
        right, bottom = max(x for x, _ in points), max(y for _, y in points)
        sp_pr = self._shape(left, top, right - left, bottom - top)
        geometry = SubElement(sp_pr, _a("custGeom"))
        for tag in ("avLst", "gdLst", "ahLst", "cxnLst"):
            SubElement(geometry, _a(tag))
        SubElement(geometry, _a("rect"), {"l": "0", "t": "0", "r": "r", "b": "b"})
        path = SubElement(
            SubElement(geometry, _a("pathLst")),
            _a("path"),
            {"w": emu(right - left), "h": emu(bottom - top)},
        )
        for index, (x, y) in enumerate(points):
            step = SubElement(path, _a("moveTo" if index == 0 else "lnTo"))
            SubElement(step, _a("pt"), {"x": emu(x - left), "y": emu(y - top)})
        SubElement(path, _a("close"))
        self._paint(sp_pr, fill, line, line_width, "")
        self._finish(sp_pr)

    def text(
        self,
        x: float,
        y: float,
        width: float,
        height: float,
        text: str,
        style: str,
        align: str,
        size: float,
    ) -> None:
        """A text box without insets or wrapping: one paragraph in `style`; `align` left/right.
        The run repeats the style's `size`: LibreOffice gives text in a group's shapes the
        default size, not its paragraph style's."""
        sp_pr = self._shape(x, y, width, height, text_box=True)
        SubElement(SubElement(sp_pr, _a("prstGeom"), {"prst": "rect"}), _a("avLst"))
        self._paint(sp_pr, None, None, 0, "")
        content = SubElement(SubElement(sp_pr.getparent(), _wps("txbx")), w("txbxContent"))
        p = paragraph(content, style)
        if align == "right":
            SubElement(p.find(w("pPr")), w("jc"), {w("val"): "right"})
        r = run(p, text)
        rpr = r.makeelement(w("rPr"), {})
        for tag in ("sz", "szCs"):
            SubElement(rpr, w(tag), {w("val"): str(round(size * 2))})
        r.insert(0, rpr)
        self._finish(sp_pr, text_box=True)

    # Parts -------------------------------------------------------------------------------
    def _shape(
        self, x: float, y: float, width: float, height: float, text_box: bool = False
    ) -> BaseOxmlElement:
        shape = SubElement(self.element, _wps("wsp"))
        SubElement(shape, _wps("cNvSpPr"), {"txBox": "1"} if text_box else {})
        sp_pr: BaseOxmlElement = SubElement(shape, _wps("spPr"))
        xfrm = SubElement(sp_pr, _a("xfrm"))
        SubElement(xfrm, _a("off"), _point("off", x, y))
        SubElement(xfrm, _a("ext"), _point("ext", width, height))
        return sp_pr

    def _paint(
        self, sp_pr: BaseOxmlElement, fill: str | None, line: str | None, width: float, dash: str
    ) -> None:
        if fill:
            SubElement(SubElement(sp_pr, _a("solidFill")), _a("srgbClr"), {"val": fill[1:]})
        else:
            SubElement(sp_pr, _a("noFill"))
        ln = SubElement(sp_pr, _a("ln"), {"w": emu(width)} if line else {})
        if line:
            SubElement(SubElement(ln, _a("solidFill")), _a("srgbClr"), {"val": line[1:]})
            if dash:
                SubElement(ln, _a("prstDash"), {"val": dash})
        else:
            SubElement(ln, _a("noFill"))

    def _finish(self, sp_pr: BaseOxmlElement, text_box: bool = False) -> None:
        shape = sp_pr.getparent()
        attributes = {"rot": "0", "vert": "horz", "anchor": "t"}
        if text_box:  # the text where the plan put its box: no insets, no wrapping, no growing
            attributes |= {"wrap": "none", "lIns": "0", "tIns": "0", "rIns": "0", "bIns": "0"}
        SubElement(SubElement(shape, _wps("bodyPr"), attributes), _a("noAutofit"))

    # The drawing -------------------------------------------------------------------------
    def inline(self, parent: BaseOxmlElement, number: int, name: str, alt: str) -> None:
        """Append the group to `parent` (a paragraph) as a run holding one inline drawing."""
        drawing = SubElement(SubElement(parent, w("r")), w("drawing"))
        inline = SubElement(
            drawing, qn("wp:inline"), {"distT": "0", "distB": "0", "distL": "0", "distR": "0"}
        )
        SubElement(inline, qn("wp:extent"), _point("ext", self.width, self.height))
        SubElement(inline, qn("wp:effectExtent"), {"l": "0", "t": "0", "r": "0", "b": "0"})
        # Screen readers read descr; Word shows it as the drawing's alt text.
        SubElement(inline, qn("wp:docPr"), {"id": str(number), "name": name, "descr": alt})
        SubElement(inline, qn("wp:cNvGraphicFramePr"))
        # a:graphic declares its prefix, as Word writes it (else lxml invents one, "ns16").
        graphic = SubElement(inline, _a("graphic"), nsmap={"a": _A_NS})
        data = SubElement(graphic, _a("graphicData"), {"uri": _WPG})
        data.append(self.element)


def _point(tag: str, x: float, y: float) -> dict[str, str]:
    names = ("x", "y") if tag in ("off", "chOff") else ("cx", "cy")
    return {names[0]: emu(x), names[1]: emu(y)}
