"""Customising starts from a built-in: list the templates and themes, copy one to edit.

`briefgen templates` shows every template and theme on the search path and which of the user's
override a built-in; `briefgen templates copy NAME [DIR]` copies a built-in, with the templates
it extends, imports and includes (or a theme with the files it names), and never overwrites.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2 import meta

from briefgen.errors import UsageError
from briefgen.loader import load_yaml_file
from briefgen.resources import builtin_templates_dir
from briefgen.sandbox import BUILTIN_PREFIX, ConfinedLoader

THEME_FILE_KEYS = (
    ("logo", "file"),
    ("reference_docx",),
    ("fonts", "regular"),
    ("fonts", "bold"),
    ("fonts", "italic"),
    ("fonts", "bold_italic"),
)


@dataclass(frozen=True)
class Entry:
    kind: str  # "template" or "theme"
    name: str
    folder: Path
    overrides: bool  # a user's file hiding a built-in of the same name
    builtin: bool


def entries(user_folders: tuple[Path, ...]) -> list[Entry]:
    """Every template and theme on the search path, the first folder's winning, in order."""
    builtin = builtin_templates_dir()
    builtin_templates = set(_templates(builtin))
    builtin_themes = set(_themes(builtin))
    found: list[Entry] = []
    seen: set[tuple[str, str]] = set()
    for folder in (*user_folders, builtin):
        is_builtin = folder == builtin
        for kind, names, builtins in (
            ("template", _templates(folder), builtin_templates),
            ("theme", _themes(folder), builtin_themes),
        ):
            for name in names:
                if (kind, name) in seen:
                    continue
                seen.add((kind, name))
                found.append(
                    Entry(kind, name, folder, not is_builtin and name in builtins, is_builtin)
                )
    return sorted(found, key=lambda e: (e.kind, e.name))


def _templates(folder: Path) -> list[str]:
    return ConfinedLoader([folder], folder).list_templates()


def _themes(folder: Path) -> list[str]:
    return sorted(p.stem for p in (folder / "themes").glob("*.yaml"))


@dataclass(frozen=True)
class Copied:
    written: list[Path]
    kept: list[Path]  # already there: never overwritten


def copy_builtin(name: str, destination: Path) -> Copied:
    """Copy the built-in template or theme `name` (with what it needs) into `destination`."""
    builtin = builtin_templates_dir()
    name = name.removeprefix(BUILTIN_PREFIX)
    if f"{name}.md.j2" in _templates(builtin):  # `staff` for staff.md.j2
        name = f"{name}.md.j2"
    if name in _templates(builtin):
        files = _template_closure(name, builtin)
    elif name.removeprefix("themes/").removesuffix(".yaml") in _themes(builtin):
        files = _theme_files(name.removeprefix("themes/").removesuffix(".yaml"), builtin)
    else:
        from difflib import get_close_matches

        known = [*_templates(builtin), *_themes(builtin)]
        close = get_close_matches(name, [*known, *(k.removesuffix(".md.j2") for k in known)], n=1)
        raise UsageError(
            f"no built-in template or theme {name!r}",
            hint=(f"did you mean `{close[0]}`? " if close else "")
            + f"built-ins: {', '.join(known)}",
        )
    written, kept = [], []
    for relative in files:
        target = destination / relative
        if target.exists():
            kept.append(target)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(builtin / relative, target)
        written.append(target)
    return Copied(written, kept)


def _template_closure(name: str, folder: Path) -> list[str]:
    """`name` and every template it extends, imports or includes, transitively."""
    env = jinja2.Environment()
    todo, done = [name], []
    while todo:
        current = todo.pop(0)
        if current in done:
            continue
        done.append(current)
        source = (folder / current).read_text(encoding="utf-8")
        for used in meta.find_referenced_templates(env.parse(source)):
            if used is not None:
                todo.append(used.removeprefix(BUILTIN_PREFIX))
    return done


def _theme_files(name: str, folder: Path) -> list[str]:
    """The theme's YAML and the files next to it that it names (bundled fonts stay bundled)."""
    relative = f"themes/{name}.yaml"
    data = load_yaml_file(folder / relative).data
    files = [relative]
    for path in THEME_FILE_KEYS:
        value: object = data
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if isinstance(value, str) and (folder / "themes" / value).is_file():
            files.append(f"themes/{value}")
    return files
