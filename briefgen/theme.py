"""Themes: how each semantic role looks (fonts, sizes, colours, spacing) and the page set-up.

A theme is a YAML file validated like a meeting file. Writers receive a `Theme` and never look
at meetings; both writers read the same roles so a PDF and a DOCX of one theme look alike.
"""

from __future__ import annotations

from difflib import get_close_matches
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from briefgen.confine import confine
from briefgen.errors import FieldError, Location, ThemeError

# The roles of a document's own text (paragraph styles in both writers), then those of the
# chrome around it; the README lists them the way Pandoc lists its styles.
TEXT_ROLES = (
    "title",
    "subtitle",
    "field-label",
    "field-value",
    "heading-1",
    "heading-2",
    "heading-3",
    "body",
    "list-item",
    "table-header",
    "table-cell",
)
ROLES = (*TEXT_ROLES, "marking", "header", "footer", "timeline")

HexColour = str  # "#RRGGBB"
HEADER_LOGO_SHARE = 0.45  # of the top margin: the most a header logo may take


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RoleStyle(_Strict):
    size: float = Field(10.5, gt=3, le=72, description="Font size in points.")
    bold: bool = False
    italic: bool = False
    colour: HexColour | None = Field(
        None, description="Text colour; the theme's text colour if absent."
    )
    space_before: float = Field(0, ge=0, le=72, description="Space above, in points.")
    space_after: float = Field(4, ge=0, le=72, description="Space below, in points.")
    align: Literal["left", "center", "right", "justify"] = "left"
    leading: float = Field(1.25, ge=0.8, le=3, description="Line height as a multiple of size.")

    @field_validator("colour")
    @classmethod
    def _check_colour(cls, value: str | None) -> str | None:
        return None if value is None else check_colour(value)


PAGE_SIZES_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
POINTS_PER_MM = 72 / 25.4
# The title block's label column: as wide as its longest label plus this, at most the maximum.
FIELD_LABEL_PADDING, FIELD_LABEL_MAX = 12.0, 170.0  # points


class PageSetup(_Strict):
    size: Literal["A4", "Letter"] = "A4"
    margin_top: float = Field(25, ge=5, le=80, description="Millimetres.")
    margin_bottom: float = Field(22, ge=5, le=80)
    margin_left: float = Field(22, ge=5, le=80)
    margin_right: float = Field(22, ge=5, le=80)

    @property
    def size_mm(self) -> tuple[float, float]:
        """Width and height of a portrait page, in millimetres."""
        return PAGE_SIZES_MM[self.size]

    @property
    def size_points(self) -> tuple[float, float]:
        width, height = self.size_mm
        return width * POINTS_PER_MM, height * POINTS_PER_MM


def field_label_width(longest_label: float) -> float:
    """The title block's label column for a longest label this many points wide."""
    return min(longest_label + FIELD_LABEL_PADDING, FIELD_LABEL_MAX)


# The one font mapping both writers read: a family name and the files of its four faces. The
# PDF writer embeds the files, the DOCX writer names the family, so a theme that changes only
# `fonts.family` gets the new family in both formats.
FACES = ("regular", "bold", "italic", "bold_italic")
BUNDLED_FAMILIES: dict[str, tuple[str, str, str, str]] = {
    family: tuple(
        f"{family.replace(' ', '')}-{face}.ttf"  # type: ignore[misc]
        for face in ("Regular", "Bold", "Italic", "BoldItalic")
    )
    for family in ("Liberation Sans", "Liberation Serif")
}


class FontSet(_Strict):
    family: str = Field(
        "Liberation Sans",
        description="Font family of the text in both formats. A bundled family (Liberation Sans, "
        "Liberation Serif) needs no files; any other needs at least its regular .ttf file "
        "(faces not given use it).",
    )
    docx_name: str | None = Field(
        None,
        description="Font name written into the DOCX (e.g. Arial, metric-compatible with "
        "Liberation Sans); the family name if absent.",
    )
    regular: str | None = Field(
        None, description="A .ttf file; the family's bundled one if absent."
    )
    bold: str | None = None
    italic: str | None = None
    bold_italic: str | None = None

    @model_validator(mode="after")
    def _faces_known(self) -> FontSet:
        if self.regular is None and bundled_family(self.family) is None:
            raise ValueError(
                f"font family {self.family!r} is not bundled, so fonts.regular must name its "
                f".ttf file (bundled families: {', '.join(BUNDLED_FAMILIES)})"
            )
        return self

    def file(self, face: Literal["regular", "bold", "italic", "bold_italic"]) -> str:
        """The file of one face: the theme's own, else the bundled family's, else (a family
        with one file, as many non-Latin fonts are) the regular file: never another family's."""
        name: str | None = getattr(self, face)
        if name is not None:
            return name
        files = bundled_family(self.family)
        if files is None:
            assert self.regular is not None  # _faces_known
            return self.regular
        return files[FACES.index(face)]


def bundled_family(family: str) -> tuple[str, str, str, str] | None:
    folded = " ".join(family.split()).casefold()
    for name, files in BUNDLED_FAMILIES.items():
        if name.casefold() == folded:
            return files
    return None


class Colours(_Strict):
    text: HexColour = "#1A1A1A"
    heading: HexColour = "#1F3864"
    rule: HexColour = "#8EA9DB"
    table_header_background: HexColour = "#1F3864"
    table_header_text: HexColour = "#FFFFFF"
    table_stripe: HexColour | None = "#EEF2F8"
    table_border: HexColour = "#B4C2DC"
    link: HexColour = "#1F4E9A"
    marking: HexColour = Field("#C00000", description="Marking colour for levels not in markings.")
    # Checked per entry, so an error points at the level's own line.
    markings: dict[str, Annotated[str, AfterValidator(lambda v: check_colour(v))]] = Field(
        default_factory=dict,
        description="Marking colour per level, e.g. {RESTRICTED: '#B45F06'}; any case.",
    )

    @field_validator("*")
    @classmethod
    def _check(cls, value: str | dict[str, str] | None) -> str | dict[str, str] | None:
        return value if value is None or isinstance(value, dict) else check_colour(value)


class Logo(_Strict):
    file: str = Field(description="PNG or JPEG image, relative to the theme's folder.")
    alt: str = Field(min_length=1, description="Alternative text, read out by screen readers.")
    placement: Literal["header-left", "header-right", "title"] = "header-right"
    width_mm: float = Field(
        30,
        gt=0,
        le=200,
        description="Width; a logo taller than the top margin allows is scaled down in the header.",
    )

    @field_validator("alt")
    @classmethod
    def _alt_has_words(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("alt must describe the logo, e.g. 'Ministry of Defence logo'")
        return value.strip()


class Theme(_Strict):
    name: str = "default"
    description: str = ""
    page: PageSetup = PageSetup()
    fonts: FontSet = FontSet()
    colours: Colours = Colours()
    roles: dict[str, RoleStyle] = Field(default_factory=dict)
    footer_text: str = Field("", description="Text at the bottom left of every page.")
    header_text: str = Field(
        "", description="Text at the top left of every page, e.g. the organisation's name."
    )
    logo: Logo | None = None
    table_style: Literal["grid", "striped", "minimal"] = Field(
        "grid",
        description="grid: every cell ruled; striped: shaded alternate rows, no "
        "vertical rules; minimal: rules above and below the header and under the table only.",
    )
    reference_docx: str | None = Field(
        None,
        description="A Word file whose styles, fonts and page set-up the DOCX starts from "
        "(like Pandoc's reference document); the theme's explicit settings override them.",
    )
    # Folder the theme was loaded from; relative font and file paths resolve against it.
    base_dir: str = Field("", exclude=True)
    # The theme file (for messages) and the folders its files may come from (set by the loader).
    path: str = Field("", exclude=True)
    roots: tuple[str, ...] = Field((), exclude=True)

    @field_validator("roles")
    @classmethod
    def _known_roles(cls, value: dict[str, RoleStyle]) -> dict[str, RoleStyle]:
        unknown = [name for name in value if name not in ROLES]
        if unknown:
            close = get_close_matches(unknown[0], ROLES, n=1)
            raise FieldError(
                f"unknown role {unknown[0]!r}",
                at=(unknown[0],),
                hint=(f"did you mean `{close[0]}`? " if close else "")
                + f"roles: {', '.join(ROLES)}",
            )
        return value

    def role(self, name: str) -> RoleStyle:
        """The style of a role: the theme's own, else the built-in default."""
        if name in self.roles:
            return self.roles[name]
        return DEFAULT_ROLES[name]

    def tightened(self, share: float) -> Theme:
        """The theme with every role's space above and below cut to `share` of itself (a runt
        last page pulled back, as Word's Shrink One Page does, but without smaller text)."""
        roles = {
            name: role.model_copy(
                update={
                    "space_before": role.space_before * share,
                    "space_after": role.space_after * share,
                }
            )
            for name, role in ((name, self.role(name)) for name in DEFAULT_ROLES)
        }
        return self.model_copy(update={"roles": roles})

    def font_path(self, which: Literal["regular", "bold", "italic", "bold_italic"]) -> Path:
        """Where a font file is: relative to the theme's folder, else among the bundled fonts."""
        name = self.fonts.file(which)
        if self.base_dir:
            candidate = Path(self.base_dir) / name
            if candidate.is_file():
                return self.file_path(name)
        from briefgen.fonts import bundled_font

        return bundled_font(name)

    def file_path(self, name: str) -> Path:
        """A file the theme names, resolved against its folder and confined to `roots`.

        Symlinks are followed before the check, so a link pointing outside is refused too. A
        theme built in code (no base_dir) is trusted and resolves against the working folder.
        """
        path = Path(self.base_dir) / name
        if not self.base_dir:
            return path.resolve()
        return confine(
            path,
            self.roots or (self.base_dir,),
            what=f"{name!r}",
            error=ThemeError,
            allowed="the template folders and the input's folder",
            location=Location(self.path) if self.path else None,
        )

    def marking_colour(self, level: str) -> str:
        """The colour of a marking: the level's own, else the marking role's or colour."""
        return self.level_colour(level) or self.role("marking").colour or self.colours.marking

    def level_colour(self, level: str) -> str | None:
        """The level's own entry in colours.markings (any case), if it has one."""
        folded = level.strip().casefold()
        for name, colour in self.colours.markings.items():
            if name.strip().casefold() == folded:
                return colour
        return None

    def logo_size(self, pixels: tuple[int, int], header: bool) -> tuple[float, float]:
        """Width and height of the logo in mm: width_mm wide, and in the header no taller than
        HEADER_LOGO_SHARE of the top margin, so it stays clear of the text in both formats."""
        assert self.logo is not None
        width = self.logo.width_mm
        height = width * pixels[1] / max(pixels[0], 1)
        limit = self.page.margin_top * HEADER_LOGO_SHARE
        if header and height > limit:
            width, height = width * limit / height, limit
        return width, height

    def role_colour(self, role: str) -> str:
        """A role's colour: its own when the theme sets one, else the theme colour it takes by
        default (headings and the title the heading colour, the marking its colour, …)."""
        own = self.role(role).colour
        if own:
            return own
        c = self.colours
        defaults = {
            "title": c.heading,
            "heading-1": c.heading,
            "heading-2": c.heading,
            "heading-3": c.heading,
            "table-header": self.table_header_colour,
            "marking": c.marking,
        }
        return defaults.get(role, c.text)

    @property
    def table_header_colour(self) -> str:
        # A minimal table has no header fill: white header text would vanish on white paper.
        explicit = "table_header_text" in self.colours.model_fields_set
        if self.table_style == "minimal" and not explicit:
            return self.colours.heading
        return self.colours.table_header_text

    @property
    def docx_font_name(self) -> str:
        return self.fonts.docx_name or self.fonts.family


def check_colour(value: str) -> str:
    text = value.strip()
    if len(text) == 7 and text[0] == "#" and all(c in "0123456789abcdefABCDEF" for c in text[1:]):
        return text.upper()
    raise ValueError(f"colour {value!r} is not of the form #RRGGBB")


DEFAULT_ROLES: dict[str, RoleStyle] = {
    "title": RoleStyle(size=20, bold=True, space_after=4, leading=1.15),
    "subtitle": RoleStyle(size=12, italic=True, space_after=10),
    "field-label": RoleStyle(size=9.5, bold=True, space_after=1),
    "field-value": RoleStyle(size=9.5, space_after=1),
    "heading-1": RoleStyle(size=14, bold=True, space_before=14, space_after=5),
    "heading-2": RoleStyle(size=12, bold=True, space_before=10, space_after=4),
    "heading-3": RoleStyle(size=10.5, bold=True, italic=True, space_before=8, space_after=3),
    "body": RoleStyle(size=10.5, space_after=6),
    "list-item": RoleStyle(size=10.5, space_after=3),
    "table-header": RoleStyle(size=9.5, bold=True, space_after=0),
    "table-cell": RoleStyle(size=9.5, space_after=0),
    "marking": RoleStyle(size=10, bold=True, align="center", space_after=0),
    "header": RoleStyle(size=8.5, space_after=0),
    "footer": RoleStyle(size=8.5, space_after=0),
    "timeline": RoleStyle(size=8, space_after=0),  # names, axis and labels of a timeline
}


def default_theme() -> Theme:
    return Theme()
