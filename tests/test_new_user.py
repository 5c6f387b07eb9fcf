"""What a new user trips over first: configuration errors at their line with suggestions, the
wrong kind of file, over-indented keys, and one rule for usage errors (issue 16)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.config import load_config
from briefgen.errors import EXIT_USAGE, InputError, ValidationError
from briefgen.loader import load_yaml_text
from briefgen.resources import load_theme
from tests.conftest import MINIMAL, REPO

MEETING = REPO / "inputs" / "black-sea-maritime-security-2025-03-12.yaml"
PACK = REPO / "inputs" / "packs" / "ministerial-week" / "pack.yaml"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def found(error: pytest.ExceptionInfo[Exception]) -> list[tuple[int, int, str, str]]:
    value = error.value
    assert isinstance(value, (InputError, ValidationError))
    return [
        (d.location.line or 0, d.location.column or 0, d.message, d.hint or "")
        for d in value.diagnostics
        if d.location
    ]


# --- briefgen.yaml ------------------------------------------------------------------------------


def test_config_file_problems_are_reported_at_their_lines_with_suggestions(
    tmp_path: Path,
) -> None:
    config = write(
        tmp_path / "briefgen.yaml",
        """
        levels: [OPEN, CLOSED]
        templates: [tpl/, missing/]
        people: nobody/
        audiences:
          x:
            template: staf.md.j2
          y:
            template: staff.md.j2
            theme: formall
        """,
    )
    (tmp_path / "tpl").mkdir()
    with pytest.raises(ValidationError) as error:
        load_config(config)
    assert found(error) == [
        (
            2,
            19,
            "templates[1]: folder 'missing/' not found",
            f"template folders are relative to {tmp_path.resolve()}",
        ),
        (
            3,
            9,
            "people: 'nobody/' not found",
            f"give a folder of YAML files or one file, relative to {tmp_path.resolve()}",
        ),
        (
            6,
            15,
            "unknown template 'staf.md.j2'",
            "did you mean `staff.md.j2`? templates: base.md.j2, macros.md.j2, pack-annex.md.j2, "
            "pack.md.j2, principal.md.j2, public.md.j2, staff.md.j2",
        ),
        (
            9,
            12,
            "unknown theme 'formall'",
            "did you mean `formal`? themes: default, example-logo, formal",
        ),
    ]


def test_a_template_in_a_templates_folder_or_from_the_command_line_is_found(
    tmp_path: Path,
) -> None:
    write(tmp_path / "tpl" / "mine.md.j2", "x\n")
    write(tmp_path / "extra" / "other.md.j2", "x\n")
    write(tmp_path / "extra" / "themes" / "house.yaml", "description: House.\n")
    config = write(
        tmp_path / "briefgen.yaml",
        """
        templates: [tpl/]
        audiences:
          a: {template: mine.md.j2}
          b: {template: other.md.j2, theme: house}
        """,
    )
    with pytest.raises(ValidationError):
        load_config(config)
    loaded = load_config(config, [tmp_path / "extra"])
    assert loaded.audiences["b"].theme == "house"


def test_a_misspelt_audience_key_suggests_the_right_one(tmp_path: Path) -> None:
    config = write(
        tmp_path / "briefgen.yaml",
        """
        audiences:
          x:
            template: staff.md.j2
            clearence: INTERNAL
        """,
    )
    with pytest.raises(ValidationError) as error:
        load_config(config)
    [(line, column, message, hint)] = found(error)
    assert (line, column, message) == (4, 5, "audiences.x.clearence: unknown key `clearence`")
    assert hint == (
        "did you mean `clearance`? valid keys here: clearance, description, label, "
        "pages, pdf_standard, pdfa, portion_marks, reductions, template, theme"
    )


def test_an_unknown_clearance_is_reported_at_its_own_line(tmp_path: Path) -> None:
    config = write(
        tmp_path / "briefgen.yaml",
        """
        levels: [OPEN, INNER, CLOSED]
        audiences:
          ok: {template: staff.md.j2, clearance: inner}
          bad:
            template: staff.md.j2
            clearance: INNNER
        """,
    )
    with pytest.raises(ValidationError) as error:
        load_config(config)
    assert found(error) == [
        (
            6,
            5,
            "audiences.bad.clearance: clearance 'INNNER' is not a level",
            "did you mean INNER? levels, lowest first: OPEN, INNER, CLOSED",
        )
    ]


def test_an_unknown_theme_role_points_at_its_key(tmp_path: Path) -> None:
    write(
        tmp_path / "themes" / "mine.yaml",
        """
        description: Mine.
        roles:
          body: {size: 11}
          headng-1: {size: 12}
        """,
    )
    with pytest.raises(ValidationError) as error:
        load_theme("mine", [tmp_path])
    [(line, column, message, hint)] = found(error)
    assert (line, column, message) == (4, 3, "roles.headng-1: unknown role 'headng-1'")
    assert hint.startswith("did you mean `heading-1`? roles: title, subtitle,")


# --- the wrong kind of file ---------------------------------------------------------------------


def test_a_meeting_given_to_pack_and_a_pack_given_to_build_say_so(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["pack", str(MEETING), "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{MEETING}:4:1: error: this is a meeting file (it has `meeting:`), not a pack file"
    )
    assert f"hint: build it with `briefgen build {MEETING}`" in result.output
    assert "unknown key" not in result.output
    result = runner.invoke(main, ["build", str(PACK), "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{PACK}:6:1: error: this is a pack file (it has `pack:`), not a meeting file"
    )
    assert f"hint: build it with `briefgen pack {PACK}`" in result.output
    assert not any(tmp_path.iterdir())


# --- over-indented keys ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "column", "key", "above", "above_line"),
    [
        ("meeting:\n  title: T\n    date: 2025-01-01\n", 3, 5, "date", "title", 2),
        (
            "meeting:\n  title: T\n  date: 2025-01-01\n\n    location: X\n",
            5,
            5,
            "location",
            "date",
            3,
        ),
        (
            "key_points:\n  - text: a\n     classification: PUBLIC\n",
            3,
            6,
            "classification",
            "text",
            2,
        ),
    ],
)
def test_an_over_indented_key_is_named_at_its_line(
    text: str, line: int, column: int, key: str, above: str, above_line: int
) -> None:
    with pytest.raises(InputError) as error:
        load_yaml_text(text, "m.yaml")
    [(at_line, at_column, message, hint)] = found(error)
    assert (at_line, at_column) == (line, column)
    assert message == (
        f"`{key}:` is indented more than `{above}:` on line {above_line}, so YAML "
        "reads it as part of that value"
    )
    assert hint.startswith(f"line `{key}:` up with `{above}:`")


def test_a_colon_in_a_value_still_gets_the_quoting_hint() -> None:
    with pytest.raises(InputError) as error:
        load_yaml_text("meeting:\n  title: Talks: day one\n", "m.yaml")
    [(line, column, _message, hint)] = found(error)
    assert (line, column) == (2, 15)
    assert hint == "a value containing ': ' must be quoted, e.g. title: \"Talks: day one\""


# --- the command line -------------------------------------------------------------------------


def test_format_names_are_case_insensitive(tmp_path: Path) -> None:
    path = write(tmp_path / "m.yaml", MINIMAL)
    result = CliRunner().invoke(
        main, ["build", str(path), "-f", "PDF", "-f", "Docx", "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.suffix for p in (tmp_path / "out").iterdir()) == [".docx", ".pdf"]


@pytest.mark.parametrize(
    "args",
    [
        ["build", "{m}", "-a", "principle"],
        ["build", "{m}", "-f", "odt"],
        ["dump", "{m}", "-a", "principle"],
        ["new", "{new}", "-a", "principle"],
        ["pack", "{pack}", "-a", "principle"],
    ],
)
def test_every_usage_error_exits_2(tmp_path: Path, args: list[str]) -> None:
    path = write(tmp_path / "m.yaml", MINIMAL)
    filled = [a.format(m=path, new=tmp_path / "new.yaml", pack=PACK) for a in args]
    result = CliRunner().invoke(
        main, [*filled, "-o", str(tmp_path / "out")] if args[0] in ("build", "pack") else filled
    )
    assert result.exit_code == EXIT_USAGE, result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_an_unknown_audience_in_a_pack_file_is_invalid_input_at_its_line(tmp_path: Path) -> None:
    write(tmp_path / "m.yaml", MINIMAL)
    pack = write(
        tmp_path / "pack.yaml",
        """
        pack: {title: P}
        audience: [staff, principle]
        meetings: [m.yaml]
        """,
    )
    result = CliRunner().invoke(main, ["pack", str(pack), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"{pack}:2:19: error: unknown audience 'principle'" in result.output


def test_python_dash_m_briefgen_runs_the_command_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "briefgen", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("briefgen, version ")
