"""One table's CSV as a frame of text, for validate, load() and codebook.

The frame has one string column per header name and is indexed by the spreadsheet row
number (header = row 1), so every later check can name the row a user sees in LibreOffice or
Excel. The text comes from the one exact reader, `csvread.read_text` (rows counted as CSV
records, ragged, blank and broken rows reported and left out, nothing rewritten), or, for a
file a cheap screen of its bytes shows to be plain, from pyarrow (the fast path below), which
gives the same frame and the same problems, in the same words, much faster on big tables.
"""

from __future__ import annotations

import codecs
import csv
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv

from .csvread import (
    TextTable,
    blank_row,
    bom_warning,
    check_header,
    header_again,
    line_endings_warning,
    open_problem,
    ragged_row,
    read_header,
    read_text,
    split_record,
    split_text,
)
from .descriptor import Table
from .limits import CSV_FIELD_LIMIT
from .report import Problem

#: The longest cell the readers accept, in characters (limits.py raises the csv module's limit
#: to it, process-wide): a long cell is `cell-too-long`, not a syntax error.
CELL_LIMIT = CSV_FIELD_LIMIT
_BOM = "\ufeff"


@dataclass
class RawTable:
    """A table's text as read, and the structural problems found while reading it.

    `salvaged` holds the primary-key values of rows that were left out of the frame (a ragged
    row still names its id), so that references to them are not reported as dangling.
    `complete` is False when a CSV syntax error swallowed a row whose key is unknown.
    """

    table: Table
    file: str
    frame: pd.DataFrame | None
    problems: list[Problem] = field(default_factory=list)
    header: list[str] | None = None
    salvaged: dict[str, set[str]] = field(default_factory=dict)
    complete: bool = True
    #: True when pyarrow read the file (the fast path), False when the exact Python reader did.
    fast: bool = False
    #: Work the checks share on this table (dictionary encodings, screens); dropped with the frame.
    cache: dict[object, object] = field(default_factory=dict, repr=False, compare=False)


def _frame(text: TextTable) -> pd.DataFrame | None:
    """The records of TEXT as a string frame indexed by spreadsheet row; empty cells missing.

    Of duplicate header names, the first column is kept (the duplicate is reported).
    """
    header = text.header
    if header is None:
        return None
    first: dict[str, int] = {}
    for i, name in enumerate(header):
        first.setdefault(name, i)
    keep = list(first.values())
    columns = [header[i] for i in keep]
    index = pd.Index(text.rows, name="row", dtype="int64")
    if text.records:
        frame = pd.DataFrame([[r[i] for i in keep] for r in text.records], columns=columns, dtype="string")
        frame.index = index
    else:
        frame = pd.DataFrame({c: pd.Series(dtype="string") for c in columns}, index=index)
    return frame.mask(frame == "")


def parse(
    text: str, table: Table, rel: str
) -> tuple[pd.DataFrame | None, list[Problem], list[str] | None, list[list[str]], bool]:
    """Split decoded CSV text into a string frame indexed by spreadsheet row; report header and row faults.

    Returns the frame, the problems, the header, the records left out (ragged rows) and
    whether every record could be read.
    """
    out = split_text(text, table, rel)
    return _frame(out), out.problems, out.header, out.dropped, out.complete


def _salvage(table: Table, header: list[str] | None, dropped: list[list[str]]) -> dict[str, set[str]]:
    """Primary-key values of left-out rows, where the cell sits at the key column's position."""
    if not header or not dropped or len(table.primary_key) != 1:
        return {}
    key = table.primary_key[0]
    if key not in header:
        return {}
    position = header.index(key)
    return {key: {r[position] for r in dropped if len(r) > position and r[position]}}


def raw_table(text: TextTable) -> RawTable:
    """The frame and problems of TEXT, as the validator and load() take them."""
    return RawTable(
        text.table,
        text.file,
        _frame(text),
        text.problems,
        header=text.header,
        salvaged=_salvage(text.table, text.header, text.dropped),
        complete=text.complete,
    )


def read_table(root: Path, table: Table, *, fast: bool = True) -> RawTable:
    """Read one resource of the package at ROOT; every fault becomes a Problem, none an exception.

    The file is read with pyarrow when a cheap screen of its bytes shows that pyarrow and the
    exact Python reader must agree on it (`fast=False` forces the Python reader); anything
    unusual (bad UTF-8, broken quoting, a NUL byte, duplicate header names, a huge cell) is
    read by the Python reader, which words every fault exactly.
    """
    problem = open_problem(root, table)
    if problem is not None:
        return RawTable(table, problem.file, None, [problem])
    if fast:
        quick = read_fast(root / table.path, table, table.path)
        if quick is not None:
            return quick
    return raw_table(read_text(root, table))


# --------------------------------------------------------------------------- fast path (pyarrow)

#: Bytes read at a time by the screen (measured fastest: a block and its mask stay in the cache).
SCREEN_BLOCK = 1 << 20
#: Bytes per pyarrow parse block: 4 MB parsed with a quarter less CPU than 16 MB here, and
#: gives a few hundred chunks per large table rather than thousands (each compute call pays per chunk).
ARROW_BLOCK = 1 << 22
_QUOTE = ord('"')
#: What may stand before a quote that opens a cell, or after one that closes it.
_FIELD_EDGE = np.zeros(256, dtype=bool)
_FIELD_EDGE[[ord(","), ord("\n"), ord("\r"), _QUOTE]] = True


@dataclass(frozen=True)
class Screen:
    """What one pass over a file's bytes found (see `screen_bytes`)."""

    carriage_return: bool  # a CR anywhere: the line-endings warning
    quoted_line_break: bool  # a CR or LF inside a quoted cell: pyarrow must allow line breaks in values


def screen_bytes(file: Path, start: int = 0) -> Screen | None:
    """One pass over the file: is it plain enough that pyarrow reads it exactly as the csv module does?

    Returns whether the file has a carriage return and whether a quoted cell holds a line
    break (an odd number of quotes before it), or None when pyarrow and the csv module
    (strict) might disagree: a NUL byte, or quoting the csv module rejects but pyarrow accepts,
    such as text after a closing quote (`"abc"x`), a quote inside an unquoted cell or an
    unclosed quote. Quotes are checked by their parity: the n-th quote of the file opens a
    cell (n even: after a comma, a line end, the start of the data at START, or as the second
    of a doubled quote) or closes one (n odd: before a comma, a line end, the end of the file,
    or as the first of a doubled quote).
    """
    buffer = bytearray(SCREEN_BLOCK)
    is_quote = np.empty(SCREEN_BLOCK, dtype=bool)  # reused: a fresh array per block costs page faults
    quotes = 0
    previous = -1  # the last byte of the previous block; -1 before the first
    pending = False  # the previous block ended on a closing quote whose next byte is unread
    carriage_return = False
    quoted_line_break = False
    is_break = np.empty(SCREEN_BLOCK, dtype=bool)
    offset = 0  # where the block starts in the file
    with file.open("rb") as handle:
        while True:
            size = handle.readinto(buffer)
            if not size:
                break
            if buffer.find(b"\x00", 0, size) >= 0:
                return None
            has_cr = buffer.find(b"\r", 0, size) >= 0
            carriage_return = carriage_return or has_cr
            data = np.frombuffer(buffer, dtype=np.uint8, count=size)
            if pending and not _FIELD_EDGE[data[0]]:
                return None
            np.equal(data, _QUOTE, out=is_quote[:size])
            at = np.flatnonzero(is_quote[:size])
            if at.size:
                opening = ((np.arange(at.size) + quotes) & 1) == 0
                where = at[opening]
                fits = np.ones(where.size, dtype=bool)
                inner = where > 0
                fits[inner] = _FIELD_EDGE[data[where[inner] - 1]]
                fits[~inner] = previous >= 0 and bool(_FIELD_EDGE[previous])
                fits[where + offset == start] = True  # the first cell of the file (after a byte-order mark)
                if not fits.all():
                    return None
                closing = at[~opening]
                last = bool(closing.size) and closing[-1] == size - 1
                inside = closing[:-1] if last else closing
                if not _FIELD_EDGE[data[inside + 1]].all():
                    return None
                pending = bool(last)
                if not quoted_line_break:
                    breaks = np.equal(data, ord("\n"), out=is_break[:size])
                    if has_cr:
                        breaks |= data == ord("\r")
                    lines = np.flatnonzero(breaks)
                    quoted_line_break = bool(((np.searchsorted(at, lines) + quotes) & 1).any())
            else:
                pending = False
                if quotes & 1 and not quoted_line_break:  # the whole block lies inside one quoted cell
                    quoted_line_break = has_cr or buffer.find(b"\n", 0, size) >= 0
            quotes += int(at.size)
            previous = int(data[-1])
            offset += size
    return None if quotes % 2 else Screen(carriage_return, quoted_line_break)


class _Hook:
    """Readers inside `_quiet_unraisable`, and the hook to put back after the last of them."""

    lock = threading.Lock()
    users = 0
    saved: Callable[[sys.UnraisableHookArgs], object] = sys.__unraisablehook__


@contextmanager
def _quiet_unraisable() -> Iterator[None]:
    """pyarrow decodes a skipped row before calling the handler; bad UTF-8 there must not print a traceback.

    Safe when several threads read at once: the hook is swapped by the first and restored by the last.
    """
    with _Hook.lock:
        if _Hook.users == 0:
            _Hook.saved = sys.unraisablehook
            sys.unraisablehook = lambda _: None
        _Hook.users += 1
    try:
        yield
    finally:
        with _Hook.lock:
            _Hook.users -= 1
            if _Hook.users == 0:
                sys.unraisablehook = _Hook.saved


def _arrow_options(
    header: list[str],
    handler: object,
    threads: bool,
    include: list[str] | None = None,
    *,
    line_breaks: bool = True,
) -> dict[str, object]:
    """pyarrow's options for reading every column as text; LINE_BREAKS: cells may hold line breaks (slower)."""
    return {
        "read_options": pv.ReadOptions(use_threads=threads, block_size=ARROW_BLOCK),
        "parse_options": pv.ParseOptions(
            newlines_in_values=line_breaks, ignore_empty_lines=False, invalid_row_handler=handler
        ),
        "convert_options": pv.ConvertOptions(
            column_types=dict.fromkeys(include or header, pa.large_string()),
            include_columns=include,
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            null_values=[""],
        ),
    }


def _longest_cell(table: pa.Table) -> int:
    """Bytes of the longest cell (from the offsets alone, without reading the text)."""
    longest = 0
    for column in table.columns:
        for chunk in column.chunks:
            if len(chunk):
                offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int64)[
                    chunk.offset : chunk.offset + len(chunk) + 1
                ]
                longest = max(longest, int(np.diff(offsets).max()))
    return longest


def _header_copies(table: pa.Table, header: list[str]) -> np.ndarray | None:
    """Positions of rows whose cells are the header's names, or None when there are none."""
    if table.num_rows == 0 or len(header) != table.num_columns:
        return None
    # a second export pasted below the first brings its byte-order mark along
    mask = pc.is_in(table.column(0), value_set=pa.array([header[0], _BOM + header[0]], pa.large_string()))
    if not pc.any(mask).as_py():
        return None
    for name, column in zip(header[1:], table.columns[1:], strict=True):
        mask = pc.and_(mask, pc.equal(column, name))
    found = np.flatnonzero(pc.fill_null(mask, False).to_numpy(zero_copy_only=False))
    return found if found.size else None


def _all_missing(table: pa.Table) -> np.ndarray | None:
    """Positions of rows whose cells are all empty (blank rows), or None when there are none."""
    if table.num_rows == 0 or any(column.null_count == 0 for column in table.columns):
        return None
    mask = np.ones(table.num_rows, dtype=bool)
    for column in table.columns:
        mask &= column.is_null().to_numpy(zero_copy_only=False)
    return np.flatnonzero(mask) if mask.any() else None


def _fast_header(file: Path, limit: int) -> tuple[bool, list[str]] | None:
    """(has a byte-order mark, header) when the header suits the fast path, else None."""
    try:
        head = read_header(file)
    except OSError:
        return None
    if head is None:
        return None
    header = head[1]
    if len(set(header)) != len(header) or max(len(name) for name in header) >= limit:
        return None
    return head


def _parse_screened(file: Path, bom: bool, header: list[str]) -> tuple[pa.Table, Screen, list[str]] | None:
    """pyarrow's table of FILE, what the byte screen found, and the raw text of rows it skipped."""
    skipped: list[str] = []

    def skip(row: pv.InvalidRow) -> str:
        skipped.append(row.text)
        return "skip"

    def parse(line_breaks: bool) -> pa.Table | None:
        skipped.clear()
        try:
            with _quiet_unraisable():
                return pv.read_csv(
                    file, **_arrow_options(header, skip, threads=True, line_breaks=line_breaks)
                )
        except (pa.ArrowException, ValueError, OSError):
            return None

    with ThreadPoolExecutor(max_workers=1) as pool:
        # The screen runs beside the parse (both leave the GIL while they work). The parse first
        # assumes no cell holds a line break, which is a quarter cheaper; when the screen finds
        # one inside quotes, the file is parsed again allowing them.
        screening = pool.submit(screen_bytes, file, len(codecs.BOM_UTF8) if bom else 0)
        arrow = parse(line_breaks=False)
        try:
            screen = screening.result()
        except OSError:
            return None
    if screen is None:
        return None
    if screen.quoted_line_break:
        arrow = parse(line_breaks=True)
    return None if arrow is None else (arrow, screen, skipped)


@dataclass
class _Skipped:
    """The rows pyarrow skipped: their problems, the ragged records, and their line numbers."""

    problems: list[Problem] = field(default_factory=list)
    dropped: list[list[str]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)


def _skipped_rows(
    file: Path, header: list[str], rel: str, skipped: list[str], line_breaks: bool
) -> _Skipped | None:
    """Each skipped row as a blank or ragged row at its line; None when one is something else."""
    out = _Skipped()
    if not skipped:
        return out
    numbered = _numbered_skips(file, header, line_breaks=line_breaks)
    if numbered is None or len(numbered) != len(skipped):
        return None
    for number, text in numbered:
        record = split_record(text)
        if record is None or len(record) == len(header):
            return None
        out.numbers.append(number)
        if all(cell == "" for cell in record):
            out.problems.append(blank_row(rel, number))
            continue
        out.problems.append(ragged_row(rel, number, record, header))
        out.dropped.append(record)
    return out


def _drop_blank_and_copies(
    arrow: pa.Table, rows: np.ndarray, header: list[str], rel: str, problems: list[Problem]
) -> tuple[pa.Table, np.ndarray]:
    """ARROW and its line numbers ROWS without blank rows and pasted header copies (reported)."""
    blank, copies = _all_missing(arrow), _header_copies(arrow, header)
    if blank is None and copies is None:
        return arrow, rows
    keep = np.ones(arrow.num_rows, dtype=bool)
    for found, problem in ((blank, blank_row), (copies, header_again)):
        if found is not None:
            problems.extend(problem(rel, int(rows[i])) for i in found)
            keep[found] = False
    return arrow.filter(pa.array(keep)), rows[keep]


def read_fast(file: Path, table: Table, rel: str) -> RawTable | None:
    """Read FILE with pyarrow into the frame `parse` would build, with the same problems; None to fall back."""
    limit = csv.field_size_limit()
    head = _fast_header(file, limit)
    if head is None:
        return None
    bom, header = head
    parsed = _parse_screened(file, bom, header)
    if parsed is None:
        return None
    arrow, screen, skipped = parsed
    if arrow.column_names != header or _longest_cell(arrow) >= limit:
        return None
    problems: list[Problem] = []
    if bom:
        problems.append(bom_warning(rel))
    if screen.carriage_return:
        problems.append(line_endings_warning(rel))
    rest = _skipped_rows(file, header, rel, skipped, screen.quoted_line_break)
    if rest is None:
        return None
    numbers = rest.numbers
    line_numbers = np.arange(2, arrow.num_rows + len(numbers) + 2, dtype=np.int64)
    rows = line_numbers[~np.isin(line_numbers, numbers)] if numbers else line_numbers
    if len(rows) != arrow.num_rows:
        return None
    rows_problems = rest.problems
    arrow, rows = _drop_blank_and_copies(arrow, rows, header, rel, rows_problems)
    problems.extend(sorted(rows_problems, key=lambda p: p.row or 0))
    problems.extend(check_header(header, table, rel))
    frame = arrow.to_pandas(types_mapper={pa.large_string(): pd.StringDtype("pyarrow")}.get)
    frame.index = pd.Index(rows, name="row", dtype="int64")
    return RawTable(
        table,
        rel,
        frame,
        problems,
        header=header,
        salvaged=_salvage(table, header, rest.dropped),
        complete=True,
        fast=True,
    )


def _numbered_skips(file: Path, header: list[str], *, line_breaks: bool) -> list[tuple[int, str]] | None:
    """The rows pyarrow skipped, with their record numbers (known only to a single-threaded read)."""
    numbered: list[tuple[int, str]] = []

    def skip(row: pv.InvalidRow) -> str:
        numbered.append((row.number, row.text))
        return "skip"

    try:
        with _quiet_unraisable():
            pv.read_csv(
                file,
                **_arrow_options(header, skip, threads=False, include=header[:1], line_breaks=line_breaks),
            )
    except (pa.ArrowException, ValueError, OSError):
        return None
    if any(number is None for number, _ in numbered):
        return None
    return numbered
