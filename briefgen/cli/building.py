"""Commands that build briefs: build, pack, validate, dump, audiences."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from briefgen.cli.base import (
    CONFIG,
    INPUTS,
    JOBS,
    OUT,
    PDF_STANDARD,
    TEMPLATES,
    THEME,
    main,
    report,
    run_each,
    run_many,
)
from briefgen.errors import BriefgenError

if TYPE_CHECKING:
    from briefgen.pipeline import DumpStage


@main.command()
@INPUTS
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
@OUT
@TEMPLATES
@THEME
@CONFIG
@click.option(
    "--pdfa",
    is_flag=True,
    help="Write PDFs as PDF/A-2a + PDF/UA-1, for archiving (the archive audience always does).",
)
@PDF_STANDARD
@JOBS
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
@OUT
@TEMPLATES
@THEME
@CONFIG
@click.option("--pdfa", is_flag=True, help="Write the PDFs as PDF/A-2a + PDF/UA-1.")
@JOBS
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
@INPUTS
@CONFIG
def validate(inputs: tuple[str, ...], config: str | None) -> None:
    """Check meeting files and report every problem; prints nothing when all are valid."""
    from briefgen.checking import check_file

    def action(input_path: str) -> None:
        check_file(Path(input_path), input_path, Path(config) if config else None)

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
@TEMPLATES
@CONFIG
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
