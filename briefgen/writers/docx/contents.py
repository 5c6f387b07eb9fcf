"""The table of contents in DOCX: a TOC field whose result is already filled in.

Word shows a field's last result until the field is updated, so the entries are written as
that result: one hyperlinked paragraph per title or heading, each with a PAGEREF field whose
cached number is the page the PDF writer found (its Layout, passed in), when known. Updating
the field in Word rebuilds the same list from the same bookmarked range and styles.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from docx.document import Document as WordDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml.etree import SubElement

from briefgen.document import TableOfContents

RANGE = "_BriefgenContents"  # the bookmark around everything the contents list
_LEVELS = {"Title": 0, "Heading1": 1, "Heading2": 2, "Heading3": 3}
_NAMES = {
    "Title": "Title",
    "Heading1": "Heading 1",
    "Heading2": "Heading 2",
    "Heading3": "Heading 3",
}
_FIRST_BOOKMARK_ID = 9000  # clear of any bookmark a template might bring


@cache  # tag names are built in every loop; qn splits and formats each time
def _w(tag: str) -> str:
    return qn(f"w:{tag}")


def fill_contents(
    word: WordDocument,
    items: Sequence[tuple[TableOfContents, BaseOxmlElement]],
    text_width: int,
    pages_found: Sequence[Sequence[int]] = (),
) -> None:
    """Replace each placeholder paragraph by the contents of what follows it; `pages_found`
    has the page of each entry per contents, as a PDF of the same document laid them out."""
    body = word.element.body
    bookmark = _FIRST_BOOKMARK_ID
    for index, (block, placeholder) in enumerate(items):
        found = pages_found[index] if index < len(pages_found) else ()
        children = list(body)
        after = children[children.index(placeholder) + 1 :]
        targets: list[tuple[int, str, str]] = []  # level, text, bookmark
        for p in (c for c in after if c.tag == _w("p")):
            style = p.find(f"{_w('pPr')}/{_w('pStyle')}")
            level = _LEVELS.get(style.get(_w("val")) if style is not None else "", 99)
            if level <= block.depth:
                name = f"_Toc{bookmark}"
                _bookmark(p, name, bookmark)
                bookmark += 1
                targets.append((level, "".join(t.text or "" for t in p.iter(_w("t"))), name))
        paragraphs = [p for p in after if p.tag == _w("p")]
        if paragraphs:  # the range Word rebuilds the list from, when asked to
            _bookmark_range(paragraphs[0], paragraphs[-1], RANGE, bookmark)
            bookmark += 1
        styles = ",".join(
            f"{_NAMES[s]},{lvl + 1}" for s, lvl in _LEVELS.items() if lvl <= block.depth
        )
        instruction = f' TOC \\b {RANGE} \\h \\z \\t "{styles}" '
        pages = found if len(found) == len(targets) else ()
        entries = [
            _entry(level, text, name, str(pages[i]) if pages else "")
            for i, (level, text, name) in enumerate(targets)
        ] or [_paragraph("TOC1")]
        _field_start(entries[0], instruction)
        SubElement(SubElement(entries[-1], _w("r")), _w("fldChar"), {_w("fldCharType"): "end"})
        for entry in entries:
            placeholder.addprevious(entry)
        body.remove(placeholder)
        _ensure_styles(word, max((lvl for lvl, _, _ in targets), default=0) + 1, text_width)


def _paragraph(style: str) -> BaseOxmlElement:
    p: BaseOxmlElement = parse_xml(
        f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{style}"/></w:pPr></w:p>'
    )
    return p


def _entry(level: int, text: str, bookmark: str, page: str) -> BaseOxmlElement:
    """A hyperlinked entry; its right tab stop with a dot leader comes from the TOC style."""
    p = _paragraph(f"TOC{level + 1}")
    link = SubElement(p, _w("hyperlink"), {_w("anchor"): bookmark, _w("history"): "1"})
    _text(link, text)
    SubElement(SubElement(link, _w("r")), _w("tab"))
    runs = [
        ("fldChar", "begin"),
        ("instrText", f" PAGEREF {bookmark} \\h "),
        ("fldChar", "separate"),
        ("t", page),
        ("fldChar", "end"),
    ]
    for tag, value in runs:
        if tag == "t" and not value:
            continue
        r = SubElement(link, _w("r"))
        if tag == "fldChar":
            SubElement(r, _w("fldChar"), {_w("fldCharType"): value})
        else:
            SubElement(r, _w(tag), {qn("xml:space"): "preserve"}).text = value
    return p


def _text(parent: BaseOxmlElement, text: str) -> None:
    r = SubElement(parent, _w("r"))
    SubElement(r, _w("t"), {qn("xml:space"): "preserve"}).text = text


def _field_start(p: BaseOxmlElement, instruction: str) -> None:
    ppr = p.find(_w("pPr"))
    runs = [("fldChar", "begin"), ("instrText", instruction), ("fldChar", "separate")]
    for offset, (tag, value) in enumerate(runs, start=1):
        r = p.makeelement(_w("r"), {})
        if tag == "fldChar":
            SubElement(r, _w("fldChar"), {_w("fldCharType"): value})
        else:
            SubElement(r, _w(tag), {qn("xml:space"): "preserve"}).text = value
        p.insert(list(p).index(ppr) + offset, r)


def _bookmark(p: BaseOxmlElement, name: str, number: int) -> None:
    _bookmark_range(p, p, name, number)


def _bookmark_range(first: BaseOxmlElement, last: BaseOxmlElement, name: str, number: int) -> None:
    start = first.makeelement(_w("bookmarkStart"), {_w("id"): str(number), _w("name"): name})
    ppr = first.find(_w("pPr"))
    first.insert(list(first).index(ppr) + 1 if ppr is not None else 0, start)
    SubElement(last, _w("bookmarkEnd"), {_w("id"): str(number)})


def _ensure_styles(word: WordDocument, levels: int, width: int) -> None:
    """TOC 1, TOC 2, … as Word defines them, if the reference document lacks them: a right
    tab with a dot leader at the margin; the first level bold, like the PDF's."""
    styles = word.styles.element
    for level in range(1, levels + 1):
        style_id = f"TOC{level}"
        if styles.get_by_id(style_id) is not None:
            continue
        bold = "<w:rPr><w:b/></w:rPr>" if level == 1 else ""
        styles.append(
            parse_xml(
                f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="{style_id}">'
                f'<w:name w:val="toc {level}"/><w:basedOn w:val="Normal"/>'
                '<w:next w:val="Normal"/><w:uiPriority w:val="39"/><w:unhideWhenUsed/>'
                f'<w:pPr><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{width}"/></w:tabs>'
                f'<w:spacing w:before="{120 if level == 1 else 0}" w:after="60"/>'
                f'<w:ind w:left="{280 * (level - 1)}"/></w:pPr>{bold}</w:style>'
            )
        )
