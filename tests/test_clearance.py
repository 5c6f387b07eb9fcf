"""The clearance filter: complete by construction, directory data at its own level, and each
audience setting honoured. Expectations are written out, never taken from the code under test."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from pydantic import Field

from briefgen.audience import (
    BUILTIN_AUDIENCES,
    HIGHEST,
    LOWEST,
    Audience,
    audiences_for,
    canonical_level,
    check_filterable,
    clearance_level,
    cleared,
    get_audience,
    select,
)
from briefgen.config import ProjectConfig
from briefgen.errors import AudienceError
from briefgen.model import DEFAULT_LEVELS, Item, Meeting, PlainText, StrictModel
from briefgen.pack import build_pack
from briefgen.pipeline import BuildOptions, Project, build, render_markup
from briefgen.validation import load_meeting
from tests.conftest import REPO
from tests.test_audiences import docx_surfaces, pdf_surfaces

LEVELS = list(DEFAULT_LEVELS)
PUBLIC = BUILTIN_AUDIENCES["public"]
STAFF = BUILTIN_AUDIENCES["staff"]
PACK = REPO / "inputs" / "packs" / "ministerial-week" / "pack.yaml"


def audience(clearance: str) -> Audience:
    return Audience("a", "", "staff.md.j2", clearance=clearance)


def meeting(**fields: object) -> Meeting:
    info = {"title": "T", "date": "2025-01-01", **fields.pop("info", {})}  # type: ignore[dict-item]
    return Meeting.model_validate({"meeting": info, **fields})


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


# --- directory data carries its own level (issue 16, item 1) ----------------------------------

CONF_BIO = "Recruited the source codenamed WILLOW in 2019"
DIRECTORY_PEOPLE = {
    "people/agent-x.yaml": f"""
        name: Agent X
        bio: "{CONF_BIO}"
        classification: CONFIDENTIAL
        """,
    "people/agent-y.yaml": """
        name: Agent Y
        role: Handler of the WILLOW network
        classification: CONFIDENTIAL
        """,
}
PUBLIC_MEETING = """
    meeting:
      title: Open Day
      date: 2025-05-01
      classification: PUBLIC
    participants:
      - {ref: agent-x, bio: "Public bio", classification: PUBLIC}
      - {ref: agent-y, classification: PUBLIC}
      - name: Jane Open
        bio: An openly listed speaker.
    key_points:
      - Welcome.
    """


@pytest.fixture
def directory_project(tmp_path: Path) -> Path:
    for name, text in DIRECTORY_PEOPLE.items():
        write(tmp_path, name, text)
    write(tmp_path, "briefgen.yaml", "people: people/\n")
    write(tmp_path, "meetings/open-day.yaml", PUBLIC_MEETING)
    write(
        tmp_path,
        "pack.yaml",
        """
        pack:
          title: Open Week
        audience: [public, staff]
        people: people/
        meetings: [meetings/open-day.yaml]
        """,
    )
    return tmp_path


def test_a_directory_field_borrowed_by_a_lower_participant_takes_the_directory_level(
    directory_project: Path,
) -> None:
    project = Project.for_input(directory_project / "meetings" / "open-day.yaml", BuildOptions())
    loaded, _ = project.load_meeting(directory_project / "meetings" / "open-day.yaml")
    marks = [(p.name, p.classification) for p in loaded.participants]
    # agent-x borrows its name, agent-y its name and role: both from CONFIDENTIAL entries.
    assert marks == [("Agent X", "CONFIDENTIAL"), ("Agent Y", "CONFIDENTIAL"), ("Jane Open", None)]


def test_a_participant_overriding_every_directory_field_keeps_its_own_level(tmp_path: Path) -> None:
    write(tmp_path, "people/agent-x.yaml", DIRECTORY_PEOPLE["people/agent-x.yaml"])
    path = write(
        tmp_path,
        "m.yaml",
        """
        meeting: {title: T, date: 2025-01-01}
        participants:
          - {ref: agent-x, name: Mr X, bio: Public bio, classification: PUBLIC}
        """,
    )
    from briefgen.people import load_people

    loaded, _ = load_meeting(path, people=load_people(tmp_path / "people"))
    assert (loaded.participants[0].bio, loaded.participants[0].classification) == (
        "Public bio",
        "PUBLIC",
    )


def test_no_confidential_biography_reaches_a_public_pack(directory_project: Path) -> None:
    out = directory_project / "out"
    written = build_pack(directory_project / "pack.yaml", BuildOptions(out_dir=out))
    public = [p for p in written if ".public." in p.name]
    staff = [p for p in written if ".staff." in p.name]
    assert len(public) == 2 and len(staff) == 2
    for path in public:
        surfaces = pdf_surfaces(path) if path.suffix == ".pdf" else docx_surfaces(path)
        for secret in (CONF_BIO, "WILLOW", "Agent X", "Agent Y"):
            assert not any(secret in s for s in surfaces), f"{secret!r} leaked into {path.name}"
        assert any("An openly listed speaker." in s for s in surfaces)  # the annex did print
    staff_text = " ".join(pdf_surfaces(next(p for p in staff if p.suffix == ".pdf"))[:1])
    assert CONF_BIO in staff_text  # cleared audiences still see the directory's biography


def test_no_directory_text_reaches_a_public_brief_even_printing_everything(
    directory_project: Path,
) -> None:
    templates = write(directory_project, "tpl/public.md.j2", "{{ participants }}\n").parent
    path = directory_project / "meetings" / "open-day.yaml"
    project = Project.for_input(path, BuildOptions(template_dirs=(templates,)))
    loaded, _ = project.load_meeting(path)
    markup = render_markup(loaded, project.audience("public"), project)
    assert "Jane Open" in markup
    for secret in ("WILLOW", "Agent X", "Agent Y", "Recruited"):
        assert secret not in markup


def test_the_example_pack_keeps_restricted_biographies_from_public_readers(
    tmp_path: Path,
) -> None:
    written = build_pack(PACK, BuildOptions(out_dir=tmp_path), audiences=("public",))
    assert len(written) == 2
    for path in written:
        surfaces = pdf_surfaces(path) if path.suffix == ".pdf" else docx_surfaces(path)
        # Jonas Weber's directory entry is RESTRICTED.
        assert not any("supply-chain observatory" in s for s in surfaces), path.name
        assert not any("Jonas Weber" in s for s in surfaces), path.name


# --- select() is complete by construction (issue 16, item 2) ---------------------------------


class Risk(StrictModel):
    text: PlainText
    classification: str | None = None


class LaterMeeting(Meeting):
    """A meeting model as a later version might grow it: the filter must cover the new fields."""

    notes: PlainText | None = None
    risks: list[Risk] = Field(default_factory=list)


def later(**fields: object) -> LaterMeeting:
    return LaterMeeting.model_validate(
        {"meeting": {"title": "T", "date": "2025-01-01", "classification": "RESTRICTED"}, **fields}
    )


def test_a_new_meeting_level_field_is_cleared_by_the_meeting_level() -> None:
    value = later(notes="Secret negotiating notes")
    assert select(value, PUBLIC, LEVELS).meeting.notes is None  # type: ignore[attr-defined]
    public = select(value, PUBLIC, LEVELS)
    assert public.marking == "PUBLIC"
    staff = select(value, STAFF, LEVELS)
    assert staff.meeting.notes == "Secret negotiating notes"  # type: ignore[attr-defined]
    assert staff.marking == "RESTRICTED"  # the new field's content marks the output


def test_a_new_list_of_items_is_filtered_item_by_item() -> None:
    value = later(
        risks=[
            {"text": "open risk", "classification": "PUBLIC"},
            {"text": "hidden risk", "classification": "CONFIDENTIAL"},
            {"text": "default risk"},
        ]
    )
    public = select(value, PUBLIC, LEVELS).meeting
    assert [(r.text, r.classification) for r in public.risks] == [  # type: ignore[attr-defined]
        ("open risk", "PUBLIC")
    ]
    internal = select(value, audience("RESTRICTED"), LEVELS)
    assert [(r.text, r.classification) for r in internal.meeting.risks] == [  # type: ignore
        ("open risk", "PUBLIC"),
        ("default risk", "RESTRICTED"),
    ]
    assert internal.marking == "RESTRICTED"


def test_a_field_the_filter_cannot_clear_fails_loudly() -> None:
    class Unfilterable(Meeting):
        extras: dict[str, str] = Field(default_factory=dict)

    with pytest.raises(TypeError, match=r"cannot clear field extras"):
        check_filterable(Unfilterable)
    with pytest.raises(TypeError, match=r"cannot clear field extras"):
        select(
            Unfilterable.model_validate({"meeting": {"title": "T", "date": "2025-01-01"}}),
            PUBLIC,
            LEVELS,
        )


def test_required_content_the_filter_could_not_drop_fails_loudly() -> None:
    class Required(Meeting):
        notes: PlainText

    with pytest.raises(TypeError, match=r"notes: meeting-level content needs a default"):
        check_filterable(Required)

    class RequiredItem(Meeting):
        risk: Risk

    with pytest.raises(TypeError, match=r"risk: an item that may be dropped needs a default"):
        check_filterable(RequiredItem)


def test_required_meeting_information_the_filter_could_not_drop_fails_loudly() -> None:
    from briefgen.model import MeetingInfo

    class Info(MeetingInfo):
        venue_code: PlainText

    class WithInfo(Meeting):
        meeting: Info

    with pytest.raises(TypeError, match=r"meeting\.venue_code: meeting-level content needs"):
        check_filterable(WithInfo)


def test_a_field_of_several_types_is_refused() -> None:
    class Mixed(Meeting):
        count: int | str | None = None

    with pytest.raises(TypeError, match=r"cannot clear field count: its type"):
        check_filterable(Mixed)


def test_a_single_item_field_above_the_clearance_falls_back_to_its_default() -> None:
    class WithLead(Meeting):
        lead_risk: Risk | None = None

    value = WithLead.model_validate(
        {
            "meeting": {"title": "T", "date": "2025-01-01"},
            "lead_risk": {"text": "r", "classification": "RESTRICTED"},
        }
    )
    assert select(value, PUBLIC, LEVELS).meeting.lead_risk is None  # type: ignore[attr-defined]
    kept = select(value, STAFF, LEVELS)
    assert kept.meeting.lead_risk == Risk(text="r", classification="RESTRICTED")  # type: ignore
    assert kept.marking == "RESTRICTED"


def test_a_meeting_level_list_falls_back_to_its_empty_default() -> None:
    class Tagged(Meeting):
        tags: list[PlainText] = Field(default_factory=list)

    info = {"title": "T", "date": "2025-01-01", "classification": "RESTRICTED"}
    tagged = Tagged.model_validate({"meeting": info, "tags": ["alpha"]})
    assert select(tagged, PUBLIC, LEVELS).meeting.tags == []  # type: ignore[attr-defined]
    assert select(tagged, STAFF, LEVELS).meeting.tags == ["alpha"]  # type: ignore[attr-defined]
    assert select(tagged, STAFF, LEVELS).marking == "RESTRICTED"
    untagged = Tagged.model_validate({"meeting": info})
    assert select(untagged, STAFF, LEVELS).marking == "PUBLIC"  # nothing at the meeting level


def test_an_unfilterable_model_inside_a_list_is_refused_too() -> None:
    class Tagged(StrictModel):
        text: PlainText
        extras: dict[str, str] = Field(default_factory=dict)

    class Listing(Meeting):
        tagged: list[Tagged] = Field(default_factory=list)

    with pytest.raises(TypeError, match=r"cannot clear field tagged\.extras"):
        check_filterable(Listing)


def test_a_field_of_any_type_is_refused_with_the_filter_message() -> None:
    class Loose(Meeting):
        extra: Any = None

    with pytest.raises(TypeError, match=r"cannot clear field extra: its type"):
        check_filterable(Loose)


def test_meeting_information_added_after_the_marking_is_cleared_too() -> None:
    from briefgen.model import MeetingInfo

    class Info(MeetingInfo):
        venue: PlainText | None = None

    class WithVenue(Meeting):
        meeting: Info

    value = WithVenue.model_validate(
        {
            "meeting": {
                "title": "T",
                "date": "2025-01-01",
                "classification": "RESTRICTED",
                "venue": "Bunker",
            }
        }
    )
    public = select(value, PUBLIC, LEVELS).meeting.meeting
    assert (public.venue, public.classification) == (None, "PUBLIC")  # type: ignore[attr-defined]
    staff = select(value, STAFF, LEVELS)
    assert staff.meeting.meeting.venue == "Bunker"  # type: ignore[attr-defined]
    assert staff.marking == "RESTRICTED"


def test_audiences_and_selections_are_immutable() -> None:
    import dataclasses

    with pytest.raises(dataclasses.FrozenInstanceError):
        STAFF.clearance = LOWEST  # type: ignore[misc]
    selection = select(meeting(), STAFF, LEVELS)
    with pytest.raises(dataclasses.FrozenInstanceError):
        selection.marking = "CONFIDENTIAL"  # type: ignore[misc]


def test_the_shipped_model_is_filterable() -> None:
    assert check_filterable(Meeting) is Meeting


# --- the marking and the meeting's own level --------------------------------------------------


def test_overall_marking_includes_the_meeting_level_of_its_own_text() -> None:
    value = meeting(
        info={"classification": "RESTRICTED"},
        purpose="Why we meet",
        key_points=[{"text": "open", "classification": "PUBLIC"}],
    )
    assert select(value, STAFF, LEVELS).marking == "RESTRICTED"
    assert select(value, PUBLIC, LEVELS).marking == "PUBLIC"
    only_items = meeting(
        info={"classification": "RESTRICTED"},
        key_points=[{"text": "open", "classification": "PUBLIC"}],
    )
    assert select(only_items, STAFF, LEVELS).marking == "PUBLIC"
    assert (
        select(
            meeting(info={"classification": "INTERNAL", "location": "Room 1"}), STAFF, LEVELS
        ).marking
        == "INTERNAL"
    )


def test_meeting_level_text_is_hidden_below_the_meeting_level_but_identity_stays() -> None:
    value = meeting(
        info={
            "classification": "INTERNAL",
            "time": "10:00",
            "location": "Room 1",
            "organiser": "Ops",
            "id": "the-id",
            "language": "bs",
        },
        purpose="p",
        summary="s",
    )
    public = select(value, PUBLIC, LEVELS).meeting
    assert (public.purpose, public.summary) == (None, None)
    info = public.meeting
    assert (info.time, info.location, info.organiser) == (None, None, None)
    assert (info.title, info.date.isoformat(), info.id, info.language) == (
        "T",
        "2025-01-01",
        "the-id",
        "bs",
    )
    assert info.classification == "PUBLIC"
    internal = select(value, audience("INTERNAL"), LEVELS).meeting
    assert (internal.purpose, internal.meeting.location) == ("p", "Room 1")
    assert internal.meeting.classification == "INTERNAL"


def test_kept_items_carry_their_effective_level_and_hidden_ones_are_gone() -> None:
    value = meeting(
        info={"classification": "INTERNAL"},
        key_points=["plain", {"text": "c", "classification": "CONFIDENTIAL"}],
        outcomes=[{"text": "r", "classification": "RESTRICTED"}],
        sections=[
            {
                "heading": "H",
                "classification": "PUBLIC",
                "table": {"columns": ["a"], "rows": [["1"]]},
            }
        ],
    )
    result = select(value, audience("RESTRICTED"), LEVELS).meeting
    assert [(i.text, i.classification) for i in result.key_points] == [("plain", "INTERNAL")]
    assert [(i.text, i.classification) for i in result.outcomes] == [("r", "RESTRICTED")]
    assert result.sections[0].table is not None and result.sections[0].table.rows == [["1"]]
    assert select(value, audience("RESTRICTED"), LEVELS).marking == "RESTRICTED"
    assert select(value, audience("CONFIDENTIAL"), LEVELS).marking == "CONFIDENTIAL"


def test_an_unmarked_meeting_and_its_unmarked_items_are_at_the_lowest_level() -> None:
    value = meeting(key_points=["plain"], purpose="why")
    public = select(value, PUBLIC, LEVELS)
    assert [(i.text, i.classification) for i in public.meeting.key_points] == [("plain", "PUBLIC")]
    assert (public.meeting.purpose, public.marking) == ("why", "PUBLIC")
    assert public.meeting.meeting.classification == "PUBLIC"


def test_an_item_exactly_at_the_clearance_is_kept() -> None:
    value = meeting(key_points=[Item(text="at", classification="INTERNAL").model_dump()])
    assert len(select(value, audience("INTERNAL"), LEVELS).meeting.key_points) == 1
    assert len(select(value, audience("PUBLIC"), LEVELS).meeting.key_points) == 0


def test_the_meeting_level_is_not_shown_to_a_public_template(tmp_path: Path) -> None:
    write(
        tmp_path,
        "tpl/public.md.j2",
        "Level [{{ meeting.classification }}] marking [{{ marking }}]\n",
    )
    path = write(
        tmp_path,
        "m.yaml",
        """
        meeting: {title: T, date: 2025-01-01, classification: RESTRICTED}
        key_points:
          - {text: Open point, classification: PUBLIC}
        """,
    )
    project = Project(ProjectConfig(), (tmp_path / "tpl",))
    value, _ = load_meeting(path)
    markup = render_markup(value, project.audience("public"), project)
    assert markup.strip() == "Level [PUBLIC] marking [PUBLIC]"


# --- audiences from briefgen.yaml --------------------------------------------------------------


def config(text: str) -> ProjectConfig:
    import yaml

    return ProjectConfig.model_validate(yaml.safe_load(textwrap.dedent(text)))


def test_a_clearance_set_in_briefgen_yaml_is_honoured() -> None:
    audiences = audiences_for(
        config("""
        audiences:
          readers: {template: staff.md.j2, clearance: internal}
        """)
    )
    readers = audiences["readers"]
    assert readers.clearance == "INTERNAL"
    assert clearance_level(readers, LEVELS) == "INTERNAL"
    value = meeting(
        key_points=[
            {"text": "i", "classification": "INTERNAL"},
            {"text": "c", "classification": "CONFIDENTIAL"},
        ]
    )
    assert [i.text for i in select(value, readers, LEVELS).meeting.key_points] == ["i"]


def test_overriding_a_built_in_audience_keeps_its_other_fields() -> None:
    audiences = audiences_for(
        config("""
        audiences:
          public: {label: Press readout}
          archive: {theme: house}
        """)
    )
    assert audiences["public"] == Audience(
        "public",
        "A readout for publication, built only from content cleared for the public.",
        "public.md.j2",
        theme="formal",
        clearance=LOWEST,
        portion_marks=False,
        label="Press readout",
        pdfa=False,
    )
    archive = audiences["archive"]
    assert (
        archive.template,
        archive.theme,
        archive.clearance,
        archive.portion_marks,
        archive.pdfa,
    ) == ("staff.md.j2", "house", HIGHEST, True, True)
    assert list(audiences) == ["principal", "staff", "public", "archive"]


def test_a_new_audience_needs_a_template_and_starts_from_nothing() -> None:
    with pytest.raises(AudienceError, match=r"audience 'press' in briefgen\.yaml is new"):
        audiences_for(config("audiences:\n  press: {label: Press}\n"))
    new = audiences_for(config("audiences:\n  press: {template: public.md.j2}\n"))["press"]
    assert (
        new.name,
        new.description,
        new.template,
        new.theme,
        new.clearance,
        new.portion_marks,
        new.label,
        new.pdfa,
    ) == ("press", "", "public.md.j2", "default", HIGHEST, False, "", False)


def test_levels_and_clearances() -> None:
    levels = ["LOW", "MID", "TOP"]
    assert clearance_level(audience(HIGHEST), levels) == "TOP"
    assert clearance_level(audience(LOWEST), levels) == "LOW"
    assert clearance_level(audience("mid"), levels) == "MID"
    with pytest.raises(AudienceError, match="clearance 'SECRET' is not a level; levels: LOW, MID"):
        clearance_level(audience("SECRET"), levels)
    assert canonical_level(" mid ", levels) == "MID"
    assert canonical_level("nope", levels) is None and canonical_level(None, levels) is None
    assert cleared("MID", audience("mid"), levels) and cleared("LOW", audience("mid"), levels)
    assert not cleared("TOP", audience("mid"), levels)


def test_unknown_audience_names_the_nearest_and_all() -> None:
    with pytest.raises(AudienceError) as error:
        get_audience("stafff")
    assert error.value.message == "unknown audience 'stafff'"
    assert error.value.hint == "did you mean `staff`? audiences: principal, staff, public, archive"
    with pytest.raises(AudienceError) as far:
        get_audience("zzz", {"one": STAFF})
    assert far.value.hint == "audiences: one"
    assert get_audience("public") is PUBLIC


def test_a_restricted_config_audience_in_a_build(tmp_path: Path) -> None:
    write(
        tmp_path,
        "briefgen.yaml",
        """
        audiences:
          insiders: {template: staff.md.j2, clearance: INTERNAL}
        """,
    )
    path = write(
        tmp_path,
        "m.yaml",
        """
        meeting: {title: T, date: 2025-01-01}
        key_points:
          - {text: Internal point here, classification: INTERNAL}
          - {text: Confidential point here, classification: CONFIDENTIAL}
        """,
    )
    [docx] = build(
        path, BuildOptions(audiences=("insiders",), formats=("docx",), out_dir=tmp_path / "out")
    )
    text = " ".join(docx_surfaces(docx))
    assert "Internal point here" in text and "Confidential point here" not in text
