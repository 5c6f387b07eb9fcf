"""Where templates and themes are found: the user's folders first, then the built-ins."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.cache import Cache, cached, stamp
from briefgen.confine import confine
from briefgen.errors import ThemeError
from briefgen.fonts import FONT_DIR
from briefgen.loader import KeyPath, LoadedYaml, load_yaml_file
from briefgen.locales import builtin_templates_dir
from briefgen.themefiles import check_font, check_logo, check_reference
from briefgen.validation import validate

if TYPE_CHECKING:
    # Imported where a theme is read: briefgen.config needs the folders only, and `briefgen
    # validate` builds no theme models.
    from briefgen.theme import Theme

__all__ = ["builtin_templates_dir", "load_labels", "load_theme", "template_folders"]


def template_folders(user_folders: Sequence[Path] = ()) -> tuple[Path, ...]:
    return (*(Path(f).resolve() for f in user_folders), builtin_templates_dir())


def theme_names(folders: Sequence[Path]) -> list[str]:
    names = {p.stem for folder in folders for p in (folder / "themes").glob("*.yaml")}
    return sorted(names)


def load_theme(
    name: str, folders: Sequence[Path], input_dir: Path | None = None, cache: Cache | None = None
) -> Theme:
    """Find `themes/NAME.yaml` on the search path and validate it like a meeting file.

    The files it names (logo, reference document, fonts) must lie inside the template folders
    or `input_dir`, the folder of the meeting file being built. With a `cache` (a Project's),
    the theme is read again only when its file changes.
    """
    folders = tuple(folders)
    path = _find(folders, Path("themes") / f"{name}.yaml", f"theme {name!r}")
    if path is not None:
        key = ("theme", name, folders, input_dir, stamp([path]))
        return cached(cache, key, partial(_read_theme, name, path, folders, input_dir))
    from difflib import get_close_matches

    known = theme_names(folders)
    close = get_close_matches(name, known, n=1)
    hint = (f"did you mean `{close[0]}`? " if close else "") + f"themes: {', '.join(known)}"
    raise ThemeError(f"unknown theme {name!r}", hint=hint)


def _read_theme(name: str, path: Path, folders: tuple[Path, ...], input_dir: Path | None) -> Theme:
    from briefgen.theme import Theme

    loaded = load_yaml_file(path)
    theme: Theme = validate(Theme, loaded)
    roots = tuple(str(f) for f in (*folders, *([input_dir] if input_dir else [])))
    theme = theme.model_copy(
        update={"base_dir": str(path.parent), "name": name, "path": str(path), "roots": roots}
    )
    _check_theme_files(theme, loaded)
    return theme


_FACES = ("regular", "bold", "italic", "bold_italic")
_KINDS = {  # what a named file must start with, what it should be, how to fix it
    "logo": (
        (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"),
        "a PNG or JPEG image",
        "save the logo as PNG (or JPEG)",
    ),
    "reference_docx": ((b"PK",), "a Word (.docx) file", "save the document from Word as .docx"),
}


def _check_theme_files(theme: Theme, loaded: LoadedYaml) -> None:
    """Every file the theme names exists, stays inside the allowed folders and is of the right
    kind: reported at its YAML line now rather than halfway through writing a brief."""
    checks: list[tuple[KeyPath, Callable[[], object]]] = []
    if theme.logo is not None:
        checks.append((("logo", "file"), partial(_check_file, theme, theme.logo.file, "logo")))
    if theme.reference_docx:
        checks.append(
            (
                ("reference_docx",),
                partial(_check_file, theme, theme.reference_docx, "reference_docx"),
            )
        )
    for face in _FACES:
        checks.append((("fonts", face), partial(_check_font, theme, face)))
    for key, check in checks:
        try:
            check()
        except ThemeError as exc:
            raise ThemeError(
                exc.message, location=loaded.source.location(key), hint=exc.hint
            ) from None
        except FileNotFoundError as exc:  # a font neither next to the theme nor bundled
            raise ThemeError(
                str(exc),
                location=loaded.source.location(key),
                hint="name a .ttf file next to the theme, or a bundled font",
            ) from None


def _check_file(theme: Theme, name: str, kind: str) -> None:
    magic, what, fix = _KINDS[kind]
    path = theme.file_path(name)
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except FileNotFoundError:
        hint = f"paths are relative to the theme's folder, {theme.base_dir}"
        raise ThemeError(f"{kind}: file not found: {name!r}", hint=hint) from None
    except OSError as exc:
        raise ThemeError(f"{kind}: cannot read {name!r}: {exc.strerror}") from None
    if not head.startswith(magic):
        raise ThemeError(f"{kind}: {name!r} is not {what}", hint=fix)
    (check_logo if kind == "logo" else check_reference)(path, name)


def _check_font(theme: Theme, face: str) -> None:
    path = theme.font_path(face)  # type: ignore[arg-type]  # one of _FACES
    if path.parent != FONT_DIR:  # the bundled fonts are known to be sound
        check_font(path, getattr(theme.fonts, face))


def load_labels(
    language: str, folders: Sequence[Path], cache: Cache | None = None
) -> dict[str, str]:
    """Fixed words of a brief ("Purpose", "Page 1 of 2") in the meeting's language.

    `labels/LANG.yaml` on the search path; a regional language falls back to its base
    (`bs_BA` → `bs`), and any missing word to English.
    """
    labels: dict[str, str] = {}
    base = language.replace("-", "_").split("_")[0].lower()
    for code in ("en", base, language.replace("-", "_")):
        path = _find(folders, Path("labels") / f"{code}.yaml", f"labels {code}.yaml")
        if path is not None:
            labels.update(cached(cache, ("labels", stamp([path])), partial(_read_labels, path)))
    return labels


def _read_labels(path: Path) -> dict[str, str]:
    data = load_yaml_file(path).data
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ThemeError(f"{path}: labels must be a mapping of names to text")
    return {str(k): v for k, v in data.items()}


def _find(folders: Sequence[Path], relative: Path, what: str) -> Path | None:
    """The first folder's `relative` file on the search path, confined to that folder."""
    for folder in folders:
        path = folder / relative
        if path.is_file():
            return confine(
                path, [folder], what=what, allowed="its template folder", error=ThemeError
            )
    return None
