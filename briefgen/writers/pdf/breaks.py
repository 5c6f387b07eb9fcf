"""Where pages break: no heading stranded at a page foot, no lone table row at a page top, and
no last page holding a few lines when the last short block can go there with what precedes it.
"""

from __future__ import annotations

from typing import Any

from reportlab import platypus as rl

# A last block and what precedes it are kept together when both take at most this share of a
# page: moving them leaves the page before at most this much emptier, and the last page fuller.
END_SHARE = 0.4


def starts_here(flowable: rl.Flowable, width: float, height: float) -> bool:
    """Whether a first piece of `flowable` fits in `height`: all of it, or a split whose first
    part is real (a paragraph's two lines, a table's header and a row, a chart's rows)."""
    if height <= 0:
        return False
    if isinstance(flowable, rl.KeepTogether):  # moves on whole unless it flows as usual
        flowable.wrap(width, height)
        total: float = flowable._H
        if total <= height:
            return True
        if isinstance(flowable, KeepShortEnd) and total > flowable.limit:
            return starts_here(flowable._content[0], width, height)
        return False
    if isinstance(flowable, rl.ListFlowable):  # it hands on its items, each indented
        pieces: list[rl.Flowable] = flowable.split(width, height)
        return bool(pieces) and starts_here(pieces[0], width, height)
    _, needed = flowable.wrap(width, height)
    if needed <= height:
        return True
    parts: list[rl.Flowable] = flowable.split(width, height)
    return bool(parts) and not (len(parts) == 1 and parts[0] is flowable)


# A row taller than this may break across pages; a shorter one moves on whole, so a row's last
# line or two never stands alone at a page's top.
TALL_ROW = 200.0


class Table(rl.Table):  # type: ignore[misc]
    """A table whose split never leaves a single body row alone at the top of the next page
    (the row before it goes along), and that breaks inside a row only when the row is tall."""

    def split(self, availWidth: float, availHeight: float) -> list[rl.Flowable]:
        in_row: int = getattr(self, "splitInRow", 0)
        self.splitInRow = 0
        try:
            parts: list[rl.Flowable] = super().split(availWidth, availHeight)
        finally:
            self.splitInRow = in_row
        if not parts:
            if in_row and max(self._rowHeights, default=0) > TALL_ROW:
                return super().split(availWidth, availHeight)  # type: ignore[no-any-return]
            return parts
        if len(parts) != 2:
            return parts
        first, rest = parts
        header = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
        if len(rest._cellvalues) - header != 1:
            return parts
        if len(first._cellvalues) - header < 2:
            # A row here and a row there: the table moves on whole, as it is short.
            return [] if sum(self._rowHeights) <= TALL_ROW else parts
        self.splitInRow = 0
        try:
            shorter = availHeight - first._rowHeights[-1] - 0.5
            return super().split(availWidth, shorter)  # type: ignore[no-any-return]
        finally:
            self.splitInRow = in_row


class KeepShortEnd(rl.KeepTogether):  # type: ignore[misc]
    """The last block of a brief (or of a pack's meeting) with the block before it, so the last
    page holds more than a few lines; only when together they are short (`limit` points), else
    they flow as usual."""

    def __init__(self, flowables: list[rl.Flowable], limit: float) -> None:
        super().__init__(flowables)
        self.limit = limit

    def split(self, aW: float, aH: float) -> list[rl.Flowable]:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        total: float = self._H
        if total > self.limit:  # through the queue: the first part need not fit here
            return [rl.NullActionFlowable(), *self._content]
        return super().split(aW, aH)  # type: ignore[no-any-return]


def keep_short_ends(story: list[rl.Flowable], limit: float, is_heading: Any) -> list[rl.Flowable]:
    """Each run of the story up to a page break (a brief, or a meeting in a pack) gets its last
    section — from its last heading on — kept with the flowable before that heading."""
    out: list[rl.Flowable] = []
    run: list[rl.Flowable] = []
    for flowable in [*story, None]:
        if flowable is None or isinstance(flowable, (rl.PageBreak, rl.PageBreakIfNotEmpty)):
            out.extend(_keep_end(run, limit, is_heading))
            run = []
            if flowable is not None:
                out.append(flowable)
        else:
            run.append(flowable)
    return out


def _keep_end(run: list[rl.Flowable], limit: float, is_heading: Any) -> list[rl.Flowable]:
    last = max((i for i, f in enumerate(run) if is_heading(f)), default=-1)
    start = last - 1  # the content just before the last section: not the title block's rule
    if start < 1 or not _movable(run[start]):
        return run
    # With the headings it is kept with: reportlab keeps no heading with a KeepTogether.
    while start > 1 and run[start - 1].getKeepWithNext():
        start -= 1
    return [*run[:start], KeepShortEnd(run[start:], limit)]


def _movable(flowable: rl.Flowable) -> bool:
    return not isinstance(flowable, (rl.HRFlowable, rl.ActionFlowable))
