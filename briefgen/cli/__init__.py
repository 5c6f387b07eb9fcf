"""The command line: argument parsing, diagnostics and exit codes only; each command calls the
module that owns its work. `base` holds the group and what commands share; the commands are in
`building`, `archiving`, `authoring` and `review`, each imported when one of its commands is
looked up (`base.COMMAND_MODULES`), so a command loads only its own module."""

from briefgen.cli.base import main

__all__ = ["main"]
