"""Each loader guarantee on its own, at its boundary, with the exact place and words expected:
alias and node budgets, merge keys, tags, empty files, every diagnostic of a file kept, and the
source map's fall-backs. (Written to kill the mutants scripts/mutation.py found surviving.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen import loader
from briefgen.errors import InputError
from briefgen.loader import (
    MAX_ALIASES,
    MAX_FILE_BYTES,
    MAX_NODES,
    Position,
    SourceMap,
    decode_text,
    format_path,
    load_yaml_file,
    load_yaml_text,
    read_text,
)

LIMIT = "too many aliases or values (limits: 50 aliases, 200,000 values)"


def problems(text: str) -> list[tuple[int | None, int | None, str, str | None]]:
    with pytest.raises(InputError) as error:
        load_yaml_text(text, "t.yaml")
    return [
        (
            d.location.line if d.location else None,
            d.location.column if d.location else None,
            d.message,
            d.hint,
        )
        for d in error.value.diagnostics
    ]


def test_the_limits_are_the_documented_ones() -> None:
    assert (MAX_ALIASES, MAX_NODES, MAX_FILE_BYTES) == (50, 200_000, 2_097_152)


def test_fifty_aliases_are_fine_and_the_fifty_first_is_refused_where_it_is() -> None:
    fifty = "a: &a x\nl: [" + ", ".join(["*a"] * 50) + "]\n"
    assert load_yaml_text(fifty, "t.yaml").data["l"] == ["x"] * 50
    over = "a: &a x\nl: [" + ", ".join(["*a"] * 51) + "]\n"
    # PyYAML hands back the anchored node for each alias, so the place is the anchor's value.
    assert problems(over) == [(1, 4, LIMIT, "write the values out instead of repeating anchors")]


def test_the_node_budget_is_exact(monkeypatch: pytest.MonkeyPatch) -> None:
    # Checked with a small budget (the real one is pinned above): the root mapping, the list
    # and its items are values, so 2 + 8 is a budget of 10.
    monkeypatch.setattr(loader, "MAX_NODES", 10)
    fits = "l: [" + ", ".join(["x"] * 8) + "]\n"
    assert len(load_yaml_text(fits, "t.yaml").data["l"]) == 8
    over = "l: [" + ", ".join(["x"] * 9) + "]\n"
    column = len("l: [") + 3 * 8 + 1  # the item that is one too many
    [(line, at, message, _)] = problems(over)
    assert (line, at) == (1, column)
    assert message == "too many aliases or values (limits: 50 aliases, 10 values)"


def test_a_merge_key_is_refused_and_later_problems_of_the_mapping_still_reported() -> None:
    text = "base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\n  y: 3\n"
    assert problems(text) == [
        (3, 3, "merge keys (<<) are not supported", "write the keys out"),
        (
            5,
            3,
            "duplicate key 'y' (first defined on line 4)",
            "YAML keeps only the last value of a duplicated key; merge them or rename one",
        ),
    ]


def test_every_duplicate_of_one_mapping_is_reported() -> None:
    assert [p[:2] for p in problems("a: 1\na: 2\nb: 1\nb: 2\nc: 1\n")] == [(2, 1), (4, 1)]


def test_every_non_text_key_is_reported_and_the_rest_still_loaded() -> None:
    assert problems("[x]: 1\n{y: 1}: 2\nz: 3\nz: 4\n") == [
        (1, 1, "a key must be plain text, not a list or mapping", None),
        (2, 1, "a key must be plain text, not a list or mapping", None),
        (
            4,
            1,
            "duplicate key 'z' (first defined on line 3)",
            "YAML keeps only the last value of a duplicated key; merge them or rename one",
        ),
    ]


def test_unknown_tags_are_refused_each_at_its_place_standard_ones_kept_as_text() -> None:
    assert problems("k: !foo x\nj: !!str 1\nl: !bar y\n") == [
        (1, 4, "YAML tag '!foo' is not allowed", "remove the tag"),
        (3, 4, "YAML tag '!bar' is not allowed", "remove the tag"),
    ]
    data = load_yaml_text("a: !!str 1\nb: !!int 2\nc: !!bool yes\nd: !!null ''\n", "t").data
    assert data == {"a": "1", "b": "2", "c": "yes", "d": None}


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n"])
def test_an_empty_file_is_an_empty_mapping(text: str) -> None:
    loaded = load_yaml_text(text, "t.yaml")
    assert loaded.data == {}
    assert loaded.source.values == {} and loaded.source.keys == {}
    assert loaded.source.location(("meeting", "title")).line == 1


def test_a_file_that_is_only_null_is_none() -> None:
    assert load_yaml_text("---\n", "t.yaml").data is None
    assert load_yaml_text("~\n", "t.yaml").data is None


def test_at_most_twenty_raw_characters_are_reported() -> None:
    text = "a: " + "\x01" * 30 + "\n"
    found = problems(text)
    assert len(found) == 20
    assert [f[:2] for f in found[:2]] == [(1, 4), (1, 5)]


def test_a_short_escape_is_found_and_an_unfound_one_falls_back_to_the_scalar() -> None:
    assert problems('a: "x\\ay"\n')[0][:2] == (1, 6)
    assert problems('a: "x\\by"\n')[0][:2] == (1, 6)
    assert problems('a:\n  - "ok"\n  - "\\x01"\n')[0][:2] == (3, 6)
    assert problems('a: "\\U0000001f"\n')[0][:2] == (1, 5)


def test_a_multi_line_quoted_scalar_points_at_the_escape_on_its_line() -> None:
    assert problems('a: "first line\n  then \\v here"\n')[0][:2] == (2, 8)


def test_positions_and_their_fall_backs() -> None:
    loaded = load_yaml_text("meeting:\n  title: X\nlist:\n  - a\n  - {k: v}\n", "t.yaml")
    source = loaded.source
    assert source.keys[("meeting",)] == Position(1, 1)
    assert source.values[("meeting",)] == Position(2, 3)
    assert source.values[("meeting", "title")] == Position(2, 10)
    assert source.keys[("list", 1, "k")] == Position(5, 6)
    assert source.values[()] == Position(1, 1)
    location = source.location(("meeting", "title", "deeper"))
    assert (location.file, location.line, location.column) == ("t.yaml", 2, 10)
    key = source.location(("meeting", "title"), key=True)
    assert (key.line, key.column) == (2, 3)
    only_value = source.location(("list", 0), key=True)  # a list item has no key
    assert (only_value.line, only_value.column) == (4, 5)
    assert source.location(("nowhere",)).line == 1
    assert source.lines == ["meeting:", "  title: X", "list:", "  - a", "  - {k: v}"]


def test_the_top_level_fallback_of_a_source_map_without_positions() -> None:
    location = SourceMap("f.yaml", "").location(("a",))
    assert (location.line, location.column) == (1, 1)
    placed = SourceMap("f.yaml", "", values={(): Position(3, 7)}).location(("a",))
    assert (placed.line, placed.column) == (3, 7)


def test_format_path() -> None:
    assert format_path(()) == "(top level)"
    assert format_path(("key_points", 2, "text")) == "key_points[2].text"
    assert format_path((0, "a")) == "[0].a"


def test_syntax_errors_say_what_and_where() -> None:
    assert problems("a: b\t: c\n") == [
        (
            1,
            6,
            "YAML syntax error: mapping values are not allowed in this context (the line "
            "contains a tab; YAML indentation must use spaces)",
            "replace tabs with spaces",
        )
    ]
    assert problems("a:\n  - x\n - y\n") == [
        (
            3,
            2,
            "YAML syntax error: did not find expected key",
            "check indentation and quoting around this place",
        )
    ]
    tab = (
        "YAML syntax error: a tab character is used for indentation; YAML allows only spaces",
        "replace the tab with spaces (most editors: 'convert indentation to spaces')",
    )
    for text, place in [
        ("meeting:\n\ttitle: A\n", (2, 1)),
        ("a:\n  b: 1\n\tc: 2\n", (3, 1)),
        ("a:\n \tb: 1\n", (2, 2)),
    ]:
        assert problems(text) == [(*place, *tab)]


def test_a_block_scalar_above_is_not_taken_for_over_indentation() -> None:
    assert load_yaml_text("purpose: |\n    a: b\n", "t.yaml").data == {"purpose": "a: b\n"}
    # A comment and a blank line between the keys are looked past.
    [(line, column, message, _)] = problems("m:\n  a: 1\n  # note\n\n    b: 2\n")
    assert (line, column) == (5, 5)
    assert message.startswith("`b:` is indented more than `a:` on line 2")


def test_a_nested_key_under_a_key_without_value_is_plain_yaml() -> None:
    assert load_yaml_text("m:\n  a:\n    b: 2\n", "t.yaml").data == {"m": {"a": {"b": "2"}}}


def test_the_size_limit_is_exact_and_nul_and_encoding_are_placed() -> None:
    assert decode_text(b"a" * MAX_FILE_BYTES, "f") == "a" * MAX_FILE_BYTES
    with pytest.raises(InputError) as big:
        decode_text(b"a" * (MAX_FILE_BYTES + 1), "f")
    assert big.value.message == "file is 2,097,153 bytes; the limit is 2,097,152"
    with pytest.raises(InputError) as nul:
        decode_text(b"a: 1\nb: \x00\n", "f")
    assert nul.value.diagnostics[0].location is not None
    assert nul.value.diagnostics[0].location.line == 2
    with pytest.raises(InputError) as bad:
        decode_text("a: 1\nb: é\xff".encode("latin-1"), "f")
    location = bad.value.diagnostics[0].location
    assert location is not None and (location.line, location.column) == (2, 4)
    assert bad.value.message == "file is not valid UTF-8 (byte 0xe9 cannot be decoded)"


def test_a_folder_and_an_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder, not a YAML file"):
        read_text(tmp_path)
    locked = tmp_path / "locked.yaml"
    locked.write_text("a: 1\n", encoding="utf-8")

    # CI runs as root, which reads any file whatever its mode: the refusal is simulated.
    def refuse(self: Path, *args: object, **kwargs: object) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Path, "read_bytes", refuse)
        with pytest.raises(InputError, match="cannot read"):
            read_text(locked)


def test_the_display_name_is_used_in_every_location(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_yaml_file(path, "shown.yaml")
    assert str(error.value.diagnostics[0].location) == "shown.yaml:2:1"
    with pytest.raises(InputError) as plain:
        load_yaml_file(path)
    assert str(plain.value.diagnostics[0].location) == f"{path}:2:1"


def test_over_indentation_under_the_first_line_and_not_for_keys_at_the_same_depth() -> None:
    [(line, column, message, _)] = problems("title: T\n  date: 2025-01-01\n")
    assert (line, column) == (2, 3)
    assert message.startswith("`date:` is indented more than `title:` on line 1")
    [(line, column, message, hint)] = problems("a: 1\nb: Talks: day one\n")
    assert (line, column) == (2, 9)
    assert message == "YAML syntax error: mapping values are not allowed in this context"
    assert hint == "a value containing ': ' must be quoted, e.g. title: \"Talks: day one\""


def test_over_indentation_on_the_last_line_without_a_final_line_break() -> None:
    [(line, column, message, _)] = problems("a: 1\n  b: 2")
    assert (line, column) == (2, 3)
    assert message.startswith("`b:` is indented more than `a:` on line 1")


def test_positions_and_loaded_files_are_immutable() -> None:
    import dataclasses

    position = Position(1, 2)
    assert hash(position) == hash(Position(1, 2))
    with pytest.raises(dataclasses.FrozenInstanceError):
        position.line = 3  # type: ignore[misc]
    loaded = load_yaml_text("a: 1\n", "t.yaml")
    with pytest.raises(dataclasses.FrozenInstanceError):
        loaded.data = {}  # type: ignore[misc]


def test_the_display_name_is_used_for_read_and_decode_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError) as missing:
        read_text(tmp_path / "absent.yaml", "shown.yaml")
    assert missing.value.message == "file not found: shown.yaml"
    with pytest.raises(InputError) as folder:
        read_text(tmp_path, "shown-folder")
    assert folder.value.message == "shown-folder is a folder, not a YAML file"
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("a: é\n".encode("latin-1"))
    with pytest.raises(InputError) as bad:
        load_yaml_file(latin, "shown.yaml")
    assert str(bad.value.diagnostics[0].location) == "shown.yaml:1:4"
    with pytest.raises(InputError) as plain:
        read_text(tmp_path / "absent.yaml")
    assert plain.value.message == f"file not found: {tmp_path / 'absent.yaml'}"


def test_a_tab_on_the_last_line_without_a_final_line_break() -> None:
    assert problems("a:\n\tb: 1") == [
        (
            2,
            1,
            "YAML syntax error: a tab character is used for indentation; YAML allows only spaces",
            "replace the tab with spaces (most editors: 'convert indentation to spaces')",
        )
    ]
