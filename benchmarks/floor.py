"""The naive floor: the seed brief written straight with reportlab platypus and python-docx.

What a competent engineer would write by hand for one brief, with none of briefgen's
guarantees (no validation, no audiences, no tagging, no determinism work): the same blocks as
the example staff brief (benchmarks/seed_brief.json), the same bundled Liberation fonts, DOCX
paragraph styles set by id on the element (python-docx's lookup by name costs ~40 %).
It imports nothing from briefgen, so its cold start is the libraries' own.
`write_pdf_pack` / `write_docx_pack` write several briefs as one file each, every brief from
a new page: a pack's floor (benchmarks/bench_pack_floor.py).

Run: python benchmarks/floor.py [SEED.json] [OUT_DIR]   (writes floor.pdf and floor.docx)
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FONTS = HERE.parent / "briefgen" / "fonts"
SEED = HERE / "seed_brief.json"
FACES = {
    "Sans": "Regular",
    "Sans-Bold": "Bold",
    "Sans-Italic": "Italic",
    "Sans-BoldItalic": "BoldItalic",
}
_registered = False


def load(path: Path = SEED) -> dict[str, Any]:
    brief: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return brief


def _register_fonts() -> None:
    global _registered
    if _registered:
        return
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, face in FACES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONTS / f"LiberationSans-{face}.ttf")))
    addMapping("Sans", 0, 0, "Sans")
    addMapping("Sans", 1, 0, "Sans-Bold")
    addMapping("Sans", 0, 1, "Sans-Italic")
    addMapping("Sans", 1, 1, "Sans-BoldItalic")
    _registered = True


def _markup(runs: list[list[Any]]) -> str:
    from xml.sax.saxutils import escape

    return "".join(f"<b>{escape(text)}</b>" if bold else escape(text) for text, bold in runs)


def _one_after_another(briefs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The briefs' blocks in order, a page break ({"page": True}) before each but the first."""
    blocks: list[dict[str, Any]] = []
    for index, brief in enumerate(briefs):
        blocks += [{"page": True}] if index else []
        blocks += brief["blocks"]
    return blocks


def write_pdf(brief: dict[str, Any]) -> bytes:
    """The brief as an (untagged) PDF: A4, title, headings, paragraphs, bullets, tables."""
    return write_pdf_pack([brief])


def write_pdf_pack(briefs: list[dict[str, Any]]) -> bytes:
    """Briefs one after another in one PDF, each from a new page (a pack's floor)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        ListFlowable,
        ListItem,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    _register_fonts()
    body = ParagraphStyle("body", fontName="Sans", fontSize=10.5, leading=14, spaceAfter=6)
    title = ParagraphStyle("title", body, fontName="Sans-Bold", fontSize=20, leading=24)
    heading = ParagraphStyle(
        "h1", body, fontName="Sans-Bold", fontSize=14, leading=18, spaceBefore=10
    )
    cell = ParagraphStyle("cell", body, fontSize=9.5, leading=12, spaceAfter=0)
    head_cell = ParagraphStyle("th", cell, fontName="Sans-Bold")
    width = A4[0] - 40 * mm
    story: list[Any] = []
    for block in _one_after_another(briefs):
        if "page" in block:
            story.append(PageBreak())
        elif "title" in block:
            story.append(Paragraph(_markup([[block["title"], False]]), title))
            story.append(Paragraph(_markup([[block["subtitle"], False]]), body))
            for label, value in block["fields"]:
                story.append(Paragraph(_markup([[f"{label}: ", True], [value, False]]), body))
        elif "heading" in block:
            story.append(Paragraph(_markup([[block["heading"], False]]), heading))
        elif "paragraph" in block:
            story.append(Paragraph(_markup(block["paragraph"]), body))
        elif "bullets" in block:
            items = [ListItem(Paragraph(_markup(runs), body)) for runs in block["bullets"]]
            story.append(
                ListFlowable(
                    items, bulletType="bullet", start="\u2022", bulletFontName="Sans", leftIndent=14
                )
            )
        elif "table" in block:
            header, *rows = block["table"]
            data = [[Paragraph(_markup([[c, False]]), head_cell) for c in header]]
            data += [[Paragraph(_markup([[c, False]]), cell) for c in row] for row in rows]
            table = Table(data, colWidths=[w * width for w in block["widths"]], repeatRows=1)
            table.setStyle(
                TableStyle(
                    [
                        ("FONTNAME", (0, 0), (-1, -1), "Sans"),
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.lightgrey),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story += [table, Spacer(1, 6)]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=briefs[0]["title"],
        author=briefs[0]["author"],
        initialFontName="Sans",
    )
    doc.build(story)
    return out.getvalue()


def write_docx(brief: dict[str, Any]) -> bytes:
    """The brief as a DOCX from python-docx's default template, styles set by id."""
    return write_docx_pack([brief])


def write_docx_pack(briefs: list[dict[str, Any]]) -> bytes:
    """Briefs one after another in one DOCX, each from a new page (a pack's floor)."""
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.oxml.ns import qn

    document = Document()
    document.core_properties.title = briefs[0]["title"]
    document.core_properties.author = briefs[0]["author"]
    normal = document.styles["Normal"]
    normal.font.name = "Liberation Sans"
    body = document.element.body

    def paragraph(runs: list[list[Any]], style: str | None = None) -> Any:
        p = document.add_paragraph()
        if style:
            p._p.get_or_add_pPr().get_or_add_pStyle().val = style
        for text, bold in runs:
            p.add_run(text).bold = bold or None
        return p

    for block in _one_after_another(briefs):
        if "page" in block:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        elif "title" in block:
            paragraph([[block["title"], False]], "Title")
            paragraph([[block["subtitle"], False]], "Subtitle")
            for label, value in block["fields"]:
                paragraph([[f"{label}: ", True], [value, False]])
        elif "heading" in block:
            paragraph([[block["heading"], False]], f"Heading{block['level']}")
        elif "paragraph" in block:
            paragraph(block["paragraph"])
        elif "bullets" in block:
            for runs in block["bullets"]:
                paragraph(runs, "ListBullet")
        elif "table" in block:
            header, *rows = block["table"]
            table = document.add_table(rows=1 + len(rows), cols=len(header))
            table._tbl.tblPr.get_or_add_tblStyle().val = "TableGrid"
            for r, values in enumerate([header, *rows]):
                cells = table.rows[r].cells
                for c, value in enumerate(values):
                    run = cells[c].paragraphs[0].add_run(value)
                    run.bold = r == 0 or None
    assert body.find(qn("w:sectPr")) is not None
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def main(argv: list[str]) -> None:
    brief = load(Path(argv[0])) if argv else load()
    out = Path(argv[1]) if len(argv) > 1 else Path("out")
    out.mkdir(parents=True, exist_ok=True)
    (out / "floor.pdf").write_bytes(write_pdf(brief))
    (out / "floor.docx").write_bytes(write_docx(brief))


if __name__ == "__main__":
    main(sys.argv[1:])
