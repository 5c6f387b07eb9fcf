"""Every field a meeting file accepts is printed in the audiences where it belongs."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from briefgen.pipeline import dump

MEETING = textwrap.dedent("""\
    meeting: {title: Fields, date: 2025-01-15}
    participants:
      - {name: Ana Diaz, role: Director, organisation: Ministry, bio: Twenty years at sea.}
      - {name: Bo Lund, role: Note-taker}
    initiatives:
      - name: Harbour survey
        objective: Chart the harbour
        description: A survey of every berth.
        status: On track
      - name: Training
        description: Courses for pilots.
""")


@pytest.fixture
def meeting(tmp_path: Path) -> Path:
    path = tmp_path / "m.yaml"
    path.write_text(MEETING, encoding="utf-8")
    return path


def test_the_staff_brief_prints_status_descriptions_and_biographies(meeting: Path) -> None:
    markup = dump(meeting, "markup", "staff")
    assert (
        "| Initiative | Objective | Timeline |\n|---|---|---|\n"
        "| Harbour survey | Chart the harbour |  |\n"
        "| Training | Courses for pilots\\. |  |\n"
    ) in markup
    assert (
        "## Details\n\n- **Harbour survey** (Status: On track): A survey of every berth\\.\n"
    ) in markup
    assert (
        "# Annex: Biographies\n\n## Ana Diaz\n*Director\\, Ministry*\n\nTwenty years at sea\\.\n"
    ) in markup
    assert "## Bo Lund" not in markup  # no biography, no entry


def test_the_principals_brief_leaves_biographies_to_the_staff_brief(meeting: Path) -> None:
    markup = dump(meeting, "markup", "principal")
    assert "Biographies" not in markup and "Twenty years at sea" not in markup
    assert "On track" not in markup  # the principal's brief stays short


def test_details_without_a_status(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(MEETING.replace("    status: On track\n", ""), encoding="utf-8")
    markup = dump(path, "markup", "staff")
    assert "## Details\n\n- **Harbour survey**: A survey of every berth\\.\n" in markup
    assert "Training**" not in markup  # its description is already in the table
