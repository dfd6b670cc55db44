"""How `validate` schedules its work: tables read ahead within a memory budget, checks on two workers.

The budget is what keeps peak memory near two large tables (bench/README.md); these tests
drive `_Prefetch` with stand-in tables, so they do not depend on how fast anything is.
"""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest

from dataset.descriptor import Descriptor, parse_descriptor
from dataset.read import RawTable
from dataset.validation import tables as validate_module
from dataset.validation import validate
from dataset.validation.tables import _Prefetch

ROOT = Path(__file__).resolve().parents[1]


def _descriptor(tmp_path: Path, sizes: dict[str, int]) -> Descriptor:
    """A descriptor of tables named after SIZES, each a CSV file of that many bytes."""
    resources = []
    for name, size in sizes.items():
        (tmp_path / f"{name}.csv").write_bytes(b"id\n" + b"x" * (size - 3))
        resources.append(
            {"name": name, "path": f"{name}.csv", "schema": {"fields": [{"name": "id", "type": "string"}]}}
        )
    raw = {"name": "p", "resources": resources}
    (tmp_path / "datapackage.json").write_text(json.dumps(raw), encoding="utf-8")
    parsed = parse_descriptor(raw, tmp_path / "datapackage.json")
    return Descriptor(path=tmp_path / "datapackage.json", raw=raw, tables=parsed.tables)


def test_reader_never_holds_a_third_large_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_Prefetch, "SMALL", 10)
    desc = _descriptor(tmp_path, {"a": 1000, "b": 1000, "c": 400})
    read: list[str] = []
    lock = threading.Lock()

    def fake_read(desc: Descriptor, unreadable: object, name: str) -> tuple[RawTable, list[object]]:
        with lock:
            read.append(name)
        return RawTable(desc.tables[name], name, None), []

    monkeypatch.setattr(validate_module, "_read_one", fake_read)
    feed = _Prefetch(desc, None, ["a", "b", "c"])
    reader = threading.Thread(target=feed.run, daemon=True)
    reader.start()
    a, _ = feed.next()
    feed.next()  # a is being checked, b was read beside it
    reader.join(timeout=0.3)
    assert reader.is_alive() and read == ["a", "b"], "c must wait until a is checked"
    feed.done(a)
    c, _ = feed.next()
    assert read == ["a", "b", "c"] and c.table.name == "c"
    reader.join(timeout=5)
    assert not reader.is_alive()


def test_small_tables_are_read_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    desc = _descriptor(tmp_path, {"a": 100, "b": 100, "c": 100})
    feed = _Prefetch(desc, None, ["a", "b", "c"])
    reader = threading.Thread(target=feed.run, daemon=True)
    reader.start()
    reader.join(timeout=5)
    assert not reader.is_alive(), "nothing was checked yet, but small tables need no wait"
    assert [feed.next()[0].table.name for _ in range(3)] == ["a", "b", "c"]


def test_tight_budget_finds_the_same_problems(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a budget that forces the reader to wait for every check, the report does not change."""
    package = tmp_path / "package"
    shutil.copytree(ROOT / "data", package / "data")
    shutil.copytree(ROOT / "seeds", package / "seeds")
    shutil.copy(ROOT / "datapackage.json", package)
    events = package / "data" / "events.csv"
    lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace(",", ",no-such-", 1)  # a broken id, and whatever follows from it
    events.write_text("".join(lines), encoding="utf-8")
    expected = validate(package)
    assert not expected.valid
    monkeypatch.setattr(_Prefetch, "SMALL", 0)
    assert validate(package) == expected
