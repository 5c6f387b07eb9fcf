"""`briefgen preview`: a local web page to write a meeting file and see its briefs as you type.

A thin HTTP layer over the pipeline: routes (app), the token and origin guard (guard), file
watching (watch), the render pool (workers); the page's bundle is in static/.
"""

from briefgen.preview.server import DEFAULT_HOST, DEFAULT_PORT, serve

__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "serve"]
