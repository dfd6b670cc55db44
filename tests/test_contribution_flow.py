"""The whole path of a contribution, with only the documented commands, in a temporary copy.

add-source of an article the test writes itself, rows citing it (an event, a figure and a
statement, with excerpts that `dataset cite` confirms), then `dataset fmt` and `dataset
validate` must pass.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from click.testing import CliRunner

from dataset.cli import cli

ARTICLE = (
    "GENEVA, March 3. The delegations met for four hours on Tuesday, the organisers said.\n\n"
    '"We agreed to meet again," a spokesperson told reporters, adding that 3 observers attended.\n'
)
SOURCE = "2031-03-03-test-wire-talks"


def _repo_copy(repo_root: Path, tmp_path: Path) -> Path:
    root = tmp_path / "fork"
    root.mkdir()
    shutil.copy2(repo_root / "datapackage.json", root)
    shutil.copytree(repo_root / "data", root / "data")
    shutil.copytree(repo_root / "seeds", root / "seeds")
    return root


def _append(file: Path, row: dict[str, str]) -> None:
    with open(file, encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert set(row) <= set(header), set(row) - set(header)
    with open(file, "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow([row.get(name, "") for name in header])


def _first_id(file: Path) -> str:
    with open(file, encoding="utf-8", newline="") as fh:
        return next(csv.DictReader(fh))["id"]


def _cite(runner: CliRunner, root: Path, words: str) -> str:
    result = runner.invoke(cli, ["cite", SOURCE, words, str(root)])
    assert result.exit_code == 0, result.output
    return result.stdout.rstrip("\n")


def test_a_new_article_and_its_rows_validate(repo_root: Path, tmp_path: Path) -> None:
    root = _repo_copy(repo_root, tmp_path)
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    runner = CliRunner()
    added = runner.invoke(
        cli,
        ["add-source", str(article), str(root), "--id", SOURCE, "--published", "2031-03-03",
         "--language", "en", "--publisher", "Test Wire",
         "--publisher-basis", "byline", "--title", "Delegations meet"],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    org = _first_id(root / "data" / "organizations.csv")
    met = _cite(runner, root, "The delegations met for four hours")
    _append(root / "data" / "events.csv", {
        "id": "2031-03-03-test-delegations-meet", "date": "2031-03-03", "date_precision": "day",
        "date_qualifier": "on", "date_derivation": "printed", "date_basis": "dateline 'GENEVA, March 3.'",
        "event_type": "meeting", "summary": "The delegations met for four hours.",
        "source_ids": SOURCE, "evidence": met,
    })  # fmt: skip
    observers = _cite(runner, root, "3 observers attended")
    _append(root / "data" / "figures.csv", {
        "id": "test-observers", "value": "3", "value_qualifier": "exact", "unit": "persons",
        "measure": "held", "counted": "Observers at the meeting", "date": "2031-03-03",
        "date_precision": "day", "date_qualifier": "on", "date_derivation": "printed",
        "event_id": "2031-03-03-test-delegations-meet", "source_id": SOURCE, "evidence": observers,
    })  # fmt: skip
    quote = _cite(runner, root, "We agreed to meet again,")
    _append(root / "data" / "statements.csv", {
        "id": "2031-03-03-test-meet-again", "speaker_organization_id": org, "date": "2031-03-03",
        "date_precision": "day", "date_qualifier": "on", "date_derivation": "printed",
        "source_id": SOURCE, "statement_kind": "direct-quote", "language": "en", "quote": quote,
        "about_event_ids": "2031-03-03-test-delegations-meet", "excerpt": quote,
    })  # fmt: skip
    formatted = runner.invoke(cli, ["fmt", str(root)])
    assert formatted.exit_code == 0, formatted.output
    validated = runner.invoke(cli, ["validate", str(root)])
    assert validated.exit_code == 0, validated.output
    assert "valid" in validated.output
