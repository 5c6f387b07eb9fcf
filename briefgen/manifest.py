"""The archive's manifest.jsonl: one JSON entry per line, each sealed into a SHA-256 hash chain.

Every line written since the chain was introduced carries two more fields:

    "prev":        the chain value before this line (64 zeros for the first line of a manifest)
    "line_sha256": SHA-256 of the line's canonical JSON (sorted keys, no spaces, UTF-8) without
                   this field itself; it is the chain value after the line

so editing any field of a line breaks its own hash, and removing, inserting or moving a line
breaks the next line's `prev`. Lines from before the chain (and a line cut short by a crash)
are folded in by their raw bytes: the chain value after such a line is
SHA-256(previous value, LF, the line's bytes), so the first sealed line after them protects
them too. A hash chain has no key: whoever rewrites the whole file can rewrite the chain, which
is why `briefgen verify` prints the head (the last chain value) for keeping elsewhere and
checks it with `--head`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.errors import ArchiveError

MANIFEST = "manifest.jsonl"
LOCK_NAME = ".manifest.lock"
GENESIS = "0" * 64
LOCK_TIMEOUT = 300.0  # seconds; archiving one brief takes well under one
CHAIN_FIELDS = ("prev", "line_sha256")

_ENTRY_TYPES: dict[str, type | tuple[type, ...]] = {
    "file": str,
    "sha256": str,
    "size": int,
    "version": int,
    "audience": str,
    "source": str,
    "source_sha256": str,
    "templates_sha256": str,
    "briefgen_version": str,
    "created": str,
    "source_date_epoch": int,
}
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class ManifestLine:
    number: int  # 1-based, counting blank lines too, as an editor does
    entry: dict[str, Any] | None  # None when the line is not a usable entry
    error: str = ""
    raw: bytes = b""  # the line as stored, without its newline
    data: Any = field(default=None, compare=False)  # the parsed JSON, usable or not

    @property
    def sealed(self) -> bool:
        """Whether the line carries the chain fields (they may still be wrong)."""
        return isinstance(self.data, dict) and all(k in self.data for k in CHAIN_FIELDS)


def read_raw(folder: Path) -> bytes:
    """The manifest's bytes; an absent manifest is an empty one."""
    try:
        return (folder / MANIFEST).read_bytes()
    except FileNotFoundError:
        return b""
    except OSError as exc:
        raise ArchiveError(f"cannot read {folder / MANIFEST}: {exc.strerror}") from None


def split_lines(raw: bytes) -> list[tuple[int, bytes]]:
    """(line number, bytes) of every line that is not blank."""
    return [(n, line) for n, line in enumerate(raw.split(b"\n"), start=1) if line.strip()]


def parse_line(number: int, raw: bytes) -> ManifestLine:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return ManifestLine(number, None, f"not JSON ({exc})", raw)
    problem = entry_problem(data)
    return ManifestLine(number, None if problem else data, problem, raw, data)


def read_manifest(folder: Path) -> list[ManifestLine]:
    """Every line of the manifest, parsed; an absent manifest is an empty one."""
    return [parse_line(n, line) for n, line in split_lines(read_raw(folder))]


def lines_containing(raw: bytes, needle: str) -> list[ManifestLine]:
    """Only the lines whose bytes contain `needle`, parsed: what a writer needs from a long
    manifest without splitting or parsing every line (the JSON is written without escaping, so
    a hash or an ASCII file name appears in a line's bytes exactly as in its value). Their
    numbers are 0: a writer needs the entries, not where they are."""
    key = needle.encode("utf-8")
    found, position = [], raw.find(key)
    while position >= 0:
        start = raw.rfind(b"\n", 0, position) + 1
        end = raw.find(b"\n", position)
        end = len(raw) if end < 0 else end
        found.append(parse_line(0, raw[start:end]))
        position = raw.find(key, end)
    return found


def _last_lines(raw: bytes) -> Iterator[tuple[int, bytes]]:
    """(number, bytes) of the non-blank lines from the last one backwards, read lazily; the
    numbers count back from 0 (-1, -2, …): the chain needs the order, not the place."""
    end = len(raw)
    number = 0
    while True:
        start = raw.rfind(b"\n", 0, end) + 1
        if raw[start:end].strip():
            yield number, raw[start:end]
        if start == 0:
            return
        end, number = start - 1, number - 1


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


def canonical(entry: dict[str, Any]) -> bytes:
    """The bytes a line's hash covers: its JSON with sorted keys and no insignificant space."""
    return json.dumps(entry, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def line_hash(data: dict[str, Any]) -> str:
    """What a sealed line's `line_sha256` must be: the hash of everything else in it."""
    return hashlib.sha256(
        canonical({k: v for k, v in data.items() if k != "line_sha256"})
    ).hexdigest()


def fold(previous: str, raw: bytes) -> str:
    """The chain value after an unsealed line (a legacy line or one that does not parse)."""
    return hashlib.sha256(previous.encode("ascii") + b"\n" + raw).hexdigest()


def next_value(previous: str, line: ManifestLine) -> str:
    """The chain value after `line`: a sealed line's own hash (as written: `verify` checks it)."""
    if line.sealed and isinstance(line.data["line_sha256"], str):
        return str(line.data["line_sha256"])
    return fold(previous, line.raw)


def chain_head(raw: bytes) -> str:
    """The chain value after the last line: the `prev` of the next line to append.

    Read from the end: the last sealed line gives the value, and only lines after it (a line
    cut short by a crash) are folded in, so appending to a long manifest parses one line.
    """
    tail: list[ManifestLine] = []
    value = GENESIS
    for number, data in _last_lines(raw):
        line = parse_line(number, data)
        if line.sealed:
            value = next_value(GENESIS, line)
            break
        tail.append(line)
    for line in reversed(tail):
        value = next_value(value, line)
    return value


def seal(entry: dict[str, Any], previous: str) -> dict[str, Any]:
    """The entry with its chain fields, ready to append after a manifest whose head is
    `previous`."""
    sealed = {k: v for k, v in entry.items() if k not in CHAIN_FIELDS}
    sealed["prev"] = previous
    sealed["line_sha256"] = line_hash(sealed)
    return sealed


def encode_line(entry: dict[str, Any]) -> bytes:
    return (json.dumps(entry, ensure_ascii=False, separators=(", ", ": ")) + "\n").encode("utf-8")


def append_line(manifest: Path, entry: dict[str, Any]) -> None:
    """Append one JSON line and fsync it; a line cut short by a crash is ended first."""
    created = not manifest.exists()
    try:
        with manifest.open("ab+") as handle:
            handle.seek(0, os.SEEK_END)
            if handle.tell() > 0:
                handle.seek(-1, os.SEEK_END)
                if handle.read(1) != b"\n":
                    handle.write(b"\n")
            handle.write(encode_line(entry))
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
