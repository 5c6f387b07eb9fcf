"""Bundled free-licence fonts (Liberation, SIL OFL 1.1) so no system font is ever needed."""

from __future__ import annotations

from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent


def bundled_font(name: str) -> Path:
    """The path of a bundled font file; FileNotFoundError names the fonts that exist."""
    path = (FONT_DIR / name).resolve()  # links followed: only the bundled files themselves
    if not path.is_file() or path.parent != FONT_DIR:
        available = ", ".join(sorted(p.name for p in FONT_DIR.glob("*.ttf")))
        raise FileNotFoundError(f"no bundled font {name!r}; bundled fonts: {available}")
    return path
