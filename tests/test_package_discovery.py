"""Which package a command acts on: PATH, else the current folder or a parent, else the bundled copy."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import dataset
from dataset.cli import cli
from dataset.datapackage import Package


def test_a_command_without_path_acts_on_the_package_of_the_current_folder(
    package_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run inside a copy, `dataset hashes` refreshes that copy, says so, and leaves the bundled one alone."""
    events = package_copy / "data" / "events.csv"
    events.write_bytes(events.read_bytes() + b"")  # same bytes: only the announcement matters here
    monkeypatch.chdir(package_copy / "data")
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    assert "dataset: using ../datapackage.json (found in a parent folder)" in result.output
    assert "../datapackage.json: valid" in result.output


def test_a_hint_names_the_package_so_it_works_when_pasted(
    package_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fmt --check on a package elsewhere prints a fix command that names that package."""
    events = package_copy / "data" / "events.csv"
    events.write_bytes(events.read_bytes().replace(b"\n", b"\r\n"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = CliRunner().invoke(cli, ["fmt", "--check", str(package_copy)])
    assert result.exit_code == 1
    assert f"run `dataset fmt {package_copy}`" in result.output
    assert CliRunner().invoke(cli, ["fmt", str(package_copy)]).exit_code == 0  # the hint, pasted
    assert CliRunner().invoke(cli, ["fmt", "--check", str(package_copy)]).exit_code == 0


def test_outside_any_package_the_bundled_copy_is_used_and_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No datapackage.json up the tree: the bundled package, announced on standard error."""
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    assert "using the bundled package" in result.stderr
    assert result.stdout.startswith("bundled package: valid")


def test_a_given_path_that_is_no_package_is_a_usage_error(tmp_path: Path) -> None:
    """Exit 2, one line naming the path, no traceback."""
    result = CliRunner().invoke(cli, ["fmt", "--check", str(tmp_path / "nowhere")])
    assert result.exit_code == 2
    assert "nowhere" in result.output and "Traceback" not in result.output


def test_package_reads_each_table_once_and_is_path_like(package_copy: Path) -> None:
    """A Package is accepted wherever a path is, and its tables are read once."""
    package = Package(package_copy)
    first = dataset.load(package)
    assert dataset.load(package) is first  # cached, not read again
    assert set(first) == set(package.descriptor.tables)
    assert dataset.validate(package).valid
    assert str(package) == str(package_copy)
    shutil.rmtree(package_copy / "data")  # nothing is read again: the frames are kept
    assert dataset.load(package) is first


def test_validate_stays_the_function_after_load() -> None:
    """`dataset.validate` is callable again and again, also after load() imported the validator."""
    assert dataset.validate().valid
    dataset.load()
    assert dataset.validate().valid
    assert callable(dataset.validate)


@pytest.mark.parametrize(
    "command", [["fmt"], ["hashes"], ["codebook"], ["refresh"], ["release", "--dry-run"]]
)
def test_writers_outside_any_package_change_nothing(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outside any package a writer would fall back to the installed copy: it refuses (exit 2) and names PATH."""
    from dataset.location import bundled_root

    monkeypatch.chdir(tmp_path)
    before = {
        p: p.stat().st_mtime_ns for p in bundled_root().rglob("*") if p.is_file() and ".git" not in p.parts
    }
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 2, result.output
    assert f"dataset {command[0]} PATH" in result.output
    after = {p: p.stat().st_mtime_ns for p in before}
    assert after == before
