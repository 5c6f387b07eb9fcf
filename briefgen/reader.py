"""Read rendered Markdown (CommonMark + pipe tables + `:::` containers) into a Document.

Only the constructs briefgen supports are switched on: raw HTML, code blocks, block quotes,
images, entities, setext headings and thematic breaks stay off, so text that looks like them
is printed literally.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin

from briefgen.document import (
    MAX_LIST_DEPTH,
    Block,
    BulletList,
    Document,
    DocumentInfo,
    Emphasis,
    Heading,
    Inline,
    LineBreak,
    Link,
    ListItem,
    NumberedList,
    PageBreak,
    Paragraph,
    Strong,
    Table,
    TableOfContents,
    Text,
    TitleBlock,
    TitleField,
    plain_text,
)
from briefgen.errors import Location, MarkupError
from briefgen.markup_tree import Node, markup_tree
from briefgen.tables import without_empty_columns

CONTAINERS = ("title-block", "pagebreak", "timeline", "contents")
_DISABLED_RULES = [
    "code",
    "fence",
    "blockquote",
    "hr",
    "reference",
    "html_block",
    "lheading",
    "backticks",
    "strikethrough",
    "image",
    "html_inline",
    "entity",
    "linkify",
]
_SAFE_URL_SCHEMES = ("http://", "https://", "mailto:")
# markdown-it silently drops everything below its nesting limit (20 in the commonmark preset,
# about nine list levels). 200 is far above MAX_LIST_DEPTH, which the reader flattens to, and far
# below Python's recursion limit; markup that reaches it is refused, never cut short.
_MAX_NESTING = 200


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt(
        "commonmark",
        {"html": False, "linkify": False, "typographer": False, "maxNesting": _MAX_NESTING},
    )
    md.enable("table")
    md.disable(_DISABLED_RULES, ignoreInvalid=True)
    for name in CONTAINERS:
        md.use(container_plugin, name=name)
    # Registered last, so it only sees fences no known container took: a misspelt container in a
    # template is an error, not stray text in a brief.
    md.use(container_plugin, name="unknown", validate=lambda params, markup: True)
    md.use(deflist_plugin)
    return md


def read_markup(markup: str, info: DocumentInfo, source_name: str = "<markup>") -> Document:
    """Parse rendered markup into a Document; unsupported constructs raise MarkupError."""
    tokens = _parser().parse(markup)
    reader = _Reader(source_name)
    for token in tokens:
        # A block opened at the last level has its content skipped by markdown-it.
        if token.nesting == 1 and token.level >= _MAX_NESTING - 2:
            line = token.map[0] + 1 if token.map else None
            raise MarkupError(
                f"a list nested more than {(_MAX_NESTING - 4) // 2} levels deep",
                location=Location(f"{source_name} (rendered)", line),
                hint=f"lists deeper than {MAX_LIST_DEPTH} levels are flattened anyway; indent less",
            )
    blocks = reader.blocks(markup_tree(tokens))
    return Document(info=info, blocks=tuple(blocks))


class _Reader:
    def __init__(self, source_name: str) -> None:
        self.source_name = source_name
        self.list_depth = 0  # of the list being read; 1 for a list at the top

    def error(self, node: Node, message: str, hint: str | None = None) -> MarkupError:
        line = node.map[0] + 1 if node.map else None
        return MarkupError(
            message, location=Location(f"{self.source_name} (rendered)", line), hint=hint
        )

    def blocks(self, nodes: list[Node]) -> list[Block]:
        out: list[Block] = []
        for node in nodes:
            line = node.map[0] + 1 if node.map else None
            out.extend(replace(block, line=line) for block in self.block(node))
        return out

    def block(self, node: Node) -> list[Block]:
        kind = node.type
        if kind == "paragraph":
            inlines = self.inline_of(node)
            return [Paragraph(inlines)] if inlines else []
        if kind == "heading":
            level = min(int(node.tag[1]), 3)
            return [Heading(level, self.inline_of(node))]
        if kind == "bullet_list":
            return [BulletList(self.items(node))]
        if kind == "ordered_list":
            start = int(node.attrs.get("start", 1) or 1)
            return [NumberedList(self.items(node), start=start)]
        if kind == "table":
            # A printed table loses its blank columns; a timeline's data table keeps them all.
            table = self.table(node)
            header, rows = without_empty_columns(table.header, list(table.rows))
            return [Table(header=header, rows=tuple(rows), widths=column_widths(header, rows))]
        if kind == "container_pagebreak":
            return [PageBreak()]
        if kind == "container_title-block":
            return [self.title_block(node)]
        if kind == "container_timeline":
            return [self.timeline(node)]
        if kind == "container_contents":
            return [self.contents(node)]
        if kind == "dl":
            return self.definition_paragraphs(node)
        if kind == "container_unknown":
            name = node.info.strip() or "(no name)"
            raise self.error(
                node, f"unknown container {name!r}", f"containers: {', '.join(CONTAINERS)}"
            )
        raise self.error(node, f"unsupported markup {kind!r}")

    def items(self, node: Node) -> tuple[ListItem, ...]:
        self.list_depth += 1
        try:
            items = [ListItem(tuple(self.blocks(item.children))) for item in node.children]
        finally:
            self.list_depth -= 1
        if self.list_depth + 1 < MAX_LIST_DEPTH:
            return tuple(items)
        return tuple(flat for item in items for flat in _flatten(item))

    def table(self, node: Node) -> Table:
        header: tuple[tuple[Inline, ...], ...] = ()
        rows: list[tuple[tuple[Inline, ...], ...]] = []
        for part in node.children:
            for row in part.children:
                cells = tuple(self.inline_of(cell) for cell in row.children)
                if part.type == "thead":
                    header = cells
                else:
                    rows.append(cells)
        width = len(header)
        rows = [tuple(row[:width]) + ((),) * (width - len(row)) for row in rows]
        return Table(header=header, rows=tuple(rows), widths=column_widths(header, rows))

    def title_block(self, node: Node) -> TitleBlock:
        title: tuple[Inline, ...] = ()
        subtitle: tuple[Inline, ...] = ()
        fields: list[TitleField] = []
        for child in node.children:
            if child.type == "heading" and not title:
                title = self.inline_of(child)
            elif child.type == "heading":
                subtitle = self.inline_of(child)
            elif child.type == "dl":
                fields.extend(
                    TitleField(plain_text(term), value) for term, value in self.definitions(child)
                )
            else:
                raise self.error(
                    child,
                    f"a title block holds a '#' title, a '##' subtitle and 'Label / : value' "
                    f"fields, not {child.type!r}",
                )
        return TitleBlock(title=title, subtitle=subtitle, fields=tuple(fields))

    def timeline(self, node: Node) -> Block:
        """`::: timeline` holds one table of `kind | text | start | end | cadence` rows."""
        from briefgen.timeline import timeline_from_rows

        if [child.type for child in node.children] != ["table"]:
            raise self.error(node, "a timeline holds one table of rows", "see macros.md.j2")
        table = self.table(node.children[0])
        try:
            return timeline_from_rows([[plain_text(cell) for cell in row] for row in table.rows])
        except ValueError as exc:
            raise self.error(node, str(exc)) from None

    def contents(self, node: Node) -> TableOfContents:
        """`::: contents [depth]` around a `#` title: depth 0 lists title blocks only."""
        words = node.info.split()
        depth = int(words[1]) if len(words) > 1 and words[1].isdigit() else 0
        titles = [child for child in node.children if child.type == "heading"]
        if len(titles) != len(node.children) or len(titles) > 1:
            raise self.error(node, "a contents block holds only its '#' title")
        return TableOfContents(self.inline_of(titles[0]) if titles else (), min(depth, 3))

    def definitions(self, node: Node) -> list[tuple[tuple[Inline, ...], tuple[Inline, ...]]]:
        pairs: list[tuple[tuple[Inline, ...], tuple[Inline, ...]]] = []
        term: tuple[Inline, ...] = ()
        for child in node.children:
            if child.type == "dt":
                term = self.inline_of(child)
            elif child.type == "dd":
                value: list[Inline] = []
                for paragraph in child.children:
                    if value:
                        value.append(LineBreak())
                    value.extend(self.inline_of(paragraph))
                pairs.append((term, tuple(value)))
        return pairs

    def definition_paragraphs(self, node: Node) -> list[Block]:
        return [
            Paragraph((Strong(term), Text(": "), *value)) for term, value in self.definitions(node)
        ]

    def inline_of(self, node: Node) -> tuple[Inline, ...]:
        """The inlines of a block node (its single `inline` child), merged and trimmed."""
        inlines: list[Inline] = []
        for child in node.children:
            if child.type == "inline":
                inlines.extend(self.inlines(child.children))
            else:
                inlines.extend(self.inlines([child]))
        return _merge(inlines)

    def inlines(self, nodes: list[Node]) -> list[Inline]:
        out: list[Inline] = []
        for node in nodes:
            kind = node.type
            if kind == "text":
                out.append(Text(node.content))
            elif kind == "softbreak":
                out.append(Text(" "))
            elif kind == "hardbreak":
                out.append(LineBreak())
            elif kind == "strong":
                out.append(Strong(_merge(self.inlines(node.children))))
            elif kind == "em":
                out.append(Emphasis(_merge(self.inlines(node.children))))
            elif kind == "link":
                href = str(node.attrs.get("href", ""))
                children = _merge(self.inlines(node.children))
                if href.lower().startswith(_SAFE_URL_SCHEMES):
                    out.append(Link(href, children))
                else:
                    out.extend(children)  # relative or odd links: keep the words, drop the target
            else:
                raise self.error(node, f"unsupported inline markup {kind!r}")
        return out


def _flatten(item: ListItem) -> list[ListItem]:
    """An item of a list at MAX_LIST_DEPTH, its nested lists' items lifted to follow it in
    reading order (a paragraph after a nested list becomes an item of its own)."""
    out: list[ListItem] = []
    pending: list[Block] = []
    for block in item.blocks:
        if isinstance(block, (BulletList, NumberedList)):
            if pending:
                out.append(ListItem(tuple(pending)))
                pending = []
            out.extend(block.items)  # already flat: read before their parent
        else:
            pending.append(block)
    if pending or not out:
        out.append(ListItem(tuple(pending)))
    return out


def _merge(inlines: list[Inline]) -> tuple[Inline, ...]:
    merged: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + node.text)
        elif not (isinstance(node, Text) and not node.text):
            merged.append(node)
    return tuple(merged)


def column_widths(
    header: tuple[tuple[Inline, ...], ...], rows: list[tuple[tuple[Inline, ...], ...]]
) -> tuple[float, ...]:
    """Relative widths from content: long-text columns get more room, none drops below 10 %."""
    if not header:
        return ()
    weights = []
    for index, cell in enumerate(header):
        texts = [plain_text(cell)] + [plain_text(row[index]) for row in rows]
        lengths = sorted(len(text) for text in texts)
        # Short columns (names, dates, cadences) get room to stay on one line; long-text
        # columns share the rest by their typical length.
        typical = lengths[-1] * 1.3 + 3 if lengths[-1] <= 24 else lengths[len(lengths) * 3 // 4]
        # A column must fit its longest ordinary word (capped: URLs wrap anyway); a date's
        # no-break spaces (briefgen.typography) make it one word.
        longest_word = min(max((len(w) for t in texts for w in t.split(" ")), default=0), 18)
        weights.append(min(max(typical, longest_word * 1.5, 6), 60))
    total = sum(weights)
    shares = [max(w / total, 0.1) for w in weights]
    scale = sum(shares)
    return tuple(round(s / scale, 4) for s in shares)
