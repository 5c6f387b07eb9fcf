"""Commands that help write input: lint, schema, new, import, templates."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefgen.cli.base import (
    CONFIG,
    INPUTS,
    TEMPLATES,
    main,
    run_each,
)
from briefgen.errors import EXIT_INVALID_INPUT, EXIT_OK

if TYPE_CHECKING:
    pass


@main.command()
@INPUTS
@click.option("--fix", is_flag=True, help="Apply the safe fixes (mojibake, spacing) in place.")
@click.option(
    "--words",
    "word_files",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True),
    help="A word list, one allowed word or name per line (repeatable); a .briefgen-words file "
    "next to each input is read too.",
)
def lint(inputs: tuple[str, ...], fix: bool, word_files: tuple[str, ...]) -> None:
    """Check the text of meeting files: encoding, spacing, case, articles, spelling.

    Prints FILE:LINE:COL: warning[CODE]: message (suggestion) and exits 1 if anything is found.
    """
    from briefgen.lint import fix_file, lint_file
    from briefgen.lint.fonts import font_lint_warnings

    words = tuple(Path(w) for w in word_files)
    found: list[int] = [0, 0]  # warnings, of which fixable

    def action(path: str) -> None:
        if fix:
            fixed = fix_file(Path(path), path, words)
            if fixed:
                click.echo(f"{path}: fixed {fixed} problem(s)", err=True)
        warnings = lint_file(Path(path), path, words)
        warnings += font_lint_warnings(Path(path), path)
        for warning in warnings:
            click.echo(warning.format())
            found[0] += 1
            found[1] += warning.fixable

    status = run_each(inputs, action)
    if found[0]:
        fixable = f", {found[1]} fixable with --fix" if found[1] else ""
        click.echo(f"{found[0]} warning(s){fixable}", err=True)
    sys.exit(max(status, EXIT_INVALID_INPUT if found[0] else EXIT_OK))


@main.command("schema")
@click.argument("kind", default="meeting", metavar="[meeting|theme|pack|config]")
def schema_command(kind: str) -> None:
    """Print the JSON Schema of a file kind (default: meeting files), for editors."""
    from briefgen.schema import SCHEMAS, schema_text

    if kind not in SCHEMAS:
        raise click.BadParameter(f"{kind!r}; choose from {', '.join(SCHEMAS)}", param_hint="KIND")
    click.echo(schema_text(kind), nl=False)


@main.command("new")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "-a",
    "--audience",
    default="staff",
    show_default=True,
    help="The audience the skeleton's comments are written for.",
)
def new_command(file: str, audience: str) -> None:
    """Write a commented skeleton meeting file that validates as written; never overwrites."""
    import datetime as dt

    from briefgen.scaffold import create_meeting_file

    def action(path: str) -> None:
        create_meeting_file(Path(path), audience, dt.date.today())
        click.echo(path)

    sys.exit(run_each([file], action))


@main.command("import")
@click.argument("release", type=click.Path(dir_okay=False))
def import_command(release: str) -> None:
    """Turn a plain-text press release or note into a meeting file, printed to stdout.

    Guesses are marked with `# check:` comments: e.g. briefgen import release.txt > meeting.yaml
    """
    import datetime as dt

    from briefgen.importer import import_release
    from briefgen.loader import read_text

    def action(path: str) -> None:
        text = read_text(Path(path), path)
        click.echo(import_release(text, Path(path).name, dt.date.today()), nl=False)

    sys.exit(run_each([release], action))


@main.group("templates", invoke_without_command=True)
@TEMPLATES
@CONFIG
@click.pass_context
def templates_command(
    ctx: click.Context, template_dirs: tuple[str, ...], config: str | None
) -> None:
    """List the templates and themes: the built-ins, and yours (marking which override one).

    Customise by copying one: briefgen templates copy staff.md.j2 my-templates
    """
    if ctx.invoked_subcommand is not None:
        return
    from briefgen.config import find_config, load_config
    from briefgen.customise import entries

    def action(_: str) -> None:
        loaded = load_config(Path(config) if config else find_config(Path.cwd()))
        folders = (*(Path(d) for d in template_dirs), *loaded.template_dirs())
        kind = ""
        for entry in entries(tuple(folders)):
            if entry.kind != kind:
                kind = entry.kind
                click.echo(f"{kind}s:")
            where = (
                "built-in"
                if entry.builtin
                else f"{entry.folder}" + (" (overrides the built-in)" if entry.overrides else "")
            )
            click.echo(f"  {entry.name:<24} {where}")

    sys.exit(run_each(["."], action))


@templates_command.command("copy")
@click.argument("name")
@click.argument("folder", default="templates", type=click.Path(file_okay=False))
def templates_copy(name: str, folder: str) -> None:
    """Copy the built-in template or theme NAME (with the templates it extends and imports, or
    the theme's files) into FOLDER (default: templates), to edit; never overwrites a file."""
    from briefgen.customise import copy_builtin

    def action(_: str) -> None:
        copied = copy_builtin(name, Path(folder))
        for path in copied.written:
            click.echo(str(path))
        for path in copied.kept:
            click.echo(f"{path}: exists, kept as it is", err=True)
        click.echo(
            f"use it with --templates {folder} (or `templates: [{folder}]` in briefgen.yaml)",
            err=True,
        )

    sys.exit(run_each([name], action))


if __name__ == "__main__":  # pragma: no cover
    main()
