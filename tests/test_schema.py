"""JSON Schema for editors: shipped files match the models, every example names its schema, and
the schema accepts what briefgen accepts (so an editor never flags a valid file)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from briefgen.schema import SCHEMAS, schema_text, shipped_schema_text
from tests.conftest import INPUTS, REPO

MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_shipped_schema_is_up_to_date(kind: str) -> None:
    assert shipped_schema_text(kind) == schema_text(kind), (
        f"briefgen/schemas/{kind}.schema.json is stale; regenerate it with\n"
        f"  python -m briefgen.cli schema {kind} > briefgen/schemas/{kind}.schema.json"
    )


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_schema_is_valid_json_schema(kind: str) -> None:
    jsonschema.Draft202012Validator.check_schema(json.loads(schema_text(kind)))


class _EditorLoader(yaml.SafeLoader):
    """Reads YAML roughly as editors do (YAML 1.2): dates stay text."""


_EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if not tag.endswith(":timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def meeting_validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(shipped_schema_text("meeting")))


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_every_input_names_the_shipped_schema_on_its_first_line(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = MODELINE.match(first)
    assert match, f"{path.name} must start with '# yaml-language-server: $schema=…'"
    target = (path.parent / match.group(1)).resolve()
    assert target == (REPO / "briefgen" / "schemas" / "meeting.schema.json").resolve()


@pytest.mark.parametrize("path", INPUTS, ids=[p.name for p in INPUTS])
def test_editor_accepts_every_input(path: Path) -> None:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_EditorLoader)
    errors = [e.message for e in meeting_validator().iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize(
    ("data", "valid"),
    [
        ({"meeting": {"title": "T", "date": "2025-01-15"}, "key_points": ["A plain string"]}, True),
        ({"meeting": {"title": "T", "date": "2025-01-15"}, "key_points": [{"text": "x"}]}, True),
        ({"meeting": {"title": "T", "date": "2025-01-15", "time": 1030}}, True),  # read as text
        ({"meeting": {"title": "T", "date": "2025-01-15"}, "key_point": []}, False),
        ({"meeting": {"title": "T"}}, False),
        ({"meeting": {"title": "T", "date": "2025-01-15"}, "sections": [{"body": "x"}]}, False),
    ],
)
def test_schema_accepts_and_rejects_like_the_model(data: dict[str, Any], valid: bool) -> None:
    assert meeting_validator().is_valid(data) is valid


def test_theme_schema_lists_roles_and_hides_loader_fields() -> None:
    schema = json.loads(shipped_schema_text("theme"))
    assert "base_dir" not in schema["properties"]
    assert "heading-1" in schema["properties"]["roles"]["propertyNames"]["enum"]
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid({"roles": {"body": {"size": 11}}})
    assert not validator.is_valid({"roles": {"bodytext": {"size": 11}}})


def test_text_fields_carry_their_kind_for_lint() -> None:
    text = shipped_schema_text("meeting")
    assert '"x-briefgen-text": "markdown"' in text and '"x-briefgen-text": "plain"' in text


def run_schema(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefgen.cli", "schema", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )


def test_command_prints_each_schema_and_rejects_unknown_kinds() -> None:
    assert run_schema().stdout == shipped_schema_text("meeting")
    assert run_schema("theme").stdout == shipped_schema_text("theme")
    unknown = run_schema("pak")
    assert unknown.returncode == 2 and "meeting, theme" in unknown.stderr


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("inputs/packs/ministerial-week/pack.yaml", "pack"),
        ("inputs/packs/ministerial-week/briefgen.yaml", "config"),
    ],
)
def test_editor_accepts_the_example_pack_and_config(path: str, kind: str) -> None:
    text = (REPO / path).read_text(encoding="utf-8")
    assert text.splitlines()[0].endswith(f"briefgen/schemas/{kind}.schema.json")
    validator = jsonschema.Draft202012Validator(json.loads(shipped_schema_text(kind)))
    assert [e.message for e in validator.iter_errors(yaml.load(text, Loader=_EditorLoader))] == []
    assert list(validator.iter_errors({"unknown_key": 1}))  # and it does reject things
