"""The pipeline and public API: the only module where the stages meet the filesystem and the clock.

meeting.yaml → load → validate → select(audience) → render(template) → read → write → save
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from briefgen.audience import Audience, Selection, audiences_for, get_audience, select
from briefgen.config import ProjectConfig, find_config, load_config
from briefgen.document import Document, DocumentInfo
from briefgen.errors import UsageError
from briefgen.model import Meeting
from briefgen.people import PeopleDirectory, load_people
from briefgen.reader import read_markup
from briefgen.resources import load_labels, load_theme, template_folders
from briefgen.templating import TemplateSet, to_context
from briefgen.theme import Theme
from briefgen.validation import load_meeting
from briefgen.writers import FORMATS, write_format

DEFAULT_AUDIENCE = "staff"


@dataclass(frozen=True)
class BuildOptions:
    audiences: tuple[str, ...] = (DEFAULT_AUDIENCE,)
    formats: tuple[str, ...] = FORMATS
    out_dir: Path = Path("out")
    template_dirs: tuple[Path, ...] = ()
    config: Path | None = None  # briefgen.yaml; found next to the input when absent
    pdfa: bool = False  # PDFs as PDF/A-2b for every audience (audiences with pdfa: always)


@dataclass
class Project:
    """Everything a build needs besides the meeting: configuration, audiences, templates."""

    config: ProjectConfig = field(default_factory=ProjectConfig)
    extra_template_dirs: tuple[Path, ...] = ()
    # The meeting file's folder: a theme's logo or reference document may also come from there.
    input_dir: Path | None = None

    @cached_property
    def folders(self) -> tuple[Path, ...]:
        return template_folders([*self.extra_template_dirs, *self.config.template_dirs()])

    @cached_property
    def templates(self) -> TemplateSet:
        return TemplateSet(self.folders)

    @cached_property
    def audiences(self) -> dict[str, Audience]:
        return audiences_for(self.config)

    @cached_property
    def people(self) -> PeopleDirectory | None:
        path = self.config.people_path()
        return load_people(path, self.config.levels) if path else None

    def load_meeting(self, path: Path, display_name: str | None = None) -> tuple[Meeting, Any]:
        """A meeting file validated with this project's marking levels and people directory."""
        return load_meeting(path, display_name, levels=self.config.levels, people=self.people)

    def audience(self, name: str) -> Audience:
        return get_audience(name, self.audiences)

    def theme(self, audience: Audience) -> Theme:
        return load_theme(audience.theme, self.folders, self.input_dir)

    @classmethod
    def for_input(cls, input_path: Path, options: BuildOptions) -> Project:
        config_path = options.config or find_config(input_path)
        return cls(
            load_config(config_path, options.template_dirs),
            tuple(options.template_dirs),
            input_path.resolve().parent,
        )


def source_date_epoch() -> int | None:
    """SOURCE_DATE_EPOCH when set (reproducible builds), else None.

    Without it a brief is dated by its meeting (see `document_info`), not by the clock: its
    content does not depend on when it was generated, so the same input gives the same bytes.
    """
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    # Up to the end of year 9999: later dates overflow the writers' date handling.
    if not (value.isascii() and value.isdigit()) or int(value) > 253402300799:
        raise UsageError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {value!r}",
            hint="unset it, or set it to e.g. $(git log -1 --format=%ct)",
        )
    return int(value)


def template_context(selection: Selection, audience: Audience, project: Project) -> dict[str, Any]:
    """What a template can see: the filtered meeting, who it is for, labels in its language."""
    meeting = selection.meeting
    context: dict[str, Any] = to_context(meeting)
    context.pop("schema_version", None)
    for key in ("participants", "key_points", "outcomes", "initiatives", "sections"):
        for item in context[key]:
            level = item["classification"]
            item["portion_mark"] = (
                f"({project.config.abbreviation(level)})" if audience.portion_marks else ""
            )
    labels = load_labels(meeting.meeting.language, project.folders)
    context["labels"] = labels
    context["language"] = meeting.meeting.language
    context["audience"] = {
        "name": audience.name,
        "label": audience.label or labels.get(f"audience_{audience.name}", audience.name.title()),
    }
    context["marking"] = selection.marking
    return context


def start_of_day(day: dt.date) -> int:
    """Midnight UTC of a day, in seconds since the epoch."""
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc).timestamp())


def document_info(
    selection: Selection, context: dict[str, Any], created: int | None
) -> DocumentInfo:
    meeting = selection.meeting
    info = meeting.meeting
    labels = context["labels"]
    return DocumentInfo(
        title=info.title,
        author=info.organiser or "",
        subject=f"{context['audience']['label']}, {info.date.isoformat()}",
        keywords=tuple(p.name for p in meeting.participants),
        language=info.language,
        marking=selection.marking,
        created=created if created is not None else start_of_day(info.date),
        page_label=labels.get("page_label", "Page {page} of {pages}"),
    )


def render_document(
    meeting: Meeting,
    audience: Audience,
    project: Project | None = None,
    created: int | None = None,
) -> Document:
    """Meeting → Document for one audience: select, render the template, read the markup."""
    project = project or Project()
    selection = select(meeting, audience, project.config.levels)
    context = template_context(selection, audience, project)
    markup = project.templates.render(audience.template, context)
    return read_markup(markup, document_info(selection, context, created), audience.template)


def render_markup(meeting: Meeting, audience: Audience, project: Project) -> str:
    selection = select(meeting, audience, project.config.levels)
    return project.templates.render(
        audience.template, template_context(selection, audience, project)
    )


def output_path(meeting: Meeting, audience: Audience, fmt: str, out_dir: Path) -> Path:
    return out_dir / f"{meeting.file_stem}.{audience.name}.{fmt}"


def build(input_path: str | Path, options: BuildOptions | None = None) -> list[Path]:
    """Build one meeting file for every requested audience and format; returns written paths.

    Raises a BriefgenError subclass for bad input; nothing is written in that case.
    """
    options = options or BuildOptions()
    for fmt in options.formats:
        if fmt not in FORMATS:
            raise UsageError(f"unknown format {fmt!r}", hint=f"formats: {', '.join(FORMATS)}")
    path = Path(input_path)
    project = Project.for_input(path, options)
    audiences = [project.audience(name) for name in options.audiences]
    meeting, _ = project.load_meeting(path, str(input_path))
    created = source_date_epoch()

    # Render everything first, so a failure leaves no partial set of files behind.
    outputs: list[tuple[Path, bytes]] = []
    for audience in audiences:
        document = render_document(meeting, audience, project, created)
        theme = project.theme(audience)
        for fmt in options.formats:
            data = write_format(document, theme, fmt, pdfa=options.pdfa or audience.pdfa)
            outputs.append((output_path(meeting, audience, fmt, options.out_dir), data))
    for target, data in outputs:
        write_atomic(target, data)
    return [target for target, _ in outputs]


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write via a temporary file in the same folder and rename: readers never see half a file.

    The temporary file gets its final `mode` before the rename, so rewriting a 0600 file never
    makes it readable by others, not even for an instant.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
