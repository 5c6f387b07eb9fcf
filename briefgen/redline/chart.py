"""A redline's timeline: NEW's chart, each moved bar carrying OLD's extent beside its own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from briefgen.document import Block, Timeline, TimelineRow


def merge_timeline(old: Timeline, new: Timeline) -> Timeline:
    """NEW's timeline; a row whose start or end changed since OLD (same label) gets OLD's."""
    before = {row.label: row for row in old.rows}
    rows: list[TimelineRow] = []
    for row in new.rows:
        was = before.get(row.label)
        if was is not None and (was.start, was.end) != (row.start, row.end):
            row = replace(row, previous=(was.start, was.end))
        rows.append(row)
    return replace(new, rows=tuple(rows))


def label_moves(blocks: Sequence[Block], label: str) -> tuple[Block, ...]:
    """The blocks, a timeline with a moved bar given `label` as its old extent's legend."""
    return tuple(
        replace(block, previous_label=label)
        if isinstance(block, Timeline) and any(r.previous is not None for r in block.rows)
        else block
        for block in blocks
    )
