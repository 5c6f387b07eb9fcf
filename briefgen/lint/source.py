"""Where each character of a meeting file's text values is in the YAML source, for lint and --fix.

PyYAML tells where a scalar starts and ends but not where each of its characters came from: block
scalars drop indentation, folded and plain scalars turn line breaks into spaces, quoted scalars
have escapes. `align` walks the parsed value and the raw text side by side to recover an offset
for every character, and marks which characters are written literally (so --fix may edit them).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from briefgen.loader import KeyPath

_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # the breaks PyYAML counts as lines
_RAW_SPACE = " \t\r\n\x85\u2028\u2029\ufeff"
_ESCAPE_LENGTH = {"x": 4, "u": 6, "U": 10}
# libyaml's parser when PyYAML has it (10x faster); its marks are the same character offsets.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class TextValue:
    """One text value of the file, where it is, and how the person wrote it."""

    path: KeyPath
    text: str
    kind: str  # "plain" (shown as written) or "markdown" (rich text)
    style: str | None  # the YAML scalar style: None (plain), "'", '"', "|" or ">"
    offsets: tuple[int, ...]  # file offset of each character of `text`, then of its end
    exact: tuple[bool, ...]  # whether that character is written literally at its offset

    def span_is_literal(self, start: int, end: int) -> bool:
        """True when text[start:end] appears unchanged and contiguous in the file (safe to edit)."""
        if end <= start:
            return False
        if not all(self.exact[start:end]):
            return False
        return all(self.offsets[k + 1] == self.offsets[k] + 1 for k in range(start, end - 1))


class LineIndex:
    """Turns an offset in a text into a 1-based line and column, counting lines as PyYAML does."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset) - 1
        return line + 1, offset - self.starts[line] + 1


def collect_text_values(text: str, schema: dict[str, Any]) -> list[TextValue]:
    """Every scalar of a (valid) file that the schema marks as text, in file order."""
    node = yaml.compose(text, Loader=_SAFE_LOADER)
    if node is None:
        return []
    return list(_walk(node, schema, schema, (), text))


def _walk(
    node: yaml.Node, schema: dict[str, Any], root: dict[str, Any], path: KeyPath, raw: str
) -> Iterator[TextValue]:
    schema = _pick(_resolve(schema, root), node, root)
    if isinstance(node, yaml.MappingNode):
        properties = schema.get("properties", {})
        for key_node, value_node in node.value:
            key = key_node.value
            if isinstance(key, str) and key in properties:
                yield from _walk(value_node, properties[key], root, (*path, key), raw)
    elif isinstance(node, yaml.SequenceNode):
        items = schema.get("items", {})
        for index, child in enumerate(node.value):
            yield from _walk(child, items, root, (*path, index), raw)
    elif isinstance(node, yaml.ScalarNode):
        kind = schema.get("x-briefgen-text")
        style = node.style or None  # libyaml says "" for plain, PyYAML None
        if kind and node.value and not (style is None and node.tag.endswith(":null")):
            start, end = node.start_mark.index, node.end_mark.index
            offsets, exact = align(raw, start, end, style, node.value)
            yield TextValue(path, node.value, kind, style, tuple(offsets), tuple(exact))


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        schema = target
    return schema


def _pick(schema: dict[str, Any], node: yaml.Node, root: dict[str, Any]) -> dict[str, Any]:
    """The member of an anyOf that fits the node's shape (text, list or mapping)."""
    if "anyOf" not in schema or "type" in schema:  # anyOf beside a type only adds conditions
        return schema
    kinds: dict[type[yaml.Node], str] = {yaml.MappingNode: "object", yaml.SequenceNode: "array"}
    wanted = kinds.get(type(node), "string")
    for member in schema["anyOf"]:
        member = _resolve(member, root)
        member = _pick(member, node, root) if "anyOf" in member else member
        types = member.get("type")
        if wanted == types or (isinstance(types, list) and wanted in types):
            return member
    return {}


def align(
    raw: str, start: int, end: int, style: str | None, value: str
) -> tuple[list[int], list[bool]]:
    """Offsets in `raw` of each character of a scalar's value (plus its end), and which are literal.

    Only whitespace (indentation, folding), quote doubling and escapes differ between the value
    and its source, so every other character is matched exactly; a whitespace character that
    folding produced gets the offset of the source whitespace it came from.
    """
    j = _content_start(raw, start, style)
    # A block scalar's indentation is not content, but spaces beyond it are, so skip exactly it.
    indent = _block_indent(raw, j, end) if style in ("|", ">") else 0
    line_start_done = -1
    offsets: list[int] = []
    exact: list[bool] = []
    for char in value:
        while True:
            if indent and j != line_start_done and (j == 0 or raw[j - 1] in "\r\n"):
                line_start_done = j = _skip_spaces(raw, j, min(end, j + indent))
            if j >= end:
                offsets.append(end)
                exact.append(False)
                break
            source = raw[j]
            if style == '"' and source == "\\":
                if raw[j + 1] in "\r\n":  # an escaped line break joins the lines: no character
                    j += 2 + (raw[j + 1 : j + 3] == "\r\n")
                    while j < end and raw[j] in " \t":
                        j += 1
                    continue
                offsets.append(j)
                exact.append(False)
                j += _ESCAPE_LENGTH.get(raw[j + 1], 2)
                break
            if style == "'" and char == "'" and raw.startswith("''", j):
                offsets.append(j)
                exact.append(False)
                j += 2
                break
            if source == char:
                offsets.append(j)
                exact.append(True)
                j += 1
                break
            if char.isspace() and source in _RAW_SPACE:  # a line break folded into a space
                offsets.append(j)
                exact.append(False)
                j += 1
                break
            if source in _RAW_SPACE:  # indentation or a folded break the value does not contain
                j += 1
                continue
            offsets.append(j)  # whitespace the folding rules added; or a surprise: point near it
            exact.append(False)
            break
    offsets.append(min(j, end))
    return offsets, exact


def _block_indent(raw: str, content: int, end: int) -> int:
    """The indentation of a block scalar: that of its first line that is not blank."""
    for line in raw[content:end].splitlines():
        if line.strip():
            return len(line) - len(line.lstrip(" "))
    return 0


def _skip_spaces(raw: str, j: int, limit: int) -> int:
    while j < limit and raw[j] == " ":
        j += 1
    return j


def _content_start(raw: str, start: int, style: str | None) -> int:
    if style in ("'", '"'):
        return start + 1
    if style in ("|", ">"):
        match = _LINE_BREAK.search(raw, start)  # the content starts on the line after the header
        return match.end() if match else len(raw)
    return start
