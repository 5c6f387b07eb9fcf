"""`briefgen validate`: a meeting file checked exactly as a build checks it, without importing
the stages after validation (document model, writers, themes, templates).

A build validates through `pipeline.Project`; importing the pipeline loads every stage's
modules and the theme models (~0.2 G instructions of a cold validate's ~1.0 G). This does what
`Project.for_input(...).load_meeting(...)` does with the same functions (project configuration,
people directory, meeting validation); tests/test_checking.py holds the two to the same result.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.config import find_config, load_config
from briefgen.people import load_people
from briefgen.validation import load_meeting

if TYPE_CHECKING:
    from briefgen.model import Meeting


def check_file(
    input_path: Path, display_name: str, config: Path | None = None
) -> tuple[Meeting, Any]:
    """Validate a meeting file with its project's levels and people; raises BriefgenError."""
    project = load_config(config or find_config(input_path))
    people_path = project.people_path()
    people = (
        None
        if people_path is None
        else load_people(people_path, project.levels, project.roots(), project.location())
    )
    return load_meeting(input_path, display_name, levels=project.levels, people=people)
