"""The archive folder: PDF/A-3a + PDF/UA-1 briefs (or the conformance pdf_standard names) that
carry their cleared meeting as an associated file, never overwritten, listed in an append-only
manifest.

    ARCHIVE_DIR/2024-12-18_nato-sg-bih-presidency_archive_v1.pdf   the brief, with its source
    ARCHIVE_DIR/manifest.jsonl      one JSON object per line, one line per archived file
    ARCHIVE_DIR/.briefgen-index.sqlite   the search index, derived from the two (archive_index)

Each PDF carries the meeting it was built from, as cleared for the audience (embedded.py).
Writers take a file lock on the folder, write each PDF to a temporary file, fsync it and link it
to its final name (which fails rather than replace an existing file), then append and fsync the
manifest line, sealed into the manifest's hash chain (manifest.py), and add the brief to the
search index. So two archive commands at once lose no line and no file, and a crash leaves at
worst a file without its line, which `briefgen verify` reports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen import __version__
from briefgen.audience import select
from briefgen.config import find_config
from briefgen.dates import source_date_epoch
from briefgen.embedded import EmbeddedSource, pdf_date, source_data, source_yaml
from briefgen.errors import ArchiveError, InputError, Location
from briefgen.manifest import (
    LOCK_NAME,
    MANIFEST,
    ManifestLine,
    append_line,
    chain_head,
    encode_line,
    entry_problem,
    fsync_folder,
    lines_containing,
    locked,
    read_manifest,
    read_raw,
    seal,
)
from briefgen.outputs import write_temp
from briefgen.pipeline import (
    BuildOptions,
    Project,
    pdf_standard,
    render_document,
)
from briefgen.provenance import sha256_file, used_files
from briefgen.standards import PdfStandard, archival, parse_standard
from briefgen.writers import write_format

__all__ = [  # the manifest's names stay importable from here, where they used to live
    "LOCK_NAME",
    "MANIFEST",
    "Archived",
    "ManifestLine",
    "archive",
    "entry_problem",
    "locked",
    "publish",
    "read_manifest",
]

DEFAULT_AUDIENCE = "archive"
# What makes two archive requests the same brief: equal inputs give equal output.
IDENTITY = ("audience", "source_sha256", "templates_sha256", "config_sha256")


@dataclass(frozen=True)
class Archived:
    path: Path
    entry: dict[str, Any]
    written: bool  # False when the same brief was already archived as `path`


def archive(
    input_path: str | Path,
    folder: Path,
    audience: str = DEFAULT_AUDIENCE,
    options: BuildOptions | None = None,
) -> Archived:
    """Archive one meeting file's brief for `audience` as PDF/A-3 (conformance a unless the
    audience, the project or `options.pdf_standard` says b) with PDF/UA-1, in `folder`.

    The same source, templates and configuration as an earlier entry → that entry, nothing
    written. Otherwise the next version number for the meeting and audience.
    """
    options = options or BuildOptions()
    path = Path(input_path)
    try:
        source_sha = sha256_file(path)
    except OSError as exc:
        raise InputError(
            f"cannot read the file: {exc.strerror}", location=Location(str(path))
        ) from None
    project = Project.for_input(path, options)
    chosen = project.audience(audience)
    meeting, _ = project.load_meeting(path, str(input_path))
    theme = project.theme(chosen)
    files = used_files(project.templates, chosen, theme, meeting.meeting.language)
    config_path = options.config or find_config(path)
    identity = {
        "audience": chosen.name,
        "source_sha256": source_sha,
        "templates_sha256": files.digest,
        "config_sha256": sha256_file(config_path) if config_path else None,
    }
    found = _same_brief(read_raw(folder), identity)
    if found is not None:  # checked again under the lock; this saves the render
        return Archived(folder / found["file"], found, written=False)

    created = archive_time()
    document = render_document(meeting, chosen, project, created)
    # What the PDF carries is the meeting after select(): never more than the audience may see.
    selection = select(meeting, chosen, project.config.levels)
    cleared = source_yaml(selection, chosen.name)
    source = EmbeddedSource(
        name=path.name,
        data=cleared,
        modified=pdf_date(created),
        description=f"The meeting this brief was built from, as cleared for {chosen.name}",
    )
    from briefgen.pdfa import to_pdfa  # pikepdf loads only when something is archived

    # An attached source makes the file PDF/A-3: the chosen conformance (a or b), part 3.
    chosen_standard = archival(parse_standard(pdf_standard(options, chosen, project)))
    level = (3, chosen_standard.pdfa[1] if chosen_standard.pdfa else "A")
    standard = PdfStandard(level)
    plain = write_format(
        document, theme, "pdf", options=project.writer_options(audience=chosen)
    ).data
    data = to_pdfa(plain, level, source)
    stem = f"{meeting.file_stem}_{_name_part(chosen.name)}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ArchiveError(f"cannot create the archive folder {folder}: {exc.strerror}") from None
    with locked(folder):
        raw = read_raw(folder)
        found = _same_brief(raw, identity)
        if found is not None:
            return Archived(folder / found["file"], found, written=False)
        version = _next_version(folder, lines_containing(raw, stem), stem)
        name = f"{stem}_v{version}.pdf"
        entry: dict[str, Any] = {
            "file": name,
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": len(data),
            "version": version,
            "audience": chosen.name,
            "marking": document.info.marking,
            "source": path.name,
            "source_sha256": source_sha,
            "templates_sha256": files.digest,
            "templates": dict(sorted(files.files.items())),
            "config_sha256": identity["config_sha256"],
            "briefgen_version": __version__,
            "created": _iso(created),
            "source_date_epoch": created,
            "format": standard.label,
            "embedded_sha256": hashlib.sha256(cleared).hexdigest(),
        }
        entry = seal(entry, chain_head(raw))
        publish(folder / name, data)
        append_line(folder / MANIFEST, entry)
        _index_new_line(folder, raw, entry, source_data(selection))
    return Archived(folder / name, entry, written=True)


def _index_new_line(
    folder: Path, before: bytes, entry: dict[str, Any], source: dict[str, Any]
) -> None:
    """Add the brief to the search index, in the same lock as the manifest line.

    The index is derived: if it cannot be updated here, search rebuilds it; archiving never
    fails because of it.
    """
    from briefgen.archive_index import add_entry

    add_entry(folder, before, encode_line(entry), entry, source)


def archive_time() -> int:
    """When a brief is archived: SOURCE_DATE_EPOCH if set, else now (whole seconds, UTC).

    Unlike a plain build, an archived brief carries the real time; the manifest records it as
    `source_date_epoch`, so setting that variable rebuilds the same bytes.
    """
    epoch = source_date_epoch()
    return epoch if epoch is not None else int(time.time())


def _iso(epoch: int) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _name_part(name: str) -> str:
    # The audience sits between underscores in the file name, so it may not hold one itself.
    return re.sub(r"[^A-Za-z0-9-]+", "-", name).strip("-") or "audience"


def _same_brief(raw: bytes, identity: dict[str, Any]) -> dict[str, Any] | None:
    # Only lines naming the source's hash can be the same brief; the rest need not be parsed.
    for line in lines_containing(raw, identity["source_sha256"]):
        if line.entry is not None and all(line.entry.get(k) == identity[k] for k in IDENTITY):
            return line.entry
    return None


def _next_version(folder: Path, lines: list[ManifestLine], stem: str) -> int:
    """One more than any version of this brief in the manifest or on disk: a number is never
    reused, not even one whose file lost its manifest line in a crash."""
    pattern = re.compile(re.escape(stem) + r"_v(\d+)\.pdf")
    names = [line.entry["file"] for line in lines if line.entry is not None]
    names += [name for name in os.listdir(folder) if name.startswith(stem)]  # no Path per file
    versions = [int(m.group(1)) for n in names if (m := pattern.fullmatch(n))]
    return max(versions, default=0) + 1


def publish(target: Path, data: bytes) -> None:
    """Write a new file durably without ever replacing one: temp file, fsync, link, fsync folder."""
    folder = target.parent
    try:
        tmp_name = write_temp(folder, target.name, data, 0o444)  # not for editing
    except OSError as exc:
        raise ArchiveError(f"cannot write {target}: {exc.strerror}") from None
    try:
        try:
            os.link(tmp_name, target)  # atomic, and refuses an existing name
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links; the lock makes the check safe
            if target.exists():
                raise FileExistsError(target) from None
            os.rename(tmp_name, target)
    except FileExistsError:
        raise ArchiveError(
            f"{target} already exists and is never overwritten",
            hint="run `briefgen verify` on the folder: the file is not in the manifest",
        ) from None
    except OSError as exc:
        raise ArchiveError(f"cannot write {target}: {exc.strerror}") from None
    finally:
        Path(tmp_name).unlink(missing_ok=True)
    fsync_folder(folder)
