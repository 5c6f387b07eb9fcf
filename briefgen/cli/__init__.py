"""The command line: argument parsing, diagnostics and exit codes only; each command calls the
module that owns its work. `base` holds the group and what commands share; the commands are in
`building`, `archiving`, `authoring` and `review`, registered on the group when imported here."""

from briefgen.cli import archiving, authoring, building, review
from briefgen.cli.base import main

__all__ = ["archiving", "authoring", "building", "main", "review"]
