"""The installed package works on its own: `pip install .` (not editable), run from elsewhere.

The checkout is copied to a temporary folder (pip builds in place and would leave build/ and
*.egg-info behind), installed with `pip install --no-deps --no-build-isolation --target`, and
run with only that folder on PYTHONPATH from yet another folder, so templates, themes, labels
and fonts can only come from the installed copy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, REPO, Briefs, builtin_audiences

# What the package needs besides Python files: everything under briefgen/ and templates/.
RESOURCE_ROOTS = {"briefgen": "briefgen", "templates": "briefgen/templates"}
LEFT_OUT = shutil.ignore_patterns(
    ".git",
    ".venv",
    "__pycache__",
    "*.egg-info",
    "build",
    "dist",
    "out",
    ".*_cache",
    ".hypothesis",
    ".benchmarks",
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the package was installed into (what site-packages would be)."""
    root = tmp_path_factory.mktemp("packaging")
    source, target = root / "source", root / "site"
    shutil.copytree(REPO, source, ignore=LEFT_OUT)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(target),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=root,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return target


def run_installed(installed: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(installed)}
    env.pop("SOURCE_DATE_EPOCH", None)
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_installed_copy_is_used_with_its_own_resources(installed: Path, tmp_path: Path) -> None:
    probe = (
        "import json, briefgen\n"
        "from briefgen.resources import builtin_templates_dir\n"
        "from briefgen.fonts import bundled_font\n"
        "print(json.dumps({'module': briefgen.__file__,\n"
        "                  'templates': str(builtin_templates_dir()),\n"
        "                  'font': str(bundled_font('LiberationSans-Regular.ttf'))}))\n"
    )
    result = run_installed(installed, [sys.executable, "-c", probe], tmp_path)
    assert result.returncode == 0, result.stderr
    where = {key: Path(value).resolve() for key, value in json.loads(result.stdout).items()}
    package = (installed / "briefgen").resolve()
    assert where["module"] == package / "__init__.py"
    assert where["templates"] == package / "templates"
    assert where["font"] == package / "fonts" / "LiberationSans-Regular.ttf"
    assert (package / "templates" / "themes" / "default.yaml").is_file()
    assert (package / "templates" / "labels" / "en.yaml").is_file()
    assert (package / "fonts" / "LICENSE-Liberation.txt").is_file()


def test_every_file_of_the_package_is_installed(installed: Path) -> None:
    # Catches package-data globs and package lists that miss a new file kind or subpackage.
    missing = []
    for source, destination in RESOURCE_ROOTS.items():
        for path in (REPO / source).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                relative = path.relative_to(REPO / source)
                if not (installed / destination / relative).is_file():
                    missing.append(f"{source}/{relative}")
    assert missing == [], "not in the installed package (pyproject.toml package-data?)"


def test_console_script_builds_the_example_from_another_folder(
    installed: Path, tmp_path: Path, built_briefs: Briefs
) -> None:
    audiences = builtin_audiences()
    flags = [arg for name in audiences for arg in ("--audience", name)]
    script = installed / "bin" / "briefgen"
    assert script.is_file()
    result = run_installed(
        installed,
        [sys.executable, str(script), "build", str(EXAMPLE), "--out", "briefs", *flags],
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    written = [tmp_path / line for line in result.stdout.splitlines()]
    assert len(written) == 2 * len(audiences)
    # Byte for byte what the checkout builds: the same templates, themes, labels and fonts.
    expected = {
        f.name: f.read_bytes() for a in audiences for f in built_briefs[(EXAMPLE.name, a)].values()
    }
    assert {f.name: f.read_bytes() for f in written} == expected


def test_installed_package_serves_the_preview_bundle(installed: Path, tmp_path: Path) -> None:
    # The page and its bundle come from the installed copy, byte for byte what is committed.
    probe = (
        "import json\n"
        "from starlette.testclient import TestClient\n"
        "from briefgen.preview.app import STATIC, Preview, create_app\n"
        "from briefgen.preview.files import Folder\n"
        "from briefgen.preview.guard import Gate\n"
        "from briefgen.preview.workers import RenderPool\n"
        "import pathlib\n"
        "pool = RenderPool(1)\n"  # no worker starts: nothing here renders
        "app = create_app(Preview(Folder(pathlib.Path.cwd()), Gate(port=8765), pool))\n"
        "client = TestClient(app, base_url='http://127.0.0.1:8765')\n"
        "names = ['app.js', 'app.css', 'pdf.worker.min.mjs', 'THIRD-PARTY-LICENSES.txt']\n"
        "got = {n: client.get('/static/' + n) for n in names}\n"
        "page = client.get('/')\n"
        "print(json.dumps({'static': str(STATIC), 'page': page.status_code,\n"
        "                  'sizes': {n: [r.status_code, len(r.content)] for n, r in got.items()},\n"
        "                  'app': got['app.js'].content.decode()[:200]}))\n"
        "pool.close()\n"
    )
    result = run_installed(installed, [sys.executable, "-c", probe], tmp_path)
    assert result.returncode == 0, result.stderr
    served = json.loads(result.stdout)
    static = REPO / "briefgen" / "preview" / "static"
    assert Path(served["static"]).resolve() == (installed / "briefgen/preview/static").resolve()
    assert served["page"] == 200
    assert served["sizes"] == {
        name: [200, (static / name).stat().st_size] for name in served["sizes"]
    }
    assert served["app"] == (static / "app.js").read_text(encoding="utf-8")[:200]
