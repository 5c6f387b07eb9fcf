"""The cleared meeting an archived PDF carries: written as YAML, attached (PDF/A-3), read back.

An archived brief is self-describing: besides the pages it holds the meeting it was built from,
*after* `select()` for the archive's audience, so it never holds anything above that audience's
clearance (and holds only what that audience's brief was built from). The attachment is a PDF/A-3
associated file (`/AFRelationship /Source`, listed in the catalog's `/AF`); `pdfa.to_pdfa` adds
it, `read_source` gives its bytes back (for `verify`, the archive index and redlines).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from briefgen.audience import Selection

MIME_TYPE = "application/yaml"  # RFC 9512
_HEADER = "# briefgen archive source: the meeting as cleared for the audience `{audience}`.\n"
_PDF_DATE = re.compile(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:Z|([+-])(\d\d)'(\d\d)'?)?")
_HEADER_RE = re.compile(
    r"# briefgen archive source: the meeting as cleared for the audience "
    r"`([^`\n]*)`\.\n"
)


@dataclass(frozen=True)
class EmbeddedSource:
    """One file to attach to a PDF/A-3 as the source of its content."""

    name: str  # the attachment's file name, as a PDF reader lists it
    data: bytes
    description: str
    modified: str  # PDF date string (D:YYYYMMDDHHmmSS+00'00'); the archive time, not the clock
    mime_type: str = MIME_TYPE


def pdf_date(epoch: int) -> str:
    """Seconds since 1970 as a PDF date in UTC, as reportlab stamps it: D:20241218110000+00'00'."""
    stamp = dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y%m%d%H%M%S")
    return f"D:{stamp}+00'00'"


def source_data(selection: Selection) -> dict[str, Any]:
    """The cleared meeting as plain data: what the embedded YAML holds (and parses back to)."""
    data: dict[str, Any] = selection.meeting.model_dump(mode="json", exclude_defaults=True)
    return data


def source_yaml(selection: Selection, audience: str) -> bytes:
    """The cleared meeting as a meeting file `briefgen build` reads back to the same model.

    Defaults are left out (as `briefgen dump --stage meeting` does) and keys keep the model's
    order, so the text reads like a hand-written meeting file; the first line names the
    audience it was cleared for.
    """
    data = source_data(selection)
    body = yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    return (_HEADER.format(audience=audience.replace("`", "'")) + body).encode("utf-8")


def source_audience(data: bytes) -> str | None:
    """The audience named on an embedded source's first line; None when it has none."""
    match = _HEADER_RE.match(data.decode("utf-8", errors="replace"))
    return match.group(1) if match else None


def read_source(pdf: bytes | Path) -> bytes | None:
    """The embedded source of an archived PDF (a meeting file's bytes), or None when it has none
    (or is no PDF). This is what a redline against an archived brief starts from."""
    found = read_source_file(pdf)
    return found[1] if found else None


def read_source_file(pdf: bytes | Path) -> tuple[str, bytes] | None:
    """The embedded source's file name and bytes, or None.

    Only an associated file of the catalog with `/AFRelationship /Source` counts: an attachment
    someone added by hand is not what the brief was built from.
    """
    import pikepdf

    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    try:
        with pikepdf.open(io.BytesIO(data)) as document:
            for spec in document.Root.get("/AF", pikepdf.Array()):
                if not isinstance(spec, pikepdf.Dictionary):
                    continue
                if spec.get("/AFRelationship") != pikepdf.Name.Source:
                    continue
                stream = spec.get("/EF", pikepdf.Dictionary()).get("/F")
                if isinstance(stream, pikepdf.Stream):
                    return str(spec.get("/UF", spec.get("/F", ""))), bytes(stream.read_bytes())
    except (pikepdf.PdfError, ValueError):
        return None
    return None


def creation_epoch(pdf: bytes) -> int | None:
    """The PDF's /CreationDate in seconds since 1970, or None when it has none that parses."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(pdf)) as document:
            text = str(document.docinfo.get("/CreationDate", ""))
    except (pikepdf.PdfError, ValueError):
        return None
    match = _PDF_DATE.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second, sign, tz_h, tz_m = match.groups()
    offset = dt.timedelta(hours=int(tz_h or 0), minutes=int(tz_m or 0))
    zone = dt.timezone(-offset if sign == "-" else offset)
    moment = dt.datetime(
        int(year), int(month), int(day), int(hour), int(minute), int(second), tzinfo=zone
    )
    return int(moment.timestamp())


def parse_source(data: bytes) -> dict[str, Any] | None:
    """An embedded source as plain data (safe loading; libyaml's parser where installed, as
    the index reads thousands), or None when it is not a YAML mapping."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        loaded = yaml.load(data.decode("utf-8"), Loader=loader)
    except (UnicodeDecodeError, yaml.YAMLError):
        return None
    return loaded if isinstance(loaded, dict) else None


def source_classification(data: bytes) -> str | None:
    """The overall marking the embedded source carries (`select()` sets the meeting's level to
    it), or None when the YAML does not say."""
    loaded = parse_source(data)
    if loaded is None or not isinstance(loaded.get("meeting"), dict):
        return None
    level = loaded["meeting"].get("classification")
    return level if isinstance(level, str) else None
