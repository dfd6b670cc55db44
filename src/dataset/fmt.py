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
from dataclasses import dataclass, field, replace
from typing import Any

from .csvread import HEADER_RULES, TextTable, split_bytes, table_bytes
from .descriptor import Descriptor, Table, read_descriptor
from .errors import DatasetError
from .files import write_atomic
from .limits import MAX_CELL_CHARS, cell_too_long
from .report import Problem
from .rules import HEADER_ORDER


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


def _refuse_long_cell(header: list[str], record: list[str], row: int) -> None:
    """Refuse a cell longer than a spreadsheet cell holds, in validate's words (rule `cell-too-long`)."""
    for position, cell in enumerate(record):
        if len(cell) > MAX_CELL_CHARS:
            column = header[position] if position < len(header) else f"#{position + 1}"
            raise FormatRefused(f"row {row}, column {column}: {cell_too_long(len(cell))} [cell-too-long]")


def _canonical_text(text: str, changes: list[str]) -> str:
    """TEXT with LF line endings in NFC; each change noted."""
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
    return text


def _words(problem: Problem) -> str:
    """PROBLEM as validate prints it, without the file's name (fmt's report names the file)."""
    return str(replace(problem, file="")).removeprefix(", ").removeprefix(": ")


#: Most header problems named in one refusal (a header of a thousand unknown names is one fault).
HEADER_PROBLEMS_LISTED = 20


def _refusal(read: TextTable) -> str | None:
    """Why READ cannot be laid out without guessing: its first fault in validate's words, or None.

    A header whose only fault is the columns' order is not refused: fmt puts them in order.
    """
    errors = sorted(
        (p for p in read.errors if p.rule != HEADER_ORDER),
        key=lambda p: (p.row or 0, p.rule not in HEADER_RULES),
    )
    if not errors:
        return None
    if errors[0].rule not in HEADER_RULES:
        return _words(errors[0])
    header = [p for p in errors if p.rule in HEADER_RULES]
    listed = "; ".join(f"{p.message} [{p.rule}]" for p in header[:HEADER_PROBLEMS_LISTED])
    more = len(header) - HEADER_PROBLEMS_LISTED
    return (
        "row 1: the header does not match the schema: "
        + listed
        + (f"; and {more:,} more" if more > 0 else "")
    )


def _records(data: bytes, table: Table, changes: list[str]) -> TextTable:
    """DATA read by the one CSV reader after its line endings and NFC are made canonical (each change
    noted); refused when a row is unparsable, blank, ragged or too long, or the header is not the schema's."""
    if data.startswith(codecs.BOM_UTF8):
        changes.append("remove the UTF-8 byte-order mark")
    read = split_bytes(data, table, table.path, prepare=lambda text: _canonical_text(text, changes))
    refused = _refusal(read)
    if refused:
        raise FormatRefused(refused)
    header = read.header or []
    for record, row in zip(read.records, read.rows, strict=True):
        _refuse_long_cell(header, record, row)
    return read


def format_csv(data: bytes, table: Table) -> Formatted:
    """The canonical bytes of one table's CSV, and plain words for each way DATA differs from them.

    Raises FormatRefused (naming the row where one exists) when the text is not UTF-8, cannot be
    parsed, has a blank or ragged row, or a header that is not the schema's fields.
    """
    changes: list[str] = []
    read = _records(data, table, changes)
    header, body, body_rows = read.header or [], read.records, read.rows
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
    result = FileResult(table.name, table.path)
    data = table_bytes(desc.root, table)
    if isinstance(data, Problem):
        result.refused = _words(data)
        return result
    try:
        formatted = format_csv(data, table)
    except FormatRefused as exc:
        result.refused = str(exc)
        return result
    result.changes, result.notes = formatted.changes, formatted.notes
    if formatted.data != data and not check:
        write_atomic(desc.root / table.path, formatted.data)
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
