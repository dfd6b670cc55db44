"""Helpers shared by the test_validate_* modules: small editors for throwaway package copies.

One cell, one line, one descriptor property at a time.
Edits go through the csv module and write the canonical layout (LF, minimal quoting), so an
edit changes only what it means to change. When the descriptor records a resource's `bytes`
and `hash`, they are refreshed after each edit, as a contributor running `dataset hashes`
would, so that a case tests one fault only.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple


class Err(NamedTuple):
    """One expected problem: where and which rule (value None = not compared)."""

    file: str
    row: int | None
    column: str | None
    rule: str
    value: str | None = None


def csv_path(pkg: Path, table: str) -> Path:
    return pkg / "data" / f"{table}.csv"


def read_rows(pkg: Path, table: str) -> list[list[str]]:
    """All records of a table, header first (index 0 = spreadsheet row 1)."""
    text = csv_path(pkg, table).read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text, newline="")))


def write_rows(pkg: Path, table: str, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    write_bytes(pkg, f"data/{table}.csv", out.getvalue().encode("utf-8"))


def write_bytes(pkg: Path, rel: str, data: bytes) -> None:
    """Write a package file and keep the descriptor's recorded bytes/hash (if any) in step."""
    (pkg / rel).write_bytes(data)
    refresh_integrity(pkg, rel)


def refresh_integrity(pkg: Path, rel: str) -> None:
    file = pkg / "datapackage.json"
    raw = json.loads(file.read_text(encoding="utf-8"))
    changed = False
    for res in raw.get("resources", []):
        if isinstance(res, dict) and res.get("path") == rel and ("bytes" in res or "hash" in res):
            data = (pkg / rel).read_bytes()
            if "bytes" in res:
                res["bytes"] = len(data)
            if "hash" in res:
                algorithm = str(res["hash"]).partition(":")[0] if ":" in str(res["hash"]) else "md5"
                res["hash"] = f"{algorithm}:{hashlib.new(algorithm, data).hexdigest()}"
            changed = True
    if changed:
        file.write_text(json.dumps(raw, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def column_index(rows: list[list[str]], column: str) -> int:
    return rows[0].index(column)


def get_cell(pkg: Path, table: str, row: int, column: str) -> str:
    rows = read_rows(pkg, table)
    return rows[row - 1][column_index(rows, column)]


def set_cell(pkg: Path, table: str, row: int, column: str, value: str | Callable[[str], str]) -> str:
    """Set one cell (spreadsheet row, header = 1); VALUE may be a function of the old text. Returns the new text."""
    rows = read_rows(pkg, table)
    i = column_index(rows, column)
    old = rows[row - 1][i]
    rows[row - 1][i] = value(old) if callable(value) else value
    write_rows(pkg, table, rows)
    return rows[row - 1][i]


def find_row(pkg: Path, table: str, predicate: Callable[[dict[str, str]], bool]) -> int:
    """Spreadsheet row of the first record that satisfies PREDICATE (fails the test if none does)."""
    rows = read_rows(pkg, table)
    for number, record in enumerate(rows[1:], start=2):
        if predicate(dict(zip(rows[0], record, strict=False))):
            return number
    raise AssertionError(f"no row of {table} fits this case; the data changed")


def edit_descriptor(pkg: Path, change: Callable[[dict[str, Any]], None]) -> None:
    file = pkg / "datapackage.json"
    raw = json.loads(file.read_text(encoding="utf-8"))
    change(raw)
    file.write_text(json.dumps(raw, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def resource(raw: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in raw["resources"] if r.get("name") == name)


def field(raw: dict[str, Any], table: str, name: str) -> dict[str, Any]:
    return next(f for f in resource(raw, table)["schema"]["fields"] if f.get("name") == name)


def line_after(pkg: Path, *needles: str) -> int:
    """Line number (1-based) in datapackage.json of the last of NEEDLES, each searched after the one before."""
    lines = (pkg / "datapackage.json").read_text(encoding="utf-8").splitlines()
    position = 0
    for needle in needles:
        position = next(n for n in range(position, len(lines)) if needle in lines[n])
    return position + 1


def problems_of(report: dict[str, Any], severity: str = "error") -> list[Err]:
    """The problems of a JSON report as Err tuples, in report order."""
    return [
        Err(p["file"], p["row"], p["column"], p["rule"], p["value"])
        for p in report["problems"]
        if p["severity"] == severity
    ]


def matches(found: list[Err], expected: list[Err]) -> bool:
    """FOUND is exactly EXPECTED (order aside); an expected value of None matches any value."""
    if len(found) != len(expected):
        return False
    left = list(found)
    for want in expected:
        for got in left:
            if got[:4] == want[:4] and (want.value is None or got.value == want.value):
                left.remove(got)
                break
        else:
            return False
    return True


def test_rewriting_unchanged_rows_keeps_every_byte(package_copy: Path) -> None:
    """Reading and rewriting a table through these helpers leaves its file byte-identical."""
    for table in ("sources", "persons", "organizations", "events", "statements", "figures"):
        before = csv_path(package_copy, table).read_bytes()
        write_rows(package_copy, table, read_rows(package_copy, table))
        assert csv_path(package_copy, table).read_bytes() == before
