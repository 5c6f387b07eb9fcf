"""Golden dumps: the document model of every example input for every audience, as readable text.

A change to templates, reader or model shows up here as a text diff. After reviewing the new
output (and looking at the rendered PDF), accept it with:

    BRIEFGEN_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefgen.audience import BUILTIN_AUDIENCES
from briefgen.pipeline import dump
from tests.conftest import INPUTS

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("BRIEFGEN_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("audience", list(BUILTIN_AUDIENCES))
@pytest.mark.parametrize("input_path", INPUTS, ids=lambda p: p.stem)
def test_document_matches_golden(
    input_path: Path, audience: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What `briefgen dump` prints, made by the same function; dated by the meeting.
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    actual = dump(input_path, "document", audience)
    golden = GOLDEN / f"{input_path.stem}.{audience}.txt"
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), (
        f"no golden file {golden.name}; review the output and run with BRIEFGEN_UPDATE_GOLDEN=1"
    )
    assert actual == golden.read_text(encoding="utf-8")


def test_no_stale_golden_files() -> None:
    expected = {f"{p.stem}.{a}.txt" for p in INPUTS for a in BUILTIN_AUDIENCES}
    assert {p.name for p in GOLDEN.glob("*.txt")} <= expected
