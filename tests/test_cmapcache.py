"""Font cmaps kept on disk: the same code points as reading the font, keyed on its bytes."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest

from briefgen import cmapcache
from briefgen.fonts import FONT_DIR

SANS = FONT_DIR / "LiberationSans-Regular.ttf"
SERIF = FONT_DIR / "LiberationSerif-Regular.ttf"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(folder))
    return folder


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("cmaps-*/*.marshal"))


def test_the_cached_set_is_the_fonts_own(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    read = cmapcache.font_cmap(SANS)
    assert 0x41 in read and 0x0416 in read and 0x03B1 in read  # Latin, Cyrillic, Greek
    assert 0x0627 not in read  # no Arabic in Liberation Sans
    assert len(entries(cache_dir)) == 1

    def no_reading(font: Path) -> frozenset[int]:
        raise AssertionError("the font was parsed although the cache holds its cmap")

    monkeypatch.setattr(cmapcache, "read_cmap", no_reading)
    assert cmapcache.font_cmap(SANS) == read


def test_each_font_has_its_own_entry(cache_dir: Path) -> None:
    sans, serif = cmapcache.font_cmap(SANS), cmapcache.font_cmap(SERIF)
    assert len(entries(cache_dir)) == 2
    assert sans == cmapcache.read_cmap(SANS) and serif == cmapcache.read_cmap(SERIF)


def test_a_changed_font_file_is_read_again(cache_dir: Path, tmp_path: Path) -> None:
    font = tmp_path / "font.ttf"
    font.write_bytes(SANS.read_bytes())
    assert cmapcache.font_cmap(font) == cmapcache.read_cmap(SANS)
    font.write_bytes(SERIF.read_bytes())  # same path, other bytes
    assert cmapcache.font_cmap(font) == cmapcache.read_cmap(SERIF)


def test_a_damaged_entry_is_replaced(cache_dir: Path) -> None:
    cmapcache.font_cmap(SANS)
    (entry,) = entries(cache_dir)
    entry.write_bytes(b"\x00damaged")
    assert cmapcache.font_cmap(SANS) == cmapcache.read_cmap(SANS)
    assert marshal.loads(entry.read_bytes()) == cmapcache.read_cmap(SANS)


def test_a_folder_others_may_write_is_not_read(cache_dir: Path) -> None:
    cmapcache.font_cmap(SANS)
    (entry,) = entries(cache_dir)
    entry.parent.chmod(0o777)
    entry.write_bytes(marshal.dumps(frozenset({65})))
    assert cmapcache.font_cmap(SANS) == cmapcache.read_cmap(SANS)


def test_the_reader_key_follows_reportlabs_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cmapcache.reader_key()
    assert before is not None
    monkeypatch.setattr(cmapcache, "READER", "briefgen.cmapcache")  # another reader's source
    assert cmapcache.reader_key() not in (None, before)
    monkeypatch.setattr(cmapcache, "READER", "briefgen.no_such_module")
    assert cmapcache.reader_key() is None


def test_switched_off_it_still_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", "")
    assert ord("A") in cmapcache.font_cmap(SANS)
