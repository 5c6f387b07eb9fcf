"""The DOCX writer (python-docx): `write_docx` is its face; the modules are the body, the shared
building blocks (runs, paragraphs, grids), styles and the reference document, theme chrome,
sections, contents and the timeline grid."""

from briefgen.writers.docx.body import write_docx

__all__ = ["write_docx"]
