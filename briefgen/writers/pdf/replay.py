"""Layouts that record what they would draw, so that only the layout kept is ever drawn.

A runt brief is laid out twice (document.write_pdf) and one layout is thrown away; drawing is
about a third of a layout's cost. So a layout draws nothing: each frame records, instead of
calling it, every `drawOn` the layout makes (the flowable, the frame, x, y and the space
beside it), and the canvas records, instead of doing them, the calls the document template
makes on it (page ends, page sizes, bookmarks, outline entries). `ReplayCanvas.replay` makes
the same calls, in the same order, on the same untouched canvas once the layout is chosen:
the page content, the marked content and its MCIDs, the structure tree, the annotations and
the bookmarks come out as if drawn while laid out.

What that relies on: a flowable drawn is never changed by the rest of its own layout (the
frame takes each flowable once, and a table's repeated header is wrapped again at the same
widths, which leaves its lines as they were), and drawing reads nothing of the layout but the
frame it is in and the canvas. A second layout of the same document may change the first's
paragraphs (they share their lines, linebreaks.Relay): a first layout kept after a second was
tried is laid out afresh (document.write_pdf).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from reportlab import platypus as rl

from briefgen.writers.pdf.page import BriefCanvas


class _Draw:
    """One drawOn the frame would have made, as Frame._add makes it."""

    __slots__ = ("flowable", "frame", "sw", "x", "y")

    def __init__(self, flowable: rl.Flowable, frame: rl.Frame, x: float, y: float, sw: float):
        self.flowable, self.frame, self.x, self.y, self.sw = flowable, frame, x, y, sw

    def __call__(self, canvas: ReplayCanvas) -> None:
        # As Frame._add draws: the flowable knows its frame and canvas while it draws, and the
        # document's frame is the one it is in (a redline's change bars read it).
        flowable, frame = self.flowable, self.frame
        canvas._doctemplate.frame = frame
        flowable._frame = frame
        flowable.canv = canvas
        flowable.drawOn(canvas, self.x, self.y, _sW=self.sw)
        flowable.canv = canvas
        for name in ("canv", "_frame"):
            if hasattr(flowable, name):
                delattr(flowable, name)


class _Recorder:
    """Stands in for a flowable's drawOn while a recording frame adds it."""

    __slots__ = ("flowable", "frame", "log")

    def __init__(self, flowable: rl.Flowable, frame: rl.Frame, log: list[Any]) -> None:
        self.flowable, self.frame, self.log = flowable, frame, log

    def __call__(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        self.log.append(_Draw(self.flowable, self.frame, x, y, _sW))


_ATOMIC = (int, float, str, bool, type(None))


class RecordingFrame(rl.Frame):  # type: ignore[misc]
    """A frame that, on a recording canvas, lays a flowable out but records its drawing."""

    def __deepcopy__(self, memo: dict[int, Any]) -> RecordingFrame:
        # reportlab deep-copies the frame for every kept-together group it wraps (to catch
        # content the wrap generates); a frame holds numbers and small lists of numbers, which
        # copy.deepcopy walks one by one. The same copy, made directly.
        twin = self.__class__.__new__(self.__class__)
        fields: dict[str, Any] = twin.__dict__
        for name, value in self.__dict__.items():
            if type(value) in _ATOMIC:
                fields[name] = value
            elif type(value) is list and all(type(item) in _ATOMIC for item in value):
                fields[name] = list(value)
            else:
                fields[name] = copy.deepcopy(value, memo)
        return twin

    def add(self, flowable: rl.Flowable, canv: Any, trySplit: int = 0) -> int:
        log = getattr(canv, "_log", None)
        if log is None:
            return self._add(flowable, canv, trySplit)  # type: ignore[no-any-return]
        # Into the instance's own dict: an indenter (a list item) hands attributes it sets to
        # the flowable it holds, and its own drawOn draws the bullet too.
        own = vars(flowable)
        own["drawOn"] = _Recorder(flowable, self, log)
        try:
            return self._add(flowable, canv, trySplit)  # type: ignore[no-any-return]
        finally:
            del own["drawOn"]


def _deferred(name: str) -> Callable[..., None]:
    """A canvas method that a recording canvas logs, to be called when it is replayed."""
    method = getattr(BriefCanvas, name)

    def deferred(self: ReplayCanvas, *args: Any, **kwargs: Any) -> None:
        if self._log is None:
            method(self, *args, **kwargs)
        else:
            self._log.append((method, args, kwargs))

    deferred.__name__ = name
    return deferred


class ReplayCanvas(BriefCanvas):
    """A BriefCanvas that records a layout's drawing (`record=True`) until `replay`."""

    _log: list[Any] | None = None  # None: calls go through (drawn as laid out, or replaying)

    def __init__(self, *args: Any, record: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._log = [] if record else None
        self._first_size = self._pagesize

    # What the document template does on the canvas while it lays out, in order with drawing.
    showPage = _deferred("showPage")
    setPageRotation = _deferred("setPageRotation")
    setCropBox = _deferred("setCropBox")
    bookmarkPage = _deferred("bookmarkPage")
    addOutlineEntry = _deferred("addOutlineEntry")
    showOutline = _deferred("showOutline")

    def setPageSize(self, size: tuple[float, float]) -> None:
        if self._log is None:
            super().setPageSize(size)
        else:  # the template reads the size back to know whether the next page turns
            self._pagesize = size
            self._log.append((BriefCanvas.setPageSize, (size,), {}))

    def replay(self, doc: rl.BaseDocTemplate) -> None:
        """Draw the layout recorded, as it would have been drawn while laid out."""
        log, self._log = self._log, None
        if log is None:
            return  # drawn as it was laid out
        self._pagesize = self._first_size
        self._doctemplate = doc  # as while the document is built
        try:
            for event in log:
                if type(event) is _Draw:
                    event(self)
                else:
                    method, args, kwargs = event
                    method(self, *args, **kwargs)
        finally:
            del self._doctemplate
