"""Commands for reviewing a brief: redline (what changed) and preview (in the browser)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from briefgen.cli.base import (
    CONFIG,
    OUT,
    TEMPLATES,
    main,
    report,
    run_each,
)
from briefgen.errors import BriefgenError, UsageError

if TYPE_CHECKING:
    pass


@main.command("redline")
@click.argument("sources", metavar="[OLD] NEW", nargs=-1, required=True)
@click.option(
    "--against",
    type=click.Path(exists=True),
    help="An archive folder (its latest version of the meeting) or an archived PDF, as OLD.",
)
@click.option(
    "-a",
    "--audience",
    "audiences",
    multiple=True,
    help="Audience to compare for (repeatable; default staff).",
)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["pdf", "docx"]),
    help="Output format (repeatable; default both).",
)
@OUT
@TEMPLATES
@CONFIG
@click.option(
    "--author", default="briefgen", show_default=True, help="Author of the DOCX tracked changes."
)
def redline_command(
    sources: tuple[str, ...],
    against: str | None,
    audiences: tuple[str, ...],
    formats: tuple[str, ...],
    out_dir: str,
    template_dirs: tuple[str, ...],
    config: str | None,
    author: str,
) -> None:
    """Mark what changed from OLD to NEW: DOCX tracked changes and a marked PDF, after a change
    summary. OLD is a meeting file, git:REV (NEW's path at a git revision) or --against.
    Prints each written path."""
    from briefgen.pipeline import BuildOptions
    from briefgen.redline import build_redline
    from briefgen.writers import FORMATS

    options = BuildOptions(
        audiences=audiences or ("staff",),
        formats=formats or FORMATS,
        out_dir=Path(out_dir),
        template_dirs=tuple(Path(d) for d in template_dirs),
        config=Path(config) if config else None,
    )

    def action(new: str) -> None:
        wanted = 1 if against else 2
        if len(sources) != wanted:
            raise UsageError(
                f"redline takes {'NEW' if against else 'OLD NEW'}, not {len(sources)} file(s)",
                hint="briefgen redline OLD.yaml NEW.yaml, git:HEAD~1 NEW.yaml, "
                "or --against ARCHIVE NEW.yaml",
            )
        old = None if against else sources[0]
        result = build_redline(
            old, new, options, against=Path(against) if against else None, author=author
        )
        for path in result.paths:
            click.echo(str(path))
        for redline in result.redlines:
            count = len(redline.changes)
            news = "no changes" if redline.unchanged else f"{count} change{'s' * (count != 1)}"
            click.echo(f"{redline.audience}: {news}", err=True)

    sys.exit(run_each([sources[-1]], action))


@main.command()
@click.argument(
    "inputs", metavar="FOLDER|MEETING...", nargs=-1, required=True, type=click.Path(exists=True)
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; anything but this machine's own prints a warning.",
)
@click.option(
    "--port",
    default=8765,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on; 0 picks a free one.",
)
@click.option("--no-open", is_flag=True, help="Do not open the page in a browser.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Render processes (default: the cores, at most 4).",
)
def preview(
    inputs: tuple[str, ...], host: str, port: int, no_open: bool, workers: int | None
) -> None:
    """Edit meeting files in the browser and see their briefs as you type (until Ctrl+C)."""
    from briefgen.preview import serve

    try:
        serve(
            [Path(p) for p in inputs],
            host=host,
            port=port,
            open_browser=not no_open,
            workers=workers,
            echo=lambda line: click.echo(line),
            warn=lambda line: click.echo(line, err=True),
        )
    except BriefgenError as error:
        report(error)
        sys.exit(error.exit_code)
    click.echo("briefgen preview: stopped", err=True)
