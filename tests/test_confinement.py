"""Every file read on behalf of a template folder, theme or config stays inside its roots.

Links are followed before the check, so a symbolic link to /etc/passwd is refused like `../`,
and each refusal is a `file:line: error` naming what refused it.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.config import load_config
from briefgen.errors import TemplateError, ThemeError, ValidationError
from briefgen.people import load_people
from briefgen.pipeline import BuildOptions, Project, build
from briefgen.resources import load_labels, load_theme, template_folders
from briefgen.templating import TemplateSet
from tests.conftest import MINIMAL

SECRET = "root:x:0:0:SECRET-LINE"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "elsewhere" / "passwd"
    path.parent.mkdir()
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


@pytest.fixture
def tpl(tmp_path: Path) -> Path:
    """A template folder beside, not above, the secret."""
    folder = tmp_path / "tpl"
    folder.mkdir()
    return folder


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    (folder / "tpl").mkdir(parents=True)
    (folder / "m.yaml").write_text(MINIMAL, encoding="utf-8")
    return folder


def test_a_template_that_links_outside_its_folder_fails_the_build(
    project: Path, secret: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "tpl" / "staff.md.j2").symlink_to(secret)
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["build", "m.yaml", "--templates", "tpl"])
    assert result.exit_code == 1
    assert SECRET not in result.output
    assert f"{project / 'tpl' / 'staff.md.j2'}: error: template 'staff.md.j2'" in result.output
    assert f"is a link to {secret}, outside its template folder" in result.output
    assert not (project / "out").exists()


def test_a_link_inside_the_folder_is_read(tmp_path: Path) -> None:
    (tmp_path / "real.md.j2").write_text("inside\n", encoding="utf-8")
    (tmp_path / "t.md.j2").symlink_to(tmp_path / "real.md.j2")
    assert TemplateSet([tmp_path]).render("t.md.j2", {}) == "inside\n"


@pytest.mark.parametrize(
    "statement, line",
    [
        ('{% include "../../../etc/passwd" %}', 3),
        ('{% import "/etc/passwd" as x %}', 3),
        ('{% extends "../passwd" %}', 3),
        ('{% include "linked.md.j2" %}', 3),
    ],
)
def test_includes_imports_and_extends_are_refused_at_their_line(
    tpl: Path, secret: Path, statement: str, line: int
) -> None:
    (tpl / "linked.md.j2").symlink_to(secret)
    (tpl / "t.md.j2").write_text(f"one\ntwo\n{statement}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        TemplateSet([tpl]).render("t.md.j2", {})
    assert caught.value.location is not None
    assert caught.value.location.file.endswith("t.md.j2")
    assert caught.value.location.line == line
    assert SECRET not in str(caught.value)


def test_template_listing_leaves_out_links_to_outside(tpl: Path, secret: Path) -> None:
    (tpl / "ok.md.j2").write_text("x", encoding="utf-8")
    (tpl / "bad.md.j2").symlink_to(secret)
    assert TemplateSet([tpl]).names() == ["ok.md.j2"]


def test_a_theme_file_that_links_outside_is_refused(tpl: Path, secret: Path) -> None:
    (tpl / "themes").mkdir()
    (tpl / "themes" / "evil.yaml").symlink_to(secret)
    with pytest.raises(ThemeError) as caught:
        load_theme("evil", template_folders([tpl]))
    assert "theme 'evil' is outside its template folder" in caught.value.message


def test_a_theme_name_cannot_climb_out(tpl: Path, secret: Path) -> None:
    (tpl / "themes").mkdir()
    secret.rename(secret.with_suffix(".yaml"))
    with pytest.raises(ThemeError) as caught:
        load_theme("../../elsewhere/passwd", template_folders([tpl]))
    assert "outside its template folder" in caught.value.message


def test_labels_that_link_outside_are_refused(tpl: Path, secret: Path) -> None:
    (tpl / "labels").mkdir()
    (tpl / "labels" / "en.yaml").symlink_to(secret)
    with pytest.raises(ThemeError) as caught:
        load_labels("en", template_folders([tpl]))
    assert "labels en.yaml is outside its template folder" in caught.value.message


def test_a_people_file_that_links_outside_is_refused(tpl: Path, secret: Path) -> None:
    people = tpl / "people"
    people.mkdir()
    (people / "jane.yaml").symlink_to(secret)
    with pytest.raises(ValidationError) as caught:
        load_people(people)
    assert f"people file {people / 'jane.yaml'} is outside its people directory" in str(
        caught.value
    )


def test_config_folders_stay_inside_the_project(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "shared").mkdir()
    config_file = project / "briefgen.yaml"
    config_file.write_text("templates: [../shared]\n", encoding="utf-8")
    # Refused when the configuration is read (its folders are checked then), naming the file.
    with pytest.raises(ValidationError) as caught:
        load_config(config_file)
    assert caught.value.location is not None
    assert caught.value.location.file == str(config_file)
    assert "template folder '../shared' is outside the project's folder" in caught.value.message
    config_file.write_text("people: ../shared\n", encoding="utf-8")
    config = load_config(config_file)
    with pytest.raises(ValidationError) as caught:
        _ = Project(config).people
    assert "people directory" in caught.value.message
    assert "is outside the project's folder" in caught.value.message


def test_a_linked_theme_logo_is_refused_at_its_yaml_line(tpl: Path, secret: Path) -> None:
    (tpl / "themes").mkdir()
    (tpl / "themes" / "logo.png").symlink_to(secret)
    (tpl / "themes" / "t.yaml").write_text(
        textwrap.dedent("""\
            description: x
            logo: {file: logo.png, alt: Crest}
        """),
        encoding="utf-8",
    )
    with pytest.raises(ThemeError) as caught:
        load_theme("t", template_folders([tpl]))
    assert caught.value.location is not None and caught.value.location.line == 2
    assert "'logo.png' is outside the template folders and the input's folder" in (
        caught.value.message
    )


def test_nothing_is_written_when_a_template_is_refused(project: Path, secret: Path) -> None:
    (project / "tpl" / "staff.md.j2").write_text('{% include "x.md.j2" %}\n', encoding="utf-8")
    (project / "tpl" / "x.md.j2").symlink_to(secret)
    options = BuildOptions(out_dir=project / "out", template_dirs=(project / "tpl",))
    with pytest.raises(TemplateError) as caught:
        build(project / "m.yaml", options)
    assert caught.value.location is not None and caught.value.location.line == 1
    assert not (project / "out").exists()
