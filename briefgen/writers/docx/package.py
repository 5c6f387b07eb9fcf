"""The DOCX package in and out: a reference document opened from a parsed copy, parts zipped once.

Opening the reference with python-docx for every write unzipped it and parsed its XML again
(styles.xml alone is ~50 KB); `open_reference` keeps, per reference document's bytes, the
unzipped package and its parsed XML parts, and gives each write deep copies of those
elements (lxml copies a tree several times faster than it parses one), so no write can change
what the next one starts from. On the way out, python-docx's own save zipped the package
only for the hygiene pass to unzip it, rewrite it and the normalising pass to do it again;
`split_package` gives the parts python-docx's save would write (its XML parts as their trees,
which the hygiene pass edits in place rather than parsing them again), `join_package`
serialises them as that save does, and `write_zip` writes the one zip, in a fixed order with
fixed stamps.
"""

from __future__ import annotations

import copy
import io
import time
import zipfile
from dataclasses import dataclass
from functools import lru_cache

from docx.document import Document as WordDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.oxml import CT_Types, serialize_part_xml
from docx.opc.package import OpcPackage, Unmarshaller
from docx.opc.packuri import PackURI
from docx.opc.part import Part, PartFactory, XmlPart
from docx.opc.pkgreader import PackageReader
from docx.opc.spec import default_content_types
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.package import Package

_ZIP_MIN, _ZIP_MAX = 315532800, 4354819199  # 1980-01-01 .. 2107-12-31, what zip dates hold
_PLAIN_LOAD = XmlPart.load.__func__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class _Template:
    """A reference document unzipped and parsed once; only ever copied from, never changed."""

    reader: PackageReader  # content types, relationships and each part's bytes
    # The part class python-docx chose for each part, and the parsed XML of those whose
    # loading is only parsing (an image part, say, has none: it is loaded from its bytes).
    parts: dict[PackURI, tuple[type[Part], BaseOxmlElement | None]]


@lru_cache(maxsize=8)
def _template(blob: bytes) -> _Template:
    """Keyed on the reference's bytes themselves, so a changed reference is a new entry."""
    reader = PackageReader.from_file(io.BytesIO(blob))  # type: ignore[no-untyped-call]
    scratch = Package()
    parts: dict[PackURI, tuple[type[Part], BaseOxmlElement | None]] = {}
    for partname, content_type, reltype, data in reader.iter_sparts():
        part = _factory(partname, content_type, reltype, data, scratch)
        element = part.element if isinstance(part, XmlPart) and _plain_load(type(part)) else None
        parts[partname] = (type(part), element)
    return _Template(reader, parts)


def _factory(
    partname: PackURI, content_type: str, reltype: str, data: bytes, package: Package
) -> Part:
    """python-docx's choice of part class (PartFactory is typed as returning itself)."""
    part: Part = PartFactory(partname, content_type, reltype, data, package)  # type: ignore[assignment]
    return part


def _plain_load(cls: type[Part]) -> bool:
    """Whether python-docx's load of this part class is just "parse the XML"."""
    return getattr(cls.load, "__func__", None) is _PLAIN_LOAD


def open_reference(blob: bytes) -> WordDocument:
    """The reference document ready to write into, as `docx.Document(io.BytesIO(blob))`."""
    template = _template(blob)

    def load(
        partname: PackURI, content_type: str, reltype: str, data: bytes, package: Package
    ) -> Part:
        cls, element = template.parts[partname]
        if element is None:
            return _factory(partname, content_type, reltype, data, package)
        return cls(partname, content_type, copy.deepcopy(element), package)

    package = Package()
    Unmarshaller.unmarshal(template.reader, package, load)  # type: ignore[no-untyped-call]
    document: WordDocument = package.main_document_part.document
    return document


def split_package(package: OpcPackage) -> tuple[dict[str, BaseOxmlElement], dict[str, bytes]]:
    """The zip members python-docx's save would write, by name: its XML parts as their trees
    (still the document's own, so edits to them are saved), the rest as bytes."""
    parts = list(package.iter_parts())
    trees: dict[str, BaseOxmlElement] = {}
    members = {"[Content_Types].xml": _content_types(parts), "_rels/.rels": package.rels.xml}
    for part in parts:
        if isinstance(part, XmlPart):
            trees[part.partname.membername] = part.element
        else:
            members[part.partname.membername] = part.blob
        if len(part.rels):
            members[part.partname.rels_uri.membername] = part.rels.xml
    return trees, members


def join_package(trees: dict[str, BaseOxmlElement], members: dict[str, bytes]) -> dict[str, bytes]:
    """Every member as bytes, the trees serialised as python-docx's save serialises them."""
    return {**members, **{name: serialize_part_xml(tree) for name, tree in trees.items()}}


def _content_types(parts: list[Part]) -> bytes:
    return _content_types_for(tuple((str(p.partname), p.content_type) for p in parts))


@lru_cache(maxsize=64)  # keyed on every part's name and type: all the item depends on
def _content_types_for(parts: tuple[tuple[str, str], ...]) -> bytes:
    """[Content_Types].xml as python-docx writes it: a Default per known extension, sorted,
    then an Override per other part, sorted by name."""
    defaults = {"rels": CT.OPC_RELATIONSHIPS, "xml": CT.XML}
    overrides = {}
    for name, content_type in parts:
        partname = PackURI(name)
        ext = partname.ext
        if (ext.lower(), content_type) in default_content_types:
            defaults[ext.lower()] = content_type
        else:
            overrides[partname] = content_type
    types = CT_Types.new()  # type: ignore[no-untyped-call]
    for ext in sorted(defaults):
        types.add_default(ext, defaults[ext])
    for partname in sorted(overrides):
        types.add_override(partname, overrides[partname])
    return serialize_part_xml(types)


def write_zip(members: dict[str, bytes], created: int) -> bytes:
    """The package with fixed dates, order and attributes: zipfile stamps entries with the
    current time and the host's OS, so two identical documents would differ."""
    stamp = time.gmtime(min(max(created, _ZIP_MIN), _ZIP_MAX))[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in sorted(members, key=lambda n: (n != "[Content_Types].xml", n)):
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            dst.writestr(entry, members[name])
    return out.getvalue()
