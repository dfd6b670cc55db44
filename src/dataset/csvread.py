"""The one exact CSV reader: every command that reads a table's text comes through here.

`read_text(root, table)` reads one resource's file (guarded: no link out of the package, no
pipe, nothing past the limits of limits.py) and splits it into the header and the records, as
text, exactly as stored. `split_bytes` does the same for bytes already in memory. Every fault
is a `Problem` with validate's rule id and words, never an exception, so validate, diff, fmt,
codebook, add-source and cite see the same file the same way:

- UTF-8 only; a byte-order mark is tolerated (a warning), undecodable bytes are named by row,
  column and the legacy encoding they decode as;
- LF, CRLF or CR line endings (CR is a warning); rows are counted as CSV records, so a quoted
  cell holding a line break does not shift the rows after it (header = row 1);
- blank rows, ragged rows and copies of the header are reported and left out of the records;
  a quoting error is named by its row and cell;
- the header is checked against the schema once, here (`check_header`).

Which problems a caller can live with is the caller's choice: validate reports them all, diff
refuses the ones that hide rows, fmt refuses every one it cannot fix without guessing.
The pyarrow fast path for large tables lives in read.py and words its problems with the
builders below.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .descriptor import Table
from .files import FileRefused, read_bytes, refusal
from .limits import MAX_COLUMNS
from .location import DESCRIPTOR_NAME, unsafe_path_reason
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

#: Rules of the header-versus-schema check (`check_header`); `header-order` alone loses nothing.
HEADER_RULES = frozenset({HEADER_DUPLICATE, HEADER_EXTRA, HEADER_MISSING, HEADER_RENAMED, HEADER_ORDER})
#: Bytes of a file's start searched for its header line.
HEAD_BYTES = 1 << 20
_BOM = "\ufeff"


@dataclass
class TextTable:
    """A table's CSV as text: the header, the records that align with it, and what was found.

    `rows[i]` is the spreadsheet row of `records[i]` (header = row 1). `dropped` holds the
    ragged records left out (a ragged row still names its id). `complete` is False when a CSV
    syntax error swallowed records. `header` is None when the file could not be read at all.
    """

    table: Table
    file: str
    header: list[str] | None = None
    records: list[list[str]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    dropped: list[list[str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    complete: bool = True

    @property
    def errors(self) -> list[Problem]:
        """The problems of severity error (warnings, such as a byte-order mark, lose nothing)."""
        return [p for p in self.problems if p.severity == "error"]

    def dicts(self) -> list[dict[str, str]]:
        """The records as {column: cell} (as csv.DictReader gives them: the last of duplicate names wins)."""
        header = self.header or []
        return [dict(zip(header, record, strict=True)) for record in self.records]


def _unread(table: Table, problem: Problem) -> TextTable:
    return TextTable(table, problem.file, problems=[problem])


# --------------------------------------------------------------------------- problem words


def bom_warning(rel: str) -> Problem:
    return Problem(
        rel,
        1,
        None,
        ENCODING_BOM,
        "the file starts with a UTF-8 byte-order mark; it is tolerated, but `dataset fmt` removes it",
    )


def line_endings_warning(rel: str) -> Problem:
    return Problem(
        rel,
        None,
        None,
        LINE_ENDINGS,
        "the file has CR (Windows or old Mac) line endings; `dataset fmt` writes LF",
    )


def _cells(n: int) -> str:
    return f"{n} cell" if n == 1 else f"{n} cells"


def ragged_row(rel: str, row: int, record: list[str], header: list[str]) -> Problem:
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


def blank_row(rel: str, row: int) -> Problem:
    return Problem(rel, row, None, BLANK_ROW, "blank row: delete it")


def header_again(rel: str, row: int) -> Problem:
    """A data row that repeats the header (a paste of a whole sheet): one problem, not one per cell."""
    return Problem(rel, row, None, HEADER_REPEATED, "the header row appears again here: delete this row")


def _too_many_columns(rel: str, count: int, table: Table) -> Problem:
    return Problem(
        rel,
        None,
        None,
        TOO_MANY_COLUMNS,
        f"the header names {count:,} columns, more than the limit of {MAX_COLUMNS:,}: "
        f"the table has {len(table.field_names)} fields",
    )


def _delimiter(rel: str, other: str) -> Problem:
    return Problem(
        rel,
        None,
        None,
        DELIMITER,
        f"the columns are separated by {other!r}, not by commas (a spreadsheet saved in a locale "
        "that uses them): save the table again as CSV with ',' between fields",
    )


# --------------------------------------------------------------------------- decoding


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


def _legacy_hint(data: bytes, start: int) -> tuple[str, str | None]:
    """How to fix undecodable DATA (the legacy encoding it decodes as), and the text at START in it."""
    for legacy, name in (("cp1251", "Windows-1251 (cp1251)"), ("utf-16", "UTF-16")):
        try:
            decoded = data.decode(legacy)
        except UnicodeDecodeError:
            continue
        if legacy == "utf-16" and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            continue
        value = None
        if legacy == "cp1251":
            at = len(data[:start].decode("cp1251"))
            value = decoded[at : at + 40].split("\n")[0].split(",")[0] or None
        return f" It decodes as {name}: re-save it as UTF-8.", value
    return " Save the file as UTF-8.", None


def decode(data: bytes, rel: str) -> tuple[str | None, list[Problem]]:
    """Decode UTF-8 (a BOM is tolerated and reported); report the first undecodable byte."""
    problems: list[Problem] = []
    if data.startswith(codecs.BOM_UTF8):
        problems.append(bom_warning(rel))
        data = data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode("utf-8"), problems
    except UnicodeDecodeError as exc:
        row, column = _locate(data[: exc.start].decode("utf-8"), None)
        hint, value = _legacy_hint(data, exc.start)
        where = f"column {column!r}" if column else "this row"
        problems.append(
            Problem(
                rel,
                row,
                column,
                ENCODING,
                f"the file is not UTF-8: the text in {where} (byte {exc.start}) cannot be decoded.{hint}",
                value=value or data[exc.start : exc.start + 4].hex(" "),
            )
        )
        return None, problems


# --------------------------------------------------------------------------- the file's shape

#: Delimiters spreadsheets write instead of the comma (by locale, or as "tab-separated").
_OTHER_DELIMITERS = (";", "\t", "|")


def _line_end(block: bytes, start: int) -> int:
    """Where the first line break at or after START is in BLOCK, or -1."""
    return min((i for i in (block.find(b"\n", start), block.find(b"\r", start)) if i >= 0), default=-1)


def header_fields(line: bytes) -> list[str] | None:
    """The names of a header LINE (without its line end) as the csv module reads them, or None
    when the line is not UTF-8 or not one plain CSV record."""
    try:
        records = list(csv.reader(io.StringIO(line.decode("utf-8"), newline=""), strict=True))
    except (UnicodeDecodeError, csv.Error):
        return None
    return records[0] if len(records) == 1 and records[0] else None


def read_header(file: Path) -> tuple[bool, list[str]] | None:
    """Whether the file starts with a byte-order mark, and its header as the csv module reads it.

    None when the header is not one plain line of UTF-8 (or the file is empty): the exact
    reader words those faults.
    """
    with file.open("rb") as handle:
        block = handle.read(HEAD_BYTES)
    bom = block.startswith(codecs.BOM_UTF8)
    start = len(codecs.BOM_UTF8) if bom else 0
    end = _line_end(block, start)
    if end < 0 and len(block) >= HEAD_BYTES:
        return None
    line = block[start:end] if end >= 0 else block[start:]  # a header without a line end
    names = header_fields(line) if line else None
    return (bom, names) if names is not None else None


def _column_count(line: bytes) -> int:
    """How many names a header LINE holds: commas are counted first, and only a line with more
    than MAX_COLUMNS of them is parsed to learn the exact count (a quoted name may hold a comma)."""
    commas = line.count(b",")
    if commas < MAX_COLUMNS:
        return commas + 1
    text = line.decode("utf-8", "replace")
    try:
        return max((len(r) for r in csv.reader(io.StringIO(text, newline=""))), default=0)
    except csv.Error:
        return commas + 1


def _first_line(file: Path) -> bytes:
    """FILE's first line, read in blocks: linear in the line's length, however long it is."""
    line = bytearray()
    with file.open("rb") as handle:
        while block := handle.read(HEAD_BYTES):
            end = _line_end(block, 0)
            line += block if end < 0 else block[:end]
            if end >= 0:
                break
    return bytes(line)


def _other_delimiter(line: bytes, table: Table) -> str | None:
    """The delimiter a header LINE uses when it is not the comma, recognised by the schema's names in it."""
    names = header_fields(line.removeprefix(codecs.BOM_UTF8)) if len(line) < HEAD_BYTES else None
    if names is None or len(names) != 1:
        return None
    expected = set(table.field_names)
    for delimiter in _OTHER_DELIMITERS:
        parts = names[0].split(delimiter)
        if len(parts) > 1 and 2 * sum(part.strip('"') in expected for part in parts) >= len(expected):
            return delimiter
    return None


def shape_problem(line: bytes, table: Table, rel: str) -> Problem | None:
    """Why a file whose first line is LINE cannot be split into the schema's columns at all:
    too many columns (checked before any reader builds a row of them), or another delimiter
    than the comma (every row would be one ragged cell: said once)."""
    count = _column_count(line)
    if count > MAX_COLUMNS:
        return _too_many_columns(rel, count, table)
    other = _other_delimiter(line, table)
    return _delimiter(rel, other) if other is not None else None


def _path_problem(root: Path, table: Table) -> Problem | None:
    """Why TABLE's file must not be opened: an unusable resource path, a folder, pipe or device
    (reading could hang), a link out of the package, a file past the size limit; or None."""
    reason = unsafe_path_reason(table.path)
    if reason:
        return Problem(
            DESCRIPTOR_NAME, None, f"resources/{table.name}/path", UNSAFE_PATH, reason, value=table.path
        )
    found = refusal(root, root / table.path)
    return Problem(table.path, None, None, *found) if found else None


def open_problem(root: Path, table: Table) -> Problem | None:
    """Why TABLE's file in the package at ROOT must not be read or split, or None: `_path_problem`,
    then too many columns or the wrong delimiter (`shape_problem`, from the first line alone).

    A missing file is not a problem here: reading it says so. The fast path asks this before it
    hands the file to pyarrow.
    """
    problem = _path_problem(root, table)
    if problem is not None:
        return problem
    file = root / table.path
    try:
        return shape_problem(_first_line(file), table, table.path) if file.is_file() else None
    except OSError:
        return None  # reading it says why


def table_bytes(root: Path, table: Table) -> bytes | Problem:
    """The bytes of TABLE's file in the package at ROOT, read the guarded way, or why they cannot be."""
    problem = _path_problem(root, table)
    if problem is not None:
        return problem
    try:
        return read_bytes(root, root / table.path)
    except FileRefused as exc:
        return Problem(table.path, None, None, exc.rule, exc.reason)
    except FileNotFoundError:
        message = f"resource {table.name!r} points to a file that does not exist"
        return Problem(table.path, None, None, MISSING_FILE, message)
    except OSError as exc:
        message = f"the file cannot be read: {exc.strerror or exc}"
        return Problem(table.path, None, None, UNREADABLE_FILE, message)


# --------------------------------------------------------------------------- splitting


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


def split_record(text: str) -> list[str] | None:
    """The cells of TEXT when it is exactly one CSV record (the fast path's skipped rows), else None."""
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        return None
    return records[0] if len(records) == 1 else None


def _syntax_problem(out: TextTable, text: str, exc: csv.Error, row: int, lines: tuple[int, int]) -> Problem:
    """The problem of a record the csv module could not read, naming the cell where it failed."""
    index, cell = _syntax_error_cell("".join(_physical_lines(text)[lines[0] : lines[1]]))
    header = out.header
    column = header[index] if header is not None and index is not None and index < len(header) else None
    return Problem(out.file, row, column, CSV_SYNTAX, _csv_words(exc), value=cell)


def _take(out: TextTable, record: list[str], row: int) -> None:
    """Keep RECORD (at spreadsheet ROW) as a body record, or report why it is left out."""
    header = out.header
    if header is None:
        out.header = record
    elif not record or all(cell == "" for cell in record):
        out.problems.append(blank_row(out.file, row))
    elif len(record) == len(header) and [record[0].removeprefix(_BOM), *record[1:]] == header:
        out.problems.append(header_again(out.file, row))
    elif len(record) != len(header):
        out.problems.append(ragged_row(out.file, row, record, header))
        out.dropped.append(record)
    else:
        out.records.append(record)
        out.rows.append(row)


def split_text(text: str, table: Table, rel: str) -> TextTable:
    """Split decoded CSV TEXT into header and records; report header, row and syntax faults.

    After a syntax error in a data row, reading goes on at the next record (what follows is
    still reported); a syntax error in the header stops it.
    """
    out = TextTable(table, rel)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    row = 0
    while True:
        start_line = reader.line_num
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            row += 1
            out.complete = False
            out.problems.append(_syntax_problem(out, text, exc, row, (start_line, reader.line_num)))
            if out.header is None:
                return out
            continue
        row += 1
        _take(out, record, row)
    if out.header is None:
        out.problems.append(Problem(rel, 1, None, EMPTY_FILE, "the file is empty: it needs a header row"))
        return out
    out.problems.extend(check_header(out.header, table, rel))
    return out


def split_bytes(
    data: bytes, table: Table, rel: str, *, prepare: Callable[[str], str] | None = None
) -> TextTable:
    """Decode and split DATA, the bytes of TABLE's file REL: `read_text` for bytes in memory.

    PREPARE, when given, rewrites the decoded text before it is split (fmt's LF and NFC).
    """
    end = _line_end(data, 0)
    shape = shape_problem(data if end < 0 else data[:end], table, rel)
    if shape is not None:
        return _unread(table, shape)
    text, problems = decode(data, rel)
    if text is None:
        return TextTable(table, rel, problems=problems)
    if prepare is not None:
        text = prepare(text)
    if "\r" in text:
        problems.append(line_endings_warning(rel))
    out = split_text(text, table, rel)
    out.problems[:0] = problems
    return out


def read_text(root: Path, table: Table) -> TextTable:
    """TABLE's file in the package at ROOT as text records, every fault a Problem (see the module)."""
    data = table_bytes(root, table)
    if isinstance(data, Problem):
        return _unread(table, data)
    return split_bytes(data, table, table.path)


def located(problem: Problem, root: Path) -> str:
    """PROBLEM in words, its file named by its path under ROOT (for messages outside validate)."""
    return str(replace(problem, file=str(root / problem.file)))


# --------------------------------------------------------------------------- the header


def check_header(header: list[str], table: Table, rel: str) -> list[Problem]:
    """The header must list the schema's fields, in its order, once each."""
    expected = table.field_names
    if header == expected:
        return []
    problems = _duplicates(header, rel)
    extra = [name for name in header if name not in expected]
    missing = [name for name in expected if name not in header]
    renamed = _renamed(header, expected, extra, missing, rel, problems)
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


def _duplicates(header: list[str], rel: str) -> list[Problem]:
    counts: dict[str, int] = {}
    for name in header:
        counts[name] = counts.get(name, 0) + 1
    return [
        Problem(
            rel, 1, name, HEADER_DUPLICATE, f"column {name!r} appears {n} times in the header", value=name
        )
        for name, n in counts.items()
        if n > 1
    ]


def _renamed(
    header: list[str],
    expected: list[str],
    extra: list[str],
    missing: list[str],
    rel: str,
    problems: list[Problem],
) -> set[str]:
    """An unknown name where the schema expects a missing one: most likely a renamed column (reported)."""
    renamed: set[str] = set()
    if len(header) != len(expected):
        return renamed
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
    return renamed
