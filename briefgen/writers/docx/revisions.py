"""Tracked changes in WordprocessingML: w:ins / w:del around runs, paragraph marks and rows.

Word's Review pane lists each with its author and date; Accept All keeps the insertions and
drops the deletions, Reject All the reverse. Ids are counted per document, the date is the
document's (SOURCE_DATE_EPOCH or the meeting day), so a redline rebuilds to the same bytes.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from docx.oxml.xmlchemy import BaseOxmlElement
from lxml.etree import SubElement

from briefgen.document import Deletion, DocumentInfo, Inline, Insertion, change_of
from briefgen.writers.docx.blocks import PPR, T, w

_TAGS = {Insertion: "ins", Deletion: "del"}


class Revisions:
    def __init__(self, info: DocumentInfo) -> None:
        self.author = info.revisions.author if info.revisions else "briefgen"
        self.date = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(info.created))
        self.count = 0

    def _attributes(self) -> dict[str, str]:
        self.count += 1
        return {w("id"): str(self.count), w("author"): self.author, w("date"): self.date}

    def holder(self, parent: BaseOxmlElement, change: str) -> BaseOxmlElement:
        """Where a run goes: the parent itself, or a new w:ins / w:del inside it."""
        if not change:
            return parent
        element: BaseOxmlElement = SubElement(parent, w(change), self._attributes())
        return element

    def track(self, r: BaseOxmlElement, change: str) -> None:
        if change == "del":  # deleted text is w:delText, or Word shows it as live text
            for t in r.iter(T):
                t.tag = w("delText")

    def mark_paragraph(self, p: BaseOxmlElement, kind: type[Inline] | None) -> None:
        """A paragraph inserted or deleted whole: its mark too, so it goes with its text."""
        if kind is not None:
            SubElement(SubElement(p.find(PPR), w("rPr")), w(_TAGS[kind]), self._attributes())

    def mark_row(
        self, tr: BaseOxmlElement, cells: Sequence[tuple[Inline, ...]]
    ) -> type[Insertion] | type[Deletion] | None:
        """A table row whose every filled cell is inserted (or deleted) whole is tracked as an
        inserted (deleted) row; returns which, or None."""
        kinds = {change_of(c) for c in cells if c}
        if len(kinds) != 1 or None in kinds:
            return None
        kind = kinds.pop()
        assert kind is not None
        tr_pr = tr.find(w("trPr"))
        if tr_pr is None:
            tr_pr = tr.makeelement(w("trPr"), {})
            tr.insert(0, tr_pr)
        SubElement(tr_pr, w(_TAGS[kind]), self._attributes())
        return kind
