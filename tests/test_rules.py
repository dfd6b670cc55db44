"""The rule catalogue (`dataset.rules`) is the one place a rule id, its severity and its words are written."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

import pytest

from dataset import rules
from dataset.report import Problem
from dataset.rules import CATALOGUE

SRC = Path(__file__).resolve().parents[1] / "src" / "dataset"
#: calls whose argument at this index (or keyword `rule`) is a rule id
RULE_ARGUMENT = {"Problem": 3, "add": 1, "_unread": 1, "FileRefused": 1}


def _words(node: ast.expr) -> bool:
    """A text of several words (the plain words that go with a rule), not a key or a name."""
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and " " in node.value.strip()


def _candidates(node: ast.AST) -> list[ast.expr]:
    """The expressions of NODE that hold a rule: a rule argument, a (rule, words) pair, a *RULES key."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and "-" in node.value:
        return [node]
    if isinstance(node, ast.Call):
        func = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        index = RULE_ARGUMENT.get(func)
        found = [node.args[index]] if index is not None and len(node.args) > index else []
        return found + [kw.value for kw in node.keywords if kw.arg == "rule"]
    if isinstance(node, ast.Tuple) and len(node.elts) == 2 and _words(node.elts[1]):
        return [node.elts[0]]
    if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Dict):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if any(isinstance(t, ast.Name) and t.id.endswith("RULES") for t in targets):
            return [k for k in node.value.keys if k is not None]
    return []


def _typed_ids(tree: ast.AST) -> list[tuple[int, str]]:
    """Rule ids written as literals: anywhere when hyphenated, else where a rule is expected."""
    return [
        (c.lineno, c.value)
        for node in ast.walk(tree)
        for c in _candidates(node)
        if isinstance(c, ast.Constant) and isinstance(c.value, str) and c.value in CATALOGUE
    ]


def test_no_rule_id_is_typed_outside_the_catalogue() -> None:
    """Checks name rules by the catalogue's constants: an id typed elsewhere could drift from it."""
    typed = [
        f"{path.relative_to(SRC)}:{line}: {rule!r}"
        for path in sorted(SRC.rglob("*.py"))
        if path.name != "rules.py"
        for line, rule in _typed_ids(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert typed == []


def test_the_scan_finds_a_typed_id() -> None:
    """The scan above is not blind: it finds an id in each of the places it looks."""
    code = 'Problem("f", 1, "c", "verbatim", "m")\nX_RULES = {"padding": "w"}\ny = ("type", "two words")\nz = "link-self"'
    assert sorted(rule for _, rule in _typed_ids(ast.parse(code))) == [
        "link-self",
        "padding",
        "type",
        "verbatim",
    ]


def test_constants_are_named_after_their_ids() -> None:
    for rule_id, rule in CATALOGUE.items():
        assert getattr(rules, rule_id.upper().replace("-", "_")) is rule
        assert rule.words[:1].islower() or rule.words[:1] == "`", rule_id
        assert rule.severity in ("error", "warning") and rule.stage in rules.STAGES


def test_a_problem_takes_its_severity_from_its_rule() -> None:
    assert Problem("data/x.csv", 2, None, rules.LINE_ENDINGS, "m").severity == "warning"
    assert Problem("data/x.csv", 2, None, rules.VERBATIM, "m").severity == "error"
    assert Problem("data/x.csv", 2, None, "verbatim", "m").rule is rules.VERBATIM


def test_a_problem_refuses_a_rule_the_catalogue_does_not_know() -> None:
    with pytest.raises(ValueError, match="not in the rule catalogue"):
        Problem("data/x.csv", 2, None, "no-such-rule", "m")


def test_a_rule_survives_pickling_as_itself() -> None:
    assert pickle.loads(pickle.dumps(rules.VERBATIM)) is rules.VERBATIM
    problem = Problem("data/x.csv", 2, None, rules.ENCODING_BOM, "m")
    assert pickle.loads(pickle.dumps(problem)) == problem


def test_refresh_writes_contributings_rule_tables_from_the_catalogue(package_copy: Path) -> None:
    """A hand edit of a rule's words in CONTRIBUTING.md is stale for `refresh --check`, and undone by `refresh`."""
    from dataset import rulebook
    from dataset.refresh import refresh

    text = f"# Contributing\n\nBefore.\n\n{rulebook.START}\nold words\n{rulebook.END}\n\nAfter.\n"
    (package_copy / "CONTRIBUTING.md").write_text(text, encoding="utf-8")
    assert "CONTRIBUTING.md" in [o.file for o in refresh(package_copy, check=True).stale]
    refresh(package_copy)
    written = (package_copy / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "old words" not in written and written.startswith("# Contributing\n\nBefore.")
    assert f"| `{rules.VERBATIM}` | {rules.VERBATIM.words} |" in written and written.endswith("After.\n")
    assert "| `line-endings` | warning: " in written
    assert "CONTRIBUTING.md" not in [o.file for o in refresh(package_copy, check=True).stale]
