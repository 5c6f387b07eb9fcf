"""The archive folder: PDF/A-2b briefs, never overwritten, listed in an append-only manifest.

    ARCHIVE_DIR/2024-12-18_nato-sg-bih-presidency_archive_v1.pdf
    ARCHIVE_DIR/manifest.jsonl      one JSON object per line, one line per archived file

Writers take a file lock on the folder, write each PDF to a temporary file, fsync it and link it
to its final name (which fails rather than replace an existing file), then append and fsync the
manifest line. So two archive commands at once lose no line and no file, and a crash leaves at
worst a file without its line, which `briefgen verify` reports.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen import __version__
from briefgen.config import find_config
from briefgen.errors import ArchiveError, InputError, Location
from briefgen.outputs import write_temp
from briefgen.pipeline import (
    BuildOptions,
    Project,
    render_document,
    source_date_epoch,
)
from briefgen.provenance import sha256_file, used_files
from briefgen.writers import write_format

MANIFEST = "manifest.jsonl"
LOCK_NAME = ".manifest.lock"
DEFAULT_AUDIENCE = "archive"
LOCK_TIMEOUT = 300.0  # seconds; archiving one brief takes well under one
PDFA_LABEL = "PDF/A-2b"
# What makes two archive requests the same brief: equal inputs give equal output.
IDENTITY = ("audience", "source_sha256", "templates_sha256", "config_sha256")


@dataclass(frozen=True)
class Archived:
    path: Path
    entry: dict[str, Any]
    written: bool  # False when the same brief was already archived as `path`


@dataclass(frozen=True)
class ManifestLine:
    number: int  # 1-based
    entry: dict[str, Any] | None  # None when the line does not parse
    error: str = ""


def archive(
    input_path: str | Path,
    folder: Path,
    audience: str = DEFAULT_AUDIENCE,
    options: BuildOptions | None = None,
) -> Archived:
    """Archive one meeting file's brief for `audience` as PDF/A-2b in `folder`.

    The same source, templates and configuration as an earlier entry → that entry, nothing
    written. Otherwise the next version number for the meeting and audience.
    """
    options = options or BuildOptions()
    path = Path(input_path)
    try:
        source_sha = sha256_file(path)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}",
                         location=Location(str(path))) from None
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
    found = _same_brief(read_manifest(folder), identity)
    if found is not None:  # checked again under the lock; this saves the render
        return Archived(folder / found["file"], found, written=False)

    created = archive_time()
    document = render_document(meeting, chosen, project, created)
    data = write_format(document, theme, "pdf", pdfa=True,
                        options=project.writer_options()).data
    stem = f"{meeting.file_stem}_{_name_part(chosen.name)}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ArchiveError(f"cannot create the archive folder {folder}: {exc.strerror}") from None
    with locked(folder):
        lines = read_manifest(folder)
        found = _same_brief(lines, identity)
        if found is not None:
            return Archived(folder / found["file"], found, written=False)
        version = _next_version(folder, lines, stem)
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
            "format": PDFA_LABEL,
        }
        publish(folder / name, data)
        append_line(folder / MANIFEST, entry)
    return Archived(folder / name, entry, written=True)


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


def read_manifest(folder: Path) -> list[ManifestLine]:
    """Every line of the manifest, parsed; an absent manifest is an empty one."""
    try:
        raw = (folder / MANIFEST).read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise ArchiveError(f"cannot read {folder / MANIFEST}: {exc.strerror}") from None
    lines = []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            lines.append(ManifestLine(number, None, f"not JSON ({exc})"))
            continue
        problem = entry_problem(entry)
        lines.append(ManifestLine(number, None if problem else entry, problem))
    return lines


_ENTRY_TYPES: dict[str, type | tuple[type, ...]] = {
    "file": str, "sha256": str, "size": int, "version": int, "audience": str,
    "source": str, "source_sha256": str, "templates_sha256": str, "briefgen_version": str,
    "created": str, "source_date_epoch": int,
}
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def entry_problem(entry: object) -> str:
    """Why a parsed manifest line is not a usable entry; empty when it is."""
    if not isinstance(entry, dict):
        return "not a JSON object"
    for key, kind in _ENTRY_TYPES.items():
        if not isinstance(entry.get(key), kind) or isinstance(entry.get(key), bool):
            return f"`{key}` is missing or not a {getattr(kind, '__name__', kind)}"
    name = entry["file"]
    if "/" in name or "\\" in name or name in (".", "..", MANIFEST, LOCK_NAME):
        return f"`file` {name!r} is not a file name in the archive folder"
    if not _SHA256.match(entry["sha256"]):
        return "`sha256` is not 64 hexadecimal digits"
    return ""


def _same_brief(lines: list[ManifestLine], identity: dict[str, Any]) -> dict[str, Any] | None:
    for line in lines:
        if line.entry is not None and all(line.entry.get(k) == identity[k] for k in IDENTITY):
            return line.entry
    return None


def _next_version(folder: Path, lines: list[ManifestLine], stem: str) -> int:
    """One more than any version of this brief in the manifest or on disk: a number is never
    reused, not even one whose file lost its manifest line in a crash."""
    pattern = re.compile(re.escape(stem) + r"_v(\d+)\.pdf")
    names = [line.entry["file"] for line in lines if line.entry is not None]
    names += [p.name for p in folder.iterdir()]
    versions = [int(m.group(1)) for n in names if (m := pattern.fullmatch(n))]
    return max(versions, default=0) + 1


@contextlib.contextmanager
def locked(folder: Path, required: bool = True) -> Iterator[None]:
    """Hold the archive folder's lock: one writer at a time, across processes.

    `required=False` is for readers: a folder they cannot create the lock file in (read-only
    media) is one nobody is writing to, so they go on without the lock.
    """
    from filelock import FileLock, Timeout

    lock = FileLock(str(folder / LOCK_NAME), timeout=LOCK_TIMEOUT)
    try:
        lock.acquire()
    except Timeout:
        raise ArchiveError(
            f"the archive folder {folder} stayed locked for {LOCK_TIMEOUT:.0f} s",
            hint=f"another `briefgen archive` is writing there; if none is, delete {LOCK_NAME}",
        ) from None
    except OSError as exc:
        if not required:
            yield
            return
        raise ArchiveError(f"cannot lock the archive folder {folder}: {exc.strerror}") from None
    try:
        yield
    finally:
        lock.release()


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


def append_line(manifest: Path, entry: dict[str, Any]) -> None:
    """Append one JSON line and fsync it; a line cut short by a crash is ended first."""
    line = json.dumps(entry, ensure_ascii=False, separators=(", ", ": ")) + "\n"
    created = not manifest.exists()
    try:
        with manifest.open("ab+") as handle:
            handle.seek(0, os.SEEK_END)
            if handle.tell() > 0:
                handle.seek(-1, os.SEEK_END)
                if handle.read(1) != b"\n":
                    handle.write(b"\n")
            handle.write(line.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise ArchiveError(f"cannot append to {manifest}: {exc.strerror}") from None
    if created:
        fsync_folder(manifest.parent)


def fsync_folder(folder: Path) -> None:
    """Make a new name in `folder` durable; Windows has no directory fsync (and needs none)."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
