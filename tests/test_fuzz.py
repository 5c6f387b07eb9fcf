"""Fuzzing: valid meeting files, mutated the way careless and hostile authors do, never give a
traceback or a partial set of files. Each build either succeeds with both files, or exits 1
with a `file:line` diagnostic and writes nothing."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from briefgen.cli import main
from tests.conftest import INPUTS

SEEDS = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in INPUTS]
KEYS = [
    "meeting",
    "title",
    "date",
    "participants",
    "name",
    "key_points",
    "text",
    "classification",
    "initiatives",
    "start",
    "end",
    "milestones",
    "sections",
    "table",
    "columns",
    "rows",
    "language",
    "purpose",
    "summary",
    "ref",
    "bio",
    "schema_version",
    "unknown_key",
    "<<",
    "id",
    "outcomes",
]
# Control characters, lone surrogates, non-BMP (emoji, CJK extension B), format characters.
ODD = [
    "\x00",
    "\x0b",
    "\x1f",
    "\x7f",
    "\x85",
    "\ud800",
    "\ufffe",
    "\uffff",
    "\U0001f600",
    "\U00020000",
    "\u200d",
    "\u202e",
    "\t",
    "\n",
    "\r",
    ":",
    "#",
    "&a",
    "*a",
    "!!python/x",
    "{{ x }}",
    "{% raw %}",
    "::: warning",
    "| a |",
    "2025-13-01",
    "9999-12-31",
    "0001-01-01",
    "2027-1-9",
    "zz",
    "CONFIDENTIAL",
    "secret",
    "-",
    "",
    " ",
]

TEXTS = st.one_of(
    st.text(max_size=30),
    st.lists(st.sampled_from(ODD), min_size=1, max_size=6).map("".join),
    # Huge but still valid; kept to 20 kB per value (a 1 MB paragraph is issue 16, item 16).
    st.integers(min_value=1, max_value=4_000).map(lambda n: "word " * n),
    st.sampled_from(ODD),
)
SCALARS = st.one_of(
    TEXTS, st.integers(), st.booleans(), st.none(), st.floats(allow_nan=True), st.dates()
)


def nested(depth: int) -> Any:
    """A list or mapping nested `depth` levels deep."""
    value: Any = "deep"
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=4),
    st.dictionaries(st.sampled_from(KEYS), SCALARS, max_size=4),
    st.integers(min_value=1, max_value=200).map(nested),
)


@st.composite
def mutated_data(draw: st.DrawFn) -> Any:
    """A seed meeting with a few values replaced, keys added or removed."""
    data = draw(st.sampled_from(SEEDS))
    data = yaml.safe_load(yaml.safe_dump(data, allow_unicode=True))  # a deep copy
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        parent, key = draw(_place(data))
        action = draw(st.sampled_from(["replace", "add", "delete"]))
        if action == "delete" and isinstance(parent, dict) and key in parent:
            del parent[key]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS))] = draw(VALUES)
        elif isinstance(parent, (dict, list)):
            parent[key] = draw(VALUES)
    return data


@st.composite
def _place(draw: st.DrawFn, data: Any) -> tuple[Any, Any]:
    """A (container, key) somewhere in the data, found by walking down at random."""
    parent, key = data, None
    node = data
    for _ in range(draw(st.integers(min_value=0, max_value=5))):
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node, key=str)))
        elif isinstance(node, list) and node:
            key = draw(st.integers(min_value=0, max_value=len(node) - 1))
        else:
            break
        parent, node = node, node[key]
    if key is None:
        return data, draw(st.sampled_from(KEYS))
    return parent, key


def as_text(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000)


@st.composite
def mutated_text(draw: st.DrawFn) -> str:
    """A seed file's text with characters inserted, removed or re-indented (syntax errors)."""
    text = as_text(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        piece = draw(st.sampled_from([*ODD, "  ", "\n  ", "- ", ": ", '"', "'", "["]))
        if draw(st.booleans()):
            text = text[:at] + piece + text[at:]
        else:
            text = text[:at] + text[at + len(piece) :]
    return text


# Failures known to come from elsewhere, recognised by their output, would be set aside here;
# there are none (the one the fuzzer first found, a heading longer than a page, is fixed: the
# test below keeps it as a case).
KNOWN_ELSEWHERE: dict[str, str] = {}

DIAGNOSTIC = re.compile(r"^(?P<file>[^\n]+?):(?P<line>\d+)(?::\d+)?: error: ", re.MULTILINE)


def check(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        out = Path(folder) / "out"
        result = CliRunner().invoke(main, ["build", str(path), "-o", str(out)])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"traceback for:\n{text[:2000]}") from result.exception
        written = sorted(p.suffix for p in out.iterdir()) if out.exists() else []
        if result.exit_code == 0:
            assert written == [".docx", ".pdf"], (written, result.output)
            return
        assert result.exit_code == 1, result.output
        assert written == [], f"partial output {written}: {result.output}"
        assume(not any(signature in result.output for signature in KNOWN_ELSEWHERE))
        first = DIAGNOSTIC.match(result.output)
        assert first is not None and first["file"] == str(path), result.output[:2000]


# Derandomized, so the suite is reproducible; no shrinking (a slow build makes it take minutes)
# and no example database: a failure prints the whole input instead.
FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    print_blob=False,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)


@FUZZ
@given(mutated_data())
def test_mutated_meeting_data_builds_or_fails_at_a_line(data: Any) -> None:
    check(as_text(data))


@FUZZ
@given(mutated_text())
def test_mutated_meeting_text_builds_or_fails_at_a_line(text: str) -> None:
    check(text)


def test_a_heading_longer_than_a_page_builds() -> None:
    # Found by the fuzzer: the PDF layout failed with no line; the heading now breaks across pages.
    seed = {
        "meeting": {"title": "T", "date": "2025-01-01"},
        "sections": [{"heading": "word " * 1500}],
    }
    check(as_text(seed))
