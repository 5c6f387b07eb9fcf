"""What a cold command loads, and the shortcuts that keep it cheap without changing results.

Each probe runs in a fresh interpreter: which modules a command imports is the cold start's
main cost (see BENCHMARKS.md), and a stray top-level import anywhere would bring them back.
"""

from __future__ import annotations

from pathlib import Path

from briefgen.fonts import __file__ as fonts_init
from briefgen.glyphs import shows_all
from tests.conftest import EXAMPLE, fresh_python

REGULAR = Path(fonts_init).parent / "LiberationSans-Regular.ttf"


def imported_after(args: list[str], cwd: Path) -> set[str]:
    """The top-level packages in sys.modules after `briefgen ARGS` in a fresh process."""
    probe = (
        "import sys\n"
        "from briefgen.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit as stop:\n"
        "    assert stop.code in (0, None), stop.code\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})), file=sys.stderr)\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('briefgen.')\n"
        "    or m.startswith('concurrent.futures') or m == 'multiprocessing')), file=sys.stderr)\n"
    )
    result = fresh_python(probe, cwd)
    assert result.returncode == 0, result.stderr
    packages, modules = result.stderr.strip().splitlines()[-2:]
    return set(packages.split()) | set(modules.split())


def test_validate_loads_no_template_reader_or_writer(tmp_path: Path) -> None:
    loaded = imported_after(["validate", str(EXAMPLE)], tmp_path)
    assert "pydantic" in loaded and "yaml" in loaded  # it did validate
    # Babel is loaded: `language:` is checked against its locale list (issue 16, item 13).
    for heavy in (
        "jinja2",
        "markdown_it",
        "reportlab",
        "docx",
        "PIL",
        "briefgen.writers.pdf",
        "briefgen.writers.docx",
        "briefgen.templating",
        "briefgen.reader",
        "briefgen.lint",
        # briefgen.checking, not the pipeline: no document model, no theme models
        "briefgen.pipeline",
        "briefgen.document",
        "briefgen.theme",
        "briefgen.writers",
    ):
        assert heavy not in loaded, heavy


def test_one_input_is_built_without_a_pool_or_the_lint_modules(tmp_path: Path) -> None:
    loaded = imported_after(["build", str(EXAMPLE), "-o", str(tmp_path / "out")], tmp_path)
    assert {"reportlab", "docx", "jinja2", "markdown_it"} <= loaded  # it did build
    assert (tmp_path / "out" / "2024-12-18_nato-sg-bih-presidency.staff.pdf").is_file()
    for unneeded in (
        "multiprocessing",
        "concurrent.futures.process",
        "briefgen.lint",
        "briefgen.schema",
        "distributed",
        # xml.sax.saxutils loads urllib.request and with it HTTP and TLS (~20 ms): html.escape
        "ssl",
        "http",
    ):
        assert unneeded not in loaded, unneeded


def test_shows_all_only_when_no_value_could_warn() -> None:
    assert shows_all("plain ascii", REGULAR)
    assert shows_all("Željko Komšić, Ελλάδα, Москва, co\u00adoperation, a\u200db", REGULAR)
    assert not shows_all("مرحبا", REGULAR)  # Arabic: no glyphs in Liberation Sans
    assert not shows_all("שלום", REGULAR)  # Hebrew has glyphs but runs right to left
    assert not shows_all("ok 😀", REGULAR)


def test_a_right_to_left_comment_still_gets_the_full_check_and_no_warning(
    tmp_path: Path,
) -> None:
    from briefgen.pipeline import BuildOptions, build

    path = tmp_path / "m.yaml"
    path.write_text("# שלום\nmeeting:\n  title: Komšić\n  date: 2025-03-12\n", encoding="utf-8")
    assert build(path, BuildOptions(out_dir=tmp_path / "out")).warnings == []  # type: ignore[attr-defined]


def test_without_briefgen_yaml_the_config_models_are_not_built(tmp_path: Path) -> None:
    probe = (
        "from briefgen.config import ProjectConfig, AudienceSettings, load_config\n"
        "config = load_config(None)\n"
        "print(ProjectConfig.__pydantic_complete__, AudienceSettings.__pydantic_complete__)\n"
        "assert config == ProjectConfig.model_validate({}), config  # the same defaults\n"
        "print(ProjectConfig.__pydantic_complete__)\n"
    )
    result = fresh_python(probe, tmp_path)
    assert result.returncode == 0, result.stderr
    # Not built for the defaults; built when a briefgen.yaml is validated.
    assert result.stdout.split() == ["False", "False", "True"]


def test_the_build_server_client_imports_almost_nothing(tmp_path: Path) -> None:
    # Every `briefgen` command imports it first, server or not (briefgen.launcher).
    probe = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import briefgen.buildserver.client\n"
        "print(' '.join(sorted(set(sys.modules) - before)))\n"
    )
    result = fresh_python(probe, tmp_path)
    assert result.returncode == 0, result.stderr
    added = set(result.stdout.split())
    briefgen_modules = {m for m in added if m.startswith("briefgen")}
    assert briefgen_modules == {
        "briefgen",
        "briefgen.buildserver",
        "briefgen.buildserver.address",
        "briefgen.buildserver.client",
        "briefgen.buildserver.wire",
    }
    # C modules, struct, and __future__ (the `from __future__ import annotations` of briefgen's
    # modules: already loaded in an editable checkout, whose import finder uses it).
    allowed = {"__future__", "_signal", "_socket", "_struct", "struct", "zlib"}
    assert added - briefgen_modules <= allowed


def test_a_command_not_on_a_terminal_never_loads_the_servers_control(tmp_path: Path) -> None:
    # The launcher starts a server only from an interactive terminal; anywhere else (a script,
    # CI, this pipe) the module that would start one is not even imported.
    probe = (
        "import sys\n"
        "sys.argv = ['briefgen', '--version']\n"
        "from briefgen.launcher import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('control' if 'briefgen.buildserver.control' in sys.modules else 'none')\n"
    )
    result = fresh_python(probe, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "none"


def test_the_command_raises_the_collectors_first_threshold(tmp_path: Path) -> None:
    # Its own process only: a command's million short-lived objects; a host importing
    # briefgen keeps its collector as it set it.
    probe = (
        "import gc, sys\n"
        "import briefgen, briefgen.pipeline\n"
        "before = gc.get_threshold()\n"
        "sys.argv = ['briefgen', '--version']\n"
        "from briefgen.launcher import GC_THRESHOLDS, main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(before == (700, 10, 10), gc.get_threshold() == GC_THRESHOLDS)\n"
    )
    result = fresh_python(probe, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["True", "True"]


def test_the_article_check_never_loads_typeguard_and_leaves_it_importable(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from briefgen.lint.words import indefinite_article\n"
        "print(*(indefinite_article(w) for w in ('hour', 'university', 'MP', 'apple')))\n"
        "print('typeguard' in sys.modules)\n"
        "import typeguard\n"  # the real one: the stand-in inflect imported is gone
        "print(hasattr(typeguard, 'TypeCheckError'))\n"
    )
    result = fresh_python(probe, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["an a an an", "False", "True"]


def test_a_loaded_typeguard_gets_its_decorator_back(tmp_path: Path) -> None:
    probe = (
        "import typeguard\n"
        "decorator = typeguard.typechecked\n"
        "from briefgen.lint.words import indefinite_article\n"
        "print(indefinite_article('hour'), typeguard.typechecked is decorator)\n"
    )
    result = fresh_python(probe, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["an", "True"]


def test_an_inflect_needing_more_of_typeguard_gets_the_real_one(tmp_path: Path) -> None:
    # A later inflect might import more than the decorator: the stand-in cannot serve it, so
    # inflect is imported again with the real typeguard (its decorator still the no-op).
    fake = tmp_path / "site" / "inflect"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(
        "from typeguard import TypeCheckError, typechecked\n"
        "DECORATOR = typechecked\n"
        "class engine:\n"
        "    @typechecked\n"
        "    def a(self, word):\n"
        "        return 'an ' + word\n",
        encoding="utf-8",
    )
    probe = (
        "import sys\n"
        f"sys.path.insert(0, {str(fake.parent)!r})\n"
        "from briefgen.lint.words import indefinite_article\n"
        "print(indefinite_article('hour'))\n"
        "import typeguard, inflect\n"
        "print(hasattr(typeguard, 'TypeCheckError'), inflect.DECORATOR.__module__)\n"
        "from typeguard import _decorators\n"
        "print(typeguard.typechecked is _decorators.typechecked)\n"
    )
    result = fresh_python(probe, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["an", "True briefgen.lint.words", "True"]
