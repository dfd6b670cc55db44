"""Canonical CSV layout, so that a contribution's diff shows only what it changes.

Canonical means: UTF-8 without a byte-order mark, Unicode NFC, LF line endings (a final one
included), the schema's column order, rows sorted by primary key, and minimal quoting
(`csv.QUOTE_MINIMAL`: a cell is quoted only when it holds a comma, a quote or a line break).
Nothing else changes: cell text is never stripped, re-cased or re-worded; what looks wrong
(spaces at the edges of a cell) is reported as a note for a person to judge.

A file that cannot be parsed, or whose header does not name exactly the schema's fields, is
refused and left as it is. Only the standard library is imported.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .descriptor import Descriptor, Table, read_descriptor
from .errors import DatasetError
from .files import FileRefused, read_bytes, write_atomic
from .limits import MAX_CELL_CHARS, MAX_COLUMNS, cell_too_long


class FormatRefused(DatasetError):
    """A file cannot be brought into canonical layout without guessing; it is left as it is."""


@dataclass(frozen=True)
class Note:
    """Something fmt saw but will not change, because only a person can decide it."""

    row: int  # spreadsheet row of the input file (header = 1)
    column: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.message}"


@dataclass
class Formatted:
    """One file's canonical bytes and what separates the input from them."""

    data: bytes
    changes: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


@dataclass
class FileResult:
    """What `format_package` found (and did) for one resource."""

    table: str
    file: str
    changes: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    refused: str | None = None
    written: bool = False

    @property
    def canonical(self) -> bool:
        """True when the file on disk is (now) in canonical layout."""
        return self.refused is None and (self.written or not self.changes)


@dataclass
class FormatReport:
    """Every resource's result; `ok` is False when a file is refused, or not canonical under --check."""

    package: str
    check: bool
    files: list[FileResult] = field(default_factory=list)
    hashes_refreshed: list[str] = field(default_factory=list)

    @property
    def refused(self) -> list[FileResult]:
        return [f for f in self.files if f.refused is not None]

    @property
    def not_canonical(self) -> list[FileResult]:
        return [f for f in self.files if f.refused is None and not f.canonical]

    @property
    def ok(self) -> bool:
        return not self.refused and not self.not_canonical


def _sort_key(table: Table, header: list[str]) -> Any:
    """Rows ordered by primary key: numbers by value, text by code point; whole row breaks ties."""
    converters = {"integer": int, "number": float}
    positions = [
        (header.index(name), converters.get(table.field(name).type))
        for name in table.primary_key
        if name in header
    ]

    def key(record: list[str]) -> tuple[Any, ...]:
        parts: list[tuple[int, Any]] = []
        for i, convert in positions:
            value = record[i]
            if convert is not None:
                try:
                    parts.append((0, convert(value)))
                    continue
                except ValueError:
                    pass
            parts.append((1, value))
        return (tuple(parts), tuple(record))

    return key


def _header_fault(header: list[str], table: Table) -> str | None:
    """Why HEADER cannot be mapped onto the schema (duplicate, unknown or missing names), or None."""
    if len(header) > MAX_COLUMNS:
        return f"the header names {len(header):,} columns, more than the limit of {MAX_COLUMNS:,}"
    expected, names = set(table.field_names), set(header)
    counts = Counter(header)
    duplicates = sorted(n for n, count in counts.items() if count > 1)
    extra = [n for n in header if n not in expected]
    missing = [n for n in table.field_names if n not in names]
    faults = []
    if duplicates:
        faults.append("duplicate column(s) " + ", ".join(repr(n) for n in duplicates))
    if extra:
        faults.append("column(s) not in the schema " + ", ".join(repr(n) for n in extra))
    if missing:
        faults.append("schema column(s) missing " + ", ".join(repr(n) for n in missing))
    if not faults:
        return None
    return "the header does not match the schema: " + "; ".join(faults)


def _refuse_long_cell(header: list[str], record: list[str], row: int) -> None:
    """Refuse a cell longer than a spreadsheet cell holds, in validate's words (rule `cell-too-long`)."""
    for position, cell in enumerate(record):
        if len(cell) > MAX_CELL_CHARS:
            column = header[position] if position < len(header) else f"#{position + 1}"
            raise FormatRefused(f"row {row}, column {column}: {cell_too_long(len(cell))} [cell-too-long]")


def _plain_text(data: bytes, changes: list[str]) -> tuple[bytes, str]:
    """DATA without a byte-order mark, and its text with LF line endings in NFC; each change noted."""
    if data.startswith(codecs.BOM_UTF8):
        changes.append("remove the UTF-8 byte-order mark")
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        row = data.count(b"\n", 0, exc.start) + 1
        raise FormatRefused(
            f"row {row}: the file is not valid UTF-8 (byte {exc.start}); re-save it as UTF-8"
        ) from exc
    if "\r\n" in text:
        changes.append("CRLF line endings -> LF")
        text = text.replace("\r\n", "\n")
    if "\r" in text:
        changes.append("CR line endings -> LF")
        text = text.replace("\r", "\n")
    nfc = unicodedata.normalize("NFC", text)
    if nfc != text:
        changes.append("Unicode normalisation to NFC")
        text = nfc
    return data, text


def _records(text: str, table: Table) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, body records and their line numbers; refused when a row is unparsable, blank or ragged."""
    records = []
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for record in reader:
            records.append(record)
            rows.append(reader.line_num)
    except csv.Error as exc:
        raise FormatRefused(f"row {reader.line_num}: the CSV cannot be parsed: {exc}") from exc
    if not records:
        raise FormatRefused("the file is empty: it needs a header row")
    header, body, body_rows = records[0], records[1:], rows[1:]
    fault = _header_fault(header, table)
    if fault:
        raise FormatRefused(f"row 1: {fault}")
    for record, row in zip(body, body_rows, strict=True):
        _refuse_long_cell(header, record, row)
        if not record or all(cell == "" for cell in record):
            raise FormatRefused(f"row {row}: blank row; delete it, fmt does not drop rows")
        if len(record) != len(header):
            raise FormatRefused(f"row {row}: {len(record)} cells but the header has {len(header)}")
    return header, body, body_rows


def format_csv(data: bytes, table: Table) -> Formatted:
    """The canonical bytes of one table's CSV, and plain words for each way DATA differs from them.

    Raises FormatRefused (naming the row where one exists) when the text is not UTF-8, cannot be
    parsed, has a blank or ragged row, or a header that is not the schema's fields.
    """
    changes: list[str] = []
    data, text = _plain_text(data, changes)
    header, body, body_rows = _records(text, table)
    notes = [
        Note(row, name, "spaces or other white space at the edge of the cell are kept; fix them by hand")
        for record, row in zip(body, body_rows, strict=True)
        for name, cell in zip(header, record, strict=True)
        if cell != cell.strip()
    ]
    order = [header.index(name) for name in table.field_names]
    if order != list(range(len(header))):
        changes.append("columns into the schema's order")
    body = [[record[i] for i in order] for record in body]
    key = _sort_key(table, table.field_names)
    ordered = sorted(body, key=key)
    if ordered != body:
        changes.append("rows sorted by primary key (" + ", ".join(table.primary_key) + ")")
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(table.field_names)
    writer.writerows(ordered)
    canonical = out.getvalue().encode("utf-8")
    if not changes and canonical != data:
        changes.append("minimal quoting and a final line break")
    return Formatted(canonical, changes, notes)


def format_table(desc: Descriptor, table: Table, *, check: bool = False) -> FileResult:
    """Bring one resource's file into canonical layout (or, with CHECK, only say what differs)."""
    from .location import unsafe_path_reason

    result = FileResult(table.name, table.path)
    reason = unsafe_path_reason(table.path)
    if reason:
        result.refused = f"the resource path cannot be used: {reason}"
        return result
    file = desc.root / table.path
    try:
        data = read_bytes(desc.root, file)
    except FileRefused as exc:
        result.refused = exc.reason
        return result
    except OSError as exc:
        result.refused = f"the file cannot be read: {exc.strerror}"
        return result
    try:
        formatted = format_csv(data, table)
    except FormatRefused as exc:
        result.refused = str(exc)
        return result
    result.changes, result.notes = formatted.changes, formatted.notes
    if formatted.data != data and not check:
        write_atomic(file, formatted.data)
        result.written = True
    return result


def format_package(path: str | os.PathLike[str] | None = None, *, check: bool = False) -> FormatReport:
    """Canonical layout for every tabular resource of the package at PATH (None = bundled).

    Without CHECK, files are rewritten, and the `bytes` and `hash` of every resource whose file
    is canonical afterwards are refreshed in the descriptor. With CHECK nothing is written.
    Refused files are left untouched, and so are their bytes and hash.
    """
    desc = read_descriptor(path)
    report = FormatReport(str(path if path is not None else "bundled package"), check)
    for table in desc.tables.values():
        report.files.append(format_table(desc, table, check=check))
    if not check:
        from .integrity import refresh_hashes

        canonical = {f.table for f in report.files if f.canonical}
        if canonical:
            refreshed = refresh_hashes(desc.path, only=canonical)
            report.hashes_refreshed = [r.path for r in refreshed if r.changed]
    return report
