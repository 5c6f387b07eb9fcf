"""The PDF writer (reportlab platypus): `write_pdf` is its face (`lay_out_pdf`: the same, its
file written on demand); the modules are the body, fonts, page chrome and templates, theme
chrome, contents and the timeline chart."""

from briefgen.writers.pdf.lazy_patterns import import_paragraph_module

import_paragraph_module()  # first: before any module of the writer imports reportlab's platypus

from briefgen.writers.pdf.document import LaidOut, lay_out_pdf, write_pdf  # noqa: E402

__all__ = ["LaidOut", "lay_out_pdf", "write_pdf"]
