"""Languages a brief can be written in, and where the built-in templates and labels live.

Below the model (which checks a meeting's `language`) and the resources (which find templates),
so both can ask without importing each other.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
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


@cache
def label_languages() -> tuple[str, ...]:
    """The languages the built-in labels translate the fixed words of a brief into."""
    return tuple(sorted(p.stem for p in (builtin_templates_dir() / "labels").glob("*.yaml")))


@cache
def locale_known(code: str) -> bool:
    """Whether Babel has data for a locale code such as `en`, `bs`, `en_GB` or `en-GB`."""
    from babel.localedata import normalize_locale

    # Babel's own list of locales it has data for; Locale.parse alone would quietly turn an
    # unknown region (en_ZZZZ) into another locale.
    return code.isascii() and normalize_locale(code.replace("-", "_")) is not None
