"""lint's dictionary: the cached word set answers as pyspellchecker does, and is keyed safely."""

from __future__ import annotations

import marshal
from collections.abc import Iterator
from pathlib import Path

import pytest
from spellchecker import SpellChecker

from briefgen.lint import dictionary


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(folder))
    dictionary.known_words.cache_clear()
    yield folder
    dictionary.known_words.cache_clear()


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("words-*/en.marshal"))


def test_the_words_are_the_checkers_and_fill_the_cache(cache_dir: Path) -> None:
    words = dictionary.known_words()
    assert words == frozenset(SpellChecker(language="en").word_frequency.keys())
    (stored,) = cache_files(cache_dir)
    assert marshal.loads(stored.read_bytes()) == words
    assert (stored.parent.stat().st_mode & 0o777) == 0o700


def test_membership_as_the_checker_answers_it(cache_dir: Path) -> None:
    for word in ("harbor", "Harbor", "HARBOR", "ministry", "decisions"):
        assert dictionary.knows(word), word
    for word in ("harbourr", "xqzvbn", "ministrry"):
        assert not dictionary.knows(word), word


def test_a_second_process_reads_the_cache_not_the_checker(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dictionary.known_words()
    dictionary.known_words.cache_clear()

    def no_checker() -> SpellChecker:
        raise AssertionError("the checker was built although the cache holds the words")

    monkeypatch.setattr(dictionary, "spellchecker", no_checker)
    assert dictionary.knows("harbor")
    assert not dictionary.knows("xqzvbn")


def test_a_damaged_cache_is_rebuilt(cache_dir: Path) -> None:
    dictionary.known_words()
    (stored,) = cache_files(cache_dir)
    stored.write_bytes(b"\x00not marshal")
    dictionary.known_words.cache_clear()
    assert dictionary.knows("harbor")
    assert marshal.loads(stored.read_bytes()) == dictionary.known_words()
    stored.write_bytes(marshal.dumps(["harbor"]))  # well-formed, but not a set of words
    dictionary.known_words.cache_clear()
    assert dictionary.knows("ministry")


def test_the_key_follows_the_word_list_and_the_reading_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    words, code = tmp_path / "en.json.gz", tmp_path / "spellchecker.py"
    words.write_bytes(b"one list")
    code.write_bytes(b"one reader")
    monkeypatch.setattr(dictionary, "sources", lambda: [words, code])
    first = dictionary.cache_key()
    words.write_bytes(b"another list")
    second = dictionary.cache_key()
    code.write_bytes(b"another reader")
    third = dictionary.cache_key()
    assert len({first, second, third}) == 3
    code.unlink()
    assert dictionary.cache_key() is None  # unreadable source: no cache, not a stale one


def test_no_cache_when_switched_off_or_shared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", "")
    dictionary.known_words.cache_clear()
    assert dictionary.knows("harbor")
    shared = tmp_path / "shared"
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(shared))
    dictionary.known_words.cache_clear()
    dictionary.known_words()
    (stored,) = cache_files(shared)
    stored.parent.chmod(0o777)
    stored.write_bytes(marshal.dumps(frozenset({"zzplantedzz"})))
    dictionary.known_words.cache_clear()
    assert not dictionary.knows("zzplantedzz")  # a folder others may write to is not read
    assert dictionary.knows("harbor")
    dictionary.known_words.cache_clear()
