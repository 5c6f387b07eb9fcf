"""The one rule for files briefgen reads on another file's behalf: inside its allowed roots.

Templates, includes, themes, labels, fonts, logos, reference documents and people files are all
named by something a user wrote (a template folder, a theme, briefgen.yaml). Each is resolved
with every symbolic link followed, and refused unless the real file lies inside one of the roots
its namer may read from, so neither `../` nor a link can reach /etc/passwd.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from briefgen.errors import BriefgenError, Location

LINK_HINT = (
    "name files inside those folders, without ../ or an absolute path; a symbolic link must "
    "point inside them too"
)


class Refused(BriefgenError):
    """A file lies outside the roots it may come from."""


def resolve_inside(path: Path | str, roots: Sequence[Path | str]) -> Path | None:
    """The real path of `path` (links followed) when it lies inside one of `roots`, else None."""
    real = Path(path).resolve()
    for root in roots:
        if real.is_relative_to(Path(root).resolve()):
            return real
    return None


def confine(
    path: Path | str,
    roots: Sequence[Path | str],
    *,
    what: str,
    allowed: str = "the folders it may be read from",
    error: type[BriefgenError] = Refused,
    location: Location | None = None,
) -> Path:
    """`path` resolved, or `error` naming `what` it is, where it really is and what is allowed.

    `location` is the line that named the file (a theme's YAML line, briefgen.yaml).
    """
    real = resolve_inside(path, roots)
    if real is not None:
        return real
    folders = ", ".join(str(Path(r)) for r in roots) or "(none)"
    raise error(
        f"{what} is outside {allowed}: it is {Path(path).resolve()}",
        location=location,
        hint=f"{LINK_HINT}; allowed: {folders}",
    )
