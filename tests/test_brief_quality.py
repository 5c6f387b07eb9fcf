"""Minister-grade briefs (issue 10): decisions first, typography, tables, footers, the public
readout, packs and Word hygiene, checked in both formats where both print it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
import zlib
from pathlib import Path

import pikepdf
import pytest
from lxml import etree
from pypdf import PdfReader

from briefgen.audience import ITEM_LISTS, select
from briefgen.document import plain_text
from briefgen.footer import footer_text, shorten
from briefgen.hyphenation import alignment, dictionary_for
from briefgen.model import DEFAULT_LEVELS
from briefgen.pack import build_pack, surname_key
from briefgen.pdfa import without_trailing_cr
from briefgen.pipeline import BuildOptions, Project, build, render_document
from briefgen.typography import smarten
from briefgen.validation import load_meeting
from tests.conftest import INPUTS, REPO

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CAPABILITY = next(p for p in INPUTS if p.name.startswith("capability-roadmap"))
MIXED = next(p for p in INPUTS if p.name.startswith("mixed-levels"))
NATO = next(p for p in INPUTS if p.name.startswith("nato-sg-bih"))
PACK = REPO / "inputs" / "packs" / "ministerial-week" / "pack.yaml"


def headings(path: Path, audience: str) -> list[str]:
    project = Project(input_dir=path.parent)
    meeting, _ = load_meeting(path, levels=project.config.levels)
    document = render_document(meeting, project.audience(audience), project)
    return [plain_text(b.children) for b in document.blocks if type(b).__name__ == "Heading"]


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def docx_part(path: Path, name: str) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(path).read(name))


def docx_text(path: Path) -> str:
    body = docx_part(path, "word/document.xml")
    return " ".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p"))


@pytest.fixture(scope="module")
def briefs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], Path]:
    out = tmp_path_factory.mktemp("quality")
    found = {}
    for path in (CAPABILITY, MIXED, NATO):
        options = BuildOptions(audiences=("principal", "staff", "public"), out_dir=out)
        for written in build(path, options):
            _, audience, fmt = written.name.rsplit(".", 2)
            found[(path.name, audience, fmt)] = written
    return found


# --- Decisions sought -------------------------------------------------------------------------


@pytest.mark.parametrize("audience", ["principal", "staff"])
def test_decisions_come_right_after_the_purpose(audience: str) -> None:
    found = headings(CAPABILITY, audience)
    assert found[:2] == ["Purpose", "Decisions sought"]


def test_the_public_readout_never_prints_decisions() -> None:
    assert "Decisions sought" not in headings(CAPABILITY, "public")
    assert "Decisions sought" not in headings(MIXED, "public")


def test_decisions_are_cleared_like_every_other_item() -> None:
    assert "decisions" in ITEM_LISTS  # found by walking the model, not listed by hand
    project = Project(input_dir=MIXED.parent)
    meeting, _ = load_meeting(MIXED, levels=project.config.levels)
    levels = list(DEFAULT_LEVELS)
    staff = select(meeting, project.audience("staff"), levels).meeting
    assert [d.title for d in staff.decisions] == ["Second phase", "Sandbox access"]
    custom = project.audience("staff").__class__(
        "restricted", "", "staff.md.j2", clearance="RESTRICTED"
    )
    cleared = select(meeting, custom, levels).meeting
    assert [d.title for d in cleared.decisions] == ["Second phase"]  # CONFIDENTIAL one gone


def test_decisions_print_after_purpose_in_both_formats(
    briefs: dict[tuple[str, str, str], Path],
) -> None:
    for fmt, text in (("pdf", pdf_text), ("docx", docx_text)):
        body = " ".join(text(briefs[(CAPABILITY.name, "principal", fmt)]).split())
        assert body.index("Purpose") < body.index("Decisions sought") < body.index("Key messages")
        assert "Confirm the 2026 priorities" in body


# --- Tables -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_column_empty_in_every_row_is_not_printed(
    briefs: dict[tuple[str, str, str], Path], fmt: str
) -> None:
    # No capability initiative has an objective: the column went, in both formats.
    path = briefs[(CAPABILITY.name, "staff", fmt)]
    text = pdf_text(path) if fmt == "pdf" else docx_text(path)
    assert "Objective" not in text
    assert "Owner" in text  # the other columns stay
    # The mixed file's initiatives all have objectives: that column stays.
    mixed = briefs[(MIXED.name, "staff", fmt)]
    assert "Objective" in (pdf_text(mixed) if fmt == "pdf" else docx_text(mixed))


def test_dates_are_bound_and_months_abbreviated_alike(
    briefs: dict[tuple[str, str, str], Path],
) -> None:
    body = docx_text(briefs[(CAPABILITY.name, "staff", "docx")])
    assert not re.search(r"\bSept\b", body) and "19\u00a0Sep\u00a02028" in body
    assert "17\u00a0September\u00a02025" in body  # the title block's date


# --- Typography -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "language", "printed"),
    [
        ('He said "yes" and it\'s done.', "en", "He said \u201cyes\u201d and it\u2019s done."),
        ("'single' quotes", "en", "\u2018single\u2019 quotes"),
        ("Rekao je \"da\" i 'ne'", "bs", "Rekao je \u201eda\u201c i \u201ane\u2018"),
        ("the ministers' view, the '90s", "en", "the ministers\u2019 view, the \u201990s"),
        (
            "10:30-11:15, 2025-2031, pages 3-5",
            "en",
            "10:30\u201311:15, 2025\u20132031, pages 3\u20135",
        ),
        ("on 2025-03-12 or 2025-Q3, pre-2022", "en", "on 2025-03-12 or 2025-Q3, pre-2022"),
        (
            'see https://x.org/a-1\'b"c and "this"',
            "en",
            "see https://x.org/a-1'b\"c and \u201cthis\u201d",
        ),
        ("mail a.b@x.org - now", "en", "mail a.b@x.org \u2013 now"),
        ("12 March 2025", "en", "12\u00a0March\u00a02025"),
        # No hyphen, no address: the ellipsis and dates are still found.
        (
            "wait... from Sept 2025 to Q3 2026",
            "en",
            "wait\u2026 from Sept\u00a02025 to Q3\u00a02026",
        ),
        # An address with neither a colon nor an @ keeps its characters.
        (
            "see www.nato.int/'x'... and 'this'",
            "en",
            "see www.nato.int/'x'... and \u2018this\u2019",
        ),
        ("write `a--b` 'here'", "en", "write `a--b` \u2018here\u2019"),
    ],
)
def test_plain_typing_becomes_typographic(typed: str, language: str, printed: str) -> None:
    assert smarten(typed, language) == printed


def test_a_quote_after_bold_text_closes() -> None:
    # `before` is the end of the previous piece of the paragraph ("**bold**" then '"').
    assert smarten('" he said', "en", before="d") == "\u201d he said"


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_quotes_are_curly_in_both_formats(write_yaml: object, tmp_path: Path, fmt: str) -> None:
    path = write_yaml(  # type: ignore[operator]
        """
        meeting:
          title: The "Quoted" Meeting
          date: 2025-01-15
          language: bs
        purpose: Ministar je rekao "da", a 'možda' nije; vidi https://example.org/"x".
        """
    )
    (written,) = build(path, BuildOptions(formats=(fmt,), out_dir=tmp_path / "out"))
    text = pdf_text(written) if fmt == "pdf" else docx_text(written)
    assert "\u201eda\u201c" in text and "\u201amožda\u2018" in text
    assert "\u201eQuoted\u201c" in text
    assert 'https://example.org/"x"' in text  # an address keeps its characters
    assert '"da"' not in text


def test_justified_text_only_where_words_hyphenate() -> None:
    assert dictionary_for("en") == "en_GB"
    assert dictionary_for("bs") == "hr_HR"  # Bosnian by its closest neighbour's rules
    assert dictionary_for("tlh") is None
    assert alignment("justify", "en") == "justify"
    assert alignment("justify", "tlh") == "left"
    assert alignment("center", "tlh") == "center"


def test_principal_body_text_is_at_least_10_5_points() -> None:
    project = Project(input_dir=NATO.parent)
    theme = project.theme(project.audience("principal"))
    assert theme.role("body").size >= 10.5 and theme.role("list-item").size >= 10.5


# --- Footers ----------------------------------------------------------------------------------


def test_a_long_title_is_shortened_at_a_word_with_an_ellipsis() -> None:
    def measure(text: str) -> float:
        return float(len(text))

    title = "NATO Secretary General Meets Chair of the Presidency of Bosnia and Herzegovina"
    assert shorten(title, 40, measure) == "NATO Secretary General Meets Chair of\u2026"
    assert shorten(title, 200, measure) == title
    assert shorten("Review, and then more", 9, measure) == "Review\u2026"  # no comma before …
    assert shorten("Supercalifragilistic", 6, measure) == "Super\u2026"  # one long word


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_footer_title_never_cut_mid_word_and_never_beside_the_marking(
    briefs: dict[tuple[str, str, str], Path], fmt: str
) -> None:
    path = briefs[(NATO.name, "public", fmt)]
    title = "NATO Secretary General Meets Chair of the Presidency of Bosnia and Herzegovina"
    expected = footer_text(title, "Page {page} of {pages}", 595.2756 - 2 * 25 * 72 / 25.4, 8.5)
    assert expected.endswith("\u2026") or expected == title
    kept = expected.rstrip("\u2026")
    assert title.startswith(kept) and (kept == title or title[len(kept)] == " ")
    if fmt == "docx":
        footer = docx_part(path, "word/footer1.xml")
        lines = ["".join(p.itertext()) for p in footer.iter(f"{W}p")]
        assert lines[0].startswith(expected)
        assert lines[1] == "PUBLIC"  # the marking has a line of its own, under the footer
    else:
        lines = [line.strip() for line in pdf_text(path).splitlines() if line.strip()]
        footer_line = next(
            line
            for line in lines
            if line.endswith("Page 1 of 3") or re.search(r"Page 1 of \d+$", line)
        )
        assert footer_line.startswith(expected) and "PUBLIC" not in footer_line


# --- Public readout ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_public_readout_is_written_for_publication_on_a4(
    briefs: dict[tuple[str, str, str], Path], fmt: str
) -> None:
    path = briefs[(NATO.name, "public", fmt)]
    text = pdf_text(path) if fmt == "pdf" else docx_text(path)
    for working_words in ("Points raised", "Press lines", "Decisions sought"):
        assert working_words not in text
    assert "Taking part" in text and "Jens Stoltenberg" in text and "Željko Komšić" in text
    if fmt == "pdf":
        box = PdfReader(path).pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    else:
        size = docx_part(path, "word/document.xml").find(f".//{W}sectPr/{W}pgSz")
        assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")


def test_public_readout_lists_only_public_participants(
    briefs: dict[tuple[str, str, str], Path],
) -> None:
    text = pdf_text(briefs[(MIXED.name, "public", "pdf")])
    assert "Helena Varga" in text
    assert "Dmitri Kovalenko" not in text and "Bracci" not in text


# --- Word hygiene -----------------------------------------------------------------------------


def test_docx_settings_fonts_and_properties(briefs: dict[tuple[str, str, str], Path]) -> None:
    path = briefs[(MIXED.name, "staff", "docx")]
    settings = docx_part(path, "word/settings.xml")
    modes = [
        s.get(f"{W}val")
        for s in settings.iter(f"{W}compatSetting")
        if s.get(f"{W}name") == "compatibilityMode"
    ]
    assert modes == ["15"]
    styles = docx_part(path, "word/styles.xml")
    assert styles.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr/{W}widowControl") is not None
    assert not [e for e in styles.iter(f"{W}widowControl") if e.get(f"{W}val") == "0"]
    fonts = {f.get(f"{W}name"): f for f in docx_part(path, "word/fontTable.xml")}
    alt = fonts["Liberation Sans"].find(f"{W}altName")
    assert alt is not None and alt.get(f"{W}val") == "Arial"
    custom = zipfile.ZipFile(path).read("docProps/custom.xml").decode()
    assert 'name="Classification"><vt:lpwstr>CONFIDENTIAL</vt:lpwstr>' in custom
    types = zipfile.ZipFile(path).read("[Content_Types].xml").decode()
    assert 'PartName="/docProps/custom.xml"' in types
    formal = briefs[(NATO.name, "public", "docx")]
    serif = {f.get(f"{W}name"): f for f in docx_part(formal, "word/fontTable.xml")}
    assert serif["Liberation Serif"].find(f"{W}altName").get(f"{W}val") == "Times New Roman"


def test_docx_keeps_no_unused_style(briefs: dict[tuple[str, str, str], Path]) -> None:
    path = briefs[(CAPABILITY.name, "staff", "docx")]
    archive = zipfile.ZipFile(path)
    used: set[str] = set()
    for name in archive.namelist():
        if name.startswith("word/") and name.endswith(".xml") and name != "word/styles.xml":
            root = etree.fromstring(archive.read(name))
            for tag in ("pStyle", "rStyle", "tblStyle"):
                used.update(e.get(f"{W}val") for e in root.iter(f"{W}{tag}"))
    styles = docx_part(path, "word/styles.xml")
    defined = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}
    needed = set(used) | {i for i, s in defined.items() if s.get(f"{W}default") == "1"}
    for style in list(defined.values()):  # and what those build on
        for ref in ("basedOn", "link", "next"):
            found = style.find(f"{W}{ref}")
            if found is not None and style.get(f"{W}styleId") in needed:
                needed.add(found.get(f"{W}val"))
    assert set(defined) - needed <= {"Heading1Char"}.intersection(defined) | set()
    assert "MacroText" not in defined and "IntenseQuote" not in defined
    assert {"Strong", "ListBullet", "BriefTable"} <= set(defined)


def test_docx_run_formatting_uses_character_styles(
    briefs: dict[tuple[str, str, str], Path],
) -> None:
    body = docx_part(briefs[(CAPABILITY.name, "staff", "docx")], "word/document.xml")
    assert body.find(f".//{W}rPr/{W}b") is None and body.find(f".//{W}rPr/{W}i") is None
    assert "Strong" in {e.get(f"{W}val") for e in body.iter(f"{W}rStyle")}


def test_docx_creation_date_only_when_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    (undated,) = build(NATO, BuildOptions(formats=("docx",), out_dir=tmp_path / "a"))
    core = zipfile.ZipFile(undated).read("docProps/core.xml").decode()
    assert "dcterms:created" not in core and "2024-12-18" not in core.split("subject")[-1]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    (dated,) = build(NATO, BuildOptions(formats=("docx",), out_dir=tmp_path / "b"))
    core = zipfile.ZipFile(dated).read("docProps/core.xml").decode()
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z' in core


# --- Packs ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pack")
    paths = build_pack(PACK, BuildOptions(out_dir=out), audiences=("staff",))
    return {p.suffix[1:]: p for p in paths}


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_pack_cover_has_marking_issue_date_contact_handling_and_programme(
    pack: dict[str, Path], fmt: str
) -> None:
    if fmt == "pdf":
        first = " ".join(PdfReader(pack["pdf"]).pages[0].extract_text().split())
    else:
        first = " ".join(docx_text(pack["docx"]).split())
    for expected in (
        "Ministerial Week, Brussels",
        "Issued 7 March 2025",
        "Contact Maria Lindqvist, Policy Planning Unit",
        "Marking RESTRICTED",
        "Handling Handle as RESTRICTED",
        "Programme",
        "Contents",
    ):
        assert expected in first.replace("\u00a0", " "), expected
    # Each meeting with its day, time and place, before the contents.
    assert re.search(
        r"Wednesday, 12 March 2025 10:30.11:45 CET Trilateral on Black Sea "
        r"Maritime Security Egmont Palace",
        first.replace("\u00a0", " "),
    )


def test_pack_contents_list_meetings_only_unless_asked(
    pack: dict[str, Path], tmp_path: Path
) -> None:
    reader = PdfReader(pack["pdf"])
    first = reader.pages[0].extract_text()
    contents = first[first.index("Contents") :]
    assert "Purpose" not in contents and "Key points" not in contents
    folder = tmp_path / "week"
    shutil.copytree(PACK.parent, folder)
    shutil.copy(REPO / "inputs" / "black-sea-maritime-security-2025-03-12.yaml", tmp_path)
    deep = folder / "pack.yaml"
    deep.write_text(
        deep.read_text(encoding="utf-8")
        .replace("contents_depth: 0", "contents_depth: 1")
        .replace("../../", "../"),
        encoding="utf-8",
    )
    (pdf,) = build_pack(
        deep, BuildOptions(formats=("pdf",), out_dir=tmp_path / "out"), audiences=("staff",)
    )
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages[:2])
    assert "Purpose" in text[text.index("Contents") :]


def test_biographies_sorted_by_surname_with_latin_spelling(pack: dict[str, Path]) -> None:
    reader = PdfReader(pack["pdf"])
    annex = reader.pages[-1].extract_text()
    names = [
        "Gen. Karin Holm",
        "Maria Lindqvist",
        "Elena Marchetti",
        "Anatolie Nosatîi",
        "Андрій Сибіга (Andrii Sybiha)",
        "Jonas Weber",
    ]
    positions = [annex.index(name) for name in names]
    assert positions == sorted(positions)
    word = docx_text(pack["docx"])
    assert "Андрій Сибіга (Andrii Sybiha)" in word


def test_surname_key_uses_sort_as_then_latin_then_last_word() -> None:
    people = [
        {"name": "Tomás Ó Briain", "sort_as": "Ó Briain"},
        {"name": "Jonas Weber"},
        {"name": "Андрій Сибіга", "latin": "Andrii Sybiha"},
        {"name": "Gen. Karin Holm"},
    ]
    assert [p["name"] for p in sorted(people, key=surname_key)] == [
        "Gen. Karin Holm",
        "Tomás Ó Briain",
        "Андрій Сибіга",
        "Jonas Weber",
    ]


def test_pack_headings_ruled_alike_in_both_formats(pack: dict[str, Path]) -> None:
    # "Contents" is a Heading 1 in both (ruled); the annex title is a title block without
    # fields: no rule in either.
    body = docx_part(pack["docx"], "word/document.xml")
    contents = next(p for p in body.iter(f"{W}p") if "".join(p.itertext()) == "Contents")
    assert contents.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "Heading1"
    rule = re.compile(rb"\d+ \d+ m [\d.]+ [\d.]+ l S")  # an HRFlowable's stroke
    with pikepdf.open(pack["pdf"]) as pdf:
        first, last = (pdf.pages[i].Contents.read_bytes() for i in (0, -1))
    # Page 1 rules off the title block, Programme and Contents; the annex page has none.
    assert len(rule.findall(first)) >= 3
    assert rule.findall(last) == []


# --- PDF/A by chance ----------------------------------------------------------------------------


def test_a_content_stream_ending_in_cr_is_rewritten() -> None:
    content = b"BT ET"
    while not zlib.compress(content).endswith(b"\r"):  # about one in 256 contents
        content += b" "
    pdf = pikepdf.new()
    pdf.add_blank_page()
    stream = pikepdf.Stream(pdf, zlib.compress(content))
    stream.Filter = pikepdf.Name.FlateDecode
    pdf.pages[0].Contents = pdf.make_indirect(stream)
    out = io.BytesIO()
    pdf.save(out, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    assert b"\r\nendstream" in out.getvalue()
    fixed = without_trailing_cr(out.getvalue())
    assert b"\r\nendstream" not in fixed
    with pikepdf.open(io.BytesIO(fixed)) as again:
        assert again.pages[0].Contents.read_bytes().rstrip() == content.rstrip()


def test_staff_brief_ends_with_the_biographies_and_the_principal_has_none() -> None:
    black_sea = next(p for p in INPUTS if p.name.startswith("black-sea"))
    assert headings(black_sea, "staff")[-2:] == [
        "Annex: Biographies",
        "Андрій Сибіга (Andrii Sybiha)",
    ]
    assert "Annex: Biographies" not in headings(black_sea, "principal")
    mixed = headings(MIXED, "staff")
    assert mixed[-2:] == ["Annex: Biographies", "Colonel Aurelio Bracci"]
    assert "Annex: Biographies" not in headings(MIXED, "public")


def test_a_pack_prints_each_biography_once(pack: dict[str, Path]) -> None:
    text = " ".join(p.extract_text() for p in PdfReader(pack["pdf"]).pages)
    assert text.count("Annex: Biographies") == 2  # its contents entry and the annex itself
    assert text.count("Career diplomat; previously Deputy Head") == 1
