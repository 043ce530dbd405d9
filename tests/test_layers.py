"""The apps' import direction is a contract (import-linter, pyproject.toml), run by
`make lint`; this checks the contract itself would catch a back-edge."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["config", "core", "accounts", "deputies", "appeals", "feedback", "ratings", "demo"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )


def _copy(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tree / package, ignore=shutil.ignore_patterns("migrations"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def test_the_code_keeps_the_layers(tmp_path):
    result = _lint(_copy(tmp_path))
    assert result.returncode == 0, result.stdout


def test_appeals_importing_ratings_breaks_the_contract(tmp_path):
    tree = _copy(tmp_path)
    with (tree / "appeals" / "selectors.py").open("a") as module:
        module.write("\nfrom ratings import triggers  # noqa\n")
    result = _lint(tree)
    assert result.returncode != 0
    assert "appeals is not allowed to import ratings" in result.stdout
