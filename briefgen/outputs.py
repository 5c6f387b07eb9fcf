"""Writing output files: bounded names, one atomic write, all files of one input or none.

Every file briefgen writes goes through `write_temp` (a temporary file beside the target, with
its final mode, flushed to disk); `write_atomic` renames one into place, `write_set` renames a
whole set and puts every earlier file back if any rename fails, and the archive links its own
so that it never replaces a file. Problems with the output location are usage errors: the fix
is another `-o` folder, not another input.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from briefgen.errors import BriefgenError, Location, UsageError, ValidationError

MAX_STEM_BYTES = 100  # DATE_SLUG; with `.AUDIENCE.FORMAT` a name stays far below 255 bytes
_HASH_CHARS = 8


def bounded_stem(stem: str, limit: int = MAX_STEM_BYTES) -> str:
    """`stem` if it fits in `limit` bytes, else cut at a word boundary plus a short hash of the
    whole, so that long titles still give distinct names, and the same one every time."""
    if len(stem.encode("utf-8")) <= limit:
        return stem
    digest = hashlib.sha256(stem.encode("utf-8")).hexdigest()[:_HASH_CHARS]
    room = limit - _HASH_CHARS - 1
    cut = stem.encode("utf-8")[:room].decode("utf-8", "ignore")
    if "-" in cut[cut.find("_") + 1 :]:  # keep whole words of the slug when there are several
        cut = cut[: cut.rfind("-")]
    return f"{cut.rstrip('-_')}-{digest}"


def write_temp(folder: Path, name: str, data: bytes, mode: int = 0o644) -> Path:
    """A temporary file in `folder` holding `data` with `mode`, fsynced: ready to rename."""
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # The final mode before the rename: a 0600 file rewritten is never readable by others.
        os.chmod(tmp_name, mode)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return Path(tmp_name)


def write_atomic(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write via a temporary file in the same folder and rename: readers never see half a file."""
    write_set([(path, data)], mode)


def write_set(files: Sequence[tuple[Path, bytes]], mode: int = 0o644) -> None:
    """Write all `files` or none: every temporary file first, then the renames; if one fails,
    the files already replaced get their old contents back and new ones are removed, and any
    folder made for them is removed again."""
    for target, _ in files:
        if target.is_dir():
            raise UsageError(
                f"cannot write {target}: a folder of that name is in the way",
                hint="remove or rename the folder, or choose another -o folder",
            )
    made: list[Path] = []
    temps: list[tuple[Path, Path]] = []
    done: list[tuple[Path, Path | None]] = []  # target, its backup (None: it was new)
    try:
        for target, data in files:
            made.extend(_make_folder(target.parent))
            temps.append((write_temp(target.parent, target.name, data, mode), target))
        for temp, target in temps:
            backup = _backup(target)
            try:
                os.replace(temp, target)
            except BaseException:
                if backup is not None:
                    backup.unlink(missing_ok=True)
                raise
            done.append((target, backup))
    except BaseException as exc:
        _roll_back(done, [t for t, _ in temps], made)
        if isinstance(exc, OSError):
            raise _output_error(exc) from None
        raise
    for _, backup in done:
        if backup is not None:
            backup.unlink(missing_ok=True)


def _make_folder(folder: Path) -> list[Path]:
    """Create `folder` and missing parents; the ones made, deepest last."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    return list(reversed(missing))


def _backup(target: Path) -> Path | None:
    """A second name for the current file at `target` (a hard link, else a copy), or None."""
    if not target.exists():
        return None
    backup = target.with_name(f".{target.name}.old")
    backup.unlink(missing_ok=True)
    try:
        os.link(target, backup)
    except OSError:
        backup.write_bytes(target.read_bytes())
    return backup


def _roll_back(done: list[tuple[Path, Path | None]], temps: list[Path], made: list[Path]) -> None:
    for target, backup in reversed(done):
        if backup is None:
            target.unlink(missing_ok=True)
        else:
            os.replace(backup, target)
    for temp in temps:
        temp.unlink(missing_ok=True)
    for folder in reversed(made):  # deepest first; only folders this write made, if empty
        with contextlib.suppress(OSError):
            folder.rmdir()


def _output_error(exc: OSError) -> BriefgenError:
    where = exc.filename or "the output folder"
    reason = exc.strerror or str(exc)
    if isinstance(exc, (NotADirectoryError, FileExistsError)):
        hint = "a file of that name is in the way of the folder: choose another -o folder"
    elif isinstance(exc, PermissionError):
        hint = "the folder is not writable by you: choose another -o folder"
    else:
        hint = "choose another -o folder"
    return UsageError(f"cannot write to {where}: {reason}", hint=hint)


def clashes(planned: Sequence[tuple[str, Sequence[Path]]], fix: str) -> dict[str, BriefgenError]:
    """For inputs of one call that would write the same file: an error per input naming the
    other, so that neither overwrites the other (the same file given twice is no clash)."""
    owners: dict[Path, str] = {}
    errors: dict[str, BriefgenError] = {}
    for source, paths in planned:
        for path in paths:
            other = owners.setdefault(path.resolve(), source)
            if other == source or Path(other).resolve() == Path(source).resolve():
                continue
            for one, two in ((source, other), (other, source)):
                errors.setdefault(
                    one,
                    ValidationError(
                        f"{one} and {two} would both be written to {path}; nothing is written "
                        "for either",
                        location=Location(one),
                        hint=fix,
                    ),
                )
    return errors
