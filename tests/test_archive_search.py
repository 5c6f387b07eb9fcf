"""`briefgen archive search|list|show`: ranking, accents and scripts, filters, versions, the
change summary, index rebuilds, hostile queries and concurrent writers and readers."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from briefgen.archive import MANIFEST, archive
from briefgen.archive_index import INDEX_NAME, open_index, refresh
from briefgen.archive_search import list_briefs, search, show
from briefgen.cli import main
from briefgen.errors import UsageError
from briefgen.manifest import locked

EPOCH = "1734519600"


ANNA = "  - name: Anna Berg\n"


def meeting(title: str, date: str, purpose: str, people: str = ANNA, extra: str = "") -> str:
    return (
        f"meeting:\n  title: {title}\n  date: {date}\n  organiser: Ministry of Defence\n"
        f"participants:\n{people}purpose: {purpose}\n{extra}"
    )


SOURCES = {
    "thrice.yaml": meeting(
        "Danube flotilla talks",
        "2025-02-10",
        "Mine clearance first. Then mine clearance again, and mine clearance funding.",
    ),
    "once.yaml": meeting(
        "Baltic patrol review",
        "2025-04-22",
        "Mine clearance once, and then ship repairs, port visits and crew training.",
    ),
    "names.yaml": meeting(
        "Western Balkans consultations",
        "2024-11-05",
        "Air policing over the region and the rotation of the battlegroup.",
        people="  - name: Radmila Šekerinska\n    role: Deputy Secretary General\n"
        "  - name: Željko Komšić\n  - name: Milo Đukanović\n",
    ),
    "scripts.yaml": meeting(
        "Eastern partners dialogue",
        "2025-09-30",
        "Policing of the air space is not on the agenda.",
        extra="sections:\n  - heading: Москва и Киев\n    body: Встреча в Москве.\n"
        "  - heading: Αθήνα\n    body: Συνάντηση στην Αθήνα για τη ναυτιλία.\n",  # noqa: RUF001
    ),
}


def write_sources(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, text in SOURCES.items():
        paths[name] = folder / name
        paths[name].write_text(text, encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Four meetings archived for `archive`; the names meeting also for `public`, and twice."""
    base = tmp_path_factory.mktemp("search")
    sources = write_sources(base / "src")
    folder = base / "archive"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        for path in sources.values():
            archive(path, folder)
        archive(sources["names.yaml"], folder, "public")
        changed = base / "src" / "names-v2.yaml"
        changed.write_text(
            SOURCES["names.yaml"].replace("Air policing over", "Air policing and air defence over")
            + "outcomes:\n  - text: A joint statement on air policing.\n",
            encoding="utf-8",
        )
        archive(changed, folder)
    return folder


@pytest.fixture
def folder(pristine: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(pristine, tmp_path / "archive"))


def files(hits: list[Any]) -> list[str]:
    return [hit.file for hit in hits]


NAMES_V1 = "2024-11-05_western-balkans-consultations_archive_v1.pdf"
NAMES_V2 = "2024-11-05_western-balkans-consultations_archive_v2.pdf"
NAMES_PUBLIC = "2024-11-05_western-balkans-consultations_public_v1.pdf"
THRICE = "2025-02-10_danube-flotilla-talks_archive_v1.pdf"
ONCE = "2025-04-22_baltic-patrol-review_archive_v1.pdf"
SCRIPTS = "2025-09-30_eastern-partners-dialogue_archive_v1.pdf"


def test_three_mentions_rank_above_one(folder: Path) -> None:
    hits = search(folder, '"mine clearance"')
    assert files(hits) == [THRICE, ONCE]
    assert hits[0].score > hits[1].score
    assert hits[0].snippet.count("\x02") == 3  # each mention highlighted


def test_accents_and_case_are_ignored_and_the_snippet_keeps_them(folder: Path) -> None:
    for query in ("Sekerinska", "sekerinska", "ŠEKERINSKA", "komsic", "Komšić", "dukanovic",
                  "Đukanović", "DJUKANOVIC OR dukanovic"):  # fmt: skip
        assert set(files(search(folder, query))) == {NAMES_V1, NAMES_V2, NAMES_PUBLIC}, query
    [hit, *_] = search(folder, "sekerinska", audience="archive")
    assert "\x02Šekerinska\x03" in hit.snippet
    assert "\x02Đukanović\x03" in search(folder, "dukanovic")[0].snippet


def test_cyrillic_and_greek_are_searchable_as_written(folder: Path) -> None:
    assert files(search(folder, "Москва")) == [SCRIPTS]
    assert files(search(folder, "москва")) == [SCRIPTS]
    assert files(search(folder, "Αθήνα")) == [SCRIPTS]
    assert files(search(folder, "αθηνα")) == [SCRIPTS]  # without the tonos
    assert files(search(folder, "ναυτ*")) == [SCRIPTS]


def test_phrases_and_prefixes(folder: Path) -> None:
    phrase = set(files(search(folder, '"air policing"')))
    assert phrase == {NAMES_V1, NAMES_V2, NAMES_PUBLIC}  # not "policing of the air"
    assert set(files(search(folder, "air policing"))) == phrase | {SCRIPTS}
    assert set(files(search(folder, "rotat*"))) == {NAMES_V1, NAMES_V2, NAMES_PUBLIC}
    assert files(search(folder, "clearance -funding")) == [ONCE]


def test_filters(folder: Path) -> None:
    assert set(files(search(folder, "mine OR policing", date_from=dt.date(2025, 1, 1)))) == {
        THRICE, ONCE, SCRIPTS}  # fmt: skip
    assert files(search(folder, '"mine clearance"', date_to=dt.date(2025, 3, 1))) == [THRICE]
    assert files(search(folder, "policing", participant="komsic", audience="public")) == [
        NAMES_PUBLIC]  # fmt: skip
    assert files(search(folder, "clearance", participant="Anna")) == [THRICE, ONCE]
    assert search(folder, "clearance", participant="Komšić") == []


def test_list_shows_the_latest_version_and_every_version_of_one(folder: Path) -> None:
    latest = [(b.file, b.version) for b in list_briefs(folder)]
    assert latest == [
        (SCRIPTS, 1), (ONCE, 1), (THRICE, 1), (NAMES_V2, 2), (NAMES_PUBLIC, 1)]  # fmt: skip
    every = [(b.file, b.version) for b in list_briefs(folder, "western-balkans-consultations")]
    assert every == [(NAMES_V2, 2), (NAMES_V1, 1), (NAMES_PUBLIC, 1)]
    by_stem = list_briefs(folder, "2024-11-05_western-balkans-consultations")
    assert [b.file for b in by_stem] == [NAMES_V2, NAMES_V1, NAMES_PUBLIC]


def test_show_summarises_the_source_and_what_changed(folder: Path) -> None:
    shown = show(folder, NAMES_V2)
    assert shown.entry["file"] == NAMES_V2 and shown.previous == NAMES_V1
    assert shown.summary == [
        "Western Balkans consultations (2024-11-05)",
        "organiser: Ministry of Defence",
        "marking: PUBLIC",
        "participants (3): Radmila Šekerinska (Deputy Secretary General), Željko Komšić, "
        "Milo Đukanović",
        "0 key points, 1 outcomes, 0 initiatives, 0 sections",
    ]
    assert shown.changes == [
        "source file changed (names.yaml -> names-v2.yaml)",
        "Purpose changed",
        "Outcome added: 'A joint statement on air policing.'",
    ]
    first = show(folder, str(folder / NAMES_V1))
    assert first.previous is None and first.changes == []
    with pytest.raises(UsageError, match="is not in the manifest"):
        show(folder, "nothing.pdf")


def test_a_missing_index_is_rebuilt(folder: Path) -> None:
    (folder / INDEX_NAME).unlink()
    assert files(search(folder, "komsic", audience="public")) == [NAMES_PUBLIC]
    assert (folder / INDEX_NAME).is_file()


def test_a_stale_index_is_brought_up_to_date(folder: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    search(folder, "komsic")  # fresh
    monkeypatch.setattr("briefgen.archive._index_new_line", lambda *args: None)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    extra = tmp_path / "late.yaml"
    extra.write_text(meeting("Late addition", "2025-12-01", "Harbour dredging."), "utf-8")
    archive(extra, folder)  # written as an older briefgen would: the index does not know
    assert files(search(folder, "dredging")) == ["2025-12-01_late-addition_archive_v1.pdf"]
    with locked(folder):
        assert refresh(folder) == "fresh"
    text = (folder / MANIFEST).read_text(encoding="utf-8").splitlines()
    (folder / MANIFEST).write_text("\n".join(text[:-1]) + "\n", encoding="utf-8")  # not append
    assert search(folder, "dredging") == []
    with locked(folder):
        assert refresh(folder) == "fresh"


def test_an_index_grown_by_appending_only_indexes_the_new_lines(folder: Path) -> None:
    manifest = folder / MANIFEST
    text = manifest.read_bytes()
    last = text.splitlines(keepends=True)[-1]
    manifest.write_bytes(text[: len(text) - len(last)])
    with locked(folder):
        assert refresh(folder) == "rebuilt"
    manifest.write_bytes(text)
    with locked(folder):
        assert refresh(folder) == "appended"
    assert NAMES_V2 in files(search(folder, "komsic"))


@pytest.mark.parametrize(
    "damage", [b"not a database at all", b"SQLite format 3\x00" + b"\xff" * 300]
)
def test_a_corrupt_index_is_rebuilt(folder: Path, damage: bytes) -> None:
    (folder / INDEX_NAME).write_bytes(damage)
    for suffix in ("-wal", "-shm"):
        Path(f"{folder / INDEX_NAME}{suffix}").unlink(missing_ok=True)
    assert files(search(folder, '"mine clearance"')) == [THRICE, ONCE]


def test_a_damaged_table_found_during_a_search_is_rebuilt(folder: Path) -> None:
    with sqlite3.connect(folder / INDEX_NAME) as conn:
        conn.execute("DROP TABLE brief_text")  # the state still says fresh
    assert files(search(folder, '"mine clearance"')) == [THRICE, ONCE]


HOSTILE = [
    ('"unbalanced', "a quotation mark is not closed"),
    ("*", "`*` ends a word"),
    ("rot*at", "`*` ends a word"),
    ("NEAR(mine clearance)", "`NEAR(mine` is not part of the query language"),
    ("title:mine", "`:` cannot be searched for"),
    ("mine OR", "OR needs a word on each side"),
    ("-mine", "a query cannot only exclude words"),
    ("   ", "the query has no word to look for"),
    ("(mine)", "`()` cannot be searched for"),
]


@pytest.mark.parametrize(("query", "message"), HOSTILE)
def test_malformed_queries_are_usage_errors_with_a_hint(
    folder: Path, query: str, message: str
) -> None:
    result = CliRunner().invoke(main, ["archive", "search", str(folder), "--", query])
    assert result.exit_code == 2, result.output
    assert f"error: cannot read the search query: {message}" in result.stderr
    assert 'hint: search for words, "exact phrases" and prefixes' in result.stderr
    assert "Traceback" not in result.output


def test_sql_in_a_query_is_only_words_and_the_search_connection_cannot_write(
    folder: Path,
) -> None:
    before = (folder / MANIFEST).read_bytes()
    for query in ("'; DROP TABLE briefs; --", 'x"; DELETE FROM briefs; --"'):
        assert search(folder, query) == []  # words to look for, nothing more
    assert files(search(folder, "mine' OR '1'='1")) == [THRICE, ONCE]  # `mine` or `1`
    with pytest.raises(UsageError, match="`\\)` cannot be searched for"):
        search(folder, "clearance); DROP TABLE state; --")
    assert len(list_briefs(folder, "western-balkans-consultations")) == 3
    assert (folder / MANIFEST).read_bytes() == before
    conn = open_index(folder)
    with pytest.raises(sqlite3.OperationalError, match=r"readonly|read-only"):
        conn.execute("DELETE FROM briefs")
    conn.close()


def test_the_commands(folder: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    (tmp_path / "empty").mkdir()
    none = runner.invoke(main, ["archive", "search", str(tmp_path / "empty"), "x"])
    assert none.exit_code == 2 and "is not an archive folder: it has no manifest.jsonl" in (
        none.stderr)  # fmt: skip
    assert sorted(p.name for p in (tmp_path / "empty").iterdir()) == []
    result = runner.invoke(main, ["archive", "search", str(folder), "mine clearance"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        f"2025-02-10  Danube flotilla talks  v1  archive  PUBLIC  {THRICE}"
    )
    assert "**Mine** **clearance** first" in result.stdout.splitlines()[1]
    as_json = json.loads(
        runner.invoke(
            main, ["archive", "search", str(folder), "komsic", "--json", "-a", "public"]
        ).stdout
    )
    assert [hit["file"] for hit in as_json] == [NAMES_PUBLIC]
    assert "**Komšić**" in as_json[0]["snippet"]
    listed = runner.invoke(main, ["archive", "list", str(folder)])
    assert listed.exit_code == 0 and len(listed.stdout.splitlines()) == 5
    unknown = runner.invoke(main, ["archive", "list", str(folder), "nothing-here"])
    assert unknown.exit_code == 2 and "no archived meeting 'nothing-here'" in unknown.stderr
    shown = runner.invoke(main, ["archive", "show", str(folder), NAMES_V2])
    assert shown.exit_code == 0
    assert f"changes from {NAMES_V1}:\n  - source file changed" in shown.stdout
    shown_json = json.loads(
        runner.invoke(main, ["archive", "show", str(folder), NAMES_V2, "--json"]).stdout
    )
    assert shown_json["previous"] == NAMES_V1 and shown_json["entry"]["version"] == 2


def _writer(args: tuple[str, str, Any]) -> list[str]:
    path, folder, barrier = args
    barrier.wait()
    archive(path, Path(folder))
    return []


def _reader(args: tuple[str, str, Any]) -> list[str]:
    _, folder, barrier = args
    barrier.wait()
    seen, problems = 0, []
    for _ in range(40):
        try:
            count = len(search(Path(folder), "harbour", limit=100))
        except Exception as exc:  # anything at all is a failure of the guarantee
            problems.append(repr(exc))
            continue
        if count < seen:
            problems.append(f"saw {count} after {seen}")
        seen = count
    return problems


def test_parallel_writers_and_readers_never_see_a_half_written_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "archive"
    first = tmp_path / "harbour-first.yaml"  # the archive exists before the race starts
    first.write_text(meeting("Harbour talks", "2024-12-15", "Harbour security, opening."), "utf-8")
    with monkeypatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        archive(first, folder)
    sources = []
    for n in range(4):
        path = tmp_path / f"harbour{n}.yaml"
        path.write_text(meeting(f"Harbour talks {n}", f"2025-0{n + 1}-15",
                                f"Harbour security, round {n}."), "utf-8")  # fmt: skip
        sources.append(str(path))
    jobs = [(s, "w") for s in sources] + [("", "r")] * 3
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager:
        barrier = manager.Barrier(len(jobs))
        with context.Pool(len(jobs)) as pool:
            results = [
                pool.apply_async(_writer if kind == "w" else _reader, ((s, str(folder), barrier),))
                for s, kind in jobs
            ]
            problems = [p for r in results for p in r.get(timeout=600)]
    assert problems == []
    assert len(search(folder, "harbour", limit=100)) == 5
    with locked(folder):
        assert refresh(folder) == "fresh"  # the writers kept it up to date between them
