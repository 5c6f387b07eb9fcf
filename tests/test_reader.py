"""The reader: Markdown from templates becomes the document model; unsupported markup is literal."""

from __future__ import annotations

import pytest

from briefgen.document import (
    BulletList,
    DocumentInfo,
    Heading,
    LineBreak,
    Link,
    NumberedList,
    PageBreak,
    Paragraph,
    Table,
    Text,
    TitleBlock,
    plain_text,
)
from briefgen.errors import MarkupError
from briefgen.reader import read_markup

INFO = DocumentInfo(title="t")


def blocks(markup: str) -> tuple[object, ...]:
    return read_markup(markup, INFO).blocks


def test_title_block_with_subtitle_and_fields() -> None:
    [block] = blocks("::: title-block\n# Title\n\n## Sub\n\nDate\n: 1 May\n\nPlace\n: Here\n:::\n")
    assert isinstance(block, TitleBlock)
    assert plain_text(block.title) == "Title" and plain_text(block.subtitle) == "Sub"
    assert [(f.label, plain_text(f.value)) for f in block.fields] == [
        ("Date", "1 May"),
        ("Place", "Here"),
    ]


def test_headings_deeper_than_three_become_level_three() -> None:
    found = blocks("# a\n\n## b\n\n#### d\n")
    assert [b.level for b in found if isinstance(b, Heading)] == [1, 2, 3]


def test_lists_nest_and_numbered_lists_keep_their_start() -> None:
    [bullets, numbers] = blocks("- a\n  - b\n\n3. x\n4. y\n")
    assert isinstance(bullets, BulletList) and isinstance(bullets.items[0].blocks[1], BulletList)
    assert isinstance(numbers, NumberedList) and numbers.start == 3 and len(numbers.items) == 2


def test_table_rows_are_padded_and_widths_sum_to_one() -> None:
    [table] = blocks("| A | B | C |\n|---|---|---|\n| 1 |\n| long text here | x | y |\n")
    assert isinstance(table, Table)
    assert all(len(row) == 3 for row in table.rows)
    assert table.rows[0][1] == ()
    assert abs(sum(table.widths) - 1) < 0.01 and min(table.widths) >= 0.09


def test_page_break_container() -> None:
    assert blocks("a\n\n::: pagebreak\n:::\n\nb\n")[1] == PageBreak()


def test_unknown_container_is_an_error_with_a_line() -> None:
    with pytest.raises(MarkupError) as error:
        read_markup("a\n\n::: sidebar\nx\n:::\n", INFO, "t.md.j2")
    assert error.value.location is not None and error.value.location.line == 3
    assert "sidebar" in error.value.message


@pytest.mark.parametrize(
    "markup",
    [
        "<b>raw</b>",
        "    indented code",
        "```\nfenced\n```",
        "> quote",
        "![img](x.png)",
        "&amp;",
        "`code`",
        "***",
        "Setext\n===",
        "~~strike~~",
        "[ref]: http://x",
    ],
)
def test_unsupported_markdown_stays_text(markup: str) -> None:
    found = blocks(markup + "\n")
    assert all(isinstance(b, Paragraph) for b in found)
    text = " ".join(plain_text(b.children) for b in found if isinstance(b, Paragraph))
    assert text.replace(" ", "") != ""


def test_only_safe_link_schemes_are_links() -> None:
    [paragraph] = blocks(
        "[a](https://x.org) [b](javascript:alert(1)) [c](mailto:a@b.c) [d](file:///etc)\n"
    )
    assert isinstance(paragraph, Paragraph)
    links = [n.url for n in paragraph.children if isinstance(n, Link)]
    assert links == ["https://x.org", "mailto:a@b.c"]
    assert "d" in plain_text(paragraph.children)


def test_hard_break_and_soft_break() -> None:
    [paragraph] = blocks("one\\\ntwo\nthree\n")
    assert isinstance(paragraph, Paragraph)
    assert paragraph.children == (Text("one"), LineBreak(), Text("two three"))
