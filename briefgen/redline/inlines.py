"""Word-level diff of two runs of inlines into one run with Insertion and Deletion nodes.

Inlines are flattened into words, each with the formatting around it (bold, italic, a link),
diffed with difflib, and built back up. Equal words take NEW's formatting, deleted ones OLD's,
so dropping the deletions and unwrapping the insertions gives NEW's text exactly, and the
reverse gives OLD's.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from itertools import groupby

from briefgen.document import (
    Deletion,
    Emphasis,
    Inline,
    Insertion,
    LineBreak,
    Link,
    Strong,
    Text,
    plain_text,
)

# A word is what whitespace separates: "10:30-11:45" changes as one, as a reader sees it.
_WORDS = re.compile(r"\s+|\S+")
_BREAK = "\n"  # a LineBreak's token; Text never holds one after the reader

Style = tuple[tuple[str, str], ...]  # wrappers from the outside in: ("strong", ""), ("link", url)
Atom = tuple[str, Style]


def atoms(inlines: tuple[Inline, ...], style: Style = ()) -> list[Atom]:
    out: list[Atom] = []
    for node in inlines:
        if isinstance(node, Text):
            out.extend((word, style) for word in _WORDS.findall(node.text))
        elif isinstance(node, LineBreak):
            out.append((_BREAK, style))
        elif isinstance(node, Strong):
            out.extend(atoms(node.children, (*style, ("strong", ""))))
        elif isinstance(node, Emphasis):
            out.extend(atoms(node.children, (*style, ("emphasis", ""))))
        elif isinstance(node, Link):
            out.extend(atoms(node.children, (*style, ("link", node.url))))
        else:  # already marked: a redline of a redline keeps its marks as text
            out.extend(atoms(node.children, style))
    return out


def build(items: list[Atom], depth: int = 0) -> tuple[Inline, ...]:
    """Atoms back to inlines, merging neighbours with the same formatting."""
    out: list[Inline] = []
    for wrapper, group in groupby(items, key=lambda a: a[1][depth] if len(a[1]) > depth else None):
        members = list(group)
        if wrapper is None:
            text = ""
            for word, _ in members:
                if word == _BREAK:
                    if text:
                        out.append(Text(text))
                    out.append(LineBreak())
                    text = ""
                else:
                    text += word
            if text:
                out.append(Text(text))
            continue
        kind, url = wrapper
        children = build(members, depth + 1)
        if kind == "strong":
            out.append(Strong(children))
        elif kind == "emphasis":
            out.append(Emphasis(children))
        else:
            out.append(Link(url, children))
    return tuple(out)


def inserted(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    return (Insertion(inlines),) if inlines else ()


def deleted(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    return (Deletion(inlines),) if inlines else ()


def diff_inlines(
    old: tuple[Inline, ...], new: tuple[Inline, ...], *, whole: bool = False
) -> tuple[Inline, ...]:
    """NEW's inlines with OLD's words that went marked deleted and new words marked inserted.

    `whole` replaces the whole run when anything differs: for a short value such as a time or
    a date, "~~10:00~~ 11:30" reads better than a change inside it.
    """
    if old == new:
        return new
    old_atoms, new_atoms = atoms(old), atoms(new)
    if old_atoms == new_atoms:
        return new
    if whole or not old_atoms or not new_atoms:
        return (*deleted(old), *inserted(new))
    matcher = SequenceMatcher(None, old_atoms, new_atoms, autojunk=False)
    # (tag, old atoms, new atoms); whitespace alone between two changes joins them, so
    # "a b" → "x y" reads as one replacement rather than two with a kept space between.
    segments: list[tuple[str, list[Atom], list[Atom]]] = [
        (tag, old_atoms[i1:i2], new_atoms[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    ]
    merged: list[tuple[str, list[Atom], list[Atom]]] = []
    for index, (tag, o, n) in enumerate(segments):
        if (
            tag == "equal"
            and 0 < index < len(segments) - 1
            and all(not word.strip() for word, _ in n)
        ):
            tag = "replace"
        if tag != "equal" and merged and merged[-1][0] != "equal":
            _, po, pn = merged.pop()
            merged.append(("replace", po + o, pn + n))
        else:
            merged.append((tag, list(o), list(n)))
    out: list[Inline] = []
    for tag, o, n in merged:
        if tag == "equal":
            out.extend(build(n))
        else:
            out.extend(deleted(build(o)))
            out.extend(inserted(build(n)))
    return tuple(out)


def accept(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """The inlines with every change accepted: deletions dropped, insertions unwrapped."""
    return _resolve(inlines, keep=Insertion, drop=Deletion)


def reject(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    return _resolve(inlines, keep=Deletion, drop=Insertion)


def _resolve(
    inlines: tuple[Inline, ...], keep: type[Inline], drop: type[Inline]
) -> tuple[Inline, ...]:
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, drop):
            continue
        if isinstance(node, keep):
            out.extend(_resolve(node.children, keep, drop))  # type: ignore[union-attr]
        elif isinstance(node, Strong):
            out.append(Strong(_resolve(node.children, keep, drop)))
        elif isinstance(node, Emphasis):
            out.append(Emphasis(_resolve(node.children, keep, drop)))
        elif isinstance(node, Link):
            out.append(Link(node.url, _resolve(node.children, keep, drop)))
        else:
            out.append(node)
    return tuple(out)


def changed(inlines: tuple[Inline, ...]) -> bool:
    """Whether any Insertion or Deletion is among the inlines, at any depth."""
    for node in inlines:
        if isinstance(node, (Insertion, Deletion)):
            return True
        if isinstance(node, (Strong, Emphasis, Link)) and changed(node.children):
            return True
    return False


def similarity(old: tuple[Inline, ...], new: tuple[Inline, ...]) -> float:
    """0..1: how alike two runs read, word by word."""
    a, b = _WORDS.findall(plain_text(old)), _WORDS.findall(plain_text(new))
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()
