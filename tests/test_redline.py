"""Redlines: the change summary, the marks in the document, DOCX Accept/Reject All, clearance."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.document import Deletion, Insertion, Link, Strong, Text
from briefgen.pipeline import BuildOptions, build
from briefgen.redline.inlines import accept, atoms, diff_inlines, reject
from tests.redline_helpers import (
    BLACK_SEA,
    EDITS,
    MIXED,
    W,
    document_xml,
    edited,
    paragraphs,
    resolve,
)
from tests.test_parity import words

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:docx")


def run_redline(old: Path, new: Path, out: Path, *args: str) -> list[Path]:
    result = CliRunner().invoke(main, ["redline", str(old), str(new), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return [Path(line) for line in result.stdout.splitlines()]


def summary(path: Path) -> list[str]:
    """The change summary's lines: the paragraphs before the page break ahead of the brief."""
    texts = paragraphs(document_xml(path))
    return texts[: texts.index("")]


def test_word_level_change_marks_only_the_word() -> None:
    old = (Text("Refer to the ministerial; no "), Strong((Text("figures"),)), Text(" today."))
    new = (Text("Refer to the ministerial; no "), Strong((Text("numbers"),)), Text(" today."))
    assert diff_inlines(old, new) == (
        Text("Refer to the ministerial; no "),
        Deletion((Strong((Text("figures"),)),)),
        Insertion((Strong((Text("numbers"),)),)),
        Text(" today."),
    )


def test_accept_and_reject_give_each_version_back() -> None:
    old = (Text("Meet the "), Link("https://a.example", (Text("task group"),)), Text(" in May."))
    new = (Text("Brief the "), Link("https://b.example", (Text("task group"),)), Text(" soon."))
    marked = diff_inlines(old, new)
    # The same words with the same formatting (the nodes may be split differently).
    assert atoms(accept(marked)) == atoms(new)
    assert atoms(reject(marked)) == atoms(old)
    assert any(
        isinstance(node, Deletion)
        and Link("https://a.example", (Text("task group"),)) in node.children
        for node in marked
    )


def test_short_values_are_replaced_whole(tmp_path: Path) -> None:
    new = edited(tmp_path, "time")
    out = run_redline(BLACK_SEA, new, tmp_path / "out", "-f", "docx")
    root = document_xml(out[0])
    deleted = ["".join(t.text for t in d.iter(f"{W}delText")) for d in root.iter(f"{W}del")]
    assert "10:30\u201311:45 CET" in deleted
    assert summary(out[0])[2:] == [
        "Meeting time changed from 10:30\u201311:45 CET to 11:30\u201312:45 CET"
    ]


def test_summary_reads_in_the_users_words_and_document_order(tmp_path: Path) -> None:
    new = edited(tmp_path, *EDITS)  # every edit at once
    out = run_redline(BLACK_SEA, new, tmp_path / "out", "-f", "docx")
    assert out == [tmp_path / "out" / "2025-03-12_black-sea-maritime-security.staff.redline.docx"]
    assert summary(out[0])[:2] == [
        "Changes since the earlier version",
        "Compared with black-sea-maritime-security-2025-03-12.yaml.",
    ]
    lines = summary(out[0])[2:]
    assert lines[0] == "Meeting time changed from 10:30\u201311:45 CET to 11:30\u201312:45 CET"
    assert lines[1] == "Overall marking raised from INTERNAL to RESTRICTED"
    assert lines[2:] == [
        "Key point removed: Avoid commitments on the insurance facility…",
        "Outcome added: Greek and Ukrainian navies to exchange…",
        "Participant removed: Tomás Ó Briain",
        "Initiative 'Grain corridor mine clearance' end moved from 2025-12-15 to 2026-03",
        "Initiative 'Grain corridor mine clearance' milestone 'Survey complete' moved from "
        "2025-06-30 to 2025-07-31",
        "Section 'Issues likely to be raised' table 2 cells edited",
        "Classification of section 'Issues likely to be raised' raised from INTERNAL to RESTRICTED",
    ]


def test_a_reordered_item_reads_as_a_move(tmp_path: Path) -> None:
    text = BLACK_SEA.read_text(encoding="utf-8")
    first = "  - title: Solidarity\n"
    block = text[text.index(first) : text.index("  - title: Mine clearance first\n")]
    moved = text.replace(block, "").replace(
        "  - Avoid commitments", block + "  - Avoid commitments"
    )
    new = tmp_path / "new.yaml"
    new.write_text(moved, encoding="utf-8")
    out = run_redline(BLACK_SEA, new, tmp_path / "out", "-f", "docx")
    assert summary(out[0])[2:] == ["Key point 'Solidarity' moved"]


def test_old_values_stay_visible_in_tables(tmp_path: Path) -> None:
    new = edited(tmp_path, "participant", "end", "milestone", "cell")
    out = run_redline(BLACK_SEA, new, tmp_path / "out", "-f", "docx")
    root = document_xml(out[0])
    deleted_rows = [tr for tr in root.iter(f"{W}tr") if tr.find(f"{W}trPr/{W}del") is not None]
    assert ["".join(t.text for t in tr.iter(f"{W}delText")) for tr in deleted_rows] == [
        "Tomás Ó BriainNote-takerHost delegationHost"
    ]
    deleted = {"".join(t.text for t in d.iter(f"{W}delText")) for d in root.iter(f"{W}del")}
    inserted = {"".join(t.text for t in i.iter(f"{W}t")) for i in root.iter(f"{W}ins")}
    # The initiatives' timeline column, the milestones table, an issue's response; dates are
    # bound by no-break spaces (briefgen.typography).
    assert {"15\u00a0Dec\u00a02025", "30\u00a0Jun\u00a02025", "kept informed"} <= deleted
    assert {"Mar\u00a02026", "31\u00a0Jul\u00a02025", "briefed"} <= inserted


def test_classification_change_shows_in_portion_marks_and_marking(tmp_path: Path) -> None:
    new = edited(tmp_path, "classification")
    out = run_redline(BLACK_SEA, new, tmp_path / "out", "-a", "archive", "-f", "docx")
    texts = paragraphs(document_xml(out[0]))
    assert "(I)(R) Issues likely to be raised" in texts  # old mark struck, new one inserted
    assert summary(out[0])[2:] == [
        "Overall marking raised from INTERNAL to RESTRICTED",
        "Classification of section 'Issues likely to be raised' raised from INTERNAL to RESTRICTED",
    ]


def test_identical_inputs_say_no_changes_and_still_write(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["redline", str(BLACK_SEA), str(BLACK_SEA), "-o", str(tmp_path)]
    )
    assert result.exit_code == 0
    assert result.stderr == "staff: no changes\n"
    paths = [Path(p) for p in result.stdout.splitlines()]
    assert [p.suffix for p in paths] == [".pdf", ".docx"]
    assert summary(paths[1])[2:] == ["No changes: this version says the same as the earlier one."]
    root = document_xml(paths[1])
    assert root.find(f".//{W}ins") is None and root.find(f".//{W}del") is None


def test_a_public_redline_never_shows_what_the_public_may_not_see(tmp_path: Path) -> None:
    text = MIXED.read_text(encoding="utf-8")
    changed = (
        text.replace("behind the February incident", "behind the March incident")
        .replace("Do not raise the attribution", "Never raise the attribution")
        .replace(
            "  - text: Access to the partner's malware sandbox for the Joint Cyber "
            "Command.\n    classification: CONFIDENTIAL\n",
            "",
        )
    )
    new = tmp_path / "new.yaml"
    new.write_text(changed, encoding="utf-8")
    out = run_redline(MIXED, new, tmp_path / "out", "-a", "public")
    assert summary(out[1])[2:] == ["No changes: this version says the same as the earlier one."]
    body = " ".join(paragraphs(document_xml(out[1])))
    pdf = subprocess.run(
        ["pdftotext", str(out[0]), "-"], capture_output=True, text=True, check=True
    ).stdout
    for secret in (
        "Glass Harbour",
        "attribution",
        "sandbox",
        "March",
        "February",
        "RESTRICTED",
        "CONFIDENTIAL",
        "Bracci",
    ):
        assert secret not in body and secret not in pdf, secret
    staff = run_redline(MIXED, new, tmp_path / "staff", "-f", "docx")
    assert "Outcome removed: Access to the partner's malware sandbox…" in summary(staff[0])


def _plain(path: Path) -> list[str]:
    return [p for p in paragraphs(document_xml(path), after_title=True) if p]


@pytest.mark.parametrize("audience", ["staff", "principal", "public", "archive"])
def test_accept_all_gives_new_and_reject_all_gives_old(tmp_path: Path, audience: str) -> None:
    new = edited(tmp_path, *EDITS)
    plain_new = build(
        new, BuildOptions(audiences=(audience,), formats=("docx",), out_dir=tmp_path / "new")
    )[0]
    plain_old = build(
        BLACK_SEA, BuildOptions(audiences=(audience,), formats=("docx",), out_dir=tmp_path / "old")
    )[0]
    out = run_redline(BLACK_SEA, new, tmp_path / "out", "-a", audience, "-f", "docx")
    accepted = [p for p in paragraphs(resolve(document_xml(out[0]), True), True) if p]
    rejected = [p for p in paragraphs(resolve(document_xml(out[0]), False), True) if p]
    assert accepted == _plain(plain_new)
    assert rejected == _plain(plain_old)
    # Every edit is to INTERNAL content, which the public readout never holds.
    assert (accepted == rejected) == (audience == "public")


def test_tracked_changes_carry_author_and_reproducible_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    new = edited(tmp_path, "word", "removed")
    first = run_redline(BLACK_SEA, new, tmp_path / "a", "--author", "Policy Unit")
    again = run_redline(BLACK_SEA, new, tmp_path / "b", "--author", "Policy Unit")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again]
    marks = [*document_xml(first[1]).iter(f"{W}ins", f"{W}del")]
    assert marks and {(m.get(f"{W}author"), m.get(f"{W}date")) for m in marks} == {
        ("Policy Unit", "2026-01-01T00:00:00Z")
    }
    ids = [m.get(f"{W}id") for m in marks]
    assert len(set(ids)) == len(ids)
    # The removed key point goes with its paragraph mark, so Reject All restores a list item.
    assert any(m.getparent().tag == f"{W}rPr" for m in marks if m.tag == f"{W}del")


def test_pdf_marks_and_legend(tmp_path: Path) -> None:
    new = edited(tmp_path, "word")
    out = run_redline(BLACK_SEA, new, tmp_path / "out", "-f", "pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(out[0]), "-"], capture_output=True, text=True, check=True
    ).stdout
    # The deleted word is still there (struck), straight before the inserted one.
    assert "ministerial; no figuresnumbers today." in " ".join(text.split())
    assert text.count("Inserted") == text.count("Deleted") == 3  # the legend on every page


def test_parity_of_a_redline(tmp_path: Path) -> None:
    from tests.test_parity import margins_of, pdf_body_words

    new = edited(tmp_path, *EDITS)
    pdf, docx_path = run_redline(BLACK_SEA, new, tmp_path / "out")
    docx_words = words(" ".join(paragraphs(document_xml(docx_path), timeline=True)))
    # The legend is chrome: drawn in the bottom margin, dropped like the page label.
    assert pdf_body_words(pdf, margins_of("staff"), []) == docx_words
