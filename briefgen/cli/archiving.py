"""Commands for the archive: archive add (the default), search, list, show, and verify."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from briefgen.cli.base import (
    CONFIG,
    INPUTS,
    PDF_STANDARD,
    TEMPLATES,
    THEME,
    main,
    report,
    run_each,
)
from briefgen.errors import EXIT_INVALID_INPUT, EXIT_OK, BriefgenError, UsageError

if TYPE_CHECKING:
    pass


class _ArchiveGroup(click.Group):
    """`briefgen archive INPUT... --to DIR` stays what it always was: `briefgen archive add`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["add", *args]
        return super().parse_args(ctx, args)


@main.group("archive", cls=_ArchiveGroup)
def archive_group() -> None:
    """Archive briefs (PDF/A-3b, with their source, in a folder only ever added to) and find
    them again.

    \b
    briefgen archive INPUT... --to DIR     the same as `briefgen archive add`
    briefgen archive search DIR QUERY      ranked full-text search
    briefgen archive list DIR [MEETING]    meetings, or every version of one
    briefgen archive show DIR FILE         an entry, its source, what changed
    """


@archive_group.command("add")
@INPUTS
@click.option(
    "--to",
    "folder",
    required=True,
    type=click.Path(file_okay=False),
    help="The archive folder (created if absent).",
)
@click.option(
    "-a",
    "--audience",
    default="archive",
    show_default=True,
    help="Audience to archive the brief for.",
)
@TEMPLATES
@THEME
@CONFIG
@PDF_STANDARD
def archive_command(
    inputs: tuple[str, ...],
    folder: str,
    audience: str,
    template_dirs: tuple[str, ...],
    theme: str | None,
    config: str | None,
    pdf_standard: str | None,
) -> None:
    """Archive briefs as PDF/A-3a + PDF/UA-1 (or --pdf-standard's conformance), each carrying
    its cleared meeting, in a folder that is only ever added to, with a manifest.

    Each PDF carries the meeting it was built from, as cleared for the audience. Prints the
    archived file per input, or the earlier file if the same brief is archived already.
    """
    from briefgen.archive import archive
    from briefgen.pipeline import BuildOptions

    options = BuildOptions(
        template_dirs=tuple(Path(d) for d in template_dirs),
        config=Path(config) if config else None,
        pdf_standard=pdf_standard or "",
        theme=theme,
    )

    def action(input_path: str) -> None:
        result = archive(input_path, Path(folder), audience, options)
        if result.written:
            version = result.entry["version"]
            click.echo(f"archived {input_path} as {result.path} (version {version})")
        else:
            click.echo(f"{input_path}: already archived as {result.path}")

    sys.exit(run_each(inputs, action))


ARCHIVE_DIR = click.argument("folder", type=click.Path(file_okay=False, exists=True))
JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON, for scripts.")


def run_archive(action: Callable[[], None]) -> None:
    try:
        action()
    except BriefgenError as error:
        report(error)
        sys.exit(error.exit_code)


@archive_group.command("search")
@ARCHIVE_DIR
@click.argument("query")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="Meetings on or "
              "after this day (YYYY-MM-DD).")  # fmt: skip
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="Meetings on or "
              "before this day.")  # fmt: skip
@click.option("--participant", help="Only briefs with a participant whose name contains this.")
@click.option("-a", "--audience", help="Only briefs archived for this audience.")
@click.option("-n", "--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@JSON
def archive_search_command(
    folder: str, query: str, date_from: Any, date_to: Any, participant: str | None,
    audience: str | None, limit: int, as_json: bool,
) -> None:  # fmt: skip
    """Find archived briefs: words, "phrases", prefix*, OR, -word; accents and case ignored.

    Best match first: date, title, version, audience, marking, file, and the matching passage.
    """
    from briefgen.archive_search import as_json as to_json
    from briefgen.archive_search import brief_lines, search

    def action() -> None:
        hits = search(Path(folder), query, limit=limit, participant=participant,
                      audience=audience, date_from=date_from and date_from.date(),
                      date_to=date_to and date_to.date())  # fmt: skip
        if as_json:
            click.echo(to_json([hit.as_json() for hit in hits]))
        else:
            for hit in hits:
                click.echo(brief_lines(hit, styled=sys.stdout.isatty()))
            click.echo(f"{len(hits)} brief(s) found", err=True)

    run_archive(action)


@archive_group.command("list")
@ARCHIVE_DIR
@click.argument("meeting", required=False)
@JSON
def archive_list_command(folder: str, meeting: str | None, as_json: bool) -> None:
    """The archived meetings (latest version per audience), or every version of MEETING
    (its id, or the file name up to the audience: 2025-03-12_black-sea-maritime-security)."""
    from briefgen.archive_search import as_json as to_json
    from briefgen.archive_search import brief_lines, list_briefs

    def action() -> None:
        briefs = list_briefs(Path(folder), meeting)
        if meeting and not briefs:
            raise UsageError(f"no archived meeting {meeting!r} in {folder}",
                             hint="`briefgen archive list DIR` lists them")  # fmt: skip
        if as_json:
            click.echo(to_json([brief.as_json() for brief in briefs]))
        else:
            for brief in briefs:
                click.echo(brief_lines(brief, styled=False))

    run_archive(action)


@archive_group.command("show")
@ARCHIVE_DIR
@click.argument("file")
@JSON
def archive_show_command(folder: str, file: str, as_json: bool) -> None:
    """One archived file: its manifest entry, its source's summary, what changed since the
    version before."""
    from briefgen.archive_search import as_json as to_json
    from briefgen.archive_search import show, shown_lines

    def action() -> None:
        shown = show(Path(folder), file)
        if as_json:
            click.echo(
                to_json(
                    {
                        "entry": shown.entry,
                        "summary": shown.summary,
                        "previous": shown.previous,
                        "changes": shown.changes,
                    }
                )
            )
        else:
            click.echo(shown_lines(shown))

    run_archive(action)


@main.command("verify")
@click.argument("folder", type=click.Path(file_okay=False, exists=True))
@click.option(
    "--head",
    metavar="HASH",
    help="A chain head printed by an earlier verify: fail unless the manifest still holds it.",
)
def verify_command(folder: str, head: str | None) -> None:
    """Check an archive folder: the manifest's hash chain, hashes, fields against each PDF and
    its embedded source, missing and unlisted files, PDF/A markers.

    Prints one line per finding and exits 1 if there is any; prints the chain head, to keep
    somewhere else and check later with --head.
    """
    from briefgen.verify import verify

    try:
        result = verify(Path(folder), head)
    except BriefgenError as error:
        report(error)
        sys.exit(error.exit_code)
    for finding in result.findings:
        click.echo(finding.format())
    for warning in result.warnings:
        click.echo(warning.format(), err=True)
    click.echo(
        f"{folder}: {result.checked} archived files checked, {len(result.findings)} findings; "
        f"chain head {result.head}",
        err=True,
    )
    sys.exit(EXIT_INVALID_INPUT if result.findings else EXIT_OK)
