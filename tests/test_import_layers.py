"""The layer contract of `make lint` (pyproject.toml, `[tool.importlinter]`)
covers every app, holds for the code as it is, and breaks on a single upward
import, whether plain, only for type checking, or in a migration.

Each check runs `lint-imports` on a copy of the checked packages, so the
upward import never touches the real tree; it builds the import graph
statically from the source, importing nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps

REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _import_linter_config() -> dict[str, Any]:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


def _layers_contract() -> dict[str, Any]:
    [contract] = [contract for contract in _import_linter_config()["contracts"] if contract["id"] == "layers"]
    return contract


def _checked_packages() -> list[str]:
    return _import_linter_config()["root_packages"]


@pytest.fixture
def copy_of_the_tree(tmp_path: Path) -> Path:
    for package in _checked_packages():
        for source in (REPO / package).rglob("*.py"):
            target = tmp_path / source.relative_to(REPO)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    shutil.copyfile(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--contract", "layers", "--no-logo", "--no-cache"],
        cwd=root,
        # Only the copy is importable: the real packages must not be found instead.
        env={**os.environ, "PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_every_app_of_the_project_is_a_checked_layer():
    our_apps = {config.name for config in apps.get_app_configs() if Path(config.path).parent == REPO}
    assert set(_layers_contract()["layers"]) == set(_checked_packages()) == our_apps | {"storebot"}


def test_the_untouched_tree_keeps_the_contract(copy_of_the_tree):
    result = _lint_imports(copy_of_the_tree)

    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{_layers_contract()['name']} KEPT" in result.stdout


@pytest.mark.parametrize(
    ("module", "added", "reported"),
    [
        pytest.param("ops/config.py", "import adminpanel\n", "ops.config -> adminpanel", id="kernel-imports-dashboard"),
        pytest.param(
            "accounts/services.py",
            "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from directory.models import Store\n",
            "accounts.services -> directory.models",
            id="type-checking-only",
        ),
        pytest.param(
            "conversations/migrations/0003_seed_prompts.py",
            "from adminpanel.charts import usd\n",
            "conversations.migrations.0003_seed_prompts -> adminpanel.charts",
            id="migration",
        ),
    ],
)
def test_one_upward_import_breaks_the_contract(copy_of_the_tree, module, added, reported):
    path = copy_of_the_tree / module
    path.write_text(path.read_text(encoding="utf-8") + "\n" + added, encoding="utf-8")

    result = _lint_imports(copy_of_the_tree)

    assert result.returncode != 0
    assert f"{_layers_contract()['name']} BROKEN" in result.stdout
    assert reported in result.stdout, result.stdout
