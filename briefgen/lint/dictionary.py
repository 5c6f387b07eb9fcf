"""The English dictionary lint spells against: pyspellchecker's word list, its words kept on disk.

Building pyspellchecker's `SpellChecker` unpacks and parses its 650 KB word list (gzip, JSON,
then every word lower-cased and counted): ~0.9 G instructions, a third of a cold `briefgen lint`.
Whether a word is in the dictionary needs only the set of its words, so that set is kept in the
private cache (briefgen.cachedir) as marshal data, named by a hash of the word list's bytes, of
pyspellchecker's code that reads it and of the interpreter; reading it costs a fifth as much.
The set is the checker's own (`word_frequency.keys()`), so lint's findings are the same with or
without the cache. Suggestions (edit distances, frequencies) still use the `SpellChecker`, built
only when a word is not known.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.cachedir import content_key, load_set, private_folder, store_set

if TYPE_CHECKING:
    from spellchecker import SpellChecker

LANGUAGE = "en"
_FORMAT = b"briefgen-words-1"  # bump when what is stored changes


@functools.cache
def spellchecker() -> SpellChecker:
    from spellchecker import SpellChecker

    return SpellChecker(language=LANGUAGE, distance=2)


def knows(word: str) -> bool:
    """Whether the dictionary has the word, as `word in spellchecker()` answers (any case)."""
    return word.lower() in known_words()


@functools.cache
def known_words() -> frozenset[str]:
    """Every word of the dictionary, lower case: from the cache, else from the checker."""
    path = _cache_file()
    stored = load_set(path) if path is not None else None
    if stored is not None:
        return stored
    words = frozenset(spellchecker().word_frequency.keys())
    if path is not None:
        store_set(path, words)
    return words


def sources() -> list[Path]:
    """The files the word set is made from: pyspellchecker's word list and its reading code."""
    spec = importlib.util.find_spec("spellchecker")
    if spec is None or spec.origin is None:
        return []
    package = Path(spec.origin).parent
    return [package / "resources" / f"{LANGUAGE}.json.gz", package / "spellchecker.py"]


def cache_key() -> str | None:
    """A hash of everything the word set depends on; None when its sources cannot be read."""
    files = sources()
    return content_key(_FORMAT, files) if files else None


def _cache_file() -> Path | None:
    key = cache_key()
    if key is None:
        return None
    folder = private_folder(f"words-{key}")
    return None if folder is None else folder / f"{LANGUAGE}.marshal"
