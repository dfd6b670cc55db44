"""The whole path of a contribution, with only the documented commands, in a temporary copy.

add-source of an article the test writes itself, rows citing it (an event, a figure and a
statement, with excerpts that `dataset cite` confirms), a line under [Unreleased], then
`dataset refresh` and `dataset validate` must pass, run in the checkout as CONTRIBUTING.md
says (no PATH), and only seeds/, data/, CHANGELOG.md and files `refresh` regenerates change.
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


#: What `dataset refresh` may regenerate, besides what the contributor edits (seeds/, data/, CHANGELOG.md).
REGENERATED = {
    "datapackage.json",
    "validity.json",
    "README.md",
    "CITATION.cff",
    ".zenodo.json",
    "docs/codebook.md",
    "docs/codebook.ru.md",
    "docs/timeline.png",
}


def _repo_copy(repo_root: Path, tmp_path: Path) -> Path:
    root = tmp_path / "fork"
    root.mkdir()
    for name in ("datapackage.json", "README.md", "CITATION.cff", ".zenodo.json", "CHANGELOG.md"):
        shutil.copy2(repo_root / name, root)
    for name in ("data", "seeds", "docs"):
        shutil.copytree(repo_root / name, root / name)
    return root


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


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


def test_a_new_article_and_its_rows_validate(repo_root: Path, tmp_path: Path, monkeypatch) -> None:
    root = _repo_copy(repo_root, tmp_path)
    before = _files(root)
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
    changelog = root / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text(encoding="utf-8").replace(
            "## [Unreleased]\n", "## [Unreleased]\n\n- A test article.\n", 1
        ),
        encoding="utf-8",
    )
    monkeypatch.chdir(root / "data")  # a contributor runs the commands anywhere in the checkout
    refreshed = runner.invoke(cli, ["refresh"])
    assert refreshed.exit_code == 0, refreshed.output
    validated = runner.invoke(cli, ["validate"])
    assert validated.exit_code == 0, validated.output
    assert "valid" in validated.output
    assert runner.invoke(cli, ["refresh", "--check"]).exit_code == 0  # what CI runs
    after = _files(root)
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    edited = {n for n in changed if n.startswith(("seeds/", "data/")) or n == "CHANGELOG.md"}
    assert changed - edited <= REGENERATED, changed - edited
    assert {"data/events.csv", "data/figures.csv", "data/statements.csv", "data/sources.csv"} <= changed
    readme = after["README.md"].decode("utf-8")
    with open(root / "data" / "sources.csv", encoding="utf-8", newline="") as fh:
        sources = sum(1 for _ in csv.DictReader(fh))
    assert f"| [`sources`](data/sources.csv) | {sources} |" in readme
