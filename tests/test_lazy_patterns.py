"""reportlab's URL pattern compiled on first use (briefgen/writers/pdf/lazy_patterns.py): never
by a build that does not hyphenate a URL, and when used, the same lines as compiled at import."""

from __future__ import annotations

import copy
import pickle
import re
import sys
from pathlib import Path

import pytest
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import paragraph

from briefgen.writers.pdf import lazy_patterns
from briefgen.writers.pdf.lazy_patterns import LazyPattern, import_paragraph_module
from tests.conftest import EXAMPLE, fresh_python

URL = "https://www.example.org/briefings/2025/ministerial-week/annexes/participants-and-roles"


def test_a_build_that_hyphenates_no_url_never_compiles_it(tmp_path: Path) -> None:
    probe = (
        "from briefgen.cli import main\n"
        "try:\n"
        f"    main(['build', {str(EXAMPLE)!r}, '-o', {str(tmp_path / 'out')!r}])\n"
        "except SystemExit as stop:\n"
        "    assert stop.code in (0, None), stop.code\n"
        "from reportlab.platypus import paragraph\n"
        "print(type(paragraph.uri_pat).__name__, paragraph.uri_pat.compiled)\n"
        "print(*(type(getattr(paragraph, name)).__name__ for name in\n"
        "    ('_hy_letters_pat', '_hy_shy_letters_pat', '_hy_pfx_pat', '_scheme_re')))\n"
    )
    result = fresh_python(probe, tmp_path)
    assert result.returncode == 0, result.stderr
    deferred, others = result.stdout.splitlines()[-2:]
    assert deferred == "LazyPattern None"
    assert others == "Pattern Pattern Pattern Pattern"  # only the URL pattern is deferred
    assert (tmp_path / "out" / "2024-12-18_nato-sg-bih-presidency.staff.pdf").is_file()


def _url_pattern() -> tuple[str, int]:
    """reportlab's URL pattern and flags, deferred or not (pytest may import reportlab first)."""
    found = paragraph.uri_pat
    source: tuple[str, int] = (
        found.source if isinstance(found, LazyPattern) else (found.pattern, found.flags)
    )
    assert source[0].startswith(lazy_patterns.URL_PATTERN_START)
    return source


def _justified_lines(width: float) -> list[str]:
    style = ParagraphStyle(
        "p", alignment=TA_JUSTIFY, hyphenationLang="en_GB", embeddedHyphenation=1, fontSize=10
    )
    para = paragraph.Paragraph(f"See the annex at {URL} for who attends and why.", style)
    para.wrap(width, 1000)
    return [" ".join(str(w) for w in line[1]) for line in para.blPara.lines]


def test_a_hyphenated_url_breaks_as_with_the_pattern_compiled_at_import(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lazy = LazyPattern(*_url_pattern())
    monkeypatch.setattr(paragraph, "uri_pat", lazy)
    lines = _justified_lines(120)
    assert lazy.compiled is not None  # reportlab did split the URL with it
    assert lines[0].endswith(" https://")  # the URL broken after its scheme, with no hyphen
    assert lines[1].startswith("www.example.org/")
    monkeypatch.setattr(paragraph, "uri_pat", re.compile(*lazy.source))
    assert _justified_lines(120) == lines


def test_the_import_leaves_re_compile_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    compile_before = re.compile
    monkeypatch.delitem(sys.modules, "reportlab.platypus.paragraph")
    monkeypatch.setattr(lazy_patterns, "import_module", _failing_import)
    with pytest.raises(ImportError):
        import_paragraph_module()
    assert re.compile is compile_before


def _failing_import(name: str) -> None:
    assert re.compile("x").pattern == "x"  # others still compiled, inside the window
    raise ImportError(name)


def test_a_deferred_pattern_copies_and_pickles_as_the_pattern_it_stands_for() -> None:
    lazy = LazyPattern("ab+c", re.IGNORECASE)
    for made in (copy.copy(lazy), copy.deepcopy(lazy), pickle.loads(pickle.dumps(lazy))):
        assert isinstance(made, re.Pattern)
        assert (made.pattern, made.flags) == ("ab+c", re.IGNORECASE | re.UNICODE)
        assert made.match("ABBC") is not None


def test_a_deferred_pattern_first_used_inside_the_window_is_compiled_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lazy = LazyPattern("ab+c", 0)
    # Inside the window re.compile defers the URL pattern: compiling that one there again
    # would hand back another stand-in, and so on without end.
    monkeypatch.setattr(re, "compile", LazyPattern)
    assert lazy.match("abbc") is not None
    assert isinstance(lazy.compiled, re.Pattern)
