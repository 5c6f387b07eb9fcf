"""Render page 1 of the example staff brief in each shipped theme to docs/theme-NAME.png.

Run from the repository root after changing a theme (needs poppler's pdftoppm):
    PYTHONPATH=. python scripts/render_theme_previews.py
The PNGs are reviewed by eye before they are committed.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from briefgen.pipeline import Project, render_document
from briefgen.resources import load_theme, theme_names
from briefgen.validation import load_meeting
from briefgen.writers.pdf import write_pdf

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "inputs" / "nato-sg-bih-presidency-2024-12-18.yaml"


def main() -> None:
    project = Project(input_dir=EXAMPLE.parent)
    meeting, _ = load_meeting(EXAMPLE, levels=project.config.levels)
    document = render_document(meeting, project.audience("staff"), project)
    for name in theme_names(project.folders):
        pdf = write_pdf(document, load_theme(name, project.folders, EXAMPLE.parent)).data
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "brief.pdf"
            source.write_bytes(pdf)
            target = ROOT / "docs" / f"theme-{name}"
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "70",
                    "-png",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(source),
                    str(target),
                ],
                check=True,
            )
        print(f"{target}.png")


if __name__ == "__main__":
    main()
