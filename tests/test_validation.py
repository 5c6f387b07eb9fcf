"""Schema validation: every kind of mistake is reported at its YAML line and column, all at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.errors import Diagnostic, ValidationError
from briefgen.model import Meeting
from briefgen.validation import load_meeting
from tests.conftest import INPUTS, MINIMAL

WriteYaml = Callable[..., Path]


def diagnostics_of(path: Path) -> list[Diagnostic]:
    with pytest.raises(ValidationError) as error:
        load_meeting(path)
    return error.value.diagnostics


def where(diagnostic: Diagnostic) -> tuple[int | None, int | None]:
    assert diagnostic.location is not None
    return diagnostic.location.line, diagnostic.location.column


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_every_example_input_is_valid(path: Path) -> None:
    meeting, _ = load_meeting(path)
    assert meeting.meeting.title


def test_minimal_meeting(write_yaml: WriteYaml) -> None:
    meeting, _ = load_meeting(write_yaml(MINIMAL))
    assert meeting.key_points == [] and meeting.slug == "minimal-meeting"
    assert meeting.file_stem == "2025-01-15_minimal-meeting"


def test_unknown_key_suggests_the_nearest(write_yaml: WriteYaml) -> None:
    [d] = diagnostics_of(write_yaml(MINIMAL + "outcome:\n  - Agreed\n"))
    assert where(d) == (4, 1)
    assert "unknown key `outcome`" in d.message
    assert d.hint and "did you mean `outcomes`?" in d.hint


def test_unknown_nested_key(write_yaml: WriteYaml) -> None:
    [d] = diagnostics_of(write_yaml(MINIMAL + "participants:\n  - name: A\n    rol: Chair\n"))
    assert where(d) == (6, 5)
    assert "participants[0].rol" in d.message
    assert d.hint and "`role`" in d.hint


def test_missing_required_field_points_at_its_parent(write_yaml: WriteYaml) -> None:
    [d] = diagnostics_of(write_yaml("meeting:\n  date: 2025-01-15\n"))
    assert where(d) == (1, 1)
    assert "required field `title` is missing" in d.message


def test_wrong_type(write_yaml: WriteYaml) -> None:
    [d] = diagnostics_of(write_yaml(MINIMAL + "key_points: just one\n"))
    assert where(d) == (4, 13)
    assert "expected a list" in d.message


def test_text_expected_but_list_given(write_yaml: WriteYaml) -> None:
    [d] = diagnostics_of(write_yaml(MINIMAL + "purpose:\n  - a\n"))
    assert where(d) == (5, 3)
    assert "expected text" in d.message


def test_bad_date(write_yaml: WriteYaml) -> None:
    [d] = diagnostics_of(write_yaml("meeting:\n  title: X\n  date: 18/12/2024\n"))
    assert where(d) == (3, 9)
    assert "not a valid date" in d.message and d.hint and "YYYY-MM-DD" in d.hint


def test_impossible_date(write_yaml: WriteYaml) -> None:
    [d] = diagnostics_of(write_yaml("meeting:\n  title: X\n  date: 2025-02-30\n"))
    assert where(d) == (3, 9)


def test_reversed_initiative_range(write_yaml: WriteYaml) -> None:
    text = MINIMAL + "initiatives:\n  - name: X\n    start: 2025-05-01\n    end: 2025-01-01\n"
    [d] = diagnostics_of(write_yaml(text))
    assert where(d) == (7, 10)  # at the `end` value
    assert "before start" in d.message


def test_table_rows_must_match_columns(write_yaml: WriteYaml) -> None:
    text = (
        MINIMAL
        + "sections:\n  - heading: H\n    table:\n"
        + "      columns: [a, b]\n      rows: [[1, 2], [3]]\n"
    )
    [d] = diagnostics_of(write_yaml(text))
    assert "row 2 has 1 cell(s)" in d.message


def test_empty_text_is_an_error(write_yaml: WriteYaml) -> None:
    [d] = diagnostics_of(write_yaml(MINIMAL + "purpose: ''\n"))
    assert "empty" in d.message


def test_bad_id(write_yaml: WriteYaml) -> None:
    [d] = diagnostics_of(write_yaml(MINIMAL + "  id: Not A Slug\n"))
    assert "not a valid id" in d.message


def test_all_errors_of_a_file_at_once_in_line_order(write_yaml: WriteYaml) -> None:
    text = """\
    meeting:
      title: X
      date: tomorrow
    key_point: []
    participants:
      - role: Chair
    """
    found = diagnostics_of(write_yaml(text))
    assert [where(d)[0] for d in found] == [3, 4, 6]


def test_file_that_is_not_a_mapping(write_yaml: WriteYaml) -> None:
    [d] = diagnostics_of(write_yaml("- just\n- a list\n"))
    assert "mapping of keys" in d.message


def test_json_schema_marks_rich_text() -> None:
    schema = Meeting.model_json_schema()
    assert schema["additionalProperties"] is False
    assert "meeting" in schema["required"]
    assert "markdown" in str(schema["properties"]["purpose"])
