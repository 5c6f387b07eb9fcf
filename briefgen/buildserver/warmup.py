"""What a build server does once before it serves: run the everyday commands on a small meeting
of every kind of content, so imports, models, compiled templates, fonts and locale data are in
memory before the first child is forked. Nothing it leaves behind is keyed on a user's files."""

from __future__ import annotations

import contextlib
import gc
import io
import os
import tempfile
from pathlib import Path

# Every part a brief can have, so the first real command finds each code path loaded.
MEETING = """\
meeting:
  title: Build server warm-up
  id: warm-up
  date: 2025-01-15
  time: 09:00-10:00
  location: Headquarters
  organiser: Planning Directorate
  classification: INTERNAL
  language: en
participants:
  - {name: Anna Example, role: Director, organisation: Planning, side: Host}
  - {name: Ben Sample, role: Adviser, organisation: Partner, side: Guest,
     classification: PUBLIC}
purpose: Check that **everything** is ready.
summary: |-
  A summary with a list:

  - one item
  - another item
decisions:
  - {title: Agree the plan, text: Both sides agree.}
key_points:
  - {title: First point, text: Said in public., classification: PUBLIC}
  - A point in a sentence.
outcomes:
  - {title: An outcome, text: Something was agreed.}
initiatives:
  - name: Exercise programme
    owner: Training Command
    start: 2025-Q1
    end: 2026-06
    milestones:
      - {date: 2025-09-01, label: First exercise}
  - {name: Dialogue, objective: Understanding, timeline: Ongoing}
sections:
  - heading: Focus areas
    body: A table follows.
    table:
      columns: [Area, Steps]
      rows:
        - [Capacity, Joint exercises.]
        - [Engagement, Dialogue.]
"""

# Not the archive audience nor --pdfa: they run the PDF/A validator, a Rust extension whose
# thread pool would not survive the fork (a child would wait on threads it does not have).
# Its PDF/A module is imported (pikepdf starts no thread); the validator loads in each child.
AUDIENCES = ("principal", "staff", "public")
COMMANDS = (
    ["build", "{meeting}", "-o", "{out}", *(f"-a{a}" for a in AUDIENCES)],
    ["validate", "{meeting}"],
    ["lint", "{meeting}"],
    ["--help"],
)


def warm() -> None:
    """Run each command of COMMANDS once, quietly, then freeze what is in memory."""
    import briefgen.pdfa  # noqa: F401  (pikepdf: imported, not run)
    from briefgen.cli import main

    with tempfile.TemporaryDirectory(prefix="briefgen-warm-") as folder:
        meeting = Path(folder) / "warm-up.yaml"
        meeting.write_text(MEETING, encoding="utf-8")
        for command in COMMANDS:
            args = [a.format(meeting=meeting, out=Path(folder) / "out") for a in command]
            quiet = io.StringIO()
            with (
                contextlib.redirect_stdout(quiet),
                contextlib.redirect_stderr(quiet),
                contextlib.suppress(SystemExit),
            ):
                main(args=args, prog_name="briefgen", standalone_mode=True)
    # What is in memory now is shared with every child; frozen, the collector leaves it alone
    # and the pages stay shared instead of being copied on the first collection (gc docs).
    gc.collect()
    gc.freeze()


def threads() -> int:
    """Threads of this process, Python's and native ones (forking is only safe with one)."""
    return len(os.listdir("/proc/self/task"))
