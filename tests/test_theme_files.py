"""Damaged, hostile and oversized theme files are refused when the theme loads, at the YAML line
that names them, before any writer decodes them."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image

from briefgen.errors import ThemeError
from briefgen.fonts import FONT_DIR
from briefgen.resources import load_theme, template_folders

THEME_LINES = {
    "logo": "description: x\nlogo: {file: f.png, alt: Crest}\n",
    "font": "description: x\nfonts: {regular: f.ttf}\n",
    "reference_docx": "description: x\nreference_docx: f.docx\n",
}


def refused(tmp_path: Path, key: str, name: str, data: bytes) -> ThemeError:
    themes = tmp_path / "themes"
    themes.mkdir(exist_ok=True)
    (themes / name).write_bytes(data)
    (themes / "t.yaml").write_text(THEME_LINES[key], encoding="utf-8")
    with pytest.raises(ThemeError) as caught:
        load_theme("t", template_folders([tmp_path]))
    error = caught.value
    assert error.location is not None
    assert error.location.file == str(themes / "t.yaml")
    assert error.location.line == 2
    return error


def png_bytes(size: tuple[int, int] = (40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def huge_png(width: int, height: int) -> bytes:
    """A valid PNG header declaring `width` x `height` pixels; the pixels are never needed."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * 8))
        + chunk(b"IEND", b"")
    )


def docx_bytes(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_truncated_png_logo(tmp_path: Path) -> None:
    data = png_bytes((300, 300))
    error = refused(tmp_path, "logo", "f.png", data[: len(data) // 2])
    assert error.message.startswith("logo: 'f.png' is damaged: ")


def test_a_144_megapixel_logo_is_refused_before_decoding(tmp_path: Path) -> None:
    # Warnings are errors in this suite: Pillow's DecompressionBombWarning would fail it.
    error = refused(tmp_path, "logo", "f.png", huge_png(12_000, 12_000))
    assert error.message == (
        "logo: 'f.png' is 12000 x 12000 pixels (144,000,000); the limit is 16,000,000"
    )


def test_a_sound_logo_loads(tmp_path: Path) -> None:
    themes = tmp_path / "themes"
    themes.mkdir()
    (themes / "f.png").write_bytes(png_bytes())
    (themes / "t.yaml").write_text(THEME_LINES["logo"], encoding="utf-8")
    assert load_theme("t", template_folders([tmp_path])).logo is not None


def test_a_ttf_cut_to_3000_bytes(tmp_path: Path) -> None:
    data = (FONT_DIR / "LiberationSans-Regular.ttf").read_bytes()[:3000]
    error = refused(tmp_path, "font", "f.ttf", data)
    assert error.message.startswith("font: 'f.ttf' cannot be read as a TrueType font: ")


XXE = (
    b'<?xml version="1.0"?>\n<!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"&e;</w:document>"
)


def test_a_reference_docx_with_an_external_entity(tmp_path: Path) -> None:
    data = docx_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": XXE})
    error = refused(tmp_path, "reference_docx", "f.docx", data)
    assert error.message == (
        "reference_docx: 'f.docx': part word/document.xml declares a DOCTYPE (entities or an "
        "external DTD), which Word documents never have; it is refused unread"
    )
    assert "root:" not in str(error)


def deflated_zeros(mebibytes: int) -> tuple[bytes, int]:
    """Raw deflate data of `mebibytes` MiB of zeros, and its CRC, made in well under a second:
    after a full flush the compressor starts afresh, so each MiB compresses to the same bytes."""
    block = bytes(1024 * 1024)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(block, crc)
    return segment * mebibytes + compressor.flush(), crc


def one_member_zip(name: bytes, data: bytes, crc: int, size: int) -> bytes:
    common = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0, crc, len(data), size)
    local = b"PK\x03\x04" + common + struct.pack("<HH", len(name), 0) + name
    central = (
        b"PK\x01\x02"
        + struct.pack("<H", 20)
        + common
        + struct.pack("<HHHHHII", len(name), 0, 0, 0, 0, 0, 0)
        + name
    )
    end = b"PK\x05\x06" + struct.pack(
        "<HHHHIIH", 0, 0, 1, 1, len(central), len(local) + len(data), 0
    )
    return local + data + central + end


def test_a_reference_docx_that_inflates_to_a_gibibyte(tmp_path: Path) -> None:
    deflated, crc = deflated_zeros(1024)
    data = one_member_zip(b"word/document.xml", deflated, crc, 1024**3)
    assert len(data) < 2 * 1024 * 1024
    error = refused(tmp_path, "reference_docx", "f.docx", data)
    assert error.message.startswith(
        "reference_docx: 'f.docx': part word/document.xml inflates to 1,073,741,824 bytes"
    )


def test_a_reference_docx_with_too_many_parts(tmp_path: Path) -> None:
    data = docx_bytes({f"media/{i}.bin": b"" for i in range(1001)})
    error = refused(tmp_path, "reference_docx", "f.docx", data)
    assert error.message == "reference_docx: 'f.docx' has 1,001 parts; the limit is 1,000"


def test_a_reference_docx_with_broken_xml(tmp_path: Path) -> None:
    data = docx_bytes({"word/styles.xml": b"<w:styles"})
    error = refused(tmp_path, "reference_docx", "f.docx", data)
    assert error.message.startswith(
        "reference_docx: 'f.docx': part word/styles.xml is not well-formed XML: "
    )
