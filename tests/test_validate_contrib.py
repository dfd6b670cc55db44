"""The contributor's side of the gatekeeper: CONTRIBUTING.md, the CI workflow and the pre-commit hook."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import yaml

from dataset.schemas import RULES
from dataset.validation.hygiene import HYGIENE_RULES
from dataset.validation.values import CHECK_RULES

#: Modules whose Problems carry a rule id as a string literal.
SOURCES = (
    "read",
    "integrity",
    *(
        f"validation/{m.stem}"
        for m in Path(__file__).parents[1].joinpath("src/dataset/validation").glob("*.py")
    ),
)
#: Rule ids `checks._describe_check` gives the pandera column checks.
COLUMN_RULES = {"type", "pattern", "enum", "minimum", "maximum"}


def _literal_rules(module: Path) -> set[str]:
    """Rule ids written as literals: `Problem(file, row, column, RULE, ...)` and `out.add(where, RULE, ...)`."""
    found = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        index = {"Problem": 3, "add": 1}.get(name)
        if index is not None and len(node.args) > index and isinstance(node.args[index], ast.Constant):
            found.add(str(node.args[index].value))
    return found


def all_rule_ids(repo_root: Path) -> set[str]:
    rules = set(COLUMN_RULES) | set(HYGIENE_RULES) | {rule for rule, _ in CHECK_RULES.values()}
    rules |= {name.replace("_", "-") for name in RULES}
    for module in SOURCES:
        rules |= _literal_rules(repo_root / "src" / "dataset" / f"{module}.py")
    return rules


def test_contributing_lists_every_rule(repo_root: Path) -> None:
    """Every rule id the validator can report is explained in CONTRIBUTING.md."""
    text = (repo_root / "CONTRIBUTING.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z0-9]+(?:-[a-z0-9]+)*)`", text))
    rules = all_rule_ids(repo_root)
    assert len(rules) > 60
    assert sorted(rules - documented) == []


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
