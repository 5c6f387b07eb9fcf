"""Template resource limits: each runaway template ends as a template `file:line` error."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import TemplateError
from briefgen.pipeline import BuildOptions, build, dump
from briefgen.sandbox import MAX_RANGE, MAX_TEXT
from briefgen.templating import TemplateSet
from tests.conftest import MINIMAL


def refused(tmp_path: Path, text: str) -> TemplateError:
    (tmp_path / "t.md.j2").write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        TemplateSet([tmp_path]).render("t.md.j2", {})
    return caught.value


def test_the_limits_are_the_documented_ones() -> None:
    assert MAX_RANGE == 10_000
    assert MAX_TEXT == 16 * 1024 * 1024


@pytest.mark.parametrize(
    "text, line, words",
    [
        (
            "a\n{% for i in range(200000) %}{{ i }}{% endfor %}\n",
            2,
            "range() of 200,000 items; the limit is 10,000",
        ),
        (
            "a\nb\n{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}\n",
            3,
            "macro 'm' is called more than 64 levels deep",
        ),
        ("{{ 'x' * 100000000 }}\n", 1, "the limit is 16,777,216"),
        (
            '{% set s = "x" * 10000 %}\n{% set ns = namespace(v=s) %}{% for i in range(20) %}'
            "{% set ns.v = ns.v ~ ns.v %}{% endfor %}\n",
            2,
            "the limit is 16,777,216",
        ),
        (
            '{% set s = "x" * 10000 %}\n\n{% set ns = namespace(v=s) %}{% for i in range(20) %}'
            "{% set ns.v = ns.v + ns.v %}{% endfor %}\n",
            3,
            "the limit is 16,777,216",
        ),
        ("\n{{ 10 ** 100000 }}\n", 2, "10 ** 100000 is too large a number"),
    ],
)
def test_runaway_templates_stop_at_their_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    error = refused(tmp_path, text)
    assert error.location is not None
    assert error.location.file.endswith("t.md.j2")
    assert error.location.line == line
    assert words in error.message


def test_output_is_capped(tmp_path: Path) -> None:
    text = (
        "{% for i in range(10000) %}{% for j in range(10000) %}"
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{% endfor %}{% endfor %}\n"
    )
    error = refused(tmp_path, text)
    assert "the template's output passed 16,777,216 characters" in error.message
    assert error.location is not None and error.location.file.endswith("t.md.j2")


def test_a_template_that_extends_itself_is_told_the_builtin_spelling(tmp_path: Path) -> None:
    error = refused(tmp_path, 'one\n{% extends "t.md.j2" %}\n')
    assert error.message == "template 't.md.j2' loads itself"
    assert error.hint is not None and '{% extends "builtin:t.md.j2" %}' in error.hint
    assert error.location is not None and error.location.line == 2


def test_a_template_that_includes_itself_is_refused(tmp_path: Path) -> None:
    error = refused(tmp_path, '{% include "t.md.j2" %}\n')
    assert error.message == "template 't.md.j2' loads itself"


def test_builtin_prefix_extends_the_builtin_of_the_same_name(tmp_path: Path) -> None:
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    (tpl / "staff.md.j2").write_text(
        '{% extends "builtin:staff.md.j2" %}\n'
        "{% block purpose %}\n# Why we meet\n\nOverridden purpose.\n\n{% endblock %}\n",
        encoding="utf-8",
    )
    meeting = tmp_path / "m.yaml"
    meeting.write_text(MINIMAL + "purpose: Original purpose.\n", encoding="utf-8")
    markup = dump(meeting, "markup", "staff", BuildOptions(template_dirs=(tpl,)))
    assert "# Why we meet\n\nOverridden purpose." in markup
    assert "Original purpose." not in markup
    assert "# Minimal meeting" in markup  # the built-in's title block is kept
    written = build(meeting, BuildOptions(template_dirs=(tpl,), out_dir=tmp_path / "out"))
    assert [p.suffix for p in written] == [".pdf", ".docx"]


def test_builtin_prefix_never_reads_the_users_folder(tmp_path: Path) -> None:
    builtin, user = tmp_path / "builtin", tmp_path / "user"
    builtin.mkdir()
    user.mkdir()
    (user / "only-mine.md.j2").write_text("mine", encoding="utf-8")
    (user / "t.md.j2").write_text('{% include "builtin:only-mine.md.j2" %}', encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        TemplateSet([user, builtin]).render("t.md.j2", {})
    assert caught.value.message == "template 'builtin:only-mine.md.j2' not found"
    assert caught.value.location is not None and caught.value.location.line == 1
