"""Check an archive folder: the manifest's hash chain, each listed file present, unaltered and
PDF/A + PDF/UA-1 (with the rules the validator fails, by id, when it is installed), its entry's
fields agreeing with the PDF and its embedded source, no file unlisted."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.errors import Diagnostic, Location
from briefgen.manifest import (
    GENESIS,
    LOCK_NAME,
    MANIFEST,
    ManifestLine,
    line_hash,
    locked,
    next_value,
    read_manifest,
)

INDEX_FILES = (
    ".briefgen-index.sqlite",
    ".briefgen-index.sqlite-wal",
    ".briefgen-index.sqlite-shm",
    ".briefgen-index.sqlite-journal",
)  # derived
_VERSION = re.compile(r"_v(\d+)\.pdf$")
_LEVEL = re.compile(r"PDF/A-(\d)([ab])\b")


@dataclass(frozen=True)
class Report:
    findings: list[Diagnostic]  # one per problem, in folder order; empty when all is well
    checked: int  # listed files that were found and read
    warnings: list[Diagnostic] = field(default_factory=list)  # worth knowing, not a failure
    head: str = GENESIS  # the chain value after the last line: keep it to check with `head=`


def verify(folder: Path, head: str | None = None) -> Report:
    """Recompute every hash in the manifest and look for missing, unlisted and altered files.

    `head`, a chain value recorded earlier (printed by `briefgen verify`), must be the value
    after some line: so nothing up to that line has been rewritten, not even by someone who
    recomputed the whole chain. Holds the archive's lock while it reads, so a brief being
    archived at the same moment is seen either whole or not at all; a folder nobody can write
    to is read without the lock.
    """
    with locked(folder, required=False):
        return _verify(folder, head)


def _verify(folder: Path, head: str | None) -> Report:
    manifest = folder / MANIFEST
    findings: list[Diagnostic] = []
    if not manifest.is_file():
        findings.append(_finding(manifest, "missing: the archive has no manifest"))
    lines = read_manifest(folder)
    warnings, value, values = _check_chain(manifest, lines, findings)
    if head is not None and head.strip().lower() not in values:
        findings.append(
            Diagnostic(
                f"the recorded head {head.strip()[:16]}… is not in the hash chain: lines up to it "
                "were rewritten, or it belongs to another archive",
                Location(str(manifest)),
            )
        )
    listed: dict[str, int] = {}
    checked = 0
    for line in lines:
        where = Location(str(manifest), line.number)
        if line.entry is None:
            findings.append(Diagnostic(f"manifest line does not parse: {line.error}", where))
            continue
        name = line.entry["file"]
        if name in listed:
            findings.append(
                Diagnostic(f"{name} is listed again (first on line {listed[name]})", where)
            )
            continue
        listed[name] = line.number
        path = folder / name
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            findings.append(_finding(path, f"missing: listed on manifest line {line.number}"))
            continue
        except OSError as exc:
            findings.append(_finding(path, f"unreadable: {exc.strerror}"))
            continue
        checked += 1
        digest = hashlib.sha256(data).hexdigest()
        if digest != line.entry["sha256"] or len(data) != line.entry["size"]:
            findings.append(
                _finding(
                    path,
                    (
                        f"altered: sha256 {digest[:16]}…, {len(data)} bytes; manifest line "
                        f"{line.number} says {line.entry['sha256'][:16]}…, "
                        f"{line.entry['size']} bytes"
                    ),
                )
            )
            continue  # an altered file's PDF/A state says nothing about the archived one
        if name.lower().endswith(".pdf"):
            findings += [Diagnostic(message, where) for message in _field_problems(line, data)]
            findings += _pdfa_findings(path, line.entry, data)
    for path in sorted(folder.iterdir()):
        if path.name not in listed and path.name not in (MANIFEST, LOCK_NAME, *INDEX_FILES):
            kind = "folder" if path.is_dir() else "file"
            findings.append(_finding(path, f"unlisted: a {kind} the manifest does not list"))
    return Report(findings, checked, warnings, value)


def _check_chain(
    manifest: Path, lines: list[ManifestLine], findings: list[Diagnostic]
) -> tuple[list[Diagnostic], str, set[str]]:
    """Walk the hash chain; returns the warnings, the head, and every value along the way."""
    value, values = GENESIS, {GENESIS}
    unsealed: list[int] = []  # lines before the first sealed one, protected once one follows
    sealed_seen = False
    previous = 0
    for line in lines:
        where = Location(str(manifest), line.number)
        if line.sealed:
            sealed_seen, unsealed = True, []
            if line.data["line_sha256"] != line_hash(line.data):
                findings.append(
                    Diagnostic("edited: the line's content does not match its `line_sha256`", where)
                )
            elif line.data["prev"] != value:
                after = f"line {previous}" if previous else "the start of the manifest"
                findings.append(
                    Diagnostic(
                        f"out of the chain: its `prev` is not the chain value after {after}; a "
                        "line before it was removed, inserted, moved or edited",
                        where,
                    )
                )
        elif isinstance(line.data, dict) and sealed_seen:
            findings.append(
                Diagnostic(
                    "unsealed: a line without `prev` and `line_sha256` after sealed lines; it was "
                    "inserted, or its chain fields were removed",
                    where,
                )
            )
        elif isinstance(line.data, dict):
            unsealed.append(line.number)
        value = next_value(value, line)
        values.add(value)
        previous = line.number
    warnings = []
    if unsealed:
        span = (
            f"line {unsealed[0]}" if len(unsealed) == 1 else f"lines {unsealed[0]}-{unsealed[-1]}"
        )
        warnings.append(
            Diagnostic(
                f"unprotected: {span} ({len(unsealed)} entries) predate the hash chain; an edit to "
                "them cannot be detected until a brief is archived after them, which seals them",
                Location(str(manifest), unsealed[0]),
                severity="warning",
            )
        )
    return warnings, value, values


def _field_problems(line: ManifestLine, data: bytes) -> list[str]:
    """The entry's fields that disagree with what the PDF itself says."""
    from briefgen.embedded import (
        creation_epoch,
        read_source_file,
        source_audience,
        source_classification,
    )

    entry: dict[str, Any] = line.entry or {}
    found = []
    match = _VERSION.search(entry["file"])
    if match and int(match.group(1)) != entry["version"]:
        found.append(f"`version` {entry['version']} disagrees with the file name (v{match[1]})")
    epoch = entry["source_date_epoch"]
    iso = (
        dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        if 0 <= epoch <= 253402300799
        else "?"
    )
    if entry["created"] != iso:
        found.append(f"`created` {entry['created']} is not `source_date_epoch` {epoch} ({iso})")
    created = creation_epoch(data)
    if created is not None and created != epoch:
        found.append(f"`source_date_epoch` {epoch} is not the PDF's creation date ({created})")
    attached = read_source_file(data)
    expected = entry.get("embedded_sha256")
    if attached is None:
        if expected is not None or entry.get("format") == "PDF/A-3b":
            found.append("the PDF carries no embedded source; the entry says it has one")
        return found
    name, source = attached
    if hashlib.sha256(source).hexdigest() != expected:
        found.append("`embedded_sha256` is not the SHA-256 of the PDF's embedded source")
    if name != entry["source"]:
        found.append(f"`source` {entry['source']!r} is not the embedded source's name {name!r}")
    if source_audience(source) != entry["audience"]:
        found.append(
            f"`audience` {entry['audience']!r} is not the audience the embedded source "
            f"was cleared for ({source_audience(source)!r})"
        )
    marking = source_classification(source)
    if marking != entry.get("marking"):
        found.append(
            f"`marking` {entry.get('marking')!r} is not the embedded source's "
            f"overall marking ({marking!r})"
        )
    return found


def _pdfa_findings(path: Path, entry: dict[str, Any], data: bytes) -> list[Diagnostic]:
    from briefgen.pdfa import problems  # pikepdf loads only when there is a PDF

    # The level the entry records (older entries: PDF/A-2b, then 3b), else the one the file claims.
    match = _LEVEL.match(str(entry.get("format") or ""))
    level = (int(match.group(1)), match.group(2).upper()) if match else None
    # Entries from before every PDF was tagged say no PDF/UA; those files are not held to it.
    found = problems(data, level, ua="PDF/UA" in str(entry.get("format") or "PDF/UA"))
    named = str(entry.get("format") or "PDF/A + PDF/UA-1")
    return [_finding(path, f"not {named}: " + "; ".join(found))] if found else []


def _finding(path: Path, message: str) -> Diagnostic:
    return Diagnostic(message, Location(str(path)))
