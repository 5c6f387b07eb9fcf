"""`briefgen new`: the skeleton validates as written, is lint-clean, names the schema, and an
existing file is never overwritten."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.errors import AudienceError, BriefgenError
from briefgen.lint import lint_file
from briefgen.scaffold import create_meeting_file
from briefgen.validation import load_meeting
from tests.conftest import REPO

TODAY = dt.date(2031, 5, 6)


@pytest.mark.parametrize("audience", ["staff", "principal", "public", "archive"])
def test_skeleton_validates_and_is_lint_clean(tmp_path: Path, audience: str) -> None:
    path = tmp_path / "meeting.yaml"
    create_meeting_file(path, audience, TODAY)
    meeting, _ = load_meeting(path)
    assert meeting.meeting.date == TODAY
    assert meeting.meeting.classification == ("PUBLIC" if audience == "public" else "INTERNAL")
    assert meeting.participants and meeting.key_points and meeting.sections
    assert lint_file(path) == []


def test_skeleton_notes_what_an_audience_does_not_print(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    create_meeting_file(path, "principal", TODAY)
    text = path.read_text(encoding="utf-8")
    assert "# Not printed in the principal brief; other audiences show it.\nsummary:" in text
    assert "# Not printed in the principal brief; other audiences show it.\nsections:" in text
    assert "briefgen build -a principal" in text


def test_skeleton_names_the_shipped_schema(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "m.yaml"
    path.parent.mkdir()
    create_meeting_file(path, "staff", TODAY)
    first = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    schema = (path.parent / first.removeprefix(prefix)).resolve()
    assert schema.name == "meeting.schema.json" and schema.is_file()


def test_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("precious\n", encoding="utf-8")
    with pytest.raises(BriefgenError, match="already exists"):
        create_meeting_file(path, "staff", TODAY)
    assert path.read_text(encoding="utf-8") == "precious\n"


def test_unknown_audience_suggests_the_nearest(tmp_path: Path) -> None:
    with pytest.raises(AudienceError) as caught:
        create_meeting_file(tmp_path / "m.yaml", "principle", TODAY)
    assert "principal" in str(caught.value)
    assert not (tmp_path / "m.yaml").exists()


def run_new(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefgen.cli", "new", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )


def test_command(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    created = run_new("--audience", "public", path)
    assert (created.returncode, created.stdout) == (0, f"{path}\n")
    refused = run_new(path)
    assert refused.returncode == 1
    assert "already exists" in refused.stderr and "Traceback" not in refused.stderr
    assert run_new().returncode == 2


def test_skeleton_uses_the_projects_levels(tmp_path: Path) -> None:
    (tmp_path / "briefgen.yaml").write_text(
        "levels: [NATO UNCLASSIFIED, NATO RESTRICTED]\n", encoding="utf-8"
    )
    path = tmp_path / "m.yaml"
    create_meeting_file(path, "public", TODAY)
    assert (
        "classification: NATO UNCLASSIFIED  # default marking of every item: "
        "NATO UNCLASSIFIED, NATO RESTRICTED" in path.read_text(encoding="utf-8")
    )
    meeting, _ = load_meeting(path, levels=["NATO UNCLASSIFIED", "NATO RESTRICTED"])
    assert meeting.meeting.classification == "NATO UNCLASSIFIED"
