"""Customising starts from a built-in: `briefgen templates`, `templates copy`, `--theme`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.pipeline import BuildOptions, build
from briefgen.resources import builtin_templates_dir
from tests.conftest import MINIMAL


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_templates_lists_builtins(here: Path) -> None:
    result = CliRunner().invoke(main, ["templates"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "templates:"
    assert "  staff.md.j2              built-in" in lines
    assert "themes:" in lines
    assert "  formal                   built-in" in lines


def test_templates_marks_the_users_overrides(here: Path) -> None:
    (here / "tpl" / "themes").mkdir(parents=True)
    (here / "tpl" / "staff.md.j2").write_text("x", encoding="utf-8")
    (here / "tpl" / "mine.md.j2").write_text("x", encoding="utf-8")
    (here / "tpl" / "themes" / "house.yaml").write_text("description: x\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["templates", "--templates", "tpl"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "  staff.md.j2              tpl (overrides the built-in)" in lines
    assert "  mine.md.j2               tpl" in lines
    assert "  house                    tpl" in lines
    assert "  public.md.j2             built-in" in lines


def test_copy_brings_what_a_template_extends_and_imports(here: Path) -> None:
    result = CliRunner().invoke(main, ["templates", "copy", "staff.md.j2", "tpl"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["tpl/staff.md.j2", "tpl/base.md.j2", "tpl/macros.md.j2"]
    builtin = builtin_templates_dir()
    assert (here / "tpl" / "staff.md.j2").read_bytes() == (builtin / "staff.md.j2").read_bytes()


def test_copy_never_overwrites(here: Path) -> None:
    (here / "tpl").mkdir()
    (here / "tpl" / "base.md.j2").write_text("my own base", encoding="utf-8")
    result = CliRunner().invoke(main, ["templates", "copy", "staff", "tpl"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["tpl/staff.md.j2", "tpl/macros.md.j2"]
    assert "tpl/base.md.j2: exists, kept as it is" in result.stderr
    assert (here / "tpl" / "base.md.j2").read_text(encoding="utf-8") == "my own base"


def test_copy_a_theme_with_its_files(here: Path) -> None:
    result = CliRunner().invoke(main, ["templates", "copy", "example-logo", "tpl"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "tpl/themes/example-logo.yaml",
        "tpl/themes/formal-logo.png",
    ]


def test_copy_an_unknown_name_suggests_one(here: Path) -> None:
    result = CliRunner().invoke(main, ["templates", "copy", "staf"])
    assert result.exit_code == 2
    assert "error: no built-in template or theme 'staf'" in result.stderr
    assert "did you mean `staff`?" in result.stderr
    assert not (here / "templates").exists()


def test_theme_option_picks_a_theme_without_a_config(here: Path) -> None:
    meeting = here / "m.yaml"
    meeting.write_text(MINIMAL, encoding="utf-8")
    options = BuildOptions(out_dir=here / "out", formats=("docx",), theme="formal")
    written = build(meeting, options)
    default = build(meeting, BuildOptions(out_dir=here / "plain", formats=("docx",)))
    assert written[0].read_bytes() != default[0].read_bytes()
    result = CliRunner().invoke(main, ["build", "m.yaml", "--theme", "formel"])
    assert result.exit_code == 1
    assert "unknown theme 'formel'" in result.stderr and "did you mean `formal`?" in result.stderr


def test_a_copied_theme_builds(here: Path) -> None:
    CliRunner().invoke(main, ["templates", "copy", "example-logo", "tpl"])
    (here / "m.yaml").write_text(MINIMAL, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["build", "m.yaml", "--templates", "tpl", "--theme", "example-logo", "-f", "pdf"]
    )
    assert result.exit_code == 0, result.output
