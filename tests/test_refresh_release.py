"""`dataset refresh` regenerates what follows from the data; `dataset release` sets the version a change needs."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import git
from dataset.cli import cli


def add_event(package: Path, event_id: str) -> None:
    """Append a copy of the first event under a new id (its evidence stays verbatim)."""
    file = package / "data" / "events.csv"
    with file.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    row = dict(rows[0], id=event_id)
    with file.open("a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n").writerow(row)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_refresh_after_a_new_row_regenerates_the_derived_files_once(checkout_copy: Path) -> None:
    """--check names what a new row made stale; refresh mends it; a second refresh changes nothing."""
    runner = CliRunner()
    assert runner.invoke(cli, ["refresh", "--check", str(checkout_copy)]).exit_code == 0
    add_event(checkout_copy, "zz-a-new-event")
    check = runner.invoke(cli, ["refresh", "--check", str(checkout_copy)])
    assert check.exit_code == 1
    for stale in ("datapackage.json", "docs/codebook.md", "README.md"):
        assert f"{stale}: stale" in check.output
    assert f"run `dataset refresh {checkout_copy}`" in check.output
    done = runner.invoke(cli, ["refresh", str(checkout_copy)])
    assert done.exit_code == 0, done.output
    with (checkout_copy / "data" / "events.csv").open(encoding="utf-8", newline="") as fh:
        events = sum(1 for _ in csv.DictReader(fh))
    assert f"| [`events`](data/events.csv) | {events} |" in (checkout_copy / "README.md").read_text(
        encoding="utf-8"
    )
    assert runner.invoke(cli, ["validate", str(checkout_copy)]).exit_code == 0
    before = snapshot(checkout_copy)
    again = runner.invoke(cli, ["refresh", str(checkout_copy)])
    assert again.exit_code == 0 and "every derived file is current" in again.output
    assert snapshot(checkout_copy) == before


def test_refresh_counts_the_articles_where_prose_counts_them(checkout_copy: Path) -> None:
    """The sentence 'N archived news articles (...)' follows the sources table."""
    sources = checkout_copy / "data" / "sources.csv"
    with sources.open(encoding="utf-8", newline="") as fh:
        languages = [row["language"] for row in csv.DictReader(fh)]
    assert CliRunner().invoke(cli, ["refresh", str(checkout_copy)]).exit_code == 0
    english, russian = languages.count("en"), languages.count("ru")
    for name in ("README.md", "CITATION.cff"):
        text = (checkout_copy / name).read_text(encoding="utf-8")
        phrase = re.search(r"(\w+) archived news articles \((\w+) English, (\w+) Russian\)", text)
        assert phrase is not None, name
        words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
        assert [words.index(w) for w in phrase.groups()] == [len(languages), english, russian]


def test_refresh_of_a_bare_package_leaves_missing_files_alone(package_copy: Path) -> None:
    """A fork with only the data gets no README or codebook it did not have."""
    result = CliRunner().invoke(cli, ["refresh", str(package_copy)])
    assert result.exit_code == 0, result.output
    assert not (package_copy / "README.md").exists() and not (package_copy / "docs").exists()


@pytest.fixture
def released_repo(checkout_copy: Path) -> Path:
    """A git repository of the package whose current version is tagged as released."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git(checkout_copy, "init", "-q")
    git(checkout_copy, "add", ".")
    git(checkout_copy, "commit", "-q", "-m", "release")
    version = json.loads((checkout_copy / "datapackage.json").read_text(encoding="utf-8"))["version"]
    git(checkout_copy, "tag", f"v{version}")
    return checkout_copy


def test_release_sets_the_version_the_changes_need_everywhere(
    released_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """New rows need a minor bump: descriptor, dated CHANGELOG heading and CITATION.cff follow."""
    old = json.loads((released_repo / "datapackage.json").read_text(encoding="utf-8"))["version"]
    major, minor, _patch = (int(x) for x in old.split("."))
    add_event(released_repo, "zz-a-new-event")
    changelog = released_repo / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text(encoding="utf-8").replace(
            "## [Unreleased]\n", "## [Unreleased]\n\n- A new event.\n", 1
        ),
        encoding="utf-8",
    )
    monkeypatch.chdir(released_repo)
    assert CliRunner().invoke(cli, ["refresh"]).exit_code == 0  # what a contributor runs
    result = CliRunner().invoke(cli, ["release", "--date", "2030-01-02"])
    assert result.exit_code == 0, result.output
    new = f"{major}.{minor + 1}.0"
    assert json.loads((released_repo / "datapackage.json").read_text(encoding="utf-8"))["version"] == new
    text = changelog.read_text(encoding="utf-8")
    assert re.search(
        rf"^## \[Unreleased\]\n\n## \[{re.escape(new)}\] - 2030-01-02\n\n- A new event\.", text, re.M
    )
    citation = (released_repo / "CITATION.cff").read_text(encoding="utf-8")
    assert f'version: "{new}"' in citation and 'date-released: "2030-01-02"' in citation
    assert json.loads((released_repo / ".zenodo.json").read_text(encoding="utf-8"))["version"] == new
    assert CliRunner().invoke(cli, ["refresh", "--check"]).exit_code == 0
    diff = CliRunner().invoke(cli, ["diff", f"git:v{old}", "."])
    assert diff.exit_code == 0, diff.output  # the version now says what changed


def test_release_refuses_without_a_changelog_entry_or_a_change(
    released_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing changed: refused. A change but nothing under [Unreleased]: refused, saying what to do."""
    changelog = released_repo / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    start = text.index("## [Unreleased]\n") + len("## [Unreleased]\n")
    changelog.write_text(text[:start] + "\n" + text[text.index("\n## [", start) + 1 :], encoding="utf-8")
    git(released_repo, "commit", "-qam", "just released")
    monkeypatch.chdir(released_repo)
    nothing = CliRunner().invoke(cli, ["release"])
    assert nothing.exit_code == 1 and "nothing to release" in nothing.output
    add_event(released_repo, "zz-a-new-event")
    unchanged = snapshot(released_repo)
    result = CliRunner().invoke(cli, ["release"])
    assert result.exit_code == 1 and "[Unreleased]" in result.output
    assert "Traceback" not in result.output
    assert snapshot(released_repo) == unchanged  # nothing half-written


def test_release_without_a_tag_says_how_to_name_the_last_release(checkout_copy: Path) -> None:
    """No git tag for the current version: a usage error with a command that works."""
    result = CliRunner().invoke(cli, ["release", str(checkout_copy), "--dry-run"])
    assert result.exit_code == 2
    assert f"dataset release --against git:<commit> {checkout_copy}" in result.output


def test_refresh_runs_only_the_readme_examples_that_read(checkout_copy: Path) -> None:
    """A README is text from a pull request: examples that would write are shown, never run."""
    readme = checkout_copy / "README.md"
    readme.write_text(
        readme.read_text(encoding="utf-8")
        + "\n```console\n$ dataset fmt .\nold output\n$ dataset release\nold output\n$ dataset validate\nstale\n```\n",
        encoding="utf-8",
    )
    before = snapshot(checkout_copy)
    from dataset.readme import with_console_outputs

    text = with_console_outputs(readme.read_text(encoding="utf-8"), checkout_copy)
    assert snapshot(checkout_copy) == before  # release would have changed the version
    assert "$ dataset fmt .\nold output\n$ dataset release\nold output\n" in text
    assert "$ dataset validate\nstale\n" not in text  # the reading example was run again
