"""Curly quotes decided per quote character (typography._quotes visits only those) give what
the character-by-character rule gives, for any text: the rule written out below is the
specification the faster walk must match."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.typography import APOSTROPHE, quotes_for, smarten

# A quote opens after nothing, a space, an opening bracket, a dash or a slash, or an opening quote.
OPENS_AFTER = set(" \t\n\u00a0([{\u2013\u2014/-") | {""}
OPENING_QUOTES = set("\u201c\u201e\u201a\u2018\u00ab")


def quotes_by_rule(text: str, language: str, before: str) -> str:
    """Every character in turn: a quote opens after a space, bracket, dash or opening quote."""
    open_double, close_double, open_single, close_single = quotes_for(language)
    out = []
    previous = before[-1:] if before else ""
    single_open = False
    for index, char in enumerate(text):
        following = text[index + 1 : index + 2]
        opens = previous in OPENS_AFTER or previous in OPENING_QUOTES
        if char == '"':
            char = open_double if opens else close_double
        elif char == "'":
            if (previous.isalnum() and following.isalpha()) or (opens and following.isdigit()):
                char = APOSTROPHE  # don't; the '90s
            elif opens:
                char, single_open = open_single, True
            elif single_open:
                char, single_open = close_single, False
            else:
                char = APOSTROPHE
        out.append(char)
        previous = char
    return "".join(out)


# No hyphen, full stop, colon or @: nothing smarten changes besides the quotes.
TYPED = st.text(alphabet="\"'  aZ9(—\u201c\u00a0ł", max_size=40)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(text=TYPED, before=st.sampled_from(["", " ", "a", '"', "(", "\u201e"]))
def test_quotes_match_the_rule(text: str, before: str) -> None:
    for language in ("en", "bs", "fr"):
        assert smarten(text, language, before) == quotes_by_rule(text, language, before)


def test_examples_of_the_rule() -> None:
    assert smarten("NATO's \"open door\" and 'the '90s'") == (
        "NATO\u2019s \u201copen door\u201d and \u2018the \u201990s\u2019"
    )
    assert smarten('"Dobro"', "bs") == "\u201eDobro\u201c"
