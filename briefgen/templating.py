"""Render a meeting through a sandboxed Jinja2 template into Markdown markup.

Every value a template prints is escaped for Markdown unless it is rich text (a `RichText`),
so names, titles and cells appear exactly as written and data is never evaluated as template
code. The context carries no output format: a template cannot branch on PDF versus DOCX.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import typing
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.runtime import BlockReference, Context, Macro
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from briefgen.errors import Location, TemplateError
from briefgen.sandbox import (
    BUILTIN_PREFIX,
    ConfinedLoader,
    LimitedEnvironment,
    TemplateRefused,
    render_limited,
)

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")


class Trusted(str):
    """Markup the template itself made (a macro's output, `super()`): printed as is."""

    __slots__ = ()


class RichText(Trusted):
    """Markdown from a rich-text field: printed as markup, not escaped."""

    __slots__ = ()


def escape_markdown(text: str) -> str:
    """Make plain text literal in Markdown: backslash-escape all ASCII punctuation, no newlines."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(text.splitlines()))


# Rich text is Markdown for paragraphs, emphasis, links and lists. Block syntax that would
# escape its field (a heading, a table row, a container fence) is made literal.
_RICH_BLOCK_SYNTAX = re.compile(r"(?m)^(\s*(?:[-*+]\s+|\d+[.)]\s+)*)(#|:::|\|)")


def sanitise_rich_text(text: str) -> str:
    text = text.replace("|", "\\|")
    return _RICH_BLOCK_SYNTAX.sub(lambda m: m.group(1) + "\\" + m.group(2), text).strip("\n")


def _finalize(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Trusted):
        return str(value)
    return escape_markdown(str(value))


def _indent(value: Any, width: int = 2) -> Any:
    """Indent continuation lines so multi-paragraph rich text stays inside its list item."""
    text = str(value)
    indented = ("\n" + " " * width).join(text.split("\n"))
    return RichText(indented) if isinstance(value, RichText) else indented


def to_context(value: Any) -> Any:
    """Plain data for templates: models → dicts, rich-text fields → RichText, text kept as is."""
    if isinstance(value, BaseModel):
        result: dict[str, Any] = {}
        for name, field in type(value).model_fields.items():
            item = getattr(value, name)
            if isinstance(item, str) and _is_rich_text(field):
                result[name] = RichText(sanitise_rich_text(item))
            else:
                result[name] = to_context(item)
        return result
    if isinstance(value, (list, tuple)):
        return [to_context(v) for v in value]
    return value


@lru_cache(maxsize=256)
def _is_rich_annotation(annotation: Any) -> bool:
    for arg in typing.get_args(annotation):
        extra = getattr(arg, "json_schema_extra", None)
        if isinstance(extra, dict) and extra.get("x-briefgen-text") == "markdown":
            return True
        if _is_rich_annotation(arg):
            return True
    return False


def _is_rich_text(field: FieldInfo) -> bool:
    """Whether a model field is Markdown (`RichText` in model.py), even inside `| None`."""
    extra = field.json_schema_extra
    if isinstance(extra, dict) and extra.get("x-briefgen-text") == "markdown":
        return True
    return _is_rich_annotation(field.annotation)  # type: ignore[arg-type]  # types are hashable


class TemplateSet:
    """A search path of template folders (user folders first, built-ins last) and its Jinja env.

    The last folder is the built-ins', which `builtin:NAME` reads from alone.
    """

    def __init__(
        self, folders: Sequence[Path], bytecode_cache: jinja2.BytecodeCache | None = None
    ) -> None:
        self.folders = tuple(folders)
        self.env = _environment(self.folders, bytecode_cache)

    def render(self, name: str, context: dict[str, Any]) -> str:
        try:
            template = self.env.get_template(name)
            return render_limited(template, context)
        except TemplateRefused as exc:
            where = _template_location(exc, None) or Location(exc.file or name)
            raise TemplateError(exc.message, location=where, hint=exc.hint) from None
        except RecursionError as exc:
            raise TemplateError(
                "template recursion too deep",
                location=_template_location(exc, name),
                hint="a template or macro that uses itself needs a condition that stops it; "
                f'to extend the built-in of the same name write {{% extends "{BUILTIN_PREFIX}'
                f'{name}" %}}',
            ) from None
        except jinja2.TemplateNotFound as exc:
            available = ", ".join(self.names()) or "(none)"
            raise TemplateError(
                f"template {exc.name!r} not found",
                location=_template_location(exc, None),
                hint=f"templates available: {available}; a name is relative to the template "
                f"folders, without ../ or a leading /",
            ) from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                f"template syntax error: {exc.message}",
                location=Location(exc.filename or exc.name or name, exc.lineno),
            ) from None
        except jinja2.UndefinedError as exc:
            raise TemplateError(
                f"template uses an undefined value: {exc.message}",
                location=_template_location(exc, name),
                hint="check the spelling of the variable; `briefgen dump --stage meeting` "
                "shows what templates can use",
            ) from None
        except jinja2.exceptions.SecurityError as exc:
            raise TemplateError(
                f"template tried an unsafe operation: {exc}",
                location=_template_location(exc, name),
                hint="templates may only read the meeting's data",
            ) from None
        except (TypeError, ValueError, AttributeError, ArithmeticError, MemoryError) as exc:
            raise TemplateError(
                f"template failed: {exc}", location=_template_location(exc, name)
            ) from None

    def names(self) -> list[str]:
        return sorted(n for n in self.env.list_templates() if n.endswith(".md.j2"))

    def locate(self, rendered_line: str) -> Location | None:
        """Where a line of rendered markup was written, when the templates hold it literally in
        exactly one place (a container fence, a fixed heading): errors found after rendering
        then point at the template's own line. None when it is not literal or not unique."""
        wanted = rendered_line.strip()
        if not wanted or self.env.loader is None:
            return None
        found: list[Location] = []
        for name in self.env.list_templates():
            if not name.endswith(".j2"):
                continue
            try:
                source, filename, _ = self.env.loader.get_source(self.env, name)
            except jinja2.TemplateNotFound:
                continue
            found.extend(
                Location(_display_path(filename or name), number)
                for number, line in enumerate(source.splitlines(), 1)
                if line.strip() == wanted
            )
        return found[0] if len(found) == 1 else None


@typing.overload
def _template_location(exc: BaseException, name: str) -> Location: ...
@typing.overload
def _template_location(exc: BaseException, name: None) -> Location | None: ...
def _template_location(exc: BaseException, name: str | None) -> Location | None:
    """The template file and line where a render error happened (else `name`'s, if given).

    Jinja rewrites tracebacks so that frames of template code carry the template's file name
    and line number; the innermost such frame is where the error is.
    """
    found = Location(name) if name is not None else None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = Location(_display_path(filename), tb.tb_lineno)
        tb = tb.tb_next
    return found


def _display_path(filename: str) -> str:
    path = Path(filename)
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


class _BriefEnvironment(LimitedEnvironment):
    """The sandbox, plus: what a macro or block returns is template markup, not data.

    Everything else a template prints is escaped, so data can only ever appear as text, even
    after filters or concatenation; a macro's output was already escaped value by value.
    """

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(__obj, (Macro, BlockReference)) and isinstance(result, str):
            return Trusted(result)
        return result


def _environment(
    folders: tuple[Path, ...], bytecode_cache: jinja2.BytecodeCache | None = None
) -> LimitedEnvironment:
    # One environment per TemplateSet (a Project owns one): auto_reload recompiles a template
    # whose file changed, so a long-lived process never renders a stale one.
    env = _BriefEnvironment(
        loader=ConfinedLoader(folders, folders[-1]),  # the last folder is the built-ins
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,
        bytecode_cache=bytecode_cache,  # briefgen.codecache: compiled code from earlier runs
    )
    env.filters["indent"] = _indent
    env.filters["date"] = _date_filter
    env.filters["first_paragraph"] = first_paragraph
    return env


def first_paragraph(value: Any) -> Any:
    """A rich text's first paragraph, still rich text (a page budget's shortened background)."""
    if not isinstance(value, str):
        return value
    first = re.split(r"\n[ \t]*\n", value.strip("\n"), maxsplit=1)[0]
    return type(value)(first) if isinstance(value, Trusted) else first


@jinja2.pass_context
def _date_filter(context: jinja2.runtime.Context, value: Any, style: str = "long") -> str:
    return format_date(value, str(context.get("language", "en")), style)


def format_date(value: Any, language: str = "en", style: str = "long") -> str:
    """`18 December 2024` in English, `18. decembar 2024.` in Bosnian, via Babel's CLDR data."""
    if not isinstance(value, dt.date):
        return str(value)
    from babel.dates import format_date as babel_format_date

    locale = _babel_locale(language)
    if getattr(value, "precision", "day") != "day":  # a month, quarter or year (dates.py)
        from briefgen.dates import format_period

        return _same_abbreviations(format_period(value, locale, style), locale)
    return _same_abbreviations(str(babel_format_date(value, format=style, locale=locale)), locale)


def _same_abbreviations(text: str, locale: str) -> str:
    # CLDR's British English abbreviates every month to three letters but September ("Sept"),
    # so a column of dates would not line up: every month gets three.
    return re.sub(r"\bSept\b", "Sep", text) if locale == "en_GB" else text


def _babel_locale(language: str) -> str:
    # Plain `en` would give American month-first dates; briefs are written day-first.
    normalised = language.replace("-", "_")
    return "en_GB" if normalised == "en" else normalised
