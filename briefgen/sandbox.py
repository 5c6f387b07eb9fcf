"""The template sandbox: which files a template may load, and how much work it may ask for.

Templates come from folders a user controls, so they are treated like any other hostile input:
every template file resolves (links followed) inside the folder it was found in, a template
cannot load itself, and ranges, repetition, concatenation, macro depth and output size are all
capped, so a template cannot hang the machine or fill its memory.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import Context, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment

from briefgen.confine import resolve_inside

# `{% extends "builtin:staff.md.j2" %}`: the built-in of that name, never the user's own.
BUILTIN_PREFIX = "builtin:"
TEMPLATE_SUFFIX = ".j2"

MAX_RANGE = 10_000  # items in one range(): a brief has tens of items, not thousands
MAX_TEXT = 16 * 1024 * 1024  # characters a template may output, or build into one value
MAX_CALL_DEPTH = 64  # macros calling macros: deeper is a macro that calls itself for ever
MAX_POWER_BITS = 4096  # size of the result of `**`


class TemplateRefused(Exception):
    """A template asked for a file it may not read or for more than the limits allow.

    Raised inside rendering, so the innermost template frame of its traceback is the line that
    asked; `TemplateSet.render` turns it into a TemplateError there.
    """

    def __init__(self, message: str, hint: str | None = None, file: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.file = file  # the template file itself, for a refusal before any template runs


class ConfinedLoader(jinja2.BaseLoader):
    """Templates from a search path (user folders first, the built-ins last), each resolved with
    its links followed and refused unless it lies inside the folder it was found in."""

    def __init__(self, folders: Sequence[Path], builtin: Path) -> None:
        self.folders = tuple(Path(f) for f in folders)
        self.builtin = Path(builtin)

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        folders: Iterable[Path] = self.folders
        name = template
        if template.startswith(BUILTIN_PREFIX):
            name, folders = template[len(BUILTIN_PREFIX) :], (self.builtin,)
        pieces = jinja2.loaders.split_template_path(name)  # refuses `..` with TemplateNotFound
        if not pieces:
            raise jinja2.TemplateNotFound(template)
        for folder in folders:
            candidate = folder.joinpath(*pieces)
            if not candidate.is_file():
                continue
            if resolve_inside(candidate, [folder]) is None:
                raise TemplateRefused(
                    f"template {template!r} ({candidate}) is a link to {candidate.resolve()}, "
                    f"outside its template folder {folder}",
                    hint="a template file must lie inside its template folder; copy the file "
                    "there instead of linking to it",
                    file=str(candidate),
                )
            return _read(candidate, template)
        raise jinja2.TemplateNotFound(template)

    def list_templates(self) -> list[str]:
        """Every template name on the search path (each once), for messages and listings."""
        found: set[str] = set()
        for folder in self.folders:
            for root, _dirs, files in os.walk(folder):
                for file in files:
                    path = Path(root, file)
                    if file.endswith(TEMPLATE_SUFFIX) and resolve_inside(path, [folder]):
                        found.add(path.relative_to(folder).as_posix())
        return sorted(found)


def _read(path: Path, template: str) -> tuple[str, str, Callable[[], bool]]:
    try:
        mtime = path.stat().st_mtime_ns
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise TemplateRefused(
            f"template {template!r} is not UTF-8 text: {exc.reason}",
            hint="save the template as UTF-8",
            file=str(path),
        ) from None
    except OSError as exc:
        raise TemplateRefused(
            f"template {template!r} cannot be read: {exc.strerror}", file=str(path)
        ) from None

    def uptodate() -> bool:
        try:
            return path.stat().st_mtime_ns == mtime
        except OSError:
            return False

    return source, str(path), uptodate


def _range(*args: int) -> range:
    result = range(*args)
    if len(result) > MAX_RANGE:
        raise TemplateRefused(
            f"range() of {len(result):,} items; the limit is {MAX_RANGE:,}",
            hint="loop over the meeting's own lists instead",
        )
    return result


def _check_size(value: Any) -> Any:
    if isinstance(value, (str, list, tuple)) and len(value) > MAX_TEXT:
        _too_big(len(value))
    return value


def _too_big(size: int) -> None:
    raise TemplateRefused(
        f"the template built a value of {size:,} items or characters; the limit is {MAX_TEXT:,}"
    )


def _expected_size(left: Any, right: Any) -> int:
    """How long `left * right` would be, for a sequence times a count (0 for numbers)."""
    for seq, count in ((left, right), (right, left)):
        if isinstance(seq, (str, list, tuple)) and isinstance(count, int):
            return len(seq) * count
    return 0


class _LimitedCodeGenerator(CodeGenerator):
    """Compiles `a ~ b` through the environment, so concatenation is size-checked too."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class LimitedEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with briefgen's limits (see the module constants)."""

    code_generator_class = _LimitedCodeGenerator
    intercepted_binops = frozenset({"+", "*", "**"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.globals["range"] = _range
        self._depth = threading.local()  # one Project may render on several threads

    def concat(self, values: Iterable[Any]) -> str:
        return str(_check_size("".join(map(str, values))))

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*" and _expected_size(left, right) > MAX_TEXT:
            _too_big(_expected_size(left, right))  # refused before the memory is taken
        if (
            operator == "**"
            and isinstance(left, int)
            and isinstance(right, int)
            and abs(left) > 1
            and right * abs(left).bit_length() > MAX_POWER_BITS
        ):
            raise TemplateRefused(f"{left} ** {right} is too large a number")
        return _check_size(super().call_binop(context, operator, left, right))

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if not isinstance(__obj, Macro):
            return super().call(__context, __obj, *args, **kwargs)
        depth = getattr(__self._depth, "value", 0)
        if depth >= MAX_CALL_DEPTH:
            raise TemplateRefused(
                f"macro {__obj.name!r} is called more than {MAX_CALL_DEPTH} levels deep",
                hint="a macro that calls itself needs a condition that stops it",
            )
        __self._depth.value = depth + 1
        try:
            return super().call(__context, __obj, *args, **kwargs)
        finally:
            __self._depth.value = depth

    def join_path(self, template: str, parent: str) -> str:
        # Called for every extends/include/import from inside a template: a template that
        # loads itself would recurse until Python gives up.
        if template == parent:
            raise TemplateRefused(
                f"template {template!r} loads itself",
                hint=f"to change part of the built-in {template}, write "
                f'{{% extends "{BUILTIN_PREFIX}{template}" %}} and override its blocks',
            )
        return template


def render_limited(template: jinja2.Template, context: dict[str, Any]) -> str:
    """Render, stopping as soon as the output passes MAX_TEXT characters."""
    size = 0
    chunks: list[str] = []
    for chunk in template.generate(context):
        size += len(chunk)
        if size > MAX_TEXT:
            raise TemplateRefused(
                f"the template's output passed {MAX_TEXT:,} characters",
                hint="a brief's markup is far smaller; look for a loop that repeats without end",
            )
        chunks.append(chunk)
    return "".join(chunks)
