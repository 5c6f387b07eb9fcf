"""PDF/A (2a by default; 2b, 3a, 3b): the PDF writer's bytes made archival (XMP, sRGB output
intent, stable ID) with pikepdf.

reportlab already embeds every font (symbolic TrueType subsets with one cmap, no /Encoding) and
writes no encryption, JavaScript or transparency, and the writer tags every PDF (PDF/UA-1), which
is what level A asks beyond B; what PDF/A adds is done here, after the writer, so both writers
and the templates stay format-agnostic. `problems` is the structural check that `to_pdfa` ends
with and that `briefgen verify` runs on every archived file; when the independent validator
(page-validation) is installed it runs too, so this check never passes a file it rejects.

The output intent's profile, `sRGB.icc`, is lcms2's built-in sRGB (ICC v4.4, "No copyright, use
freely"), made once with Pillow and bundled so the bytes of a brief do not depend on the lcms2
version installed: `ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pikepdf

from briefgen.conformance import validator_failures
from briefgen.errors import WriterError
from briefgen.pdfstreams import without_trailing_cr
from briefgen.xmp import INFO_TO_XMP, PDF_DATE, packet, xmp_date

if TYPE_CHECKING:
    from briefgen.embedded import EmbeddedSource

PART, CONFORMANCE = 2, "A"  # the default level: PDF/A-2a (with PDF/UA-1)
LEVELS = {(2, "A"), (2, "B"), (3, "A"), (3, "B")}
SRGB_PROFILE = Path(__file__).with_name("sRGB.icc")
_OUTPUT_CONDITION = "sRGB IEC61966-2.1"

# Annotation flags (ISO 32000-1, 12.5.3): PDF/A wants Print on and these off.
_PRINT, _HIDING = 4, 1 | 2 | 32 | 256  # Invisible, Hidden, NoView, ToggleNoView
# Actions ISO 19005-2, 6.5.1 forbids.
_FORBIDDEN_ACTIONS = {
    "/Launch",
    "/Sound",
    "/Movie",
    "/ResetForm",
    "/ImportData",
    "/Hide",
    "/SetOCGState",
    "/Rendition",
    "/Trans",
    "/GoTo3DView",
    "/JavaScript",
    "/SetState",
    "/NOP",
}
_BLEND_MODES = {
    "/Normal",
    "/Compatible",
    "/Multiply",
    "/Screen",
    "/Overlay",
    "/Darken",
    "/Lighten",
    "/ColorDodge",
    "/ColorBurn",
    "/HardLight",
    "/SoftLight",
    "/Difference",
    "/Exclusion",
    "/Hue",
    "/Saturation",
    "/Color",
    "/Luminosity",
}


def to_pdfa(
    data: bytes, level: tuple[int, str] = (PART, CONFORMANCE), source: EmbeddedSource | None = None
) -> bytes:
    """Make a PDF from the PDF writer conform to PDF/A at `level` (part, conformance) and stay
    PDF/UA-1; same input, same bytes. A `source` is attached as the file's source (an
    associated file), which PDF/A-2 forbids: the file is then PDF/A-3 at the same conformance.

    Raises WriterError when the PDF has something PDF/A forbids that cannot be fixed here
    (an unembedded font, JavaScript, encryption), naming the problem.
    """
    if source is not None:
        level = (3, level[1])
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if pdf.is_encrypted:
            raise WriterError("an encrypted PDF cannot be made PDF/A")
        _drop_empty_info(pdf)
        if source is not None:
            _attach(pdf, source)
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", pikepdf.Array()):
                flags = int(annot.get("/F", 0))
                annot.F = (flags | _PRINT) & ~_HIDING
        profile = pdf.make_stream(srgb_profile())
        profile.N = 3
        pdf.Root.OutputIntents = pdf.make_indirect(
            pikepdf.Array(
                [
                    pikepdf.Dictionary(
                        Type=pikepdf.Name.OutputIntent,
                        S=pikepdf.Name.GTS_PDFA1,
                        OutputConditionIdentifier=_OUTPUT_CONDITION,
                        Info=_OUTPUT_CONDITION,
                        RegistryName="http://www.color.org",
                        DestOutputProfile=profile,
                    )
                ]
            )
        )
        metadata = pdf.make_stream(xmp_packet(pdf, level).encode("utf-8"))
        metadata.Type, metadata.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
        pdf.Root.Metadata = metadata
        # reportlab's /ID comes from the date alone; without one, qpdf's deterministic_id makes
        # both halves a digest of the content: equal briefs get equal IDs, a changed brief a
        # new one. No object streams: a plain xref table is what the most readers understand.
        del pdf.trailer.ID
        out = io.BytesIO()
        pdf.save(
            out,
            min_version="1.7",
            fix_metadata_version=False,
            deterministic_id=True,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            compress_streams=True,
        )
    result = without_trailing_cr(out.getvalue())
    found = problems(result, level)
    if found:
        raise WriterError(
            f"the PDF cannot be made PDF/A-{level[0]}{level[1].lower()}: " + "; ".join(found),
            hint="use TrueType (.ttf) fonts in the theme; PDF/A needs every font embedded",
        )
    return result


@lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    return SRGB_PROFILE.read_bytes()


def _drop_empty_info(pdf: pikepdf.Pdf) -> None:
    # An empty /Author would need an empty dc:creator entry; leaving both out is the honest form.
    info = pdf.docinfo
    for key in list(info.keys()):
        if isinstance(info[key], pikepdf.String) and not str(info[key]).strip():
            del info[key]


def _attach(pdf: pikepdf.Pdf, source: EmbeddedSource) -> None:
    spec = pikepdf.AttachedFileSpec(
        pdf,
        source.data,
        description=source.description,
        filename=source.name,
        mime_type=source.mime_type,
        creation_date=source.modified,
        mod_date=source.modified,
        relationship=pikepdf.Name.Source,
    )
    pdf.attachments[source.name] = spec
    pdf.Root.AF = pdf.make_indirect(pikepdf.Array([spec.obj]))


def xmp_packet(pdf: pikepdf.Pdf, level: tuple[int, str] = (PART, CONFORMANCE)) -> str:
    """The XMP packet: PDF/A and PDF/UA identification plus every Info entry, in its XMP form."""
    info = {key: _text(value) for key, value in pdf.docinfo.items()}
    return packet(info, _text(pdf.Root.get("/Lang", "")), pdfa=level)


def _text(value: object) -> str:
    return str(value)


def problems(data: bytes, level: tuple[int, str] | None = None, ua: bool = True) -> list[str]:
    """What stops a PDF from being PDF/A at `level` (default: the level its XMP claims, which
    must be one we write), checked structurally; empty when none is found.

    Covers the markers an archive relies on (identification, XMP agreeing with /Info, output
    intent, file ID, no encryption) and what the PDF writer could get wrong (fonts, actions,
    annotations, blend modes). It is not a full validator: when page-validation is installed,
    its failed rules (PDF/A level and PDF/UA-1) are added by id.
    """
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as exc:
        return [f"not a readable PDF ({exc})"]
    with pdf:
        if level is None:
            level = _claimed_level(pdf)
        found = _file_problems(pdf, data, level)
        found += _metadata_problems(pdf, level, ua)
        found += _intent_problems(pdf)
        for obj in _all_objects(pdf):
            found += _object_problems(obj)
    if not found:  # the independent validator has the last word
        profile = f"{level[0]}{level[1].lower()}"
        found += validator_failures(data, (profile, "ua1") if ua else (profile,))
    return list(dict.fromkeys(found))  # one line per kind of problem, in order


def _claimed_level(pdf: pikepdf.Pdf) -> tuple[int, str]:
    try:
        meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
        level = (int(meta.get("pdfaid:part", "0")), str(meta.get("pdfaid:conformance", "")))
    except Exception:  # unreadable XMP: _metadata_problems names it
        return (PART, CONFORMANCE)
    return level if level in LEVELS else (PART, CONFORMANCE)


def _file_problems(pdf: pikepdf.Pdf, data: bytes, level: tuple[int, str]) -> list[str]:
    found = []
    if not re.match(rb"%PDF-1\.[0-7]\r?\n%[\x80-\xff]{4}", data):
        found.append("the header is not %PDF-1.0 to 1.7 followed by a binary comment")
    if "/Encrypt" in pdf.trailer:
        found.append("the file is encrypted")
    ids = pdf.trailer.get("/ID")
    if not isinstance(ids, pikepdf.Array) or len(ids) != 2:
        found.append("the trailer has no file /ID")
    for key in ("/AA", "/Requirements", "/NeedsRendering"):
        if key in pdf.Root:
            found.append(f"the catalog has {key}")
    names = pdf.Root.get("/Names", pikepdf.Dictionary())
    # PDF/A-3 allows embedded files of any kind as associated files; PDF/A-2 only PDF/A ones,
    # which we never attach.
    if level[0] == 3 and "/EmbeddedFiles" in pdf.Root.get("/Names", pikepdf.Dictionary()):
        found += _attachment_problems(pdf)
    forbidden = ("/JavaScript", "/AlternatePresentations") + (
        ("/EmbeddedFiles",) if level[0] == 2 else ()
    )
    for key in forbidden:
        if key in names:
            found.append(f"the name dictionary has {key}")
    return found


def _attachment_problems(pdf: pikepdf.Pdf) -> list[str]:
    # ISO 19005-3, 6.8: each embedded file is an associated file of some object (here the
    # catalog), with a relationship, a MIME type and a modification date.
    associated = {
        spec.objgen
        for spec in pdf.Root.get("/AF", pikepdf.Array())
        if isinstance(spec, pikepdf.Dictionary)
    }
    found = []
    for name, attachment in pdf.attachments.items():
        spec = attachment.obj
        stream = spec.get("/EF", pikepdf.Dictionary()).get("/F")
        if spec.objgen not in associated:
            found.append(f"attachment {name!r} is not an associated file (/AF) of the catalog")
        if "/AFRelationship" not in spec:
            found.append(f"attachment {name!r} has no /AFRelationship")
        if not isinstance(stream, pikepdf.Stream) or "/Subtype" not in stream:
            found.append(f"attachment {name!r} has no MIME type (/Subtype)")
        elif "/ModDate" not in stream.get("/Params", pikepdf.Dictionary()):
            found.append(f"attachment {name!r} has no /Params /ModDate")
    return found


def _metadata_problems(pdf: pikepdf.Pdf, level: tuple[int, str], ua: bool = True) -> list[str]:
    stream = pdf.Root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        return ["no XMP metadata stream in the catalog"]
    if "/Filter" in stream:
        return ["the XMP metadata stream is compressed"]
    try:
        meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False, strict=True)
        part, conformance = meta.get("pdfaid:part"), meta.get("pdfaid:conformance")
        meta_ua = meta.get("pdfuaid:part")
        values = {key: meta.get(prop) for key, prop in INFO_TO_XMP.items()}
    except Exception as exc:  # any parse failure is the finding, whatever raised it
        return [f"the XMP metadata does not parse ({exc})"]
    found = []
    if (part, conformance) != (str(level[0]), level[1]):
        found.append(
            f"the XMP does not say PDF/A-{level[0]}{level[1].lower()} "
            f"(pdfaid:part {part}, pdfaid:conformance {conformance})"
        )
    if ua and meta_ua != "1":
        found.append(f"the XMP does not say PDF/UA-1 (pdfuaid:part {meta_ua})")
    for key, value in pdf.docinfo.items():
        if key not in INFO_TO_XMP:
            continue
        expected = _text(value)
        if key in ("/CreationDate", "/ModDate"):
            expected = xmp_date(expected) if PDF_DATE.match(expected.strip()) else expected
        got = values[key]
        if isinstance(got, list):  # dc:creator is a sequence of one author
            got = got[0] if len(got) == 1 else "; ".join(map(str, got))
        if got != expected:
            found.append(f"XMP {INFO_TO_XMP[key]} {got!r} disagrees with /Info {key} {expected!r}")
    return found


def _intent_problems(pdf: pikepdf.Pdf) -> list[str]:
    for intent in pdf.Root.get("/OutputIntents", pikepdf.Array()):
        if intent.get("/S") != pikepdf.Name.GTS_PDFA1:
            continue
        profile = intent.get("/DestOutputProfile")
        if not isinstance(profile, pikepdf.Stream):
            return ["the PDF/A output intent has no embedded ICC profile"]
        header = profile.read_bytes()[:128]
        if len(header) < 128 or header[36:40] != b"acsp":
            return ["the output intent's ICC profile is not an ICC profile"]
        if header[12:16] not in (b"mntr", b"prtr") or header[16:20] not in (
            b"RGB ",
            b"GRAY",
            b"CMYK",
        ):
            return ["the output intent's ICC profile is not an RGB, grey or CMYK output profile"]
        if header[8] >= 5:
            return [f"the output intent's ICC profile is version {header[8]}, PDF/A-2/3 need < 5"]
        return []
    return ["no PDF/A output intent (OutputIntents with /S /GTS_PDFA1)"]


def _all_objects(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Object]:
    """Every dictionary and stream in the file, indirect or nested directly inside another."""
    pending: list[pikepdf.Object] = [
        obj for obj in pdf.objects if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream))
    ]
    pending.append(pdf.trailer)
    while pending:
        obj = pending.pop()
        yield obj
        children = obj.values() if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)) else obj
        for child in children:
            # Indirect children are visited on their own, from pdf.objects.
            if isinstance(child, (pikepdf.Dictionary, pikepdf.Array)) and not child.is_indirect:
                pending.append(child)


def _object_problems(obj: pikepdf.Object) -> list[str]:
    if not isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
        return []
    found = []
    kind, subtype = obj.get("/Type"), obj.get("/Subtype")
    if kind == pikepdf.Name.Font and subtype != pikepdf.Name.Type3:
        font: pikepdf.Object = obj
        if subtype == pikepdf.Name.Type0:
            font = obj.get("/DescendantFonts", pikepdf.Array([pikepdf.Dictionary()]))[0]
        descriptor = font.get("/FontDescriptor", pikepdf.Dictionary())
        if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            found.append(f"font {obj.get('/BaseFont', '?')} is not embedded")
    if kind == pikepdf.Name.Page:
        for key in ("/AA", "/PresSteps"):
            if key in obj:
                found.append(f"a page has {key}")
        for annot in obj.get("/Annots", pikepdf.Array()):
            flags = int(annot.get("/F", 0))
            if annot.get("/Subtype") != pikepdf.Name.Popup and (
                not flags & _PRINT or flags & _HIDING
            ):
                found.append(f"a {annot.get('/Subtype')} annotation is not set to print")
    # Actions hang off /A, /OpenAction and /Next, or sit inside an additional-actions /AA.
    actions = [obj.get(key) for key in ("/A", "/OpenAction", "/Next")]
    additional = obj.get("/AA")
    if isinstance(additional, pikepdf.Dictionary):
        actions.extend(additional.values())
    for action in actions:
        if isinstance(action, pikepdf.Dictionary) and str(action.get("/S")) in _FORBIDDEN_ACTIONS:
            found.append(f"a {action.get('/S')} action")
    mode = obj.get("/BM")
    if isinstance(mode, pikepdf.Name) and str(mode) not in _BLEND_MODES:
        found.append(f"blend mode {mode} is not one ISO 32000-1 defines")
    if isinstance(obj, pikepdf.Stream):
        if any(k in obj for k in ("/F", "/FFilter", "/FDecodeParms")):
            found.append("a stream refers to an external file")
        filters = obj.get("/Filter")
        names = filters if isinstance(filters, pikepdf.Array) else [filters]
        if pikepdf.Name.LZWDecode in names:
            found.append("a stream uses LZWDecode")
    return found
