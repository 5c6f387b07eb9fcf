"""The command line's lazy commands: each command loads its own module, and nothing is lost."""

from __future__ import annotations

import importlib
from pathlib import Path

from click.testing import CliRunner

from briefgen.cli import main
from briefgen.cli.base import COMMAND_MODULES
from tests.conftest import EXAMPLE, fresh_python

MODULES = ("building", "authoring", "archiving", "review", "serving")


def test_the_map_names_every_command_at_its_module() -> None:
    for module in MODULES:
        importlib.import_module(f"briefgen.cli.{module}")
    defined = {name: command.callback.__module__ for name, command in main.commands.items()}
    assert {name: f"briefgen.cli.{module}" for name, module in COMMAND_MODULES.items()} == defined
    assert set(COMMAND_MODULES) == {
        "archive", "audiences", "build", "dump", "import", "lint", "new", "pack",
        "preview", "redline", "schema", "server", "templates", "validate", "verify",
    }  # fmt: skip


def command_modules_after(args: list[str], cwd: Path) -> set[str]:
    probe = (
        "import sys\n"
        "from briefgen.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = [m for m in sys.modules if m.startswith('briefgen.cli.')]\n"
        "print(' '.join(loaded), file=sys.stderr)\n"
    )
    result = fresh_python(probe, cwd)
    return set(result.stderr.strip().splitlines()[-1].split())


def test_a_command_loads_only_its_own_module(tmp_path: Path) -> None:
    assert command_modules_after(["validate", str(EXAMPLE)], tmp_path) == {
        "briefgen.cli.base",
        "briefgen.cli.building",
    }
    assert command_modules_after(["verify", "--help"], tmp_path) == {
        "briefgen.cli.base",
        "briefgen.cli.archiving",
    }


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.output.split("Commands:\n")[1].splitlines()]
    assert listed == sorted(COMMAND_MODULES)


def test_a_misspelt_command_is_still_suggested() -> None:
    result = CliRunner().invoke(main, ["buld"])
    assert result.exit_code == 2
    assert "No such command 'buld'. Did you mean 'build'?" in result.output
    result = CliRunner().invoke(main, ["verfy"])
    assert "Did you mean 'verify'?" in result.output
