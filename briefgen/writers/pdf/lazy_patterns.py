"""reportlab's paragraph module without its one costly start-up step: the URL pattern it compiles
at import (~50 ms, a third of importing platypus) is compiled on its first use instead.

reportlab uses the pattern only to hyphenate a URL (a justified theme's long address), so most
builds never compile it. Every other pattern is compiled as reportlab compiles it, and a
reportlab whose pattern reads otherwise simply compiles it at import again.
"""

from __future__ import annotations

import re
import sys
import threading
from importlib import import_module
from typing import Any

# How reportlab 5's URL pattern (derived from Django's validator) begins, and its flags.
URL_PATTERN_START = "(^(?:[a-z0-9\\.\\-\\+]*)://)"
_PARAGRAPH = "reportlab.platypus.paragraph"
# re's own compile, taken before any window replaces it: a pattern first used while re.compile
# is still the window's stand-in would otherwise be made lazy again, and again, without end.
_COMPILE = re.compile


class LazyPattern:
    """A compiled pattern's stand-in that compiles it when first asked for anything."""

    def __init__(self, pattern: str, flags: int) -> None:
        self.source = (pattern, flags)
        self.compiled: re.Pattern[str] | None = None
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:  # only names the instance lacks: match, search...
        with self._lock:
            if self.compiled is None:
                self.compiled = _COMPILE(*self.source)
        return getattr(self.compiled, name)

    def __reduce__(self) -> tuple[Any, tuple[str, int]]:
        # Copied or pickled as the compiled pattern it stands for, as re.Pattern is: without
        # this, copy.copy recursed (__getattr__ on an instance not yet given its lock) and
        # pickle failed on the lock.
        return (_COMPILE, self.source)


def import_paragraph_module() -> None:
    """Import reportlab.platypus.paragraph (and so platypus) with its URL pattern made lazy;
    a no-op once it is imported."""
    if _PARAGRAPH in sys.modules:
        return
    compile_now = re.compile

    def compile_unless_url(pattern: Any, flags: int = 0) -> Any:
        if isinstance(pattern, str) and pattern.startswith(URL_PATTERN_START):
            return LazyPattern(pattern, flags)
        return compile_now(pattern, flags)

    re.compile = compile_unless_url
    try:
        import_module(_PARAGRAPH)
    finally:
        re.compile = compile_now
