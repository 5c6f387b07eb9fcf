"""Import: the press release becomes a valid meeting file, field by field, with what a person
must check marked in comments and lint's safe fixes already applied."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from briefgen.errors import BriefgenError
from briefgen.importer import import_release
from briefgen.lint import lint_text
from briefgen.loader import load_yaml_text
from briefgen.model import Meeting
from briefgen.validation import validate
from tests.conftest import REPO

RELEASE = REPO / "tests" / "fixtures" / "press-release.txt"
TODAY = dt.date(2030, 1, 2)


@pytest.fixture(scope="module")
def imported() -> str:
    return import_release(RELEASE.read_text(encoding="utf-8"), "press-release.txt", TODAY)


@pytest.fixture(scope="module")
def meeting(imported: str) -> Meeting:
    return validate(Meeting, load_yaml_text(imported, "imported.yaml"))


def test_meeting_info(meeting: Meeting) -> None:
    assert meeting.meeting.title == (
        "NATO Secretary General Meets Chair of the Presidency of Bosnia and Herzegovina"
    )
    assert meeting.meeting.date == dt.date(2024, 12, 18)


def test_participants(meeting: Meeting) -> None:
    found = [(p.name, p.role, p.organisation) for p in meeting.participants]
    assert found == [
        ("Jens Stoltenberg", "Secretary General", "NATO"),
        ("Željko Komšić", "Chair of the Presidency", "Bosnia and Herzegovina"),
    ]


def test_summary_is_the_text_before_the_first_heading_with_safe_fixes(meeting: Meeting) -> None:
    summary = meeting.summary or ""
    assert summary.startswith("In a important diplomatic encounter")  # not a safe fix: kept
    assert "Željko Komšić" in summary and "Å¡" not in summary  # mojibake repaired
    assert "region. As" in summary and "integration, discussions" in summary  # spacing fixed
    assert summary.endswith("bilateral relationship with Bosnia and Herzegovina.")


def test_key_points_and_outcomes_by_their_heading(meeting: Meeting) -> None:
    assert [(k.title, k.text[:30]) for k in meeting.key_points] == [
        ("Enhanced Security Cooperation", "Emphasizing the importance of "),
        ("Political Dialog", "Strengthening diplomatic effor"),
        ("Countering Disinformation", "Joint strategies to combat mis"),
    ]
    assert [o.title for o in meeting.outcomes] == [
        "Increased Military Cooperation",
        "Support for Reforms",
        "Political Stability",
        "Countering Security Threats",
    ]


def test_initiative_tables_are_merged_by_name(meeting: Meeting) -> None:
    found = [(i.name, i.description, i.objective, i.timeline) for i in meeting.initiatives]
    assert found == [
        (
            "Joint Military Exercises",
            "collaborative training sessions aimed at improving interoperability.",
            "Enhance readiness and interoperability",
            "Annual",
        ),
        (
            "Regional Political Dialogues",
            "Regular meetings to enhance mutual understanding and regional cooperation.",
            None,
            None,
        ),
        (
            "Resilience Building Programs",
            "Initiatives aimed at strengthening resistance to external threats.",
            None,
            None,
        ),
        ("Training Programs", None, "Develop modern defense capabilities", "Ongoing"),
        ("Intelligence Sharing", None, "Improve threat response", "Promptly"),
    ]


def test_sections_keep_headings_bodies_and_other_tables(meeting: Meeting) -> None:
    assert [s.heading for s in meeting.sections] == [
        "NATO\u2019s Commitment to the Western Balkans strengthened by High-Level Diplomatic "
        "Engagement",
        "Key Outcomes of the NATO Secretary General\u2019s Meeting with Bosnia and herzegovina "
        "Leadership",
        "Future Steps for Enhanced Defense Cooperation and regional Stability between NATO and "
        "Bosnia and herzegovina",
        "Closing Remarks",
    ]
    focus = meeting.sections[1].table
    assert focus is not None
    assert focus.columns == ["Focus Area", "action Steps"]
    assert focus.rows[0] == [
        "Military Capacity Building",
        "Implement joint exercises and share best practices.",
    ]
    future = meeting.sections[2].body or ""
    assert "- **joint Military Exercises:** Increasing the frequency" in future
    assert (meeting.sections[3].body or "").startswith("the meeting between NATO")


def test_guesses_are_marked_for_a_person(imported: str) -> None:
    checks = [line.strip() for line in imported.splitlines() if "# check:" in line]
    assert "# check: the first line of the release" in checks
    assert '# check: the first date in the text, "December 18, 2024"' in checks
    assert '# check: read from "NATO Secretary General Jens Stoltenberg"' in checks
    assert "# check: rows of 2 tables, merged by initiative name" in checks
    assert any(c.startswith("# check: lint found") for c in checks)


def test_output_has_nothing_left_for_the_safe_fixes(imported: str) -> None:
    warnings = lint_text(imported, "imported.yaml")
    assert warnings and not any(w.fixable for w in warnings)


def test_import_is_deterministic(imported: str) -> None:
    again = import_release(RELEASE.read_text(encoding="utf-8"), "press-release.txt", TODAY)
    assert again == imported


def load(text: str) -> dict[str, Any]:
    data: dict[str, Any] = load_yaml_text(import_release(text, "note.txt", TODAY), "n").data
    return data


def test_other_date_forms_and_a_missing_date() -> None:
    assert load("Talks\nThey met on 3 March 2025 in Oslo.\n")["meeting"]["date"] == "2025-03-03"
    assert load("Talks\nThey met on 2025-03-04.\n")["meeting"]["date"] == "2025-03-04"
    text = import_release("Talks\nThey met.\n", "note.txt", TODAY)
    assert "date: 2030-01-02" in text and "no date found" in text


def test_tables_that_are_not_initiatives_and_plain_lists_stay_in_sections() -> None:
    data = load(
        "Talks\nIntro.\nBackground\nWe discussed:\n- Ports: open\n- Roads\n"
        "| Issue | Response |\n|---|---|\n| Funding | Later |\n| Press, lines | None |\n"
    )
    [section] = data["sections"]
    assert section["heading"] == "Background"
    assert section["body"] == "We discussed:\n\n- **Ports:** open\n- Roads"
    assert section["table"] == {
        "columns": ["Issue", "Response"],
        "rows": [["Funding", "Later"], ["Press, lines", "None"]],
    }
    assert "key_points" not in data and "initiatives" not in data


def test_empty_release_is_an_error() -> None:
    with pytest.raises(BriefgenError, match="no text"):
        import_release("\n  \n", "empty.txt", TODAY)


def test_command_writes_the_meeting_to_stdout(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "briefgen.cli", "import", str(RELEASE)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("# Imported by `briefgen import` from press-release.txt.")
    out = tmp_path / "meeting.yaml"
    out.write_text(result.stdout, encoding="utf-8")
    validate(Meeting, load_yaml_text(out.read_text(encoding="utf-8"), str(out)))
    missing = subprocess.run(
        [sys.executable, "-m", "briefgen.cli", "import", "nope.txt"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert missing.returncode == 1 and "not found" in missing.stderr
