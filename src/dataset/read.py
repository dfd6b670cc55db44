"""Reading one table's CSV as text, checking its structure on the way.

The frame that comes out has one string column per header name and is indexed by the
spreadsheet row number (header = row 1), so every later check can name the row a user
sees in LibreOffice or Excel. Rows are counted as CSV records, not as physical lines: a
quoted cell holding a line break does not shift the rows after it. Rows that cannot be
aligned with the header (ragged, blank, or broken CSV) are reported and left out of the
frame; nothing is rewritten.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
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

from .descriptor import Table
from .files import refusal
from .limits import CSV_FIELD_LIMIT, MAX_COLUMNS
from .location import DESCRIPTOR_NAME as DESCRIPTOR_FILE
from .location import unsafe_path_reason
from .report import Problem
from .rules import (
    BLANK_ROW,
    CSV_SYNTAX,
    DELIMITER,
    EMPTY_FILE,
    ENCODING,
    ENCODING_BOM,
    HEADER_DUPLICATE,
    HEADER_EXTRA,
    HEADER_MISSING,
    HEADER_ORDER,
    HEADER_RENAMED,
    HEADER_REPEATED,
    LINE_ENDINGS,
    MISSING_FILE,
    RAGGED_ROW,
    TOO_MANY_COLUMNS,
    UNREADABLE_FILE,
    UNSAFE_PATH,
)

#: The longest cell the readers accept, in characters (limits.py raises the csv module's limit
#: to it, process-wide): a long cell is `cell-too-long`, not a syntax error.
CELL_LIMIT = CSV_FIELD_LIMIT


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


def _locate(text: str, header: list[str] | None) -> tuple[int, str | None]:
    """Spreadsheet row and column of the end of TEXT (a prefix of a CSV file), counting records."""
    # A sentinel makes the partial last record count even right after a line break.
    records = list(csv.reader(io.StringIO(text + "\x00", newline=""), strict=False))
    row = max(len(records), 1)
    last = records[-1] if records else []
    names = header if header is not None else (records[0] if records else [])
    index = len(last) - 1
    column = names[index] if 0 <= index < len(names) and row > 1 else None
    return row, column


def _bom_warning(rel: str) -> Problem:
    return Problem(
        rel,
        1,
        None,
        ENCODING_BOM,
        "the file starts with a UTF-8 byte-order mark; it is tolerated, but `dataset fmt` removes it",
    )


def _line_endings_warning(rel: str) -> Problem:
    return Problem(
        rel,
        None,
        None,
        LINE_ENDINGS,
        "the file has CR (Windows or old Mac) line endings; `dataset fmt` writes LF",
    )


def decode(data: bytes, rel: str) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 (a BOM is tolerated and reported); report the first undecodable byte."""
    problems: list[Problem] = []
    if data.startswith(codecs.BOM_UTF8):
        problems.append(_bom_warning(rel))
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8"), problems
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8")
        row, column = _locate(prefix, None)
        hint = " Save the file as UTF-8."
        value = data[exc.start : exc.start + 4].hex(" ")
        for legacy, name in (("cp1251", "Windows-1251 (cp1251)"), ("utf-16", "UTF-16")):
            try:
                decoded = data.decode(legacy)
            except UnicodeDecodeError:
                continue
            if legacy == "utf-16" and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                continue
            hint = f" It decodes as {name}: re-save it as UTF-8."
            if legacy == "cp1251":
                start = len(data[: exc.start].decode("cp1251"))
                value = decoded[start : start + 40].split("\n")[0].split(",")[0] or value
            break
        where = f"column {column!r}" if column else "this row"
        problems.append(
            Problem(
                rel,
                row,
                column,
                ENCODING,
                f"the file is not UTF-8: the text in {where} (byte {exc.start}) cannot be decoded.{hint}",
                value=value,
            )
        )
        return None, problems


_CSV_WORDS = {
    "',' expected after '\"'": (
        "a quoted cell must end with a quote followed by a comma or the end of the line; "
        'a quote inside a cell is written twice ("")'
    ),
    "unexpected end of data": (
        "a quote opened in this row is never closed, so the rest of the file would be one cell"
    ),
    "field larger than field limit": "a cell is longer than 16 MiB (an unclosed quote?)",
}


def _csv_words(exc: csv.Error) -> str:
    text = str(exc)
    for key, words in _CSV_WORDS.items():
        if key in text:
            return words
    return f"the CSV cannot be parsed here ({text})"


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _physical_lines(text: str) -> list[str]:
    """Lines as the csv module reads them (LF, CRLF or CR), with their endings."""
    return _LINE.findall(text)


def _syntax_error_cell(record: str) -> tuple[int | None, str | None]:
    """Index and text of the cell where a CSV quoting error sits, found by walking the record.

    A quote that closes a cell must be followed by a comma or the line end; a quote that
    opens a cell must be closed. Used only to word the error, after the csv module failed.
    """
    index, start, quoted, i = 0, 0, False, 0
    while i < len(record):
        char = record[i]
        if quoted:
            if char == '"':
                if record[i + 1 : i + 2] == '"':
                    i += 2
                    continue
                if record[i + 1 : i + 2] not in (",", "\n", "\r", ""):
                    return index, record[start : record.find(",", i) if "," in record[i:] else None].rstrip(
                        "\r\n"
                    )
                quoted = False
        elif char == '"' and i == start:
            quoted = True
        elif char == ",":
            index, start = index + 1, i + 1
        elif char in "\r\n":
            break
        i += 1
    if quoted:
        return index, record[start:].split("\n")[0][:80]
    return None, None


def parse(
    text: str, table: Table, rel: str
) -> tuple[pd.DataFrame | None, list[Problem], list[str] | None, list[list[str]], bool]:
    """Split CSV text into a string frame indexed by spreadsheet row; report header and row faults.

    Returns the frame, the problems, the header, the records left out (ragged rows) and
    whether every record could be read.
    """
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[list[str]] = []
    rows: list[int] = []
    dropped: list[list[str]] = []
    header: list[str] | None = None
    complete = True
    row = 0
    lines: list[str] | None = None
    while True:
        start_line = reader.line_num
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            row += 1
            complete = False
            lines = _physical_lines(text) if lines is None else lines
            index, cell = _syntax_error_cell("".join(lines[start_line : reader.line_num]))
            column = (
                header[index] if header is not None and index is not None and index < len(header) else None
            )
            problems.append(Problem(rel, row, column, CSV_SYNTAX, _csv_words(exc), value=cell))
            if header is None:
                return None, problems, None, dropped, complete
            continue
        row += 1
        if header is None:
            header = record
            continue
        if not record or all(cell == "" for cell in record):
            problems.append(_blank_row(rel, row))
            continue
        if len(record) == len(header) and [record[0].removeprefix(_BOM), *record[1:]] == header:
            problems.append(_header_again(rel, row))
            continue
        if len(record) != len(header):
            problems.append(_ragged(rel, row, record, header))
            dropped.append(record)
            continue
        records.append(record)
        rows.append(row)
    if header is None:
        problems.append(Problem(rel, 1, None, EMPTY_FILE, "the file is empty: it needs a header row"))
        return None, problems, None, dropped, complete
    problems.extend(check_header(header, table, rel))
    seen: set[str] = set()
    keep = []
    for i, name in enumerate(header):
        if name in seen:
            continue
        seen.add(name)
        keep.append(i)
    columns = [header[i] for i in keep]
    index = pd.Index(rows, name="row", dtype="int64")
    if records:
        frame = pd.DataFrame([[r[i] for i in keep] for r in records], columns=columns, dtype="string")
        frame.index = index
    else:
        frame = pd.DataFrame({c: pd.Series(dtype="string") for c in columns}, index=index)
    frame = frame.mask(frame == "")
    return frame, problems, header, dropped, complete


def _ragged(rel: str, row: int, record: list[str], header: list[str]) -> Problem:
    """The problem of a row whose number of cells differs from the header's (both readers word it so)."""
    return Problem(
        rel,
        row,
        None,
        RAGGED_ROW,
        f"the row has {_cells(len(record))} but the header has {_cells(len(header))} "
        "(a missing or extra comma, or an unquoted comma inside a cell)",
        value=",".join(record)[:200],
    )


_BOM = "\ufeff"


def _blank_row(rel: str, row: int) -> Problem:
    return Problem(rel, row, None, BLANK_ROW, "blank row: delete it")


def _header_again(rel: str, row: int) -> Problem:
    """A data row that repeats the header (a paste of a whole sheet): one problem, not one per cell."""
    return Problem(rel, row, None, HEADER_REPEATED, "the header row appears again here: delete this row")


def _cells(n: int) -> str:
    return f"{n} cell" if n == 1 else f"{n} cells"


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
                Problem(
                    rel,
                    1,
                    name,
                    HEADER_DUPLICATE,
                    f"column {name!r} appears {n} times in the header",
                    value=name,
                )
            )
    extra = [name for name in header if name not in expected]
    missing = [name for name in expected if name not in header]
    renamed: set[str] = set()
    if len(header) == len(expected):
        # An unknown name where the schema expects a missing one: most likely a renamed column.
        for position, (got, want) in enumerate(zip(header, expected, strict=True), start=1):
            if got in extra and want in missing:
                renamed.update((got, want))
                hint = " (check for stray spaces)" if got.strip() == want else ""
                problems.append(
                    Problem(
                        rel,
                        1,
                        want,
                        HEADER_RENAMED,
                        f"column {position} is named {got!r} but the schema calls it {want!r}{hint}",
                        value=got,
                    )
                )
    for name in dict.fromkeys(extra):
        if name in renamed:
            continue
        hint = " (check for stray spaces)" if name.strip() in expected else ""
        problems.append(
            Problem(rel, 1, name, HEADER_EXTRA, f"column {name!r} is not in the schema{hint}", value=name)
        )
    for name in missing:
        if name in renamed:
            continue
        problems.append(Problem(rel, 1, name, HEADER_MISSING, f"column {name!r} of the schema is missing"))
    if not problems:
        problems.append(
            Problem(
                rel,
                1,
                None,
                HEADER_ORDER,
                "the columns are not in the schema's order, which is: " + ",".join(expected),
                value=",".join(header),
            )
        )
    return problems


def _salvage(table: Table, header: list[str] | None, dropped: list[list[str]]) -> dict[str, set[str]]:
    """Primary-key values of left-out rows, where the cell sits at the key column's position."""
    if not header or not dropped or len(table.primary_key) != 1:
        return {}
    key = table.primary_key[0]
    if key not in header:
        return {}
    position = header.index(key)
    return {key: {r[position] for r in dropped if len(r) > position and r[position]}}


def _unread(table: Table, rule: str, message: str) -> RawTable:
    """TABLE not read: no frame, one problem on its file."""
    return RawTable(table, table.path, None, [Problem(table.path, None, None, rule, message)])


def column_count(file: Path) -> int:
    """How many names the first line of FILE holds, read in blocks: linear in the line's length.

    Commas are counted first; only a line with more than MAX_COLUMNS of them is parsed with the
    csv module to learn the exact count (a quoted name may hold a comma).
    """
    commas, line = 0, bytearray()
    with file.open("rb") as handle:
        while block := handle.read(SCREEN_BLOCK):
            end = min((i for i in (block.find(b"\n"), block.find(b"\r")) if i >= 0), default=-1)
            part = block if end < 0 else block[:end]
            commas += part.count(b",")
            line += part
            if end >= 0:
                break
    if commas < MAX_COLUMNS:
        return commas + 1
    text = line.decode("utf-8", "replace")
    try:
        return max((len(r) for r in csv.reader(io.StringIO(text, newline=""))), default=0)
    except csv.Error:
        return commas + 1


#: Delimiters spreadsheets write instead of the comma (by locale, or as "tab-separated").
_OTHER_DELIMITERS = (";", "\t", "|")


def _other_delimiter(file: Path, table: Table) -> str | None:
    """The delimiter FILE's header uses when it is not the comma, recognised by the schema's names in it."""
    try:
        found = read_header(file) if file.is_file() else None
    except OSError:
        return None
    if found is None or len(found[1]) != 1:
        return None
    line, expected = found[1][0], set(table.field_names)
    for delimiter in _OTHER_DELIMITERS:
        names = line.split(delimiter)
        if len(names) > 1 and 2 * sum(name.strip('"') in expected for name in names) >= len(expected):
            return delimiter
    return None


def read_table(root: Path, table: Table, *, fast: bool = True) -> RawTable:
    """Read one resource of the package at ROOT; every fault becomes a Problem, none an exception.

    The file is read with pyarrow when a cheap screen of its bytes shows that pyarrow and the
    exact Python reader must agree on it (`fast=False` forces the Python reader); anything
    unusual (bad UTF-8, broken quoting, a NUL byte, duplicate header names, a huge cell) is
    read by the Python reader, which words every fault exactly.
    """
    rel = table.path
    reason = unsafe_path_reason(table.path)
    if reason:
        return RawTable(
            table,
            DESCRIPTOR_FILE,
            None,
            [
                Problem(
                    DESCRIPTOR_FILE,
                    None,
                    f"resources/{table.name}/path",
                    UNSAFE_PATH,
                    reason,
                    value=table.path,
                )
            ],
        )
    file = root / table.path
    found = refusal(root, file)
    if found:  # a folder, pipe or device (reading could hang), a link out of the package, a huge file
        return _unread(table, *found)
    if (
        file.exists() and (count := column_count(file)) > MAX_COLUMNS
    ):  # before any reader builds a row of them
        return _unread(
            table,
            TOO_MANY_COLUMNS,
            f"the header names {count:,} columns, more than the limit of {MAX_COLUMNS:,}: "
            f"the table has {len(table.field_names)} fields",
        )
    other = _other_delimiter(file, table)
    if other is not None:  # every row would be one ragged cell: say it once
        return _unread(
            table,
            DELIMITER,
            f"the columns are separated by {other!r}, not by commas (a spreadsheet saved in a locale "
            "that uses them): save the table again as CSV with ',' between fields",
        )
    if fast:
        quick = read_fast(file, table, rel)
        if quick is not None:
            return quick
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        return _unread(table, MISSING_FILE, f"resource {table.name!r} points to a file that does not exist")
    except OSError as exc:
        return _unread(table, UNREADABLE_FILE, f"the file cannot be read: {exc.strerror or exc}")
    text, problems = decode(data, rel)
    if text is None:
        return RawTable(table, rel, None, problems)
    if "\r" in text:
        problems.append(_line_endings_warning(rel))
    frame, parse_problems, header, dropped, complete = parse(text, table, rel)
    return RawTable(
        table,
        rel,
        frame,
        problems + parse_problems,
        header=header,
        salvaged=_salvage(table, header, dropped),
        complete=complete,
    )


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


def _first_line(block: bytes, start: int) -> bytes | None:
    ends = [i for i in (block.find(b"\n", start), block.find(b"\r", start)) if i >= 0]
    return block[start : min(ends)] if ends else None


def read_header(file: Path) -> tuple[bool, list[str]] | None:
    """Whether the file starts with a byte-order mark, and its header as the csv module reads it.

    None when the header is not one plain line of UTF-8 (or the file is empty): the exact
    reader words those faults.
    """
    with file.open("rb") as handle:
        block = handle.read(1 << 20)
    bom = block.startswith(codecs.BOM_UTF8)
    start = len(codecs.BOM_UTF8) if bom else 0
    line = _first_line(block, start)
    if line is None and len(block) < 1 << 20:
        line = block[start:]  # a header without a line end
    if not line:
        return None
    try:
        records = list(csv.reader(io.StringIO(line.decode("utf-8"), newline=""), strict=True))
    except (UnicodeDecodeError, csv.Error):
        return None
    return (bom, records[0]) if len(records) == 1 and records[0] else None


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
        try:
            records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
        except csv.Error:
            return None
        if len(records) != 1 or len(records[0]) == len(header):
            return None
        record = records[0]
        out.numbers.append(number)
        if all(cell == "" for cell in record):
            out.problems.append(_blank_row(rel, number))
            continue
        out.problems.append(_ragged(rel, number, record, header))
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
    for found, problem in ((blank, _blank_row), (copies, _header_again)):
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
        problems.append(_bom_warning(rel))
    if screen.carriage_return:
        problems.append(_line_endings_warning(rel))
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
