"""Lint rule `font`: text the staff theme's font cannot show, or that runs right to left."""

from __future__ import annotations

from pathlib import Path

from briefgen.errors import Location
from briefgen.lint.checks import LintWarning


def font_lint_warnings(path: Path, display_name: str) -> list[LintWarning]:
    """The build's font warnings (briefgen.glyphs) for the default audience, as lint findings."""
    from briefgen.pipeline import font_warnings_for

    return [
        LintWarning(
            warning.location or Location(display_name), "font", warning.message, warning.hint
        )
        for warning in font_warnings_for(path, display_name)
    ]
