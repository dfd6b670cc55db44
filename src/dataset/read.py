"""Reading one table's CSV as text, checking its structure on the way.

The frame that comes out has one string column per header name and is indexed by the
spreadsheet row number (header = row 1), so every later check can name the row a user
sees in LibreOffice or Excel. Rows that cannot be aligned with the header (ragged or
blank) are reported and left out of the frame; nothing is rewritten.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pandas as pd

from .descriptor import Table
from .report import Problem


@dataclass
class RawTable:
    """A table's text as read, and the structural problems found while reading it."""

    table: Table
    file: str
    frame: pd.DataFrame | None
    problems: list[Problem] = field(default_factory=list)


def unsafe_path_reason(path: str) -> str | None:
    """Why a resource path may not be read (absolute, remote, escaping the package), or None."""
    if not path:
        return "the path is empty"
    if "://" in path or path.startswith(("http:", "https:", "ftp:", "file:", "data:")):
        return "remote resources are not allowed: the data must be in the package"
    if (
        path.startswith(("/", "\\"))
        or PurePosixPath(path).is_absolute()
        or (len(path) > 1 and path[1] == ":")
    ):
        return "absolute paths are not allowed: paths are relative to datapackage.json"
    if ".." in PurePosixPath(path.replace("\\", "/")).parts:
        return "'..' is not allowed: the path must stay inside the package"
    return None


def _row_of_offset(data: bytes, offset: int) -> int:
    """Physical line number (1-based) of a byte offset: the row for files without multi-line cells."""
    return data.count(b"\n", 0, offset) + 1


def decode(data: bytes, rel: str) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 (a BOM is tolerated and reported); report the first undecodable byte."""
    problems: list[Problem] = []
    if data.startswith(codecs.BOM_UTF8):
        problems.append(
            Problem(
                rel,
                1,
                None,
                "encoding-bom",
                "the file starts with a UTF-8 byte-order mark; it is tolerated, but `dataset fmt` removes it",
                severity="warning",
            )
        )
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8"), problems
    except UnicodeDecodeError as exc:
        hint = ""
        try:
            data.decode("cp1251")
            hint = " It decodes as Windows-1251 (cp1251): re-save the file as UTF-8."
        except UnicodeDecodeError:
            pass
        bad = data[exc.start : exc.start + 4]
        problems.append(
            Problem(
                rel,
                _row_of_offset(data, exc.start),
                None,
                "encoding",
                f"the file is not valid UTF-8: byte {exc.start} cannot be decoded.{hint}",
                value=bad.hex(" "),
            )
        )
        return None, problems


def parse(text: str, table: Table, rel: str) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Split CSV text into a string frame indexed by spreadsheet row; report header and row faults."""
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    rows: list[int] = []
    header: list[str] | None = None
    row = 0
    try:
        for record in reader:
            row += 1
            if header is None:
                header = record
                continue
            if not record or all(cell == "" for cell in record):
                problems.append(Problem(rel, row, None, "blank-row", "blank row: delete it"))
                continue
            if len(record) != len(header):
                problems.append(
                    Problem(
                        rel,
                        row,
                        None,
                        "ragged-row",
                        f"row has {len(record)} cells but the header has {len(header)}",
                        value=",".join(record)[:200],
                    )
                )
                continue
            records.append(record)
            rows.append(row)
    except csv.Error as exc:
        problems.append(Problem(rel, row + 1, None, "csv-syntax", f"the CSV cannot be parsed here: {exc}"))
    if header is None:
        problems.append(Problem(rel, 1, None, "header", "the file is empty: it needs a header row"))
        return None, problems
    problems.extend(check_header(header, table, rel))
    seen: set[str] = set()
    keep = []
    for i, name in enumerate(header):
        if name in seen:
            continue
        seen.add(name)
        keep.append(i)
    columns = [header[i] for i in keep]
    frame = pd.DataFrame(
        [[r[i] for i in keep] for r in records],
        columns=columns,
        index=pd.Index(rows, name="row"),
        dtype="string",
    )
    if not records:
        frame = pd.DataFrame(
            {c: pd.Series(dtype="string") for c in columns}, index=pd.Index([], name="row", dtype="int64")
        )
    frame = frame.mask(frame == "")
    return frame, problems


def check_header(header: list[str], table: Table, rel: str) -> list[Problem]:
    """The header must list the schema's fields, in its order, once each."""
    expected = table.field_names
    if header == expected:
        return []
    problems = []
    counts: dict[str, int] = {}
    for name in header:
        counts[name] = counts.get(name, 0) + 1
    for name, n in counts.items():
        if n > 1:
            problems.append(
                Problem(rel, 1, name, "header-duplicate", f"column {name!r} appears {n} times in the header")
            )
    for name in header:
        if name not in expected:
            hint = " (check for stray spaces)" if name.strip() in expected else ""
            problems.append(
                Problem(
                    rel, 1, name, "header-extra", f"column {name!r} is not in the schema{hint}", value=name
                )
            )
    for name in expected:
        if name not in header:
            problems.append(
                Problem(rel, 1, name, "header-missing", f"column {name!r} of the schema is missing")
            )
    if not problems:
        problems.append(
            Problem(
                rel,
                1,
                None,
                "header-order",
                "columns are not in the schema's order: " + ", ".join(expected),
                value=",".join(header),
            )
        )
    return problems


def read_table(root: Path, table: Table) -> RawTable:
    """Read one resource of the package at ROOT; every fault becomes a Problem, none an exception."""
    rel = table.path
    reason = unsafe_path_reason(table.path)
    if reason:
        return RawTable(
            table,
            "datapackage.json",
            None,
            [
                Problem(
                    "datapackage.json",
                    None,
                    f"resources/{table.name}/path",
                    "unsafe-path",
                    reason,
                    value=table.path,
                )
            ],
        )
    file = root / table.path
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        return RawTable(
            table,
            rel,
            None,
            [
                Problem(
                    rel,
                    None,
                    None,
                    "missing-file",
                    f"resource {table.name!r} points to a file that does not exist",
                )
            ],
        )
    except OSError as exc:
        return RawTable(
            table,
            rel,
            None,
            [Problem(rel, None, None, "unreadable-file", f"the file cannot be read: {exc.strerror}")],
        )
    text, problems = decode(data, rel)
    if text is None:
        return RawTable(table, rel, None, problems)
    if "\r" in text:
        problems.append(
            Problem(
                rel,
                None,
                None,
                "line-endings",
                "the file has CR (Windows or old Mac) line endings; `dataset fmt` writes LF",
                severity="warning",
            )
        )
    frame, parse_problems = parse(text, table, rel)
    return RawTable(table, rel, frame, problems + parse_problems)
