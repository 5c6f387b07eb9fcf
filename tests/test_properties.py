"""Properties: every valid meeting builds in both formats, whatever its text."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.document import plain_text
from briefgen.model import Meeting
from briefgen.pipeline import Project, render_document
from briefgen.typography import smarten
from briefgen.writers import get_writer

# Any printable text, including markup characters, scripts and emoji; never blank.
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc", "Co", "Cn"]), min_size=1, max_size=40
).filter(lambda s: s.strip() != "")
LEVEL = st.sampled_from(["PUBLIC", "INTERNAL", "RESTRICTED", "CONFIDENTIAL", None])


def item() -> st.SearchStrategy[Any]:
    return st.one_of(
        TEXT,
        st.fixed_dictionaries({"text": TEXT}, optional={"title": TEXT, "classification": LEVEL}),
    )


MEETINGS = st.fixed_dictionaries(
    {
        "meeting": st.fixed_dictionaries(
            {"title": TEXT, "date": st.dates(dt.date(1990, 1, 1), dt.date(2060, 1, 1))},
            optional={"time": TEXT, "location": TEXT, "organiser": TEXT, "classification": LEVEL},
        )
    },
    optional={
        "participants": st.lists(
            st.fixed_dictionaries({"name": TEXT}, optional={"role": TEXT, "side": TEXT}), max_size=4
        ),
        "purpose": TEXT,
        "summary": TEXT,
        "key_points": st.lists(item(), max_size=4),
        "outcomes": st.lists(item(), max_size=3),
        "initiatives": st.lists(
            st.fixed_dictionaries({"name": TEXT}, optional={"objective": TEXT, "timeline": TEXT}),
            max_size=3,
        ),
        "sections": st.lists(
            st.fixed_dictionaries({"heading": TEXT}, optional={"body": TEXT}), max_size=2
        ),
    },
)

PROJECT = Project()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MEETINGS)
def test_every_valid_meeting_builds_in_both_formats(data: dict[str, Any]) -> None:
    meeting = Meeting.model_validate(data)
    for audience in ("staff", "public"):
        document = render_document(meeting, PROJECT.audience(audience), PROJECT)
        assert document.blocks, "the title block is always there"
        theme = PROJECT.theme(PROJECT.audience(audience))
        assert get_writer("pdf")(document, theme).data.startswith(b"%PDF-")
        assert get_writer("docx")(document, theme).data.startswith(b"PK")


@settings(max_examples=40, deadline=None)
@given(TEXT)
def test_a_participant_name_reads_back_exactly(name: str) -> None:
    meeting = Meeting.model_validate(
        {"meeting": {"title": "T", "date": "2025-01-01"}, "participants": [{"name": name}]}
    )
    document = render_document(meeting, PROJECT.audience("staff"), PROJECT)
    from briefgen.document import Table

    [table] = [b for b in document.blocks if isinstance(b, Table)]
    # Exactly as typed, but for typography (curly quotes, en dashes, no-break spaces in dates:
    # briefgen.typography), which the brief applies to every text alike.
    assert plain_text(table.rows[0][0]) == smarten(" ".join(name.splitlines()).strip(), "en")
