"""XMP metadata packets: the Info dictionary's values in XMP, plus PDF/UA and PDF/A identification.

One writer for every PDF: the PDF writer puts a packet with `pdfuaid:part 1` in each file, and
`pdfa` rewrites it with `pdfaid` and the extension schema PDF/A needs to accept `pdfuaid`.
"""

from __future__ import annotations

import re
from html import escape

from briefgen.errors import WriterError

# Info dictionary entries and the XMP property each must agree with (ISO 19005-2, 6.6.2.3.1).
# /Trapped has no place here: pdf:Trapped is outside the schemas PDF/A predefines, so the writer
# leaves it out of /Info as well.
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

_C0 = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # not allowed in XML 1.0
PDF_DATE = re.compile(
    r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz])|([+-])(\d{2})'?(\d{2})?'?)?$"
)

# ISO 14289-1, 5: a PDF/A file must declare the pdfuaid schema it uses (ISO 19005-2, 6.6.2.3.2).
_UA_EXTENSION = """   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>part</pdfaProperty:name>
         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
         <pdfaProperty:category>internal</pdfaProperty:category>
         <pdfaProperty:description>Part of ISO 14289 followed</pdfaProperty:description>
        </rdf:li>
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>"""


def packet(
    info: dict[str, str], language: str, *, ua: bool = True, pdfa: tuple[int, str] | None = None
) -> str:
    """The XMP packet for Info values keyed like `/Title`; empty values are left out."""
    info = {key: value for key, value in info.items() if key in INFO_TO_XMP and value.strip()}
    props: list[str] = []
    if pdfa is not None:
        props += [
            f"<pdfaid:part>{pdfa[0]}</pdfaid:part>",
            f"<pdfaid:conformance>{pdfa[1]}</pdfaid:conformance>",
        ]
    if ua:
        props.append("<pdfuaid:part>1</pdfuaid:part>")
    props.append("<dc:format>application/pdf</dc:format>")
    for key in ("/Title", "/Subject"):
        if key in info:
            tag = INFO_TO_XMP[key]
            props.append(
                f'<{tag}><rdf:Alt><rdf:li xml:lang="x-default">{_xml(info[key])}'
                f"</rdf:li></rdf:Alt></{tag}>"
            )
    if "/Author" in info:
        props.append(
            f"<dc:creator><rdf:Seq><rdf:li>{_xml(info['/Author'])}</rdf:li></rdf:Seq></dc:creator>"
        )
    if language:
        props.append(
            f"<dc:language><rdf:Bag><rdf:li>{_xml(language)}</rdf:li></rdf:Bag></dc:language>"
        )
    for key in ("/Keywords", "/Creator", "/Producer"):
        if key in info:
            props.append(f"<{INFO_TO_XMP[key]}>{_xml(info[key])}</{INFO_TO_XMP[key]}>")
    for key in ("/CreationDate", "/ModDate"):
        if key in info:
            stamp = xmp_date(info[key])
            props.append(f"<{INFO_TO_XMP[key]}>{stamp}</{INFO_TO_XMP[key]}>")
            if key == "/ModDate":
                props.append(f"<xmp:MetadataDate>{stamp}</xmp:MetadataDate>")
    if pdfa is not None and ua:
        props.append(_UA_EXTENSION.strip())
    body = "\n   ".join(props)
    # No `bytes` or `encoding` attribute in the header: ISO 19005-2, 6.6.2.1 forbids both.
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"\n'
        '    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"\n'
        '    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"\n'
        '    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"\n'
        '    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#"\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n'
        '    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">\n'
        f"   {body}\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="r"?>'
    )


def _xml(text: str) -> str:
    return escape(_C0.sub("", text), quote=False)


def xmp_date(pdf_date: str) -> str:
    """`D:20241218093000+01'00'` → `2024-12-18T09:30:00+01:00` (the same instant, as XMP)."""
    match = PDF_DATE.match(pdf_date.strip())
    if not match:
        raise WriterError(f"the PDF's date {pdf_date!r} is not a PDF date")
    year, month, day, hour, minute, second, zulu, sign, tz_h, tz_m = match.groups()
    text = f"{year}-{month or '01'}-{day or '01'}T{hour or '00'}:{minute or '00'}:{second or '00'}"
    if zulu:
        return text + "Z"
    if sign:
        return f"{text}{sign}{tz_h}:{tz_m or '00'}"
    return text
