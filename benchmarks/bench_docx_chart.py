"""Benchmark: the DOCX timeline chart's size, paragraph count and write time.

Run: python benchmarks/bench_docx_chart.py   (prints numbers; asserts nothing)

For each example input with a timeline (staff audience) and a synthetic wide chart (40
initiatives over twenty months, two milestones each), it writes the DOCX and prints the file
size, the w:p elements inside the chart (the table after the timeline caption, text boxes
included) and the median time of write_timeline alone.
"""

from __future__ import annotations

import datetime as dt
import statistics
import sys
import time
import zipfile
from io import BytesIO
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from briefgen import document as d  # noqa: E402
from briefgen.pipeline import Project, render_document  # noqa: E402
from briefgen.writers import get_writer  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def wide() -> d.Document:
    first, rows = dt.date(2025, 1, 1), []
    for index in range(40):
        start = first + dt.timedelta(days=index * 15 % 599)
        end = min(start + dt.timedelta(days=200), first + dt.timedelta(days=600))
        marks = tuple(
            d.TimelineMilestone(start + (end - start) * (k + 1) / 3, f"Milestone {k + 1}")
            for k in range(2)
        )
        rows.append(d.TimelineRow(f"Initiative {index + 1}", start, end, marks))
    chart = d.Timeline(
        rows=tuple(rows),
        title="Timeline",
        marker=dt.date(2025, 6, 10),
        marker_label="Meeting",
        milestone_label="Milestone",
        undated_label="Not scheduled",
        name_header="Initiative",
    )
    return d.Document(d.DocumentInfo(title="Wide"), (chart,))


def chart_paragraphs(data: bytes) -> int:
    body = etree.fromstring(zipfile.ZipFile(BytesIO(data)).read("word/document.xml"))
    count = 0
    for tbl in body.iter(f"{W}tbl"):
        description = tbl.find(f"{W}tblPr/{W}tblDescription")
        if description is not None and description.get(f"{W}val", "").startswith("Timeline chart"):
            count += sum(1 for _ in tbl.iter(f"{W}p"))
    return count


def timed(document: d.Document, theme: object, repeat: int = 10) -> tuple[bytes, float, float]:
    from briefgen.writers.docx import timeline as docx_timeline

    write = get_writer("docx")
    spent: list[float] = []
    original = docx_timeline.write_timeline

    def measured(*args: object, **kwargs: object) -> None:
        start = time.perf_counter()
        original(*args, **kwargs)  # type: ignore[arg-type]
        spent.append(time.perf_counter() - start)

    import briefgen.writers.docx.timeline as module

    module.write_timeline = measured  # type: ignore[assignment]
    try:
        data = write(document, theme).data  # type: ignore[arg-type]
        spent.clear()
        totals = []
        for _ in range(repeat):
            start = time.perf_counter()
            write(document, theme)  # type: ignore[arg-type]
            totals.append(time.perf_counter() - start)
    finally:
        module.write_timeline = original
    return data, statistics.median(spent) * 1000, statistics.median(totals) * 1000


def main() -> None:
    project = Project()
    theme = project.theme(project.audience("staff"))
    cases = [("wide (40 rows, 20 months)", wide())]
    for path in sorted((REPO / "inputs").glob("*.yaml")):
        from briefgen import BuildOptions

        project = Project.for_input(path, BuildOptions())
        meeting, _ = project.load_meeting(path)
        document = render_document(meeting, project.audience("staff"), project)
        if any(isinstance(b, d.Timeline) for b in document.blocks):
            cases.append((path.stem, document))
    print(f"{'input':45} {'bytes':>8} {'chart w:p':>9} {'chart ms':>9} {'docx ms':>8}")
    for name, document in cases:
        data, chart_ms, total_ms = timed(document, theme)
        print(
            f"{name:45} {len(data):8d} {chart_paragraphs(data):9d} {chart_ms:9.1f} {total_ms:8.1f}"
        )


if __name__ == "__main__":
    main()
