"""One policy per class of hostile input, applied in one place: characters no brief can carry,
the date grammar and its range, and languages (issue 16, items 8, 12, 13)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.characters import describe
from briefgen.cli import main
from briefgen.dates import parse_day
from briefgen.errors import InputError, ValidationError
from briefgen.loader import load_yaml_text
from briefgen.pipeline import BuildOptions, build
from briefgen.validation import load_meeting

HEADER = "meeting:\n  title: T\n  date: 2025-01-01\n"


def diagnostics(error: pytest.ExceptionInfo[Exception]) -> list[tuple[int, int, str, str]]:
    value = error.value
    assert isinstance(value, (InputError, ValidationError))
    return [
        (d.location.line or 0, d.location.column or 0, d.message, d.hint or "")
        for d in value.diagnostics
        if d.location
    ]


# --- characters (item 8) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("escape", "named"),
    [
        ("\\v", "U+000B (vertical tab)"),
        ("\\x1f", "U+001F (a control character)"),
        ("\\x0c", "U+000C (form feed)"),
        ("\\e", "U+001B (escape)"),
        ("\\x7f", "U+007F (delete)"),
        ("\\u0085", "U+0085 (next line)"),
        ("\\uFFFE", "U+FFFE (a noncharacter)"),
        ("\\uffff", "U+FFFF (a noncharacter)"),
        ("\\0", "U+0000 (NUL)"),
    ],
)
def test_an_escaped_character_no_brief_can_carry_is_refused_at_its_escape(
    escape: str, named: str
) -> None:
    text = HEADER + f'  organiser: "Ops{escape}Desk"\n'
    with pytest.raises(InputError) as error:
        load_yaml_text(text, "m.yaml")
    [(line, column, message, hint)] = diagnostics(error)
    assert (line, column) == (4, 18)  # the backslash of the escape
    assert message == f"text contains {named}, which DOCX and PDF cannot carry"
    assert "delete it" in hint


@pytest.mark.parametrize("char", ["\x0b", "\x1f", "\x01", "\ufffe", "\x9f"])
def test_a_raw_character_no_brief_can_carry_is_refused_where_it_is(char: str) -> None:
    text = HEADER + f"participants:\n  - name: Jo{char}e\n  - name: X{char}\n"
    with pytest.raises(InputError) as error:
        load_yaml_text(text, "m.yaml")
    assert [(d[0], d[1]) for d in diagnostics(error)] == [(5, 13), (6, 12)]
    assert describe(char) in diagnostics(error)[0][2]


def test_in_a_key_too() -> None:
    with pytest.raises(InputError) as error:
        load_yaml_text(HEADER + '"ti\\x01tle": x\n', "m.yaml")
    assert diagnostics(error)[0][:2] == (4, 4)


def test_tabs_and_line_breaks_in_block_scalars_stay_fine() -> None:
    text = HEADER + 'purpose: |\n  one\ttab\n  two\r\n\nsummary: "a\\tb\\nc"\n'
    data = load_yaml_text(text, "m.yaml").data
    assert data["purpose"] == "one\ttab\ntwo\n"
    assert data["summary"] == "a\tb\nc"


def test_a_lone_surrogate_escape_is_refused_with_a_position() -> None:
    with pytest.raises(InputError) as error:
        load_yaml_text(HEADER + 'organiser: "\\ud800"\n', "m.yaml")
    assert diagnostics(error)[0][0] == 4


def test_build_and_archive_report_the_line_not_a_writer_or_font_error(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text('meeting:\n  title: "A\\vB"\n  date: 2025-01-01\n', encoding="utf-8")
    runner = CliRunner()
    for args in (
        ["build", str(path), "-o", str(tmp_path / "out")],
        ["archive", str(path), "--to", str(tmp_path / "archive")],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 1, result.output
        assert f"{path}:2:12: error: text contains U+000B (vertical tab)" in result.output
        assert "font" not in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert not list((tmp_path / "archive").glob("*.pdf"))


# --- dates (item 12) ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("where", "value", "message", "hint"),
    [
        (
            "date",
            "2027-1-19",
            "'2027-1-19' is not a valid date: month and day take two digits",
            "write 2027-01-19",
        ),
        (
            "date",
            "0001-01-01",
            "'0001-01-01' is outside the supported years",
            "briefgen handles dates from 1900 to 2999",
        ),
        (
            "date",
            "3000-01-01",
            "'3000-01-01' is outside the supported years",
            "briefgen handles dates from 1900 to 2999",
        ),
        (
            "date",
            "2025-02-30",
            "'2025-02-30' is not a day of the calendar",
            "months run from 01 to 12, and the day must exist in that month",
        ),
        (
            "date",
            "18.12.2024",
            "'18.12.2024' is not a valid date",
            "write a date as YYYY-MM-DD, e.g. 2024-12-18",
        ),
        (
            "start",
            "2027-3-1",
            "'2027-3-1' is not a valid date: month and day take two digits",
            "write 2027-03-01",
        ),
        (
            "start",
            "9999-12",
            "'9999-12' is outside the supported years",
            "briefgen handles dates from 1900 to 2999",
        ),
    ],
)
def test_one_date_grammar_and_range_at_the_line(
    write_yaml: object, where: str, value: str, message: str, hint: str
) -> None:
    if where == "date":
        text = f"meeting:\n  title: T\n  date: {value}\n"
        line, column, field = 3, 9, "meeting.date"
    else:
        text = HEADER + f"initiatives:\n  - name: N\n    start: {value}\n"
        line, column, field = 6, 12, "initiatives[0].start"
    path = write_yaml(text)  # type: ignore[operator]
    with pytest.raises(ValidationError) as error:
        load_meeting(path)
    assert diagnostics(error) == [(line, column, f"{field}: {message}", hint)]


def test_the_ends_of_the_supported_range_build(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(
        "meeting:\n  title: T\n  date: 1900-01-01\ninitiatives:\n  - name: N\n"
        "    start: 2998-Q3\n    end: 2999-12\n    milestones:\n"
        "      - {date: 2999-12-31, label: Last}\n",
        encoding="utf-8",
    )
    written = build(path, BuildOptions(out_dir=tmp_path / "out"))
    assert [p.suffix for p in written] == [".pdf", ".docx"]
    from pypdf import PdfReader

    reader = PdfReader(written[0])
    assert reader.metadata is not None
    assert reader.metadata["/CreationDate"].startswith("D:19000101")


def test_parse_day_accepts_dates_in_range_only() -> None:
    import datetime as dt

    assert parse_day("2024-12-18") == dt.date(2024, 12, 18)
    assert parse_day(dt.date(2024, 12, 18)) == dt.date(2024, 12, 18)
    with pytest.raises(ValueError, match="time of day"):
        parse_day(dt.datetime(2024, 12, 18, 10))
    with pytest.raises(ValueError, match="outside the supported years"):
        parse_day(dt.date(1, 1, 1))


# --- languages (item 13) -----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zz", "english", "en_ZZZZ", "ën", "e1"])
def test_an_unknown_language_is_a_validation_error_with_the_supported_ones(
    write_yaml: object, language: str
) -> None:
    path = write_yaml(HEADER + f"  language: {language}\n")  # type: ignore[operator]
    with pytest.raises(ValidationError) as error:
        load_meeting(path)
    [(line, column, message, hint)] = diagnostics(error)
    assert (line, column) == (4, 13)
    assert message == f"meeting.language: unknown language {language!r}"
    assert hint == (
        "write a locale code; with labels: bs, en (others get English labels), e.g. en, bs, en_GB"
    )


@pytest.mark.parametrize("language", ["en", "bs", "en_GB", "en-GB", "de", "sr_Latn_BA"])
def test_known_locales_are_accepted(write_yaml: object, language: str) -> None:
    path = write_yaml(HEADER + f"  language: {language}\n")  # type: ignore[operator]
    meeting, _ = load_meeting(path)
    assert meeting.meeting.language == language


def test_validate_then_build_of_an_unknown_language_fails_at_validate(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(HEADER + "  language: zz\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:4:13: error: meeting.language: unknown language 'zz'" in result.output
