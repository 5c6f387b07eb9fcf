"""The footer's one design, for both writers: the title shortened at a word boundary to fit.

Every page ends with two lines: the footer text (the theme's, else the title) at the left and
"Page X of Y" at the right, then the marking centred under them, so the marking never shares a
line with other text. A title too long for its room is cut after a whole word and ends in an
ellipsis. The room is estimated from the text width and font size alone (as the table column
split does), so the DOCX, whose writer cannot measure text, gets the same words as the PDF.
"""

from __future__ import annotations

from collections.abc import Callable

ELLIPSIS = "\u2026"
# Average advance of a character in ems, a little above Liberation Sans's and Serif's (about
# 0.5), so the estimate errs towards a shorter title rather than one touching the page label.
EM = 0.55
GAP = 18.0  # points kept free between the footer text and the page label


def estimated_width(text: str, size: float) -> float:
    return len(text) * EM * size


def shorten(text: str, room: float, measure: Callable[[str], float]) -> str:
    """The text if it fits `room` (as `measure` finds), else its longest run of whole words
    that fits with an ellipsis after it; a first word longer than the room is cut."""
    text = " ".join(text.split())
    if measure(text) <= room:
        return text
    words = text.split(" ")
    kept: list[str] = []
    for word in words:
        candidate = " ".join([*kept, word])
        if measure(candidate.rstrip(",;:\u2013\u2014-") + ELLIPSIS) > room:
            break
        kept.append(word)
    if kept:
        # Punctuation before the cut would read as part of the sentence: "Review, …".
        return " ".join(kept).rstrip(",;:.\u2013\u2014- ") + ELLIPSIS
    cut = words[0]
    while cut and measure(cut + ELLIPSIS) > room:
        cut = cut[:-1]
    return cut + ELLIPSIS if cut else ""


def footer_text(text: str, page_label: str, text_width: float, size: float) -> str:
    """The footer's left text for a line `text_width` points wide at `size` points, beside a
    page label such as "Page {page} of {pages}" (sized for three-digit page numbers)."""
    label = page_label.replace("{page}", "999").replace("{pages}", "999")
    room = text_width - estimated_width(label, size) - GAP
    return shorten(text, room, lambda s: estimated_width(s, size))
