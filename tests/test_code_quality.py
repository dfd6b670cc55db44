"""The type checker and the linter pass, as part of the one test command CI runs.

Both read their settings from pyproject.toml ([tool.mypy], [tool.ruff]), so they run from the
repository root. A tool that is not installed skips its test and says why; it never passes silently.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (pip install -c constraints.txt '.[test]')")
    return subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_mypy_finds_no_errors_in_src() -> None:
    """`mypy` (files and settings from pyproject.toml) reports no error."""
    result = _run("mypy")
    assert result.returncode == 0, f"mypy failed:\n{result.stdout}{result.stderr}"
    assert "Success" in result.stdout, result.stdout


def test_ruff_finds_nothing_in_src_and_tests() -> None:
    """`ruff check src tests` (its rules, complexity included, from pyproject.toml) is clean."""
    result = _run("ruff", "check", "src", "tests")
    assert result.returncode == 0, f"ruff failed:\n{result.stdout}{result.stderr}"
