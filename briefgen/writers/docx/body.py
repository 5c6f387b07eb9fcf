"""DOCX writer: the document model as named Word styles on a themed reference document."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from itertools import count

from docx.document import Document as WordDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml.etree import SubElement
from typing_extensions import assert_never

from briefgen.document import (
    Block,
    BulletList,
    Deletion,
    Document,
    DocumentInfo,
    Emphasis,
    Heading,
    Inline,
    Insertion,
    LineBreak,
    Link,
    NumberedList,
    PageBreak,
    Paragraph,
    Strong,
    Table,
    TableOfContents,
    Text,
    Timeline,
    TitleBlock,
    change_of,
    plain_text,
)
from briefgen.hyphenation import JUSTIFIABLE_ROLES, dictionary_for
from briefgen.tables import column_groups
from briefgen.tagging import HeadingLevels, language_tag
from briefgen.theme import Theme, field_label_width
from briefgen.writers import Layout, WriterOptions, Written
from briefgen.writers.docx.accessibility import describe_table, outline_level
from briefgen.writers.docx.blocks import (
    PPR,
    VAL,
    R,
    cell,
    column_widths,
    grid,
    keep_end_with_previous,
    keep_with_next,
    paragraph,
    run,
    w,
)
from briefgen.writers.docx.chrome import page_chrome
from briefgen.writers.docx.contents import fill_contents
from briefgen.writers.docx.hygiene import Tidy, tidy_package
from briefgen.writers.docx.package import join_package, open_reference, split_package, write_zip
from briefgen.writers.docx.revisions import Revisions
from briefgen.writers.docx.sections import ends_section, finish_sections
from briefgen.writers.docx.styles import CELL_PADDING, LIST_DEPTH, Reference, list_style, reference
from briefgen.writers.docx.theme import title_logo


def write_docx(document: Document, theme: Theme, options: WriterOptions | None = None) -> Written:
    """Render the document as DOCX: named styles only, so a Word user can restyle it.

    A table of contents shows the pages of `options.layout` (a PDF of the same document) until
    Word updates the field; without one, its page numbers are left for Word to fill in.
    """
    options = options or WriterOptions()
    ref = reference(theme, options.cache)
    word = open_reference(ref.blob)
    info = document.info
    body = word.element.body
    section = body.sectPr
    body.remove(section)  # blocks are appended; the section properties must stay last
    title_logo(body, word.part, theme)
    writer = _Writer(word, ref, theme, Revisions(info))
    writer.blocks(document.blocks, body, 0)
    keep_end_with_previous(body)
    body.append(section)
    if writer.contents:  # needs every heading written, to list and bookmark them
        # A PDF being laid out alongside is waited for here, after the bulk of the work.
        layout = options.pending_layout() if options.pending_layout else options.layout
        fill_contents(
            word, writer.contents, ref.text_width, layout.contents_pages if layout else ()
        )
    page_chrome(word, info, theme)
    finish_sections(word)  # landscape pages (wide timelines): set-up and chrome of their own
    _properties(word, info)
    trees, parts = split_package(word.part.package)
    justified = any(theme.role(role).align == "justify" for role in JUSTIFIABLE_ROLES)
    hyphenation = dictionary_for(info.language) is not None
    tidy_package(
        trees,
        parts,
        Tidy(
            marking=info.marking,
            font=theme.docx_font_name,
            hyphenate=justified and hyphenation,
            justify=hyphenation,
            dated=info.dated,
            prune_styles=not theme.reference_docx,
        ),
    )
    return Written(write_zip(join_package(trees, parts), info.created), Layout())


class _Writer:
    """Appends blocks as WordprocessingML; one instance per document."""

    def __init__(
        self, word: WordDocument, ref: Reference, theme: Theme, revisions: Revisions
    ) -> None:
        self.revisions = revisions  # tracked changes: ids, author, date
        self.part = word.part
        self.numbering = word.part.numbering_part.element
        self.ref = ref
        self.theme = theme
        self.label_size = theme.role("field-label").size
        self.contents: list[tuple[TableOfContents, BaseOxmlElement]] = []  # filled at the end
        # Heading levels as the PDF tags them: the title a heading, no level skipped.
        self.levels, self.section = HeadingLevels(), ""
        self.drawing_ids: count[int] | None = None  # the charts', from the first chart on

    def blocks(self, blocks: Sequence[Block], out: BaseOxmlElement, depth: int) -> None:
        for block in blocks:
            match block:
                case TitleBlock():
                    self.title_block(block, out)
                case Heading(level=level, children=children):
                    written = min(max(level, 1), 3)
                    p = self.paragraph(out, f"Heading{written}", children)
                    tagged = self.levels.heading(written)
                    if tagged != written:  # the look as written, the outline without a gap
                        outline_level(p, tagged)
                    self.section = plain_text(children)
                case Paragraph(children=children):
                    # Inside a list item, later paragraphs align with the item's text.
                    style = list_style("Continue", depth - 1) if depth else "Normal"
                    self.paragraph(out, style, children)
                case BulletList() | NumberedList():
                    self.list(block, out, depth)
                case Table():
                    size = self.theme.role("table-cell").size
                    for index, part in enumerate(
                        column_groups(block, self.ref.text_width / 20, size)
                    ):
                        if index:  # tables with nothing between them merge into one in Word
                            paragraph(out, "Normal")
                        self.table(part, out)
                case PageBreak():
                    if not ends_section(out):  # a section break already starts a new page
                        r = SubElement(paragraph(out, "Normal"), R)
                        SubElement(r, w("br"), {w("type"): "page"})
                case Timeline():
                    from briefgen.writers.docx.timeline import drawing_ids, write_timeline

                    level = self.levels.below() if block.title else 0
                    self.drawing_ids = self.drawing_ids or drawing_ids(out)
                    write_timeline(
                        block, out, self.theme, self.ref.text_width, level, self.drawing_ids
                    )
                case TableOfContents():
                    if block.title:
                        self.paragraph(out, "Heading1", block.title)
                        self.levels.heading(1)
                    self.contents.append((block, paragraph(out, "Normal")))
                case _:
                    assert_never(block)

    def paragraph(
        self, out: BaseOxmlElement, style_id: str, inlines: Sequence[Inline]
    ) -> BaseOxmlElement:
        p = paragraph(out, style_id)
        self.revisions.mark_paragraph(p, change_of(tuple(inlines)))
        self.inlines(p, inlines, bold=False, italic=False, link=False)
        return p

    def inlines(
        self,
        parent: BaseOxmlElement,
        inlines: Sequence[Inline],
        *,
        bold: bool,
        italic: bool,
        link: bool,
        change: str = "",
    ) -> None:
        for node in inlines:
            match node:
                case Text(text=text):
                    self.revisions.track(
                        run(
                            self.revisions.holder(parent, change),
                            text,
                            "Hyperlink" if link else "",
                            bold,
                            italic,
                        ),
                        change,
                    )
                case Strong(children=children):
                    self.inlines(
                        parent, children, bold=True, italic=italic, link=link, change=change
                    )
                case Emphasis(children=children):
                    self.inlines(parent, children, bold=bold, italic=True, link=link, change=change)
                case Link(url=url, children=children):
                    label = children or (Text(url),)
                    if link:  # Word cannot nest hyperlinks; the outer one wins
                        self.inlines(
                            parent, label, bold=bold, italic=italic, link=True, change=change
                        )
                        continue
                    rid = self.part.relate_to(url, RT.HYPERLINK, is_external=True)
                    hyperlink = SubElement(parent, w("hyperlink"), {qn("r:id"): rid})
                    self.inlines(
                        hyperlink, label, bold=bold, italic=italic, link=True, change=change
                    )
                case LineBreak():
                    SubElement(run(self.revisions.holder(parent, change), ""), w("br"))
                case Insertion(children=children):
                    self.inlines(
                        parent, children, bold=bold, italic=italic, link=link, change="ins"
                    )
                case Deletion(children=children):
                    self.inlines(
                        parent, children, bold=bold, italic=italic, link=link, change="del"
                    )
                case _:
                    assert_never(node)

    def list(self, block: BulletList | NumberedList, out: BaseOxmlElement, depth: int) -> None:
        num_id = ""
        if isinstance(block, NumberedList):
            style = list_style("Number", depth)
            # A w:num of its own per list, or Word continues numbering from the previous list.
            abstract = self.ref.number_abstracts[min(depth, LIST_DEPTH - 1)]
            num = self.numbering.add_num(abstract)
            num.add_lvlOverride(ilvl=0).add_startOverride(block.start)
            num_id = str(num.numId)
        else:
            style = list_style("Bullet", depth)
        for number, item in enumerate(block.items):
            start = len(out)
            first, *rest = item.blocks or (Paragraph(()),)
            if isinstance(first, Paragraph):
                p = self.paragraph(out, style, first.children)
            else:  # an item opening with, say, a nested list still needs its bullet
                p, rest = paragraph(out, style), [first, *rest]
            if num_id:  # numPr right after pStyle: a tracked paragraph mark (rPr) comes last
                num_pr = p.makeelement(w("numPr"), {})
                p.find(PPR).insert(1, num_pr)
                SubElement(num_pr, w("ilvl"), {VAL: "0"})
                SubElement(num_pr, w("numId"), {VAL: num_id})
            self.blocks(rest, out, depth + 1)
            if number == len(block.items) - 2:  # so the last never opens a page alone
                keep_with_next(out[start:])

    def table(self, block: Table, out: BaseOxmlElement) -> None:
        widths = column_widths(block.widths, len(block.header), self.ref.text_width)
        tbl = grid(out, "BriefTable", widths, CELL_PADDING)
        describe_table(
            tbl,
            self.section or "Table",
            f"{len(block.rows)} rows; columns: " + ", ".join(plain_text(c) for c in block.header),
        )
        for index, cells in enumerate((block.header, *block.rows)):
            tr = SubElement(tbl, w("tr"))
            tr_pr = SubElement(tr, w("trPr"))
            SubElement(tr_pr, w("cantSplit"))  # a short row moves whole to the next page
            if index == 0:  # repeated at the top of every page the table continues on
                SubElement(tr_pr, w("tblHeader"))
            self.revisions.mark_row(tr, cells)
            style = "TableHeader" if index == 0 else "TableText"
            # A row short of cells (against the contract) gets empty ones, never a ragged grid.
            for column, width in enumerate(widths):
                content = cells[column] if column < len(cells) else ()
                p = paragraph(cell(tr, width), style)
                self.inlines(p, content, bold=False, italic=False, link=False)

    def title_block(self, block: TitleBlock, out: BaseOxmlElement) -> None:
        # A real heading: in a pack each meeting's title heads its part of the navigation pane.
        outline_level(self.paragraph(out, "Title", block.title), self.levels.title())
        self.section = plain_text(block.title)
        if block.subtitle:
            self.paragraph(out, "Subtitle", block.subtitle)
        if not block.fields:
            return
        # Label column by the theme's rule, the longest label estimated (bold sans ~0.6 em a
        # character; the PDF measures it); twips are twentieths of a point.
        longest = max(len(f.label) for f in block.fields) * self.label_size * 0.6
        label = round(field_label_width(longest) * 20)
        tbl = grid(out, "FieldTable", [label, self.ref.text_width - label], 0)
        describe_table(
            tbl, "Meeting details", ", ".join(f.label for f in block.fields) + " of " + self.section
        )
        for item in block.fields:
            tr = SubElement(tbl, w("tr"))
            kind = self.revisions.mark_row(tr, (item.value,))
            label_p = paragraph(cell(tr, label), "FieldLabel")
            self.inlines(
                label_p,
                (kind((Text(item.label),)),) if kind else (Text(item.label),),
                bold=False,
                italic=False,
                link=False,
            )
            p = paragraph(cell(tr, self.ref.text_width - label), "FieldValue")
            self.inlines(p, item.value, bold=False, italic=False, link=False)


def _properties(word: WordDocument, info: DocumentInfo) -> None:
    props = word.core_properties
    # Core properties hold at most 255 characters (a pack's or a big meeting's keywords do not).
    props.title, props.author = info.title[:255], info.author[:255]
    props.subject = info.subject[:255]
    props.keywords = ", ".join(info.keywords)[:255]
    props.language = language_tag(info.language)
    props.comments = ""  # the template says "generated by python-docx"
    props.created = props.modified = datetime.fromtimestamp(info.created, tz=timezone.utc)
    props.last_modified_by = "briefgen"
    props.revision = 1
    if not info.language:
        return
    # Spell checking and hyphenation follow w:lang, not the core property.
    defaults = word.styles.element.find(qn("w:docDefaults"))
    lang = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    lang.set(qn("w:val"), language_tag(info.language))
    word.settings.element.find(qn("w:themeFontLang")).set(qn("w:val"), language_tag(info.language))
