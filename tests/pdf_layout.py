"""A PDF's text lines as laid out: per page, each line's height on the page, font and text
(read with pypdf's text visitor), for tests of where things fall between pages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader


@dataclass
class Line:
    y: float  # baseline, points from the page's bottom
    x: float
    size: float
    bold: bool  # every run of the line is in a bold face
    text: str


def page_lines(path: Path | bytes) -> list[list[Line]]:
    """Every page's text lines, top to bottom; artifacts (header, footer, marking banner) are
    included, so callers drop what lies in the margins."""
    import io

    reader = PdfReader(io.BytesIO(path) if isinstance(path, bytes) else path)
    pages: list[list[Line]] = []
    for page in reader.pages:
        runs: list[tuple[float, float, float, bool, str]] = []

        def visit(
            text: str,
            cm: Any,
            tm: Any,
            font: Any,
            size: float,
            runs: list[tuple[float, float, float, bool, str]] = runs,
        ) -> None:
            if not text.strip():
                return
            # The text matrix times the current transformation: where the run starts.
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            scale = abs(tm[3] * cm[3]) or 1.0
            name = str(font.get("/BaseFont", "")) if font else ""
            runs.append((round(y, 1), x, size * scale, "Bold" in name, text))

        page.extract_text(visitor_text=visit)
        by_y: dict[float, list[tuple[float, float, float, bool, str]]] = {}
        for run in runs:
            key = next((y for y in by_y if abs(y - run[0]) < 2), run[0])
            by_y.setdefault(key, []).append(run)
        lines = []
        for y in sorted(by_y, reverse=True):
            parts = sorted(by_y[y], key=lambda r: r[1])
            lines.append(
                Line(
                    y,
                    parts[0][1],
                    max(p[2] for p in parts),
                    all(p[3] for p in parts),
                    " ".join(p[4].strip() for p in parts),
                )
            )
        pages.append(lines)
    return pages


def body_lines(path: Path | bytes, top: float, bottom: float) -> list[list[Line]]:
    """Lines inside the text frame (between `bottom` and `top`, in points from the page foot)."""
    return [[line for line in page if bottom <= line.y <= top] for page in page_lines(path)]
