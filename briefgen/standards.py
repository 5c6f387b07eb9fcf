"""The PDF standards briefgen writes, chosen like Typst's `--pdf-standard`: `ua-1` always, with
at most one PDF/A level for archives. A combination we cannot honour is refused, by name."""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.errors import UsageError

# Every PDF is tagged and PDF/UA-1; these PDF/A levels can be added to it. PDF/A-1 is refused
# (it predates PDF 1.7 and forbids the transparency a PNG logo may carry), PDF/A-4 and
# PDF/UA-2 need PDF 2.0, which reportlab does not write.
PDFA_LEVELS: dict[str, tuple[int, str]] = {
    "a-2a": (2, "A"),
    "a-3a": (3, "A"),
    "a-2b": (2, "B"),
    "a-3b": (3, "B"),
}
NAMES = ("ua-1", *PDFA_LEVELS)
ARCHIVE_DEFAULT = "a-2a"  # what `archive` and `--pdfa` write unless told otherwise


@dataclass(frozen=True)
class PdfStandard:
    """PDF/UA-1 and, for archives, one PDF/A part and conformance level."""

    pdfa: tuple[int, str] | None = None

    @property
    def label(self) -> str:
        if self.pdfa is None:
            return "PDF/UA-1"
        return f"PDF/A-{self.pdfa[0]}{self.pdfa[1].lower()} + PDF/UA-1"

    @property
    def profile(self) -> str | None:
        """The validator profile of the PDF/A level (page-validation: "2a", "3b"…)."""
        return f"{self.pdfa[0]}{self.pdfa[1].lower()}" if self.pdfa else None


def parse_standard(text: str) -> PdfStandard:
    """`ua-1`, `a-2a`, `a-3a,ua-1`, … (comma separated; `ua-1` is implied)."""
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [name for name in names if name not in NAMES]
    if unknown:
        raise UsageError(
            f"PDF standard {unknown[0]!r} is not one briefgen writes",
            hint="choose from "
            + ", ".join(NAMES)
            + " (every PDF is ua-1; add at most one PDF/A level)",
        )
    levels = [PDFA_LEVELS[name] for name in dict.fromkeys(names) if name in PDFA_LEVELS]
    if len(levels) > 1:
        raise UsageError(
            f"PDF standard {text!r} asks for {len(levels)} PDF/A levels at once",
            hint="a file conforms to one PDF/A part and level; choose one",
        )
    return PdfStandard(levels[0] if levels else None)


def archival(standard: PdfStandard) -> PdfStandard:
    """The standard an archival build writes: the one chosen if it has a PDF/A level."""
    return standard if standard.pdfa else PdfStandard(PDFA_LEVELS[ARCHIVE_DEFAULT])
