"""The format-neutral document model: the contract between the reader and every writer.

A closed set of frozen dataclasses. A writer handles each node type with `match` and ends in
`assert_never`, so a node added here and forgotten in a writer fails type checking. Adding a node
means: the dataclass, both writers, and a parity test.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields
from typing import Any

from typing_extensions import assert_never

# ---------------------------------------------------------------------------------------------
# Characters

# What neither format can carry: XML 1.0 refuses C0 controls (but tab and line ends), U+FFFE,
# U+FFFF and lone surrogates; PDF fonts draw DEL and the C1 controls as boxes. The model drops
# them as it is built, so the writers receive only text they can write (issue 14: one place).
_UNCARRIABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def carriable(text: str) -> str:
    """The text without the characters no output format can carry."""
    return _UNCARRIABLE.sub("", text)


def _drop_uncarriable(node: object) -> None:
    """Clean every text field of a frozen node in place (str and tuples of str)."""
    for f in fields(node):  # type: ignore[arg-type]
        value = getattr(node, f.name)
        if isinstance(value, str):
            cleaned: object = carriable(value)
        elif isinstance(value, tuple) and value and all(isinstance(v, str) for v in value):
            cleaned = tuple(carriable(v) for v in value)
        else:
            continue
        if cleaned != value:
            object.__setattr__(node, f.name, cleaned)


# ---------------------------------------------------------------------------------------------
# Inlines


@dataclass(frozen=True)
class Text:
    text: str

    def __post_init__(self) -> None:
        _drop_uncarriable(self)


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Emphasis:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    url: str
    children: tuple[Inline, ...]

    def __post_init__(self) -> None:
        _drop_uncarriable(self)


@dataclass(frozen=True)
class LineBreak:
    """A hard line break inside a paragraph."""


@dataclass(frozen=True)
class Insertion:
    """Text that a later version added (a redline): tracked as inserted in DOCX, underlined in
    colour in PDF. Never nested in another Insertion or Deletion."""

    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Deletion:
    """Text that a later version removed (a redline): tracked as deleted in DOCX, struck
    through in PDF. A paragraph, list item or table row made only of one of these two was
    inserted or deleted whole."""

    children: tuple[Inline, ...]


Inline = Text | Strong | Emphasis | Link | LineBreak | Insertion | Deletion

# ---------------------------------------------------------------------------------------------
# Blocks


# Every block remembers the line of the rendered markup it was read from, so an error found
# later names where it came from. Not compared: two documents with the same content are equal.
def _line() -> Any:
    return field(default=None, compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class Heading:
    level: int  # 1..3
    children: tuple[Inline, ...]
    line: int | None = _line()


@dataclass(frozen=True)
class Paragraph:
    children: tuple[Inline, ...]
    line: int | None = _line()


@dataclass(frozen=True)
class ListItem:
    blocks: tuple[Block, ...]


# Lists nest at most this deep: the reader lifts the items of deeper lists into the list at this
# depth, in order, so no item is lost and no writer has to indent past the page.
MAX_LIST_DEPTH = 6


@dataclass(frozen=True)
class BulletList:
    items: tuple[ListItem, ...]
    line: int | None = _line()


@dataclass(frozen=True)
class NumberedList:
    items: tuple[ListItem, ...]
    start: int = 1
    line: int | None = _line()


@dataclass(frozen=True)
class Table:
    """A table with one header row; every row has as many cells as the header."""

    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    # Relative column widths (sum 1.0), decided by the reader from the content.
    widths: tuple[float, ...] = ()
    line: int | None = _line()


@dataclass(frozen=True)
class PageBreak:
    line: int | None = _line()


@dataclass(frozen=True)
class TitleField:
    label: str
    value: tuple[Inline, ...]

    def __post_init__(self) -> None:
        _drop_uncarriable(self)


@dataclass(frozen=True)
class TitleBlock:
    """The brief's opening: title, optional subtitle, and labelled logistics fields."""

    title: tuple[Inline, ...]
    subtitle: tuple[Inline, ...] = ()
    fields: tuple[TitleField, ...] = ()
    line: int | None = _line()


@dataclass(frozen=True)
class TimelineMilestone:
    date: dt.date
    label: str

    def __post_init__(self) -> None:
        _drop_uncarriable(self)


@dataclass(frozen=True)
class TimelineRow:
    """One initiative: a bar from start to end (either may be open), milestones, a cadence.

    A row with no start, end or milestone is undated: writers list it with its cadence.
    """

    label: str
    start: dt.date | None = None
    end: dt.date | None = None  # inclusive: the bar covers the whole of its last day
    milestones: tuple[TimelineMilestone, ...] = ()
    cadence: str = ""
    # A redline: OLD's start and end where they differ from these (drawn as the old extent).
    previous: tuple[dt.date | None, dt.date | None] | None = None

    def __post_init__(self) -> None:
        _drop_uncarriable(self)

    @property
    def dated(self) -> bool:
        return bool(self.start or self.end or self.milestones)


@dataclass(frozen=True)
class Timeline:
    """Initiatives on a time axis. The data only: briefgen.timeline chooses the axis (unit,
    columns, orientation) for both writers. Texts come from the template, in its language."""

    rows: tuple[TimelineRow, ...]
    title: str = ""  # caption over the chart
    marker: dt.date | None = None  # the meeting's date, drawn as a line across the chart
    marker_label: str = ""  # legend text for that line, e.g. "Meeting, 12 March 2025"
    milestone_label: str = ""  # legend text for the milestone symbol
    previous_label: str = ""  # a redline: legend text for a row's old extent
    undated_label: str = ""  # introduces the rows without dates
    name_header: str = ""  # header of the column of initiative names
    language: str = "en"  # of the axis labels (month and quarter names)
    line: int | None = _line()

    def __post_init__(self) -> None:
        _drop_uncarriable(self)


@dataclass(frozen=True)
class TableOfContents:
    """The title blocks (level 0) and headings up to `depth` that follow it, with page numbers
    (found by the writer that lays the document out)."""

    title: tuple[Inline, ...]
    depth: int = 0
    line: int | None = _line()


Block = (
    Heading
    | Paragraph
    | BulletList
    | NumberedList
    | Table
    | PageBreak
    | TitleBlock
    | Timeline
    | TableOfContents
)


@dataclass(frozen=True)
class Revisions:
    """Set on a redline: who the tracked changes are by, and the PDF footer's legend words."""

    author: str = "briefgen"
    inserted_label: str = "Inserted"
    deleted_label: str = "Deleted"


@dataclass(frozen=True)
class DocumentInfo:
    """Metadata carried by both formats (PDF info dictionary, DOCX core properties)."""

    title: str
    author: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()
    language: str = "en"
    marking: str = ""  # overall protective marking, printed top and bottom of every page
    created: int = 0  # seconds since the epoch: SOURCE_DATE_EPOCH, else the meeting day (pipeline)
    # Whether `created` is a real build time (SOURCE_DATE_EPOCH): only then does the DOCX state
    # a creation date; the meeting day stands in only where some stamp is required.
    dated: bool = False
    # The footer's page label in the document's language; {page} and {pages} are replaced by
    # the writers (fields in DOCX, numbers in PDF).
    page_label: str = "Page {page} of {pages}"
    revisions: Revisions | None = None  # a redline's; dumped only when set

    def __post_init__(self) -> None:
        _drop_uncarriable(self)


@dataclass(frozen=True)
class Document:
    info: DocumentInfo
    blocks: tuple[Block, ...] = field(default_factory=tuple)


# ---------------------------------------------------------------------------------------------
# Helpers shared by writers and tests


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The inlines' text without formatting; a line break becomes a space."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append(" ")
        else:
            out.append(plain_text(node.children))
    return "".join(out)


def change_of(inlines: tuple[Inline, ...]) -> type[Insertion] | type[Deletion] | None:
    """Insertion or Deletion when the inlines are nothing but that (a paragraph, item or row
    added or removed whole), else None."""
    kinds = {type(node) for node in inlines}
    if len(kinds) == 1 and kinds <= {Insertion, Deletion}:
        return Insertion if Insertion in kinds else Deletion
    return None


def dump(document: Document) -> str:
    """A readable, stable text form of a document (like Pandoc's `native`), for golden tests."""
    lines: list[str] = []
    info = document.info
    for f in fields(info):
        if f.name == "revisions" and info.revisions is None:
            continue  # added with redlines: briefs without them dump as before
        lines.append(f"{f.name}: {getattr(info, f.name)!r}")
    for block in document.blocks:
        _dump_block(block, 0, lines)
    return "\n".join(lines) + "\n"


def _dump_inlines(inlines: tuple[Inline, ...]) -> str:
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, Text):
            parts.append(repr(node.text))
        elif isinstance(node, LineBreak):
            parts.append("LineBreak")
        elif isinstance(node, Link):
            parts.append(f"Link({node.url!r}, {_dump_inlines(node.children)})")
        else:
            parts.append(f"{type(node).__name__}({_dump_inlines(node.children)})")
    return "[" + ", ".join(parts) + "]"


def _dump_block(block: Block, depth: int, lines: list[str]) -> None:
    pad = "  " * depth
    if isinstance(block, Heading):
        lines.append(f"{pad}Heading {block.level} {_dump_inlines(block.children)}")
    elif isinstance(block, Paragraph):
        lines.append(f"{pad}Paragraph {_dump_inlines(block.children)}")
    elif isinstance(block, (BulletList, NumberedList)):
        start = f" start={block.start}" if isinstance(block, NumberedList) else ""
        lines.append(f"{pad}{type(block).__name__}{start}")
        for item in block.items:
            lines.append(f"{pad}  - item")
            for child in item.blocks:
                _dump_block(child, depth + 2, lines)
    elif isinstance(block, Table):
        widths = ", ".join(f"{w:.2f}" for w in block.widths)
        lines.append(f"{pad}Table widths=[{widths}]")
        lines.append(f"{pad}  header: " + " | ".join(_dump_inlines(c) for c in block.header))
        for row in block.rows:
            lines.append(f"{pad}  row: " + " | ".join(_dump_inlines(c) for c in row))
    elif isinstance(block, PageBreak):
        lines.append(f"{pad}PageBreak")
    elif isinstance(block, TitleBlock):
        lines.append(f"{pad}TitleBlock {_dump_inlines(block.title)}")
        if block.subtitle:
            lines.append(f"{pad}  subtitle: {_dump_inlines(block.subtitle)}")
        for title_field in block.fields:
            lines.append(f"{pad}  {title_field.label}: {_dump_inlines(title_field.value)}")
    elif isinstance(block, Timeline):
        lines.append(f"{pad}Timeline marker={block.marker} language={block.language!r}")
        for name in ("title", "marker_label", "milestone_label", "undated_label", "name_header"):
            lines.append(f"{pad}  {name}: {getattr(block, name)!r}")
        for timeline_row in block.rows:
            span = f"{timeline_row.start}..{timeline_row.end}"
            cadence = f" cadence={timeline_row.cadence!r}" if timeline_row.cadence else ""
            if (
                timeline_row.previous is not None
            ):  # only on a redline: golden dumps stay as they are
                cadence += " was={}..{}".format(*timeline_row.previous)
            lines.append(f"{pad}  row {timeline_row.label!r} {span}{cadence}")
            for milestone in timeline_row.milestones:
                lines.append(f"{pad}    milestone {milestone.date} {milestone.label!r}")
    elif isinstance(block, TableOfContents):
        lines.append(f"{pad}TableOfContents depth={block.depth} {_dump_inlines(block.title)}")
    else:
        assert_never(block)
