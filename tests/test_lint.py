"""Lint: each rule finds its defect at the right line and column, stays quiet on good text, and
--fix repairs only the safe defects while keeping comments, order and quoting."""

from __future__ import annotations

import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.errors import ValidationError
from briefgen.lint import fix_file, fix_text, lint_file, lint_text, safe_fix
from briefgen.lint.source import LineIndex, collect_text_values
from briefgen.schema import meeting_schema
from tests.conftest import INPUTS, REPO

FIXTURE = REPO / "tests" / "fixtures" / "press-release-defects.yaml"

# Each defect the issue names, as (code, the text around it, the part lint must point at).
# Positions are found by searching the fixture's raw text, independently of lint's own mapping.
DEFECTS = [
    ("mojibake", '"Željko KomÅ¡ić"', "Å¡"),
    ("mojibake", "Željko KomÅ¡ić, on", "Å¡"),
    ("spelling", "met wiht", "wiht"),
    ("article", "In a important", "a"),
    ("missing-space", "region.As", "."),
    ("missing-space", "integration,discussions", ","),
    ("proper-noun-case", "Bosnia and herzegovina Leadership", "herzegovina"),
    ("lowercase-start", "- joint Military Exercises", "joint"),
    ("heading-case", "[Initiative, description]", "description"),
    ("heading-case", "- action Steps", "action"),
    ("lowercase-start", "the meeting between NATO", "the"),
]

# Everything lint reports for the fixture: (line, column, code). Reviewed by eye.
EXPECTED = [
    (15, 22, "mojibake"),
    (22, 6, "article"),
    (22, 84, "spelling"),
    (23, 68, "mojibake"),
    (25, 65, "missing-space"),
    (26, 67, "missing-space"),
    (27, 57, "missing-space"),
    (65, 55, "heading-case"),  # 'strengthened' in Title Case headings
    (74, 25, "missing-space"),
    (75, 18, "missing-space"),
    (75, 63, "missing-space"),
    (78, 29, "heading-case"),  # 'description'
    (80, 38, "lowercase-start"),  # a 'collaborative …' cell among capitalised ones
    (83, 84, "proper-noun-case"),
    (87, 17, "missing-space"),
    (91, 11, "heading-case"),  # 'action Steps'
    (96, 64, "heading-case"),  # 'regional'
    (96, 111, "proper-noun-case"),
    (103, 9, "lowercase-start"),  # '- joint Military Exercises'
    (110, 64, "missing-space"),
    (114, 7, "lowercase-start"),  # 'the meeting …'
    (118, 62, "missing-space"),
]


def position_of(text: str, context: str, part: str) -> tuple[int, int]:
    assert text.count(context) == 1, f"{context!r} must occur once in the fixture"
    offset = text.index(context) + context.index(part)
    return LineIndex(text).position(offset)


@pytest.fixture(scope="module")
def fixture_warnings() -> list[tuple[int, int, str]]:
    return [(w.location.line, w.location.column, w.code) for w in lint_file(FIXTURE)]


@pytest.mark.parametrize(("code", "context", "part"), DEFECTS, ids=[d[1] for d in DEFECTS])
def test_each_named_defect_is_found_at_its_line_and_column(
    fixture_warnings: list[tuple[int, int, str]], code: str, context: str, part: str
) -> None:
    line, column = position_of(FIXTURE.read_text(encoding="utf-8"), context, part)
    assert (line, column, code) in fixture_warnings


def test_fixture_findings_are_exactly_the_reviewed_list(
    fixture_warnings: list[tuple[int, int, str]],
) -> None:
    assert fixture_warnings == EXPECTED


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_every_example_input_is_clean(path: Path) -> None:
    assert [w.format() for w in lint_file(path)] == []


def test_warning_line_format() -> None:
    warning = next(w for w in lint_file(FIXTURE) if w.code == "spelling")
    assert warning.format() == (
        f"{FIXTURE}:22:84: warning[spelling]: unknown word 'wiht' "
        "(did you mean 'with'? if it is right, add it to .briefgen-words)"
    )


# --- Mapping positions inside every kind of scalar ------------------------------------------

SCALARS = """\
meeting:
  title: "Quoted \\u00e9 and \\"escapes\\" then wiht"
  date: 2024-01-01
  time: 'It''s a
    plain
    time wiht'
purpose: >-
  Folded text
  over lines wiht.
summary: |
  Literal line one
    indented line wiht
key_points:
  - A plain
    many lines wiht
"""


def test_columns_point_into_every_scalar_style() -> None:
    found = [
        (w.location.line, w.location.column)
        for w in lint_text(SCALARS, "m.yaml")
        if w.code == "spelling"
    ]
    lines = SCALARS.splitlines()
    expected = [(n, line.index("wiht") + 1) for n, line in enumerate(lines, 1) if "wiht" in line]
    assert found == expected


def test_every_literal_character_maps_to_itself() -> None:
    for path in [*INPUTS, FIXTURE]:
        text = path.read_text(encoding="utf-8")
        for value in collect_text_values(text, meeting_schema()):
            for char, offset, exact in zip(value.text, value.offsets, value.exact, strict=False):
                assert not exact or text[offset] == char, (path.name, value.path)
            assert list(value.offsets) == sorted(value.offsets)


# --- Rules, case by case --------------------------------------------------------------------


def summary_file(text: str) -> str:
    body = "\n".join("  " + line for line in text.splitlines())
    return f"meeting:\n  title: Probe\n  date: 2025-01-15\nsummary: |-\n{body}\n"


def codes(text: str, words: tuple[str, ...] = ()) -> list[str]:
    return [w.code for w in lint_text(summary_file(text), "probe.yaml", words)]


@pytest.mark.parametrize(
    "text",
    [
        "Growth was 3.5 per cent, up from 2.1.",
        "We meet at 10:30 CET and leave at 11:45.",
        "Allies, e.g. the U.S. and Canada, i.e. two, agreed.",
        "See https://www.example.org/Report.Final and https://x.org/a,b for more.",
        "Write to jane.doe@example.org today.",
        "Wait... then go. It costs approx. three euros.",
        "The file report.pdf and Node.js are attached.",
        "We met on 5 Jan. the next day.",
        "An hour, a university, an MP, a one-off, a European and an honest answer.",
        "He had had enough, and that that was all.",
    ],
)
def test_good_text_is_not_flagged(text: str) -> None:
    assert codes(text) == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The region.As always.", "missing-space"),
        ("Integration,discussions followed.", "missing-space"),
        ("Really?Yes.", "missing-space"),
        ("It was the the end.", "doubled-word"),
        ("Two  spaces.", "whitespace"),
        ("A space , before.", "whitespace"),
        ("A trailing space. ", "whitespace"),
        ("An university.", "article"),
        ("It was a important day.", "article"),
        ("It ended. the next day began.", "lowercase-start"),
        ("We met wiht them.", "spelling"),
        ("The rÃ©sumÃ© is ready.", "mojibake"),
    ],
)
def test_each_rule_flags_its_case(text: str, code: str) -> None:
    assert codes(text) == [code]


def test_british_spellings_are_words_and_mixing_is_flagged() -> None:
    assert codes("The defence programme was organised and anonymised.") == []
    assert codes("The defence of the centre, and the defense of the realm.") == ["mixed-spelling"]
    warning = next(w for w in lint_text(summary_file("Defence, defence and defense."), "p.yaml"))
    assert warning.suggestion == "'defence'"


def test_allow_list_comes_from_names_and_word_lists(write_yaml: Callable[..., Path]) -> None:
    text = "The frobnicator from Vrbnik met us."
    assert codes(text) == ["spelling"]
    assert codes(text, ("frobnicator",)) == []
    path = write_yaml(summary_file(text))
    (path.parent / ".briefgen-words").write_text("# our words\nfrobnicator\n", encoding="utf-8")
    assert lint_file(path) == []


def test_proper_nouns_come_from_the_file() -> None:
    text = summary_file("Talks with bosnia and herzegovina went well.") + (
        "participants:\n  - name: Jens Stoltenberg\n    organisation: Bosnia and Herzegovina\n"
    )
    assert [w.code for w in lint_text(text, "p.yaml")] == ["proper-noun-case"]


def test_heading_case_follows_the_majority() -> None:
    sections = "sections:\n" + "".join(
        f"  - heading: {h}\n    body: Text.\n"
        for h in ["Focus areas", "Future steps for defence", "Closing Remarks"]
    )
    text = "meeting:\n  title: Probe\n  date: 2025-01-15\n" + sections
    [warning] = lint_text(text, "p.yaml")
    assert (warning.code, warning.suggestion) == ("heading-case", "'remarks'")


def test_invalid_meeting_is_an_error_not_a_lint_result() -> None:
    with pytest.raises(ValidationError):
        lint_text("meeting:\n  title: x\n", "p.yaml")


# --- --fix ----------------------------------------------------------------------------------


def test_fix_repairs_safe_defects_and_keeps_everything_else(tmp_path: Path) -> None:
    path = tmp_path / FIXTURE.name
    original = FIXTURE.read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    path.chmod(0o640)
    assert fix_file(path) == 11
    fixed = path.read_text(encoding="utf-8")
    assert "KomÅ¡ić" not in fixed and fixed.count("Željko Komšić") == 2
    assert "region. As" in fixed and "integration, discussions" in fixed
    old_lines, new_lines = original.splitlines(), fixed.splitlines()
    assert len(old_lines) == len(new_lines)
    for old, new in zip(old_lines, new_lines, strict=True):
        assert old.partition("#")[2] == new.partition("#")[2]  # comments are kept
        assert old.replace(" ", "") == new.replace(" ", "") or "Å¡" in old  # only spacing changed
    remaining = {w.code for w in lint_file(path)}
    assert remaining.isdisjoint({"mojibake", "missing-space", "whitespace"})
    assert {"spelling", "article", "heading-case", "proper-noun-case"} <= remaining
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == [FIXTURE.name]  # no temp file left


def test_fix_is_idempotent() -> None:
    once = fix_text(FIXTURE.read_text(encoding="utf-8"), "f.yaml").text
    again = fix_text(once, "f.yaml")
    assert (again.text, again.fixed) == (once, 0)


def test_fix_never_breaks_the_yaml(write_yaml: Callable[..., Path]) -> None:
    # ': ' would end a plain scalar; in quotes the same fix is fine.
    path = write_yaml(summary_file("Fine.") + "purpose: Note:see below\n")
    before = path.read_text(encoding="utf-8")
    assert fix_file(path) == 0
    assert path.read_text(encoding="utf-8") == before
    assert [w.code for w in lint_file(path)] == ["missing-space"]
    quoted = write_yaml(summary_file("Fine.") + 'purpose: "Note:see below"\n')
    assert fix_file(quoted) == 1
    assert 'purpose: "Note: see below"' in quoted.read_text(encoding="utf-8")


def test_safe_fix_of_loose_text() -> None:
    assert safe_fix("KomÅ¡ić met them,then  left .") == "Komšić met them, then left."


# --- The command ------------------------------------------------------------------------------


def run_lint(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefgen.cli", "lint", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )


def test_command_exit_codes_and_streams(tmp_path: Path) -> None:
    clean = run_lint(*INPUTS)
    assert (clean.returncode, clean.stdout) == (0, "")
    dirty = run_lint(FIXTURE)
    assert dirty.returncode == 1
    assert len(dirty.stdout.splitlines()) == len(EXPECTED)
    assert all(" warning[" in line for line in dirty.stdout.splitlines())
    assert "22 warning(s), 11 fixable with --fix" in dirty.stderr
    assert run_lint().returncode == 2
    assert run_lint("--words", tmp_path / "missing.txt", FIXTURE).returncode == 2


def test_command_fix(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(summary_file("Talks ended.Then we left."), encoding="utf-8")
    result = run_lint("--fix", path)
    assert (result.returncode, result.stdout) == (0, "")
    assert "fixed 1 problem(s)" in result.stderr
    assert "ended. Then" in path.read_text(encoding="utf-8")


def test_markings_are_checked_against_the_projects_levels(tmp_path: Path) -> None:
    (tmp_path / "briefgen.yaml").write_text(
        "levels: [NATO UNCLASSIFIED, NATO RESTRICTED]\n", encoding="utf-8"
    )
    path = tmp_path / "m.yaml"
    path.write_text(
        summary_file("Fine.").replace(
            "  date: 2025-01-15\n", "  date: 2025-01-15\n  classification: NATO RESTRICTED\n"
        ),
        encoding="utf-8",
    )
    assert lint_file(path) == []
    with pytest.raises(ValidationError):
        lint_text(path.read_text(encoding="utf-8"), "m.yaml")  # without the project's levels
