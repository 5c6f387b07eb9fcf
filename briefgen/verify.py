"""Check an archive folder: each listed file present and unaltered, none unlisted, each PDF/A
+ PDF/UA-1 (with the rules the validator fails, by id, when it is installed)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from briefgen.archive import LOCK_NAME, MANIFEST, locked, read_manifest
from briefgen.errors import Diagnostic, Location


@dataclass(frozen=True)
class Report:
    findings: list[Diagnostic]  # one per problem, in folder order; empty when all is well
    checked: int  # listed files that were found and read


def verify(folder: Path) -> Report:
    """Recompute every hash in the manifest and look for missing, unlisted and altered files.

    Holds the archive's lock while it reads, so a brief being archived at the same moment is
    seen either whole or not at all; a folder nobody can write to is read without the lock.
    """
    with locked(folder, required=False):
        return _verify(folder)


def _verify(folder: Path) -> Report:
    from briefgen.pdfa import problems  # pikepdf loads only when there is something to check

    manifest = folder / MANIFEST
    findings: list[Diagnostic] = []
    if not manifest.is_file():
        findings.append(_finding(manifest, "missing: the archive has no manifest"))
    listed: dict[str, int] = {}
    checked = 0
    for line in read_manifest(folder):
        where = Location(str(manifest), line.number)
        if line.entry is None:
            findings.append(Diagnostic(f"manifest line does not parse: {line.error}", where))
            continue
        name = line.entry["file"]
        if name in listed:
            findings.append(Diagnostic(f"{name} is listed again (first on line {listed[name]})",
                                       where))
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
            findings.append(_finding(path, (
                f"altered: sha256 {digest[:16]}…, {len(data)} bytes; manifest line "
                f"{line.number} says {line.entry['sha256'][:16]}…, {line.entry['size']} bytes"
            )))
            continue  # an altered file's PDF/A state says nothing about the archived one
        if name.lower().endswith(".pdf"):
            found = problems(data)
            if found:
                findings.append(_finding(path, "not PDF/A + PDF/UA-1: " + "; ".join(found)))
    for path in sorted(folder.iterdir()):
        if path.name not in listed and path.name not in (MANIFEST, LOCK_NAME):
            kind = "folder" if path.is_dir() else "file"
            findings.append(_finding(path, f"unlisted: a {kind} the manifest does not list"))
    return Report(findings, checked)


def _finding(path: Path, message: str) -> Diagnostic:
    return Diagnostic(message, Location(str(path)))
