"""The PDF writer's theme extras: header text and logo, the title logo, table styles."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from reportlab import platypus as rl
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from briefgen.cache import Cache, cached, stamp
from briefgen.errors import ThemeError
from briefgen.theme import Theme
from briefgen.writers.pdf.structure import Tagged

_GAP = 6  # points between a header-left logo and the header text
_STRIPE = "#F2F2F2"  # a striped table's band when the theme sets no table_stripe
_HALIGN = {"left": "LEFT", "center": "CENTER", "right": "RIGHT", "justify": "LEFT"}


@dataclass(frozen=True)
class _Image:
    # A reader rather than a path: reportlab names a path's XObject after the path, which
    # would make the bytes depend on where briefgen is installed; a reader's after its pixels.
    reader: ImageReader
    alt: str
    width: float  # points
    height: float


def _draw_image(canvas: Canvas, image: _Image, x: float, y: float) -> None:
    # The alt text is on the logo's Figure element; in the page header the logo is an artifact.
    canvas.drawImage(image.reader, x, y, image.width, image.height, mask="auto")


def _read(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read()


def _logo(theme: Theme, header: bool, cache: Cache | None) -> _Image | None:
    logo = theme.logo
    if logo is None:
        return None
    path = theme.file_path(logo.file)
    try:
        blob = cached(cache, ("logo", stamp([path])), partial(_read, path))
        reader = ImageReader(io.BytesIO(blob))
        pixels = reader.getSize()
    except FileNotFoundError:
        raise ThemeError(f"logo {path} not found", hint="check logo.file in the theme") from None
    except Exception as exc:  # reportlab and Pillow raise many kinds for a damaged image
        raise ThemeError(
            f"logo {path} cannot be read as an image: {exc}", hint="save the logo as PNG (or JPEG)"
        ) from exc
    width, height = theme.logo_size(pixels, header)
    return _Image(reader, logo.alt, width * mm, height * mm)


@dataclass(frozen=True)
class HeaderChrome:
    """The top margin's text (top left) and logo (left or right), drawn on every page."""

    text: str
    font: tuple[str, float, Color]
    logo: _Image | None
    placement: str

    def draw(
        self,
        canvas: Canvas,
        page: tuple[float, float],
        margins: tuple[float, float, float, float],
        marking_width: float,
    ) -> None:
        (width, height), (top, right, _bottom, left) = page, margins
        x = left
        if self.logo is not None:
            y = height - top / 2 - self.logo.height / 2
            if self.placement == "header-left":
                _draw_image(canvas, self.logo, left, y)
                x += self.logo.width + _GAP
            else:
                _draw_image(canvas, self.logo, width - right - self.logo.width, y)
        if not self.text:
            return
        font, size, colour = self.font
        # The text stops short of the centred marking.
        room = (width - right + left) / 2 - marking_width / 2 - 12 - x
        if marking_width == 0 and self.logo is not None and self.placement == "header-right":
            room = width - right - self.logo.width - 12 - x
        canvas.saveState()
        canvas.setFont(font, size)
        canvas.setFillColor(colour)
        canvas.drawString(x, height - top / 2 - size * 0.35, _fit(self.text, font, size, room))
        canvas.restoreState()


def header_chrome(
    theme: Theme, font: tuple[str, float, Color], cache: Cache | None = None
) -> HeaderChrome | None:
    """What the theme puts in the top margin besides the marking; None when nothing."""
    in_header = theme.logo is not None and theme.logo.placement != "title"
    if not theme.header_text and not in_header:
        return None
    logo = _logo(theme, header=True, cache=cache) if in_header else None
    placement = theme.logo.placement if theme.logo else ""
    return HeaderChrome(theme.header_text, font, logo, placement)


def _fit(text: str, font: str, size: float, room: float) -> str:
    if pdfmetrics.stringWidth(text, font, size) <= room:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text.rstrip() + "…" if text else ""


class _LogoFlowable(Tagged, rl.Flowable):  # type: ignore[misc]
    """The logo above the title, aligned like the title."""

    def __init__(self, image: _Image, align: str) -> None:
        super().__init__()
        self.image, self.hAlign, self.spaceAfter = image, align, 8

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.image.width, self.image.height

    def draw(self) -> None:
        _draw_image(self.canv, self.image, 0, 0)


def title_logo(theme: Theme, cache: Cache | None = None) -> list[rl.Flowable]:
    """The story's opening logo when the theme places it at the title, else nothing."""
    if theme.logo is None or theme.logo.placement != "title":
        return []
    image = _logo(theme, header=False, cache=cache)
    assert image is not None
    return [_LogoFlowable(image, _HALIGN[theme.role("title").align])]


def table_commands(theme: Theme) -> list[tuple[Any, ...]]:
    """Rules and fills of a brief table for the theme's table_style."""
    c = theme.colours
    border, header = HexColor(c.table_border), HexColor(c.table_header_background)
    if theme.table_style == "minimal":
        return [
            ("LINEABOVE", (0, 0), (-1, 0), 1, border),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, border),
            ("LINEBELOW", (0, -1), (-1, -1), 1, border),
        ]
    if theme.table_style == "striped":
        return [
            ("BACKGROUND", (0, 0), (-1, 0), header),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, HexColor(c.table_stripe or _STRIPE)]),
            ("LINEBELOW", (0, -1), (-1, -1), 0.75, border),
        ]
    grid: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), header),
        ("GRID", (0, 0), (-1, -1), 0.5, border),
    ]
    if c.table_stripe:
        grid.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, HexColor(c.table_stripe)]))
    return grid


def marking_colour(theme: Theme, marking: str) -> Color:
    return HexColor(theme.marking_colour(marking))
