"""Output writers, one per format, registered in one place; each turns a Document into bytes."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from briefgen.document import Document
from briefgen.theme import Theme

Writer = Callable[[Document, Theme], bytes]

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
    document: Document, theme: Theme, fmt: str, *, pdfa: bool = False, standard: str = ""
) -> bytes:
    """One output file's bytes. Every PDF is tagged PDF/UA-1; `standard` (briefgen.standards)
    may add a PDF/A level, and `pdfa` makes a PDF archival (PDF/A-2a unless `standard` names
    a level). A DOCX is unaffected."""
    data = get_writer(fmt)(document, theme)
    if fmt != "pdf":
        return data
    from briefgen.standards import archival, parse_standard

    chosen = parse_standard(standard or "ua-1")
    if pdfa:
        chosen = archival(chosen)
    if chosen.pdfa is not None:
        from briefgen.pdfa import to_pdfa  # pikepdf loads only for archival builds

        data = to_pdfa(data, chosen.pdfa)
    return data
