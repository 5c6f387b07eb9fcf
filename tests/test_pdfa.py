"""PDF/A-2a output: each requirement of the archive format checked structurally with pikepdf."""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageCms
from reportlab.pdfgen.canvas import Canvas

from briefgen.errors import WriterError
from briefgen.pdfa import SRGB_PROFILE, problems, to_pdfa, xmp_date
from briefgen.pipeline import BuildOptions, Project, build, render_document
from briefgen.validation import load_meeting
from briefgen.writers import write_format
from tests.conftest import EXAMPLE, INPUTS, Briefs

LINKED = next(p for p in INPUTS if p.name.startswith("black-sea"))


@pytest.fixture(scope="module")
def pdfas(built_briefs: Briefs) -> dict[str, bytes]:
    """The archive audience's PDF of every example input (the archive audience is PDF/A)."""
    return {
        name: files["pdf"].read_bytes()
        for (name, audience), files in built_briefs.items()
        if audience == "archive"
    }


@pytest.fixture(scope="module")
def plain_and_pdfa() -> tuple[bytes, bytes]:
    """One brief written as a plain PDF and then made PDF/A, from the same writer output."""
    project = Project()
    audience = project.audience("staff")
    meeting, _ = load_meeting(EXAMPLE, str(EXAMPLE))
    document = render_document(meeting, audience, project, created=1_734_480_000)
    plain = write_format(document, project.theme(audience), "pdf").data
    return plain, to_pdfa(plain)


def opened(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def dictionaries(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary | pikepdf.Stream]:
    """Every dictionary in the file, indirect or nested, found independently of briefgen.pdfa."""
    seen: set[tuple[int, int]] = set()
    pending: list[object] = [pdf.trailer, *pdf.objects]
    while pending:
        obj = pending.pop()
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream, pikepdf.Array)):
            if obj.is_indirect:
                if obj.objgen in seen:
                    continue
                seen.add(obj.objgen)
            if not isinstance(obj, pikepdf.Array):
                yield obj
            pending.extend(obj.values() if not isinstance(obj, pikepdf.Array) else obj)


def cmap_subtables(font_program: bytes) -> list[tuple[int, int]]:
    """(platform, encoding) of each subtable in a TrueType font's cmap table."""
    tables = struct.unpack(">H", font_program[4:6])[0]
    for i in range(tables):
        tag, _, offset, _ = struct.unpack(">4sIII", font_program[12 + 16 * i : 28 + 16 * i])
        if tag == b"cmap":
            count = struct.unpack(">H", font_program[offset + 2 : offset + 4])[0]
            return [
                struct.unpack(">HH", font_program[offset + 4 + 8 * j : offset + 8 + 8 * j])
                for j in range(count)
            ]
    return []


def pdf_date(text: str) -> dt.datetime:
    m = re.fullmatch(r"D:(\d{14})([+-])(\d\d)'(\d\d)'?", text)
    assert m, text
    offset = dt.timedelta(hours=int(m[3]), minutes=int(m[4])) * (1 if m[2] == "+" else -1)
    return dt.datetime.strptime(m[1], "%Y%m%d%H%M%S").replace(tzinfo=dt.timezone(offset))


def test_every_font_is_embedded_and_a_valid_symbolic_truetype(pdfas: dict[str, bytes]) -> None:
    for name, data in pdfas.items():
        with opened(data) as pdf:
            fonts = [d for d in dictionaries(pdf) if d.get("/Type") == pikepdf.Name.Font]
            assert fonts, name
            for font in fonts:
                descriptor = font.FontDescriptor
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, font.BaseFont
                # 6.2.11.6: a symbolic TrueType has no /Encoding and exactly one cmap subtable.
                assert int(descriptor.Flags) & 4, font.BaseFont
                assert "/Encoding" not in font
                assert len(cmap_subtables(descriptor.FontFile2.read_bytes())) == 1


def test_pdffonts_sees_every_font_embedded(built_briefs: Briefs) -> None:
    path = built_briefs[(EXAMPLE.name, "archive")]["pdf"]
    rows = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert rows
    assert all(row.split()[-5] == "yes" for row in rows), rows  # the "emb" column


def test_xmp_parses_and_agrees_with_the_info_dictionary(pdfas: dict[str, bytes]) -> None:
    for name, data in pdfas.items():
        with opened(data) as pdf:
            meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False, strict=True)
            info = pdf.docinfo
            assert meta.pdfa_status == "2A", name  # level A: tagged, with PDF/UA-1
            assert meta.get("pdfuaid:part") == "1", name
            assert meta["pdfaid:part"] == "2" and meta["pdfaid:conformance"] == "A"
            assert meta["dc:title"] == str(info.Title)
            assert meta["dc:creator"] == [str(info.Author)]
            assert meta["dc:description"] == str(info.Subject)
            assert meta["pdf:Keywords"] == str(info.Keywords)
            assert meta["pdf:Producer"] == str(info.Producer)
            assert meta["xmp:CreatorTool"] == str(info.Creator)
            for xmp_key, info_key in (
                ("xmp:CreateDate", "/CreationDate"),
                ("xmp:ModifyDate", "/ModDate"),
            ):
                xmp_value = dt.datetime.fromisoformat(meta[xmp_key])
                assert xmp_value == pdf_date(str(info[info_key])), (name, xmp_key)
            stream = pdf.Root.Metadata
            assert stream.Type == pikepdf.Name.Metadata and stream.Subtype == pikepdf.Name.XML
            assert "/Filter" not in stream  # readable by tools that do not inflate streams
            header = stream.read_bytes().split(b"?>", 1)[0]
            assert b"bytes=" not in header and b"encoding=" not in header  # 6.6.2.1


def test_the_title_and_dates_are_the_brief_s(plain_and_pdfa: tuple[bytes, bytes]) -> None:
    with opened(plain_and_pdfa[1]) as pdf:
        meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
        assert meta["dc:title"].startswith("NATO Secretary General")
        assert meta["xmp:CreateDate"] == "2024-12-18T00:00:00+00:00"
        assert meta["dc:language"] == {"en-GB"}  # a full tag, as the catalog's /Lang


def test_srgb_output_intent_with_an_embedded_icc_profile(pdfas: dict[str, bytes]) -> None:
    for data in pdfas.values():
        with opened(data) as pdf:
            intents = [i for i in pdf.Root.OutputIntents if i.S == pikepdf.Name.GTS_PDFA1]
            assert len(intents) == 1
            profile = intents[0].DestOutputProfile
            assert isinstance(profile, pikepdf.Stream) and profile.N == 3
            icc = ImageCms.ImageCmsProfile(io.BytesIO(profile.read_bytes())).profile
            assert (icc.xcolor_space, icc.device_class) == ("RGB ", "mntr")
            assert icc.version < 5  # 6.2.3: ICC.1:2004-10 or earlier
            assert str(intents[0].OutputConditionIdentifier) == "sRGB IEC61966-2.1"


def test_the_bundled_profile_is_srgb() -> None:
    # Colours converted from lcms2's own sRGB to the bundled profile come back unchanged.
    bundled = ImageCms.getOpenProfile(str(SRGB_PROFILE))
    reference = ImageCms.createProfile("sRGB")
    colours = bytes([0, 0, 0, 255, 255, 255, 31, 56, 100, 192, 0, 0, 128, 128, 128])
    converted = ImageCms.profileToProfile(
        Image.frombytes("RGB", (5, 1), colours), reference, bundled
    )
    assert converted is not None
    assert all(abs(a - b) <= 1 for a, b in zip(colours, converted.tobytes(), strict=True))


def test_no_encryption_javascript_actions_or_transparency_groups(pdfas: dict[str, bytes]) -> None:
    for name, data in pdfas.items():
        with opened(data) as pdf:
            assert "/Encrypt" not in pdf.trailer and not pdf.is_encrypted
            for obj in dictionaries(pdf):
                assert "/JavaScript" not in obj and "/JS" not in obj, name
                assert obj.get("/S") != pikepdf.Name.JavaScript
                assert "/AA" not in obj and "/OpenAction" not in obj
                group = obj.get("/Group")
                assert not (
                    isinstance(group, pikepdf.Dictionary)
                    and group.get("/S") == pikepdf.Name.Transparency
                ), name


def test_links_are_printable_annotations(built_briefs: Briefs) -> None:
    data = built_briefs[(LINKED.name, "archive")]["pdf"].read_bytes()
    with opened(data) as pdf:
        links = [a for page in pdf.pages for a in page.get("/Annots", [])]
        assert links, "the example with a link should have a link annotation"
        for link in links:
            assert int(link.F) & 4 and not int(link.F) & (1 | 2 | 32 | 256)


def test_header_version_and_file_id(pdfas: dict[str, bytes]) -> None:
    for data in pdfas.values():
        assert re.match(rb"%PDF-1\.7\r?\n%[\x80-\xff]{4}", data)
        with opened(data) as pdf:
            first, second = pdf.trailer.ID
            assert len(bytes(first)) == 16 and bytes(first) == bytes(second)


def test_the_document_id_is_stable_for_the_same_content(
    plain_and_pdfa: tuple[bytes, bytes],
) -> None:
    plain, pdfa = plain_and_pdfa
    assert to_pdfa(plain) == pdfa
    other = plain.replace(b"D:20241218000000", b"D:20241219000000")
    with opened(pdfa) as a, opened(to_pdfa(other)) as b:
        assert bytes(a.trailer.ID[0]) != bytes(b.trailer.ID[0])


def test_post_processing_changes_nothing_visible(
    plain_and_pdfa: tuple[bytes, bytes], tmp_path: Path
) -> None:
    pages = {}
    for kind, data in zip(("plain", "pdfa"), plain_and_pdfa, strict=True):
        (tmp_path / f"{kind}.pdf").write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-r", "40", "-gray", str(tmp_path / f"{kind}.pdf"), str(tmp_path / kind)],
            check=True,
        )
        pages[kind] = [p.read_bytes() for p in sorted(tmp_path.glob(f"{kind}-*.pgm"))]
    assert pages["plain"] and pages["plain"] == pages["pdfa"]


def test_pdfa_flag_and_audience_setting(tmp_path: Path) -> None:
    paths = build(EXAMPLE, BuildOptions(formats=("pdf",), out_dir=tmp_path / "a", pdfa=True))
    assert problems(paths[0].read_bytes()) == []
    plain = build(EXAMPLE, BuildOptions(formats=("pdf", "docx"), out_dir=tmp_path / "b"))
    assert problems(plain[0].read_bytes())  # staff without --pdfa: an ordinary PDF
    config = tmp_path / "briefgen.yaml"
    config.write_text("audiences:\n  staff:\n    pdfa: true\n", encoding="utf-8")
    configured = build(
        EXAMPLE, BuildOptions(formats=("pdf", "docx"), out_dir=tmp_path / "c", config=config)
    )
    assert problems(configured[0].read_bytes()) == []
    assert configured[1].read_bytes() == plain[1].read_bytes()  # a DOCX is not affected


def test_problems_finds_what_pdfa_forbids() -> None:
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)  # Helvetica: a standard font, never embedded
    canvas.drawString(72, 72, "text")
    canvas.save()
    found = problems(out.getvalue())
    assert "no XMP metadata stream in the catalog" in found
    assert any("output intent" in p for p in found)
    assert "font /Helvetica is not embedded" in found
    with pytest.raises(WriterError, match="Helvetica is not embedded"):
        to_pdfa(out.getvalue())


def test_problems_finds_javascript_encryption_and_hidden_annotations(
    plain_and_pdfa: tuple[bytes, bytes],
) -> None:
    with opened(plain_and_pdfa[1]) as pdf:
        pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert(1)")
        pdf.pages[0].Annots = pdf.make_indirect(
            pikepdf.Array(
                [
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10], F=2
                    )
                ]
            )
        )
        out = io.BytesIO()
        pdf.save(out, encryption=pikepdf.Encryption(owner="o", user=""))
    found = problems(out.getvalue())
    assert "the file is encrypted" in found
    assert "a /JavaScript action" in found
    assert "a /Link annotation is not set to print" in found


def test_problems_finds_xmp_that_disagrees_with_info(plain_and_pdfa: tuple[bytes, bytes]) -> None:
    with opened(plain_and_pdfa[1]) as pdf:
        pdf.docinfo.Title = "Another title"
        out = io.BytesIO()
        pdf.save(out)
    assert any(p.startswith("XMP dc:title") for p in problems(out.getvalue()))
    assert problems(b"not a pdf")[0].startswith("not a readable PDF")


@pytest.mark.parametrize(
    ("pdf", "xmp"),
    [
        ("D:19700101000000+00'00'", "1970-01-01T00:00:00+00:00"),
        ("D:20241218093000+01'00'", "2024-12-18T09:30:00+01:00"),
        ("D:20241218093000-05'30", "2024-12-18T09:30:00-05:30"),
        ("D:20241218093000Z", "2024-12-18T09:30:00Z"),
        ("D:2024", "2024-01-01T00:00:00"),
    ],
)
def test_xmp_date(pdf: str, xmp: str) -> None:
    assert xmp_date(pdf) == xmp
