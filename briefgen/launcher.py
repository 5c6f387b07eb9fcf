"""The `briefgen` command: handed to a warm build server when one runs, else run here (and,
on an interactive terminal, a server started in the background for the next commands)."""

from __future__ import annotations

import gc
import sys

# The cyclic collector's first threshold (700 by default): a command allocates millions of
# objects, most short-lived, and at 700 a cold build spends 70-90 ms in ~200 collections that
# keep promoting what is about to die; at 20,000 about half of that (BENCHMARKS.md).
GC_THRESHOLDS = (20_000, 10, 100)


def main(prog_name: str | None = None) -> None:
    """Run the command line; `prog_name` as click would show it (None: from argv[0])."""
    gc.set_threshold(*GC_THRESHOLDS)  # this process's own: the library leaves its host's alone
    if sys.argv[1:2] == ["server"]:  # starting or stopping a server is always done here
        from briefgen.cli import main as run_here

        run_here(prog_name=prog_name)
        return
    from briefgen.buildserver.client import run_on_server

    status = run_on_server(sys.argv, prog_name)
    if status is not None:
        sys.exit(status)
    from briefgen.cli import main as run_here

    try:
        run_here(prog_name=prog_name)
    finally:
        if _interactive():  # else no server is started: not worth control's imports
            from briefgen.buildserver.control import start_for_next_commands

            start_for_next_commands()


def _interactive() -> bool:
    try:
        return all(stream is not None and stream.isatty() for stream in (sys.stdin, sys.stderr))
    except ValueError:  # a closed stream
        return False
