"""The project configuration, `briefgen.yaml`, found next to the inputs the way git finds `.git`.

It holds what an organisation customises once for all its meetings: marking levels, template
folders searched before the built-ins, and audience definitions (new ones, or changes to the
built-in ones).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from briefgen.budget import REDUCTIONS
from briefgen.errors import BriefgenError
from briefgen.loader import load_yaml_file
from briefgen.model import DEFAULT_LEVELS, PlainText
from briefgen.validation import validate

CONFIG_NAME = "briefgen.yaml"
Reduction = Literal["initiatives", "milestones", "background", "participants"]  # REDUCTIONS


class AudienceSettings(BaseModel):
    """An audience as written in briefgen.yaml; absent fields keep the built-in's values."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: PlainText | None = None
    template: str | None = Field(None, description="Template file, e.g. principal.md.j2.")
    theme: str | None = Field(None, description="Theme name (themes/NAME.yaml).")
    clearance: str | None = Field(
        None, description="Highest marking this audience may see; absent means every level."
    )
    portion_marks: bool | None = Field(None, description="Prefix items with (R), (C)…")
    label: PlainText | None = Field(None, description="Subtitle printed on the brief.")
    pdfa: bool | None = Field(None, description="Write this audience's PDFs as PDF/A.")
    pdf_standard: str | None = Field(
        None, description="PDF standards: ua-1 (always), plus a-2a, a-3a, a-2b or a-3b.")

    pages: int | None = Field(
        None, ge=1, description="Page budget: at most this many pages, reducing as needed.")
    reductions: list[Reduction] | None = Field(
        None, description="What may give way, in this order, to fit `pages`: "
        + "; ".join(f"{name}: {effect}" for name, effect in REDUCTIONS.items()) + ".")

    @field_validator("pdf_standard")
    @classmethod
    def _known_standard(cls, value: str | None) -> str | None:
        return _check_standard(value)

    @field_validator("reductions")
    @classmethod
    def _distinct_reductions(cls, value: list[str] | None) -> list[str] | None:
        if value is not None and len(set(value)) != len(value):
            raise ValueError("each reduction may be listed once")
        return value


class ProjectConfig(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, title="briefgen project configuration (briefgen.yaml)"
    )

    levels: list[str] = Field(
        default_factory=lambda: list(DEFAULT_LEVELS),
        min_length=1,
        description="Marking levels, lowest first, e.g. [NATO UNCLASSIFIED, NATO RESTRICTED].",
    )
    abbreviations: dict[str, str] = Field(
        default_factory=dict,
        description="Portion-mark abbreviation per level; default is the level's initials.",
    )
    templates: list[str] = Field(
        default_factory=list,
        description="Template folders searched before the built-ins, relative to this file.",
    )
    audiences: dict[str, AudienceSettings] = Field(default_factory=dict)
    pdf_standard: str | None = Field(
        None, description="PDF standards for every audience that sets none: ua-1 (always), "
        "plus a-2a, a-3a, a-2b or a-3b for archival PDFs.")
    people: str | None = Field(
        None, description="People directory for `{ref: id}` participants: a folder of YAML "
        "files or one file, relative to this file.")
    # Folder of the briefgen.yaml this came from ('' for the built-in defaults).
    base_dir: str = Field("", exclude=True)

    @field_validator("levels")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        folded = [v.casefold() for v in value]
        if len(set(folded)) != len(folded):
            raise ValueError("levels must be distinct")
        return value

    @field_validator("pdf_standard")
    @classmethod
    def _known_standard(cls, value: str | None) -> str | None:
        return _check_standard(value)

    @model_validator(mode="after")
    def _clearances_are_levels(self) -> ProjectConfig:
        folded = {level.casefold() for level in self.levels}
        for name, audience in self.audiences.items():
            if audience.clearance and audience.clearance.casefold() not in folded:
                raise ValueError(
                    f"audience {name!r}: clearance {audience.clearance!r} is not a level; "
                    f"levels: {', '.join(self.levels)}"
                )
        return self

    def people_path(self) -> Path | None:
        return Path(self.base_dir) / self.people if self.people else None

    def template_dirs(self) -> list[Path]:
        return [Path(self.base_dir) / folder for folder in self.templates]

    def abbreviation(self, level: str) -> str:
        if level in self.abbreviations:
            return self.abbreviations[level]
        words = [w for w in level.replace("-", " ").split() if w]
        return "".join(w[0] for w in words).upper()


def _check_standard(value: str | None) -> str | None:
    from briefgen.standards import parse_standard

    if value is not None:
        try:
            parse_standard(value)
        except BriefgenError as exc:
            raise ValueError(f"{exc.message} ({exc.hint})") from None
    return value


def find_config(start: Path) -> Path | None:
    """The nearest briefgen.yaml in `start` (a folder or a file's folder) or any parent."""
    folder = start if start.is_dir() else start.parent
    for candidate in (folder.resolve(), *folder.resolve().parents):
        path = candidate / CONFIG_NAME
        if path.is_file():
            return path
    return None


def load_config(path: Path | None) -> ProjectConfig:
    if path is None:
        return ProjectConfig()
    config = validate(ProjectConfig, load_yaml_file(path, str(path)))
    return config.model_copy(update={"base_dir": str(path.parent.resolve())})
