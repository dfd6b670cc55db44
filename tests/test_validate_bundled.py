"""The package in the repository passes every check, and the CLI agrees with the library."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from dataset.cli import cli
from dataset.validation import validate
from test_validate_helpers import write_bytes


def test_repository_package_is_valid(repo_root: Path) -> None:
    """The repository's package has no errors and no warnings."""
    report = validate(repo_root)
    assert report.problems == []


def test_cli_json_matches_library(package_copy: Path) -> None:
    """`dataset validate --format json` reports exactly what `validate()` returns."""
    text = (package_copy / "data" / "persons.csv").read_text(encoding="utf-8")
    write_bytes(
        package_copy, "data/persons.csv", text.replace("Maria Zakharova", "Maria  Zakharova ").encode()
    )
    result = CliRunner().invoke(cli, ["validate", str(package_copy), "--format", "json"])
    assert result.exit_code == 1
    printed = json.loads(result.output)
    assert printed["problems"] == validate(package_copy).to_dict()["problems"]
    assert {(p["file"], p["column"], p["rule"]) for p in printed["problems"]} == {
        ("data/persons.csv", "name_latin", "padding")
    }
