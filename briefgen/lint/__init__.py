"""Input quality: `briefgen lint` finds text problems in valid meeting files, fixes the safe ones.

The face of the package; its modules are `checks` (lint and fix a file or a text), `rules` (one
finding per rule), `prose` (sentences and words), `style` (case and spelling variety across
fields), `words` (names, dictionaries, word lists) and `source` (text values and their offsets).
"""

from briefgen.lint.checks import (
    FixResult,
    LintWarning,
    fix_file,
    fix_text,
    lint_file,
    lint_text,
    safe_fix,
    user_words,
)

__all__ = [
    "FixResult",
    "LintWarning",
    "fix_file",
    "fix_text",
    "lint_file",
    "lint_text",
    "safe_fix",
    "user_words",
]
