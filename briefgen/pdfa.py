"""PDF/A-2b and 3b: the PDF writer's bytes made archival (XMP, sRGB intent, stable ID) with pikepdf.

reportlab already embeds every font (symbolic TrueType subsets with one cmap, no /Encoding) and
writes no encryption, JavaScript or transparency; what PDF/A-2b adds is done here, after the
writer, so both writers and the templates stay format-agnostic. `problems` is the structural
check that `to_pdfa` ends with and that `briefgen verify` runs on every archived file.

With an `EmbeddedSource` the result is PDF/A-3b instead: the same file plus the meeting it was
built from as an associated file (ISO 19005-3, 6.8: `/AF`, `/AFRelationship`, a MIME `/Subtype`
and `/Params /ModDate`). The archive uses that; `build --pdfa` stays PDF/A-2b with no attachment.

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
from xml.sax.saxutils import escape

import pikepdf

from briefgen.errors import WriterError

if TYPE_CHECKING:
    from briefgen.embedded import EmbeddedSource

PART, CONFORMANCE = 2, "B"
PART_WITH_SOURCE = 3  # PDF/A-2 forbids an attachment that is not PDF/A itself; PDF/A-3 allows it
SRGB_PROFILE = Path(__file__).with_name("sRGB.icc")
_OUTPUT_CONDITION = "sRGB IEC61966-2.1"

# Annotation flags (ISO 32000-1, 12.5.3): PDF/A wants Print on and these off.
_PRINT, _HIDING = 4, 1 | 2 | 32 | 256  # Invisible, Hidden, NoView, ToggleNoView
# Actions ISO 19005-2, 6.5.1 forbids.
_FORBIDDEN_ACTIONS = {
    "/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/Hide", "/SetOCGState",
    "/Rendition", "/Trans", "/GoTo3DView", "/JavaScript", "/SetState", "/NOP",
}
_BLEND_MODES = {
    "/Normal", "/Compatible", "/Multiply", "/Screen", "/Overlay", "/Darken", "/Lighten",
    "/ColorDodge", "/ColorBurn", "/HardLight", "/SoftLight", "/Difference", "/Exclusion",
    "/Hue", "/Saturation", "/Color", "/Luminosity",
}
_C0 = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0
_PDF_DATE = re.compile(
    r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz])|([+-])(\d{2})'?(\d{2})?'?)?$"
)

# Info dictionary entries and the XMP property each must agree with (ISO 19005-2, 6.6.2.3.1).
INFO_TO_XMP = {
    "/Title": "dc:title",
    "/Author": "dc:creator",
    "/Subject": "dc:description",
    "/Keywords": "pdf:Keywords",
    "/Creator": "xmp:CreatorTool",
    "/Producer": "pdf:Producer",
    "/CreationDate": "xmp:CreateDate",
    "/ModDate": "xmp:ModifyDate",
}
# Entries that have an XMP twin the predefined PDF/A-2/3 schemas do not define (so the XMP may
# not carry it, and without it the entry would disagree): they are dropped from /Info.
_INFO_WITHOUT_XMP = ("/Trapped",)


def label(part: int) -> str:
    """`PDF/A-2b`, `PDF/A-3b`: how the manifest and messages name a level."""
    return f"PDF/A-{part}{CONFORMANCE.lower()}"


def to_pdfa(data: bytes, source: EmbeddedSource | None = None) -> bytes:
    """Make a PDF from the PDF writer conform to PDF/A-2b (PDF/A-3b when `source` is given, which
    is then attached as the file's source); same input, same bytes.

    Raises WriterError when the PDF has something PDF/A forbids that cannot be fixed here
    (an unembedded font, JavaScript, encryption), naming the problem.
    """
    part = PART if source is None else PART_WITH_SOURCE
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if pdf.is_encrypted:
            raise WriterError("an encrypted PDF cannot be made PDF/A")
        _tidy_info(pdf)
        if source is not None:
            _attach(pdf, source)
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", pikepdf.Array()):
                flags = int(annot.get("/F", 0))
                annot.F = (flags | _PRINT) & ~_HIDING
        profile = pdf.make_stream(srgb_profile())
        profile.N = 3
        pdf.Root.OutputIntents = pdf.make_indirect(pikepdf.Array([pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFA1,
            OutputConditionIdentifier=_OUTPUT_CONDITION, Info=_OUTPUT_CONDITION,
            RegistryName="http://www.color.org", DestOutputProfile=profile,
        )]))
        metadata = pdf.make_stream(xmp_packet(pdf, part).encode("utf-8"))
        metadata.Type, metadata.Subtype = pikepdf.Name.Metadata, pikepdf.Name.XML
        pdf.Root.Metadata = metadata
        # reportlab's /ID comes from the date alone; without one, qpdf's deterministic_id makes
        # both halves a digest of the content: equal briefs get equal IDs, a changed brief a
        # new one. No object streams: a plain xref table is what the most readers understand.
        del pdf.trailer.ID
        out = io.BytesIO()
        pdf.save(out, min_version="1.7", fix_metadata_version=False, deterministic_id=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=True)
    result = out.getvalue()
    found = problems(result, part)
    if found:
        raise WriterError(
            f"the PDF cannot be made {label(part)}: " + "; ".join(found),
            hint="use TrueType (.ttf) fonts in the theme; PDF/A needs every font embedded",
        )
    return result


@lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    return SRGB_PROFILE.read_bytes()


def _tidy_info(pdf: pikepdf.Pdf) -> None:
    # An empty /Author would need an empty dc:creator entry; leaving both out is the honest form.
    # reportlab's /Trapped /False is a claim nobody checked; its absence means "unknown".
    info = pdf.docinfo
    for key in list(info.keys()):
        if key in _INFO_WITHOUT_XMP or (
            isinstance(info[key], pikepdf.String) and not str(info[key]).strip()
        ):
            del info[key]


def _attach(pdf: pikepdf.Pdf, source: EmbeddedSource) -> None:
    spec = pikepdf.AttachedFileSpec(
        pdf, source.data, description=source.description, filename=source.name,
        mime_type=source.mime_type, creation_date=source.modified, mod_date=source.modified,
        relationship=pikepdf.Name.Source,
    )
    pdf.attachments[source.name] = spec
    pdf.Root.AF = pdf.make_indirect(pikepdf.Array([spec.obj]))


def xmp_packet(pdf: pikepdf.Pdf, part: int = PART) -> str:
    """The XMP packet: PDF/A identification plus every Info entry, in its XMP form."""
    info = {key: _text(value) for key, value in pdf.docinfo.items()}
    props = [f"<pdfaid:part>{part}</pdfaid:part>",
             f"<pdfaid:conformance>{CONFORMANCE}</pdfaid:conformance>",
             "<dc:format>application/pdf</dc:format>"]
    for key in ("/Title", "/Subject"):
        if key in info:
            tag = INFO_TO_XMP[key]
            props.append(f'<{tag}><rdf:Alt><rdf:li xml:lang="x-default">{_xml(info[key])}'
                         f"</rdf:li></rdf:Alt></{tag}>")
    if "/Author" in info:
        props.append(f"<dc:creator><rdf:Seq><rdf:li>{_xml(info['/Author'])}</rdf:li></rdf:Seq>"
                     "</dc:creator>")
    language = _text(pdf.Root.get("/Lang", ""))
    if language:
        props.append(f"<dc:language><rdf:Bag><rdf:li>{_xml(language)}</rdf:li></rdf:Bag>"
                     "</dc:language>")
    for key in ("/Keywords", "/Creator", "/Producer"):
        if key in info:
            props.append(f"<{INFO_TO_XMP[key]}>{_xml(info[key])}</{INFO_TO_XMP[key]}>")
    for key in ("/CreationDate", "/ModDate"):
        if key in info:
            stamp = xmp_date(info[key])
            props.append(f"<{INFO_TO_XMP[key]}>{stamp}</{INFO_TO_XMP[key]}>")
            if key == "/ModDate":
                props.append(f"<xmp:MetadataDate>{stamp}</xmp:MetadataDate>")
    body = "\n   ".join(props)
    # No `bytes` or `encoding` attribute in the header: ISO 19005-2, 6.6.2.1 forbids both.
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n'
        '    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">\n'
        f"   {body}\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="r"?>'
    )


def _text(value: object) -> str:
    return str(value)


def _xml(text: str) -> str:
    return escape(_C0.sub("", text))


def xmp_date(pdf_date: str) -> str:
    """`D:20241218093000+01'00'` → `2024-12-18T09:30:00+01:00` (the same instant, as XMP)."""
    match = _PDF_DATE.match(pdf_date.strip())
    if not match:
        raise WriterError(f"the PDF's date {pdf_date!r} is not a PDF date")
    year, month, day, hour, minute, second, zulu, sign, tz_h, tz_m = match.groups()
    text = f"{year}-{month or '01'}-{day or '01'}T{hour or '00'}:{minute or '00'}:{second or '00'}"
    if zulu:
        return text + "Z"
    if sign:
        return f"{text}{sign}{tz_h}:{tz_m or '00'}"
    return text


def problems(data: bytes, part: int | None = None) -> list[str]:
    """What stops a PDF from being PDF/A-`part`b (2 or 3; None: the part it declares), checked
    structurally; empty when none is found.

    Covers the markers an archive relies on (identification, XMP agreeing with /Info, output
    intent, file ID, no encryption, associated files) and what the PDF writer could get wrong
    (fonts, actions, annotations, blend modes). It is not a full validator; the tests hold its
    verdict against an independent one (page-validation).
    """
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as exc:
        return [f"not a readable PDF ({exc})"]
    with pdf:
        found, declared = _metadata_problems(pdf, part)
        found = _file_problems(pdf, data, declared) + found
        found += _intent_problems(pdf)
        for obj in _all_objects(pdf):
            found += _object_problems(obj)
    return list(dict.fromkeys(found))  # one line per kind of problem, in order


def _file_problems(pdf: pikepdf.Pdf, data: bytes, part: int) -> list[str]:
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
    for key in ("/JavaScript", "/AlternatePresentations"):
        if key in names:
            found.append(f"the name dictionary has {key}")
    if "/EmbeddedFiles" in names:
        if part == PART_WITH_SOURCE:
            found += _attachment_problems(pdf)
        else:
            found.append("the name dictionary has /EmbeddedFiles (PDF/A-2 allows only PDF/A "
                         "attachments; an archive's source makes it PDF/A-3)")
    return found


def _attachment_problems(pdf: pikepdf.Pdf) -> list[str]:
    # ISO 19005-3, 6.8: each embedded file is an associated file of some object (here the
    # catalog), with a relationship, a MIME type and a modification date.
    associated = {spec.objgen for spec in pdf.Root.get("/AF", pikepdf.Array())
                  if isinstance(spec, pikepdf.Dictionary)}
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


def _metadata_problems(pdf: pikepdf.Pdf, wanted: int | None) -> tuple[list[str], int]:
    """The metadata's problems, and the part to check the rest against (declared or wanted)."""
    fallback = wanted or PART
    stream = pdf.Root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        return ["no XMP metadata stream in the catalog"], fallback
    if "/Filter" in stream:
        return ["the XMP metadata stream is compressed"], fallback
    try:
        meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False, strict=True)
        part, level = meta.get("pdfaid:part"), meta.get("pdfaid:conformance")
        values = {key: meta.get(prop) for key, prop in INFO_TO_XMP.items()}
    except Exception as exc:  # any parse failure is the finding, whatever raised it
        return [f"the XMP metadata does not parse ({exc})"], fallback
    found = []
    allowed = (wanted,) if wanted else (PART, PART_WITH_SOURCE)
    declared = next((n for n in allowed if part == str(n)), fallback)
    if (part, level) != (str(declared), CONFORMANCE):
        found.append(f"the XMP does not say {label(declared)} "
                     f"(pdfaid:part {part}, pdfaid:conformance {level})")
    for key, value in pdf.docinfo.items():
        if key in _INFO_WITHOUT_XMP:
            found.append(f"/Info has {key}, which the PDF/A XMP schemas cannot carry")
        if key not in INFO_TO_XMP:
            continue
        expected = _text(value)
        if key in ("/CreationDate", "/ModDate"):
            expected = xmp_date(expected) if _PDF_DATE.match(expected.strip()) else expected
        got = values[key]
        if isinstance(got, list):  # dc:creator is a sequence of one author
            got = got[0] if len(got) == 1 else "; ".join(map(str, got))
        if got != expected:
            found.append(f"XMP {INFO_TO_XMP[key]} {got!r} disagrees with /Info {key} {expected!r}")
    return found, declared


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
        if header[12:16] not in (b"mntr", b"prtr") or header[16:20] not in (b"RGB ", b"GRAY",
                                                                            b"CMYK"):
            return ["the output intent's ICC profile is not an RGB, grey or CMYK output profile"]
        if header[8] >= 5:
            return [f"the output intent's ICC profile is version {header[8]}, PDF/A-2 needs < 5"]
        return []
    return ["no PDF/A output intent (OutputIntents with /S /GTS_PDFA1)"]


def _all_objects(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Object]:
    """Every dictionary and stream in the file, indirect or nested directly inside another."""
    pending: list[pikepdf.Object] = [obj for obj in pdf.objects
                                     if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream))]
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
