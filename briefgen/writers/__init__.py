"""Output writers, one per format, registered in one place; each turns a Document into bytes.

A writer takes what it needs as explicit options and returns what it laid out, the way Pandoc
passes `WriterOptions`: a pack's DOCX contents show the page numbers its PDF found because the
caller hands the PDF's `Layout` to the DOCX writer, not through any shared state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from importlib import import_module
from typing import TYPE_CHECKING, NamedTuple

from briefgen.cache import Cache
from briefgen.document import Document
from briefgen.theme import Theme

if TYPE_CHECKING:
    from briefgen.writers.pdf import LaidOut


@dataclass(frozen=True)
class Layout:
    """What a writer found when it laid a document out."""

    # Per table of contents in the document, in order: the page of each of its entries.
    contents_pages: tuple[tuple[int, ...], ...] = ()
    # How many pages the document took (0 where a writer does not paginate, as DOCX: Word does).
    pages: int = 0
    # The share of the theme's spacing above and below blocks the PDF's layout used: below 1
    # where a last page holding a few lines was pulled back (Theme.tightened). The DOCX keeps
    # the theme's spacing: Word paginates it, and its bytes never depend on the PDF's.
    spacing: float = 1.0


@dataclass(frozen=True)
class WriterOptions:
    # The layout another writer found for the same document (pages for a DOCX's contents).
    layout: Layout | None = None
    # Where a writer may keep what it makes from the theme's files (a DOCX reference document,
    # a decoded logo), keyed on those files' stamps; a Project's. None: build everything anew.
    cache: Cache | None = None
    # Whether a PDF's last page holding a few lines may be pulled back by tighter spacing; off
    # where a document is measured for a larger one (a pack's meeting, printed at the theme's).
    pull_back_runts: bool = True
    # The layout another writer is finding at the same time (a pack's PDF, in another
    # process): called, and waited for, only when the writer comes to need it. A writer never
    # has both this and `layout`.
    pending_layout: Callable[[], Layout | None] | None = None


class Written(NamedTuple):
    data: bytes
    layout: Layout


Writer = Callable[[Document, Theme, WriterOptions], Written]

# Imported on first use: python-docx and reportlab cost ~40-50 ms each to import.
_WRITER_MODULES = {
    "pdf": ("briefgen.writers.pdf", "write_pdf"),
    "docx": ("briefgen.writers.docx", "write_docx"),
}

FORMATS = tuple(_WRITER_MODULES)


def get_writer(fmt: str) -> Writer:
    module_name, function_name = _WRITER_MODULES[fmt]
    writer: Writer = getattr(import_module(module_name), function_name)
    return writer


def write_format(
    document: Document,
    theme: Theme,
    fmt: str,
    *,
    pdfa: bool = False,
    standard: str = "",
    options: WriterOptions | None = None,
) -> Written:
    """One output file. Every PDF is tagged PDF/UA-1; `standard` (briefgen.standards) may add a
    PDF/A level, and `pdfa` makes a PDF archival (PDF/A-2a unless `standard` names a level).
    A DOCX is unaffected."""
    options = options or WriterOptions()
    written = get_writer(fmt)(document, theme, options)
    if fmt != "pdf":
        return written
    return _standardised(written, pdfa, standard)


def lay_out_format(
    document: Document,
    theme: Theme,
    *,
    pdfa: bool = False,
    standard: str = "",
    options: WriterOptions | None = None,
) -> LaidOut:
    """The PDF `write_format` would write, laid out and its pages counted; drawn and written
    (and made archival) only when `finish`ed: a page budget's attempts that give way, and a
    budget counted for another format, never are."""
    options = options or WriterOptions()
    # By name, as get_writer: the writer's package imports this registry.
    laid: LaidOut = import_module(_WRITER_MODULES["pdf"][0]).lay_out_pdf(document, theme, options)
    return replace(laid, write=lambda: _standardised(laid.finish(), pdfa, standard))


def _standardised(written: Written, pdfa: bool, standard: str) -> Written:
    from briefgen.standards import archival, parse_standard

    chosen = parse_standard(standard or "ua-1")
    if pdfa:
        chosen = archival(chosen)
    if chosen.pdfa is not None:
        from briefgen.pdfa import to_pdfa  # pikepdf loads only for archival builds

        written = written._replace(data=to_pdfa(written.data, chosen.pdfa))
    return written
