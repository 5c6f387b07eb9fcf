"""Escaping end to end: adversarial text goes through the real templates into both formats.

Plain-text fields (names, roles, titles, headings, table cells) must show markup, entities and
Jinja syntax exactly as written; rich-text fields are Markdown, so `**bold**` is bold there while
HTML and Jinja syntax still come out literally. Nothing is ever evaluated: `49` never appears.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.table import Table as WordTable
from pypdf import PdfReader

from briefgen.cli import main
from tests.conftest import REPO

PLAIN = "<b> </para> &amp; *x* | # {{ 7*7 }} {% raw %}"
RICH = "<b> </para> {{ 7*7 }} {% raw %} **bold** end"
RICH_SHOWN = "<b> </para> {{ 7*7 }} {% raw %} bold end"  # ** consumed, the word bold
MEETING = f"""\
meeting:
  title: "Title {PLAIN}"
  date: 2025-01-15
  location: "Room {PLAIN}"
participants:
  - name: "Name {PLAIN}"
    role: "Role {PLAIN}"
purpose: "Purpose {RICH}"
summary: "Summary {RICH}"
key_points:
  - title: "Point {PLAIN}"
    text: "Item {RICH}"
initiatives:
  - name: "Initiative {PLAIN}"
    objective: "Objective {PLAIN}"
    timeline: "Timeline {PLAIN}"
sections:
  - heading: "Heading {PLAIN}"
    body: "Body {RICH}"
    table:
      columns: ["Column | #", "Two *x*"]
      rows:
        - ["Cell {PLAIN}", "| a | b |"]
"""
PLAIN_FIELDS = [
    "Title",
    "Room",
    "Name",
    "Role",
    "Point",
    "Initiative",
    "Objective",
    "Timeline",
    "Heading",
    "Cell",
]
RICH_FIELDS = ["Purpose", "Summary", "Item", "Body"]
EXPECTED = [f"{label} {PLAIN}" for label in PLAIN_FIELDS]
EXPECTED += [f"{label} {RICH_SHOWN}" for label in RICH_FIELDS]
EXPECTED += ["Column | #", "Two *x*", "| a | b |"]


def squash(text: str) -> str:
    # Lines wrap at spaces (and long words anywhere), so compare without whitespace.
    return "".join(text.split())


@pytest.fixture(scope="module")
def meeting_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("escaping") / "adversarial.yaml"
    path.write_text(MEETING, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def built(meeting_file: Path) -> dict[str, Path]:
    """Built by the command line in its own process, as a user would."""
    out = meeting_file.parent / "out"
    result = subprocess.run(
        [sys.executable, "-m", "briefgen.cli", "build", str(meeting_file), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert result.returncode == 0, result.stderr
    paths = [Path(line) for line in result.stdout.splitlines()]
    return {p.suffix[1:]: p for p in paths}


@pytest.fixture(scope="module")
def word(built: dict[str, Path]) -> docx.document.Document:
    return docx.Document(str(built["docx"]))


def docx_body_text(document: docx.document.Document) -> str:
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def pdf_runs(built: dict[str, Path]) -> list[tuple[str, str]]:
    """(text, font name) of every text run drawn on every page."""
    runs: list[tuple[str, str]] = []

    def visit(
        text: str, _cm: object, _tm: object, font: dict[str, object] | None, _size: object
    ) -> None:
        if text.strip():
            runs.append((text, str(font.get("/BaseFont", "")) if font else ""))

    for page in PdfReader(built["pdf"]).pages:
        page.extract_text(visitor_text=visit)
    return runs


@pytest.fixture(scope="module")
def pdf_text(built: dict[str, Path]) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(built["pdf"]).pages)


@pytest.mark.parametrize("expected", EXPECTED)
def test_text_appears_literally_in_the_pdf(pdf_text: str, expected: str) -> None:
    assert squash(expected) in squash(pdf_text)


@pytest.mark.parametrize("expected", EXPECTED)
def test_text_appears_literally_in_the_docx(word: docx.document.Document, expected: str) -> None:
    assert expected in docx_body_text(word)


def test_nothing_is_evaluated(pdf_text: str, word: docx.document.Document) -> None:
    assert "49" not in pdf_text
    assert "49" not in docx_body_text(word)
    # Every field once in the body (the PDF also repeats the title in each page's footer).
    assert docx_body_text(word).count("{{ 7*7 }}") == len(PLAIN_FIELDS) + len(RICH_FIELDS)
    assert docx_body_text(word).count("{% raw %}") == len(PLAIN_FIELDS) + len(RICH_FIELDS)


def test_metadata_keeps_the_title_literally(
    built: dict[str, Path], word: docx.document.Document
) -> None:
    info = PdfReader(built["pdf"]).metadata
    assert info is not None and info.title == f"Title {PLAIN}"
    assert word.core_properties.title == f"Title {PLAIN}"


def test_markdown_bold_is_strong_in_the_document_model(meeting_file: Path) -> None:
    result = CliRunner().invoke(main, ["dump", "--stage", "document", str(meeting_file)])
    assert result.exit_code == 0, result.output
    # Each rich field: its literal text, then the Strong node, then the rest.
    for label in RICH_FIELDS:
        literal = f"{label} <b> </para> {{{{ 7*7 }}}} {{% raw %}} ', Strong(['bold']), ' end']"
        assert literal in result.output, label
    assert result.output.count("Strong(['bold'])") == len(RICH_FIELDS)
    assert "Emphasis" not in result.output  # *x* in plain text is not emphasis


def test_markdown_bold_is_a_bold_run_in_the_docx(word: docx.document.Document) -> None:
    runs = [run for p in word.paragraphs for run in p.runs]
    bold_words = [run for run in runs if run.text == "bold"]
    assert len(bold_words) == len(RICH_FIELDS)
    # Bold is the Strong character style (Word hygiene: no direct formatting).
    assert all(run.style.name == "Strong" for run in bold_words)
    assert not any(
        run.style.name == "Strong"
        for run in runs
        if "</para>" in run.text and "Point" not in run.text
    )
    # The key point's title is bold by the template; everything else that is literal is not.
    assert not any(
        run.style.name == "Emphasis" or run.italic for p in word.paragraphs for run in p.runs
    )


def test_markdown_bold_uses_the_bold_font_in_the_pdf(pdf_runs: list[tuple[str, str]]) -> None:
    bold = [font for text, font in pdf_runs if text.strip() == "bold"]
    assert len(bold) == len(RICH_FIELDS)
    assert all(font.endswith("-Bold") for font in bold), bold
    for text, font in pdf_runs:
        if text.lstrip().startswith(tuple(RICH_FIELDS)) and "</para>" in text:
            assert "Bold" not in font, (text, font)  # the literal part stays regular
    italic = {text.strip() for text, font in pdf_runs if "Italic" in font}
    assert italic == {"Staff brief"}  # the subtitle's style; never *x*


def test_pipe_in_a_cell_adds_no_column(word: docx.document.Document) -> None:
    tables = {_first_cell(t): t for t in word.tables}
    expected = {"Name": 2, "Initiative": 3, "Column | #": 2}
    for first, columns in expected.items():
        table = tables[first]
        assert len(table.columns) == columns, first
        assert all(len(row.cells) == columns for row in table.rows), first
    section = tables["Column | #"]
    assert [c.text for c in section.rows[1].cells] == [f"Cell {PLAIN}", "| a | b |"]


def _first_cell(table: WordTable) -> str:
    return table.rows[0].cells[0].text


def test_heading_hash_stays_in_one_heading(word: docx.document.Document) -> None:
    headings = [
        p.text
        for p in word.paragraphs
        if p.style is not None and str(p.style.name).startswith("Heading")
    ]
    assert f"Heading {PLAIN}" in headings
    assert not [h for h in headings if re.fullmatch(r"[#\s]*", h)]  # no stray empty heading
