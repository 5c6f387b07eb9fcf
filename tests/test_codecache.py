"""The on-disk cache of compiled templates: used when valid, never stale, never able to change
a brief, and never used from a folder others could write to."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

from briefgen import codecache
from briefgen.templating import TemplateSet
from tests.conftest import EXAMPLE, REPO

TEMPLATE = "Hello {{ name }}.\n"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(folder))
    return folder


def templates(folder: Path) -> TemplateSet:
    return TemplateSet([folder], codecache.template_code_cache())


def test_a_second_process_reads_the_compiled_code_instead_of_compiling(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "t.md.j2").write_text(TEMPLATE, encoding="utf-8")
    assert templates(tmp_path).render("t.md.j2", {"name": "Ann"}) == "Hello Ann.\n"
    stored = list(cache_dir.glob("templates-*/__jinja2_*.cache"))
    assert len(stored) == 1
    assert oct(stored[0].parent.stat().st_mode & 0o777) == "0o700"

    def no_compiling(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled although the cache holds the code")

    monkeypatch.setattr(jinja2.Environment, "compile", no_compiling)
    assert templates(tmp_path).render("t.md.j2", {"name": "Bo"}) == "Hello Bo.\n"


def test_an_edited_template_is_compiled_again(cache_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "t.md.j2"
    path.write_text(TEMPLATE, encoding="utf-8")
    assert templates(tmp_path).render("t.md.j2", {"name": "Ann"}) == "Hello Ann.\n"
    path.write_text("Goodbye {{ name }}.\n", encoding="utf-8")
    assert templates(tmp_path).render("t.md.j2", {"name": "Ann"}) == "Goodbye Ann.\n"


def test_a_damaged_cache_file_is_compiled_past(cache_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "t.md.j2").write_text(TEMPLATE, encoding="utf-8")
    templates(tmp_path).render("t.md.j2", {"name": "Ann"})
    for stored in cache_dir.glob("templates-*/__jinja2_*.cache"):
        stored.write_bytes(stored.read_bytes()[:40])
    assert templates(tmp_path).render("t.md.j2", {"name": "Cy"}) == "Hello Cy.\n"


def test_code_from_another_jinja_or_briefgen_lives_elsewhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = codecache.code_key()
    monkeypatch.setattr(jinja2, "__version__", "0.0.1")
    assert codecache.code_key() != before


def test_the_modules_that_define_the_environment_are_in_the_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def key(*modules: str) -> str:
        monkeypatch.setattr(codecache, "ENVIRONMENT_MODULES", modules)
        return codecache.code_key()

    alone = key("briefgen.templating")
    assert key("briefgen.templating", "briefgen.errors") != alone
    assert key("briefgen.templating", "briefgen.no_such_module") == alone  # skipped


def test_no_cache_in_a_folder_others_may_write(cache_dir: Path) -> None:
    assert codecache.template_code_cache() is not None
    for folder in cache_dir.glob("templates-*"):
        folder.chmod(0o777)
    assert codecache.template_code_cache() is None


def test_an_empty_setting_switches_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", "")
    assert codecache.template_code_cache() is None


def test_an_unwritable_cache_still_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(blocker / "below"))
    assert codecache.template_code_cache() is None


def test_briefs_are_the_same_bytes_without_the_cache_filling_it_and_reading_it(
    tmp_path: Path,
) -> None:
    def build(out: str, cache: str) -> dict[str, bytes]:
        env = {**os.environ, "PYTHONPATH": str(REPO), "BRIEFGEN_CACHE_DIR": cache}
        done = subprocess.run(
            [sys.executable, "-m", "briefgen.cli", "build", str(EXAMPLE), "-o", out],
            capture_output=True,
            text=True,
            timeout=180,
            check=True,
            env=env,
            cwd=tmp_path,
        )
        return {Path(p).name: (tmp_path / p).read_bytes() for p in done.stdout.split()}

    cache = str(tmp_path / "cache")
    without = build("none", "")
    filling = build("fill", cache)
    assert list(Path(cache).glob("templates-*/__jinja2_*.cache"))
    reading = build("read", cache)
    assert len(without) == 2
    assert without == filling == reading
