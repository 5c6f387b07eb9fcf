"""Load YAML safely into plain data plus a source map that remembers every key's line and column.

Scalars are kept as the text the person wrote (`10:30` stays "10:30", `no` stays "no"): the
model decides what a field means, so YAML 1.1's surprises (sexagesimal numbers, the Norway
problem) never silently change a value. Duplicate keys, tabs, aliases beyond a small budget,
unknown tags, oversized and non-UTF-8 files are errors with a position.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefgen.characters import FORBIDDEN, forbidden_message
from briefgen.errors import Diagnostic, InputError, Location

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ALIASES = 50
MAX_NODES = 200_000
# One text value at most: reportlab's line breaking is quadratic in a paragraph's words (its
# breakLines pops words from the front of a list), so a 1 MB paragraph took 10 s even with the
# PDF writer's per-page work made linear; 100,000 characters (some 30 pages) lays out in < 1 s.
MAX_TEXT_CHARS = 100_000

KeyPath = tuple[str | int, ...]


def format_path(path: KeyPath) -> str:
    """`key_points[2].text`: a key path as a person reads it."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(top level)"


# libyaml's parser when PyYAML was built with it: the same safe composer, about 10x faster.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:value",
}


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class SourceMap:
    """Where each key and value of a file is, by key path such as ('key_points', 2, 'text')."""

    file: str
    text: str
    keys: dict[KeyPath, Position] = field(default_factory=dict)
    values: dict[KeyPath, Position] = field(default_factory=dict)

    def location(self, path: KeyPath, *, key: bool = False) -> Location:
        """The best location for a path: the exact key or value, else the nearest parent."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            pos = table.get(probe) or self.values.get(probe)
            if pos is not None:
                return Location(self.file, pos.line, pos.column)
            probe = probe[:-1]
        pos = self.values.get(())
        return Location(self.file, pos.line if pos else 1, pos.column if pos else 1)

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


@dataclass(frozen=True)
class LoadedYaml:
    data: Any
    source: SourceMap


def read_text(path: Path, display_name: str | None = None) -> str:
    """Read a file as UTF-8 (BOM accepted); refuse binary, oversized and mis-encoded files."""
    name = display_name or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"file not found: {name}", hint="check the path") from None
    except IsADirectoryError:
        raise InputError(f"{name} is a folder, not a YAML file") from None
    except OSError as exc:
        raise InputError(f"cannot read {name}: {exc.strerror}") from None
    return decode_text(raw, name)


def decode_text(raw: bytes, name: str) -> str:
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(
            f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}",
            location=Location(name),
            hint="a meeting file is text of a few kilobytes; is this the right file?",
        )
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        raise InputError(
            "file contains NUL bytes: this looks like a binary file, not YAML text",
            location=Location(name, line),
            hint="save the meeting file as plain UTF-8 text",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before.split(b"\n")[-1].decode("utf-8", "replace")) + 1
        raise InputError(
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x} cannot be decoded)",
            location=Location(name, line, column),
            hint="save the file as UTF-8; in most editors: 'Save with encoding' → UTF-8",
        ) from None


def load_yaml_file(path: Path, display_name: str | None = None) -> LoadedYaml:
    name = display_name or str(path)
    return load_yaml_text(read_text(path, name), name)


def load_yaml_text(text: str, name: str) -> LoadedYaml:
    """Parse YAML text into plain data (dicts, lists, str, None) and its source map."""
    source = SourceMap(file=name, text=text)
    _check_raw_characters(text, name)
    try:
        node = yaml.compose(text, Loader=_SAFE_LOADER)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, name, text) from None
    except yaml.YAMLError as exc:  # pragma: no cover - PyYAML marks nearly every error
        raise InputError(f"YAML error: {exc}", location=Location(name)) from None
    if node is None:
        return LoadedYaml({}, source)
    builder = _Builder(source)
    data = builder.build(node, ())
    if builder.diagnostics:
        raise InputError(builder.diagnostics[0].message, diagnostics=builder.diagnostics)
    return LoadedYaml(data, source)


def _check_raw_characters(text: str, name: str) -> None:
    """Characters no brief can carry, written raw into the file: all of them, at their place."""
    diagnostics = []
    for match in FORBIDDEN.finditer(text):
        before = text[: match.start()]
        line = before.count("\n") + 1
        column = match.start() - (before.rfind("\n") + 1) + 1
        message, hint = forbidden_message(match.group())
        diagnostics.append(Diagnostic(message, Location(name, line, column), hint))
        if len(diagnostics) >= _MAX_REPORTED:
            break
    if diagnostics:
        raise InputError(diagnostics[0].message, diagnostics=diagnostics)


_MAX_REPORTED = 20  # a binary-looking file would otherwise give thousands of lines
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
_SHORT_ESCAPES = {
    "0": "\x00",
    "a": "\x07",
    "b": "\x08",
    "v": "\x0b",
    "f": "\x0c",
    "e": "\x1b",
    "N": "\x85",
}


def _escape_offset(raw: str, char: str) -> int | None:
    """Where in a double-quoted scalar's source the escape that makes `char` starts."""
    for match in _ESCAPE.finditer(raw):
        code = match.group(1)
        if code[0] in "xuU" and len(code) > 1:
            value = chr(int(code[1:], 16))
        else:
            value = _SHORT_ESCAPES.get(code, "")
        if value == char:
            return match.start()
    return None


def _syntax_error(exc: yaml.MarkedYAMLError, name: str, text: str) -> InputError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    column = mark.column + 1 if mark else None
    problem = exc.problem or "invalid YAML"
    hint = "check indentation and quoting around this place"
    lines = text.split("\n")
    source_line = lines[line - 1] if line is not None and 0 < line <= len(lines) else ""
    indentation = source_line[: len(source_line) - len(source_line.lstrip(" \t"))]
    if "\t" in indentation:
        problem = "a tab character is used for indentation; YAML allows only spaces"
        hint = "replace the tab with spaces (most editors: 'convert indentation to spaces')"
    elif "\t" in source_line:
        problem = f"{problem} (the line contains a tab; YAML indentation must use spaces)"
        hint = "replace tabs with spaces"
    elif line is not None and (
        "mapping values are not allowed" in problem or "did not find expected key" in problem
    ):
        over = _over_indented(lines, line)
        if over is not None:
            return over_indented(name, line, *over)
        if "mapping values" in problem:
            hint = "a value containing ': ' must be quoted, e.g. title: \"Talks: day one\""
    return InputError(
        f"YAML syntax error: {problem}", location=Location(name, line, column), hint=hint
    )


_KEY_LINE = re.compile(r"^(?P<indent> *)(?:- +)?(?P<key>[^\s:#][^:#]*?) *:(?: |$)")


def _over_indented(lines: list[str], number: int) -> tuple[int, str, int, str] | None:
    """(indent, key, line, key above) when line `number` is a key indented under a key that
    already has a value on its own line: YAML then reads it as part of that value."""
    if not 0 < number <= len(lines):
        return None
    here = _KEY_LINE.match(lines[number - 1])
    if here is None:
        return None
    for above_number in range(number - 1, 0, -1):
        text = lines[above_number - 1]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        above = _KEY_LINE.match(text)
        has_value = above is not None and text[above.end() :].strip() not in ("", "|", ">")
        if above is None or not has_value or len(above["indent"]) >= len(here["indent"]):
            return None
        return len(here["indent"]), here["key"], above_number, above["key"]
    return None


def over_indented(
    name: str, number: int, indent: int, key: str, above_number: int, above: str
) -> InputError:
    return InputError(
        f"`{key}:` is indented more than `{above}:` on line {above_number}, so YAML reads it "
        f"as part of that value",
        location=Location(name, number, indent + 1),
        hint=f"line `{key}:` up with `{above}:` (same number of spaces), or quote a value "
        "that contains ': '",
    )


class _Builder:
    """Turns a composed node graph into plain data, recording positions and finding problems."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.diagnostics: list[Diagnostic] = []
        self.visited: set[int] = set()
        self.alias_uses = 0
        self.nodes = 0

    def _error(self, node: yaml.Node, message: str, hint: str | None = None) -> None:
        mark = node.start_mark
        loc = Location(self.source.file, mark.line + 1, mark.column + 1)
        self.diagnostics.append(Diagnostic(message, loc, hint))

    def _check_characters(self, node: yaml.ScalarNode) -> None:
        """A character no brief can carry, made by an escape (`"\\v"`): at that escape."""
        found = FORBIDDEN.search(node.value)
        if found is None:
            return
        message, hint = forbidden_message(found.group())
        start, end = node.start_mark, node.end_mark
        lines = self.source.text.splitlines(keepends=True)
        offset_of_line = [0]
        for text in lines:
            offset_of_line.append(offset_of_line[-1] + len(text))
        first = offset_of_line[min(start.line, len(lines))] + start.column
        last = offset_of_line[min(end.line, len(lines))] + end.column
        offset = _escape_offset(self.source.text[first:last], found.group())
        line, column = start.line + 1, start.column + 1
        if offset is not None:
            before = self.source.text[: first + offset]
            line = before.count("\n") + 1
            column = first + offset - (before.rfind("\n") + 1) + 1
        self.diagnostics.append(Diagnostic(message, Location(self.source.file, line, column), hint))

    def build(self, node: yaml.Node, path: KeyPath) -> Any:
        self.nodes += 1
        # PyYAML hands back the anchored node itself for every alias, so a node seen twice is an
        # alias use; a small budget and a node cap stop "billion laughs" expansion early.
        if id(node) in self.visited:
            self.alias_uses += 1
        self.visited.add(id(node))
        if self.alias_uses > MAX_ALIASES or self.nodes > MAX_NODES:
            self._error(
                node,
                f"too many aliases or values (limits: {MAX_ALIASES} aliases, {MAX_NODES:,} values)",
                "write the values out instead of repeating anchors",
            )
            raise InputError(self.diagnostics[-1].message, diagnostics=self.diagnostics)
        mark = node.start_mark
        self.source.values.setdefault(path, Position(mark.line + 1, mark.column + 1))
        if node.tag not in _STANDARD_TAGS:
            self._error(node, f"YAML tag {node.tag!r} is not allowed", "remove the tag")
            return None
        if isinstance(node, yaml.ScalarNode):
            if node.tag == "tag:yaml.org,2002:null":
                return None
            self._check_characters(node)
            if len(node.value) > MAX_TEXT_CHARS:
                self._error(
                    node,
                    f"this text is {len(node.value):,} characters long; the limit for one "
                    f"value is {MAX_TEXT_CHARS:,}",
                    "split it into several items or sections",
                )
            return node.value
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        self._error(node, "unsupported YAML node")  # pragma: no cover
        return None

    def _mapping(self, node: yaml.MappingNode, path: KeyPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_seen: dict[str, yaml.Node] = {}
        for key_node, value_node in self._pairs(node):
            if not isinstance(key_node, yaml.ScalarNode):
                self._error(key_node, "a key must be plain text, not a list or mapping")
                continue
            key = key_node.value
            self._check_characters(key_node)
            if key in first_seen:
                earlier = first_seen[key].start_mark.line + 1
                self._error(
                    key_node,
                    f"duplicate key {key!r} (first defined on line {earlier})",
                    "YAML keeps only the last value of a duplicated key; merge them or rename one",
                )
                continue
            first_seen[key] = key_node
            kmark = key_node.start_mark
            key_path = (*path, key)
            self.source.keys[key_path] = Position(kmark.line + 1, kmark.column + 1)
            result[key] = self.build(value_node, key_path)
        return result

    def _pairs(self, node: yaml.MappingNode) -> Iterator[tuple[yaml.Node, yaml.Node]]:
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._error(key_node, "merge keys (<<) are not supported", "write the keys out")
                continue
            yield key_node, value_node
