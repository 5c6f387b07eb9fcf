"""The house rules that hold themselves: no import cycles, no reaching into another module's
private names, modules of a readable size, and no process-wide cache of project files."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from briefgen.document import dump
from briefgen.pipeline import BuildOptions, Project, build, render_document
from briefgen.resources import builtin_templates_dir

PACKAGE = Path(__file__).resolve().parent.parent / "briefgen"
EXAMPLE = (
    Path(__file__).resolve().parent.parent / "inputs" / "nato-sg-bih-presidency-2024-12-18.yaml"
)
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(name: str) -> list[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for every briefgen import, at any depth."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found = []
    is_package = MODULES[name].name == "__init__.py"
    # Imports under `if TYPE_CHECKING:` are for annotations only and never run.
    type_only = {
        id(child)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
        for stmt in node.body
        for child in ast.walk(stmt)
    }
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module is not None:
            module = node.module
            if node.level:  # relative: resolve against this module's package
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, module])
            if module.startswith("briefgen"):
                # `from briefgen.writers import docx` imports a submodule, not a name.
                taken = [a.name for a in node.names]
                subs = [t for t in taken if f"{module}.{t}" in MODULES]
                for sub in subs:
                    found.append((f"{module}.{sub}", [], node.lineno))
                names = [t for t in taken if t not in subs]
                if names or not subs:  # `from pkg import submodule` needs the submodule only
                    found.append((module, names, node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("briefgen"):
                    found.append((alias.name, [], node.lineno))
    return found


def test_no_module_imports_another_modules_private_names() -> None:
    offences = [
        f"{MODULES[name].relative_to(PACKAGE.parent)}:{line}: {target}.{taken}"
        for name in MODULES
        for target, names, line in imports(name)
        for taken in names
        if taken.startswith("_") and not taken.startswith("__") and target != name
    ]
    assert offences == []


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle a depth-first walk meets, as the path that closes it."""
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return cycles


def test_the_package_has_no_import_cycle() -> None:
    # Every import counts, also those inside functions: a cycle dodged by a late import is
    # still two modules that need each other.
    graph = {
        name: {target for target, _, _ in imports(name) if target in MODULES and target != name}
        for name in MODULES
    }
    assert find_cycles(graph) == []


def test_the_walker_finds_a_cycle_and_the_import_reader_sees_late_imports() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycles(graph) == [["a", "b", "c", "a"]]
    assert find_cycles({"a": {"b"}, "b": set()}) == []
    # The registry imports the document model at module level and pdfa only inside
    # write_format: both count.
    found = {target for target, _, _ in imports("briefgen.writers")}
    assert {"briefgen.document", "briefgen.pdfa"} <= found


@pytest.mark.parametrize("name", sorted(MODULES))
def test_modules_stay_readable(name: str) -> None:
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines; split it by concern"


def copy_templates(tmp_path: Path) -> Path:
    """A user template folder with the built-in staff template and default theme in it."""
    folder = tmp_path / "tpl"
    (folder / "themes").mkdir(parents=True)
    builtin = builtin_templates_dir()
    for name in ("staff.md.j2", "base.md.j2", "macros.md.j2"):
        if (builtin / name).exists():
            shutil.copy(builtin / name, folder / name)
    shutil.copy(builtin / "themes" / "default.yaml", folder / "themes" / "default.yaml")
    return folder


def test_one_long_lived_project_sees_edited_templates_and_themes(tmp_path: Path) -> None:
    from briefgen.validation import load_meeting
    from briefgen.writers import write_format

    folder = copy_templates(tmp_path)
    project = Project(extra_template_dirs=(folder,), input_dir=EXAMPLE.parent)
    meeting, _ = load_meeting(EXAMPLE)
    audience = project.audience("staff")

    first = render_document(meeting, audience, project)
    theme = project.theme(audience)
    first_docx = write_format(first, theme, "docx", options=project.writer_options()).data
    staff = folder / "staff.md.j2"
    text = staff.read_text(encoding="utf-8")
    assert "{{ purpose }}\n" in text
    staff.write_text(
        text.replace("{{ purpose }}\n", "{{ purpose }} Edited after the first build.\n", 1),
        encoding="utf-8",
    )
    theme_file = folder / "themes" / "default.yaml"
    theme_file.write_text(
        theme_file.read_text(encoding="utf-8") + "\nfooter_text: Edited footer\n", encoding="utf-8"
    )

    second = render_document(meeting, audience, project)

    assert "Edited after the first build." not in dump(first)
    assert "Edited after the first build." in dump(second)
    new_theme = project.theme(audience)
    assert theme.footer_text != "Edited footer"
    assert new_theme.footer_text == "Edited footer"
    second_docx = write_format(second, new_theme, "docx", options=project.writer_options()).data
    assert second_docx != first_docx


def test_builds_with_one_project_match_builds_without(tmp_path: Path) -> None:
    # The caches change no byte: a shared Project gives the same files as a fresh one each time.
    options = BuildOptions(out_dir=tmp_path / "fresh")
    fresh = [p.read_bytes() for p in build(EXAMPLE, options)]
    project = Project.for_input(EXAMPLE, options)
    build(EXAMPLE, BuildOptions(out_dir=tmp_path / "warm"), project)
    warm = [
        p.read_bytes() for p in build(EXAMPLE, BuildOptions(out_dir=tmp_path / "warm"), project)
    ]
    assert warm == fresh
