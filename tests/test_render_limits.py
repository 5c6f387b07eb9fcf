"""Hostile and unusual text in both formats (issue 16): deep lists, huge paragraphs, characters
no format can carry. Nothing is lost, nothing takes minutes, nothing breaks a writer."""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.document import (
    MAX_LIST_DEPTH,
    BulletList,
    Document,
    DocumentInfo,
    Link,
    ListItem,
    Paragraph,
    Text,
)
from briefgen.errors import InputError, MarkupError
from briefgen.pipeline import BuildOptions, build
from briefgen.reader import read_markup
from briefgen.theme import default_theme
from briefgen.validation import load_meeting
from briefgen.writers.docx import write_docx
from briefgen.writers.pdf import write_pdf

INFO = DocumentInfo(title="t")


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml").decode()


def deep_list(levels: int) -> str:
    return "\n".join("  " * i + f"- level {i + 1}" for i in range(levels)) + "\n"


def list_depth(blocks: tuple[object, ...]) -> int:
    deepest = 0
    for block in blocks:
        if isinstance(block, BulletList):
            for item in block.items:
                deepest = max(deepest, 1 + list_depth(item.blocks))
    return deepest


def item_texts(blocks: tuple[object, ...]) -> list[str]:
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append("".join(c.text for c in block.children if isinstance(c, Text)))
        elif isinstance(block, BulletList):
            for item in block.items:
                out.extend(item_texts(item.blocks))
    return out


# --- Item 7: deep lists are flattened, never dropped ------------------------------------------


def test_lists_deeper_than_the_maximum_are_flattened_in_order() -> None:
    document = read_markup(deep_list(14) + "\nafter\n", INFO)
    assert MAX_LIST_DEPTH == 6
    assert list_depth(document.blocks) == 6
    assert item_texts(document.blocks) == [f"level {i}" for i in range(1, 15)] + ["after"]


def test_a_paragraph_after_a_flattened_list_stays_after_its_items() -> None:
    markup = deep_list(7) + "\n" + "  " * 5 + "  tail of level 6\n"
    texts = item_texts(read_markup(markup, INFO).blocks)
    assert texts == [*(f"level {i}" for i in range(1, 8)), "tail of level 6"]


def test_nesting_past_the_parser_limit_is_refused_at_its_line() -> None:
    with pytest.raises(MarkupError) as caught:
        read_markup("# H\n\n" + "- " * 150 + "x\n", INFO)
    assert caught.value.location is not None and caught.value.location.line == 3
    assert "nested more than 98 levels" in caught.value.message


def test_deep_lists_keep_every_item_in_both_formats(
    write_yaml: Callable[[str], Path], tmp_path: Path
) -> None:
    body = "".join(f"    {'  ' * i}- level {i + 1}\n" for i in range(14))
    path = write_yaml("meeting:\n  title: Deep\n  date: 2025-03-12\npurpose: |\n" + body)
    pdf, docx = build(path, BuildOptions(formats=("pdf", "docx"), out_dir=tmp_path / "out"))
    for text in (pdf_text(pdf), docx_text(docx)):
        for i in range(1, 15):
            assert f"level {i}" in text


# --- Item 16: size ----------------------------------------------------------------------------


def test_a_text_value_over_the_limit_is_refused_at_its_line(
    write_yaml: Callable[[str], Path],
) -> None:
    path = write_yaml(
        "meeting:\n  title: Big\n  date: 2025-03-12\npurpose: " + "word " * 20_001 + "\n"
    )
    with pytest.raises(InputError) as caught:
        load_meeting(path)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.location is not None
    assert (diagnostic.location.line, diagnostic.location.column) == (4, 10)
    assert "100,000" in diagnostic.message


def test_a_paragraph_over_many_pages_keeps_every_word_in_order() -> None:
    words = [f"w{i:05d}" for i in range(6000)]  # about twelve pages
    document = Document(INFO, (Paragraph((Text(" ".join(words)),)),))
    reader = PdfReader(io.BytesIO(write_pdf(document, default_theme()).data))
    assert len(reader.pages) > 5
    found = " ".join(page.extract_text() for page in reader.pages).split()
    assert [w for w in found if w.startswith("w")] == words


# --- Issue 14: characters no format can carry are dropped once, in the model ------------------


def test_the_model_drops_characters_no_format_can_carry() -> None:
    assert Text("a\x0bb\x1fc\x7fd\x85e\ufffff").text == "abcdef"
    assert Text("tab\tand\nline").text == "tab\tand\nline"
    assert Link("https://x.org/\x0b", ()).url == "https://x.org/"
    assert DocumentInfo(title="T\x0bitle", keywords=("a\x1f",)).title == "Title"
    assert DocumentInfo(title="t", keywords=("a\x1f",)).keywords == ("a",)


def test_both_writers_accept_text_with_control_characters() -> None:
    info = DocumentInfo(title="Ti\x0btle", author="Or\x1fg")
    item = ListItem((Paragraph((Text("x\x0by"), Link("https://e.org/\x01", (Text("l\x02"),)))),))
    document = Document(info, (BulletList((item,)),))
    pdf = write_pdf(document, default_theme()).data
    assert "xy" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    docx = write_docx(document, default_theme()).data
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        assert "<w:t>xy</w:t>" in package.read("word/document.xml").decode()
        assert "<dc:title>Title</dc:title>" in package.read("docProps/core.xml").decode()


# --- Also found: one font mapping for both writers ---------------------------------------------


def test_a_theme_naming_only_a_family_gets_it_in_both_formats(tmp_path: Path) -> None:
    import re
    import subprocess

    from briefgen.theme import Theme

    theme = Theme.model_validate({"fonts": {"family": "Liberation Serif"}})
    document = Document(INFO, (Paragraph((Text("Serif text"),)),))
    pdf = tmp_path / "serif.pdf"
    pdf.write_bytes(write_pdf(document, theme).data)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    names = {line.split()[0].split("+")[-1] for line in fonts.stdout.splitlines()[2:]}
    assert names and all(name.startswith("LiberationSerif") for name in names), names
    with zipfile.ZipFile(io.BytesIO(write_docx(document, theme).data)) as package:
        styles = package.read("word/styles.xml").decode()
    defaults = styles[styles.index("<w:docDefaults>") : styles.index("</w:docDefaults>")]
    assert set(re.findall(r'w:ascii="([^"]+)"', defaults)) == {"Liberation Serif"}
    assert "Liberation Sans" not in styles


def test_an_unbundled_family_without_files_is_a_theme_error() -> None:
    from pydantic import ValidationError

    from briefgen.theme import Theme

    with pytest.raises(ValidationError, match="not bundled"):
        Theme.model_validate({"fonts": {"family": "Noto Sans Arabic"}})


# --- Item 19: a table too wide for the page is split into column groups -----------------------


def wide_table(columns: int = 40) -> Document:
    from briefgen.document import Table

    header = tuple((Text(f"Col{i}"),) for i in range(columns))
    rows = tuple(tuple((Text(f"{r * 100 + i}"),) for i in range(columns)) for r in range(3))
    widths = tuple(1 / columns for _ in range(columns))
    return Document(INFO, (Table(header=header, rows=rows, widths=widths),))


def test_a_wide_table_keeps_every_column_legible_in_the_pdf(tmp_path: Path) -> None:
    from tests.test_writer_pdf import bbox_pages

    [page] = bbox_pages(write_pdf(wide_table(), default_theme()).data, tmp_path)
    headers = [w for w in page.words if w.text.startswith("Col")]
    # Every column once, the first one leading each of the four groups.
    assert sorted(w.text for w in headers if w.text != "Col0") == sorted(
        f"Col{i}" for i in range(1, 40)
    )
    assert [w.text for w in headers].count("Col0") == 4
    lines: dict[float, list[float]] = {}
    for word in headers:
        lines.setdefault(round(word.y0), []).append(word.x0)
    for starts in lines.values():
        starts.sort()
        # A legible column: its header starts at least 30 pt after the one before.
        assert min(b - a for a, b in itertools.pairwise(starts)) >= 30


def test_a_wide_table_keeps_every_column_legible_in_the_docx() -> None:
    import re

    with zipfile.ZipFile(io.BytesIO(write_docx(wide_table(), default_theme()).data)) as package:
        xml = package.read("word/document.xml").decode()
    grids = re.findall(r"<w:tblGrid>(.*?)</w:tblGrid>", xml)
    widths = [int(w) for grid in grids for w in re.findall(r'w:gridCol w:w="(\d+)"', grid)]
    assert len(grids) == 4 and len(widths) == 40 + 3  # the first column in every group
    assert min(widths) >= 600  # twips: 30 pt
    labels = re.findall(r"<w:t>(Col\d+)</w:t>", xml)
    assert labels.count("Col0") == 4 and sorted(set(labels)) == sorted(f"Col{i}" for i in range(40))


def test_a_table_that_fits_is_not_split() -> None:
    from briefgen.document import Table
    from briefgen.tables import column_groups

    table = Table(
        header=tuple((Text(f"Heading {i}"),) for i in range(5)),
        rows=((*((Text("x"),) for _ in range(5)),),),
    )
    assert column_groups(table, 470, 9.5) == [table]


# --- Item 15: a heading longer than a page is broken across pages, not refused -----------------


def test_a_heading_longer_than_a_page_is_broken_across_pages() -> None:
    from briefgen.document import Heading

    words = [f"h{i:04d}" for i in range(1500)]
    document = Document(INFO, (Heading(1, (Text(" ".join(words)),)), Paragraph((Text("After"),))))
    reader = PdfReader(io.BytesIO(write_pdf(document, default_theme()).data))
    assert len(reader.pages) >= 3
    found = " ".join(page.extract_text() for page in reader.pages).split()
    assert [w for w in found if w.startswith("h")] == words and "After" in found
    # Its outline entry points at its first page.
    [entry] = reader.outline
    assert isinstance(entry, dict) and entry["/Title"].startswith("h0000 h0001")
    assert reader.get_destination_page_number(entry) == 0  # type: ignore[arg-type]


def test_a_layout_error_names_no_python_objects(monkeypatch: pytest.MonkeyPatch) -> None:
    from reportlab import platypus

    from briefgen.errors import WriterError

    def fail(*args: object, **kwargs: object) -> None:
        raise platypus.LayoutError("Flowable <Para at 0x7f449cd07f10> too large on page 3 in")

    monkeypatch.setattr(platypus.BaseDocTemplate, "build", fail)
    with pytest.raises(WriterError) as caught:
        write_pdf(Document(INFO, ()), default_theme())
    assert "0x" not in str(caught.value) and "on page 3" in str(caught.value)


# --- Item 18: text the fonts cannot show is reported; invisible characters are not drawn ------

SCRIPTS_MEETING = """\
meeting:
  title: Scripts
  date: 2025-03-12
purpose: |
  Arabic مرحبا and CJK 中文 here.
summary: Hebrew שלום only.
key_points:
  - Joined a\u200db and a\u200cb, marked a\u200eb.
"""


def test_a_build_warns_at_the_line_of_a_character_the_font_lacks(
    write_yaml: Callable[[str], Path], tmp_path: Path
) -> None:
    path = write_yaml(SCRIPTS_MEETING)
    built = build(path, BuildOptions(out_dir=tmp_path / "out"))
    assert len(built) == 2  # still built: a warning, not an error
    found = [(w.location.line, w.location.column, w.message) for w in built.warnings]  # type: ignore[attr-defined, union-attr]
    assert [(line, column) for line, column, _ in found] == [(5, 10), (6, 17)]
    assert "no glyph for 'م' (U+0645 ARABIC LETTER MEEM)" in found[0][2]
    assert "right-to-left" in found[1][2]


def test_the_cli_prints_font_warnings_on_stderr_and_lint_reports_them(
    write_yaml: Callable[[str], Path], tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from briefgen.cli import main

    path = write_yaml(SCRIPTS_MEETING)
    built = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "o"), "-j", "1"])
    assert built.exit_code == 0
    assert f"{path}:5:10: warning: the font Liberation Sans has no glyph" in built.stderr
    assert "warning" not in built.stdout
    linted = CliRunner().invoke(main, ["lint", str(path)])
    assert f"{path}:5:10: warning[font]: the font Liberation Sans has no glyph" in linted.stdout
    assert f"{path}:6:17: warning[font]: right-to-left text" in linted.stdout


def test_an_ascii_meeting_has_no_font_warnings(
    write_yaml: Callable[[str], Path], tmp_path: Path
) -> None:
    path = write_yaml("meeting:\n  title: Plain\n  date: 2025-03-12\n")
    assert build(path, BuildOptions(out_dir=tmp_path / "out")).warnings == []  # type: ignore[attr-defined]


def test_format_characters_are_not_drawn_in_the_pdf_but_kept_in_the_docx() -> None:
    text = "a\u200db a\u200cb a\u200eb co\u00adoperation"
    document = Document(INFO, (Paragraph((Text(text),)),))
    pdf = PdfReader(io.BytesIO(write_pdf(document, default_theme()).data)).pages[0]
    drawn = pdf.extract_text()
    assert "ab ab ab" in drawn
    assert not any(c in drawn for c in "\u200d\u200c\u200e")
    with zipfile.ZipFile(io.BytesIO(write_docx(document, default_theme()).data)) as package:
        assert text in package.read("word/document.xml").decode()
