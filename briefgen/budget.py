"""Page budgets: lay a brief out, and while it runs over its audience's pages, let the next
reduction give way and lay it out again.

A reduction is a name the template context carries in `reduced`; the templates decide what it
means (`{% if "initiatives" in reduced %}` prints a pointer instead of the table), so templates
stay the authority and the same reduced Document goes to every format. The PDF's layout counts
the pages: it is the format whose layout the builder controls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from briefgen.errors import Diagnostic, Location

if TYPE_CHECKING:
    # Annotations only: briefgen.config reads REDUCTIONS, and `briefgen validate` should not
    # import the document model and the writers' registry for it.
    from briefgen.document import Document
    from briefgen.writers import Layout


class Counted(Protocol):
    """A PDF laid out: a written one, or one laid out and written on demand (LaidOut)."""

    @property
    def layout(self) -> Layout: ...


PDF = TypeVar("PDF", bound=Counted)

# What each reduction does, as the warning says it ("initiatives table moved to the staff brief").
REDUCTIONS: dict[str, str] = {
    "initiatives": "initiatives table moved to the staff brief",
    "milestones": "milestones table left to the timeline",
    "background": "background cut to its first paragraph",
    "participants": "participants table made a line of names",
}


@dataclass(frozen=True)
class Fitted(Generic[PDF]):
    """The document an audience gets, the PDF laid out from it, and what gave way."""

    document: Document
    pdf: PDF | None  # None without a budget: nothing was laid out yet
    reduced: frozenset[str]
    warnings: tuple[Diagnostic, ...]


def pages_phrase(pages: int) -> str:
    return f"{pages} page" + ("" if pages == 1 else "s")


def fit(
    audience: str,
    pages: int | None,
    reductions: tuple[str, ...],
    render: Callable[[frozenset[str]], Document],
    lay_out: Callable[[Document], PDF],
    source: Location | None = None,
) -> Fitted[PDF]:
    """Apply `reductions` in order, one at a time, until the PDF `lay_out` makes has at most
    `pages` pages or none is left; `pages=None` renders it once, unreduced, and lays nothing
    out. The warnings name `source`, the meeting file.

    A reduction the template ignores (the document does not change) is not reported: only what
    was really dropped is.
    """
    reduced: frozenset[str] = frozenset()
    document = render(reduced)
    if pages is None:
        return Fitted(document, None, reduced, ())
    written = lay_out(document)
    dropped: list[str] = []
    for name in reductions:
        if written.layout.pages <= pages:
            break
        candidate = render(reduced | {name})
        if candidate == document:
            continue
        reduced, document = reduced | {name}, candidate
        written = lay_out(document)
        dropped.append(name)
    budget = pages_phrase(pages)
    warnings = [
        Diagnostic(f"{audience}: {REDUCTIONS[name]} to fit {budget}", source, severity="warning")
        for name in dropped
    ]
    if written.layout.pages > pages:
        warnings.append(
            Diagnostic(
                f"{audience}: {pages_phrase(written.layout.pages)}, over its budget of {budget}",
                source,
                hint="shorten the meeting file, or allow this audience more pages or reductions "
                "in briefgen.yaml (`pages:`, `reductions:`)",
                severity="warning",
            )
        )
    return Fitted(document, written, reduced, tuple(warnings))
