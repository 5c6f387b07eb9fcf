"""The shipped reference documents of the built-in themes: current, equal to a fresh build part
by part, and giving the same DOCX bytes as a reference built at run time."""

from __future__ import annotations

import io
import zipfile

import pytest

from briefgen.pipeline import Project, render_document
from briefgen.resources import load_theme
from briefgen.theme import Theme
from briefgen.writers.docx import prebuilt, styles, write_docx
from tests.conftest import EXAMPLE

SHIPPED = ["default", "formal"]  # the built-in themes that name no file of their own


def theme(name: str) -> Theme:
    return load_theme(name, Project().folders)


def parts(blob: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(blob)) as package:
        return {name: package.read(name) for name in package.namelist()}


@pytest.mark.parametrize("name", SHIPPED)
def test_the_shipped_reference_is_current_and_equals_a_fresh_build(name: str) -> None:
    shipped = prebuilt.load(theme(name))
    assert shipped is not None, "stale: run python scripts/prebuild_docx_references.py"
    fresh = styles.build_reference(theme(name))
    blob, text_width, abstracts = shipped
    assert parts(blob) == parts(fresh.blob)
    assert (text_width, abstracts) == (fresh.text_width, fresh.number_abstracts)


def test_only_the_shipped_themes_have_files() -> None:
    names = sorted(p.stem for p in prebuilt.FOLDER.glob("*.docx"))
    assert sorted(prebuilt.key(theme(n)) for n in SHIPPED) == names


@pytest.mark.parametrize("name", SHIPPED)
def test_a_docx_is_the_same_bytes_with_the_shipped_or_a_fresh_reference(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project()
    meeting, _ = project.load_meeting(EXAMPLE)
    document = render_document(meeting, project.audience("staff"), project)
    with_shipped = write_docx(document, theme(name)).data
    monkeypatch.setattr(prebuilt, "load", lambda theme: None)
    assert write_docx(document, theme(name)).data == with_shipped


def test_a_theme_with_files_of_its_own_is_built_at_run_time() -> None:
    with_logo = theme("example-logo")
    assert not prebuilt.eligible(with_logo)
    assert prebuilt.load(with_logo) is None


def test_other_settings_give_another_key() -> None:
    default = theme("default")
    other = "minimal" if default.table_style != "minimal" else "grid"
    changed = default.model_copy(update={"table_style": other})
    assert prebuilt.key(changed) != prebuilt.key(default)
    assert prebuilt.load(changed) is None
