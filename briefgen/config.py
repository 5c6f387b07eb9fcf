"""The project configuration, `briefgen.yaml`, found next to the inputs the way git finds `.git`.

It holds what an organisation customises once for all its meetings: marking levels, template
folders searched before the built-ins, and audience definitions (new ones, or changes to the
built-in ones).
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import get_close_matches
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from briefgen.budget import REDUCTIONS
from briefgen.confine import confine
from briefgen.errors import BriefgenError, Diagnostic, FieldError, Location, ValidationError
from briefgen.loader import SourceMap, load_yaml_file
from briefgen.model import DEFAULT_LEVELS, PlainText
from briefgen.resources import template_folders, theme_names
from briefgen.validation import validate

CONFIG_NAME = "briefgen.yaml"
Reduction = Literal["initiatives", "milestones", "background", "participants"]  # REDUCTIONS


class AudienceSettings(BaseModel):
    """An audience as written in briefgen.yaml; absent fields keep the built-in's values."""

    # Built at first use: without a briefgen.yaml nothing is validated against it.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

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
        None, description="PDF standards: ua-1 (always), plus a-2a, a-3a, a-2b or a-3b."
    )

    pages: int | None = Field(
        None, ge=1, description="Page budget: at most this many pages, reducing as needed."
    )
    reductions: list[Reduction] | None = Field(
        None,
        description="What may give way, in this order, to fit `pages`: "
        + "; ".join(f"{name}: {effect}" for name, effect in REDUCTIONS.items())
        + ".",
    )

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
        extra="forbid",
        frozen=True,
        title="briefgen project configuration (briefgen.yaml)",
        defer_build=True,  # see AudienceSettings
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
        None,
        description="PDF standards for every audience that sets none: ua-1 (always), "
        "plus a-2a, a-3a, a-2b or a-3b for archival PDFs.",
    )
    people: str | None = Field(
        None,
        description="People directory for `{ref: id}` participants: a folder of YAML "
        "files or one file, relative to this file.",
    )
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

    @field_validator("audiences")
    @classmethod
    def _clearances_are_levels(
        cls, value: dict[str, AudienceSettings], info: ValidationInfo
    ) -> dict[str, AudienceSettings]:
        levels: list[str] = info.data.get("levels") or []
        folded = {level.casefold() for level in levels}
        for name, audience in value.items():
            if levels and audience.clearance and audience.clearance.casefold() not in folded:
                close = get_close_matches(audience.clearance.upper(), levels, n=1)
                raise FieldError(
                    f"clearance {audience.clearance!r} is not a level",
                    at=(name, "clearance"),
                    hint=(f"did you mean {close[0]}? " if close else "")
                    + f"levels, lowest first: {', '.join(levels)}",
                )
        return value

    def people_path(self) -> Path | None:
        return Path(self.base_dir) / self.people if self.people else None

    def roots(self) -> tuple[Path, ...]:
        """Where the folders this file names may be: inside the project, its own folder."""
        return (Path(self.base_dir),) if self.base_dir else ()

    def location(self) -> Location | None:
        return Location(str(Path(self.base_dir) / CONFIG_NAME)) if self.base_dir else None

    def template_dirs(self) -> list[Path]:
        if not self.base_dir:
            return [Path(folder) for folder in self.templates]
        return [
            confine(
                Path(self.base_dir) / folder,
                self.roots(),
                what=f"template folder {folder!r}",
                allowed="the project's folder (where briefgen.yaml is)",
                error=ValidationError,
                location=self.location(),
            )
            for folder in self.templates
        ]

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


def load_config(path: Path | None, extra_template_dirs: Sequence[Path] = ()) -> ProjectConfig:
    """Read and check a briefgen.yaml: every problem at its line, all at once.

    `extra_template_dirs` (from `--templates`) are searched too when checking that the
    templates and themes the audiences name exist.
    """
    if path is None:
        # The defaults need no validating (pydantic validates no defaults): constructing them
        # skips building the models' validators, which a project without briefgen.yaml
        # never uses.
        return ProjectConfig.model_construct()
    loaded = load_yaml_file(path, str(path))
    config = validate(ProjectConfig, loaded)
    config = config.model_copy(update={"base_dir": str(path.parent.resolve())})
    problems = _check_files(config, loaded.source, extra_template_dirs)
    if problems:
        raise ValidationError(problems[0].message, diagnostics=problems)
    return config


def _check_files(
    config: ProjectConfig, source: SourceMap, extra: Sequence[Path]
) -> list[Diagnostic]:
    """The folders, templates and themes the configuration names exist (with suggestions)."""
    problems: list[Diagnostic] = []
    for index, folder in enumerate(config.templates):
        if not (Path(config.base_dir) / folder).is_dir():
            problems.append(
                Diagnostic(
                    f"templates[{index}]: folder {folder!r} not found",
                    source.location(("templates", index)),
                    f"template folders are relative to {config.base_dir}",
                )
            )
    people = config.people_path()
    if people is not None and not people.exists():
        problems.append(
            Diagnostic(
                f"people: {config.people!r} not found",
                source.location(("people",)),
                f"give a folder of YAML files or one file, relative to {config.base_dir}",
            )
        )
    folders = template_folders([*extra, *(f for f in config.template_dirs() if f.is_dir())])
    templates = sorted({p.name for folder in folders for p in folder.glob("*.j2")})
    themes = theme_names(folders)
    for name, audience in config.audiences.items():
        template = audience.template
        if template is not None and not any((f / template).is_file() for f in folders):
            problems.append(
                _unknown(
                    "template",
                    template,
                    templates,
                    source.location(("audiences", name, "template")),
                )
            )
        if audience.theme is not None and audience.theme not in themes:
            problems.append(
                _unknown(
                    "theme", audience.theme, themes, source.location(("audiences", name, "theme"))
                )
            )
    return problems


def _unknown(kind: str, name: str, known: list[str], location: Location) -> Diagnostic:
    close = get_close_matches(name, known, n=1)
    hint = (f"did you mean `{close[0]}`? " if close else "") + f"{kind}s: {', '.join(known)}"
    return Diagnostic(f"unknown {kind} {name!r}", location, hint)
