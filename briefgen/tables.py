"""Tables wider than the page: split into column groups that each repeat the first column.

A 40-column table squeezed onto one page gets 1-point columns: one letter a line, digits
printed over each other. Both writers instead print as many columns as stay legible and carry
the rest over into further tables under it, each led by the first column so every row can still
be read by its key (how spreadsheets print wide sheets). The decision is made here, once, from
the text width and font size each writer passes, so the PDF and the DOCX split alike.
"""

from __future__ import annotations

from briefgen.document import Inline, Table, plain_text

# A column is legible when its longest word fits (capped: longer words and URLs wrap anyway)
# and it is never narrower than a few characters.
MIN_CHARS, MAX_CHARS = 4, 12
EM = 0.55  # average advance of a character in ems, Liberation Sans and Serif alike
PADDING = 10.0  # points of cell padding, left and right together


Cells = tuple[tuple[Inline, ...], ...]


def without_empty_columns(header: Cells, rows: list[Cells]) -> tuple[Cells, list[Cells]]:
    """The table without the columns that are blank in every row (an "Objective" no initiative
    has): a heading over nothing tells the reader nothing. A table with no rows keeps its header,
    and one column always stays."""
    if not rows:
        return header, rows
    keep = [i for i in range(len(header)) if any(plain_text(row[i]).strip() for row in rows)]
    if not keep or len(keep) == len(header):
        return header, rows
    return tuple(header[i] for i in keep), [tuple(row[i] for i in keep) for row in rows]


def min_width(table: Table, column: int, size: float) -> float:
    """The narrowest legible width of a column, in points, at a font size."""
    cells: list[tuple[Inline, ...]] = [table.header[column], *(row[column] for row in table.rows)]
    longest = max((len(word) for cell in cells for word in plain_text(cell).split()), default=0)
    return min(max(longest, MIN_CHARS), MAX_CHARS) * EM * size + PADDING


def column_groups(table: Table, width: float, size: float) -> list[Table]:
    """The table itself when its columns fit `width` points legibly, else tables of the first
    column and as many further columns as fit, in order; every column is printed once."""
    columns = len(table.header)
    needed = [min_width(table, index, size) for index in range(columns)]
    if columns < 3 or sum(needed) <= width:
        return [table]
    groups: list[list[int]] = []
    current: list[int] = []
    used = needed[0]
    for index in range(1, columns):
        if current and used + needed[index] > width:
            groups.append(current)
            current, used = [], needed[0]
        current.append(index)
        used += needed[index]
    groups.append(current)
    # As many groups as needed, as even as they fit: 13 + 13 + 13 rather than 14 + 14 + 11.
    rest, count = list(range(1, columns)), len(groups)
    even = [rest[i * len(rest) // count : (i + 1) * len(rest) // count] for i in range(count)]
    if all(needed[0] + sum(needed[i] for i in group) <= width for group in even):
        groups = even
    return [_subtable(table, [0, *group], needed, width) for group in groups]


def _subtable(table: Table, columns: list[int], needed: list[float], width: float) -> Table:
    """The columns as a table, each at least its legible width, the rest shared by content."""
    usable = len(table.widths) == len(table.header) and sum(table.widths) > 0
    weights = [table.widths[i] if usable else 1.0 for i in columns]
    floors = [needed[i] for i in columns]
    points = [
        max(w / sum(weights) * width, floor) for w, floor in zip(weights, floors, strict=True)
    ]
    # Columns raised to their floor take their room from those above theirs.
    spare = [p - f for p, f in zip(points, floors, strict=True)]
    excess = sum(points) - width
    if excess > 0 and sum(spare) > 0:
        points = [p - excess * s / sum(spare) for p, s in zip(points, spare, strict=True)]
    total = sum(points)
    return Table(
        header=tuple(table.header[i] for i in columns),
        rows=tuple(tuple(row[i] for i in columns) for row in table.rows),
        widths=tuple(round(p / total, 4) for p in points),
    )
