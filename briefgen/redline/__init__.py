"""Redlines: what changed between two versions of a meeting, as a brief with the changes marked.

`build_redline` is the face: both meetings are cleared for the audience, rendered through the
normal pipeline, and their Documents diffed into one with Insertion and Deletion inlines, after
a change summary from the two cleared meetings. `embedded_source` reads an archived PDF's YAML.
"""

from briefgen.redline.build import RedlineResult, build_redline, redline_document
from briefgen.redline.sources import embedded_source

__all__ = ["RedlineResult", "build_redline", "embedded_source", "redline_document"]
