"""The manifest's hash chain and the fields `verify` re-derives: every edit, move, deletion and
insertion of a line is reported with its line number (issue 16, item 4)."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
from pathlib import Path

import pytest

from briefgen.archive import MANIFEST, archive
from briefgen.manifest import GENESIS, chain_head, encode_line, line_hash, seal
from briefgen.verify import verify
from tests.conftest import INPUTS

EPOCH = "1734519600"
BLACK_SEA = "2025-03-12_black-sea-maritime-security_archive_v1.pdf"  # line 1, INTERNAL
ROADMAP = "2025-09-17_capability-roadmap-review_archive_v1.pdf"  # line 2, INTERNAL
CYBER = "2025-06-04_cyber-resilience-dialogue_archive_v1.pdf"  # line 3, CONFIDENTIAL
NATO = "2024-12-18_nato-sg-bih-presidency_archive_v1.pdf"  # line 4, PUBLIC


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("chain") / "archive"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        for path in INPUTS:
            archive(path, folder)
    return folder


@pytest.fixture
def folder(pristine: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "archive"
    shutil.copytree(pristine, copy)
    for pdf in copy.glob("*.pdf"):
        os.chmod(pdf, 0o644)
    return copy


def lines(folder: Path) -> list[str]:
    return (folder / MANIFEST).read_text(encoding="utf-8").splitlines()


def rewrite(folder: Path, new: list[str]) -> None:
    (folder / MANIFEST).write_text("".join(line + "\n" for line in new), encoding="utf-8")


def edit(folder: Path, number: int, **changes: object) -> None:
    """Change fields of one line by hand, as someone with a text editor would."""
    text = lines(folder)
    text[number - 1] = json.dumps(
        json.loads(text[number - 1]) | changes, ensure_ascii=False, separators=(", ", ": ")
    )
    rewrite(folder, text)


def messages(folder: Path, head: str | None = None) -> list[str]:
    m = str(folder / MANIFEST)
    return [
        f.format().replace(m, "M").replace(str(folder), "D") for f in verify(folder, head).findings
    ]


def test_the_pristine_archive_is_sealed_line_by_line(pristine: Path) -> None:
    entries = [json.loads(line) for line in lines(pristine)]
    assert [e["file"] for e in entries] == [BLACK_SEA, ROADMAP, CYBER, NATO]
    assert entries[0]["prev"] == "0" * 64
    for before, after in itertools.pairwise(entries):
        assert after["prev"] == before["line_sha256"]
    for entry in entries:  # the hash covers the canonical JSON of every other field
        rest = {k: v for k, v in entry.items() if k != "line_sha256"}
        text = json.dumps(rest, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        assert entry["line_sha256"] == hashlib.sha256(text.encode()).hexdigest()
    report = verify(pristine)
    assert report.findings == [] and report.warnings == []
    assert report.head == entries[-1]["line_sha256"]


def test_marking_confidential_edited_to_public_is_reported(folder: Path) -> None:
    edit(folder, 3, marking="PUBLIC")
    assert messages(folder) == [
        "M:3: error: edited: the line's content does not match its `line_sha256`",
        "M:3: error: `marking` 'PUBLIC' is not the embedded source's overall marking "
        "('CONFIDENTIAL')",
    ]


def test_an_edited_created_is_reported(folder: Path) -> None:
    edit(folder, 2, created="2020-01-01T00:00:00Z")
    assert messages(folder) == [
        "M:2: error: edited: the line's content does not match its `line_sha256`",
        "M:2: error: `created` 2020-01-01T00:00:00Z is not `source_date_epoch` 1734519600 "
        "(2024-12-18T11:00:00Z)",
    ]


def test_a_field_only_the_chain_protects_is_reported(folder: Path) -> None:
    edit(folder, 4, templates_sha256="1" * 64)
    assert messages(folder) == [
        "M:4: error: edited: the line's content does not match its `line_sha256`"
    ]


def test_an_edited_and_resealed_line_breaks_the_next_line(folder: Path) -> None:
    text = lines(folder)
    forged = seal(json.loads(text[1]) | {"audience": "staff"}, json.loads(text[0])["line_sha256"])
    text[1] = encode_line(forged).decode().rstrip("\n")
    rewrite(folder, text)
    assert messages(folder) == [  # the chain is walked first, then each entry is checked
        "M:3: error: out of the chain: its `prev` is not the chain value after line 2; a line "
        "before it was removed, inserted, moved or edited",
        "M:2: error: `audience` 'staff' is not the audience the embedded source was cleared for "
        "('archive')",
    ]


def test_reordered_lines_are_reported(folder: Path) -> None:
    text = lines(folder)
    rewrite(folder, [text[0], text[2], text[1], text[3]])
    out_of_chain = (
        "error: out of the chain: its `prev` is not the chain value after {}; a line "
        "before it was removed, inserted, moved or edited"
    )
    assert messages(folder) == [
        f"M:{n}: " + out_of_chain.format(f"line {n - 1}") for n in (2, 3, 4)
    ]


def test_a_deleted_line_is_reported_with_the_file_it_listed(folder: Path) -> None:
    text = lines(folder)
    rewrite(folder, [text[0], text[2], text[3]])
    assert messages(folder) == [
        "M:2: error: out of the chain: its `prev` is not the chain value after line 1; a line "
        "before it was removed, inserted, moved or edited",
        f"D/{ROADMAP}: error: unlisted: a file the manifest does not list",
    ]


def test_a_deleted_v1_and_its_line_are_reported(folder: Path) -> None:
    text = lines(folder)
    (folder / BLACK_SEA).unlink()
    rewrite(folder, text[1:])
    assert messages(folder) == [
        "M:1: error: out of the chain: its `prev` is not the chain value after the start of the "
        "manifest; a line before it was removed, inserted, moved or edited"
    ]


def test_an_inserted_line_is_reported(folder: Path) -> None:
    text = lines(folder)
    legacy = {k: v for k, v in json.loads(text[3]).items() if k not in ("prev", "line_sha256")}
    rewrite(folder, [*text[:2], json.dumps(legacy | {"file": "extra.pdf"}), *text[2:]])
    (folder / "extra.pdf").write_bytes((folder / NATO).read_bytes())
    assert messages(folder) == [
        "M:3: error: unsealed: a line without `prev` and `line_sha256` after sealed lines; it "
        "was inserted, or its chain fields were removed",
        "M:4: error: out of the chain: its `prev` is not the chain value after line 3; a line "
        "before it was removed, inserted, moved or edited",
    ]


def test_a_line_with_a_missing_field_is_reported(folder: Path) -> None:
    text = lines(folder)
    entry = json.loads(text[1])
    del entry["audience"]
    text[1] = encode_line(seal(entry, entry["prev"])).decode().rstrip("\n")
    rewrite(folder, text)
    assert messages(folder) == [
        "M:3: error: out of the chain: its `prev` is not the chain value after line 2; a line "
        "before it was removed, inserted, moved or edited",
        "M:2: error: manifest line does not parse: `audience` is missing or not a str",
        f"D/{ROADMAP}: error: unlisted: a file the manifest does not list",
    ]


def test_a_line_naming_the_parent_folder_is_reported(folder: Path) -> None:
    edit(folder, 1, file="..")
    assert messages(folder) == [
        "M:1: error: edited: the line's content does not match its `line_sha256`",
        "M:1: error: manifest line does not parse: `file` '..' is not a file name in the archive "
        "folder",
        f"D/{BLACK_SEA}: error: unlisted: a file the manifest does not list",
    ]


def test_a_bad_line_mid_manifest_does_not_hide_the_lines_after_it(folder: Path) -> None:
    text = lines(folder)
    text[1] = "this is not JSON"
    rewrite(folder, text)
    (folder / NATO).write_bytes(b"%PDF-1.7 replaced")  # line 4 is still checked
    found = messages(folder)
    assert found[0] == (
        "M:3: error: out of the chain: its `prev` is not the chain value after "
        "line 2; a line before it was removed, inserted, moved or edited"
    )
    assert found[1].startswith("M:2: error: manifest line does not parse: not JSON")
    assert found[2].startswith(f"D/{NATO}: error: altered: sha256 ")
    assert found[3] == f"D/{ROADMAP}: error: unlisted: a file the manifest does not list"
    assert len(found) == 4


def test_legacy_lines_are_reported_unprotected_until_sealed(folder: Path) -> None:
    legacy = []
    for line in lines(folder):
        entry = {k: v for k, v in json.loads(line).items() if k not in ("prev", "line_sha256")}
        legacy.append(json.dumps(entry))
    rewrite(folder, legacy)
    report = verify(folder)
    assert report.findings == []
    assert [w.format().replace(str(folder / MANIFEST), "M") for w in report.warnings] == [
        "M:1: warning: unprotected: lines 1-4 (4 entries) predate the hash chain; an edit to "
        "them cannot be detected until a brief is archived after them, which seals them"
    ]
    changed = folder.parent / "changed.yaml"
    changed.write_text(INPUTS[0].read_text(encoding="utf-8") + "\n# v2\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        archive(changed, folder)
    assert verify(folder).warnings == []
    first = json.loads(lines(folder)[0])
    expected = GENESIS
    for line in lines(folder)[:4]:
        expected = hashlib.sha256(expected.encode() + b"\n" + line.encode()).hexdigest()
    assert json.loads(lines(folder)[4])["prev"] == expected  # folds the four raw lines
    edit(folder, 1, templates_sha256="2" * 64)  # now an edit to a sealed legacy line shows
    assert first["templates_sha256"] != "2" * 64
    assert messages(folder) == [
        "M:5: error: out of the chain: its `prev` is not the chain value after line 4; a line "
        "before it was removed, inserted, moved or edited"
    ]


def test_a_rewritten_chain_is_caught_by_the_recorded_head(folder: Path) -> None:
    head = verify(folder).head
    text = [json.loads(line) for line in lines(folder)]
    text[0]["templates_sha256"] = "3" * 64  # a deliberate editor re-seals every line after it
    value, rewritten = GENESIS, []
    for entry in text:
        sealed = seal(entry, value)
        value = sealed["line_sha256"]
        rewritten.append(encode_line(sealed).decode().rstrip("\n"))
    rewrite(folder, rewritten)
    assert messages(folder) == []  # an unkeyed chain alone cannot see this
    assert messages(folder, head) == [
        f"M: error: the recorded head {head[:16]}… is not in the hash chain: lines up to it were "
        "rewritten, or it belongs to another archive"
    ]


def test_the_chain_head_is_the_last_line_s_hash_or_folds_what_follows(folder: Path) -> None:
    raw = (folder / MANIFEST).read_bytes()
    last = json.loads(raw.splitlines()[-1])
    assert chain_head(raw) == last["line_sha256"] == line_hash(last)
    cut = raw + b'{"file": "half a li'
    assert (
        chain_head(cut)
        == hashlib.sha256(last["line_sha256"].encode() + b"\n" + b'{"file": "half a li').hexdigest()
    )
    assert chain_head(b"") == GENESIS


def test_every_line_is_checked_after_a_missing_or_altered_file(folder: Path) -> None:
    # A missing file, then two altered ones: each is reported, none stops the walk.
    (folder / BLACK_SEA).unlink()
    for name in (ROADMAP, CYBER):
        with (folder / name).open("ab") as handle:
            handle.write(b"x")
    entries = [json.loads(line) for line in lines(folder)]
    found = [d.format().replace(str(folder), "A") for d in verify(folder).findings]
    assert found[0] == f"A/{BLACK_SEA}: error: missing: listed on manifest line 1"
    for number, name in ((2, ROADMAP), (3, CYBER)):
        data = (folder / name).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        entry = entries[number - 1]
        assert (
            f"A/{name}: error: altered: sha256 {digest[:16]}…, {len(data)} bytes; manifest line "
            f"{number} says {entry['sha256'][:16]}…, {entry['size']} bytes"
        ) in found
    assert len(found) == 3


def test_a_version_that_disagrees_with_the_file_name_is_reported(folder: Path) -> None:
    edit(folder, 1, version=7)
    assert messages(folder) == [
        "M:1: error: edited: the line's content does not match its `line_sha256`",
        "M:1: error: `version` 7 disagrees with the file name (v1)",
    ]


def test_one_unprotected_legacy_line_is_named_alone(folder: Path) -> None:
    first = {
        k: v for k, v in json.loads(lines(folder)[0]).items() if k not in ("prev", "line_sha256")
    }
    rewrite(folder, [json.dumps(first)])
    for stray in (ROADMAP, CYBER, NATO):
        (folder / stray).unlink()
    report = verify(folder)
    assert report.findings == []
    assert [w.format().replace(str(folder / MANIFEST), "M") for w in report.warnings] == [
        "M:1: warning: unprotected: line 1 (1 entries) predate the hash chain; an edit to "
        "them cannot be detected until a brief is archived after them, which seals them"
    ]
