"""The guarantees of templating.py that mutation testing found unobserved, with expectations
written out: data never becomes markup, rich text never escapes its field, and a template sees
only the cleared meeting."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from briefgen.document import DocumentInfo, Paragraph, Table, dump, plain_text
from briefgen.pipeline import BuildOptions
from briefgen.pipeline import dump as dump_stage
from briefgen.reader import read_markup
from briefgen.templating import RichText, TemplateSet, sanitise_rich_text


def render(tmp_path: Path, template: str, **context: object) -> str:
    (tmp_path / "t.md.j2").write_text(template, encoding="utf-8")
    return TemplateSet([tmp_path]).render("t.md.j2", dict(context))


@pytest.mark.parametrize("template, expected", [
    ("{{ value.strip() }}", "\\*\\*bold\\*\\*"),
    ("{{ value.upper() }}", " \\*\\*BOLD\\*\\* "),
    ("{{ value.replace('b', 'c') }}", " \\*\\*cold\\*\\* "),
    ("{{ value | trim }}", "\\*\\*bold\\*\\*"),
])
def test_a_method_or_filter_on_a_value_keeps_it_escaped(tmp_path: Path, template: str,
                                                        expected: str) -> None:
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
def test_a_plain_value_at_a_line_start_never_opens_a_container(tmp_path: Path,
                                                                value: str) -> None:
    markup = render(tmp_path, "{{ value }}\n\nafter\n", value=value)
    assert markup.startswith("\\:\\:\\:")
    document = read_markup(markup, DocumentInfo(title="t"))
    assert [plain_text(b.children) for b in document.blocks
            if isinstance(b, Paragraph)] == [value, "after"]


def test_rich_text_container_fence_is_literal() -> None:
    assert sanitise_rich_text("::: pagebreak\ntext") == "\\::: pagebreak\ntext"
    assert sanitise_rich_text("  ::: x") == "  \\::: x"


@pytest.mark.parametrize("text, expected", [
    ("1. # x", "1. \\# x"),
    ("2) # x", "2) \\# x"),
    ("- # x", "- \\# x"),
    ("* 1. # x", "* 1. \\# x"),
    ("# x", "\\# x"),
    ("a # b", "a # b"),
])
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
        "level={{ meeting.classification }} marking={{ marking }}\n", encoding="utf-8")
    meeting = tmp_path / "m.yaml"
    meeting.write_text(textwrap.dedent("""\
        meeting: {title: T, date: 2025-01-15, classification: CONFIDENTIAL}
        key_points:
          - {text: Open point, classification: PUBLIC}
    """), encoding="utf-8")
    markup = dump_stage(meeting, "markup", "public", BuildOptions(template_dirs=(tpl,)))
    assert markup == "level=PUBLIC marking=PUBLIC\n"
