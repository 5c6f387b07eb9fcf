"""The loader: safe YAML, positions for every key, and clear errors for broken files."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import InputError
from briefgen.loader import MAX_FILE_BYTES, load_yaml_file, load_yaml_text


def first(error: pytest.ExceptionInfo[InputError]) -> tuple[int | None, int | None, str]:
    diagnostic = error.value.diagnostics[0]
    assert diagnostic.location is not None
    return diagnostic.location.line, diagnostic.location.column, diagnostic.message


def test_scalars_stay_as_written() -> None:
    # YAML 1.1 would turn 10:30 into 630 and `no` into False; the model decides instead.
    data = load_yaml_text("time: 10:30\ncountry: no\nversion: 1.10\nempty:\n", "t.yaml").data
    assert data == {"time": "10:30", "country": "no", "version": "1.10", "empty": None}


def test_positions_of_keys_and_values() -> None:
    loaded = load_yaml_text("meeting:\n  title: X\nkey_points:\n  - a\n  - text: b\n", "t.yaml")
    assert loaded.source.keys[("meeting", "title")].line == 2
    assert loaded.source.keys[("meeting", "title")].column == 3
    assert loaded.source.values[("key_points", 1)].line == 5
    assert loaded.source.keys[("key_points", 1, "text")].column == 5


def test_duplicate_key_is_an_error_at_the_second_key() -> None:
    with pytest.raises(InputError) as error:
        load_yaml_text("meeting:\n  title: A\n  date: 2025-01-01\n  title: B\n", "t.yaml")
    line, column, message = first(error)
    assert (line, column) == (4, 3)
    assert "duplicate key 'title'" in message and "line 2" in message


def test_all_duplicate_keys_reported_at_once() -> None:
    with pytest.raises(InputError) as error:
        load_yaml_text("a: 1\na: 2\nb:\n  c: 1\n  c: 2\n", "t.yaml")
    assert [d.location.line for d in error.value.diagnostics if d.location] == [2, 5]


def test_tab_indentation_has_a_clear_message() -> None:
    with pytest.raises(InputError) as error:
        load_yaml_text("meeting:\n\ttitle: A\n", "t.yaml")
    line, _, message = first(error)
    assert line == 2
    assert "tab" in message


def test_syntax_error_has_line_and_column() -> None:
    with pytest.raises(InputError) as error:
        load_yaml_text("meeting:\n  title: Talks: day one\n", "t.yaml")
    line, column, message = first(error)
    assert (line, column) == (2, 15)
    assert "syntax" in message
    assert error.value.diagnostics[0].hint and "quoted" in error.value.diagnostics[0].hint


def test_python_tags_are_refused() -> None:
    with pytest.raises(InputError) as error:
        load_yaml_text("meeting: !!python/object/apply:os.system [echo hi]\n", "t.yaml")
    assert "not allowed" in first(error)[2]


def test_alias_bomb_is_stopped() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    with pytest.raises(InputError) as error:
        load_yaml_text(bomb, "t.yaml")
    assert "too many aliases" in first(error)[2]


def test_non_utf8_file_points_at_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("meeting:\n  title: Komšić\n".encode("cp1250"))
    with pytest.raises(InputError) as error:
        load_yaml_file(path)
    line, column, message = first(error)
    assert (line, column) == (2, 13)  # the š
    assert "UTF-8" in message


def test_binary_and_oversized_files_are_refused(tmp_path: Path) -> None:
    binary = tmp_path / "x.yaml"
    binary.write_bytes(b"PK\x03\x04\x00\x00")
    with pytest.raises(InputError, match="binary"):
        load_yaml_file(binary)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * (MAX_FILE_BYTES + 1))
    with pytest.raises(InputError, match="limit"):
        load_yaml_file(big)


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffmeeting:\n  title: Ж\n".encode())
    assert load_yaml_file(path).data == {"meeting": {"title": "Ж"}}


def test_missing_file() -> None:
    with pytest.raises(InputError, match="not found"):
        load_yaml_file(Path("/nonexistent/meeting.yaml"))
