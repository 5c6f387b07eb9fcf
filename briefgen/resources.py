"""Where templates and themes are found: the user's folders first, then the built-ins."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from briefgen.errors import ThemeError
from briefgen.loader import load_yaml_file
from briefgen.theme import Theme
from briefgen.validation import validate


@lru_cache(maxsize=1)
def builtin_templates_dir() -> Path:
    """The built-in templates: inside the installed package, or `templates/` in a checkout."""
    try:
        from importlib.resources import files

        folder = Path(str(files("briefgen.templates")))
        if (folder / "themes").is_dir():
            return folder
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parent.parent / "templates"


def template_folders(user_folders: Sequence[Path] = ()) -> tuple[Path, ...]:
    return (*(Path(f).resolve() for f in user_folders), builtin_templates_dir())


def theme_names(folders: Sequence[Path]) -> list[str]:
    names = {p.stem for folder in folders for p in (folder / "themes").glob("*.yaml")}
    return sorted(names)


def load_theme(name: str, folders: Sequence[Path]) -> Theme:
    """Find `themes/NAME.yaml` on the search path and validate it like a meeting file."""
    return _load_theme_cached(name, tuple(folders))


@lru_cache(maxsize=32)
def _load_theme_cached(name: str, folders: tuple[Path, ...]) -> Theme:
    for folder in folders:
        path = folder / "themes" / f"{name}.yaml"
        if path.is_file():
            theme: Theme = validate(Theme, load_yaml_file(path))
            return theme.model_copy(update={"base_dir": str(path.parent), "name": name})
    from difflib import get_close_matches

    known = theme_names(folders)
    close = get_close_matches(name, known, n=1)
    hint = (f"did you mean `{close[0]}`? " if close else "") + f"themes: {', '.join(known)}"
    raise ThemeError(f"unknown theme {name!r}", hint=hint)


def load_labels(language: str, folders: Sequence[Path]) -> dict[str, str]:
    """Fixed words of a brief ("Purpose", "Page 1 of 2") in the meeting's language.

    `labels/LANG.yaml` on the search path; a regional language falls back to its base
    (`bs_BA` → `bs`), and any missing word to English.
    """
    labels: dict[str, str] = {}
    base = language.replace("-", "_").split("_")[0].lower()
    for code in ("en", base, language.replace("-", "_")):
        labels.update(_labels_file(code, tuple(folders)))
    return labels


@lru_cache(maxsize=64)
def _labels_file(code: str, folders: tuple[Path, ...]) -> dict[str, str]:
    for folder in folders:
        path = folder / "labels" / f"{code}.yaml"
        if path.is_file():
            data = load_yaml_file(path).data
            if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
                raise ThemeError(f"{path}: labels must be a mapping of names to text")
            return {str(k): v for k, v in data.items()}
    return {}
