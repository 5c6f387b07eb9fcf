"""Templating: data is escaped, rich text is Markdown, and templates run in a sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.document import DocumentInfo, Paragraph, Strong, plain_text
from briefgen.errors import TemplateError
from briefgen.reader import read_markup
from briefgen.templating import RichText, TemplateSet, escape_markdown, sanitise_rich_text

ADVERSARIAL = [
    "<b>",
    "</para>",
    "&amp;",
    "*x*",
    "a | b",
    "# not a heading",
    "{{ 7*7 }}",
    "{% raw %}",
    "_under_",
    "[link](http://x)",
    "1. item",
    "- item",
    "\\",
    "::: pagebreak",
    "`code`",
]


def make_templates(tmp_path: Path, **templates: str) -> TemplateSet:
    for name, text in templates.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return TemplateSet([tmp_path])


def read_paragraph_text(markup: str) -> str:
    document = read_markup(markup, DocumentInfo(title="t"))
    assert len(document.blocks) == 1 and isinstance(document.blocks[0], Paragraph)
    return plain_text(document.blocks[0].children)


@pytest.mark.parametrize("text", ADVERSARIAL)
def test_plain_text_reads_back_literally(tmp_path: Path, text: str) -> None:
    templates = make_templates(tmp_path, **{"t.md.j2": "Value: {{ value }}\n"})
    markup = templates.render("t.md.j2", {"value": text})
    assert read_paragraph_text(markup) == f"Value: {text}"


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1).filter(str.strip)
)
def test_any_string_interpolated_reads_back_as_itself(text: str) -> None:
    markup = escape_markdown(text)
    expected = " ".join(" ".join(text.splitlines()).split())
    assert " ".join(read_paragraph_text("x " + markup).split()) == ("x " + expected).strip()


def test_filters_and_concatenation_cannot_unescape_data(tmp_path: Path) -> None:
    templates = make_templates(tmp_path, **{"t.md.j2": "{{ value | upper }} {{ 'a ' ~ value }}\n"})
    markup = templates.render("t.md.j2", {"value": "*x*"})
    assert read_paragraph_text(markup) == "*X* a *x*"


def test_rich_text_is_markdown_but_html_and_jinja_stay_literal(tmp_path: Path) -> None:
    templates = make_templates(tmp_path, **{"t.md.j2": "{{ value }}\n"})
    rich = RichText(sanitise_rich_text("**bold** <b>raw</b> </para> {{ 7*7 }} {% raw %}"))
    document = read_markup(templates.render("t.md.j2", {"value": rich}), DocumentInfo(title="t"))
    [paragraph] = document.blocks
    assert isinstance(paragraph, Paragraph)
    assert paragraph.children[0] == Strong(children=(paragraph.children[0].children[0],))  # type: ignore[union-attr]
    assert plain_text(paragraph.children) == "bold <b>raw</b> </para> {{ 7*7 }} {% raw %}"


def test_rich_text_cannot_open_headings_tables_or_containers() -> None:
    text = sanitise_rich_text("# Heading\n\n| a | b |\n|---|---|\n\n::: pagebreak\n:::\n")
    document = read_markup(text, DocumentInfo(title="t"))
    assert all(isinstance(block, Paragraph) for block in document.blocks)


def test_macro_output_is_markup_not_data(tmp_path: Path) -> None:
    templates = make_templates(
        tmp_path,
        **{"t.md.j2": "{% macro b(x) %}**{{ x }}**{% endmacro %}{{ b(value) }}\n"},
    )
    markup = templates.render("t.md.j2", {"value": "*y*"})
    document = read_markup(markup, DocumentInfo(title="t"))
    [paragraph] = document.blocks
    assert isinstance(paragraph, Paragraph) and isinstance(paragraph.children[0], Strong)
    assert plain_text(paragraph.children) == "*y*"


def test_data_is_never_evaluated_as_template_code(tmp_path: Path) -> None:
    templates = make_templates(tmp_path, **{"t.md.j2": "{{ value }}\n"})
    assert "49" not in templates.render("t.md.j2", {"value": "{{ 7*7 }}"})


def test_undefined_variable_names_template_and_line(tmp_path: Path) -> None:
    templates = make_templates(tmp_path, **{"t.md.j2": "line one\n{{ meeting.titel }}\n"})
    with pytest.raises(TemplateError) as error:
        templates.render("t.md.j2", {"meeting": {"title": "x"}})
    location = error.value.location
    assert location is not None and location.file.endswith("t.md.j2") and location.line == 2


@pytest.mark.parametrize(
    "attack",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ value.__class__.__base__.__subclasses__() }}",
        "{{ cycler.__init__.__globals__ }}",
        "{% set x = [] %}{{ x.append(1) }}",
    ],
)
def test_sandbox_blocks_escapes(tmp_path: Path, attack: str) -> None:
    templates = make_templates(tmp_path, **{"t.md.j2": "ok\n" + attack + "\n"})
    with pytest.raises(TemplateError) as error:
        templates.render("t.md.j2", {"value": "x"})
    assert error.value.location is not None and error.value.location.line == 2


def test_syntax_error_in_template(tmp_path: Path) -> None:
    templates = make_templates(tmp_path, **{"t.md.j2": "a\n{% if %}\n"})
    with pytest.raises(TemplateError) as error:
        templates.render("t.md.j2", {})
    assert error.value.location is not None and error.value.location.line == 2


def test_unknown_template_lists_the_available_ones(tmp_path: Path) -> None:
    templates = make_templates(tmp_path, **{"a.md.j2": "x"})
    with pytest.raises(TemplateError) as error:
        templates.render("b.md.j2", {})
    assert error.value.hint and "a.md.j2" in error.value.hint


def test_a_markup_error_names_the_template_line_that_wrote_it(tmp_path: Path) -> None:
    from briefgen.errors import MarkupError
    from briefgen.pipeline import Project, render_document
    from briefgen.validation import load_meeting
    from tests.conftest import EXAMPLE

    folder = tmp_path / "tpl"
    folder.mkdir()
    (folder / "staff.md.j2").write_text(
        "# {{ labels.purpose }}\n\n{{ purpose }}\n\n::: pagebrak\n:::\n", encoding="utf-8"
    )
    project = Project(extra_template_dirs=(folder,))
    meeting, _ = load_meeting(EXAMPLE)
    with pytest.raises(MarkupError, match="unknown container 'pagebrak'") as caught:
        render_document(meeting, project.audience("staff"), project)
    location = caught.value.location
    assert location is not None
    assert Path(location.file).resolve() == (folder / "staff.md.j2").resolve()
    assert location.line == 5  # the template's own line, not the rendered text's


def test_a_markup_error_from_data_keeps_the_rendered_line() -> None:
    # A line that no template holds literally cannot be traced back; the rendered line stays.
    from briefgen.resources import template_folders

    templates = TemplateSet(template_folders())
    assert templates.locate("::: certainly-not-in-any-template") is None
    assert templates.locate("   ") is None
