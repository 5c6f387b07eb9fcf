"""The pipeline and public API: the only module where the stages meet the filesystem and the clock.

    meeting.yaml → load → validate → select(audience) → render(template) → read → write → save
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.audience import Audience, get_audience, select
from briefgen.document import Document, DocumentInfo
from briefgen.errors import UsageError
from briefgen.model import Meeting
from briefgen.reader import read_markup
from briefgen.resources import load_theme, template_folders
from briefgen.templating import TemplateSet, to_context
from briefgen.validation import load_meeting
from briefgen.writers import FORMATS, get_writer

DEFAULT_AUDIENCE = "staff"


@dataclass(frozen=True)
class BuildOptions:
    audiences: tuple[str, ...] = (DEFAULT_AUDIENCE,)
    formats: tuple[str, ...] = FORMATS
    out_dir: Path = Path("out")
    template_dirs: tuple[Path, ...] = ()


def source_date_epoch() -> int:
    """The build's timestamp: SOURCE_DATE_EPOCH when set (reproducible builds), else 0.

    A brief's content does not depend on when it was generated, so without the variable the
    timestamp is fixed too and the same input always gives the same bytes.
    """
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return 0
    if not value.isdigit():
        raise UsageError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {value!r}",
            hint="unset it, or set it to e.g. $(git log -1 --format=%ct)",
        )
    return int(value)


def template_context(meeting: Meeting, audience: Audience) -> dict[str, Any]:
    """What a template can see: the (already filtered) meeting's data, and who it is for."""
    context: dict[str, Any] = to_context(meeting)
    context.pop("schema_version", None)
    context["language"] = meeting.meeting.language
    context["audience"] = {"name": audience.name, "label": audience.label}
    context["marking"] = meeting.meeting.classification
    return context


def render_markup(meeting: Meeting, audience: Audience, templates: TemplateSet) -> str:
    return templates.render(audience.template, template_context(meeting, audience))


def document_info(meeting: Meeting, audience: Audience, created: int) -> DocumentInfo:
    info = meeting.meeting
    return DocumentInfo(
        title=info.title,
        author=info.organiser or "",
        subject=f"{audience.label or audience.name}, {info.date.isoformat()}",
        keywords=tuple(p.name for p in meeting.participants),
        language=info.language,
        marking=info.classification or "",
        created=created,
    )


def render_document(
    meeting: Meeting, audience: Audience, templates: TemplateSet, created: int = 0
) -> Document:
    """Meeting → Document for one audience: select, render the template, read the markup."""
    visible = select(meeting, audience)
    markup = render_markup(visible, audience, templates)
    return read_markup(markup, document_info(visible, audience, created), audience.template)


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
    audiences = [get_audience(name) for name in options.audiences]
    folders = template_folders(options.template_dirs)
    templates = TemplateSet(folders)
    meeting, _ = load_meeting(Path(input_path), str(input_path))
    created = source_date_epoch()

    # Render everything first, so a failure leaves no partial set of files behind.
    outputs: list[tuple[Path, bytes]] = []
    for audience in audiences:
        document = render_document(meeting, audience, templates, created)
        theme = load_theme(audience.theme, folders)
        for fmt in options.formats:
            data = get_writer(fmt)(document, theme)
            outputs.append((output_path(meeting, audience, fmt, options.out_dir), data))
    for path, data in outputs:
        write_atomic(path, data)
    return [path for path, _ in outputs]


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise

