"""A pack's meetings, each rendered for each of the pack's audiences: cleared, within the
audience's page budget, with what the annex needs (in worker processes when there are many)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.audience import canonical_level, cleared, select
from briefgen.budget import fit
from briefgen.document import Document
from briefgen.errors import Diagnostic, Location
from briefgen.people import PeopleDirectory
from briefgen.pipeline import BuildOptions, Project, portion_mark, prepare, read_rendered
from briefgen.writers import lay_out_format

if TYPE_CHECKING:
    from briefgen.audience import Audience
    from briefgen.model import Meeting
    from briefgen.writers.pdf import LaidOut


@dataclasses.dataclass(frozen=True)
class Part:
    """One meeting rendered for one audience, and what the annex needs from it."""

    document: Document
    title: str
    date: dt.date
    participants: tuple[dict[str, Any], ...]
    time: str | None = None  # as cleared for the audience: hidden with the meeting's details
    location: str | None = None
    warnings: tuple[Diagnostic, ...] = ()  # what its page budget let give way


@dataclasses.dataclass(frozen=True)
class MeetingJob:
    meeting: Path
    display: str
    pack: Path
    audiences: tuple[str, ...]
    options: BuildOptions
    people: PeopleDirectory | None
    created: int | None


# The Projects of pack builds in this worker process, by pack file and options: a worker
# renders many meetings of one pack and should read its templates and themes once.
_WORKER_PROJECTS: dict[tuple[Path, BuildOptions], Project] = {}


def _worker_project(job: MeetingJob) -> Project:
    key = (job.pack, job.options)
    if key not in _WORKER_PROJECTS:
        _WORKER_PROJECTS.clear()  # one pack at a time
        _WORKER_PROJECTS[key] = Project.for_input(job.pack, job.options)
    return _WORKER_PROJECTS[key]


def render_meeting(job: MeetingJob, project: Project | None = None) -> list[Part]:
    """One meeting file, rendered for each of the pack's audiences (in a worker, or here with
    the pack's own Project when there is one job at a time)."""
    from briefgen.validation import load_meeting

    project = project or _worker_project(job)
    meeting, _ = load_meeting(
        job.meeting, job.display, levels=project.config.levels, people=job.people
    )
    out = []
    for name in job.audiences:
        audience = project.audience(name)
        fitted = fit(
            name,
            audience.pages,
            audience.reductions,
            partial(_render_part, meeting, audience, project, job.created),
            partial(_lay_out, audience=audience, project=project),
            Location(job.display),
        )
        # The meeting as cleared for the audience (what the budget reduced is only the brief's).
        selection = select(meeting, audience, project.config.levels)
        people = tuple(
            {
                **person,
                "portion_mark": portion_mark(person["classification"], audience, project.config),
            }
            for person in (
                _as_in_directory(p, job.people, audience, project.config.levels)
                for p in selection.meeting.participants
            )
        )
        info = selection.meeting.meeting
        out.append(
            Part(
                fitted.document,
                info.title,
                info.date,
                people,
                info.time,
                info.location,
                fitted.warnings,
            )
        )
    return out


def _render_part(
    meeting: Meeting,
    audience: Audience,
    project: Project,
    created: int | None,
    reduced: frozenset[str],
) -> Document:
    """A meeting's brief as the pack prints it: its own budget's reductions, no annex."""
    prepared = prepare(meeting, audience, project, created, reduced)
    prepared.context["biographies"] = []  # the pack's one annex lists them all
    markup = project.templates.render(audience.template, prepared.context)
    return read_rendered(markup, prepared.info, audience.template, project)


def _lay_out(document: Document, audience: Audience, project: Project) -> LaidOut:
    # A meeting starts the pack on a new page with the same page set-up: its pages there are
    # the pages it takes alone, at its budget's spacing (Project.writer_options). Only that
    # count is wanted: the layout is never finished (drawn or written out).
    options = project.writer_options(audience=audience)
    return lay_out_format(document, project.theme(audience), options=options)


def _as_in_directory(
    person: Any, directory: PeopleDirectory | None, audience: Any, levels: list[str]
) -> dict[str, Any]:
    """A cleared participant as the annex shows them: as the directory has them, when the
    audience is cleared for the directory's entry (it carries its own level), else as cleared.

    A role written beside a ref ("joins for the second half") belongs to that meeting, not to
    the biography.
    """
    fields: dict[str, Any] = person.model_dump()
    record = directory.people.get(person.ref) if directory and person.ref else None
    if record is None:
        return fields
    level = canonical_level(record.get("classification"), levels) or person.classification
    if not cleared(level, audience, levels):
        return fields
    return {
        **fields,
        **record,
        "classification": max((level, person.classification), key=levels.index),
    }
