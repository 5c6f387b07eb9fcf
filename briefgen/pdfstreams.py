"""A saved PDF's content streams made to read the same to every validator (pikepdf)."""

from __future__ import annotations

import io
from typing import Any

import pikepdf


def without_trailing_cr(data: bytes) -> bytes:
    """The saved PDF with no content stream whose data ends in a carriage return: followed by
    the writer's line feed it reads as CR LF before `endstream`, an EOL that PDF/A validators do
    not count in /Length, so they report the length as wrong. It happens by chance (the last
    byte is the zlib checksum's), so the content gets one more space, which draws nothing."""
    import zlib

    with pikepdf.open(io.BytesIO(data)) as pdf:
        changed = False
        for obj in _content_streams(pdf):
            if obj.get("/Filter") != pikepdf.Name.FlateDecode or "/DecodeParms" in obj:
                continue
            content = obj.read_bytes()
            while obj.read_raw_bytes().endswith(b"\r"):
                content += b" "
                obj.write(zlib.compress(content), filter=pikepdf.Name.FlateDecode)
                changed = True
        if not changed:
            return data
        out = io.BytesIO()
        pdf.save(
            out,
            min_version="1.7",
            fix_metadata_version=False,
            deterministic_id=True,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            compress_streams=False,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
        )
        return out.getvalue()


def _content_streams(pdf: pikepdf.Pdf) -> list[pikepdf.Stream]:
    """Page contents and form XObjects: streams of drawing operators, where a space is inert."""
    found: list[Any] = []
    for page in pdf.pages:
        contents = page.obj.get("/Contents")
        found.extend(list(contents) if isinstance(contents, pikepdf.Array) else [contents])
    found.extend(
        obj
        for obj in pdf.objects
        if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == pikepdf.Name.Form
    )
    return [obj for obj in found if isinstance(obj, pikepdf.Stream)]
