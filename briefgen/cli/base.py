"""The command line's frame: the `briefgen` group, diagnostics printed once, exit codes, and the
options several commands share. Commands live in the modules beside this one.

Exit codes: 0 success, 1 invalid input (other inputs of the same call are still processed),
2 usage error. Pipeline modules are imported inside commands so `briefgen --help` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from briefgen import __version__
from briefgen.errors import EXIT_OK, BriefgenError

if TYPE_CHECKING:
    from briefgen.errors import Diagnostic


# The module (beside this one) that defines each command. A command's module is imported when
# the command is looked up (to run it, or for `--help` to list it), so `briefgen build` does
# not load the archive's, the preview's or the authoring commands (click's documented
# lazy-loading pattern); tests/test_cli.py checks this map against the commands the modules
# define.
COMMAND_MODULES = {
    **dict.fromkeys(("build", "pack", "validate", "dump", "audiences"), "building"),
    **dict.fromkeys(("lint", "schema", "new", "import", "templates"), "authoring"),
    **dict.fromkeys(("archive", "verify"), "archiving"),
    **dict.fromkeys(("redline", "preview"), "review"),
    "server": "serving",
}


class LazyGroup(click.Group):
    """The `briefgen` group: its commands' modules imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            # An unknown name loads every command, so click's "Did you mean …?" sees them all.
            modules = (
                [COMMAND_MODULES[cmd_name]]
                if cmd_name in COMMAND_MODULES
                else COMMAND_MODULES.values()
            )
            for module in sorted(set(modules)):
                import_module(f"briefgen.cli.{module}")  # registers its commands on main
        return super().get_command(ctx, cmd_name)


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "-V", "--version", prog_name="briefgen")
def main() -> None:
    """Build briefing documents (DOCX and PDF) from YAML meeting files."""


def report(error: BriefgenError) -> None:
    """Print every diagnostic of an error to stderr, with the offending source line."""
    for diagnostic in error.diagnostics:
        click.echo(_format(diagnostic), err=True)


def _format(diagnostic: Diagnostic) -> str:
    lines: list[str] | None = None
    loc = diagnostic.location
    if loc and loc.line and Path(loc.file).is_file():
        try:
            # A file that is not UTF-8 still shows its line (bad bytes as U+FFFD, one column
            # each, so the caret stays under the bad byte); a binary file shows none.
            text = Path(loc.file).read_text(encoding="utf-8-sig", errors="replace")
            # Split at line feeds only, as the loader counts lines (str.splitlines also
            # splits at a vertical tab or form feed, which would shift every later line).
            lines = None if "\x00" in text else text.replace("\r\n", "\n").split("\n")
        except OSError:
            lines = None
    text = diagnostic.format(lines)
    if sys.stderr.isatty():
        text = text.replace(": error:", ": " + click.style("error:", fg="red", bold=True), 1)
    return text


def run_each(inputs: Iterable[str], action: Callable[[str], None]) -> int:
    """Run an action per input, reporting errors and carrying on; the worst exit code wins."""
    status = EXIT_OK
    for input_path in inputs:
        try:
            action(input_path)
        except BriefgenError as error:
            report(error)
            status = max(status, error.exit_code)
    return status


def run_many(results: Iterable[tuple[str, Any]], total: int, label: str) -> int:
    """Report parallel outcomes as they arrive, in input order: written paths on stdout,
    diagnostics on stderr, and progress on stderr (a bar on a terminal, else a line per input,
    when there is more than one)."""
    status = EXIT_OK
    bar = None
    if total > 1 and sys.stderr.isatty():
        bar = click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True)
        bar.__enter__()
    # The bar redraws its line in place; anything printed to the same terminal clears it first.
    clear = "\r\x1b[K" if bar is not None and sys.stdout.isatty() else ""
    try:
        for done, (input_path, outcome) in enumerate(results, start=1):
            if outcome.error is not None:
                if bar is not None:
                    click.echo("\r\x1b[K", nl=False, err=True)
                report(outcome.error)
                status = max(status, outcome.error.exit_code)
            else:
                for warning in getattr(outcome.value, "warnings", ()):
                    click.echo(f"{clear}{warning.format()}", err=True)
                for path in outcome.value or ():
                    click.echo(f"{clear}{path}")
            if bar is not None:
                bar.update(1)
            elif total > 1:
                click.echo(f"[{done}/{total}] {input_path}", err=True)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    return status


INPUTS = click.argument("inputs", nargs=-1, required=True, type=click.Path(dir_okay=False))
JOBS = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Files to build at once, one process each (default: one per CPU).",
)
TEMPLATES = click.option(
    "--templates",
    "template_dirs",
    multiple=True,
    type=click.Path(file_okay=False, exists=True),
    help="A folder of templates and themes searched before the built-ins (repeatable).",
)
OUT = click.option(
    "-o",
    "--out",
    "out_dir",
    default="out",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Output folder.",
)
THEME = click.option(
    "--theme",
    default=None,
    help="Theme for every audience (themes/NAME.yaml; `briefgen templates` lists them).",
)
CONFIG = click.option(
    "--config",
    type=click.Path(dir_okay=False, exists=True),
    help="Project configuration (default: the nearest briefgen.yaml above the input).",
)
PDF_STANDARD = click.option(
    "--pdf-standard",
    metavar="LIST",
    help="PDF standards, comma separated: ua-1 (always) plus one of a-2a, a-3a, a-2b, a-3b.",
)
