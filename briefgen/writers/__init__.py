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


def write_format(document: Document, theme: Theme, fmt: str, *, pdfa: bool = False) -> bytes:
    """One output file's bytes; `pdfa` makes a PDF archival (PDF/A-2b), a DOCX is unaffected."""
    data = get_writer(fmt)(document, theme)
    if pdfa and fmt == "pdf":
        from briefgen.pdfa import to_pdfa  # pikepdf loads only for archival builds

        data = to_pdfa(data)
    return data
