"""The pipeline and public API: the only module where the stages meet the filesystem and the clock.

meeting.yaml → load → validate → select(audience) → render(template) → read → write → save
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from briefgen.audience import (
    ITEM_LISTS,
    Audience,
    Selection,
    audiences_for,
    get_audience,
    select,
)
from briefgen.budget import PDF, Fitted, fit
from briefgen.cache import Cache
from briefgen.config import ProjectConfig, find_config, load_config
from briefgen.dates import source_date_epoch, start_of_day
from briefgen.document import Document, DocumentInfo
from briefgen.document import dump as dump_document
from briefgen.errors import Diagnostic, Location, MarkupError, UsageError
from briefgen.glyphs import font_warnings
from briefgen.loader import load_yaml_text
from briefgen.model import Meeting
from briefgen.outputs import write_atomic as write_atomic  # re-exported for lint --fix
from briefgen.outputs import write_set
from briefgen.people import PeopleDirectory, load_people, surname_key
from briefgen.resources import load_labels, load_theme, template_folders
from briefgen.theme import Theme
from briefgen.typography import typeset
from briefgen.validation import load_meeting, validate_meeting
from briefgen.writers import FORMATS, Layout, WriterOptions, lay_out_format, write_format

if TYPE_CHECKING:
    # Imported where their stage runs (jinja2, markdown-it): `briefgen validate` and the first
    # lines of a build do not pay for stages they have not reached.
    from briefgen.templating import TemplateSet

DEFAULT_AUDIENCE = "staff"


@dataclass(frozen=True)
class BuildOptions:
    audiences: tuple[str, ...] = (DEFAULT_AUDIENCE,)
    formats: tuple[str, ...] = FORMATS
    out_dir: Path = Path("out")
    template_dirs: tuple[Path, ...] = ()
    config: Path | None = None  # briefgen.yaml; found next to the input when absent
    pdfa: bool = False  # PDFs as PDF/A for every audience (audiences with pdfa: always)
    pdf_standard: str = ""  # overrides the audience's and the project's (briefgen.standards)
    theme: str | None = None  # every audience's theme, instead of its own (`--theme`)


def pdf_standard(options: BuildOptions, audience: Audience, project: Project) -> str:
    """The PDF standard for an audience's files: the command line's, the audience's, the
    project's, in that order ("" = ua-1)."""
    return options.pdf_standard or audience.pdf_standard or project.config.pdf_standard or ""


@dataclass
class Project:
    """Everything a build needs besides the meeting: configuration, audiences, templates.

    A Project owns the caches of the files it reads (compiled templates, themes, labels, the
    writers' reference documents and images), each keyed on the files' stamps: a long-lived
    Project (a service, the preview server) sees every edit, and builds with it stay fast.
    """

    config: ProjectConfig = field(default_factory=ProjectConfig)
    extra_template_dirs: tuple[Path, ...] = ()
    # The meeting file's folder: a theme's logo or reference document may also come from there.
    input_dir: Path | None = None
    theme_name: str | None = None  # instead of each audience's theme
    cache: Cache = field(default_factory=Cache, repr=False, compare=False)

    @cached_property
    def folders(self) -> tuple[Path, ...]:
        return template_folders([*self.extra_template_dirs, *self.config.template_dirs()])

    @cached_property
    def templates(self) -> TemplateSet:
        from briefgen.codecache import template_code_cache
        from briefgen.templating import TemplateSet

        return TemplateSet(self.folders, template_code_cache())

    @cached_property
    def audiences(self) -> dict[str, Audience]:
        return audiences_for(self.config)

    @cached_property
    def people(self) -> PeopleDirectory | None:
        path = self.config.people_path()
        if path is None:
            return None
        return load_people(path, self.config.levels, self.config.roots(), self.config.location())

    def load_meeting(self, path: Path, display_name: str | None = None) -> tuple[Meeting, Any]:
        """A meeting file validated with this project's marking levels and people directory."""
        return load_meeting(path, display_name, levels=self.config.levels, people=self.people)

    def load_meeting_text(self, text: str, display_name: str) -> tuple[Meeting, Any]:
        """Unsaved text (an editor's buffer) validated like `load_meeting` validates a file."""
        loaded = load_yaml_text(text, display_name)
        return validate_meeting(loaded, levels=self.config.levels, people=self.people)

    def audience(self, name: str) -> Audience:
        return get_audience(name, self.audiences)

    def theme(self, audience: Audience) -> Theme:
        name = self.theme_name or audience.theme
        return load_theme(name, self.folders, self.input_dir, self.cache)

    def labels(self, language: str) -> dict[str, str]:
        return load_labels(language, self.folders, self.cache)

    def writer_options(
        self, layout: Layout | None = None, audience: Audience | None = None
    ) -> WriterOptions:
        # An audience with a page budget is laid out at its theme's spacing: the DOCX, which
        # Word paginates at that spacing, then fits the same budget as the PDF.
        pull_back = audience is None or audience.pages is None
        return WriterOptions(layout=layout, cache=self.cache, pull_back_runts=pull_back)

    @classmethod
    def for_input(cls, input_path: Path, options: BuildOptions) -> Project:
        config_path = options.config or find_config(input_path)
        return cls(
            load_config(config_path, options.template_dirs),
            tuple(options.template_dirs),
            input_path.resolve().parent,
            options.theme,
        )


@dataclass(frozen=True)
class Prepared:
    """One meeting made ready for one audience's template: what survives the clearance filter,
    what the template can see, and the document's properties."""

    selection: Selection
    context: dict[str, Any]
    info: DocumentInfo


def prepare(
    meeting: Meeting,
    audience: Audience,
    project: Project,
    created: int | None = None,
    reduced: frozenset[str] = frozenset(),
) -> Prepared:
    """The one place a meeting is cleared for an audience and its template context is made;
    `reduced` names what the page budget let give way (briefgen.budget)."""
    selection = select(meeting, audience, project.config.levels)
    context = template_context(selection, audience, project)
    context["reduced"] = reduced
    return Prepared(selection, context, document_info(selection, context, created))


def portion_mark(level: str | None, audience: Audience, config: ProjectConfig) -> str:
    return f"({config.abbreviation(level)})" if audience.portion_marks and level else ""


def audience_context(audience: Audience, labels: dict[str, str]) -> dict[str, str]:
    """Who a brief is for, as templates see it: the name and the label in the brief's language."""
    label = audience.label or labels.get(f"audience_{audience.name}", audience.name.title())
    return {"name": audience.name, "label": label}


def page_label(labels: dict[str, str]) -> str:
    return labels.get("page_label", DocumentInfo.page_label)


def template_context(selection: Selection, audience: Audience, project: Project) -> dict[str, Any]:
    """What a template can see: the filtered meeting, who it is for, labels in its language."""
    from briefgen.templating import to_context

    meeting = selection.meeting
    context: dict[str, Any] = to_context(meeting)
    context.pop("schema_version", None)
    for key in ITEM_LISTS:
        for item in context[key]:
            item["portion_mark"] = portion_mark(item["classification"], audience, project.config)
    # The staff brief's annex: who has a biography, by surname (a pack has its own annex).
    context["biographies"] = sorted(
        (p for p in context["participants"] if p.get("bio")), key=surname_key
    )
    labels = project.labels(meeting.meeting.language)
    context["labels"] = labels
    context["language"] = meeting.meeting.language
    context["audience"] = audience_context(audience, labels)
    context["marking"] = selection.marking
    return context


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
        dated=created is not None,
        page_label=page_label(labels),
    )


def render_document(
    meeting: Meeting,
    audience: Audience,
    project: Project | None = None,
    created: int | None = None,
    reduced: frozenset[str] = frozenset(),
) -> Document:
    """Meeting → Document for one audience: select, render the template, read the markup."""
    project = project or Project()
    prepared = prepare(meeting, audience, project, created, reduced)
    markup = project.templates.render(audience.template, prepared.context)
    return read_rendered(markup, prepared.info, audience.template, project)


def read_rendered(markup: str, info: DocumentInfo, template: str, project: Project) -> Document:
    """Read a template's output; a markup error names the template line that wrote it, where
    the templates hold that line literally."""
    from briefgen.reader import read_markup

    try:
        return typeset(read_markup(markup, info, template))
    except MarkupError as error:
        line = error.location.line if error.location else None
        lines = markup.splitlines()
        found = project.templates.locate(lines[line - 1]) if line and line <= len(lines) else None
        if found is None:
            raise
        raise MarkupError(error.message, location=found, hint=error.hint) from None


def render_markup(meeting: Meeting, audience: Audience, project: Project) -> str:
    prepared = prepare(meeting, audience, project)
    return project.templates.render(audience.template, prepared.context)


DumpStage = Literal["meeting", "markup", "document"]


def dump(
    input_path: str | Path,
    stage: DumpStage = "document",
    audience_name: str = DEFAULT_AUDIENCE,
    options: BuildOptions | None = None,
) -> str:
    """An intermediate form as readable text: the cleared meeting (JSON), the template's markup,
    or the document model. `briefgen dump` prints it; the golden tests compare it."""
    path = Path(input_path)
    project = Project.for_input(path, options or BuildOptions())
    audience = project.audience(audience_name)
    meeting, _ = project.load_meeting(path, str(input_path))
    if stage == "meeting":
        selection = select(meeting, audience, project.config.levels)
        data: Any = selection.meeting.model_dump(mode="json", exclude_defaults=True)
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if stage == "markup":
        return render_markup(meeting, audience, project)
    return dump_document(render_document(meeting, audience, project, source_date_epoch()))


def output_path(meeting: Meeting, audience: Audience, fmt: str, out_dir: Path) -> Path:
    return out_dir / f"{meeting.file_stem}.{audience.name}.{fmt}"


def planned_outputs(
    input_path: str | Path, options: BuildOptions, project: Project | None = None
) -> list[Path]:
    """The files `build` would write for an input (it must load as a meeting)."""
    path = Path(input_path)
    project = project or Project.for_input(path, options)
    meeting, _ = project.load_meeting(path, str(input_path))
    return [
        output_path(meeting, project.audience(name), fmt, options.out_dir)
        for name in options.audiences
        for fmt in options.formats
    ]


def build(
    input_path: str | Path, options: BuildOptions | None = None, project: Project | None = None
) -> list[Path]:
    """Build one meeting file for every requested audience and format; returns written paths.

    Raises a BriefgenError subclass for bad input; nothing is written in that case. Pass the
    same `project` to many builds (a service) to reuse its compiled templates and themes.
    """
    options = options or BuildOptions()
    for fmt in options.formats:
        if fmt not in FORMATS:
            raise UsageError(f"unknown format {fmt!r}", hint=f"formats: {', '.join(FORMATS)}")
    path = Path(input_path)
    project = project or Project.for_input(path, options)
    audiences = [project.audience(name) for name in options.audiences]
    meeting, _ = project.load_meeting(path, str(input_path))
    created = source_date_epoch()

    warnings = font_warnings(path, str(input_path), [project.theme(a) for a in audiences])
    # Render everything first, so a failure leaves no partial set of files behind.
    outputs: list[tuple[Path, bytes]] = []
    for audience in audiences:
        theme = project.theme(audience)

        pdfa, standard = options.pdfa or audience.pdfa, pdf_standard(options, audience, project)

        # The budget's PDF is written only if kept and asked for; else only its pages count.
        lay_out = partial(
            lay_out_format,
            theme=theme,
            pdfa=pdfa,
            standard=standard,
            options=project.writer_options(None, audience),
        )
        fitted = fit_brief(meeting, audience, project, created, lay_out, str(input_path))
        warnings.extend(fitted.warnings)
        for fmt in options.formats:
            # The PDF laid out to fit the budget is the one written; the DOCX gets its Document
            # (and nothing of the PDF's layout: its bytes do not depend on the formats asked).
            written = (
                fitted.pdf.finish()
                if fmt == "pdf" and fitted.pdf is not None
                else write_format(
                    fitted.document,
                    theme,
                    fmt,
                    pdfa=pdfa,
                    standard=standard,
                    options=project.writer_options(None, audience),
                )
            )
            outputs.append((output_path(meeting, audience, fmt, options.out_dir), written.data))
    write_set(outputs)  # all of this input's files, or none
    return Built([target for target, _ in outputs], warnings)


def fit_brief(
    meeting: Meeting,
    audience: Audience,
    project: Project,
    created: int | None,
    lay_out: Callable[[Document], PDF],
    source: str | None = None,
) -> Fitted[PDF]:
    """The audience's Document within its page budget (briefgen.budget), laid out by `lay_out`
    (a PDF writer): both formats then print the same reduced Document."""

    def render(reduced: frozenset[str]) -> Document:
        return render_document(meeting, audience, project, created, reduced)

    where = Location(source) if source else None
    return fit(audience.name, audience.pages, audience.reductions, render, lay_out, where)


class Built(list[Path]):
    """The paths a build wrote, and the warnings it found (the CLI prints them)."""

    def __init__(self, paths: list[Path], warnings: list[Diagnostic]) -> None:
        super().__init__(paths)
        self.warnings = warnings
