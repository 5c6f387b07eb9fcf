"""The reader's one-pass tree of markdown-it tokens: the shape markdown-it's own tree has."""

from __future__ import annotations

from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin

from briefgen.markup_tree import Node, markup_tree


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark").enable("table").use(deflist_plugin)
    for name in ("title-block", "timeline"):
        md.use(container_plugin, name=name)
    return md


MARKUP = """\
::: title-block
# Title *with* **marks**
Date
: 12 March
:::

## Section

- one
  - nested [link](https://example.org)
2. two

| a | b |
|---|---|
| 1 | 2 |

::: timeline
| kind | text |
|---|---|
:::
"""


def shape(node: Any) -> tuple[Any, ...]:
    kids = tuple(shape(child) for child in node.children)
    return (
        node.type,
        node.tag,
        dict(node.attrs),
        node.map and list(node.map),
        node.info,
        node.content,
        kids,
    )


def test_the_tree_is_markdown_its_own_in_every_field_the_reader_uses() -> None:
    tokens = _parser().parse(MARKUP)
    assert [shape(n) for n in markup_tree(tokens)] == [
        shape(n) for n in SyntaxTreeNode(tokens).children
    ]


def test_nodes_are_named_by_their_opening_token_and_leaves_hold_their_inlines() -> None:
    tree = markup_tree(_parser().parse("## Hi *there*\n"))
    assert [n.type for n in tree] == ["heading"]
    [inline] = tree[0].children
    assert inline.type == "inline" and tree[0].tag == "h2" and tree[0].map == [0, 1]
    assert [(n.type, [c.type for c in n.children]) for n in inline.children] == [
        ("text", []),
        ("em", ["text"]),
    ]
    assert isinstance(inline.children[1], Node)


def test_an_unbalanced_stream_is_refused() -> None:
    tokens = _parser().parse("- item\n")
    with pytest.raises(ValueError, match="unclosed"):
        markup_tree(tokens[:-1])
    with pytest.raises(ValueError, match="closing"):
        markup_tree(tokens[1:])
