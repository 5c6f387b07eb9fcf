"""The PDF fonts' splitString (writers/pdf/fonts.py) gives the (subset, bytes) runs reportlab's
gives, and leaves the same subsets, for any text in any order: known characters, new ones, a
no-break space, characters past the first subset's 256 codes and characters the font lacks."""

from __future__ import annotations

import random

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from briefgen.pipeline import Project
from briefgen.writers.pdf.fonts import register_fonts

ALPHABET = [
    *(chr(c) for c in range(32, 127)),
    *"éèàüöäßčćšžđ\u2013\u2014\u201c\u201d\u2018\u2019\u2026\u00a0€ΑΒΓ",
    *(chr(c) for c in range(0x400, 0x4FF)),  # enough for a second and third subset
    "\u4e2d",  # no glyph in Liberation Sans: code 0
]


def _ours() -> TTFont:
    """The theme's regular face as the PDF writer registers it."""
    return pdfmetrics.getFont(register_fonts(Project().theme(Project().audience("staff"))).regular)


class _Document:
    """A stand-in for reportlab's PDFDocument: fonts keep their state per document object."""


def test_split_strings_match_reportlabs_for_random_text() -> None:
    ours = _ours()
    theirs = TTFont("theirs", ours.face.filename)
    randomness = random.Random(11)
    for _ in range(10):
        their_doc, our_doc = _Document(), _Document()
        for _ in range(300):
            length = randomness.randint(0, 60)
            text = "".join(randomness.choice(ALPHABET) for _ in range(length))
            assert ours.splitString(text, our_doc) == theirs.splitString(text, their_doc)
        assert ours.state[our_doc].subsets == theirs.state[their_doc].subsets
        assert len(ours.state[our_doc].subsets) >= 2


def test_a_known_text_is_one_run_of_its_codes() -> None:
    font, document = _ours(), _Document()
    first = font.splitString("abc a\u00a0b", document)
    assert first == font.splitString("abc a\u00a0b", document)  # the second time: the fast path
    assert first == [(0, b"abc a b")]  # ASCII keeps its own codes; the no-break space is 32
