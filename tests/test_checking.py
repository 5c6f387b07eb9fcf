"""`briefgen validate`'s light path checks a file exactly as a build's Project does."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.checking import check_file
from briefgen.errors import BriefgenError
from briefgen.pipeline import BuildOptions, Project

CONFIG = """\
levels: [OPEN, SECRET]
people: people/
"""
PERSON = """\
name: Agent X
bio: Works in the open.
classification: OPEN
"""
GOOD = """\
meeting:
  title: Open Day
  date: 2025-05-01
  classification: OPEN
participants:
  - {ref: agent-x, classification: OPEN}
"""
CASES = {
    "good": GOOD,
    "not-a-level": GOOD.replace("classification: OPEN\nparticipants", "classification: PUBLIC\n"
                                "participants"),
    "unknown-person": GOOD.replace("ref: agent-x", "ref: agent-z"),
    "misspelt-key": GOOD.replace("  title:", "  titel:"),
    "two-problems": GOOD.replace("2025-05-01", "2025-13-01").replace("  title:", "  titel:"),
}  # fmt: skip


def outcome(run: object) -> object:
    try:
        meeting, _ = run()  # type: ignore[operator]
    except BriefgenError as error:
        return [d.format() for d in error.diagnostics]
    return meeting


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_same_result_as_a_builds_project(tmp_path: Path, case: str) -> None:
    (tmp_path / "briefgen.yaml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "people").mkdir()
    (tmp_path / "people" / "agent-x.yaml").write_text(PERSON, encoding="utf-8")
    path = tmp_path / f"{case}.yaml"
    path.write_text(CASES[case], encoding="utf-8")

    light = outcome(lambda: check_file(path, case))
    project = Project.for_input(path, BuildOptions())
    full = outcome(lambda: project.load_meeting(path, case))
    assert light == full
    if case == "good":
        assert light.participants[0].name == "Agent X"  # type: ignore[attr-defined]
    else:
        assert isinstance(light, list) and light, light
    if case == "two-problems":
        assert len(light) == 3  # type: ignore[arg-type]  # missing title, titel, the date


def test_an_explicit_config_is_used(tmp_path: Path) -> None:
    config = tmp_path / "elsewhere.yaml"
    config.write_text("levels: [OPEN, SECRET]\n", encoding="utf-8")
    path = tmp_path / "meeting.yaml"
    path.write_text(GOOD.split("participants")[0], encoding="utf-8")
    with pytest.raises(BriefgenError, match="unknown marking 'OPEN'"):
        check_file(path, "meeting.yaml")  # default levels: PUBLIC … CONFIDENTIAL
    meeting, _ = check_file(path, "meeting.yaml", config)
    assert meeting.meeting.classification == "OPEN"
