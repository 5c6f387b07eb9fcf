"""PDF writer: literal text, embedded fonts, page chrome, outline, metadata, wrapping, bytes."""

from __future__ import annotations

import io
import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab import rl_config

from briefgen.document import (
    Block,
    BulletList,
    Document,
    DocumentInfo,
    Emphasis,
    Heading,
    LineBreak,
    Link,
    ListItem,
    NumberedList,
    PageBreak,
    Paragraph,
    Strong,
    Table,
    Text,
    TitleBlock,
    TitleField,
)
from briefgen.errors import ThemeError
from briefgen.theme import Theme, default_theme
from briefgen.writers import get_writer
from briefgen.writers.pdf import write_pdf

ADVERSARIAL = "</para> <b> &amp; {{ 7*7 }} \"q\" 'a'"
SCRIPTS = "Русский текст и Ελληνικά γράμματα"
NAME = "Željko Komšić"
LONG_URL = "https://example.org/" + "unbrokenpathsegment" * 5 + "-end"  # 120 characters
LONG_WORD = "Rechtsstaatlichkeitsreform" * 5  # 130 characters, no break opportunity
LINK_URL = 'https://example.org/search?q=a&b="c"'
MARKING = "CONFIDENTIAL"
CREATED = 1734480000  # 2024-12-18 00:00 UTC
MM = 72 / 25.4


def _p(*inlines: Text | Strong | Emphasis | Link | LineBreak) -> Paragraph:
    return Paragraph(tuple(inlines))


def _li(text: str, *nested: BulletList | NumberedList) -> ListItem:
    return ListItem((_p(Text(text)), *nested))


def make_brief(marking: str = MARKING, created: int = CREATED, rows: int = 70) -> Document:
    table_rows = tuple(
        ((Text(f"Row{n:03d}"),), (Text(f"Follow-up {n} with {NAME}"),), (Text("Annual"),))
        for n in range(1, rows + 1)
    )
    return Document(
        info=DocumentInfo(
            title="Meeting with the Presidency of Bosnia and Herzegovina",
            author="Policy Planning Unit",
            subject="Pre-meeting brief",
            keywords=("NATO", "Western Balkans"),
            language="en-GB",
            marking=marking,
            created=created,
        ),
        blocks=(
            TitleBlock(
                title=(Text(f"Meeting with {NAME}"),),
                subtitle=(Text("Brief for the Secretary General"),),
                fields=(
                    TitleField("Date", (Text("18 December 2024"),)),
                    TitleField("Place", (Text("NATO HQ <Brussels> & Mons"),)),
                ),
            ),
            Heading(1, (Text("Purpose"),)),
            _p(
                Text("Reaffirm "),
                Strong((Text("support"),)),
                Text(" for "),
                Emphasis((Text("sovereignty"),)),
                Text(". See "),
                Link(LINK_URL, (Text("the search"),)),
                Text("."),
            ),
            _p(Text(ADVERSARIAL), LineBreak(), Text(SCRIPTS)),
            _p(Text("Long word: " + LONG_WORD)),
            Heading(2, (Text("Key messages"),)),
            BulletList(
                (_li("First message"), _li("Second message", BulletList((_li("Nested message"),))))
            ),
            Heading(3, (Text("Outcomes sought"),)),
            NumberedList((_li("Third outcome"), _li("Fourth outcome")), start=3),
            Heading(1, (Text("Initiatives"),)),
            Table(
                header=((Text("Code"),), (Text("Action item"),), (Text("Deadline"),)),
                rows=(
                    ((Text(LONG_URL),), (Text("narrow column"),), (Text("Ongoing"),)),
                    *table_rows,
                ),
                widths=(0.15, 0.65, 0.2),
            ),
            PageBreak(),
            Heading(1, (Text("Annex"),)),
            _p(Text("Closing paragraph.")),
        ),
    )


@dataclass
class Word:
    text: str
    x0: float
    y0: float  # from the top of the page, as pdftotext reports it
    x1: float
    y1: float


@dataclass
class Page:
    width: float
    height: float
    words: list[Word]


def bbox_pages(data: bytes, tmp_path: Path) -> list[Page]:
    """Word boxes from poppler's pdftotext (must be installed: CI installs poppler-utils)."""
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    root = ET.fromstring(xhtml)
    pages = []
    for page in root.iter("{http://www.w3.org/1999/xhtml}page"):
        words = [
            Word(w.text or "", *(float(w.get(k, "0")) for k in ("xMin", "yMin", "xMax", "yMax")))
            for w in page.iter("{http://www.w3.org/1999/xhtml}word")
        ]
        pages.append(Page(float(page.get("width", "0")), float(page.get("height", "0")), words))
    return pages


def texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def brief_pdf() -> bytes:
    return write_pdf(make_brief(), default_theme()).data


@pytest.fixture(scope="module")
def reader(brief_pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(brief_pdf))


@pytest.fixture(scope="module")
def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def test_registry_returns_this_writer() -> None:
    assert get_writer("pdf") is write_pdf


def test_text_appears_literally_and_in_order(page_texts: list[str]) -> None:
    text = "\n".join(page_texts)
    expected = [
        f"Meeting with {NAME}",
        "Brief for the Secretary General",
        "Purpose",
        "Reaffirm support for sovereignty",
        ADVERSARIAL,
        SCRIPTS,
        "Key messages",
        "Outcomes sought",
        "Initiatives",
        "Row070",
        "Annex",
        "Closing paragraph.",
    ]
    positions = [text.find(s) for s in expected]
    assert -1 not in positions, [s for s, p in zip(expected, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
    assert "NATO HQ <Brussels> & Mons" in text


def test_long_word_survives_wrapping(page_texts: list[str]) -> None:
    # Split across lines, but every character is kept and no hyphen is added.
    squashed = "".join("".join(page_texts).split())
    assert LONG_WORD in squashed and LONG_URL in squashed


def test_lists_are_bulleted_nested_and_numbered_from_start(page_texts: list[str]) -> None:
    first = page_texts[0]
    assert re.search(r"•\s*First message", first)
    assert re.search(r"\u2013\s*Nested message", first)  # nested lists take the next bullet
    assert re.search(r"3\.\s*Third outcome", first)
    assert re.search(r"4\.\s*Fourth outcome", first)


def test_every_font_is_embedded_and_none_is_helvetica(brief_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "brief.pdf"
    path.write_bytes(brief_pdf)
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert len(rows) == 4  # regular, bold, italic and bold italic are all used
    for row in rows:
        name, emb = row[0], row[-5]
        assert "Liberation" in name and "Helvetica" not in name, row
        assert emb == "yes", row
    assert b"Helvetica" not in brief_pdf


def test_table_header_repeats_on_continuation_pages(page_texts: list[str]) -> None:
    table_pages = [t for t in page_texts if "Row0" in t]
    assert len(table_pages) >= 2, "the table should be long enough to split"
    for text in table_pages:
        assert text.count("Deadline") == 1 and "Action item" in text


def test_page_x_of_n_on_every_page(page_texts: list[str]) -> None:
    n = len(page_texts)
    assert n >= 3
    for i, text in enumerate(page_texts, start=1):
        assert re.findall(r"Page \d+ of \d+", text) == [f"Page {i} of {n}"]


def test_marking_at_top_and_bottom_of_every_page(brief_pdf: bytes, tmp_path: Path) -> None:
    pages = bbox_pages(brief_pdf, tmp_path)
    top, bottom = 25 * MM, 22 * MM  # the default theme's margins
    for page in pages:
        marks = [w for w in page.words if w.text == MARKING]
        assert len(marks) == 2
        assert sum(w.y1 < top for w in marks) == 1
        assert sum(w.y0 > page.height - bottom for w in marks) == 1


def test_nothing_leaves_the_frame_and_narrow_cells_wrap(brief_pdf: bytes, tmp_path: Path) -> None:
    left = right = 22 * MM
    frame_width = 595.2756 - left - right
    column_edge = left + 0.15 * frame_width
    url_parts = 0
    for page in bbox_pages(brief_pdf, tmp_path):
        for w in page.words:
            assert left - 1 <= w.x0 and w.x1 <= page.width - right + 1, w
            if len(w.text) > 8 and w.text in LONG_URL and w.x0 < column_edge:
                url_parts += 1
                assert w.x1 <= column_edge + 1, w
    assert url_parts >= 4  # the URL in the 15 % column took several lines


def test_outline_has_title_and_headings_at_their_levels(reader: PdfReader) -> None:
    def walk(items: list[Any], depth: int = 0) -> list[tuple[int, str, int | None]]:
        out: list[tuple[int, str, int | None]] = []
        for item in items:
            if isinstance(item, list):
                out += walk(item, depth + 1)
            else:
                out.append((depth, item.title, reader.get_destination_page_number(item)))
        return out

    last = len(reader.pages) - 1
    assert walk(reader.outline) == [
        (0, f"Meeting with {NAME}", 0),
        (1, "Purpose", 0),
        (2, "Key messages", 0),
        (3, "Outcomes sought", 0),
        (1, "Initiatives", 0),
        (1, "Annex", last),
    ]
    assert str(reader.root_object["/PageMode"]) == "/UseOutlines"


def test_metadata_language_and_dates(reader: PdfReader) -> None:
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Meeting with the Presidency of Bosnia and Herzegovina"
    assert meta.author == "Policy Planning Unit"
    assert meta.subject == "Pre-meeting brief"
    assert str(meta["/Keywords"]) == "NATO, Western Balkans"
    assert meta.creator == "briefgen"
    assert str(meta["/CreationDate"]) == str(meta["/ModDate"]) == "D:20241218000000+00'00'"
    assert str(reader.root_object["/Lang"]) == "en-GB"


def test_link_uri_is_kept_exactly(reader: PdfReader) -> None:
    uris = [annot.get_object()["/A"]["/URI"] for annot in reader.pages[0].get("/Annots", [])]
    assert uris == [LINK_URL]


def test_same_input_gives_identical_bytes(
    brief_pdf: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert write_pdf(make_brief(), default_theme()).data == brief_pdf
    # reportlab reads SOURCE_DATE_EPOCH itself; the document's date must decide alone.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000000000")
    assert write_pdf(make_brief(), default_theme()).data == brief_pdf
    other = write_pdf(make_brief(created=CREATED + 86400), default_theme()).data
    assert b"D:20241219000000" in other and other != brief_pdf


def test_no_global_reportlab_state_changes() -> None:
    before = (rl_config.invariant, rl_config.canvas_basefontname)
    write_pdf(make_brief(rows=3), default_theme())
    assert (rl_config.invariant, rl_config.canvas_basefontname) == before


def test_footer_text_truncation_and_custom_page_label() -> None:
    info = replace(
        make_brief(rows=3).info,
        marking="",
        page_label="Seite {page} von {pages}",
        title="A very long title " * 10,
    )
    doc = Document(info=info, blocks=(_p(Text("Body")),))
    pages = texts(write_pdf(doc, default_theme()).data)
    assert len(pages) == 1 and "Seite 1 von 1" in pages[0]
    assert "A very long title A very" in pages[0] and "…" in pages[0]
    assert MARKING not in pages[0]
    themed = write_pdf(doc, Theme.model_validate({"footer_text": "Policy Unit — internal"})).data
    assert "Policy Unit — internal" in texts(themed)[0]


def test_letter_page_size_and_margins(tmp_path: Path) -> None:
    theme = Theme.model_validate(
        {"page": {"size": "Letter", "margin_left": 40, "margin_right": 40}}
    )
    doc = Document(info=DocumentInfo(title="T", marking=MARKING), blocks=(_p(Text("word " * 300)),))
    page = bbox_pages(write_pdf(doc, theme).data, tmp_path)[0]
    assert (round(page.width), round(page.height)) == (612, 792)
    body = [w for w in page.words if w.text == "word"]
    assert min(w.x0 for w in body) == pytest.approx(40 * MM, abs=0.5)
    assert max(w.x1 for w in body) <= 612 - 40 * MM + 0.5


def test_table_inside_list_item_fits_the_indented_width(tmp_path: Path) -> None:
    table = Table(header=((Text("A"),), (Text("B"),)), rows=(((Text("x" * 150),), (Text("y"),)),))
    doc = Document(
        info=DocumentInfo(title="T"), blocks=(BulletList((ListItem((_p(Text("Item")), table)),)),)
    )
    for page in bbox_pages(write_pdf(doc, default_theme()).data, tmp_path):
        assert all(w.x1 <= page.width - 22 * MM + 1 for w in page.words)


def test_missing_font_is_a_theme_error() -> None:
    theme = Theme.model_validate({"fonts": {"regular": "NoSuchFont.ttf"}})
    with pytest.raises(ThemeError, match=r"NoSuchFont\.ttf"):
        write_pdf(make_brief(rows=1), theme)


def test_unusable_font_file_is_a_theme_error(tmp_path: Path) -> None:
    (tmp_path / "Broken.ttf").write_bytes(b"this is not a font")
    theme = Theme.model_validate(
        {"fonts": {"family": "Broken", "regular": "Broken.ttf"}, "base_dir": str(tmp_path)}
    )
    with pytest.raises(ThemeError, match="cannot be used"):
        write_pdf(make_brief(rows=1), theme)


def test_tall_rows_split_wherever_the_page_ends() -> None:
    # A row taller than the room left is split inside the row, or moved on whole when its
    # paragraphs cannot split there; every filler height lands the boundary somewhere else.
    tall = (Text("cell line " * 60),)
    table = Table(
        header=((Text("Head"),), (Text("Notes"),)),
        rows=tuple(((Text(f"T{n}"),), tall) for n in range(3)),
        widths=(0.2, 0.8),
    )
    for filler in range(0, 50, 2):
        blocks: tuple[Block, ...] = (*(_p(Text(f"Filler {i}")) for i in range(filler)), table)
        doc = Document(info=DocumentInfo(title="T"), blocks=blocks)
        text = "".join(texts(write_pdf(doc, default_theme()).data))
        assert text.count("cell") == 180, filler


def test_heading_is_kept_with_the_text_after_it() -> None:
    # Every filler count moves the heading a little further down, across the page end.
    heading_pages = set()
    for filler in range(30, 50):
        heading = Heading(2, (Text("Kept heading"),))
        blocks: tuple[Block, ...] = (
            *(_p(Text(f"Filler {i}")) for i in range(filler)),
            heading,
            _p(Text("Kept text " * 40)),
        )
        pages = texts(
            write_pdf(Document(info=DocumentInfo(title="T"), blocks=blocks), default_theme()).data
        )
        heading_page = next(i for i, page in enumerate(pages) if "Kept heading" in page)
        assert "Kept text" in pages[heading_page], filler
        heading_pages.add(heading_page)
    assert heading_pages == {0, 1}
