"""A reportlab canvas that writes a tagged PDF: marked content, artifacts, tagged links, XMP.

Each page's content opens inside `/Artifact BMC`; a tagged flowable (structure.Tagged) closes it
for its own `/Tag <</MCID n>> BDC … EMC` and reopens it after, so whatever a writer draws that is
not in the Document (rules, fills, repeated header rows) is an artifact without being listed.
The page chrome is drawn at save as pagination artifacts. Link annotations get a Link element,
an OBJR, /StructParent and /Contents. At save the catalog gets the structure tree, /MarkInfo,
the XMP packet, and every page /Tabs /S and /StructParents.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from briefgen import xmp
from briefgen.writers.pdf.structure import Annotation, Element, LateNumber, Marked, write_tree

_PRINT = 4  # annotation flag: PDF/A wants annotations to print


class _Info(pdfdoc.PDFInfo):  # type: ignore[misc]
    """The Info dictionary without /Trapped (not in PDF/A's XMP schemas) or empty entries."""

    def values(self, document: Any) -> dict[str, str]:
        stamp = pdfdoc.PDFDate(ts=document._timeStamp, dateFormatter=self._dateFormatter)
        date = stamp.format(document).decode("latin-1").strip("()")
        return {
            "/Title": self.title,
            "/Author": self.author,
            "/Subject": self.subject,
            "/Keywords": self.keywords,
            "/Creator": self.creator,
            "/Producer": self.producer,
            "/CreationDate": date,
            "/ModDate": date,
        }

    def format(self, document: Any) -> bytes:
        entries: dict[str, Any] = {}
        for key, value in self.values(document).items():
            if key.endswith("Date"):
                entries[key[1:]] = pdfdoc.PDFDate(
                    ts=document._timeStamp, dateFormatter=self._dateFormatter
                )
            elif value.strip():
                entries[key[1:]] = pdfdoc.PDFString(value)
        return pdfdoc.PDFDictionary(entries).format(document)  # type: ignore[no-any-return]


class MarkedCanvas(Canvas):  # type: ignore[misc]
    def __init__(self, *args: Any, root: Element, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.root, self._language = root, language
        info = _Info()
        info.__dict__.update(self._doc.info.__dict__)
        self._doc.info = info
        self._mcid = 0
        # Open marked elements: (element, default artifact to reopen, BDC written).
        self._open: list[tuple[Element, bool, bool]] = []
        self._default_open = False
        self._links: dict[tuple[int, str], Element] = {}
        self._open_default()

    # Marked content ---------------------------------------------------------------------------
    def _open_default(self) -> None:
        self._code.append("/Artifact BMC")
        self._default_open = True

    def close_default(self) -> None:
        """Close the page's default artifact (before the chrome is drawn at save)."""
        if self._default_open:
            self._code.append("EMC")
            self._default_open = False

    def begin_marked(self, element: Element) -> None:
        if self._open:  # nested inside tagged content: part of the outer element
            self._open.append((self._open[-1][0], False, False))
            return
        lead = "EMC " if self._default_open else ""
        self._code.append(f"{lead}/{element.tag} <</MCID {self._mcid}>> BDC")
        element.kids.append(Marked(self._pageNumber - 1, self._mcid))
        self._mcid += 1
        self._open.append((element, self._default_open, True))
        self._default_open = False

    def end_marked(self) -> None:
        _, reopen, emitted = self._open.pop()
        if emitted:
            self._code.append("EMC")
            if reopen:
                self._open_default()

    @contextmanager
    def artifact(self, subtype: str) -> Iterator[None]:
        """A pagination artifact (ISO 32000-1, 14.8.2.2): a page header or footer."""
        self._code.append(f"/Artifact <</Type /Pagination /Subtype /{subtype}>> BDC")
        try:
            yield
        finally:
            self._code.append("EMC")

    def _startPage(self) -> None:
        super()._startPage()
        self._mcid = 0
        self._open_default()

    # Links ------------------------------------------------------------------------------------
    def _link_element(self, target: str) -> Element:
        host = self._open[-1][0] if self._open else self.root
        key = (id(host), target)  # one Link for a link's lines, on every page
        if key not in self._links:
            self._links[key] = host.add("Link")
        return self._links[key]

    def _tag_annotation(self, element: Element, key: LateNumber) -> None:
        ref = self._doc.refAnnotation("NUMBER" + repr(self._annotationCount))
        element.kids.append(Annotation(self._pageNumber - 1, ref, key))

    def linkURL(
        self,
        url: str,
        rect: Any,
        relative: int = 0,
        thickness: int = 0,
        color: Any = None,
        dashArray: Any = None,
        kind: str = "URI",
        **kw: Any,
    ) -> None:
        element, key = self._link_element(url), LateNumber()
        host = self._open[-1][0] if self._open else self.root
        text = host.links.get(url, "")
        kw.update(
            StructParent=key,
            F=_PRINT,
            Contents=pdfdoc.PDFString(f"{text} ({url})" if text else url),
        )
        super().linkURL(url, rect, relative, thickness, color, dashArray, kind, **kw)
        self._tag_annotation(element, key)

    def linkRect(
        self,
        contents: str,
        destinationname: str,
        Rect: Any = None,
        addtopage: int = 1,
        name: str | None = None,
        relative: int = 1,
        thickness: int = 0,
        color: Any = None,
        dashArray: Any = None,
        **kw: Any,
    ) -> None:
        element, key = self._link_element("#" + destinationname), LateNumber()
        annotation = pdfdoc.PDFDictionary(
            {
                "Type": pdfdoc.PDFName("Annot"),
                "Subtype": pdfdoc.PDFName("Link"),
                "Rect": pdfdoc.PDFArray(self._absRect(Rect, relative)),
                "Dest": self._bookmarkReference(destinationname),
                "Border": pdfdoc.PDFArray([0, 0, thickness or 0]),
                "F": _PRINT,
                "Contents": pdfdoc.PDFString(contents),
                "StructParent": key,
            }
        )
        self._addAnnotation(annotation, name, addtopage)
        self._tag_annotation(element, key)

    # The file ---------------------------------------------------------------------------------
    def _setAnnotations(self, page: Any) -> None:
        super()._setAnnotations(page)
        if not isinstance(page, pdfdoc.PDFPage):  # a form XObject (contents page numbers)
            return
        page.__NoDefault__ = [*page.__NoDefault__, "StructParents", "Tabs"]
        page.StructParents = self._pageNumber - 1
        page.Tabs = pdfdoc.PDFName("S")

    def finish_structure(self, pages: int) -> None:
        """Put the structure tree, /MarkInfo and XMP into the catalog (before reportlab saves)."""
        doc, catalog = self._doc, self._doc.Catalog
        catalog.StructTreeRoot = write_tree(doc, self.root, pages)
        catalog.MarkInfo = pdfdoc.PDFDictionary({"Marked": "true"})
        packet = xmp.packet(doc.info.values(doc), self._language)
        stream = pdfdoc.PDFStream(
            pdfdoc.PDFDictionary(
                {"Type": pdfdoc.PDFName("Metadata"), "Subtype": pdfdoc.PDFName("XML")}
            ),
            packet.encode("utf-8"),
        )  # no filter: the default set is none, XMP stays readable
        catalog.Metadata = doc.Reference(stream)
