"""Block-level diff of two Documents' blocks: align by identity, then mark words inside.

Blocks, list items, table rows and columns and title fields are aligned the same way: exact
matches first (difflib on a text key), then, inside each stretch that differs, pairs of the
same kind that read alike (similarity), in order. What stays unpaired was inserted or deleted
whole. A paired block keeps NEW's shape with OLD's words marked deleted inside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from difflib import SequenceMatcher
from typing import TypeVar

from briefgen.document import (
    Block,
    BulletList,
    Heading,
    Inline,
    ListItem,
    NumberedList,
    PageBreak,
    Paragraph,
    Table,
    TableOfContents,
    Timeline,
    TitleBlock,
    TitleField,
    plain_text,
)
from briefgen.reader import column_widths
from briefgen.redline.chart import merge_timeline
from briefgen.redline.inlines import changed, deleted, diff_inlines, inserted

T = TypeVar("T")
_ALIKE = 0.5  # similarity from which two blocks are one block edited, not two different ones
_SHORT = 3  # words: a value this short is replaced whole when it changes


def align(
    old: Sequence[T],
    new: Sequence[T],
    key: Callable[[T], str],
    alike: Callable[[T, T], float],
) -> list[tuple[T | None, T | None]]:
    """Pairs (old, new) in output order; (old, None) was deleted, (None, new) inserted."""
    out: list[tuple[T | None, T | None]] = []
    matcher = SequenceMatcher(None, [key(x) for x in old], [key(x) for x in new], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(zip(old[i1:i2], new[j1:j2], strict=True))
            continue
        next_old = i1
        for j in range(j1, j2):
            scores = [(alike(old[i], new[j]), i) for i in range(next_old, i2)]
            best = max(scores, default=(0.0, -1), key=lambda s: (s[0], -s[1]))
            if best[0] < _ALIKE:
                out.append((None, new[j]))
                continue
            out.extend((old[i], None) for i in range(next_old, best[1]))
            out.append((old[best[1]], new[j]))
            next_old = best[1] + 1
        out.extend((old[i], None) for i in range(next_old, i2))
    return out


def block_text(block: Block) -> str:
    match block:
        case Heading(children=children) | Paragraph(children=children):
            return plain_text(children)
        case BulletList(items=items) | NumberedList(items=items):
            return "\n".join(item_text(item) for item in items)
        case Table():
            cells = [block.header, *block.rows]
            return "\n".join(" | ".join(plain_text(c) for c in row) for row in cells)
        case TitleBlock():
            fields = [f"{f.label}: {plain_text(f.value)}" for f in block.fields]
            return "\n".join([plain_text(block.title), plain_text(block.subtitle), *fields])
        case Timeline():
            return repr(block)
        case TableOfContents():
            return plain_text(block.title)
        case PageBreak():
            return ""
    raise TypeError(f"unknown block {block!r}")


def _kind(block: Block) -> str:
    return f"{type(block).__name__}{block.level if isinstance(block, Heading) else ''}"


def _key(block: Block) -> str:
    return f"{_kind(block)}\x00{block_text(block)}"


def _alike(old: Block, new: Block) -> float:
    if _kind(old) != _kind(new):
        return 0.0
    if isinstance(old, (TitleBlock, Timeline, PageBreak, TableOfContents, Table)):
        return 1.0  # one of each in a brief, or a table under its own heading
    return _text_similarity(block_text(old), block_text(new))


def _text_similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()


def item_text(item: ListItem) -> str:
    return "\n".join(block_text(b) for b in item.blocks)


def diff_blocks(old: Sequence[Block], new: Sequence[Block]) -> tuple[Block, ...]:
    out: list[Block] = []
    for before, after in align(old, new, _key, _alike):
        if before is None and after is not None:
            out.extend(marked_block(after, inserted))
        elif after is None and before is not None:
            out.extend(marked_block(before, deleted))
        elif before is not None and after is not None:
            out.append(merge_block(before, after))
    return tuple(out)


Mark = Callable[[tuple[Inline, ...]], tuple[Inline, ...]]


def marked_block(block: Block, mark: Mark) -> tuple[Block, ...]:
    """A block inserted or deleted whole; a chart or break that went is simply left out."""
    match block:
        case Heading(children=children):
            return (replace(block, children=mark(children)),)
        case Paragraph(children=children):
            return (Paragraph(mark(children)),)
        case BulletList(items=items) | NumberedList(items=items):
            return (replace(block, items=tuple(_marked_item(item, mark) for item in items)),)
        case Table():
            return (
                replace(
                    block,
                    header=tuple(mark(c) for c in block.header),
                    rows=tuple(tuple(mark(c) for c in row) for row in block.rows),
                ),
            )
        case TitleBlock():
            return (
                TitleBlock(
                    mark(block.title),
                    mark(block.subtitle),
                    tuple(TitleField(f.label, mark(f.value)) for f in block.fields),
                ),
            )
        case Timeline() | PageBreak() | TableOfContents():
            return (block,) if mark is inserted else ()
    raise TypeError(f"unknown block {block!r}")


def _marked_item(item: ListItem, mark: Mark) -> ListItem:
    return ListItem(tuple(b for block in item.blocks for b in marked_block(block, mark)))


def merge_block(old: Block, new: Block) -> Block:
    match new:
        case Heading(children=children) if isinstance(old, Heading):
            return replace(new, children=diff_inlines(old.children, children))
        case Paragraph(children=children) if isinstance(old, Paragraph):
            return Paragraph(diff_inlines(old.children, children))
        case BulletList() | NumberedList() if isinstance(old, (BulletList, NumberedList)):
            return replace(new, items=_merge_items(old.items, new.items))
        case Table() if isinstance(old, Table):
            return merge_table(old, new)
        case TitleBlock() if isinstance(old, TitleBlock):
            return _merge_title(old, new)
        case Timeline() if isinstance(old, Timeline):
            return merge_timeline(old, new)
    return new  # a break, contents: NEW's as they are


def _merge_items(old: tuple[ListItem, ...], new: tuple[ListItem, ...]) -> tuple[ListItem, ...]:
    out: list[ListItem] = []
    pairs = align(old, new, item_text, lambda a, b: _text_similarity(item_text(a), item_text(b)))
    for before, after in pairs:
        if before is None and after is not None:
            out.append(_marked_item(after, inserted))
        elif after is None and before is not None:
            out.append(_marked_item(before, deleted))
        elif before is not None and after is not None:
            out.append(ListItem(diff_blocks(before.blocks, after.blocks)))
    return tuple(out)


def _short(inlines: tuple[Inline, ...]) -> bool:
    return len(plain_text(inlines).split()) <= _SHORT


def _cell(old: tuple[Inline, ...], new: tuple[Inline, ...]) -> tuple[Inline, ...]:
    return diff_inlines(old, new, whole=_short(old) and _short(new))


Row = tuple[tuple[Inline, ...], ...]


def merge_table(old: Table, new: Table) -> Table:
    """Columns aligned by header, rows by their first cell (a name, a date) or by likeness."""
    columns = _align_columns(
        [plain_text(c) for c in old.header], [plain_text(c) for c in new.header]
    )

    def pick(row: Row, index: int | None) -> tuple[Inline, ...]:
        return row[index] if index is not None and index < len(row) else ()

    def merged_row(before: Row | None, after: Row | None) -> Row:
        cells: list[tuple[Inline, ...]] = []
        for oc, nc in columns:
            if before is None:
                cells.append(inserted(pick(after or (), nc)))
            elif after is None:
                cells.append(deleted(pick(before, oc)))
            elif oc is None:
                cells.append(inserted(pick(after, nc)))
            elif nc is None:
                cells.append(deleted(pick(before, oc)))
            else:
                cells.append(_cell(before[oc], after[nc]))
        return tuple(cells)

    def row_key(row: Row) -> str:
        return " | ".join(plain_text(c) for c in row)

    def row_alike(a: Row, b: Row) -> float:
        if a and b and plain_text(a[0]) and plain_text(a[0]) == plain_text(b[0]):
            return 1.0  # same name, same date: the same row edited
        return _text_similarity(row_key(a), row_key(b))

    rows = [
        merged_row(before, after) for before, after in align(old.rows, new.rows, row_key, row_alike)
    ]
    header = merged_row(old.header, new.header)
    # Widths from the merged content: a changed cell holds the old and the new text side by
    # side, and a date in either does not break (briefgen.typography), so it needs more room.
    return Table(header, tuple(rows), column_widths(header, list(rows)))


def _align_columns(old: list[str], new: list[str]) -> list[tuple[int | None, int | None]]:
    out: list[tuple[int | None, int | None]] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            out.extend(zip(range(i1, i2), range(j1, j2), strict=True))  # a renamed column
        else:
            out.extend((i, None) for i in range(i1, i2))
            out.extend((None, j) for j in range(j1, j2))
    return out


def _merge_title(old: TitleBlock, new: TitleBlock) -> TitleBlock:
    fields: list[TitleField] = []
    for before, after in align(old.fields, new.fields, lambda f: f.label, lambda a, b: 0.0):
        if before is None and after is not None:
            fields.append(TitleField(after.label, inserted(after.value)))
        elif after is None and before is not None:
            fields.append(TitleField(before.label, deleted(before.value)))
        elif before is not None and after is not None:
            fields.append(TitleField(after.label, _cell(before.value, after.value)))
    return TitleBlock(
        diff_inlines(old.title, new.title), diff_inlines(old.subtitle, new.subtitle), tuple(fields)
    )


def has_changes(blocks: Sequence[Block]) -> bool:
    """Whether any inline of the blocks, at any depth, is an Insertion or a Deletion."""
    return any(changed(inlines) for block in blocks for inlines in block_inlines(block))


def block_inlines(block: Block) -> list[tuple[Inline, ...]]:
    """Every run of inlines a block holds, nested lists and table cells included."""
    match block:
        case Heading(children=children) | Paragraph(children=children):
            return [children]
        case BulletList(items=items) | NumberedList(items=items):
            return [i for item in items for b in item.blocks for i in block_inlines(b)]
        case Table():
            return [*block.header, *(cell for row in block.rows for cell in row)]
        case TitleBlock():
            return [block.title, block.subtitle, *(f.value for f in block.fields)]
        case TableOfContents():
            return [block.title]
        case Timeline() | PageBreak():
            return []
    raise TypeError(f"unknown block {block!r}")
