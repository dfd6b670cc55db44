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


#: Issue 16: a function longer than this is split into named helpers.
MAX_FUNCTION_LINES = 80


def _long_functions(source: str) -> list[tuple[str, int]]:
    import ast

    return [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]


def test_no_function_in_src_is_over_80_lines() -> None:
    """Every function of src/dataset, from its `def` to its last line, fits in 80 lines."""
    long = [
        f"{path.relative_to(ROOT)}: {name} ({lines} lines)"
        for path in sorted((ROOT / "src" / "dataset").rglob("*.py"))
        for name, lines in _long_functions(path.read_text(encoding="utf-8"))
    ]
    assert long == []


def test_the_length_check_sees_a_long_function() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    assert _long_functions(f"def long():\n{body}\n") == [("long", MAX_FUNCTION_LINES + 1)]
