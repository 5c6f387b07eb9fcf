"""`briefgen lint`: find text problems in valid meeting files, and fix the safe ones in place.

Fixes are edits at the exact offsets of the offending characters in the YAML text, not a
re-serialisation, so comments, key order, quoting and line wrapping stay as the person wrote
them; after editing, the file is parsed again and must hold exactly the fixed values.
"""

from __future__ import annotations

import copy
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.errors import Location
from briefgen.lint.prose import Prose, analyse
from briefgen.lint.public import staff_imperatives
from briefgen.lint.rules import (
    SAFE_CODES,
    Finding,
    article,
    doubled_word,
    is_prose,
    missing_space,
    mojibake,
    sentence_case,
    spelling,
    whitespace,
)
from briefgen.lint.source import LineIndex, TextValue, collect_text_values
from briefgen.lint.style import heading_case, mixed_spelling, proper_noun_case, sibling_case
from briefgen.lint.words import Names, collect_names, normalise, read_word_list
from briefgen.loader import LoadedYaml, load_yaml_text, read_text

WORDS_FILE = ".briefgen-words"  # a word list next to the input, read when present
Edit = tuple[int, int, str]  # replace text[start:end] with the string
Candidate = tuple[TextValue, list[Edit], list[Edit]]  # a value, its edits, the same in the file


@dataclass(frozen=True)
class LintWarning:
    """One finding, placed in the file: `FILE:LINE:COL: warning[CODE]: message (suggestion)`."""

    location: Location
    code: str
    message: str
    suggestion: str | None = None
    fixable: bool = False

    def format(self) -> str:
        text = f"{self.location}: warning[{self.code}]: {self.message}"
        return f"{text} ({self.suggestion})" if self.suggestion else text


@dataclass(frozen=True)
class FixResult:
    text: str
    fixed: int  # how many findings the edits repaired


def lint_file(
    path: Path, display_name: str | None = None, word_files: Sequence[Path] = ()
) -> list[LintWarning]:
    """Lint a meeting file; raises InputError/ValidationError when it is not a valid meeting."""
    name = display_name or str(path)
    text = read_text(path, name)
    return lint_text(text, name, user_words(path, word_files), project_levels(path))


def fix_file(path: Path, display_name: str | None = None, word_files: Sequence[Path] = ()) -> int:
    """Apply the safe fixes to a file in place (atomically); returns how many were fixed."""
    name = display_name or str(path)
    raw = path.read_bytes()
    text = read_text(path, name)
    result = fix_text(text, name, user_words(path, word_files), project_levels(path))
    if result.fixed:
        bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
        _write_atomically(path, bom + result.text.encode("utf-8"))
    return result.fixed


def user_words(path: Path, word_files: Sequence[Path] = ()) -> list[str]:
    """The user's word lists: the given files, and .briefgen-words next to the input."""
    files = [*word_files, path.parent / WORDS_FILE]
    return [word for file in files if file.is_file() for word in read_word_list(file)]


def project_levels(path: Path) -> tuple[str, ...]:
    """The marking levels of the project the file belongs to (its briefgen.yaml)."""
    from briefgen.config import find_config, load_config

    return tuple(load_config(find_config(path)).levels)


def lint_text(
    text: str, name: str, words: Iterable[str] = (), levels: Sequence[str] = ()
) -> list[LintWarning]:
    _, findings = _findings(text, name, words, levels)
    lines = LineIndex(text)
    warnings = []
    for finding in findings:
        line, column = lines.position(finding.value.offsets[finding.start])
        fixable = finding.code in SAFE_CODES and finding.replacement is not None
        warnings.append(
            LintWarning(
                Location(name, line, column),
                finding.code,
                finding.message,
                finding.suggestion,
                fixable,
            )
        )
    warnings.sort(key=lambda w: (w.location.line or 0, w.location.column or 0, w.code))
    return warnings


def fix_text(
    text: str, name: str, words: Iterable[str] = (), levels: Sequence[str] = ()
) -> FixResult:
    """The text with every safe fix applied, repeated until nothing is left to fix."""
    words = list(words)
    fixed = 0
    for _ in range(3):  # one pass almost always suffices; overlapping fixes need a second
        result = _fix_once(text, name, words, levels)
        if not result.fixed:
            break
        text, fixed = result.text, fixed + result.fixed
    return FixResult(text, fixed)


def safe_fix(text: str, markdown: bool = False) -> str:
    """One text with the safe fixes applied (for text that is not in a file yet, like imports)."""
    value = TextValue(
        ("text",),
        text,
        "markdown" if markdown else "plain",
        None,
        tuple(range(len(text) + 1)),
        (True,) * len(text),
    )
    for _ in range(3):
        edits = _safe_edits(_value_findings(value, Names(), english=False)[0])
        if not edits:
            break
        text = _apply(text, edits)
        value = TextValue(
            value.path, text, value.kind, None, tuple(range(len(text) + 1)), (True,) * len(text)
        )
    return text


def _findings(
    text: str, name: str, words: Iterable[str], levels: Sequence[str] = ()
) -> tuple[list[TextValue], list[Finding]]:
    from briefgen.model import DEFAULT_LEVELS, Meeting
    from briefgen.schema import meeting_schema
    from briefgen.validation import validate

    # Lint reads valid files only; markings are checked against the project's levels.
    loaded = load_yaml_text(text, name)
    meeting = validate(Meeting, loaded, context={"levels": tuple(levels)})
    english = meeting.meeting.language.lower().startswith("en")
    values = collect_text_values(text, meeting_schema())
    names = collect_names(values, words)
    findings: list[Finding] = []
    pairs: list[tuple[TextValue, Prose]] = []
    for value in values:
        value_findings, prose = _value_findings(value, names, english)
        findings.extend(value_findings)
        pairs.append((value, prose))
    _learn_proper_nouns(pairs, names)
    for value, prose in pairs:
        if english:
            findings.extend(spelling(value, prose, names))
    findings.extend(sibling_case(pairs))
    findings.extend(heading_case(pairs, names))
    findings.extend(proper_noun_case(pairs, names))
    if english:
        findings.extend(mixed_spelling(pairs, names))
        findings.extend(staff_imperatives(values, loaded.data, levels or DEFAULT_LEVELS))
    return values, findings


def _value_findings(value: TextValue, names: Names, english: bool) -> tuple[list[Finding], Prose]:
    garbled = list(mojibake(value))
    # Other rules would only trip over the garbled word ("Å¡" is no word), so hide it from them.
    hidden = [_token_span(value.text, f) for f in garbled]
    prose = analyse(value.text, value.kind == "markdown", hidden)
    findings = [
        *garbled,
        *missing_space(value, prose),
        *whitespace(value, prose),
        *doubled_word(value, prose),
        *sentence_case(value, prose),
    ]
    if english:
        findings.extend(article(value, prose))
    return findings, prose


def _token_span(text: str, finding: Finding) -> tuple[int, int]:
    start, end = finding.start, finding.end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    return start, end


def _learn_proper_nouns(pairs: Sequence[tuple[TextValue, Prose]], names: Names) -> None:
    """A word capitalised inside a sentence is a name (Odesa, Montreux): allow it everywhere."""
    for value, prose in pairs:
        if not is_prose(value):
            continue  # a Title Case heading capitalises every word, names or not
        for word in prose.words:
            bare = normalise(word.text)
            if bare[:1].isupper() and not bare.isupper() and not prose.sentence_start(word.start):
                names.allowed.add(bare.casefold())
                names.proper_words.add(bare)


def _safe_edits(findings: Iterable[Finding]) -> list[tuple[int, int, str]]:
    """Value-level edits of the safe findings, in order, without overlaps."""
    edits: list[tuple[int, int, str]] = []
    for f in sorted(findings, key=lambda f: (f.start, f.end)):
        fixable = f.code in SAFE_CODES and f.replacement is not None
        if fixable and (not edits or f.start >= edits[-1][1]):
            edits.append((f.start, f.end, f.replacement))  # type: ignore[arg-type]
    return edits


def _fix_once(text: str, name: str, words: list[str], levels: Sequence[str]) -> FixResult:
    values, findings = _findings(text, name, words, levels)
    by_value: dict[int, list[Finding]] = {}
    for finding in findings:
        by_value.setdefault(id(finding.value), []).append(finding)
    original = load_yaml_text(text, name).data
    candidates: list[Candidate] = []
    for value in values:
        edits = [e for e in _safe_edits(by_value.get(id(value), [])) if _raw_edit(value, e)]
        if edits:
            raw_edits = [r for e in edits if (r := _raw_edit(value, e))]
            candidates.append((value, edits, raw_edits))
    # Apply all at once; if the file no longer holds exactly the fixed values (a fix that YAML
    # reads differently, such as ': ' in a plain scalar), keep only the fixes that verify alone.
    accepted = candidates
    if not _verifies(text, name, original, accepted):
        accepted = []
        for candidate in candidates:
            if _verifies(text, name, original, [*accepted, candidate]):
                accepted.append(candidate)
    raw = sorted(r for _, _, raw_edits in accepted for r in raw_edits)
    return FixResult(_apply(text, raw), sum(len(edits) for _, edits, _ in accepted))


def _raw_edit(value: TextValue, edit: Edit) -> Edit | None:
    """The edit in file offsets, if the characters are written literally and the replacement
    can be written in the scalar's style without changing its quoting."""
    start, end, replacement = edit
    if not value.span_is_literal(start, end) or "\n" in replacement:
        return None
    if value.style == '"':
        replacement = replacement.replace("\\", "\\\\").replace('"', '\\"')
    elif value.style == "'":
        replacement = replacement.replace("'", "''")
    return value.offsets[start], value.offsets[end - 1] + 1, replacement


def _verifies(text: str, name: str, original: Any, candidates: Sequence[Candidate]) -> bool:
    expected = copy.deepcopy(original)
    for value, edits, _ in candidates:
        _set(expected, value.path, _apply(value.text, edits))
    raw = sorted(r for _, _, raw_edits in candidates for r in raw_edits)
    try:
        loaded: LoadedYaml = load_yaml_text(_apply(text, raw), name)
    except Exception:  # any parse failure means the edit is not safe
        return False
    return bool(loaded.data == expected)


def _set(data: Any, path: Sequence[str | int], new: str) -> None:
    for part in path[:-1]:
        data = data[part]
    data[path[-1]] = new


def _apply(text: str, edits: Iterable[Edit]) -> str:
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _write_atomically(path: Path, data: bytes) -> None:
    """Rewrite a person's file atomically, keeping its permissions."""
    from briefgen.pipeline import write_atomic

    write_atomic(path, data, mode=stat.S_IMODE(path.stat().st_mode))
