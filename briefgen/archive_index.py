"""The archive's search index, ARCHIVE/.briefgen-index.sqlite: SQLite FTS5, derived, disposable.

The manifest stays the source of truth. The index records the manifest's size, modification
time and SHA-256 it was built from; a reader that finds them changed brings it up to date under
the archive lock (only the new lines when the manifest grew by appending, else from scratch,
and from scratch when the file is corrupt) in one transaction. The database is in WAL mode, so
readers keep a consistent snapshot while a writer commits: nobody sees half an update. Searches
use a read-only connection; `verify` never opens the index. Each row's text comes from the
PDF's embedded source, or the PDF's own text (pypdf) for briefs archived before sources were
embedded.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from briefgen.archive_text import brief_text, fold, participant_key
from briefgen.errors import ArchiveError
from briefgen.manifest import MANIFEST, ManifestLine, locked, parse_line, read_raw, split_lines

INDEX_NAME = ".briefgen-index.sqlite"
SCHEMA_VERSION = "2"  # of the tables and the state; another version is rebuilt
_NAME = re.compile(r"^(?P<meeting>\d{4}-\d{2}-\d{2}_.+?)_(?P<audience>[A-Za-z0-9-]+)_v\d+\.pdf$")
_SCHEMA = """
CREATE TABLE state(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE briefs(
    id INTEGER PRIMARY KEY,
    line INTEGER NOT NULL,          -- manifest line number
    file TEXT NOT NULL,
    meeting TEXT NOT NULL,          -- the file name before _<audience>_v<N>.pdf
    slug TEXT NOT NULL,             -- the meeting's id (or title slug), after the date
    date TEXT NOT NULL,             -- the meeting's date, YYYY-MM-DD
    version INTEGER NOT NULL,
    audience TEXT NOT NULL,
    marking TEXT NOT NULL,
    created TEXT NOT NULL,
    names TEXT NOT NULL,            -- participant names, a JSON list
    names_folded TEXT NOT NULL,     -- the same folded, one per line, for --participant
    text_from TEXT NOT NULL,        -- 'source' (embedded), 'pdf' (its text) or 'none'
    title TEXT NOT NULL, people TEXT NOT NULL, body TEXT NOT NULL
);
CREATE INDEX briefs_meeting ON briefs(meeting, version);
CREATE INDEX briefs_date ON briefs(date);
CREATE VIRTUAL TABLE brief_text USING fts5(
    title, people, body, content='briefs', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
);
"""


def index_path(folder: Path) -> Path:
    return folder / INDEX_NAME


def open_index(folder: Path) -> sqlite3.Connection:
    """A read-only connection to an up-to-date index of `folder`, refreshing it first if needed.

    A folder nobody may write to gets an index built in memory for this process.
    """
    path = index_path(folder)
    if _is_fresh(folder, path):
        return _read_only(path)
    if not os.access(folder, os.W_OK):  # read-only media: nobody can write an index there
        memory = sqlite3.connect(":memory:", isolation_level=None)
        _build(memory, folder, read_raw(folder))
        memory.execute("PRAGMA query_only = ON")
        return memory
    try:
        with locked(folder):
            refresh(folder)
        return _read_only(path)
    except sqlite3.Error as exc:
        raise ArchiveError(
            f"cannot update the search index {path}: {exc}",
            hint="delete the file: it is rebuilt from the manifest",
        ) from None


def _read_only(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    conn.execute("PRAGMA query_only = ON")  # belt and braces: the connection cannot write
    return conn


def _manifest_stamp(folder: Path) -> tuple[int, int]:
    try:
        info = (folder / MANIFEST).stat()
    except FileNotFoundError:
        return 0, 0
    return info.st_size, info.st_mtime_ns


def _state(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM state").fetchall())


def _is_fresh(folder: Path, path: Path) -> bool:
    if not path.is_file():
        return False
    try:
        conn = _read_only(path)
        try:
            state = _state(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    size, mtime = _manifest_stamp(folder)
    return (state.get("schema"), state.get("size"), state.get("mtime")) == (
        SCHEMA_VERSION, str(size), str(mtime))  # fmt: skip


def refresh(folder: Path) -> str:
    """Bring the index up to date with the manifest; the caller holds the archive lock.

    Returns what was done: 'fresh', 'appended', 'rebuilt'.
    """
    path = index_path(folder)
    raw = read_raw(folder)
    try:
        with _connect(path) as conn:
            return _refresh(conn, folder, raw)
    except sqlite3.DatabaseError:  # not a database, or damaged: it is derived, so start over
        remove_index(folder)
        with _connect(path) as conn:
            return _refresh(conn, folder, raw)


def _tail(data: bytes, end: int | None = None) -> str:
    """The fingerprint of what was indexed: SHA-256 of its last 64 KiB.

    The manifest is append-only, so a file whose bytes up to the old end still end the same
    way has been appended to; an edit elsewhere that moves no byte is `verify`'s to find (the
    index would keep that line's old values until it is next rebuilt).
    """
    end = len(data) if end is None else end
    return hashlib.sha256(data[max(0, end - TAIL) : end]).hexdigest()


TAIL = 65536


def _refresh(conn: sqlite3.Connection, folder: Path, raw: bytes) -> str:
    conn.execute("BEGIN IMMEDIATE")
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    state = _state(conn) if "state" in tables and "briefs" in tables else {}
    current = state.get("schema") == SCHEMA_VERSION
    old = int(state.get("size", -1)) if current else -1
    if old == len(raw) and state.get("tail") == _tail(raw):
        _set_state(conn, folder, len(raw), int(state["lines"]), _tail(raw))  # touched only
        conn.execute("COMMIT")
        return "fresh"
    appended = 0 <= old < len(raw) and (old == 0 or raw[old - 1 : old] == b"\n")
    if appended and state.get("tail") == _tail(raw, old):
        before = int(state["lines"])  # whole lines already indexed
        for number, line in split_lines(raw[old:]):
            _insert(conn, folder, parse_line(before + number, line), None)
        _set_state(conn, folder, len(raw), raw.count(b"\n"), _tail(raw))
        conn.execute("COMMIT")
        return "appended"
    conn.execute("ROLLBACK")
    _build(conn, folder, raw)
    return "rebuilt"


def _create_tables(conn: sqlite3.Connection) -> None:
    # Statement by statement: executescript would commit the open transaction first.
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)


def _build(conn: sqlite3.Connection, folder: Path, raw: bytes) -> None:
    """Index every line from scratch, in one transaction (readers see the old index or this)."""
    conn.execute("BEGIN IMMEDIATE")
    for name in ("brief_text", "briefs", "state"):
        conn.execute(f"DROP TABLE IF EXISTS {name}")  # fixed names, no user text
    _create_tables(conn)
    for number, line in split_lines(raw):
        _insert(conn, folder, parse_line(number, line), None)
    _set_state(conn, folder, len(raw), raw.count(b"\n"), _tail(raw))
    conn.execute("COMMIT")


def _set_state(conn: sqlite3.Connection, folder: Path, size: int, lines: int, tail: str) -> None:
    on_disk, mtime = _manifest_stamp(folder)
    if on_disk != size:  # the manifest moved on since it was read: the next reader refreshes
        mtime = -1
    values = {"schema": SCHEMA_VERSION, "size": str(size), "mtime": str(mtime),
              "lines": str(lines), "tail": tail}  # fmt: skip
    conn.executemany("INSERT OR REPLACE INTO state(key, value) VALUES (?, ?)", values.items())


@contextlib.contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)  # transactions by hand
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        # No fsync: the index is derived. A process that dies mid-write loses nothing (WAL
        # commits are atomic either way); after a power cut a lost commit shows as a stale
        # state and a torn page as a damaged file, and both are rebuilt. The fsyncs would cost
        # 20-40 ms per archived brief on an ordinary disk.
        conn.execute("PRAGMA synchronous = OFF")
        yield conn
    finally:
        conn.close()


def rebuild(folder: Path) -> None:
    """Throw the index away and build it again (a search found it damaged)."""
    with locked(folder):
        remove_index(folder)
        refresh(folder)


def remove_index(folder: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{index_path(folder)}{suffix}").unlink(missing_ok=True)


def add_entry(folder: Path, before: bytes, line: bytes, entry: dict[str, Any],
              source: dict[str, Any]) -> None:  # fmt: skip
    """Index the line just appended to a manifest that held `before`; the caller holds the lock.

    Only an index that was up to date with `before` is extended; any other is left for the
    next search to refresh, and an index that fails is removed: archiving never fails for it.
    """
    path = index_path(folder)
    if not path.is_file() and before.strip():
        return  # no index yet for an archive with history: the first search builds it whole
    # Only the ends of the manifest are touched: at 10,000 briefs it is 15 MB.
    joiner = b"\n" if before and not before.endswith(b"\n") else b""
    end = before[-TAIL:] + joiner + line
    try:
        with _connect(path) as conn:
            conn.execute("BEGIN IMMEDIATE")
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            if "state" not in tables:
                _create_tables(conn)
                state = {"schema": SCHEMA_VERSION, "size": "0", "lines": "0", "tail": _tail(b"")}
            else:
                state = _state(conn)
            if (state.get("schema"), state.get("size"), state.get("tail")) != (
                SCHEMA_VERSION, str(len(before)), _tail(before)):  # fmt: skip
                conn.execute("ROLLBACK")
                return
            lines = int(state["lines"]) + len(joiner)
            record = ManifestLine(lines + 1, entry, "", line.rstrip(b"\n"))
            _insert(conn, folder, record, source)
            _set_state(conn, folder, len(before) + len(joiner) + len(line), lines + 1,
                       _tail(end))  # fmt: skip
            conn.execute("COMMIT")
    except sqlite3.Error:
        remove_index(folder)


def _insert(conn: sqlite3.Connection, folder: Path, line: ManifestLine,
            source: dict[str, Any] | None) -> None:  # fmt: skip
    entry = line.entry
    if entry is None or not entry["file"].lower().endswith(".pdf"):
        return
    row = _row(folder, entry, source)
    cursor = conn.execute(
        "INSERT INTO briefs(line, file, meeting, slug, date, version, audience, marking, created,"
        " names, names_folded, text_from, title, people, body)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (line.number, entry["file"], row["meeting"], row["slug"], row["date"], entry["version"],
         entry["audience"], str(entry.get("marking") or ""), entry["created"],
         json.dumps(row["names"], ensure_ascii=False), participant_key(row["names"]),
         row["text_from"], row["title"], row["people"], row["body"]),
    )  # fmt: skip
    conn.execute(
        "INSERT INTO brief_text(rowid, title, people, body) VALUES (?, ?, ?, ?)",
        (cursor.lastrowid, fold(row["title"]), fold(row["people"]), fold(row["body"])),
    )


def _row(folder: Path, entry: dict[str, Any], loaded: dict[str, Any] | None) -> dict[str, Any]:
    """The searchable facts of one archived brief: from its embedded source (`loaded`, the
    writer's data, or read from the PDF), else the PDF's text."""
    from briefgen.embedded import parse_source, read_source

    name = entry["file"]
    match = _NAME.match(name)
    meeting = match.group("meeting") if match else name.removesuffix(".pdf")
    row: dict[str, Any] = {"meeting": meeting, "slug": meeting[11:], "date": meeting[:10],
                           "names": [], "text_from": "none", "title": meeting,
                           "people": "", "body": ""}  # fmt: skip
    pdf = None
    if loaded is None:
        try:
            pdf = (folder / name).read_bytes()
        except OSError:
            return row  # missing: still listed; verify reports it
        source = read_source(pdf)
        loaded = parse_source(source) if source is not None else None
    if loaded is not None:
        title, people, body = brief_text(loaded)
        meeting_info = loaded.get("meeting")
        info: dict[str, Any] = meeting_info if isinstance(meeting_info, dict) else {}
        row.update(title=title, people=people, body=body, text_from="source",
                   date=str(info.get("date") or row["date"]),
                   slug=str(info.get("id") or row["slug"]),
                   names=[str(p.get("name")) for p in loaded.get("participants") or []
                          if isinstance(p, dict) and p.get("name")])  # fmt: skip
    elif pdf is not None:
        row.update(_pdf_text(pdf))
    return row


def _pdf_text(pdf: bytes) -> dict[str, Any]:
    """Title, participants (the /Keywords the writer sets to their names) and page text."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(pdf))
        info: Any = reader.metadata or {}
        names = [n.strip() for n in str(info.get("/Keywords") or "").split(",") if n.strip()]
        body = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PyPdfError, ValueError, KeyError):
        return {}
    return {"title": str(info.get("/Title") or ""), "names": names, "people": "\n".join(names),
            "body": body, "text_from": "pdf"}  # fmt: skip
