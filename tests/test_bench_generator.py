"""The benchmark's package generator (bench/generate.py): valid output, and faults found where it says.

The benchmark itself (bench/run.py) is not part of the test suite; these tests keep its input honest.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import sys
from dataclasses import asdict
from pathlib import Path
from types import ModuleType

import pytest

from dataset.descriptor import read_descriptor
from dataset.validation import validate

REPO = Path(__file__).resolve().parents[1]


def _load(name: str) -> ModuleType:
    if not (REPO / "bench" / f"{name}.py").is_file():
        pytest.skip("bench/ is not in this tree (an sdist carries only the package and its tests)")
    spec = importlib.util.spec_from_file_location(f"bench_{name}", REPO / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[f"bench_{name}"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    """bench/generate.py loaded as a module (bench/ is not a package)."""
    return _load("generate")


@pytest.fixture(scope="module")
def runner() -> ModuleType:
    """bench/run.py loaded as a module, for the way it matches reports with faults.json."""
    return _load("run")


@pytest.fixture(scope="module")
def clean(generator: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 200-row synthetic package without faults."""
    out = tmp_path_factory.mktemp("bench") / "clean"
    generator.generate(out, rows=200, seed=3, persons=40, organizations=30)
    return out


@pytest.fixture(scope="module")
def faulty(generator: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 200-row synthetic package with two faults of each kind."""
    out = tmp_path_factory.mktemp("bench") / "faulty"
    generator.generate(
        out, rows=200, seed=3, faults=2 * len(generator.FAULT_KINDS), persons=40, organizations=30
    )
    return out


def test_clean_package_is_valid(clean: Path) -> None:
    """The generated package passes every check of `dataset validate`, warnings included."""
    report = validate(clean)
    assert [str(p) for p in report.problems] == []


def test_descriptor_is_the_projects(clean: Path) -> None:
    """The synthetic package carries the repository's descriptor: same tables, fields, keys and rules."""
    ours, theirs = read_descriptor(REPO / "datapackage.json"), read_descriptor(clean / "datapackage.json")
    assert ours.tables == theirs.tables


def test_sizes_and_text(clean: Path, generator: ModuleType) -> None:
    """Events and statements have the rows asked for, figures half as many, and the free text is largely Cyrillic."""
    meta = generator.generate(clean.parent / "again", rows=200, seed=3, persons=40, organizations=30)
    assert meta["rows"]["events"] == meta["rows"]["statements"] == 200
    assert meta["rows"]["figures"] == 100
    assert 0.4 < meta["cyrillic_share_of_free_text"]["statements"] < 0.8
    events = (clean / "data" / "events.csv").read_text(encoding="utf-8")
    assert any("\u0400" <= ch <= "\u04ff" for ch in events)


def test_same_seed_same_bytes(clean: Path, generator: ModuleType) -> None:
    """The generator is deterministic: the same seed writes byte-identical tables and archives."""
    again = clean.parent / "again"
    generator.generate(again, rows=200, seed=3, persons=40, organizations=30)
    for file in sorted((clean / "data").iterdir()) + sorted((clean / "seeds").iterdir()):
        assert (again / file.relative_to(clean)).read_bytes() == file.read_bytes(), file.name


def test_every_fault_is_reported_where_listed(
    faulty: Path, generator: ModuleType, runner: ModuleType
) -> None:
    """Each injected fault is reported at its file, row, column and rule, and nothing else is reported."""
    listed = json.loads((faulty / "faults.json").read_text(encoding="utf-8"))
    assert sorted({f["kind"] for f in listed["faults"]}) == sorted(generator.FAULT_KINDS)
    problems = [asdict(p) for p in validate(faulty).problems]
    result = runner.match_faults(problems, listed)
    assert result == {"missing": [], "unexpected": []}


def test_fault_values_are_in_the_files(faulty: Path) -> None:
    """The broken value faults.json names is the cell at its row and column (the list describes the files)."""
    listed = json.loads((faulty / "faults.json").read_text(encoding="utf-8"))
    for fault in listed["faults"]:
        with (faulty / fault["file"]).open(encoding="utf-8", newline="") as f:
            records = list(csv.reader(f))
        record = records[fault["row"] - 1]  # the header is row 1
        if fault["column"] is None:  # a ragged row
            assert len(record) != len(records[0]), fault
        else:
            cell = record[records[0].index(fault["column"])]
            assert fault["value"] in (cell, *cell.split(";")), fault  # a list field names the bad item


def test_runner_flags_missing_and_unexpected(runner: ModuleType) -> None:
    """The runner's fault check fails a report that misses a listed fault or adds one that is not listed."""
    listed = {
        "faults": [
            {"file": "data/events.csv", "row": 7, "column": "summary", "rule": "invisible-character"},
            {
                "file": "data/statements.csv",
                "row": 9,
                "column": "id",
                "rule": "unique",
                "aliases": ["primary-key"],
            },
        ],
        "tolerated": [{"file": "data/statements.csv", "row": 3, "column": "id", "rule": "unique"}],
    }
    reported = [
        {"file": "data/statements.csv", "row": 9, "column": "id", "rule": "primary-key"},
        {"file": "data/statements.csv", "row": 3, "column": "id", "rule": "unique"},
        {"file": "data/figures.csv", "row": 4, "column": None, "rule": "ragged-row"},
    ]
    result = runner.match_faults(reported, listed)
    assert result["missing"] == [["data/events.csv", 7, "summary", "invisible-character"]]
    assert result["unexpected"] == [("data/figures.csv", 4, None, "ragged-row")]
