"""The guarantees of templating.py that mutation testing found unobserved, with expectations
written out: data never becomes markup, rich text never escapes its field, and a template sees
only the cleared meeting."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from briefgen.dates import parse_partial_date
from briefgen.document import DocumentInfo, Paragraph, Table, dump, plain_text
from briefgen.errors import Location, TemplateError
from briefgen.pipeline import BuildOptions
from briefgen.pipeline import dump as dump_stage
from briefgen.reader import read_markup
from briefgen.templating import RichText, TemplateSet, format_date, sanitise_rich_text


def render(tmp_path: Path, template: str, **context: object) -> str:
    (tmp_path / "t.md.j2").write_text(template, encoding="utf-8")
    return TemplateSet([tmp_path]).render("t.md.j2", dict(context))


@pytest.mark.parametrize(
    "template, expected",
    [
        ("{{ value.strip() }}", "\\*\\*bold\\*\\*"),
        ("{{ value.upper() }}", " \\*\\*BOLD\\*\\* "),
        ("{{ value.replace('b', 'c') }}", " \\*\\*cold\\*\\* "),
        ("{{ value | trim }}", "\\*\\*bold\\*\\*"),
    ],
)
def test_a_method_or_filter_on_a_value_keeps_it_escaped(
    tmp_path: Path, template: str, expected: str
) -> None:
    assert render(tmp_path, template, value=" **bold** ") == expected


def test_a_macro_result_is_markup_but_its_argument_is_not(tmp_path: Path) -> None:
    template = "{% macro b(x) %}**{{ x }}**{% endmacro %}{{ b(value) }}"
    assert render(tmp_path, template, value="*x*") == "**\\*x\\***"


def test_a_pipe_table_in_rich_text_stays_text(tmp_path: Path) -> None:
    rich = RichText(sanitise_rich_text("| a | b |\n|---|---|\n| c | d |"))
    markup = render(tmp_path, "{{ value }}\n", value=rich)
    assert markup == "\\| a \\| b \\|\n\\|---\\|---\\|\n\\| c \\| d \\|\n"
    document = read_markup(markup, DocumentInfo(title="t"))
    assert not any(isinstance(b, Table) for b in document.blocks)
    assert [type(b) for b in document.blocks] == [Paragraph]


@pytest.mark.parametrize("value", ["::: pagebreak", ":::title-block", "::: timeline"])
def test_a_plain_value_at_a_line_start_never_opens_a_container(tmp_path: Path, value: str) -> None:
    markup = render(tmp_path, "{{ value }}\n\nafter\n", value=value)
    assert markup.startswith("\\:\\:\\:")
    document = read_markup(markup, DocumentInfo(title="t"))
    assert [plain_text(b.children) for b in document.blocks if isinstance(b, Paragraph)] == [
        value,
        "after",
    ]


def test_rich_text_container_fence_is_literal() -> None:
    assert sanitise_rich_text("::: pagebreak\ntext") == "\\::: pagebreak\ntext"
    assert sanitise_rich_text("  ::: x") == "  \\::: x"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1. # x", "1. \\# x"),
        ("2) # x", "2) \\# x"),
        ("- # x", "- \\# x"),
        ("* 1. # x", "* 1. \\# x"),
        ("# x", "\\# x"),
        ("a # b", "a # b"),
    ],
)
def test_a_heading_inside_a_list_item_in_rich_text_is_literal(text: str, expected: str) -> None:
    assert sanitise_rich_text(text) == expected


def test_a_numbered_heading_in_rich_text_reads_as_list_text(tmp_path: Path) -> None:
    markup = render(tmp_path, "{{ value }}\n", value=RichText(sanitise_rich_text("1. # x")))
    document = read_markup(markup, DocumentInfo(title="t"))
    assert dump(document).endswith("NumberedList start=1\n  - item\n    Paragraph ['# x']\n")


def test_a_public_template_never_sees_the_meetings_own_level(tmp_path: Path) -> None:
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    (tpl / "public.md.j2").write_text(
        "level={{ meeting.classification }} marking={{ marking }}\n", encoding="utf-8"
    )
    meeting = tmp_path / "m.yaml"
    meeting.write_text(
        textwrap.dedent("""\
        meeting: {title: T, date: 2025-01-15, classification: CONFIDENTIAL}
        key_points:
          - {text: Open point, classification: PUBLIC}
    """),
        encoding="utf-8",
    )
    markup = dump_stage(meeting, "markup", "public", BuildOptions(template_dirs=(tpl,)))
    assert markup == "level=PUBLIC marking=PUBLIC\n"


# --- plain values, filters and the environment's settings -----------------------------------


def test_a_multi_line_value_prints_on_one_line(tmp_path: Path) -> None:
    assert render(tmp_path, "{{ value }}", value="a\nb\r\nc") == "a b c"


def test_none_prints_as_nothing(tmp_path: Path) -> None:
    assert render(tmp_path, "[{{ value }}]", value=None) == "[]"


def test_rich_text_keeps_its_letters_and_loses_only_outer_newlines() -> None:
    assert sanitise_rich_text("\nX marks the spot X\n\n") == "X marks the spot X"


def test_indent_keeps_plain_values_escaped_and_rich_text_rich(tmp_path: Path) -> None:
    template = "- {{ value | indent(2) }}\n"
    # A plain value stays escaped, and on one line.
    assert render(tmp_path, template, value="*a*\n*b*") == "- \\*a\\*   \\*b\\*\n"
    assert render(tmp_path, template, value=RichText("*a*\n\n*b*")) == "- *a*\n  \n  *b*\n"
    assert render(tmp_path, "{{ value | indent }}", value=RichText("a\nb")) == "a\n  b"
    assert render(tmp_path, "{{ value | indent(4) }}", value=RichText("a b\nc")) == "a b\n    c"


def test_blocks_trim_their_lines(tmp_path: Path) -> None:
    assert render(tmp_path, "{% if true %}\nx\n{% endif %}\ny\n") == "x\ny\n"
    assert render(tmp_path, "  {% if true %}\nx\n  {% endif %}\n") == "x\n"


def test_an_edited_template_is_read_again(tmp_path: Path) -> None:
    import os

    path = tmp_path / "t.md.j2"
    path.write_text("one", encoding="utf-8")
    templates = TemplateSet([tmp_path])
    assert templates.render("t.md.j2", {}) == "one"
    path.write_text("two", encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    assert templates.render("t.md.j2", {}) == "two"


# --- errors name the template, the line and the fix -----------------------------------------


def error_of(
    tmp_path: Path, template: str, name: str = "t.md.j2", **context: object
) -> TemplateError:
    (tmp_path / name).write_text(template, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        TemplateSet([tmp_path]).render(name, dict(context))
    return caught.value


def test_an_unknown_template_lists_the_others(tmp_path: Path) -> None:
    (tmp_path / "a.md.j2").write_text("", encoding="utf-8")
    (tmp_path / "b.md.j2").write_text("", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        TemplateSet([tmp_path]).render("c.md.j2", {})
    assert caught.value.message == "template 'c.md.j2' not found"
    assert caught.value.location is None
    assert caught.value.hint == (
        "templates available: a.md.j2, b.md.j2; a name is relative to "
        "the template folders, without ../ or a leading /"
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(TemplateError) as caught:
        TemplateSet([empty]).render("c.md.j2", {})
    assert caught.value.hint is not None and caught.value.hint.startswith(
        "templates available: (none);"
    )


def test_a_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    error = error_of(tmp_path, "ok\n{% if %}\n")
    assert error.message.startswith("template syntax error: ")
    assert error.location == Location(str(tmp_path / "t.md.j2"), 2)


def test_an_undefined_value_names_its_line_and_the_dump(tmp_path: Path) -> None:
    error = error_of(tmp_path, "ok\n{{ nothing.here }}\n")
    assert error.message == "template uses an undefined value: 'nothing' is undefined"
    assert error.location == Location(str(tmp_path / "t.md.j2"), 2)
    assert error.hint == (
        "check the spelling of the variable; `briefgen dump --stage meeting` "
        "shows what templates can use"
    )


def test_an_unsafe_operation_is_refused_at_its_line(tmp_path: Path) -> None:
    error = error_of(tmp_path, "ok\n{{ value.__class__.__mro__ }}\n", value="x")
    assert error.message.startswith("template tried an unsafe operation: ")
    assert error.location == Location(str(tmp_path / "t.md.j2"), 2)
    assert error.hint == "templates may only read the meeting's data"


def test_a_failing_expression_names_its_line(tmp_path: Path) -> None:
    error = error_of(tmp_path, "ok\n\n{{ 1 / 0 }}\n")
    assert error.message == "template failed: division by zero"
    assert error.location == Location(str(tmp_path / "t.md.j2"), 3)


def test_an_error_outside_template_code_names_the_template(tmp_path: Path) -> None:
    # A file not ending in .j2 leaves no template frame to find: the name stands in.
    error = error_of(tmp_path, "{{ 1 / 0 }}", name="t.txt")
    assert error.location == Location("t.txt")


def test_deep_recursion_is_a_template_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefgen.sandbox

    monkeypatch.setattr(briefgen.sandbox, "MAX_CALL_DEPTH", 100_000)
    template = "{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}\n{{ m(0) }}\n"
    error = error_of(tmp_path, template)
    assert error.message == "template recursion too deep"
    assert error.location is not None and error.location.file == str(tmp_path / "t.md.j2")
    assert error.hint == (
        "a template or macro that uses itself needs a condition that stops "
        "it; to extend the built-in of the same name write {% extends "
        '"builtin:t.md.j2" %}'
    )


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "language, style, expected",
    [
        ("en", "long", "5 January 2025"),
        ("en", "medium", "5 Jan 2025"),
        ("bs", "long", "5. januar 2025."),
        ("en-US", "long", "January 5, 2025"),
        ("en_US", "medium", "Jan 5, 2025"),
    ],
)
def test_dates_in_the_meetings_language(language: str, style: str, expected: str) -> None:
    assert format_date(dt.date(2025, 1, 5), language, style) == expected


@pytest.mark.parametrize(
    "language, style, expected",
    [
        ("en", "long", "March 2025"),
        ("en", "medium", "Mar 2025"),
        ("bs", "long", "mart 2025."),
    ],
)
def test_partial_dates_print_their_period(language: str, style: str, expected: str) -> None:
    assert format_date(parse_partial_date("2025-03", end=False), language, style) == expected


def test_a_value_that_is_not_a_date_prints_as_itself(tmp_path: Path) -> None:
    assert format_date("soon") == "soon"
    markup = render(
        tmp_path, "{{ d | date }} / {{ d | date('medium') }}", d=dt.date(2025, 1, 5), language="bs"
    )
    assert markup == "5\\. januar 2025\\. / 5\\. jan 2025\\."


def test_dates_default_to_long_english() -> None:
    assert format_date(dt.date(2025, 1, 5)) == "5 January 2025"
    assert format_date(parse_partial_date("2025-Q2", end=False)) == "Q2 2025"


@pytest.mark.parametrize(
    "template",
    ["{{ nothing }}", "{{ value.__class__ }}", "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}"],
)
def test_errors_without_a_template_frame_name_the_template(
    tmp_path: Path, template: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefgen.sandbox

    monkeypatch.setattr(briefgen.sandbox, "MAX_CALL_DEPTH", 100_000)
    error = error_of(tmp_path, template, name="t.txt", value="x")
    assert error.location == Location("t.txt")
