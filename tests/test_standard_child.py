"""The standard check in a child interpreter says exactly what it says in this one, and falls back here."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from dataset.validation.standard import standard_problems
from dataset.validation.standard_child import Started


@pytest.fixture
def broken(repo_root: Path) -> dict:
    """The repository's descriptor with faults only the Data Package standard's profile sees."""
    raw = json.loads((repo_root / "datapackage.json").read_text(encoding="utf-8"))
    raw["keywords"] = "not-a-list"
    raw["resources"][0]["encoding"] = 7
    return raw


def test_child_reports_what_this_process_reports(broken: dict) -> None:
    here = standard_problems(broken, set())
    assert any("keywords" in p.message for p in here)  # the fault is one the standard sees
    started = Started(broken, set())
    assert started.process is not None  # it did run in a child
    assert started.problems() == here


def test_child_skips_flagged_resources_too(broken: dict) -> None:
    assert Started(broken, {0}).problems() == standard_problems(broken, {0})


@pytest.mark.parametrize("interpreter", ["/nonexistent/python", sys.executable + "-missing", "/bin/false"])
def test_a_child_that_cannot_answer_means_the_check_runs_here(
    broken: dict, monkeypatch: pytest.MonkeyPatch, interpreter: str
) -> None:
    monkeypatch.setattr(sys, "executable", interpreter)
    assert Started(broken, set()).problems() == standard_problems(broken, set())
