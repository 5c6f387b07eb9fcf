"""Benchmark: what PDF/A-2b costs on top of the PDF writer, and what archive and verify cost.

Run: python benchmarks/bench_pdfa.py [INPUT]   (prints numbers; asserts nothing)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_build import DEFAULT_INPUT, REPO, median_ms  # this folder is on sys.path when run


def main() -> None:
    input_path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_INPUT
    # -X importtime's last line is the module asked for, cumulative microseconds in column 2.
    report = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import pikepdf"],
        check=True,
        capture_output=True,
        text=True,
    ).stderr
    import_ms = int(report.strip().splitlines()[-1].split("|")[1]) / 1000

    sys.path.insert(0, str(REPO))
    from briefgen.archive import archive
    from briefgen.pdfa import problems, to_pdfa
    from briefgen.pipeline import Project, render_document
    from briefgen.validation import load_meeting
    from briefgen.verify import verify
    from briefgen.writers import get_writer

    project = Project()
    audience = project.audience("archive")
    theme = project.theme(audience)
    meeting, _ = load_meeting(input_path, str(input_path))
    document = render_document(meeting, audience, project)
    write_pdf = get_writer("pdf")
    plain = write_pdf(document, theme).data
    pdfa = to_pdfa(plain)

    print(f"input: {input_path.name}, {len(plain)} bytes as PDF, {len(pdfa)} as PDF/A-2b")
    print(f"import pikepdf (fresh process):      {import_ms:6.1f} ms")
    write_ms = median_ms(lambda: write_pdf(document, theme).data)
    print(f"write_pdf:                            {write_ms:6.1f} ms")
    print(f"to_pdfa (post-processing):            {median_ms(lambda: to_pdfa(plain)):6.1f} ms")
    print(f"  of which the final problems() check: {median_ms(lambda: problems(pdfa)):6.1f} ms")
    with tempfile.TemporaryDirectory() as folder:
        os.environ["SOURCE_DATE_EPOCH"] = "1734519600"
        counter = iter(range(10_000))

        def archive_new() -> None:  # a new source each time, so each call writes a version
            source = Path(folder) / "meeting.yaml"
            source.write_text(
                input_path.read_text(encoding="utf-8") + f"\n# {next(counter)}\n", encoding="utf-8"
            )
            archive(source, Path(folder) / "archive")

        print(f"archive, one new version (in-process): {median_ms(archive_new, 10):6.1f} ms")
        again_ms = median_ms(lambda: archive(input_path, Path(folder) / "archive"), 10)
        print(f"archive, already archived:            {again_ms:6.1f} ms")
        count = len(list((Path(folder) / "archive").glob("*.pdf")))
        label = f"verify, {count} files:"
        print(f"{label:38s}{median_ms(lambda: verify(Path(folder) / 'archive'), 5):6.1f} ms")


if __name__ == "__main__":
    main()
