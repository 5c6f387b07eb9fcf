"""Which Word style carries each theme role, and paragraph alignments by theme name."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH

# Word style name -> theme role. Built-in styles come with the template; the rest are created.
BUILTIN_ROLES = {
    "Normal": "body",
    "Title": "title",
    "Subtitle": "subtitle",
    **{f"Heading {n}": f"heading-{n}" for n in (1, 2, 3)},
    **{
        f"List {kind}{suffix}": "list-item"
        for kind in ("Bullet", "Number", "Continue")
        for suffix in ("", " 2", " 3")
    },
    "Header": "header",
    "Footer": "footer",
}
CUSTOM_ROLES = {
    "Field Label": "field-label",
    "Field Value": "field-value",
    "Table Header": "table-header",
    "Table Text": "table-cell",
    "Marking": "marking",
    "Timeline Text": "timeline",
}
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
