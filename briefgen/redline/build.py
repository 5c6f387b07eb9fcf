"""A redline build: two meetings cleared for an audience, rendered, compared, written.

Why Documents and not markup or meetings: each meeting goes through the normal pipeline
(select → template → reader), so the redline shows exactly the brief the audience would get,
every template change included, and the writers stay meeting-agnostic. The change summary
comes from comparing the two cleared meetings, where "an item" and "its title" still exist.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.audience import Audience, select
from briefgen.dates import source_date_epoch
from briefgen.document import (
    Block,
    BulletList,
    Document,
    Heading,
    ListItem,
    PageBreak,
    Paragraph,
    Revisions,
    Text,
)
from briefgen.errors import UsageError
from briefgen.model import Meeting
from briefgen.pipeline import (
    BuildOptions,
    Project,
    fit_brief,
    render_document,
)
from briefgen.redline.blocks import block_text, diff_blocks, has_changes
from briefgen.redline.chart import label_moves
from briefgen.redline.sources import (
    GIT_PREFIX,
    Source,
    load_source,
    read_archive_folder,
    read_archived_pdf,
    read_file,
    read_git,
)
from briefgen.redline.summary import Change, summarise, words
from briefgen.resources import load_labels
from briefgen.writers import FORMATS, lay_out_format, write_format

if TYPE_CHECKING:
    from briefgen.writers.pdf import LaidOut

DEFAULT_AUTHOR = "briefgen"


@dataclass(frozen=True)
class Redline:
    """One audience's redline: the marked document and the summary lines at its head."""

    audience: str
    document: Document
    changes: tuple[str, ...]  # empty: no changes

    @property
    def unchanged(self) -> bool:
        return not self.changes


@dataclass(frozen=True)
class RedlineResult:
    paths: list[Path]
    redlines: list[Redline]


def _as_built(
    meeting: Meeting, audience: Audience, project: Project, created: int | None
) -> Document:
    """The brief as `build` makes it: within the audience's page budget (briefgen.budget)."""
    if audience.pages is None:
        return render_document(meeting, audience, project, created)
    theme = project.theme(audience)

    def lay_out(document: Document) -> LaidOut:  # only its pages count: never finished
        return lay_out_format(document, theme, options=project.writer_options(audience=audience))

    return fit_brief(meeting, audience, project, created, lay_out).document


def redline_document(
    old: Meeting,
    new: Meeting,
    audience: Audience,
    project: Project,
    *,
    compared: str,
    author: str = DEFAULT_AUTHOR,
    created: int | None = None,
) -> Redline:
    """NEW's brief for the audience with OLD's differences marked, after a change summary."""
    levels = project.config.levels
    before, after = select(old, audience, levels), select(new, audience, levels)
    old_doc = _as_built(old, audience, project, created)
    new_doc = _as_built(new, audience, project, created)
    blocks = diff_blocks(old_doc.blocks, new_doc.blocks)
    shown = " ".join(words(block_text(b)) for b in (*old_doc.blocks, *new_doc.blocks))
    changes = [c.text for c in summarise(before.meeting, after.meeting, levels) if _shown(c, shown)]
    labels = load_labels(new.meeting.language, project.folders)
    blocks = label_moves(blocks, labels["redline_deleted"])
    if not changes and has_changes(blocks):  # a template's wording, say: still not "none"
        changes = [labels["redline_other"]]
    head: list[Block] = [
        Heading(1, (Text(labels["redline_changes"]),)),
        Paragraph((Text(labels["redline_compared"].replace("{old}", compared)),)),
    ]
    if changes:
        head.append(BulletList(tuple(ListItem((Paragraph((Text(c),)),)) for c in changes)))
    else:
        head.append(Paragraph((Text(labels["redline_none"]),)))
    rank = {level: index for index, level in enumerate(levels)}
    # The redline holds OLD's words too: it is marked as the higher of the two.
    marking = max(old_doc.info.marking, new_doc.info.marking, key=lambda m: rank.get(m, -1))
    info = replace(
        new_doc.info,
        marking=marking,
        revisions=Revisions(author, labels["redline_inserted"], labels["redline_deleted"]),
    )
    document = Document(info, (*head, PageBreak(), *blocks))
    return Redline(audience.name, document, tuple(changes))


def _shown(change: Change, shown: str) -> bool:
    evidence = words(change.evidence)
    return not evidence or evidence in shown


def old_source(
    old: str | None, new_path: Path, against: Path | None, new: Meeting, audience: str
) -> Source:
    if against is not None:
        if against.is_dir():
            return read_archive_folder(against, new, audience)
        return read_archived_pdf(against)
    if old is None:
        raise UsageError("give the old version: OLD NEW, git:REV NEW or --against ARCHIVE")
    if old.startswith(GIT_PREFIX):
        return read_git(old[len(GIT_PREFIX) :], new_path)
    return read_file(Path(old))


def redline_path(meeting: Meeting, audience: Audience, fmt: str, out_dir: Path) -> Path:
    return out_dir / f"{meeting.file_stem}.{audience.name}.redline.{fmt}"


def build_redline(
    old: str | None,
    new_path: str | Path,
    options: BuildOptions | None = None,
    *,
    against: Path | None = None,
    author: str = DEFAULT_AUTHOR,
) -> RedlineResult:
    """Write a redline per audience and format; nothing is written if anything fails."""
    options = options or BuildOptions()
    for fmt in options.formats:
        if fmt not in FORMATS:
            raise UsageError(f"unknown format {fmt!r}", hint=f"formats: {', '.join(FORMATS)}")
    if not author.strip():
        raise UsageError("the tracked changes' author may not be empty")
    path = Path(new_path)
    project = Project.for_input(path, options)
    audiences = [project.audience(name) for name in options.audiences]
    new, _ = project.load_meeting(path, str(new_path))
    created = source_date_epoch()
    outputs: list[tuple[Path, bytes]] = []
    redlines: list[Redline] = []
    sources: dict[str, Source] = {}
    for audience in audiences:
        # An archive folder may hold a version per audience; anything else is one source.
        key = audience.name if against is not None and against.is_dir() else ""
        if key not in sources:
            sources[key] = old_source(old, path, against, new, audience.name)
        source = sources[key]
        old_meeting = load_source(source, project.config.levels, project.people)
        result = redline_document(
            old_meeting,
            new,
            audience,
            project,
            compared=source.description,
            author=author,
            created=created,
        )
        redlines.append(result)
        theme = project.theme(audience)
        for fmt in options.formats:
            data = write_format(
                result.document, theme, fmt, options=project.writer_options(audience=audience)
            ).data
            outputs.append((redline_path(new, audience, fmt, options.out_dir), data))
    from briefgen.pipeline import write_atomic

    for target, data in outputs:
        write_atomic(target, data)
    return RedlineResult([target for target, _ in outputs], redlines)
