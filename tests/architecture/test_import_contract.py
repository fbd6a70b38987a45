"""The import-linter contract (pyproject.toml) holds, and it does catch what it forbids.

The broken cases run lint-imports over a copy of the apps with one bad import
added, so the contract is seen to fail, not only to pass.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
# The packages the contract reads (a new app joins the copy by joining the contract).
APPS: tuple[str, ...] = tuple(
    tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["root_packages"]
)


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root, capture_output=True, text=True, timeout=120, env={"PYTHONPATH": str(root), "PATH": ""},
    )  # fmt: skip


@pytest.fixture
def copy_of_apps(tmp_path: Path) -> Path:
    for app in APPS:
        shutil.copytree(ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__", "migrations"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def add_line(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_the_contract_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_unchanged_copy_passes(copy_of_apps):
    # The cases below fail because of their one added line, not because of the copy.
    assert lint_imports(copy_of_apps).returncode == 0


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("parplan/models.py", "from targets.models import Indicator  # noqa"),  # the core reaching up
        ("targets/services.py", "import tasks.models  # noqa"),  # targets below tasks
        ("notifications/services.py", "import evidence.uploads  # noqa"),  # independent siblings
        ("tasks/models.py", "import dashboard.selectors  # noqa"),  # a capability app importing the dashboard
    ],
)
def test_an_import_upwards_breaks_the_layers(copy_of_apps, module, line):
    add_line(copy_of_apps / module, line)
    result = lint_imports(copy_of_apps)
    assert result.returncode == 1
    assert "Apps are layered one way BROKEN" in result.stdout


def test_a_cycle_inside_an_app_breaks_the_contract(copy_of_apps):
    # reports.tasks imports reports.services; the reverse import closes a cycle.
    add_line(copy_of_apps / "reports/services.py", "import reports.tasks  # noqa")
    result = lint_imports(copy_of_apps)
    assert result.returncode == 1
    assert "No import cycles between the modules of an app BROKEN" in result.stdout
