"""The command line end to end: outputs, streams, exit codes, diagnostics, atomic writes, speed.

Most tests run `python -m briefgen.cli` in a subprocess from a temporary folder (the checkout on
PYTHONPATH), as a user would; click's CliRunner serves where a process adds nothing.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

import briefgen
from briefgen.cli import main
from briefgen.errors import UsageError
from briefgen.pipeline import write_atomic
from tests.conftest import EXAMPLE, INPUTS, MINIMAL, REPO, fresh_python

WriteYaml = Callable[..., Path]
EXAMPLE_STEM = "2024-12-18_nato-sg-bih-presidency"
# FILE:LINE:COL: error: message, then the source line, a caret line, and a hint.
DIAGNOSTIC = re.compile(r"^(?P<file>[^\n:]+):(?P<line>\d+):(?P<col>\d+): error: (?P<msg>.+)$", re.M)


def run(
    *args: str | Path, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "briefgen.cli", *map(str, args)],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def assert_clean_failure(result: subprocess.CompletedProcess[str], code: int) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert result.stdout == ""


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# ---------------------------------------------------------------------------------------------
# build: outputs and streams


def test_build_prints_written_paths_on_stdout_and_nothing_on_stderr(tmp_path: Path) -> None:
    result = run("build", EXAMPLE, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines == [f"out/{EXAMPLE_STEM}.staff.pdf", f"out/{EXAMPLE_STEM}.staff.docx"]
    for line in lines:  # relative to the working folder: ./out is the default
        assert (tmp_path / line).stat().st_size > 1000
    assert (tmp_path / lines[0]).read_bytes().startswith(b"%PDF-")
    assert (tmp_path / lines[1]).read_bytes().startswith(b"PK")


def test_format_audience_and_out_options(tmp_path: Path) -> None:
    out = tmp_path / "briefs"
    result = run(
        "build",
        EXAMPLE,
        "--format",
        "pdf",
        "--audience",
        "principal",
        "-a",
        "public",
        "--out",
        out,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        str(out / f"{EXAMPLE_STEM}.principal.pdf"),
        str(out / f"{EXAMPLE_STEM}.public.pdf"),
    ]
    assert files_in(out) == [f"{EXAMPLE_STEM}.principal.pdf", f"{EXAMPLE_STEM}.public.pdf"]
    assert not (tmp_path / "out").exists()


def test_repeated_format_builds_both(tmp_path: Path) -> None:
    result = run("build", EXAMPLE, "-f", "docx", "-f", "pdf", "-o", "x", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(Path(p).suffix for p in result.stdout.splitlines()) == [".docx", ".pdf"]


def test_invalid_input_fails_but_the_other_inputs_are_built(
    tmp_path: Path, write_yaml: WriteYaml
) -> None:
    bad = write_yaml("meeting:\n  title: Broken\n  date: 2025-02-30\n", name="bad.yaml")
    other = write_yaml(MINIMAL, name="other.yaml")
    result = run("build", EXAMPLE, bad, other, "-f", "pdf", "-o", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{bad}:3:9: error: meeting.date:" in result.stderr
    built = result.stdout.splitlines()
    assert built == [f"out/{EXAMPLE_STEM}.staff.pdf", "out/2025-01-15_minimal-meeting.staff.pdf"]
    assert all((tmp_path / p).is_file() for p in built)
    assert len(files_in(tmp_path / "out")) == 2


# ---------------------------------------------------------------------------------------------
# exit codes and diagnostics


@pytest.mark.parametrize(
    "args",
    [
        ("build", "--bogus", "x.yaml"),
        ("build", "x.yaml", "--format", "rtf"),
        ("build",),  # no input at all
        ("nonsense",),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = run(*args, cwd=tmp_path)
    assert_clean_failure(result, 2)
    assert "Usage:" in result.stderr
    assert files_in(tmp_path) == []


def test_unknown_format_names_the_valid_ones() -> None:
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "--format", "rtf"])
    assert result.exit_code == 2
    assert "'rtf'" in result.stderr and "pdf" in result.stderr and "docx" in result.stderr


def test_yaml_error_shows_location_source_line_caret_and_hint(
    tmp_path: Path, write_yaml: WriteYaml
) -> None:
    path = write_yaml("meeting:\n  title: X\n  date: 2025-01-01\n  title: Y\n", name="dup.yaml")
    result = run("build", path, cwd=tmp_path)
    assert_clean_failure(result, 1)
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{path}:4:3: error: ") and "duplicate key 'title'" in lines[0]
    assert lines[1].strip() == "title: Y"
    assert lines[2].index("^") == lines[1].index("title")  # the caret is under column 3
    assert lines[3].lstrip().startswith("hint: ")
    assert files_in(tmp_path) == ["dup.yaml"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("latin1.yaml", b"meeting:\n  title: Caf\xe9\n  date: 2025-01-01\n", "not valid UTF-8"),
        ("binary.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00", "binary"),
        ("syntax.yaml", b"meeting:\n  title: [x\n  date: 2025-01-01\n", "YAML syntax error"),
        ("tabs.yaml", b"meeting:\n\ttitle: X\n", "tab"),
        ("list.yaml", b"- just\n- a list\n", "mapping"),
        ("empty.yaml", b"", ""),
    ],
)
def test_bad_files_get_a_diagnostic_not_a_traceback(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    (tmp_path / name).write_bytes(content)
    result = run("build", name, cwd=tmp_path)
    assert_clean_failure(result, 1)
    assert result.stderr.startswith(f"{name}:"), result.stderr
    assert ": error: " in result.stderr and message in result.stderr
    assert "hint:" in result.stderr
    assert files_in(tmp_path) == [name]
    # validate says the same, in-process (an exception would surface in `exception`)
    checked = CliRunner().invoke(main, ["validate", str(tmp_path / name)])
    assert checked.exit_code == 1 and isinstance(checked.exception, SystemExit)
    assert checked.stderr.replace(str(tmp_path / name), name) == result.stderr


def test_non_utf8_error_points_at_the_bad_byte_in_its_line(tmp_path: Path) -> None:
    (tmp_path / "latin1.yaml").write_bytes(b"meeting:\n  title: Caf\xe9\n  date: 2025-01-01\n")
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "latin1.yaml")])
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{tmp_path / 'latin1.yaml'}:2:13: error:")
    assert lines[1].strip().startswith("title: Caf")  # the line, the bad byte replaced
    assert lines[2].index("^") == lines[1].index("Caf") + 3


def test_missing_file(tmp_path: Path) -> None:
    result = run("build", "missing.yaml", cwd=tmp_path)
    assert_clean_failure(result, 1)
    assert "missing.yaml" in result.stderr and "not found" in result.stderr


def test_unknown_audience_suggests_the_nearest(tmp_path: Path) -> None:
    result = run("build", EXAMPLE, "--audience", "staf", cwd=tmp_path)
    # What the command line names wrongly is a usage error (exit 2), like an unknown format,
    # even though the audiences it may name come from briefgen.yaml.
    assert_clean_failure(result, 2)
    assert "unknown audience 'staf'" in result.stderr
    assert "did you mean `staff`?" in result.stderr
    assert files_in(tmp_path) == []


def test_template_error_names_the_template_line(tmp_path: Path) -> None:
    templates = broken_templates(tmp_path)
    result = run("build", EXAMPLE, "--templates", templates, "-o", "out", cwd=tmp_path)
    assert_clean_failure(result, 1)
    first = result.stderr.splitlines()[0]
    where, _, message = first.partition(": error: ")
    template, line = where.rsplit(":", 1)
    assert (tmp_path / template).resolve() == templates / "staff.md.j2" and line == "5", first
    assert "undefined" in message
    assert "{{ meeting.nonexistent.field }}" in result.stderr
    assert "hint:" in result.stderr


def test_validate_reports_every_error_of_a_file_in_one_run(
    tmp_path: Path, write_yaml: WriteYaml
) -> None:
    path = write_yaml(
        """\
        meeting:
          titel: X
          date: 2025-13-01
        participants:
          - role: Chair
        outcome: []
        """,
        name="many.yaml",
    )
    result = run("validate", path, cwd=tmp_path)
    assert_clean_failure(result, 1)
    found = [(int(m["line"]), int(m["col"])) for m in DIAGNOSTIC.finditer(result.stderr)]
    # missing title (at `meeting:`), unknown `titel`, bad date, missing name, unknown `outcome`
    assert found == [(1, 1), (2, 3), (3, 9), (5, 5), (6, 1)], result.stderr
    assert "did you mean `title`?" in result.stderr
    assert "did you mean `outcomes`?" in result.stderr
    assert result.stderr.count("hint:") == 5


def test_validate_is_silent_and_succeeds_on_valid_files(tmp_path: Path) -> None:
    result = run("validate", *INPUTS, cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert files_in(tmp_path) == []  # validating writes nothing


# ---------------------------------------------------------------------------------------------
# --version, --help and lazy imports


def test_version() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"briefgen, version {briefgen.__version__}"
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", briefgen.__version__)


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["--version"]])
def test_help_does_not_import_the_pipeline(tmp_path: Path, args: list[str]) -> None:
    probe = (
        "import sys\n"
        "from briefgen.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit as stop:\n"
        "    assert stop.code in (0, None), stop.code\n"
        "heavy = ('reportlab', 'docx', 'yaml', 'jinja2', 'pydantic', 'markdown_it', 'lxml')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)), file=sys.stderr)\n"
    )
    result = fresh_python(probe, tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "[]"
    assert "Usage:" in result.stdout or "version" in result.stdout


def test_help_lists_the_commands_and_options() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("build", "validate", "dump", "audiences"):
        assert command in result.output
    build_help = CliRunner().invoke(main, ["build", "--help"]).output
    for option in ("--audience", "--format", "--out", "--templates"):
        assert option in build_help


# ---------------------------------------------------------------------------------------------
# atomic writes


def broken_templates(tmp_path: Path) -> Path:
    """A --templates folder whose staff.md.j2 fails at line 5 while rendering."""
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "staff.md.j2").write_text(
        '{% extends "base.md.j2" %}\n{% block content %}\n# Heading\n\n'
        "{{ meeting.nonexistent.field }}\n{% endblock %}\n",
        encoding="utf-8",
    )
    return folder


def test_failed_build_writes_nothing_and_keeps_old_files(tmp_path: Path) -> None:
    templates = broken_templates(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    old_docx = out / f"{EXAMPLE_STEM}.staff.docx"
    old_docx.write_bytes(b"previous build")
    # public renders fine and comes first; staff fails: neither may be written.
    result = run(
        "build",
        EXAMPLE,
        "-a",
        "public",
        "-a",
        "staff",
        "--templates",
        templates,
        "--out",
        out,
        cwd=tmp_path,
    )
    assert_clean_failure(result, 1)
    assert files_in(out) == [old_docx.name]  # no public brief, no staff PDF, no temp files
    assert old_docx.read_bytes() == b"previous build"


def test_write_atomic_leaves_no_temp_file_when_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out" / "brief.pdf"

    def fail(*_: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(UsageError, match="disk full"):  # an output problem, not a traceback
        write_atomic(target, b"%PDF-1.4 data")
    assert files_in(tmp_path) == []
    monkeypatch.undo()
    write_atomic(target, b"%PDF-1.4 data")
    assert files_in(tmp_path) == ["brief.pdf"] and target.read_bytes() == b"%PDF-1.4 data"
    assert target.stat().st_mode & 0o777 == 0o644


# ---------------------------------------------------------------------------------------------
# dump


def test_dump_stages(write_yaml: WriteYaml) -> None:
    path = write_yaml(MINIMAL + "purpose: Agree **next steps**.\n")
    runner = CliRunner()
    meeting = runner.invoke(main, ["dump", "--stage", "meeting", str(path)])
    assert meeting.exit_code == 0, meeting.output
    assert '"title": "Minimal meeting"' in meeting.output
    assert '"purpose": "Agree **next steps**."' in meeting.output
    markup = runner.invoke(main, ["dump", "--stage", "markup", str(path)])
    assert markup.exit_code == 0, markup.output
    assert "Agree **next steps**." in markup.output
    assert re.search(r"^# Purpose$", markup.output, re.M)
    document = runner.invoke(main, ["dump", str(path)])  # document is the default stage
    assert document.exit_code == 0, document.output
    assert "TitleBlock ['Minimal meeting']" in document.output
    assert "Paragraph ['Agree ', Strong(['next steps']), '.']" in document.output


def test_dump_of_a_bad_file_is_a_diagnostic(write_yaml: WriteYaml) -> None:
    path = write_yaml("meeting:\n  title: X\n")
    result = CliRunner().invoke(main, ["dump", "--stage", "meeting", str(path)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"{path}:1:1: error: meeting: required field `date` is missing" in result.stderr
    assert result.stdout == ""
