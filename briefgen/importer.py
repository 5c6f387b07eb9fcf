"""`briefgen import`: a plain-text press release or note turned into a meeting file to check.

The reading is heuristic, so the output says in `# check:` comments what was guessed: the title
is the first line, the date the first date in the text, participants come from phrases like
"NATO Secretary General Jens Stoltenberg"; lines without closing punctuation are headings,
`Label: text` bullets become key points or outcomes by their heading or lead-in sentence, and
pipe tables become initiatives when their columns fit, else section tables. Every line first
gets lint's safe fixes (mojibake, spacing), so `KomÅ¡ić` arrives as `Komšić`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from briefgen.errors import BriefgenError
from briefgen.yaml_text import Comments, dump

_TITLE_PREFIX = re.compile(r"^(?:press|news|media)\s+release\s*[:\-\u2013\u2014]\s*", re.IGNORECASE)
_BULLET = re.compile(r"^[-*\u2022]\s+")
_MONTHS = "January February March April May June July August September October November December"
_MONTH = "|".join(_MONTHS.split())
_DATES = [
    (re.compile(rf"\b({_MONTH})\s+(\d{{1,2}}),?\s+(\d{{4}})\b"), (3, 1, 2)),
    (re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\s+(\d{{4}})\b"), (3, 2, 1)),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), (1, 2, 3)),
]
# Titles that precede a name ("Secretary General Jens Stoltenberg", "the Chair of the
# Presidency of Bosnia and Herzegovina, Željko Komšić").
_ROLE = re.compile(
    r"\b(?:(?:Deputy|Vice)[ -])?(?:Secretary[ -]General|Prime Minister|President|"
    r"Chair(?:man|woman|person)?(?: of the [A-Z]\w+)?|(?:Foreign|Defen[cs]e) Minister|"
    r"Minister (?:of|for) (?:the )?[A-Z]\w+(?: (?:and )?[A-Z]\w+)*|Minister|Ambassador|"
    r"Director[ -]General|Chancellor|Commander|Chief of Defen[cs]e)\b"
)
_NAME_WORD = r"[^\W\d_][\w'\u2019-]*"
_NOT_NAMES = {"The", "This", "That", "These", "During", "In", "On", "As", "Both", "And", "Has"}
# Initiative tables: the first column names the initiative; the others map to these fields.
_INITIATIVE_FIELDS = {"description", "objective", "timeline", "owner", "status"}


@dataclass
class _Section:
    heading: str
    lines: list[str] = field(default_factory=list)  # paragraphs and Markdown bullets
    table: dict[str, list[object]] | None = None


@dataclass
class _Reading:
    """What has been read so far; becomes the meeting data and its comments."""

    summary: list[str] = field(default_factory=list)
    sections: list[_Section] = field(default_factory=list)
    items: dict[str, list[object]] = field(
        default_factory=lambda: {"key_points": [], "outcomes": []}
    )
    initiatives: list[dict[str, str]] = field(default_factory=list)
    comments: Comments = field(default_factory=dict)
    initiative_tables: int = 0


def import_release(text: str, source_name: str, today: dt.date) -> str:
    """The meeting file (YAML text with comments) read from a plain-text release."""
    from briefgen.lint import safe_fix

    lines = [safe_fix(" ".join(line.split())) for line in text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise BriefgenError(f"{source_name} has no text to import")
    reading = _Reading()
    _read_body(lines[1:], reading)
    title = _TITLE_PREFIX.sub("", lines[0]).strip() or lines[0]
    body_text = "\n".join(lines[1:])
    data, comments = _meeting(title, body_text, reading, today)
    header = [
        f"# Imported by `briefgen import` from {source_name}.",
        "# A person must check every place marked `check:`, then run `briefgen lint` on this file.",
    ]
    result = "\n".join(header) + "\n" + dump(data, comments)
    return result + _lint_notes(result, source_name)


def _lint_notes(text: str, source_name: str) -> str:
    """What lint still finds, as comments at the end (where they shift no line numbers); this
    also proves the output is a valid meeting file, since lint validates first."""
    from briefgen.lint import lint_text

    try:
        warnings = lint_text(text, source_name)
    except BriefgenError as error:  # a bug here, not in the release: say so plainly
        raise BriefgenError(
            f"briefgen import produced an invalid meeting file: {error}",
            hint="please report this with the release text",
        ) from None
    if not warnings:
        return ""
    notes = [f"\n# check: lint found {len(warnings)} thing(s) in the text above:"]
    for warning in warnings:
        suggestion = f" ({warning.suggestion})" if warning.suggestion else ""
        line = warning.location.line
        notes.append(f"#   line {line}: {warning.code}: {warning.message}{suggestion}")
    return "\n".join(notes) + "\n"


def _meeting(
    title: str, body: str, reading: _Reading, today: dt.date
) -> tuple[dict[str, object], Comments]:
    comments = reading.comments
    date, date_text = _find_date(body)
    info: dict[str, object] = {"title": title, "date": (date or today).isoformat()}
    comments[("meeting", "title")] = ["check: the first line of the release"]
    comments[("meeting", "date")] = (
        [f'check: the first date in the text, "{date_text}"']
        if date
        else ["check: no date found in the text; this is the day of the import"]
    )
    data: dict[str, object] = {"meeting": info}
    comments[("meeting",)] = ["check: add time, location, organiser and classification"]
    participants = _participants(body)
    if participants:
        data["participants"] = [p for p, _ in participants]
        for index, (_, evidence) in enumerate(participants):
            comments[("participants", index)] = [f'check: read from "{evidence}"']
    if reading.summary:
        data["summary"] = "\n\n".join(reading.summary)
        comments[("summary",)] = ["check: the paragraphs before the first heading"]
    for key in ("key_points", "outcomes"):
        if reading.items[key]:
            data[key] = reading.items[key]
    if reading.initiatives:
        data["initiatives"] = reading.initiatives
        if reading.initiative_tables > 1:
            comments[("initiatives",)] = [
                f"check: rows of {reading.initiative_tables} tables, merged by initiative name"
            ]
    sections = []
    for section in reading.sections:
        entry: dict[str, object] = {"heading": section.heading}
        if section.lines:
            entry["body"] = "\n\n".join(section.lines)
        if section.table:
            entry["table"] = section.table
        if len(entry) > 1:
            sections.append(entry)
    if sections:
        data["sections"] = sections
    return data, comments


def _read_body(lines: list[str], reading: _Reading) -> None:
    section: _Section | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("|"):
            end = index
            while end < len(lines) and lines[end].startswith("|"):
                end += 1
            _read_table(lines[index:end], section, reading)
            index = end
            continue
        if _BULLET.match(line):
            end = index
            while end < len(lines) and _BULLET.match(lines[end]):
                end += 1
            _read_bullets(lines[index:end], section, reading)
            index = end
            continue
        if _is_heading(line):
            section = _Section(line)
            reading.sections.append(section)
        elif section is None:
            reading.summary.append(line)
        else:
            section.lines.append(line)
        index += 1


def _is_heading(line: str) -> bool:
    """A short line with no closing punctuation: body text ends its sentences, headings don't."""
    return not re.search(r"[.:;,!?\"\u201d)]$", line) and len(line.split()) <= 25


def _read_bullets(bullets: list[str], section: _Section | None, reading: _Reading) -> None:
    # The heading or the sentence introducing the list says what the bullets are.
    context = " ".join([section.heading, *section.lines[-1:]]) if section else ""
    target = None
    if re.search(r"\bkey (?:points|messages)\b", context, re.IGNORECASE):
        target = "key_points"
    elif re.search(r"\boutcomes?\b", context, re.IGNORECASE):
        target = "outcomes"
    items = [_BULLET.sub("", bullet) for bullet in bullets]
    if target is None:
        markdown = []
        for item in items:
            label, text = _split_label(item)
            markdown.append(f"- **{label}:** {text}" if label else f"- {item}")
        lines = section.lines if section else reading.summary
        lines.append("\n".join(markdown))
        return
    where = f'the list after "{_shorten(context)}"'
    if section is not None:
        reading.comments[("sections", reading.sections.index(section), "body")] = [
            f"check: the list that followed this text became {target}; edit the sentence "
            "that introduced it"
        ]
    start = len(reading.items[target])
    for item in items:
        label, text = _split_label(item)
        reading.items[target].append({"title": label, "text": text} if label else item)
    reading.comments.setdefault((target, start), []).append(f"check: {target} from {where}")


def _split_label(item: str) -> tuple[str | None, str]:
    label, colon, text = item.partition(": ")
    if colon and text and len(label.split()) <= 8:
        return label.strip(), text.strip()
    return None, item


def _read_table(rows: list[str], section: _Section | None, reading: _Reading) -> None:
    cells = [[cell.strip() for cell in row.strip().strip("|").split("|")] for row in rows]
    cells = [row for row in cells if not all(re.fullmatch(r":?-{2,}:?|", c) for c in row)]
    if not cells:
        return
    header, body = cells[0], cells[1:]
    names = [column.casefold() for column in header]
    if names[0] in {"initiative", "name"} and set(names[1:]) <= _INITIATIVE_FIELDS and body:
        _merge_initiatives(names, body, reading)
        return
    width = len(header)
    fitted = [(row + ["-"] * width)[:width] for row in body]
    if section is None:
        section = _Section("Tables")
        reading.sections.append(section)
        reading.comments[("sections", len(reading.sections) - 1)] = [
            "check: a table before the first heading; give it a heading"
        ]
    elif section.table is not None:  # one table per section: continue in a new one
        section = _Section(f"{section.heading} (continued)")
        reading.sections.append(section)
    section.table = {"columns": header, "rows": fitted}  # type: ignore[dict-item]
    if any(len(row) != width for row in body):
        reading.comments[("sections", len(reading.sections) - 1)] = [
            "check: some table rows had a different number of cells; filled with '-'"
        ]


def _merge_initiatives(names: list[str], body: list[list[str]], reading: _Reading) -> None:
    reading.initiative_tables += 1
    known = {item["name"].casefold(): item for item in reading.initiatives}
    for row in body:
        values = dict(zip(names, row, strict=False))
        name = values.pop(names[0], "").strip()
        if not name:
            continue
        item = known.get(name.casefold())
        if item is None:
            item = known[name.casefold()] = {"name": name}
            reading.initiatives.append(item)
        for key, value in values.items():
            if value and key not in item:
                item[key] = value


def _find_date(text: str) -> tuple[dt.date | None, str]:
    found: list[tuple[int, dt.date, str]] = []
    for pattern, (year, month, day) in _DATES:
        for match in pattern.finditer(text):
            month_text = match.group(month)
            month_number = (
                int(month_text) if month_text.isdigit() else _MONTHS.split().index(month_text) + 1
            )
            try:
                date = dt.date(int(match.group(year)), month_number, int(match.group(day)))
            except ValueError:
                continue
            found.append((match.start(), date, match.group()))
    if not found:
        return None, ""
    _, date, written = min(found)
    return date, written


def _participants(text: str) -> list[tuple[dict[str, str], str]]:
    """People named after their title, with the organisation before the title or after "of"."""
    found: dict[str, tuple[dict[str, str], str]] = {}
    for match in _ROLE.finditer(text):
        role = match.group()
        after = text[match.end() :]
        organisation = None
        of = re.match(r" of (?:the )?((?:[A-Z]\w*)(?: (?:and |of |the )*[A-Z]\w*)*)", after)
        if of:
            organisation = of.group(1)
            after = after[of.end() :]
        name_match = re.match(rf",? ({_NAME_WORD}(?: {_NAME_WORD}){{1,2}})", after)
        if not name_match:
            continue
        words = name_match.group(1).split()
        # A name is two or three capitalised words, ending before lower-case text.
        while words and not (words[-1][0].isupper() and not words[-1].isupper()):
            words.pop()
        if len(words) < 2 or words[0] in _NOT_NAMES or any(not w[0].isupper() for w in words):
            continue
        before = re.search(r"([A-Z][\w]*)\s+$", text[: match.start()])
        if organisation is None and before and before.group(1).isupper():
            organisation = before.group(1)  # "NATO Secretary General"
        name = " ".join(words)
        participant = {"name": name, "role": role}
        if organisation:
            participant["organisation"] = organisation
        start = before.start(1) if before and organisation == before.group(1) else match.start()
        name_end = len(text) - len(after) + name_match.start(1) + len(name)
        found.setdefault(name.casefold(), (participant, _shorten(text[start:name_end], 90)))
    return list(found.values())


def _shorten(text: str, width: int = 60) -> str:
    text = " ".join(text.split()).replace('"', "'")
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"
