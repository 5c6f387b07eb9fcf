"""Briefing packs: several meetings as one PDF and one DOCX per audience.

A pack is one Document: a cover and contents (template `pack.md.j2`), each meeting's brief from
a new page, and an annex of the participants' biographies (`pack-annex.md.j2`). The meetings
are rendered on all cores; the DOCX's contents show the page numbers the PDF found, the PDF
being laid out in another process meanwhile when there is one to spare (briefgen.pack_files).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from briefgen.dates import source_date_epoch
from briefgen.document import Block, Document, DocumentInfo, PageBreak
from briefgen.errors import BriefgenError, Diagnostic, ValidationError
from briefgen.loader import load_yaml_file
from briefgen.model import slugify
from briefgen.outputs import bounded_stem, write_set
from briefgen.pack_files import PackFile, warm_writers, write_pack_files
from briefgen.pack_parts import MeetingJob, Part, render_meeting
from briefgen.packfile import Pack
from briefgen.parallel import Outcome, run_apart, run_jobs, runs_here
from briefgen.people import PeopleDirectory, load_people, surname_key
from briefgen.pipeline import (
    BuildOptions,
    Built,
    Project,
    audience_context,
    page_label,
    read_rendered,
)
from briefgen.templating import format_date, to_context
from briefgen.typography import typeset_info
from briefgen.validation import validate

COVER_TEMPLATE, ANNEX_TEMPLATE = "pack.md.j2", "pack-annex.md.j2"


def load_pack(
    path: Path, display: str, project: Project, audiences: tuple[str, ...] | None
) -> tuple[Pack, list[Path], tuple[str, ...], PeopleDirectory | None]:
    """Validate a pack file and what it names; every problem at its line, all at once."""
    loaded = load_yaml_file(path, display)
    pack = validate(Pack, loaded)
    problems: list[Diagnostic] = []
    files = []
    for index, entry in enumerate(pack.meetings):
        file = path.parent / entry
        if not file.is_file():
            problems.append(
                Diagnostic(
                    f"meetings[{index}]: meeting file {entry!r} not found",
                    loaded.source.location(("meetings", index)),
                    f"paths are relative to the pack file's folder, {path.parent}",
                )
            )
        files.append(file)
    names = audiences or tuple(pack.audience)
    for index, name in enumerate(names):
        try:
            project.audience(name)
        except BriefgenError as error:
            if audiences:
                raise  # named on the command line: a usage error, not the pack file's
            where = loaded.source.location(("audience", index))
            problems.append(Diagnostic(error.message, where, error.hint))
    people = project.people
    if pack.people:
        try:
            people = load_people(
                path.parent / pack.people,
                project.config.levels,
                (path.parent, *project.config.roots()),
                loaded.source.location(("people",)),
            )
        except ValidationError as error:
            problems.extend(error.diagnostics)
    if problems:
        problems.sort(key=lambda d: (d.location.line or 0) if d.location else 0)
        raise ValidationError(problems[0].message, diagnostics=problems)
    return pack, files, names, people


def build_pack(
    pack_path: str | Path,
    options: BuildOptions | None = None,
    *,
    audiences: tuple[str, ...] | None = None,
    jobs: int | None = 1,
) -> list[Path]:
    """Build a pack file into one PDF and one DOCX per audience; returns the written paths.

    `audiences` overrides the pack's own; `jobs` processes render the meetings (None: all).
    Nothing is written unless every meeting is valid.
    """
    options = options or BuildOptions()
    path = Path(pack_path)
    project = Project.for_input(path, options)
    pack, files, names, people = load_pack(path, str(pack_path), project, audiences)
    created = source_date_epoch()
    jobs_list = [
        MeetingJob(file, os.path.normpath(file), path, names, options, people, created)
        for file in files
    ]
    parts: list[list[Part]] = []
    problems: list[Diagnostic] = []
    # In this process the pack's own Project serves; workers make one each.
    here = runs_here(jobs, len(jobs_list))
    render = partial(render_meeting, project=project) if here else render_meeting
    for done, outcome in enumerate(run_jobs(render, jobs_list, jobs, chunk=1)):  # ~30 ms each
        if done == 0 and not here:
            # While the workers render, this process loads what it needs next (see _warm),
            # and the writers, so that the PDF's worker, forked from it later, starts warm.
            _warm(pack, project, names, options.formats, created)
        if outcome.error is not None:
            problems.extend(outcome.error.diagnostics)
        elif outcome.value is not None:
            parts.append(outcome.value)
    if problems:
        raise ValidationError(problems[0].message, diagnostics=problems)

    def audience_files(index: int, name: str) -> list[PackFile]:
        audience = project.audience(name)
        document = compose(pack, name, [p[index] for p in parts], project, created)
        stem = f"{pack_stem(pack, _first_day(pack, parts))}.{name}"
        return [
            PackFile(
                options.out_dir / f"{stem}.{fmt}",
                document,
                project.theme(audience),
                fmt,
                options.pdfa,
                options.pdf_standard,
                project.writer_options(None, audience),
            )
            for fmt in options.formats
        ]

    # Formats in the order asked for; a DOCX after a PDF shows the pages the PDF found (with
    # processes to spare, the PDF is laid out in one while the DOCX is written here).
    outputs = write_pack_files(
        (audience_files(index, name) for index, name in enumerate(names)), jobs
    )
    write_set(outputs)  # every audience's files of the pack, or none
    warnings = [warning for meeting in parts for part in meeting for warning in part.warnings]
    return Built([target for target, _ in outputs], warnings)


def _warm(
    pack: Pack,
    project: Project,
    names: tuple[str, ...],
    formats: tuple[str, ...],
    created: int | None,
) -> None:
    """What the pack's own work after the render needs, loaded beforehand: the cover's
    template, the reader, dates in the pack's language (a cold compose took 0.3 s, a warm one
    0.06-0.1 s), and the writers for each audience."""
    # An error is reported by the step that meets it, in its turn.
    for name in names[:1]:
        with contextlib.suppress(BriefgenError):
            compose(pack, name, [], project, created)
    for name in names:
        with contextlib.suppress(BriefgenError):
            audience = project.audience(name)
            warm_writers(project.theme(audience), project.writer_options(None, audience), formats)


def planned_pack_outputs(
    pack_path: str | Path, options: BuildOptions, audiences: tuple[str, ...] | None = None
) -> list[Path]:
    """The files `build_pack` would write (the pack and, without a start, its meetings load)."""
    from briefgen.validation import load_meeting

    path = Path(pack_path)
    project = Project.for_input(path, options)
    pack, files, names, people = load_pack(path, str(pack_path), project, audiences)
    first = pack.pack.start or min(
        (
            load_meeting(f, str(f), levels=project.config.levels, people=people)[0].meeting.date
            for f in files
        ),
        default=dt.date(1970, 1, 1),
    )
    return [
        options.out_dir / f"{pack_stem(pack, first)}.{name}.{fmt}"
        for name in names
        for fmt in options.formats
    ]


def build_packs(
    packs: Sequence[str], options: BuildOptions, audiences: tuple[str, ...] | None, jobs: int | None
) -> Iterator[Outcome[list[Path]]]:
    """`briefgen pack` on several files: one pack's meetings share the processes, several
    packs get a process each; two packs that would write the same file build neither."""
    if len(packs) == 1:
        build = partial(build_pack, options=options, audiences=audiences, jobs=jobs)
        yield from run_jobs(build, list(packs), 1)
        return
    build = partial(build_pack, options=options, audiences=audiences, jobs=1)
    plan = partial(planned_pack_outputs, options=options, audiences=audiences)
    yield from run_apart(
        build,
        plan,
        list(packs),
        jobs,
        "give one of them its own `pack.id` (used in file names), or build "
        "them into different -o folders",
    )


def compose(
    pack: Pack, audience_name: str, parts: list[Part], project: Project, created: int | None
) -> Document:
    """Cover and contents, each meeting from a new page, then the biographies."""
    audience = project.audience(audience_name)
    language = pack.pack.language
    labels = project.labels(language)
    levels = project.config.levels
    marking = max(
        (p.document.info.marking for p in parts if p.document.info.marking),
        key=lambda level: levels.index(level) if level in levels else -1,
        default="",
    )
    info = typeset_info(
        DocumentInfo(
            title=pack.pack.title,
            author=pack.pack.organiser or "",
            subject=", ".join(filter(None, (pack.pack.subtitle, _dates(pack, parts, language)))),
            keywords=tuple(p.title for p in parts),
            language=language,
            marking=marking,
            # Without SOURCE_DATE_EPOCH a pack is dated by its first meeting, like a single brief.
            created=created
            if created is not None
            else min((p.document.info.created for p in parts), default=0),
            dated=created is not None,
            page_label=page_label(labels),
        )
    )
    context: dict[str, Any] = {
        "pack": to_context(pack.pack),
        "dates": _dates(pack, parts, language),
        "audience": audience_context(audience, labels),
        "meetings": [
            {"title": p.title, "date": p.date, "time": p.time, "location": p.location}
            for p in parts
        ],
        "issued": _issued(pack, created, language),
        "people": _biographies(parts),
        "contents_depth": pack.contents_depth,
        "labels": labels,
        "language": language,
        "marking": marking,
    }
    blocks: list[Block] = list(_read(project, COVER_TEMPLATE, context, info))
    for part in parts:
        blocks += [PageBreak(), *part.document.blocks]
    if context["people"]:
        blocks += [PageBreak(), *_read(project, ANNEX_TEMPLATE, context, info)]
    return Document(info=info, blocks=tuple(blocks))


def _read(
    project: Project, template: str, context: dict[str, Any], info: DocumentInfo
) -> tuple[Block, ...]:
    return read_rendered(
        project.templates.render(template, context), info, template, project
    ).blocks


def _biographies(parts: list[Part]) -> list[dict[str, Any]]:
    """Each person with a biography once (by ref, else by name), with the meetings attended.

    Only what each meeting's clearance filter let through reaches here (see _as_in_directory).
    """
    people: dict[str, dict[str, Any]] = {}
    for part in parts:
        for person in part.participants:
            ref = person.get("ref")
            if not person.get("bio"):
                continue
            key = ref or person["name"]
            entry = people.setdefault(key, {**person, "meetings": []})
            if part.title not in entry["meetings"]:
                entry["meetings"].append(part.title)
    return sorted(people.values(), key=surname_key)


def _issued(pack: Pack, created: int | None, language: str) -> str:
    """The cover's issue date: the pack's own, else the build's (SOURCE_DATE_EPOCH); never a
    meeting's day passed off as one."""
    day = pack.pack.issued or (
        dt.datetime.fromtimestamp(created, tz=dt.timezone.utc).date()
        if created is not None
        else None
    )
    return format_date(day, language) if day else ""


def _first_day(pack: Pack, parts: list[list[Part]]) -> dt.date:
    return pack.pack.start or min((p[0].date for p in parts), default=dt.date(1970, 1, 1))


def _dates(pack: Pack, parts: list[Part], language: str) -> str:
    days = [p.date for p in parts]
    start = pack.pack.start or min(days, default=None)
    end = pack.pack.end or max(days, default=None)
    if start is None or end is None:
        return ""
    if start == end:
        return format_date(start, language)
    return f"{format_date(start, language)} \u2013 {format_date(end, language)}"


def pack_stem(pack: Pack, first_day: dt.date) -> str:
    """`2025-03-03_ministerial-week`, bounded like a meeting's (see `bounded_stem`)."""
    return bounded_stem(f"{first_day.isoformat()}_{pack.pack.id or slugify(pack.pack.title)}")
