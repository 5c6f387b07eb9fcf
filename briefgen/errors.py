"""One error hierarchy for every stage: each problem carries where it is and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass

# Exit codes scripts can rely on (documented in the README).
EXIT_OK = 0
EXIT_INVALID_INPUT = 1
EXIT_USAGE = 2


@dataclass(frozen=True)
class Location:
    """A place in a source file; line and column are 1-based, None when unknown."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


_SHOWN = 120  # characters of a source line an error shows


@dataclass(frozen=True)
class Diagnostic:
    """One finding: what is wrong, where, and a hint on how to fix it."""

    message: str
    location: Location | None = None
    hint: str | None = None
    severity: str = "error"

    def format(self, source_lines: list[str] | None = None) -> str:
        """Render as `file:line:col: error: message`, the source line with a caret, and a hint."""
        prefix = f"{self.location}: " if self.location else ""
        lines = [f"{prefix}{self.severity}: {self.message}"]
        loc = self.location
        if source_lines and loc and loc.line and 0 < loc.line <= len(source_lines):
            text = source_lines[loc.line - 1].rstrip("\n")
            column = (loc.column or 1) - 1
            # A very long line (a huge value) is shown as a window around the column.
            start = max(0, column - 40) if len(text) > _SHOWN else 0
            shown = text[start : start + _SHOWN]
            lead, tail = ("…" if start else ""), ("…" if start + _SHOWN < len(text) else "")
            lines.append(f"    {lead}{shown}{tail}")
            if loc.column:
                lines.append("    " + " " * (column - start + len(lead)) + "^")
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)


class FieldError(ValueError):
    """A field validator's ValueError that also says how to fix it (shown as the hint).

    `at` points below the field, e.g. at one key of a mapping (`("headng",)`), so the error
    is reported at that key's line rather than the field's.
    """

    def __init__(
        self, message: str, hint: str | None = None, at: tuple[str | int, ...] = ()
    ) -> None:
        super().__init__(message)
        self.hint = hint
        self.at = at


class BriefgenError(Exception):
    """Base of every error briefgen reports to a person; never shown as a traceback."""

    exit_code = EXIT_INVALID_INPUT

    def __init__(
        self,
        message: str,
        *,
        location: Location | None = None,
        hint: str | None = None,
        diagnostics: list[Diagnostic] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint
        self.diagnostics: list[Diagnostic] = diagnostics or [Diagnostic(message, location, hint)]

    def __str__(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)


class InputError(BriefgenError):
    """The input file cannot be read as YAML: encoding, syntax, duplicate keys, limits."""


class ValidationError(BriefgenError):
    """The YAML is well formed but does not describe a valid meeting (all issues at once)."""


class AudienceError(BriefgenError):
    """Unknown audience, or a clearance/marking configuration that does not make sense."""


class TemplateError(BriefgenError):
    """A template failed to load or render; the location points into the template."""


class MarkupError(BriefgenError):
    """The rendered markup uses a construct briefgen does not support."""


class ThemeError(BriefgenError):
    """A theme file is invalid or names a font or file that cannot be used."""


class WriterError(BriefgenError):
    """A writer could not produce the output file."""


class ArchiveError(BriefgenError):
    """The archive folder cannot be written as asked (locked, a name taken, not writable)."""


class UsageError(BriefgenError):
    """The command line itself is wrong."""

    exit_code = EXIT_USAGE
