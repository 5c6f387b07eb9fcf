"""Lint rule `font`: text the staff theme's font cannot show, or that runs right to left."""

from __future__ import annotations

from pathlib import Path

from briefgen.errors import Location
from briefgen.lint.checks import LintWarning


def font_lint_warnings(path: Path, display_name: str) -> list[LintWarning]:
    """The build's font warnings (briefgen.glyphs) for the default audience, as lint findings."""
    from briefgen.glyphs import font_warnings
    from briefgen.pipeline import BuildOptions, Project

    options = BuildOptions()
    project = Project.for_input(path, options)
    themes = [project.theme(project.audience(name)) for name in options.audiences]
    return [
        LintWarning(
            warning.location or Location(display_name), "font", warning.message, warning.hint
        )
        for warning in font_warnings(path, display_name, themes)
    ]
