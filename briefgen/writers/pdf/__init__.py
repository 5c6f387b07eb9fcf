"""The PDF writer (reportlab platypus): `write_pdf` is its face; the modules are the body, fonts,
page chrome and templates, theme chrome, contents and the timeline chart."""

from briefgen.writers.pdf.document import write_pdf

__all__ = ["write_pdf"]
