"""Checks of the files a theme names (logo, fonts, reference document), made when it loads.

Each file is read as far as needed to know it is sound, with limits checked before anything is
decoded: a logo's pixel count from its header, a reference document's member count and
uncompressed sizes from its zip directory, and its XML parsed with entities and DTDs refused.
A writer never meets a damaged or oversized file halfway through a brief.
"""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

from briefgen.errors import ThemeError

MAX_LOGO_PIXELS = 16_000_000  # a 4000 x 4000 logo; a print-quality crest needs a tenth of it
MAX_ZIP_MEMBERS = 1_000
MAX_MEMBER_BYTES = 32 * 1024 * 1024  # uncompressed, per part of a reference document
MAX_ZIP_BYTES = 128 * 1024 * 1024  # uncompressed, all parts together
_XML_SUFFIXES = (".xml", ".rels")


def check_logo(path: Path, name: str) -> None:
    """A PNG or JPEG that decodes completely and has at most MAX_LOGO_PIXELS pixels."""
    from PIL import Image

    with warnings.catch_warnings():
        # Pillow warns of a "decompression bomb" only above 89 megapixels; ours is lower and
        # checked from the header, so its warning must never reach the user.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as image:
                width, height = image.size
                if width * height > MAX_LOGO_PIXELS:
                    raise ThemeError(
                        f"logo: {name!r} is {width} x {height} pixels ({width * height:,}); "
                        f"the limit is {MAX_LOGO_PIXELS:,}",
                        hint="scale the logo down: 1000 pixels across print sharply at 30 mm",
                    )
                image.load()  # decodes every pixel: a truncated file fails here, not later
        except ThemeError:
            raise
        except Exception as exc:  # Pillow raises OSError, SyntaxError, ValueError, … by format
            raise ThemeError(
                f"logo: {name!r} is damaged: {exc}", hint="export the logo again as PNG (or JPEG)"
            ) from None


def check_font(path: Path, name: str) -> None:
    """A TrueType font reportlab can read (its tables, glyph index and metrics)."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    try:
        TTFontFile(str(path), validate=True)
    except Exception as exc:  # reportlab raises TTFError, struct.error, IndexError, …
        raise ThemeError(
            f"font: {name!r} cannot be read as a TrueType font: {exc}",
            hint="name a complete .ttf file (OpenType CFF .otf fonts are not supported)",
        ) from None


def check_reference(path: Path, name: str) -> None:
    """A .docx whose zip directory is within the limits and whose XML parts are plain XML."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_sizes(members, name)
            for member in members:
                if member.filename.lower().endswith(_XML_SUFFIXES):
                    _check_xml(archive.read(member), name, member.filename)
    except ThemeError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
    ) as exc:
        raise ThemeError(
            f"reference_docx: {name!r} is not a readable .docx: {exc}",
            hint="save the document from Word as .docx",
        ) from None


def _check_sizes(members: list[zipfile.ZipInfo], name: str) -> None:
    if len(members) > MAX_ZIP_MEMBERS:
        raise ThemeError(
            f"reference_docx: {name!r} has {len(members):,} parts; the limit is {MAX_ZIP_MEMBERS:,}"
        )
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > MAX_MEMBER_BYTES or total > MAX_ZIP_BYTES:
            raise ThemeError(
                f"reference_docx: {name!r}: part {member.filename} inflates to "
                f"{member.file_size:,} bytes (all parts so far: {total:,}); the limits are "
                f"{MAX_MEMBER_BYTES:,} per part and {MAX_ZIP_BYTES:,} in all",
                hint="a reference document needs only styles and page set-up: save an empty "
                "document with them",
            )


def _check_xml(data: bytes, name: str, part: str) -> None:
    from lxml import etree

    # No DTD is loaded and no entity resolved, ever; a Word part has no DOCTYPE at all, so one
    # there is refused rather than trusted to the parser's settings.
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ThemeError(
            f"reference_docx: {name!r}: part {part} is not well-formed XML: {exc}",
            hint="save the document from Word as .docx",
        ) from None
    if root.getroottree().docinfo.doctype:
        raise ThemeError(
            f"reference_docx: {name!r}: part {part} declares a DOCTYPE (entities or an "
            "external DTD), which Word documents never have; it is refused unread",
            hint="save the document again from Word",
        )
