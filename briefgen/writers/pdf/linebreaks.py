"""Paragraphs of one layout handed to the next layout of the same document: their parsed markup
and their line breaks, which depend on the text, the style's fonts and indents and the width,
never on the space above and below blocks that a tighter layout (document.TIGHT) changes.

The second layout of a runt brief makes every paragraph again; each one made from the same
markup with a style equal but for its space before and after takes the parse of its twin from
the first layout (`Relay.paragraph`), and, when it is first broken at the width its twin was
broken at, its twin's lines (`Relayed.breakLines`). A twin gives once, and only what it had
right after its one line breaking: a paragraph broken again at another width, or split at a
page's foot (reportlab's split rewrites words of the lines it shares), gives its parse only.
Neither layout is drawn until one is chosen (replay.py). A first layout kept after the second
is made a third time, its paragraphs taking from the second's, which give on what they took:
so no file is drawn from paragraphs a later layout has split.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable
from typing import Any, TypeVar

from reportlab import platypus as rl
from reportlab.lib.styles import ParagraphStyle

# The style's fields a paragraph's parse and line breaks do not read: what Theme.tightened
# changes. Every other field is part of the twin's key.
_SPACING = frozenset({"spaceBefore", "spaceAfter"})


class _Broken:
    """What a paragraph's one line breaking made, as reportlab's breakLines left it."""

    __slots__ = ("after", "before", "counts", "frags", "lines")

    def __init__(self, before: Any, after: Any, lines: Any, frags: Any, counts: Any) -> None:
        self.before, self.after, self.lines, self.frags, self.counts = (
            before,
            after,
            lines,
            frags,
            counts,
        )


class Relayed(rl.Paragraph):  # type: ignore[misc]
    """A paragraph that keeps its first line breaking for a twin in the next layout, or takes
    its twin's (see the module's docstring)."""

    _parsed: list[Any] | None = None  # the parse's fragments, as the parse made them
    _broken: _Broken | None = None  # set by the one line breaking; None once spent or split
    _breaks = 0
    _twin: Relayed | None = None  # the first layout's paragraph this one takes from

    def breakLines(self, width: Any) -> Any:
        twin, self._twin = self._twin, None
        before = list(width) if isinstance(width, list) else width
        broken = twin._broken if twin is not None else None
        if (
            twin is not None
            and broken is not None
            and self._breaks == 0
            and broken.before == before
        ):
            twin._broken = None  # given once: the lines are this paragraph's now
            self._breaks = 1
            if isinstance(width, list):
                width[:] = broken.after  # as reportlab's bullet handling left them
            self.frags = broken.frags
            self._width_max, self._splitLongWordCount, self._hyphenations = broken.counts
            self.height = 0
            if self._parsed is not None:  # and its to give on, as if broken here
                self._broken = broken
            return broken.lines
        lines = super().breakLines(width)
        self._breaks += 1
        if self._breaks == 1 and self._parsed is not None and not self.style.wordWrap:
            after = list(width) if isinstance(width, list) else width
            counts = (self._width_max, self._splitLongWordCount, self._hyphenations)
            self._broken = _Broken(before, after, lines, self.frags, counts)
        else:
            self._broken = None  # broken again: what it holds is not the first breaking's
        return lines

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        self._broken = None  # reportlab's split rewrites words of the lines it shares
        return super().split(availWidth, availHeight)  # type: ignore[no-any-return]


P = TypeVar("P", bound=Relayed)


def _style_key(fields: dict[str, Any]) -> Hashable | None:
    if fields.get("parent") is not None:
        return None  # inherited fields would not be in the key
    try:
        key = frozenset(i for i in fields.items() if i[0] not in _SPACING)
        hash(key)
    except TypeError:  # a field holding a list (a border padding): made anew, never handed on
        return None
    return key


class Relay:
    """The first layout's paragraphs by markup and style, handed on to the second layout's.

    A writer sets its styles up before it makes paragraphs from them and never changes them
    after; the key is made from a style's fields when the second layout starts."""

    def __init__(self) -> None:
        # The first layout's paragraphs, keyed only if a second layout comes (most briefs have
        # none: the first layout pays one append per paragraph).
        self._made: list[tuple[type[Relayed], str, ParagraphStyle, Relayed]] = []
        self._twins: dict[Hashable, deque[Relayed]] = {}
        self._handing_on = False
        # Each style's key made once (a dict comparison checks it is the same style still).
        self._styles: dict[int, tuple[ParagraphStyle, dict[str, Any], Hashable | None]] = {}

    def hand_on(self) -> None:
        """A layout is done: paragraphs made from now on take from their twins in it (and
        what a twin took from the layout before it, it gives on)."""
        self._handing_on, self._twins = True, {}
        for kind, text, style, made in self._made:
            key = self._key(kind, text, style)
            if key is not None:
                self._twins.setdefault(key, deque()).append(made)
        self._made = []

    def _key(self, kind: type[Relayed], text: str, style: ParagraphStyle) -> Hashable | None:
        fields = vars(style)
        known = self._styles.get(id(style))
        if known is None or known[0] is not style or known[1] != fields:
            known = (style, dict(fields), _style_key(fields))
            self._styles[id(style)] = known
        return None if known[2] is None else (kind, text, known[2])

    def paragraph(self, kind: type[P], text: str, style: ParagraphStyle) -> P:
        key = self._key(kind, text, style) if self._handing_on else None
        twins = self._twins.get(key) if key is not None else None
        if not twins:
            made = kind(text, style)
            # The parse's own style (no <para> attributes made another): the twin's is equal.
            if made.style is style and made.bulletText is None:
                made._parsed = list(made.frags)
                self._made.append((kind, text, style, made))
            return made
        twin = twins.popleft()
        assert twin._parsed is not None
        made = kind(twin.text, style, frags=list(twin._parsed))  # the parse, not done again
        made._twin, made._parsed = twin, twin._parsed
        self._made.append((kind, text, style, made))
        return made
