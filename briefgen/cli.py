"""The command line: the only module that knows click, prints diagnostics and picks exit codes.

Exit codes: 0 success, 1 invalid input (other inputs of the same call are still processed),
2 usage error. Pipeline modules are imported inside commands so `briefgen --help` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import click

from briefgen import __version__
from briefgen.errors import EXIT_INVALID_INPUT, EXIT_OK, BriefgenError, UsageError

if TYPE_CHECKING:
    from briefgen.errors import Diagnostic
    from briefgen.pipeline import DumpStage


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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


_INPUTS = click.argument("inputs", nargs=-1, required=True, type=click.Path(dir_okay=False))
_JOBS = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Files to build at once, one process each (default: one per CPU).",
)
_TEMPLATES = click.option(
    "--templates",
    "template_dirs",
    multiple=True,
    type=click.Path(file_okay=False, exists=True),
    help="A folder of templates and themes searched before the built-ins (repeatable).",
)
_OUT = click.option(
    "-o",
    "--out",
    "out_dir",
    default="out",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Output folder.",
)
_THEME = click.option(
    "--theme",
    default=None,
    help="Theme for every audience (themes/NAME.yaml; `briefgen templates` lists them).",
)
_CONFIG = click.option(
    "--config",
    type=click.Path(dir_okay=False, exists=True),
    help="Project configuration (default: the nearest briefgen.yaml above the input).",
)
_PDF_STANDARD = click.option(
    "--pdf-standard",
    metavar="LIST",
    help="PDF standards, comma separated: ua-1 (always) plus one of a-2a, a-3a, a-2b, a-3b.",
)


@main.command()
@_INPUTS
@click.option(
    "-a",
    "--audience",
    "audiences",
    multiple=True,
    help="Audience to build for (repeatable; default staff).",
)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["pdf", "docx"], case_sensitive=False),
    help="Output format (repeatable; default both).",
)
@_OUT
@_TEMPLATES
@_THEME
@_CONFIG
@click.option(
    "--pdfa",
    is_flag=True,
    help="Write PDFs as PDF/A-2a + PDF/UA-1, for archiving (the archive audience always does).",
)
@_PDF_STANDARD
@_JOBS
@click.option(
    "--executor",
    default="local",
    show_default=True,
    metavar="local|dask:ADDRESS",
    help="Where the files are built: this machine's processes, or an existing Dask cluster "
    "(pip install 'briefgen[dask]'; paths must be shared with its workers).",
)
def build(
    inputs: tuple[str, ...],
    audiences: tuple[str, ...],
    formats: tuple[str, ...],
    out_dir: str,
    template_dirs: tuple[str, ...],
    theme: str | None,
    config: str | None,
    pdfa: bool,
    pdf_standard: str | None,
    jobs: int | None,
    executor: str,
) -> None:
    """Build briefs from meeting files, on every CPU; prints each written path."""
    from briefgen.executors import open_executor
    from briefgen.parallel import build_many
    from briefgen.pipeline import BuildOptions
    from briefgen.writers import FORMATS

    options = BuildOptions(
        audiences=audiences or ("staff",),
        formats=formats or FORMATS,
        out_dir=Path(out_dir),
        template_dirs=tuple(Path(d) for d in template_dirs),
        config=Path(config) if config else None,
        pdfa=pdfa,
        pdf_standard=pdf_standard or "",
        theme=theme,
    )
    try:
        with open_executor(executor) as engine:
            status = run_many(build_many(inputs, options, jobs, engine), len(inputs), "Building")
    except BriefgenError as error:
        report(error)
        sys.exit(error.exit_code)
    sys.exit(status)


@main.command()
@click.argument("packs", metavar="PACK", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "-a",
    "--audience",
    "audiences",
    multiple=True,
    help="Audience to build for, instead of the pack's own (repeatable).",
)
@_OUT
@_TEMPLATES
@_THEME
@_CONFIG
@click.option("--pdfa", is_flag=True, help="Write the PDFs as PDF/A-2a + PDF/UA-1.")
@_JOBS
def pack(
    packs: tuple[str, ...],
    audiences: tuple[str, ...],
    out_dir: str,
    template_dirs: tuple[str, ...],
    theme: str | None,
    config: str | None,
    pdfa: bool,
    jobs: int | None,
) -> None:
    """Build briefing packs: for each audience, one PDF and one DOCX of several meetings with
    cover, contents and biographies. Prints each written path."""
    from briefgen.pack import build_packs
    from briefgen.pipeline import BuildOptions

    options = BuildOptions(
        out_dir=Path(out_dir),
        config=Path(config) if config else None,
        template_dirs=tuple(Path(d) for d in template_dirs),
        pdfa=pdfa,
        theme=theme,
    )
    outcomes = build_packs(packs, options, audiences or None, jobs)
    sys.exit(run_many(zip(packs, outcomes, strict=True), len(packs), "Packing"))


@main.command()
@_INPUTS
@_CONFIG
def validate(inputs: tuple[str, ...], config: str | None) -> None:
    """Check meeting files and report every problem; prints nothing when all are valid."""
    from briefgen.pipeline import BuildOptions, Project

    def action(input_path: str) -> None:
        options = BuildOptions(config=Path(config) if config else None)
        project = Project.for_input(Path(input_path), options)
        project.load_meeting(Path(input_path), input_path)

    sys.exit(run_each(inputs, action))


@main.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(dir_okay=False))
@click.option(
    "--stage",
    type=click.Choice(["meeting", "markup", "document"]),
    default="document",
    show_default=True,
    help="Which intermediate form to print.",
)
@click.option("-a", "--audience", default="staff", show_default=True)
@_TEMPLATES
@_CONFIG
def dump(
    input_path: str, stage: str, audience: str, template_dirs: tuple[str, ...], config: str | None
) -> None:
    """Print an intermediate form of the pipeline (for debugging templates and for tests)."""
    from briefgen.pipeline import BuildOptions
    from briefgen.pipeline import dump as dump_stage

    options = BuildOptions(
        template_dirs=tuple(Path(d) for d in template_dirs), config=Path(config) if config else None
    )

    def action(path: str) -> None:
        chosen = cast("DumpStage", stage)  # click.Choice has checked it
        click.echo(dump_stage(path, chosen, audience, options), nl=False)

    sys.exit(run_each([input_path], action))


@main.command("audiences")
@click.option(
    "--config", type=click.Path(dir_okay=False, exists=True), help="briefgen.yaml to read."
)
def list_audiences(config: str | None) -> None:
    """List the audiences: description, template, theme and clearance."""
    from briefgen.audience import clearance_level
    from briefgen.config import find_config, load_config
    from briefgen.pipeline import Project

    def action(_: str) -> None:
        path = Path(config) if config else find_config(Path.cwd())
        project = Project(load_config(path))
        levels = project.config.levels
        for audience in project.audiences.values():
            click.echo(f"{audience.name}")
            click.echo(f"    {audience.description}")
            marks = ", portion marks" if audience.portion_marks else ""
            marks += ", PDF/A" if audience.pdfa else ""
            click.echo(
                f"    template {audience.template}, theme {audience.theme}, "
                f"clearance {clearance_level(audience, levels)}{marks}"
            )

    sys.exit(run_each(["."], action))


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
@_INPUTS
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
@_TEMPLATES
@_THEME
@_CONFIG
@_PDF_STANDARD
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
@_OUT
@_TEMPLATES
@_CONFIG
@click.option("--author", default="briefgen", show_default=True,
              help="Author of the DOCX tracked changes.")
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
    from briefgen.errors import UsageError
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
        result = build_redline(old, new, options, against=Path(against) if against else None,
                               author=author)
        for path in result.paths:
            click.echo(str(path))
        for redline in result.redlines:
            count = len(redline.changes)
            news = "no changes" if redline.unchanged else f"{count} change{'s' * (count != 1)}"
            click.echo(f"{redline.audience}: {news}", err=True)

    sys.exit(run_each([sources[-1]], action))


_ARCHIVE_DIR = click.argument("folder", type=click.Path(file_okay=False, exists=True))
_JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON, for scripts.")


def _run_archive(action: Callable[[], None]) -> None:
    try:
        action()
    except BriefgenError as error:
        report(error)
        sys.exit(error.exit_code)


@archive_group.command("search")
@_ARCHIVE_DIR
@click.argument("query")
@click.option("--from", "date_from", type=click.DateTime(["%Y-%m-%d"]), help="Meetings on or "
              "after this day (YYYY-MM-DD).")  # fmt: skip
@click.option("--to", "date_to", type=click.DateTime(["%Y-%m-%d"]), help="Meetings on or "
              "before this day.")  # fmt: skip
@click.option("--participant", help="Only briefs with a participant whose name contains this.")
@click.option("-a", "--audience", help="Only briefs archived for this audience.")
@click.option("-n", "--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@_JSON
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

    _run_archive(action)


@archive_group.command("list")
@_ARCHIVE_DIR
@click.argument("meeting", required=False)
@_JSON
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

    _run_archive(action)


@archive_group.command("show")
@_ARCHIVE_DIR
@click.argument("file")
@_JSON
def archive_show_command(folder: str, file: str, as_json: bool) -> None:
    """One archived file: its manifest entry, its source's summary, what changed since the
    version before."""
    from briefgen.archive_search import as_json as to_json
    from briefgen.archive_search import show, shown_lines

    def action() -> None:
        shown = show(Path(folder), file)
        if as_json:
            click.echo(to_json({"entry": shown.entry, "summary": shown.summary,
                                "previous": shown.previous, "changes": shown.changes}))
        else:
            click.echo(shown_lines(shown))

    _run_archive(action)


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


@main.command()
@_INPUTS
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


@main.command()
@click.argument("inputs", metavar="FOLDER|MEETING...", nargs=-1, required=True,
                type=click.Path(exists=True))
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but this machine's own prints a warning.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on; 0 picks a free one.")
@click.option("--no-open", is_flag=True, help="Do not open the page in a browser.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Render processes (default: the cores, at most 4).")
def preview(inputs: tuple[str, ...], host: str, port: int, no_open: bool,
            workers: int | None) -> None:
    """Edit meeting files in the browser and see their briefs as you type (until Ctrl+C)."""
    from briefgen.preview import serve

    try:
        serve([Path(p) for p in inputs], host=host, port=port, open_browser=not no_open,
              workers=workers, echo=lambda line: click.echo(line),
              warn=lambda line: click.echo(line, err=True))
    except BriefgenError as error:
        report(error)
        sys.exit(error.exit_code)
    click.echo("briefgen preview: stopped", err=True)


@main.group("templates", invoke_without_command=True)
@_TEMPLATES
@_CONFIG
@click.pass_context
def templates_command(ctx: click.Context, template_dirs: tuple[str, ...],
                      config: str | None) -> None:
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
            where = "built-in" if entry.builtin else f"{entry.folder}" + (
                " (overrides the built-in)" if entry.overrides else "")
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
        click.echo(f"use it with --templates {folder} (or `templates: [{folder}]` in "
                   "briefgen.yaml)", err=True)

    sys.exit(run_each([name], action))


if __name__ == "__main__":  # pragma: no cover
    main()
