"""What a brief was made from: the template, theme, label and font files a build used, hashed.

"Used" rather than "could use": the set is the audience's template and every template it
extends, includes or imports (found by parsing, the way Jinja would load them), the theme file
and every file it names, the label files for the meeting's language, and the four fonts. An
unrelated template added to a folder therefore does not make every archived brief look changed.
A template that picks another by a computed name (`{% include name %}`) cannot be followed by
parsing; then every template on the search path counts, which errs on the side of "changed".
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta

from briefgen.audience import Audience
from briefgen.errors import TemplateError
from briefgen.templating import TemplateSet
from briefgen.theme import Theme

_FONT_FACES = ("regular", "bold", "italic", "bold_italic")


@dataclass(frozen=True)
class FileSet:
    """Files by the name a build looks them up with (`staff.md.j2`, `themes/formal.yaml`)."""

    files: dict[str, str]  # name → sha256 of the bytes

    @property
    def digest(self) -> str:
        """sha256 over the sorted `name<TAB>sha256<LF>` lines: one value for the whole set."""
        lines = "".join(f"{name}\t{sha}\n" for name, sha in sorted(self.files.items()))
        return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def used_files(templates: TemplateSet, audience: Audience, theme: Theme, language: str) -> FileSet:
    """The template and theme set a build of `audience` used, with each file's hash."""
    paths: dict[str, Path] = {}
    paths.update(_template_files(templates, audience.template))
    paths.update(_theme_files(theme, templates.folders))
    paths.update(_label_files(language, templates.folders))
    return FileSet({name: sha256_file(path) for name, path in paths.items()})


def _template_files(templates: TemplateSet, entry: str) -> dict[str, Path]:
    env = templates.env
    found: dict[str, Path] = {}
    pending = [entry]
    while pending:
        name = pending.pop()
        if name in found:
            continue
        try:
            source, filename, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
            parsed = env.parse(source)
        except jinja2.TemplateNotFound:
            raise TemplateError(f"template {name!r} not found") from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"template syntax error: {exc.message}") from None
        found[name] = Path(str(filename))
        for referenced in meta.find_referenced_templates(parsed):
            if referenced is None:  # a computed name: any template could be the one
                pending.extend(templates.names())
            else:
                pending.append(referenced)
    return found


def _theme_files(theme: Theme, folders: Sequence[Path]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    base = Path(theme.base_dir) if theme.base_dir else None
    if base is not None:
        yaml_path = base / f"{theme.name}.yaml"
        if yaml_path.is_file():
            found[_display_name(yaml_path, folders)] = yaml_path
        # Every value of the theme that names a file next to it (logo, reference document,
        # fonts…), found without listing the fields, so a new kind of theme file counts too.
        # Only inside the folders a theme may take files from: footer text that happens to
        # name a file elsewhere is not a theme file.
        roots = [p.resolve() for p in (base, *folders, *map(Path, getattr(theme, "roots", ())))]
        for value in _strings(theme.model_dump()):
            candidate = (base / value).resolve()
            inside = any(candidate.is_relative_to(root) for root in roots)
            if value and inside and candidate.is_file():
                found[_display_name(candidate, folders)] = candidate
    for face in _FONT_FACES:
        path = theme.font_path(face)  # type: ignore[arg-type]
        found[_display_name(path, folders)] = path
    return found


def _label_files(language: str, folders: Sequence[Path]) -> dict[str, Path]:
    # The same lookup as resources.load_labels: English, the base language, the full tag.
    base = language.replace("-", "_").split("_")[0].lower()
    found: dict[str, Path] = {}
    for code in ("en", base, language.replace("-", "_")):
        for folder in folders:
            path = folder / "labels" / f"{code}.yaml"
            if path.is_file():
                found[_display_name(path, folders)] = path
                break
    return found


def _display_name(path: Path, folders: Sequence[Path]) -> str:
    """The path relative to the search folder holding it; bundled files under `briefgen/`."""
    resolved = path.resolve()
    for folder in folders:
        try:
            return resolved.relative_to(folder.resolve()).as_posix()
        except ValueError:
            continue
    package = Path(__file__).resolve().parent
    try:
        return "briefgen/" + resolved.relative_to(package).as_posix()
    except ValueError:
        return resolved.as_posix()


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
