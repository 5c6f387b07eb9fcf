"""`briefgen server start|stop|status`: the warm build server (briefgen.buildserver)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from briefgen.cli.base import main, report
from briefgen.errors import BriefgenError

if TYPE_CHECKING:
    from briefgen.buildserver.control import Status


@main.group("server")
def server_command() -> None:
    """Keep a warm briefgen in the background so commands start at once.

    While a server runs, every `briefgen` command of the same interpreter and briefgen is
    handed to it (a forked copy that already has everything loaded) and behaves exactly as if
    it ran itself: same folder, environment, terminal, output and exit status. The server
    stops after --idle minutes without a command, when briefgen's files change, or with
    `briefgen server stop`. A command run on an interactive terminal starts one in the
    background when none runs; BRIEFGEN_SERVER=manual only uses one you started,
    BRIEFGEN_SERVER=off makes every command run itself.
    """


@server_command.command("start")
@click.option(
    "--idle",
    "idle_minutes",
    type=click.FloatRange(min=0.05),
    default=30.0,
    show_default=True,
    help="Minutes without a command before the server stops.",
)
def server_start(idle_minutes: float) -> None:
    """Start the server (no-op when one runs); returns when it serves."""
    from briefgen.buildserver.control import start

    _show(lambda: start(idle_minutes))


@server_command.command("stop")
def server_stop() -> None:
    """Stop the server once its running commands have finished."""
    from briefgen.buildserver.control import stop

    _show(stop)


@server_command.command("status")
def server_status() -> None:
    """Say whether a server runs (exit status 0) or not (1)."""
    from briefgen.buildserver.control import status

    _show(status, fail_when_stopped=True)


def _show(action: Callable[[], Status], fail_when_stopped: bool = False) -> None:
    try:
        state = action()
    except BriefgenError as error:
        report(error)
        sys.exit(error.exit_code)
    if state.running and state.pid == -1:
        click.echo(f"build server starting (warming up; socket {state.socket})")
    elif state.running:
        doing = "stopping" if state.stopping else "running"
        click.echo(
            f"build server {doing} (process {state.pid}, {state.served} commands run, "
            f"socket {state.socket})"
        )
    else:
        click.echo("build server not running")
    sys.exit(1 if fail_when_stopped and not state.running else 0)
