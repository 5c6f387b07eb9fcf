"""Where the OLD meeting of a redline comes from: a file, a git revision, or an archived PDF.

An archived PDF carries the cleared meeting it was built from as an embedded YAML file (an
associated file, /AFRelationship /Source); `embedded_source` reads it back with pikepdf. An
archive folder is read through its manifest: the latest version for the meeting and audience.
"""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.errors import ArchiveError, InputError, Location, UsageError
from briefgen.loader import LoadedYaml, decode_text, load_yaml_text
from briefgen.model import Meeting
from briefgen.people import PeopleDirectory, resolve_refs
from briefgen.validation import validate

GIT_PREFIX = "git:"
_YAML_SUFFIXES = (".yaml", ".yml")
_GIT_TIMEOUT = 60  # seconds; `git show` of one file is instant even in a large repository
ARCHIVE_AUDIENCE = "archive"  # what `briefgen archive` keeps when no audience is asked for


@dataclass(frozen=True)
class Source:
    """The OLD meeting's YAML and how to name it: in errors, and in the change summary."""

    data: bytes
    name: str  # for diagnostics: file:line:col
    description: str  # "inputs/x.yaml at git HEAD~1", "…_archive_v2.pdf (version 2)"
    snapshot: bool = False  # an archive's cleared copy: participants already filled in


def read_file(path: Path) -> Source:
    try:
        return Source(path.read_bytes(), str(path), path.name)
    except OSError as exc:
        raise InputError(
            f"cannot read the file: {exc.strerror}", location=Location(str(path))
        ) from None


def read_git(revision: str, new_path: Path) -> Source:
    """NEW's path as it was at a git revision, via `git show` in its repository: no checkout."""
    if not revision or revision.startswith("-"):
        raise UsageError(
            f"{GIT_PREFIX}{revision} does not name a revision",
            hint="e.g. git:HEAD~1, git:main or git:v1.2",
        )
    folder = new_path.resolve().parent
    top = Path(_git(["rev-parse", "--show-toplevel"], folder, str(new_path)).decode().strip())
    relative = new_path.resolve().relative_to(top.resolve()).as_posix()
    data = _git(["show", f"{revision}:{relative}"], top, f"{GIT_PREFIX}{revision}")
    name = f"{GIT_PREFIX}{revision}:{relative}"
    return Source(data, name, f"{new_path.name} at git {revision}")


def _git(args: list[str], folder: Path, what: str) -> bytes:
    try:
        done = subprocess.run(
            ["git", *args], cwd=folder, capture_output=True, timeout=_GIT_TIMEOUT, check=False
        )
    except FileNotFoundError:
        raise UsageError(
            "git is not installed, so git: sources cannot be read",
            hint="install git, or give the old meeting file's path",
        ) from None
    except subprocess.TimeoutExpired:
        raise InputError(f"git took more than {_GIT_TIMEOUT} s", location=Location(what)) from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise InputError(
            f"git: {message[-1] if message else 'failed'}",
            location=Location(what),
            hint="is the file committed at that revision, in a git repository?",
        )
    return done.stdout


def embedded_source(pdf_path: Path) -> bytes | None:
    """The YAML file a PDF carries: an associated file (/AF, preferring /Source) or any
    embedded file named *.yaml / *.yml. None when there is none."""
    import pikepdf  # only redlines against an archive need it

    try:
        pdf = pikepdf.open(pdf_path)
    except (pikepdf.PdfError, OSError) as exc:
        raise InputError(f"cannot read the PDF: {exc}", location=Location(str(pdf_path))) from None
    with pdf:
        specs: list[Any] = list(pdf.Root.get("/AF", pikepdf.Array()))
        specs.sort(key=lambda s: str(s.get("/AFRelationship", "")) != "/Source")
        names = pdf.Root.get("/Names", pikepdf.Dictionary())
        if "/EmbeddedFiles" in names:
            specs += [spec.obj for spec in pdf.attachments.values()]
        for spec in specs:
            if not isinstance(spec, pikepdf.Dictionary) or "/EF" not in spec:
                continue
            name = str(spec.get("/UF", spec.get("/F", "")))
            stream = spec["/EF"].get("/F", spec["/EF"].get("/UF"))
            if name.lower().endswith(_YAML_SUFFIXES) and isinstance(stream, pikepdf.Stream):
                data: bytes = stream.read_bytes()
                return data
    return None


def read_archived_pdf(pdf_path: Path, description: str = "") -> Source:
    data = embedded_source(pdf_path)
    if data is None:
        raise InputError(
            "this PDF carries no embedded meeting source to compare with",
            location=Location(str(pdf_path)),
            hint="archive PDFs from briefgen embed their source; otherwise pass the old YAML",
        )
    return Source(data, f"{pdf_path}:embedded source", description or pdf_path.name, snapshot=True)


def read_archive_folder(folder: Path, meeting: Meeting, audience: str) -> Source:
    """The latest archived version of this meeting for `audience` (else for the archive
    audience), checked against the manifest's hash before it is read."""
    from briefgen.archive import read_manifest

    entries = [line.entry for line in read_manifest(folder) if line.entry is not None]
    stem = f"{meeting.file_stem}_"
    for wanted in dict.fromkeys((audience, ARCHIVE_AUDIENCE)):
        mine = [e for e in entries if e["audience"] == wanted and e["file"].startswith(stem)]
        if mine:
            entry = max(mine, key=lambda e: e["version"])
            break
    else:
        kept = sorted({e["file"] for e in entries}) or ["(none)"]
        raise ArchiveError(
            f"{folder} holds no archived version of {meeting.file_stem} for {audience!r}",
            hint=f"archived there: {', '.join(kept[:5])}; or pass an archived PDF itself",
        )
    path = folder / entry["file"]
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise ArchiveError(f"cannot read {path}: {exc.strerror}") from None
    if digest != entry["sha256"]:
        raise ArchiveError(
            f"{path} does not match its manifest entry (sha256 differs)",
            hint="run `briefgen verify` on the folder",
        )
    return read_archived_pdf(path, f"{entry['file']} (version {entry['version']})")


def load_source(source: Source, levels: list[str], people: PeopleDirectory | None) -> Meeting:
    """Validate the OLD YAML like any meeting file; errors point into it."""
    loaded = load_yaml_text(decode_text(source.data, source.name), source.name)
    if source.snapshot:  # filled in when archived: the directory may have changed since
        loaded = LoadedYaml(_without_refs(loaded.data), loaded.source)
        people = None
    loaded, problems = resolve_refs(loaded, people)
    meeting = validate(Meeting, loaded, context={"levels": tuple(levels)})
    if problems:
        from briefgen.errors import ValidationError

        raise ValidationError(problems[0].message, diagnostics=problems)
    return meeting


def _without_refs(data: Any) -> Any:
    if not isinstance(data, dict) or not isinstance(data.get("participants"), list):
        return data
    people = [
        {k: v for k, v in p.items() if k != "ref"} if isinstance(p, dict) and "name" in p else p
        for p in data["participants"]
    ]
    return {**data, "participants": people}
