"""Tagged lists: reportlab's ListFlowable with each bullet or number drawn as an item's Lbl."""

from __future__ import annotations

from typing import Any

from reportlab import platypus as rl
from reportlab.platypus.flowables import BulletDrawer

from briefgen.writers.pdf.structure import Element


class _Label(BulletDrawer):  # type: ignore[misc]
    """A bullet drawer whose drawing is its list item's Lbl."""

    briefgen_tag: Element | None = None

    def drawOn(self, indenter: Any, canv: Any, x: float, y: float, _sW: float = 0) -> None:
        tag, self.briefgen_tag = self.briefgen_tag, None  # drawn once: a split item has none
        if tag is None or not hasattr(canv, "begin_marked"):
            super().drawOn(indenter, canv, x, y, _sW)
            return
        canv.begin_marked(tag)
        super().drawOn(indenter, canv, x, y, _sW)
        canv.end_marked()


# The last two items are kept together when together they are at most this tall (points): the
# last item never stands alone at a page's top, and no long stretch moves on for it.
KEEP_LAST_TWO = 200.0


class TaggedList(rl.ListFlowable):  # type: ignore[misc]
    """ListFlowable makes one bullet per item, in order, while it is built: each gets its Lbl.

    Split at a page's foot, the list hands on its items (reportlab's way) with the last two
    kept together, so a single item never opens a page by itself.
    """

    def __init__(
        self, labels: list[Element], items: list[Any], nested: bool = False, **kwargs: Any
    ) -> None:
        self._briefgen_labels = list(labels)
        # reportlab hands on one indented piece per flowable of an item: how many each has.
        self._pieces = [
            len(item._flowables) if isinstance(item, rl.ListItem) else 1 for item in items
        ]
        # A list inside an item is split by its item's indenter, which cannot carry a kept group.
        self._keeps_last_two = not nested
        super().__init__(items, **kwargs)

    def _makeBullet(self, value: Any, params: Any = None) -> Any:
        drawer = super()._makeBullet(value, params)
        label = _Label.__new__(_Label)
        label.__dict__.update(drawer.__dict__)
        if self._briefgen_labels:
            label.briefgen_tag = self._briefgen_labels.pop(0)
        return label

    def split(self, aW: float, aH: float) -> list[rl.Flowable]:
        content: list[rl.Flowable] = list(self._content)
        if not self._keeps_last_two or len(self._pieces) < 2:
            return content
        # The last item whole, with the last piece of the item before it.
        kept = self._pieces[-1] + 1
        group = content[-kept:]
        height = sum(f.wrap(aW, aH)[1] + f.getSpaceAfter() for f in group)
        if height > KEEP_LAST_TWO:
            return content
        if kept == len(content):  # the whole list: here, or on the next page (reportlab's [])
            return [] if height > aH else content
        # The first piece is an item indenter, which reportlab places without a fit check.
        return [*content[:-kept], rl.KeepTogether(group)]
