"""briefgen: briefing packs (DOCX and PDF) from YAML meeting files.

Python API::

    import briefgen
    paths = briefgen.build("inputs/meeting.yaml", briefgen.BuildOptions(formats=("pdf",)))
"""

from __future__ import annotations

# Not `from typing import ...`: every command imports this package first, and typing (with re
# and collections) is a third of what a command handed to the build server imports. Type
# checkers read TYPE_CHECKING as true whatever it is assigned.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0"
__all__ = ["BuildOptions", "__version__", "build", "render_document"]


def __getattr__(name: str) -> Any:
    # Lazy: `briefgen --help` must not pay for importing the whole pipeline.
    if name in {"build", "BuildOptions", "render_document"}:
        from briefgen import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'briefgen' has no attribute {name!r}")
