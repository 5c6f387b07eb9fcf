"""Words lint knows: the dictionary, British and American spellings, and the file's own names.

The dictionary is pyspellchecker's English word list (shipped inside the package, no download);
it is American, so a British spelling counts as known when breame maps it to a known American
one. The file's own names (participants, organisations, places, roles) and the user's word list
are allowed too; names also become the proper nouns whose case lint checks.
"""

from __future__ import annotations

import functools
import re
import sys
import types
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.lint.dictionary import knows, spellchecker
from briefgen.lint.prose import WORD_RE, word_set

if TYPE_CHECKING:
    from briefgen.lint.source import TextValue

# Briefing vocabulary the general dictionary lacks.
EXTRA_WORDS = word_set(
    """anonymize anonymized anonymizing anonymization cyber cybersecurity counterterrorism
    deliverable deliverables malware ransomware roadmap roadmaps workstream workstreams
    readouts"""
)
# A word before a hyphen that is a prefix, not a word: pre-2022, non-aligned, co-chair.
PREFIXES = word_set("anti co cross inter intra multi non post pre pro re semi sub trans")
# Spellings breame lists as one variety that are standard in both: British English uses
# "program" for software, "practice"/"license" as verbs' nouns, "draft" for documents, "meter"
# for instruments, "disk" for computers, and American English writes "dialogue" for talks.
BOTH_VARIETIES = word_set(
    """program programs practice practices license licensed licenses licensing draft drafts
    drafted drafting meter meters disk disks disc discs tire tires judgment judgments ageing
    aging inquiry inquiries enquiry enquiries dialogue dialogues ax axe ton tons tonne tonnes
    analog catalog"""
)
# Where people, organisations and places are named; these become proper nouns to check.
NAME_FIELDS = {
    ("participants", "name"),
    ("participants", "latin"),
    ("participants", "sort_as"),
    ("participants", "organisation"),
    ("participants", "side"),
    ("meeting", "location"),
    ("meeting", "organiser"),
    ("initiatives", "owner"),
}
# Also allowed for spelling, though not proper nouns: "Minister for Foreign Affairs" is a title
# that prose may write in lower case.
ALLOWED_FIELDS = {*NAME_FIELDS, ("participants", "role"), ("initiatives", "name")}
_PHRASE_SPLIT = re.compile(r"\s*(?:[,;()/]|\s[-\u2013\u2014]\s|\bof\b)\s*")


@functools.cache
def _inflect_engine():  # type: ignore[no-untyped-def]
    # inflect wraps its methods in typeguard's @typechecked, which recompiles them at import:
    # 2.4 s measured, more than all of lint. We pass it plain strings only, so inflect gets the
    # decorator as the no-op it is under `python -O`. Importing typeguard itself costs ~90 ms
    # (unittest.mock, asyncio, ssl): where it is not loaded yet, inflect imports a stand-in
    # holding the no-op alone, removed at once, so a later `import typeguard` gets the real one.
    if "typeguard" not in sys.modules:
        engine = _inflect_with_stand_in()
        if engine is not None:
            return engine
    import typeguard

    original = typeguard.typechecked
    typeguard.typechecked = _no_op_decorator
    try:
        import inflect
    finally:
        typeguard.typechecked = original
    return inflect.engine()


def _inflect_with_stand_in() -> Any:
    """inflect's engine, inflect imported with the stand-in typeguard; None for an inflect that
    needs more of typeguard than its decorator (its partial import is then forgotten)."""
    stand_in = types.ModuleType("typeguard", "no-op typechecked, for inflect's import")
    stand_in.typechecked = _no_op_decorator  # type: ignore[attr-defined]
    sys.modules["typeguard"] = stand_in
    try:
        inflect = import_module("inflect")
    except ImportError:
        for name in [n for n in sys.modules if n == "inflect" or n.startswith("inflect.")]:
            del sys.modules[name]
        return None
    finally:
        if sys.modules.get("typeguard") is stand_in:
            del sys.modules["typeguard"]
    return inflect.engine()


def _no_op_decorator(target: Any = None, **_options: Any) -> Any:
    return target if target is not None else _no_op_decorator


def normalise(word: str) -> str:
    """The form looked up in word lists: curly apostrophe straightened, possessive dropped."""
    word = word.replace("\u2019", "'")
    return word[:-2] if word.lower().endswith("'s") else word


def dictionary_knows(word: str) -> bool:
    lower = normalise(word).lower()
    if lower in EXTRA_WORDS or knows(lower):
        return True
    from breame.spelling import BRITISH_ENGLISH_SPELLINGS

    american = BRITISH_ENGLISH_SPELLINGS.get(lower) or _ize_form(lower)
    return american is not None and (american in EXTRA_WORDS or knows(american))


def _ize_form(word: str) -> str | None:
    """British -ise/-isation words breame does not list (anonymised → anonymized)."""
    match = _ISE.search(word)
    return word[: match.start()] + "iz" + word[match.start() + 2 :] if match else None


_ISE = re.compile(r"is(?=(?:e|es|ed|ing|ation|ations|er|ers)$)")


def suggest(word: str) -> str | None:
    """The dictionary's most likely correction, in the word's case, or None."""
    checker = spellchecker()
    lower = normalise(word).lower()
    candidates = checker.known(checker.edit_distance_1(lower))
    if not candidates and len(lower) <= 8:  # two edits of a long word take a second to list
        candidates = checker.known(checker.edit_distance_2(lower))
    if not candidates:
        return None
    best = max(sorted(candidates), key=checker.word_usage_frequency)
    return best.capitalize() if word[0].isupper() else best


def variety(word: str) -> tuple[str, str] | None:
    """("British"|"American", the other variety's spelling) for a word spelt differently there."""
    from breame.spelling import AMERICAN_ENGLISH_SPELLINGS, BRITISH_ENGLISH_SPELLINGS

    lower = normalise(word).lower()
    if lower in BOTH_VARIETIES:
        return None
    if lower in BRITISH_ENGLISH_SPELLINGS:
        return "British", _same_case(BRITISH_ENGLISH_SPELLINGS[lower], word)
    if lower in AMERICAN_ENGLISH_SPELLINGS:
        return "American", _same_case(AMERICAN_ENGLISH_SPELLINGS[lower], word)
    return None


def indefinite_article(word: str) -> str:
    """'a' or 'an' for a word by its sound (an hour, a university, an MP), as inflect decides."""
    article: str = _inflect_engine().a(word).split(" ", 1)[0]
    return article.lower()


def _same_case(replacement: str, like: str) -> str:
    if like.isupper():
        return replacement.upper()
    return replacement.capitalize() if like[:1].isupper() else replacement


@dataclass
class Names:
    """The file's own names: words allowed for spelling, and proper nouns whose case is checked."""

    allowed: set[str] = field(default_factory=set)  # case-folded words
    phrases: list[str] = field(default_factory=list)  # canonical spelling, longest first
    proper_words: set[str] = field(default_factory=set)  # words written capitalised as names

    def allows(self, word: str) -> bool:
        return normalise(word).casefold() in self.allowed or dictionary_knows(word)


def collect_names(values: Iterable[TextValue], user_words: Iterable[str]) -> Names:
    names = Names()
    phrases: dict[str, str] = {}
    for value in values:
        shape = (str(value.path[0]), str(value.path[-1]))
        if shape in ALLOWED_FIELDS:
            names.allowed.update(normalise(w).casefold() for w in WORD_RE.findall(value.text))
        if shape in NAME_FIELDS:
            for phrase in _proper_phrases(value.text):
                phrases.setdefault(phrase.casefold(), phrase)
    for entry in user_words:
        names.allowed.update(normalise(w).casefold() for w in WORD_RE.findall(entry))
        for phrase in _proper_phrases(entry):
            phrases.setdefault(phrase.casefold(), phrase)
    names.phrases = sorted(phrases.values(), key=len, reverse=True)
    names.proper_words.update(normalise(w) for p in names.phrases for w in WORD_RE.findall(p))
    return names


def _proper_phrases(text: str) -> Iterable[str]:
    """Names worth checking the case of: the whole name and its parts ("Presidency of Bosnia and
    Herzegovina" gives itself and "Bosnia and Herzegovina"), if they have two capitalised words,
    plus single words that are not ordinary words (Stoltenberg, NATO; not Host or Presidency)."""
    parts = [text.strip(), *(p for p in _PHRASE_SPLIT.split(text) if p)]
    for part in parts:
        words = WORD_RE.findall(part)
        capitalised = [w for w in words if w[0].isupper()]
        if len(capitalised) >= 2 and "\n" not in part:
            yield " ".join(part.split())
        for word in capitalised:
            if len(word) > 1 and not dictionary_knows(word):
                yield normalise(word)


def read_word_list(path: Path) -> list[str]:
    """A word list: one word or name per line; blank lines and # comments are ignored."""
    entries = []
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        entry = line.split("#", 1)[0].strip()
        if entry:
            entries.append(entry)
    return entries
