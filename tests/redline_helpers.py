"""Shared by the redline tests: an edited copy of an example, and Accept/Reject All on DOCX XML."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from tests.conftest import INPUTS

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BLACK_SEA = next(p for p in INPUTS if p.name.startswith("black-sea"))
MIXED = next(p for p in INPUTS if p.name.startswith("mixed-levels"))

# Each (old text, new text) turns the example into the NEW version of a test; the example as
# it is, is OLD.
EDITS = {
    "word": ("no figures today", "no numbers today"),
    "time": ("10:30\u201311:45 CET", "11:30\u201312:45 CET"),
    "end": ("    end: 2025-12-15\n", "    end: 2026-03\n"),
    "milestone": (
        "{date: 2025-06-30, label: Survey complete}",
        "{date: 2025-07-31, label: Survey complete}",
    ),
    "cell": ("Acknowledge; Türkiye is kept informed", "Acknowledge; Türkiye is briefed"),
    "participant": (
        "  - name: Tomás Ó Briain\n    sort_as: Ó Briain\n    role: Note-taker\n"
        "    organisation: Host delegation\n    side: Host\n",
        "",
    ),
    "classification": (
        "  - heading: Issues likely to be raised\n",
        "  - heading: Issues likely to be raised\n    classification: RESTRICTED\n",
    ),
    "outcome": (
        "  - title: Follow-up\n",
        "  - Greek and Ukrainian navies to exchange survey data.\n  - title: Follow-up\n",
    ),
    "removed": (
        "  - Avoid commitments on the insurance facility until the Commission has reported.\n",
        "",
    ),
}


def edited(tmp_path: Path, *names: str, source: Path = BLACK_SEA, file: str = "new.yaml") -> Path:
    text = source.read_text(encoding="utf-8")
    for name in names:
        old, new = EDITS[name]
        assert old in text, name
        text = text.replace(old, new)
    folder = tmp_path / file.rsplit(".", 1)[0]
    folder.mkdir(exist_ok=True)
    path = folder / file
    path.write_text(text, encoding="utf-8")
    return path


def document_xml(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


def resolve(root: etree._Element, accept: bool) -> etree._Element:
    """Word's Accept All (accept=True) or Reject All on the XML: the kept kind is unwrapped,
    the other dropped, with the paragraphs and rows whose mark was of the dropped kind."""
    keep, drop = (f"{W}ins", f"{W}del") if accept else (f"{W}del", f"{W}ins")
    for mark in list(root.iter(drop)):
        parent = mark.getparent()
        if parent.tag == f"{W}rPr" and parent.getparent().tag == f"{W}pPr":
            p = parent.getparent().getparent()
            p.getparent().remove(p)
        elif parent.tag == f"{W}trPr":
            tr = parent.getparent()
            tr.getparent().remove(tr)
    for mark in list(root.iter(drop)):
        if mark.getparent() is not None:
            mark.getparent().remove(mark)
    for mark in list(root.iter(keep)):
        parent = mark.getparent()
        if parent.tag in (f"{W}rPr", f"{W}trPr"):
            parent.remove(mark)
            continue
        index = parent.index(mark)
        for offset, child in enumerate(list(mark)):
            parent.insert(index + offset, child)
        parent.remove(mark)
    for t in root.iter(f"{W}delText"):
        t.tag = f"{W}t"
    return root


_CHART_STYLES = {"TimelineText", "TimelineAxis", "TimelineChart"}


def _owner(element: etree._Element) -> etree._Element | None:
    """The paragraph an element's text belongs to: its nearest w:p."""
    return next((a for a in element.iterancestors(f"{W}p")), None)


def paragraphs(
    root: etree._Element, after_title: bool = False, timeline: bool = False
) -> list[str]:
    """Each body paragraph's text in order (table cells included), timeline grid left out:
    the chart is NEW's picture, its dates are tracked in the tables beside it."""
    out: list[str] = []
    started = not after_title
    for p in root.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        name = style.get(f"{W}val") if style is not None else ""
        if name == "Title":
            started = True
        if not started or (name in _CHART_STYLES and not timeline):
            continue
        # A paragraph's own text: a text box inside it (a chart label) is a paragraph of its
        # own, read next, as the PDF draws it.
        text = "".join(
            t.text or "" if t.tag != f"{W}tab" else "\t"
            for t in p.iter(f"{W}t", f"{W}delText", f"{W}tab")
            if _owner(t) is p
        )
        out.append(text)
    return out
