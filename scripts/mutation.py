"""Mutation testing of the modules that hold briefgen's guarantees, each against its own tests.

    python scripts/mutation.py                      # every module in TABLE
    python scripts/mutation.py loader audience      # some of them
    python scripts/mutation.py loader --list        # print the mutants, run nothing

Each mutant (one small change to one module: a comparison flipped, `and` for `or`, a number
plus one, `break` for `continue`, a returned value dropped…) is written into a private copy of
the project and the module's own test files are run against it (stop at the first failure;
the few slow tests in SLOW are left out of this pass). Mutants that survive are run again
against the module's whole subset, slow tests included; what still survives is listed, and the
score per module is killed / (mutants - equivalent ones set aside).

Why not mutmut: mutmut 3 mutates only code inside functions (module-level tables such as the
YAML tag list or the character policy would never be mutated) and picks the tests to run from
its own coverage statistics over one tests folder, not from a per-module table like the one
below; mutmut 2 mutates in place in the working tree. This script is small, needs nothing beyond
the test dependencies, and never touches the working tree. Strings are not mutated: a changed
message is caught by the message tests or is an equivalent mutant, and docstrings would drown
the score.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# module → (its own tests, run first; the whole subset, run on the survivors)
TABLE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "audience": (
        ("tests/test_clearance.py",),
        (
            "tests/test_clearance.py",
            "tests/test_audiences.py",
            "tests/test_pack.py",
            "tests/test_cli.py",
        ),
    ),
    "templating": (
        ("tests/test_templating.py", "tests/test_escaping.py", "tests/test_templating_guards.py"),
        (
            "tests/test_templating.py",
            "tests/test_escaping.py",
            "tests/test_templating_guards.py",
            "tests/test_template_limits.py",
            "tests/test_confinement.py",
            "tests/test_golden.py",
            "tests/test_audiences.py",
        ),
    ),
    "loader": (
        ("tests/test_loader.py", "tests/test_input_policy.py", "tests/test_loader_limits.py"),
        (
            "tests/test_loader.py",
            "tests/test_loader_limits.py",
            "tests/test_input_policy.py",
            "tests/test_new_user.py",
            "tests/test_validation.py",
            "tests/test_pack.py",
            "tests/test_cli.py",
            "tests/test_fuzz.py",
        ),
    ),
    "archive": (
        ("tests/test_archive_writer.py", "tests/test_archive.py", "tests/test_archive_source.py"),
        (
            "tests/test_archive_writer.py",
            "tests/test_archive.py",
            "tests/test_archive_source.py",
            "tests/test_manifest_chain.py",
            "tests/test_verify.py",
            "tests/test_pdfa.py",
        ),
    ),
    "verify": (
        ("tests/test_verify_fields.py", "tests/test_verify.py", "tests/test_manifest_chain.py"),
        (
            "tests/test_verify_fields.py",
            "tests/test_verify.py",
            "tests/test_manifest_chain.py",
            "tests/test_archive_source.py",
            "tests/test_archive.py",
        ),
    ),
}

# Left out of the first pass, whose only job is to find the mutants the own tests kill: each
# takes seconds (processes racing, subprocesses, the external validator on every file) and
# kills nothing the faster tests do not. Survivors still meet them in the whole-subset run.
SLOW = (
    "tests/test_archive.py::test_parallel_archive_commands_lose_nothing",
    "tests/test_archive.py::test_rebuilding_gives_the_same_bytes_across_processes_zones_and_locales",
    "tests/test_archive_source.py::test_every_archived_pdf_validates_as_pdfa_3a_and_pdfua_1",
)

# Mutants that behave exactly like the original, by module: `description @ source line` → why.
EQUIVALENT: dict[str, dict[str, str]] = {
    "loader": dict(
        [
            (
                "KeyPath = None @ KeyPath = tuple[str | int, ...]",
                "a type alias used only in annotations, which are never evaluated",
            ),
            (
                "And -> Or @ source_line = lines[line - 1] if line is not None and 0 < line <= "
                'len(lines) else ""',
                "libyaml marks every syntax error, so `line` is never None",
            ),
            (
                "Lt -> LtE @ source_line = lines[line - 1] if line is not None and 0 < line <= "
                'len(lines) else ""',
                "line numbers start at 1: `0 < line` and `0 <= line` agree",
            ),
            (
                "Lt -> LtE @ if not 0 < number <= len(lines):",
                "line numbers start at 1: `0 < number` and `0 <= number` agree",
            ),
            (
                "0 -> 1 @ if not 0 < number <= len(lines):",
                "on line 1 there is no key above, so both give None",
            ),
            (
                'Gt -> GtE @ if code[0] in "xuU" and len(code) > 1:',
                "a bare \\x, \\u or \\U is not a valid YAML escape, so never reaches here",
            ),
            (
                '1 -> 2 @ if code[0] in "xuU" and len(code) > 1:',
                "every numeric escape has at least two hex digits after its letter",
            ),
            (
                "And -> Or @ elif line is not None and (",
                "`line` is never None, and a key under a key with a value always fails first "
                "with one of the two messages tested here",
            ),
            (
                "Add -> Sub @ line, column = start.line + 1, start.column + 1",
                "fallback when no escape makes the character; raw characters are refused before "
                "parsing, so every forbidden character in a value comes from an escape",
            ),
            (
                "1 -> 2 @ line, column = start.line + 1, start.column + 1",
                "the same fallback",
            ),
            (
                "last = None @ last = offset_of_line[min(end.line, len(lines))] + end.column",
                "scanning on past the scalar's end still meets its own escape first",
            ),
            (
                "0 -> 1 @ offset_of_line = [0]",
                "shifts the scan's start and the offset found in it alike; the start is the "
                "opening quote, never the escape",
            ),
            (
                'And -> Or @ if code[0] in "xuU" and len(code) > 1:',
                "every other escape is one character long, so `or` decides the same",
            ),
        ]
    ),
    "archive": dict(
        [
            (
                "True -> False @ @dataclass(frozen=True)",
                "no code assigns to an Archived's fields, so freezing them changes nothing",
            ),
        ]
    ),
    "verify": dict(
        [
            (
                "sealed_seen = None @ sealed_seen = False",
                "only ever tested for truth, and None is as false as False",
            ),
            (
                "previous = None @ previous = 0",
                "read only after the first line, which sets it; before that, None and 0 are "
                "both false and name the start of the manifest",
            ),
            (
                "True -> False @ @dataclass(frozen=True)",
                "no code assigns to a Report's fields, so freezing them changes nothing",
            ),
        ]
    ),
    "audience": dict(
        [
            (
                'HIGHEST = None @ HIGHEST = "*highest*"',
                "a sentinel: any value distinct from LOWEST and from level names behaves alike",
            ),
            (
                'LOWEST = None @ LOWEST = "*lowest*"',
                "the same sentinel argument",
            ),
            (
                "_DROPPED = None @ _DROPPED = object()  # an item above the clearance: "
                "removed from its list, or its field reset",
                "a sentinel: models hold no None list elements, and a None field falls "
                "back to its default (None) either way",
            ),
            (
                "optional = None @ optional = False",
                "_unwrap's `optional` is never read",
            ),
            (
                "False -> True @ optional = False",
                "_unwrap's `optional` is never read",
            ),
            (
                "True -> False @ annotation, optional = members[0], True",
                "_unwrap's `optional` is never read",
            ),
            (
                "1 -> 2 @ close = get_close_matches(name, list(known), n=1)",
                "only the first suggestion is used",
            ),
            (
                "new_value = None @ new_value = info.get_default(call_default_factory=True)",
                "only an optional single item can be dropped (check_filterable), whose "
                "default is None",
            ),
            (
                "True -> False @ new_value = info.get_default(call_default_factory=True)",
                "the same: an optional single item has no default factory",
            ),
        ]
    ),
}

_COMPARE_SWAPS: dict[type, type] = {
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}
_BINOP_SWAPS: dict[type, type] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.FloorDiv: ast.Div,
    ast.Mod: ast.FloorDiv,
}


@dataclass(frozen=True)
class Mutant:
    number: int
    line: int
    description: str
    source_line: str

    @property
    def key(self) -> str:
        return f"{self.description} @ {self.source_line}"


def _skipped(tree: ast.Module) -> set[int]:
    """Nodes never mutated: docstrings, annotations, `if TYPE_CHECKING:` blocks, `__all__`."""
    skip: set[int] = set()

    def mark(node: ast.AST | None) -> None:
        if node is not None:
            skip.update(id(n) for n in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                mark(body[0])
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            mark(node.returns)
            for arg in (*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs):
                mark(arg.annotation)
        if isinstance(node, ast.AnnAssign):
            mark(node.annotation)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            mark(node)
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            mark(node)
    return skip


def _sites(tree: ast.Module) -> Iterator[tuple[ast.AST, str, str]]:
    """(node, field or '', description) for every place a mutation applies, in source order."""
    skip = _skipped(tree)
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Compare):
            for index, op in enumerate(node.ops):
                if type(op) in _COMPARE_SWAPS:
                    new = _COMPARE_SWAPS[type(op)].__name__
                    yield node, f"ops:{index}", f"{type(op).__name__} -> {new}"
        elif isinstance(node, ast.BoolOp):
            yield (
                node,
                "op",
                f"{type(node.op).__name__} -> {'Or' if isinstance(node.op, ast.And) else 'And'}",
            )
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield node, "not", "drop `not`"
        elif isinstance(node, (ast.BinOp, ast.AugAssign)) and type(node.op) in _BINOP_SWAPS:
            yield node, "op", f"{type(node.op).__name__} -> {_BINOP_SWAPS[type(node.op)].__name__}"
        elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
            yield node, "value", f"{node.value!r} -> {node.value + 1!r}"
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            yield node, "value", f"{node.value} -> {not node.value}"
        elif isinstance(node, (ast.Break, ast.Continue)):
            yield (
                node,
                "loop",
                "break -> continue" if isinstance(node, ast.Break) else "continue -> break",
            )
        elif (
            isinstance(node, ast.Return)
            and node.value is not None
            and not (isinstance(node.value, ast.Constant) and node.value.value is None)
        ):
            yield node, "return", "return None"
        elif (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and not (isinstance(node.value, ast.Constant) and node.value.value is None)
        ):
            yield node, "assign", f"{node.targets[0].id} = None"


class _Apply(ast.NodeTransformer):
    def __init__(self, target: ast.AST, how: str) -> None:
        self.target, self.how = target, how

    def generic_visit(self, node: ast.AST) -> ast.AST:
        node = super().generic_visit(node)
        if node is not self.target:
            return node
        how = self.how
        if how.startswith("ops:"):
            assert isinstance(node, ast.Compare)
            index = int(how[4:])
            node.ops[index] = _COMPARE_SWAPS[type(node.ops[index])]()
        elif how == "op" and isinstance(node, ast.BoolOp):
            node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        elif how == "op" and isinstance(node, (ast.BinOp, ast.AugAssign)):
            node.op = _BINOP_SWAPS[type(node.op)]()
        elif how == "not":
            assert isinstance(node, ast.UnaryOp)
            return node.operand
        elif how == "value":
            assert isinstance(node, ast.Constant)
            node.value = (not node.value) if isinstance(node.value, bool) else node.value + 1
        elif how == "loop":
            return ast.Continue() if isinstance(node, ast.Break) else ast.Break()
        elif how == "return":
            assert isinstance(node, ast.Return)
            node.value = ast.Constant(None)
        elif how == "assign":
            assert isinstance(node, ast.Assign)
            node.value = ast.Constant(None)
        return node


def mutants(source: str) -> list[tuple[Mutant, str]]:
    """Every mutant of a module's source, with the mutated source."""
    lines = source.splitlines()
    found = []
    count = len(list(_sites(ast.parse(source))))
    for index in range(count):
        tree = ast.parse(source)
        node, how, description = list(_sites(tree))[index]
        line = getattr(node, "lineno", 0)
        text = ast.unparse(ast.fix_missing_locations(_Apply(node, how).visit(tree)))
        found.append((Mutant(index + 1, line, description, lines[line - 1].strip()), text))
    return found


def _copy_project(folder: Path) -> None:
    for name in ("briefgen", "tests", "templates", "inputs"):
        shutil.copytree(
            ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    shutil.copy2(ROOT / "pyproject.toml", folder / "pyproject.toml")


# Third-party modules the tests import (not pytest plugins such as hypothesis, which pytest
# must import itself), loaded once in this process: each mutant's test run is
# a fork of it, so only briefgen itself (mutated) is imported afresh, saving seconds per mutant.
_PRELOAD = (
    "pytest",
    "pydantic",
    "yaml",
    "jinja2",
    "babel.dates",
    "reportlab.platypus",
    "docx",
    "pypdf",
    "pikepdf",
    "click.testing",
    "markdown_it",
    "lxml.etree",
)


def _preload() -> None:
    import importlib

    for name in _PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    if any(name == "briefgen" or name.startswith("briefgen.") for name in sys.modules):
        raise SystemExit("briefgen was imported before forking; the mutants would not be seen")


def _run(folder: Path, tests: tuple[str, ...], timeout: float) -> str:
    """'killed', 'survived' or 'timeout' (counted as killed: the tests noticed)."""
    pid = os.fork()
    if pid == 0:  # the child: run pytest on the copy, in which the mutant is written
        code = 3
        try:
            os.chdir(folder)
            sys.path.insert(0, str(folder))
            os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
            sys.dont_write_bytecode = True
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            import pytest

            code = int(pytest.main(["-x", "-q", "-p", "no:cacheprovider", *tests]))
        finally:
            os._exit(code)
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return "survived" if os.waitstatus_to_exitcode(status) == 0 else "killed"
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            return "timeout"
        time.sleep(0.05)


def measure(
    module: str, folder: Path, *, listing: bool, only: set[int] | None = None
) -> tuple[int, int, int, list[Mutant]]:
    """(mutants, killed, equivalent, survivors) for one module."""
    own, subset = TABLE[module]
    own = (*own, *(f"--deselect={test}" for test in SLOW))
    path = folder / "briefgen" / f"{module}.py"
    original = path.read_text(encoding="utf-8")
    found = mutants(original)
    if only is not None:
        found = [(mutant, text) for mutant, text in found if mutant.number in only]
    equivalent = EQUIVALENT.get(module, {})
    if listing:
        for mutant, _ in found:
            mark = "  (equivalent)" if mutant.key in equivalent else ""
            print(
                f"{module}.py:{mutant.line}: #{mutant.number} {mutant.description}: "
                f"{mutant.source_line}{mark}"
            )
        return len(found), 0, 0, []
    started = time.monotonic()
    if _run(folder, own, 600) != "survived":
        raise SystemExit(f"{module}: its own tests fail without any mutant; fix them first")
    timeout = max(30.0, 5 * (time.monotonic() - started))
    survivors: list[tuple[Mutant, str]] = []
    killed = skipped = 0
    try:
        for mutant, text in found:
            if mutant.key in equivalent:
                skipped += 1
                continue
            path.write_text(text, encoding="utf-8")
            outcome = _run(folder, own, timeout)
            if outcome == "survived":
                survivors.append((mutant, text))
            else:
                killed += 1
                _note_timeout(module, mutant, outcome)
            print(f"\r{module}: {mutant.number}/{len(found)}", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
        remaining = []
        for mutant, text in survivors:  # the whole subset, only for what survived
            path.write_text(text, encoding="utf-8")
            outcome = _run(folder, subset, max(timeout, 900.0))
            if outcome == "survived":
                remaining.append(mutant)
            else:
                killed += 1
                _note_timeout(module, mutant, outcome)
    finally:
        path.write_text(original, encoding="utf-8")
    return len(found), killed, skipped, remaining


def _note_timeout(module: str, mutant: Mutant, outcome: str) -> None:
    # A timeout counts as killed (the tests noticed), but on a busy machine it may be load
    # alone: named, so that such a kill can be checked with --only.
    if outcome == "timeout":
        print(
            f"\ntimeout, counted as killed: briefgen/{module}.py:{mutant.line}: "
            f"#{mutant.number} {mutant.description}: {mutant.source_line}",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "modules",
        nargs="*",
        metavar="MODULE",
        help=f"modules to test: {', '.join(TABLE)} (default: all)",
    )
    parser.add_argument("--list", action="store_true", help="list the mutants, run nothing")
    parser.add_argument(
        "--only",
        type=lambda text: {int(n) for n in text.split(",")},
        default=None,
        help="run only these mutant numbers (e.g. 12,40)",
    )
    args = parser.parse_args()
    chosen = args.modules or list(TABLE)
    _preload()
    unknown = [m for m in chosen if m not in TABLE]
    if unknown:
        parser.error(f"unknown module {unknown[0]!r}; modules: {', '.join(TABLE)}")
    with tempfile.TemporaryDirectory(prefix="briefgen-mutation-") as name:
        folder = Path(name)
        _copy_project(folder)
        results = {}
        for module in chosen:
            results[module] = measure(module, folder, listing=args.list, only=args.only)
            for mutant in results[module][3]:  # as soon as a module is done
                print(
                    f"survived: briefgen/{module}.py:{mutant.line}: {mutant.description}: "
                    f"{mutant.source_line}",
                    flush=True,
                )
    if args.list:
        return
    print(f"{'module':<12} {'mutants':>8} {'equivalent':>10} {'killed':>7} {'score':>7}")
    for module, (total, killed, skipped, _) in results.items():
        counted = total - skipped
        score = 100 * killed / counted if counted else 100.0
        print(f"{module + '.py':<12} {total:>8} {skipped:>10} {killed:>7} {score:>6.1f}%")


if __name__ == "__main__":
    main()
