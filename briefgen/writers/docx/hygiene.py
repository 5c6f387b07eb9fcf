"""The finished DOCX package made tidy: what Word shows about a file rather than in it.

Run on the package's parts, lxml trees or bytes, so it depends on no python-docx internals:
Word 2013+ compatibility (no "Compatibility Mode" in the title bar), widow and orphan control,
hyphenation where text is justified, the font table naming each bundled font's metric-compatible
fallback (Word without Liberation Sans substitutes Arial and keeps the same line breaks), the
marking as a custom document property, no style the document does not use, and a creation date
only when the build was given one (SOURCE_DATE_EPOCH): a brief is not created on its meeting day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
_OFFICE = "http://schemas.microsoft.com/office/word"
CUSTOM_PART = "docProps/custom.xml"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_REL = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
)
# The identifier every Office application uses for user-defined properties.
_USER_PROPERTIES = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"

# Bundled families and the fonts with the same metrics (altName), PANOSE and family class.
FALLBACKS = {
    "Liberation Sans": ("Arial", "020B0604020202020204", "swiss"),
    "Liberation Serif": ("Times New Roman", "02020603050405020304", "roman"),
    "Liberation Mono": ("Courier New", "02070309020205020404", "modern"),
}
# w:pPr children that come after w:widowControl (ECMA-376 CT_PPrBase order).
_AFTER_WIDOW = tuple(
    _W + tag
    for tag in [
        "numPr",
        "suppressLineNumbers",
        "pBdr",
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    ]
)
# w:settings children that come after w:autoHyphenation.
_AFTER_HYPHENATION = tuple(
    _W + tag
    for tag in [
        "consecutiveHyphenLimit",
        "hyphenationZone",
        "doNotHyphenateCaps",
        "showEnvelope",
        "summaryLength",
        "clickAndTypeStyle",
        "defaultTableStyle",
        "evenAndOddHeaders",
        "bookFoldRevPrinting",
        "bookFoldPrinting",
        "bookFoldPrintingSheets",
        "drawingGridHorizontalSpacing",
        "drawingGridVerticalSpacing",
        "displayHorizontalDrawingGridEvery",
        "displayVerticalDrawingGridEvery",
        "doNotUseMarginsForDrawingGridOrigin",
        "drawingGridHorizontalOrigin",
        "drawingGridVerticalOrigin",
        "doNotShadeFormData",
        "noPunctuationKerning",
        "characterSpacingControl",
    ]
)


@dataclass(frozen=True)
class Tidy:
    """What the package needs to know about the document and theme."""

    marking: str
    font: str  # the family the text is set in
    hyphenate: bool  # justified text and a dictionary for the language
    justify: bool  # False: justified styles fall back to left (no dictionary)
    dated: bool  # the creation time was given (SOURCE_DATE_EPOCH), so it is honest
    prune_styles: bool  # the built-in reference: its unused styles are leftovers


def tidy_package(trees: dict[str, etree._Element], parts: dict[str, bytes], tidy: Tidy) -> None:
    """Tidy the package in place, as `Tidy` says. `trees` are its XML parts by zip member
    name, parsed (edited where they are, serialised afterwards); `parts` the other members'
    bytes (an edited one is replaced, the rest are left byte for byte). The trees may be
    moved to `parts`."""
    _edit(trees, parts, "word/settings.xml", lambda root: _settings(root, tidy))
    _edit(trees, parts, "word/fontTable.xml", lambda root: _font_table(root, tidy.font))
    core = "docProps/core.xml"
    if core in trees:
        # Written and read back, as it always was: an emptied property (python-docx's
        # <dc:description></dc:description>) is then written short, <dc:description/>.
        parts[core] = _serialise(trees.pop(core))
    _edit(trees, parts, core, lambda root: None if tidy.dated else _undated(root))
    used = _used_styles(trees, parts) if tidy.prune_styles else None
    _edit(trees, parts, "word/styles.xml", lambda root: _styles(root, tidy, used))
    if tidy.marking:
        _add_custom_properties(parts, {"Classification": tidy.marking})


def _edit(
    trees: dict[str, etree._Element],
    parts: dict[str, bytes],
    name: str,
    change: Callable[[etree._Element], None],
) -> None:
    if name in trees:
        change(trees[name])
    elif name in parts:
        root = etree.fromstring(parts[name])
        change(root)
        parts[name] = _serialise(root)


def _serialise(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _settings(root: etree._Element, tidy: Tidy) -> None:
    compat = root.find(_W + "compat")
    if compat is None:
        compat = etree.SubElement(root, _W + "compat")
    mode = next(
        (
            s
            for s in compat.findall(_W + "compatSetting")
            if s.get(_W + "name") == "compatibilityMode"
        ),
        None,
    )
    if mode is None:
        mode = etree.SubElement(compat, _W + "compatSetting")
        mode.set(_W + "name", "compatibilityMode")
        mode.set(_W + "uri", _OFFICE)
    mode.set(_W + "val", "15")
    if tidy.hyphenate and root.find(_W + "autoHyphenation") is None:
        _insert_before(root, etree.Element(_W + "autoHyphenation"), _AFTER_HYPHENATION)


def _insert_before(parent: etree._Element, child: etree._Element, later: tuple[str, ...]) -> None:
    """Insert `child` before the first existing element whose tag is in `later`, else last."""
    for index, existing in enumerate(parent):
        if existing.tag in later:
            parent.insert(index, child)
            return
    parent.append(child)


def _font_table(root: etree._Element, family: str) -> None:
    fallback = FALLBACKS.get(family)
    if fallback is None:
        return
    alt, panose, kind = fallback
    for font in root.findall(_W + "font"):
        if font.get(_W + "name") == family:
            root.remove(font)
    font = etree.SubElement(root, _W + "font")
    font.set(_W + "name", family)
    for tag, value in (
        ("altName", alt),
        ("panose1", panose),
        ("charset", "00"),
        ("family", kind),
        ("pitch", "variable"),
    ):
        etree.SubElement(font, _W + tag).set(_W + "val", value)


def _undated(root: etree._Element) -> None:
    # Without SOURCE_DATE_EPOCH no date is true and reproducible at once: say none.
    for tag in ("created", "modified"):
        for element in root.findall(f"{{http://purl.org/dc/terms/}}{tag}"):
            root.remove(element)


def _styles(root: etree._Element, tidy: Tidy, used: set[str] | None) -> None:
    defaults = root.find(_W + "docDefaults")
    if defaults is not None:
        ppr_default = defaults.find(_W + "pPrDefault")
        if ppr_default is None:
            ppr_default = etree.SubElement(defaults, _W + "pPrDefault")
        ppr = ppr_default.find(_W + "pPr")
        if ppr is None:
            ppr = etree.SubElement(ppr_default, _W + "pPr")
        if ppr.find(_W + "widowControl") is None:
            _insert_before(ppr, etree.Element(_W + "widowControl"), _AFTER_WIDOW)
    for widow in root.iter(_W + "widowControl"):
        if widow.get(_W + "val") in ("0", "false", "off"):
            widow.getparent().remove(widow)  # no style turns widow and orphan control off
    if not tidy.justify:
        for jc in root.iter(_W + "jc"):
            if jc.get(_W + "val") in ("both", "distribute"):
                jc.set(_W + "val", "left")
    if used is not None:
        _prune(root, used)


_STYLE_REFERENCES = ("pStyle", "rStyle", "tblStyle", "numStyle", "styleLink")


def _used_styles(trees: dict[str, etree._Element], parts: dict[str, bytes]) -> set[str]:
    """Style ids the document's stories and numbering name."""
    used: set[str] = set()
    tags = [_W + tag for tag in _STYLE_REFERENCES]
    for name in [*trees, *parts]:
        if not (name.startswith("word/") and name.endswith(".xml") and name != "word/styles.xml"):
            continue
        root = trees.get(name)
        if root is None:
            data = parts[name]
            # A part whose text names none of these tags holds none (a theme, say): unparsed.
            if not any(tag.encode() in data for tag in _STYLE_REFERENCES):
                continue
            root = etree.fromstring(data)
        used.update(e.get(_W + "val", "") for e in root.iter(*tags))
    return used


def _prune(root: etree._Element, used: set[str]) -> None:
    """Drop the styles nothing uses, keeping defaults and what kept styles build on."""
    styles = {s.get(_W + "styleId", ""): s for s in root.findall(_W + "style")}
    keep = set(used) | {i for i, s in styles.items() if s.get(_W + "default") in ("1", "true")}
    pending = list(keep)
    while pending:
        style = styles.get(pending.pop())
        if style is None:
            continue
        for tag in ("basedOn", "next", "link"):
            ref = style.find(_W + tag)
            target = ref.get(_W + "val", "") if ref is not None else ""
            if target and target not in keep:
                keep.add(target)
                pending.append(target)
    for style_id, style in styles.items():
        if style_id not in keep:
            root.remove(style)


def _add_custom_properties(parts: dict[str, bytes], properties: dict[str, str]) -> None:
    body = "".join(
        f'<property fmtid="{_USER_PROPERTIES}" pid="{pid}" name="{escape(name, quote=False)}">'
        f"<vt:lpwstr>{escape(value, quote=False)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(sorted(properties.items()), start=2)
    )
    parts[CUSTOM_PART] = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'docPropsVTypes">{body}</Properties>'
    ).encode()
    types = etree.fromstring(parts["[Content_Types].xml"])
    ns = "http://schemas.openxmlformats.org/package/2006/content-types"
    if not any(o.get("PartName") == f"/{CUSTOM_PART}" for o in types.iter(f"{{{ns}}}Override")):
        override = etree.SubElement(types, f"{{{ns}}}Override")
        override.set("PartName", f"/{CUSTOM_PART}")
        override.set("ContentType", _CUSTOM_TYPE)
        parts["[Content_Types].xml"] = _serialise(types)
    rels = etree.fromstring(parts["_rels/.rels"])
    ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    if not any(r.get("Type") == _CUSTOM_REL for r in rels):
        ids = {r.get("Id") for r in rels}
        number = next(n for n in range(1, len(ids) + 2) if f"rId{n}" not in ids)
        rel = etree.SubElement(rels, f"{{{ns}}}Relationship")
        rel.set("Id", f"rId{number}")
        rel.set("Type", _CUSTOM_REL)
        rel.set("Target", CUSTOM_PART)
        parts["_rels/.rels"] = _serialise(rels)
