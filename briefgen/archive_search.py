"""Finding briefs again: search the archive's index, list meetings and versions, show one entry
with its source's summary and what changed from the version before."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from briefgen.archive_index import open_index, rebuild
from briefgen.archive_text import fold, fts_query
from briefgen.errors import ArchiveError, UsageError
from briefgen.manifest import MANIFEST, read_manifest

HIT_START, HIT_END = "\x02", "\x03"  # around each hit in a snippet; the CLI styles them
# Title hits weigh most, then people, then the body (bm25 column weights).
_RANK = "rank MATCH 'bm25(10.0, 4.0, 1.0)'"
_COLUMNS = "b.file, b.date, b.title, b.version, b.audience, b.marking, b.created, b.meeting"


@dataclass(frozen=True)
class Brief:
    """One archived brief as search and list show it."""

    file: str
    date: str
    title: str
    version: int
    audience: str
    marking: str
    created: str
    meeting: str
    snippet: str = ""
    score: float = 0.0

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["snippet"] = self.snippet.replace(HIT_START, "**").replace(HIT_END, "**")
        return data


def search(
    folder: Path,
    query: str,
    *,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    participant: str | None = None,
    audience: str | None = None,
    limit: int = 20,
) -> list[Brief]:
    """Briefs matching `query`, most relevant first (BM25), each with a highlighted snippet."""
    expression = fts_query(query)
    where = ["brief_text MATCH ?", _RANK]
    params: list[Any] = [expression]
    if date_from:
        where.append("b.date >= ?")
        params.append(date_from.isoformat())
    if date_to:
        where.append("b.date <= ?")
        params.append(date_to.isoformat())
    if participant:
        where.append("instr(b.names_folded, ?) > 0")
        params.append(fold(participant).lower())
    if audience:
        where.append("b.audience = ?")
        params.append(audience)
    # Rank every match first, in FTS5 alone when nothing else filters (joining each match to
    # its row first doubles the time), and cut the snippets of the best few only. Ties are
    # broken by rowid: the later archived first. CROSS JOIN keeps SQLite from matching every
    # row again for the snippets: each of the top rows is looked up by its rowid.
    joined = " JOIN briefs b ON b.id = brief_text.rowid" if len(where) > 2 else ""
    sql = (
        "WITH top AS (SELECT brief_text.rowid AS id, brief_text.rank AS score"
        f" FROM brief_text{joined} WHERE {' AND '.join(where)}"
        " ORDER BY brief_text.rank, brief_text.rowid DESC LIMIT ?)"
        f" SELECT {_COLUMNS}, snippet(brief_text, -1, ?, ?, '…', 16), top.score"
        " FROM top CROSS JOIN brief_text ON brief_text.rowid = top.id"
        " CROSS JOIN briefs b ON b.id = top.id"
        " WHERE brief_text MATCH ?"
        " ORDER BY top.score, top.id DESC"
    )
    rows = _query(folder, sql, [*params, limit, HIT_START, HIT_END, expression])
    return [_hit(row) for row in rows]


def _hit(row: tuple[Any, ...]) -> Brief:
    file, date, title, version, audience, marking, created, meeting, snippet, rank = row
    return Brief(file, date, title, version, audience, marking, created, meeting,
                 snippet=" ".join(snippet.split()), score=-rank)  # fmt: skip


def list_briefs(folder: Path, meeting: str | None = None) -> list[Brief]:
    """The latest version of each meeting (per audience), newest meeting first; or, given a
    meeting (its file-name stem `2025-03-12_black-sea…` or its id), every version, newest first."""
    if meeting:
        sql = (f"SELECT {_COLUMNS} FROM briefs b WHERE b.meeting = ? OR b.slug = ?"
               " ORDER BY b.version DESC, b.created DESC, b.audience")  # fmt: skip
        return [Brief(*row) for row in _query(folder, sql, [meeting, meeting])]
    sql = (
        f"SELECT {_COLUMNS} FROM briefs b WHERE b.version = (SELECT max(version) FROM briefs"
        " WHERE meeting = b.meeting AND audience = b.audience)"
        " ORDER BY b.date DESC, b.meeting, b.audience"
    )
    return [Brief(*row) for row in _query(folder, sql, [])]


def _query(folder: Path, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    if not (folder / MANIFEST).is_file():  # and no index is made in a folder that is none
        raise UsageError(f"{folder} is not an archive folder: it has no {MANIFEST}",
                         hint="give the folder `briefgen archive … --to` wrote to")  # fmt: skip
    for attempt in (1, 2):
        conn = open_index(folder)
        try:
            return conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if "fts5" in str(exc):  # the query language never produces this; say so plainly
                raise UsageError(f"cannot read the search query ({exc})") from None
            if attempt == 2:
                raise ArchiveError(f"the search index cannot be read: {exc}") from None
        except sqlite3.DatabaseError as exc:
            if attempt == 2:
                raise ArchiveError(f"the search index cannot be read: {exc}") from None
        finally:
            conn.close()
        rebuild(folder)  # damaged in a way the quick check missed: rebuild once
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Shown:
    entry: dict[str, Any]
    summary: list[str]  # lines describing the embedded source
    previous: str | None  # the file of the version before, if any
    changes: list[str]  # what changed from it, one line each


def show(folder: Path, name: str) -> Shown:
    """The manifest entry of one archived file, its source's summary and the change summary."""
    from briefgen.archive_diff import changes, summary, versions_before

    name = Path(name).name
    entries = [line.entry for line in read_manifest(folder) if line.entry is not None]
    entry = next((e for e in entries if e["file"] == name), None)
    if entry is None:
        raise UsageError(f"{name} is not in the manifest of {folder}",
                         hint="`briefgen archive list ARCHIVE` lists what is archived")  # fmt: skip
    source = _source(folder / name)
    earlier = versions_before(entries, entry)
    if not earlier:
        return Shown(entry, summary(source), None, [])
    previous = earlier[-1]
    before = _source(folder / previous["file"])
    return Shown(entry, summary(source), previous["file"], changes(previous, entry, before, source))


def _source(path: Path) -> dict[str, Any] | None:
    from briefgen.embedded import parse_source, read_source

    try:
        data = read_source(path)
    except OSError:
        return None
    return parse_source(data) if data is not None else None


def as_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def brief_lines(brief: Brief, *, styled: bool) -> str:
    """`date  title  vN  audience  marking  file`, and the snippet indented below it; hits in
    bold on a terminal, else between ** like Markdown."""
    head = "  ".join([brief.date, brief.title, f"v{brief.version}", brief.audience,
                      brief.marking or "-", brief.file])  # fmt: skip
    if not brief.snippet:
        return head
    on, off = ("\x1b[1m", "\x1b[0m") if styled else ("**", "**")
    # The snippet is the user's text: control characters in it never reach the terminal raw.
    text = "".join(
        c if c.isprintable() or c in (HIT_START, HIT_END) else " " for c in brief.snippet
    )
    return f"{head}\n    {text.replace(HIT_START, on).replace(HIT_END, off)}"


def shown_lines(shown: Shown) -> str:
    entry = shown.entry
    lines = [entry["file"]]
    for key, value in entry.items():
        if key == "file":
            continue
        if key == "templates" and isinstance(value, dict):
            value = f"{len(value)} files (see the manifest)"
        lines.append(f"  {key}: {value}")
    lines.append("source:")
    lines += [f"  {line}" for line in shown.summary]
    if shown.previous is None:
        lines.append("changes: the first version")
    else:
        lines.append(f"changes from {shown.previous}:")
        lines += [f"  - {change}" for change in shown.changes]
    return "\n".join(lines)
