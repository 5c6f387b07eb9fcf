"""Word's accessibility checker rules, on every DOCX we write (every input x audience, the pack)."""

from __future__ import annotations

import re
import zipfile
from itertools import pairwise
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import INPUTS, Briefs, builtin_audiences

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
}
FULL_TAG = re.compile(r"^[a-z]{2,3}-[A-Z]{2}$")
PACK_TITLES = [
    "Bilateral with the Minister of Defence of Moldova",
    "Working Dinner with Nordic and Baltic Ministers",
    "Trilateral on Black Sea Maritime Security",
    "Defence Industry Round Table on Ammunition",
]


def xml(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(name))


def text(element: etree._Element) -> str:
    return "".join(element.itertext())


def headings(path: Path) -> list[tuple[int, str]]:
    """(outline level, text) of every heading in the body: by style, or the paragraph's own."""
    styles = xml(path, "word/styles.xml")
    style_levels: dict[str, int] = {}
    for style in styles.iterfind("w:style", NS):
        level = style.find("w:pPr/w:outlineLvl", NS)
        if level is not None:
            style_levels[style.get(f"{{{W}}}styleId")] = int(level.get(f"{{{W}}}val")) + 1
    out = []
    for p in xml(path, "word/document.xml").iterfind(".//w:body//w:p", NS):
        own = p.find("w:pPr/w:outlineLvl", NS)
        style = p.find("w:pPr/w:pStyle", NS)
        level = (
            int(own.get(f"{{{W}}}val")) + 1
            if own is not None
            else style_levels.get(style.get(f"{{{W}}}val") if style is not None else "", 0)
        )
        if 0 < level < 10:
            out.append((level, text(p)))
    return out


def check(path: Path) -> list[tuple[int, str]]:
    core = xml(path, "docProps/core.xml")
    assert (core.findtext("dc:title", namespaces=NS) or "").strip()
    assert FULL_TAG.match(core.findtext("dc:language", namespaces=NS) or "")
    styles = xml(path, "word/styles.xml")
    lang = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang is not None and FULL_TAG.match(lang.get(f"{{{W}}}val"))
    settings = xml(path, "word/settings.xml")
    assert FULL_TAG.match(settings.find("w:themeFontLang", NS).get(f"{{{W}}}val"))

    found = headings(path)
    levels = [level for level, _ in found]
    assert levels and levels[0] == 1
    assert all(b <= a + 1 for a, b in pairwise(levels)), found

    body = xml(path, "word/document.xml")
    for tbl in body.iterfind(".//w:tbl", NS):
        caption = tbl.find("w:tblPr/w:tblCaption", NS)
        description = tbl.find("w:tblPr/w:tblDescription", NS)
        assert caption is not None and caption.get(f"{{{W}}}val").strip()
        assert description is not None and description.get(f"{{{W}}}val").strip()
        style = tbl.find("w:tblPr/w:tblStyle", NS).get(f"{{{W}}}val")
        if style != "FieldTable":  # label/value pairs of the title block have no header row
            assert tbl.find("w:tr/w:trPr/w:tblHeader", NS) is not None
    # No empty paragraph used for spacing: outside table cells every paragraph says something
    # (or holds a page break, a field, or the section's properties).
    for p in body.iterfind("w:body/w:p", NS):
        assert (
            text(p).strip()
            or p.find(".//w:br", NS) is not None
            or p.find(".//w:fldChar", NS) is not None
            or p.find(".//w:sectPr", NS) is not None
            or p.find(".//w:drawing", NS) is not None
        ), etree.tostring(p)[:200]
    for link in body.iterfind(".//w:hyperlink", NS):
        assert text(link).strip()  # the link's words
    return found


@pytest.mark.parametrize("audience", builtin_audiences())
@pytest.mark.parametrize("input_path", INPUTS, ids=lambda p: p.stem)
def test_every_docx_passes_the_checks(
    built_briefs: Briefs, input_path: Path, audience: str
) -> None:
    found = check(built_briefs[(input_path.name, audience)]["docx"])
    assert found[0][0] == 1  # the title is the first heading


@pytest.mark.parametrize("audience", ["principal", "staff"])
def test_pack_docx_heads_each_meeting_with_its_title(
    built_pack: dict[str, Path], audience: str
) -> None:
    found = check(built_pack[f"{audience}.docx"])
    titles = [t for _, t in found]
    for title in PACK_TITLES:
        assert title in titles
    if audience == "staff":
        assert "Timeline" in titles
