"""`briefgen new`: a commented skeleton meeting file that validates as written."""

from __future__ import annotations

import datetime as dt
import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.errors import BriefgenError, Location

if TYPE_CHECKING:
    from briefgen.config import ProjectConfig

# What each built-in template prints, so the skeleton can say which parts an audience sees.
_PRINTED_BY_TEMPLATE = {
    "principal.md.j2": {
        "purpose",
        "decisions",
        "participants",
        "key_points",
        "outcomes",
        "initiatives",
    },
    "public.md.j2": {
        "summary",
        "participants",
        "key_points",
        "outcomes",
        "initiatives",
        "sections",
    },
}

_HEADER = """\
# yaml-language-server: $schema={schema}
# A meeting file for briefgen, written for the {audience} brief{level_note}.
# Replace the example text; delete what you do not need (every list may be empty or absent).
# Check it:  briefgen validate {name} && briefgen lint {name}
# Build it:  briefgen build -a {audience} {name}
"""

_BLOCKS = {
    "meeting": """\
meeting:
  title: Title of the meeting
  date: {date}  # YYYY-MM-DD
  time: 10:00-11:00 CET  # as it should be printed
  location: Building and room, city
  organiser: Your unit
  classification: {level}  # default marking of every item: {levels}
  language: en
""",
    "participants": """\
participants:
  - name: First name Last name
    role: Job title
    organisation: Organisation
    side: Host  # which delegation: host, guest, NATO…
""",
    "purpose": """\
purpose: >-
  What the meeting should achieve, in one or two sentences.
""",
    "decisions": """\
decisions:
  - title: What the principal must decide
    text: The choice, and what is recommended, in one or two sentences.
""",
    "summary": """\
summary: |-
  Background the reader needs: what happened before, and why this meeting matters now.
""",
    "key_points": """\
key_points:
  - title: First message
    text: What to say, in one or two sentences. **Bold** and *italics* work here.
  - A key point may also be a single line of text.
""",
    "outcomes": """\
outcomes:
  - What should be agreed by the end of the meeting.
""",
    "initiatives": """\
initiatives:
  - name: Name of the initiative
    objective: What it should achieve
    timeline: Ongoing  # or give start: and end: dates
    owner: Who leads it
""",
    "sections": """\
sections:
  - heading: Issues likely to be raised
    table:
      columns: [Issue, Suggested response]
      rows:
        - [An issue the other side may raise, What to say in reply.]
""",
}


def skeleton(
    audience_name: str, today: dt.date, schema: str, file_name: str, config: ProjectConfig
) -> str:
    """The skeleton's text for an audience: every part, with those it does not print noted."""
    from briefgen.audience import LOWEST, audiences_for, get_audience

    audience = get_audience(audience_name, audiences_for(config))
    levels = config.levels
    public = audience.clearance == LOWEST
    # The lowest level for a public brief, else the next one up (INTERNAL by default).
    level = levels[0] if public or len(levels) == 1 else levels[1]
    printed = _PRINTED_BY_TEMPLATE.get(audience.template, set(_BLOCKS))
    parts = [
        _HEADER.format(
            schema=schema,
            audience=audience.name,
            name=file_name,
            level_note=f", which shows only what is marked {level}" if public else "",
        )
    ]
    for key, block in _BLOCKS.items():
        text = block.format(date=today.isoformat(), level=level, levels=", ".join(levels))
        if key != "meeting" and key not in printed:
            text = f"# Not printed in the {audience.name} brief; other audiences show it.\n{text}"
        parts.append(text)
    return "\n".join(parts)


def create_meeting_file(path: Path, audience_name: str, today: dt.date) -> None:
    """Write a skeleton to a new file; an existing file is never overwritten."""
    from briefgen.config import find_config, load_config

    config = load_config(find_config(path.parent if path.parent.exists() else Path.cwd()))
    text = skeleton(audience_name, today, schema_reference(path), str(path), config)
    try:
        with path.open("x", encoding="utf-8") as handle:  # "x": fail if it exists, atomically
            handle.write(text)
    except FileExistsError:
        raise BriefgenError(
            f"{path} already exists; briefgen new does not overwrite files",
            location=Location(str(path)),
            hint="choose another file name, or delete the file first",
        ) from None
    except FileNotFoundError:
        raise BriefgenError(
            f"folder {path.parent} does not exist", hint="create the folder first"
        ) from None


def schema_reference(target: Path) -> str:
    """The meeting schema shipped with briefgen, as a path relative to the new file's folder
    (so editors find it), or absolute when there is no relative path (another drive)."""
    schema = Path(str(resources.files("briefgen").joinpath("schemas/meeting.schema.json")))
    try:
        return Path(os.path.relpath(schema.resolve(), target.parent.resolve())).as_posix()
    except ValueError:
        return schema.resolve().as_uri()
