"""The contributor's side of the gatekeeper: CONTRIBUTING.md, the CI workflow and the pre-commit hook."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from dataset import rulebook
from dataset.rules import CATALOGUE


def test_contributing_lists_every_rule(repo_root: Path) -> None:
    """Every rule of the catalogue is explained in CONTRIBUTING.md, in the catalogue's words (refresh writes them)."""
    text = (repo_root / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert rulebook.tables() in text
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", text, re.M))
    assert set(CATALOGUE) <= documented
    assert "`verbatim`" in text and "`link-cycle`" in text  # the catalogue is not empty


def test_contributing_gives_the_steps(repo_root: Path) -> None:
    """CONTRIBUTING.md says how to archive a source, find evidence, refresh, validate locally and install the hook."""
    text = (repo_root / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for phrase in (
        "dataset add-source ",
        "dataset cite ",
        "dataset validate",
        "dataset refresh",
        "id: dataset-validate",
        "pre-commit install",
    ):
        assert phrase in text


def _workflow(repo_root: Path) -> dict[Any, Any]:
    return yaml.safe_load((repo_root / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8"))


def test_workflow_runs_tests_and_validator(repo_root: Path) -> None:
    """CI runs on pushes, tags and pull requests: pinned install, tests, validate with annotations, refresh --check."""
    workflow = _workflow(repo_root)
    assert set(workflow[True]) == {"push", "pull_request"}  # YAML 1.1 reads the key `on` as True
    (job,) = workflow["jobs"].values()
    steps = job["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert str(python["with"]["python-version"]) == "3.11"
    runs = [s.get("run", "") for s in steps]
    assert runs.index('pip install -c constraints.txt ".[test]"') < runs.index("python -m pytest")
    assert "dataset validate . --format github" in runs
    assert "dataset refresh --check ." in runs


def test_workflow_diffs_pull_requests_against_their_base(repo_root: Path) -> None:
    """On a pull request, CI writes `dataset diff` against the base branch to the job summary, without
    failing on the version (set at release); on a release tag, it fails when the version is behind."""
    (job,) = _workflow(repo_root)["jobs"].values()
    pull, tag = [s for s in job["steps"] if "dataset diff" in s.get("run", "")]
    assert pull["if"] == "github.event_name == 'pull_request'"
    assert pull["run"] == (
        'dataset diff "git:origin/${{ github.base_ref }}" . --format markdown --pending-release >> "$GITHUB_STEP_SUMMARY"'
    )
    assert tag["if"] == "startsWith(github.ref, 'refs/tags/v')"
    assert "--pending-release" not in tag["run"]


def test_pre_commit_hook(repo_root: Path) -> None:
    """The hook runs `dataset validate` on the repository's package when data, seeds or the descriptor change."""
    (hook,) = yaml.safe_load((repo_root / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "dataset-validate"
    assert hook["language"] == "python"
    assert hook["entry"] == "dataset validate"
    assert hook["args"] == ["."]
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for path in ("datapackage.json", "data/events.csv", "seeds/000_c6ac479975d581df.txt"):
        assert files.search(path), path
    for path in ("src/dataset/cli.py", "README.md", "tests/data/x.csv"):
        assert not files.search(path), path
