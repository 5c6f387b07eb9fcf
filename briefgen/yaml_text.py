"""Write YAML by hand, line by line, so generated files can carry comments where people look.

Each scalar is written in the plainest style that reads back as exactly the same text (checked
by parsing it), long text is folded at word boundaries, multi-line text becomes a literal block.
"""

from __future__ import annotations

import json
import textwrap

import yaml

WIDTH = 96


def scalar(prefix: str, text: str, indent: int) -> list[str]:
    """Lines for `prefix value` (prefix is `key:` or `-`, already indented); continuation lines
    are indented by `indent` spaces."""
    pad = " " * indent
    if "\n" in text:
        lines = [f"{prefix} |-"]
        for paragraph_line in text.split("\n"):
            if not paragraph_line:
                lines.append("")
                continue
            # A Markdown list item's continuation lines are indented under its text.
            hanging = "  " if paragraph_line.startswith("- ") else ""
            wrapped = (
                textwrap.wrap(
                    paragraph_line,
                    WIDTH - indent,
                    subsequent_indent=hanging,
                    break_long_words=False,
                    break_on_hyphens=False,
                )
                if _wrappable(paragraph_line)
                else [paragraph_line]
            )
            lines.extend(pad + part for part in wrapped)
        return lines
    if _plain_ok(text, flow=False) and len(prefix) + 1 + len(text) <= WIDTH:
        return [f"{prefix} {text}"]
    if _plain_ok(text, flow=False) and _wrappable(text):
        # Folded: the line breaks below read back as single spaces.
        parts = textwrap.wrap(text, WIDTH - indent, break_long_words=False, break_on_hyphens=False)
        return [f"{prefix} >-", *(pad + part for part in parts)]
    return [f"{prefix} {quoted(text)}"]


def flow_list(prefix: str, items: list[str]) -> list[str]:
    """`prefix [a, b, c]`, quoting only the items that need it."""
    written = [item if _plain_ok(item, flow=True) else quoted(item) for item in items]
    return [f"{prefix} [{', '.join(written)}]"]


def quoted(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar.
    return json.dumps(text, ensure_ascii=False)


def _wrappable(text: str) -> bool:
    # Folding and wrapping turn each line break into one space, so only text with single
    # spaces between words and none at either end survives it unchanged.
    return "  " not in text and text == text.strip() and "\t" not in text


def _plain_ok(text: str, *, flow: bool) -> bool:
    """Whether the text reads back as itself when written unquoted (not a number, date, null,
    boolean, comment, indicator, or — in a flow list — a comma)."""
    if not text or text != text.strip() or (flow and any(c in text for c in ",[]{}")):
        return False
    source = f"[{text}]" if flow else f"k: {text}"
    try:
        node = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return False
    if node is None:
        return False
    children = node.value if flow else [value for _, value in node.value]
    if len(children) != 1 or not isinstance(children[0], yaml.ScalarNode):
        return False
    # briefgen reads every value as text, but editors read numbers, booleans and null as such
    # and would flag them in a text field; a date is fine (date fields are text in the schema).
    return bool(children[0].value == text and children[0].tag in _TEXT_TAGS)


_TEXT_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"}


Comments = dict[tuple[str | int, ...], list[str]]  # path → comment lines written above it


def dump(data: dict[str, object], comments: Comments | None = None) -> str:
    """YAML for nested dicts, lists and strings, block style, with comments above given paths
    (a key, or a list item by index). Lists named `columns` and lists inside lists are written
    as flow lists (`[a, b]`), as tables are in the examples."""
    lines: list[str] = []
    _mapping(data, (), 0, lines, comments or {}, list_item=False)
    return "\n".join(lines) + "\n"


def _mapping(
    mapping: dict[str, object],
    path: tuple[str | int, ...],
    indent: int,
    lines: list[str],
    comments: Comments,
    *,
    list_item: bool,
) -> None:
    for number, (key, value) in enumerate(mapping.items()):
        if not path and number:
            lines.append("")  # a blank line between top-level parts, as people write them
        first_of_item = list_item and number == 0
        if not first_of_item:
            lines.extend(" " * indent + f"# {c}" for c in comments.get((*path, key), []))
        lead = " " * (indent - 2) + "- " if first_of_item else " " * indent
        _value(f"{lead}{key}:", value, (*path, key), indent, lines, comments)


def _value(
    prefix: str,
    value: object,
    path: tuple[str | int, ...],
    indent: int,
    lines: list[str],
    comments: Comments,
) -> None:
    if isinstance(value, str):
        lines.extend(scalar(prefix, value, indent + 2))
        return
    if isinstance(value, dict):
        lines.append(prefix)
        _mapping(value, path, indent + 2, lines, comments, list_item=False)
        return
    if not isinstance(value, list):
        raise TypeError(f"cannot write {type(value).__name__} at {path}")
    if path[-1] == "columns":
        lines.extend(flow_list(prefix, [str(v) for v in value]))
        return
    lines.append(prefix)
    pad = " " * (indent + 2)
    for index, item in enumerate(value):
        item_path = (*path, index)
        lines.extend(f"{pad}# {c}" for c in comments.get(item_path, []))
        if isinstance(item, dict):
            _mapping(item, item_path, indent + 4, lines, comments, list_item=True)
        elif isinstance(item, list):
            lines.extend(flow_list(f"{pad}-", [str(v) for v in item]))
        else:
            lines.extend(scalar(f"{pad}-", str(item), indent + 4))
