"""`briefgen verify` on one archived brief: the entry's dates, level, PDF/UA claim and embedded
source each checked against the file; a file that cannot be read or locked stops nothing.

One small archive (the example, archived once per module) keeps these fast: they are the first
tests the mutation run (scripts/mutation.py) tries on verify.py.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from briefgen.archive import LOCK_NAME, MANIFEST, archive
from briefgen.verify import verify
from tests.conftest import EXAMPLE

EPOCH = 1_734_519_600  # 2024-12-18T11:00:00Z, the PDF's creation date
NAME = "2024-12-18_nato-sg-bih-presidency_archive_v1.pdf"
EDITED = "M:1: error: edited: the line's content does not match its `line_sha256`"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fields") / "archive"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        archive(EXAMPLE, folder)
    return folder


@pytest.fixture
def folder(pristine: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "archive"
    shutil.copytree(pristine, copy)
    os.chmod(copy / NAME, 0o644)
    return copy


def entry(folder: Path) -> dict[str, object]:
    [line] = (folder / MANIFEST).read_text(encoding="utf-8").splitlines()
    parsed: dict[str, object] = json.loads(line)
    return parsed


def write_entry(folder: Path, new: dict[str, object]) -> None:
    (folder / MANIFEST).write_text(json.dumps(new) + "\n", encoding="utf-8")


def legacy(folder: Path, **changes: object) -> None:
    """The line as an entry from before the hash chain (no `prev`, no `line_sha256`)."""
    old = {k: v for k, v in entry(folder).items() if k not in ("prev", "line_sha256")}
    write_entry(folder, old | changes)


def rewrite_pdf(folder: Path, change: Callable[[pikepdf.Pdf], None]) -> dict[str, object]:
    """Change the PDF and give its entry the new hash and size, as a careful forger would."""
    path = folder / NAME
    with pikepdf.open(io.BytesIO(path.read_bytes())) as pdf:
        change(pdf)
        out = io.BytesIO()
        pdf.save(out)
    data = out.getvalue()
    path.write_bytes(data)
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}


def messages(folder: Path) -> list[str]:
    m = str(folder / MANIFEST)
    return [f.format().replace(m, "M").replace(str(folder), "D") for f in verify(folder).findings]


def warnings(folder: Path) -> list[str]:
    return [w.format().replace(str(folder / MANIFEST), "M") for w in verify(folder).warnings]


def test_the_archived_brief_has_no_findings(folder: Path) -> None:
    report = verify(folder)
    assert report.findings == [] and report.warnings == [] and report.checked == 1


def test_an_epoch_that_is_not_the_pdf_s_creation_date_is_reported(folder: Path) -> None:
    # `created` agrees with the edited `source_date_epoch`; the PDF's own date does not.
    write_entry(folder, entry(folder) | {"source_date_epoch": EPOCH + 1,
                                         "created": "2024-12-18T11:00:01Z"})  # fmt: skip
    assert messages(folder) == [
        EDITED,
        "M:1: error: `source_date_epoch` 1734519601 is not the PDF's creation date (1734519600)",
    ]


@pytest.mark.parametrize(
    ("epoch", "created", "created_finding"),
    [
        (0, "1970-01-01T00:00:00Z", None),  # the first second that has a date
        (253402300799, "9999-12-31T23:59:59Z", None),  # the last one
        (-1, "1969-12-31T23:59:59Z", "(?)"),  # before 1970: no date, and no traceback
        (253402300800, "10000-01-01T00:00:00Z", "(?)"),  # year 10000: the same
    ],
)
def test_an_epoch_is_given_a_date_from_1970_to_9999(
    folder: Path, epoch: int, created: str, created_finding: str | None
) -> None:
    write_entry(folder, entry(folder) | {"source_date_epoch": epoch, "created": created})
    expected = [EDITED]
    if created_finding:
        expected.append(f"M:1: error: `created` {created} is not `source_date_epoch` {epoch} (?)")
    expected.append(
        f"M:1: error: `source_date_epoch` {epoch} is not the PDF's creation date (1734519600)"
    )
    assert messages(folder) == expected


def _drop_source(pdf: pikepdf.Pdf) -> None:
    del pdf.Root.AF
    del pdf.Root.Names.EmbeddedFiles


def test_a_pdf_whose_source_was_removed_is_reported(folder: Path) -> None:
    write_entry(folder, entry(folder) | rewrite_pdf(folder, _drop_source))
    assert messages(folder) == [
        EDITED,
        "M:1: error: the PDF carries no embedded source; the entry says it has one",
    ]


def test_a_legacy_pdf_a_3b_entry_without_its_source_is_reported(folder: Path) -> None:
    # Entries from before `embedded_sha256` was recorded: PDF/A-3b meant "carries its source".
    changes = rewrite_pdf(folder, _drop_source)
    old = {k: v for k, v in entry(folder).items() if k not in ("prev", "line_sha256",
                                                                "embedded_sha256")}  # fmt: skip
    write_entry(folder, old | changes | {"format": "PDF/A-3b"})
    assert messages(folder) == [
        "M:1: error: the PDF carries no embedded source; the entry says it has one",
        f"D/{NAME}: error: not PDF/A-3b: the XMP does not say PDF/A-3b (pdfaid:part 3, "
        "pdfaid:conformance A)",
    ]


def test_the_file_is_held_to_the_level_its_entry_records(folder: Path) -> None:
    # An unprotected line's `format` is all that says which level the file was archived at.
    legacy(folder, format="PDF/A-2b")
    assert messages(folder) == [
        f"D/{NAME}: error: not PDF/A-2b: the name dictionary has /EmbeddedFiles; the XMP does "
        "not say PDF/A-2b (pdfaid:part 3, pdfaid:conformance A)"
    ]


def _drop_ua(pdf: pikepdf.Pdf) -> None:
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        del meta["pdfuaid:part"]


def test_a_file_that_lost_its_pdf_ua_claim_is_reported(folder: Path) -> None:
    write_entry(folder, entry(folder) | rewrite_pdf(folder, _drop_ua))
    assert messages(folder) == [
        EDITED,
        f"D/{NAME}: error: not PDF/A-3a + PDF/UA-1: the XMP does not say PDF/UA-1 "
        "(pdfuaid:part None)",
    ]


def test_an_entry_from_before_pdf_ua_does_not_hold_its_file_to_it(folder: Path) -> None:
    changes = rewrite_pdf(folder, _drop_ua)
    legacy(folder, **changes, format="PDF/A-3a")
    assert messages(folder) == []
    legacy(folder, **changes, format=None)  # no format at all: held to PDF/UA like today's
    assert messages(folder) == [
        f"D/{NAME}: error: not PDF/A + PDF/UA-1: the XMP does not say PDF/UA-1 (pdfuaid:part None)",
    ]


def test_an_unreadable_file_does_not_stop_the_walk(folder: Path) -> None:
    changed = folder.parent / "changed.yaml"
    changed.write_text(EXAMPLE.read_text(encoding="utf-8") + "\n# v2\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
        second = archive(changed, folder).path
    (folder / NAME).unlink()
    (folder / NAME).mkdir()  # listed on line 1, but a folder: read_bytes fails
    os.chmod(second, 0o644)
    with second.open("ab") as handle:
        handle.write(b"x")
    found = messages(folder)
    assert found[0] == f"D/{NAME}: error: unreadable: Is a directory"
    assert found[1].startswith(f"D/{second.name}: error: altered: sha256 ")
    assert len(found) == 2


def test_a_folder_that_cannot_be_locked_is_verified_without_the_lock(folder: Path) -> None:
    # Read-only media in practice; a folder in the lock file's place fails the same way and
    # works when the tests run as root, whom a read-only mode does not stop.
    (folder / LOCK_NAME).unlink(missing_ok=True)
    (folder / LOCK_NAME).mkdir()
    report = verify(folder)
    assert report.findings == [] and report.checked == 1
