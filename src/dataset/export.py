"""Take the data away: the tables as CSV, JSON, Excel (xlsx), Parquet or SQLite.

Every writer works on the frames `dataset.api.load()` returns and on the descriptor, which
gives the field order, types, descriptions and keys. The same package always gives the same
bytes (no timestamps, fixed order), and no format lets a cell become a spreadsheet formula
unnoticed: xlsx stores formula-like text as text, `csv` with `excel=True` defuses it.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import sqlite3
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from .descriptor import Descriptor, Table, read_descriptor
from .errors import DatasetError
from .files import atomic_open, atomic_path, package_files, refuse_inside, refuse_overwrite
from .limits import MAX_CELL_CHARS
from .location import web_url
from .schemas import CYRILLIC_LETTERS
from .spreadsheet import FORMULA_TRIGGERS, defused, is_formula_like  # noqa: F401 (public names)
from .views import (
    KEY_COLUMNS,
    LABEL_PREFIXES,
    date_fields,
    label_fields,
    reading_order,
    text_width,
    vocabulary_fields,
)

Frames = Mapping[str, pd.DataFrame]

FORMATS = ("csv", "json", "xlsx", "parquet", "sqlite")
#: Formats written as a directory with one file per table; the others write one file.
DIRECTORY_FORMATS = ("csv", "parquet")
#: Full-text indexes of the SQLite export: table -> the long free-text columns people search.
FTS_COLUMNS: dict[str, tuple[str, ...]] = {
    "statements": ("quote", "quote_en", "excerpt"),
    "events": ("summary", "evidence"),
}
#: The FTS5 tokenizer. `trigram` matches any run of three or more characters, case-folded in
#: every script, so the start of a word finds all its forms in English and Russian alike
#: (`releas` finds release, released; `задерж` finds задержан, задержанных, задержание).
#: `porter` stems English only and leaves Russian endings apart. See README, "Datasette".
FTS_TOKENIZER = "trigram"
#: SQLite before 3.34 has no trigram tokenizer: whole words, case- and accent-folded, instead.
FTS_FALLBACK_TOKENIZER = "unicode61 remove_diacritics 2"
#: A row's label (Datasette's label_column) where the first naming column may be empty:
#: a generated column holding the first non-empty naming column, else the id.
LABEL_COLUMN = "label"
#: Name of the sheet (xlsx) describing every field, and of the SQLite table holding the descriptor.
FIELDS_SHEET = "fields"
#: The xlsx's first sheet: what the workbook is and how to read it.
ABOUT_SHEET = "About"
#: The xlsx adds, after a table's first date column, its first day as a real date cell (sortable);
#: the published text column stays as it is. Not in the CSVs: a round-trip drops it.
START_SUFFIX = "_start"
START_DESCRIPTION = (
    "Added in this workbook for sorting: the first day of {column} as a date cell "
    "(2025-06 gives 2025-06-01). Not in the CSV files; {column} keeps the published precision."
)
#: The fields whose descriptions the About sheet quotes to explain dates and evidence.
ABOUT_FIELDS = ("date", "date_precision", "date_qualifier", "date_derivation", "evidence")
#: The About sheet's list of sources (columns of the sources table) and its column widths.
ABOUT_SOURCE_COLUMNS = ("id", "title", "publisher", "published", "language", "path", "url")
ABOUT_WIDTHS = (36, 90, 14, 12, 9, 32, 20)
#: xlsx layout: widest column (characters), line height (points), most lines a row shows.
#: A table's key columns (views.KEY_COLUMNS: id, date, what happened) may be wider than the rest.
XLSX_MAX_WIDTH = 50
XLSX_OTHER_WIDTH = 30
XLSX_LINE_HEIGHT = 15.0
XLSX_MAX_LINES = 10
#: Characters of proportional text per unit of column width (measured in LibreOffice: ~1.18 for
#: English, ~1.0 for Russian), used to guess how many lines a wrapped cell needs.
XLSX_CHARS_PER_WIDTH = 1.1
XLSX_CYRILLIC_CHARS_PER_WIDTH = 0.9
#: Printing: column width (characters) per landscape A4 page at a readable scale (~70 %). A sheet
#: wider than this prints on as many pages across as it needs, each repeating the header row
#: and the id column.
XLSX_PRINT_WIDTH = 200
PACKAGE_TABLE = "_package"
#: Zip entries get this timestamp so that an xlsx is the same bytes every time.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


class ExportError(DatasetError):
    """The export cannot be written as asked: unknown table or format, or an unusable output path."""


# --- shared -----------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A cell as a plain Python value: missing -> None, numpy/pandas scalars -> int/float/bool/str."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value


def status_rows(frames: Frames, names: Sequence[str]) -> tuple[list[str], list[list[Any]]] | None:
    """The derived status table (`dataset.status.status_table`: the xlsx sheet "Status", the
    SQLite table `person_status`), or None when a table it reads is not exported."""
    from .status import READS, status_table

    if not set(READS) <= set(names):
        return None
    frame = status_table(frames)
    return list(frame.columns), [[plain(v) for v in row] for row in frame.itertuples(index=False, name=None)]


def table_rows(frame: pd.DataFrame, table: Table) -> list[list[Any]]:
    """The rows of FRAME in the descriptor's column order, as plain Python values."""
    missing = [f for f in table.field_names if f not in frame.columns]
    if missing:
        raise ExportError(f"table {table.name!r} has no column {missing[0]!r} that the descriptor lists")
    ordered = frame[table.field_names]
    return [[plain(v) for v in row] for row in ordered.itertuples(index=False, name=None)]


def available_tables(frames: Frames, desc: Descriptor) -> list[str]:
    """Tables both described and loaded, in the descriptor's order."""
    return [name for name in desc.tables if name in frames]


def select_tables(available: Sequence[str], tables: Sequence[str] | str | None = None) -> list[str]:
    """The tables to export (`a,b` or a list), in the package's order; an unknown name is an error."""
    if tables is None:
        return list(available)
    names = [t.strip() for t in tables.split(",")] if isinstance(tables, str) else list(tables)
    names = [t for t in names if t]
    for name in names:
        if name not in available:
            raise ExportError(f"unknown table {name!r}; the tables are: {', '.join(available)}")
    if not names:
        raise ExportError("no table named: give at least one")
    return [name for name in available if name in names]


def plain_words(text: str) -> str:
    """A descriptor description for readers: no Markdown backticks, no clause naming an internal `x-` key.

    `Controlled vocabulary; each value is defined in x-enum-descriptions (and in the codebook).`
    becomes `Controlled vocabulary.`
    """
    clauses = re.split(r"(?<=[.;])\s+", text.replace("`", ""))
    kept = [c for c in clauses if not re.search(r"\bx-[a-z]", c)]
    out = " ".join(kept).strip()
    return re.sub(r";$", ".", out)


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _directory(output: Path) -> Path:
    if output.exists() and not output.is_dir():
        raise ExportError(f"{output}: is a file, but this format writes a directory with one file per table")
    output.mkdir(parents=True, exist_ok=True)
    return output


def _file(output: Path) -> Path:
    if output.is_dir():
        raise ExportError(f"{output}: is a directory; give a file name")
    return output


# --- csv ----------------------------------------------------------------------------------------


def csv_text(frame: pd.DataFrame, table: Table, *, excel: bool = False) -> str:
    """One table as CSV text: the package's own layout (header, minimal quoting, LF).

    With EXCEL, text cells that a spreadsheet could run as a formula get a leading apostrophe;
    nothing else changes (the BOM is added by `write_csv`).
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([defused(name) for name in table.field_names] if excel else table.field_names)
    for row in table_rows(frame, table):
        cells = []
        for value in row:
            text = _csv_text(value)
            if excel and isinstance(value, str) and is_formula_like(text):
                text = "'" + text
            cells.append(text)
        writer.writerow(cells)
    return out.getvalue()


def text_frames(desc: Descriptor) -> Frames:
    """Each table's cells exactly as its CSV holds them (text): `+5`, `007` and `-0` stay so.

    What a lossless csv export writes; typed frames (`dataset.load()`) would print 5, 7 and 0.
    """
    from .read import read_table

    frames = {}
    for name, table in desc.tables.items():
        raw = read_table(desc.root, table)
        if raw.frame is None:
            raise ExportError(
                f"{table.path}: cannot be read: {raw.problems[0].message if raw.problems else ''}"
            )
        frames[name] = raw.frame
    return frames


def write_csv(
    frames: Frames, desc: Descriptor, names: Sequence[str], output: Path, *, excel: bool = False
) -> list[Path]:
    """One `<table>.csv` per table in directory OUTPUT; EXCEL adds a UTF-8 BOM and defuses formulas."""
    directory = _directory(output)
    written = []
    for name in names:
        path = directory / f"{name}.csv"
        data = csv_text(frames[name], desc.tables[name], excel=excel).encode("utf-8")
        with atomic_open(path) as handle:
            handle.write((codecs.BOM_UTF8 if excel else b"") + data)
        written.append(path)
    return written


# --- json ---------------------------------------------------------------------------------------


def json_document(frames: Frames, desc: Descriptor, names: Sequence[str]) -> dict[str, Any]:
    """`{"descriptor": ..., "tables": {name: [record, ...]}}`, null for empty cells."""
    tables = {}
    for name in names:
        table = desc.tables[name]
        tables[name] = [
            dict(zip(table.field_names, row, strict=True)) for row in table_rows(frames[name], table)
        ]
    return {"descriptor": desc.raw, "tables": tables}


def write_json(frames: Frames, desc: Descriptor, names: Sequence[str], output: Path) -> list[Path]:
    """The descriptor and the records of each table in one UTF-8 JSON file."""
    path = _file(output)
    text = json.dumps(json_document(frames, desc, names), ensure_ascii=False, indent=2) + "\n"
    with atomic_open(path) as handle:
        handle.write(text.encode("utf-8"))
    return [path]


# --- xlsx ---------------------------------------------------------------------------------------


def _complete_date(text: str) -> date | None:
    if len(text) != 10:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _workbook_date(desc: Descriptor) -> datetime:
    created = str(desc.raw.get("created", ""))
    try:
        return datetime.fromisoformat(created.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return datetime(2000, 1, 1)


def _put(ws: Any, row: int, column: int, value: Any, where: str) -> None:
    """One cell: a date stays a date, text is stored as text (never a formula), numbers as numbers."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None:
        return
    if isinstance(value, date):
        cell = ws.cell(row=row, column=column, value=value)
        cell.number_format = "yyyy-mm-dd"
        return
    if isinstance(value, str):
        if ILLEGAL_CHARACTERS_RE.search(value):
            raise ExportError(f"{where}: the text holds a control character that an xlsx file cannot store")
        if len(value) > MAX_CELL_CHARS:
            raise ExportError(
                f"{where}: the text has {len(value):,} characters; an xlsx cell holds {MAX_CELL_CHARS:,}, "
                "and cutting it would lose data (export csv or json instead, or shorten the cell)"
            )
        cell = ws.cell(row=row, column=column, value=value)
        cell.data_type = "s"  # text, never a formula (openpyxl reads `=...` as one) or an error code
        if is_formula_like(value):
            cell.quotePrefix = True  # the spreadsheet keeps it text when the cell is edited
        return
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _EXACT_INTEGER:
        cell = ws.cell(row=row, column=column, value=str(value))  # a spreadsheet number would round it
        cell.data_type = "s"
        return
    ws.cell(row=row, column=column, value=value)


def start_column(table: Table) -> tuple[str, str] | None:
    """(the xlsx's added start-date column, the date column it reads), e.g. ("date_start", "date")."""
    fields = date_fields(table)
    return (f"{fields[0]}{START_SUFFIX}", fields[0]) if fields else None


def sheet_table(frame: pd.DataFrame, table: Table) -> tuple[list[str], list[list[Any]]]:
    """A table as the xlsx shows it: reading order (id, date, what happened, the rest) and a start date.

    Date columns stay text as published (one type per column); the added `<date>_start` column
    holds the first day of the date as a real date, so a sort on it is chronological.
    """
    from .dates import parse_date

    rows = table_rows(frame, table)
    names = list(table.field_names)
    added = start_column(table)
    if added is not None:
        new, source = added
        starts = parse_date(frame[source].reset_index(drop=True), "start")
        days = [None if pd.isna(t) else t.date() for t in starts]
        at = names.index(source) + 1
        names.insert(at, new)
        rows = [[*row[:at], day, *row[at:]] for row, day in zip(rows, days, strict=True)]
    order = reading_order(table.name, names)
    if added is not None and added[1] in order:
        order.remove(added[0])
        order.insert(order.index(added[1]) + 1, added[0])
    index = [names.index(n) for n in order]
    return order, [[row[i] for i in index] for row in rows]


#: The largest integer a spreadsheet's number (an IEEE double) holds exactly.
_EXACT_INTEGER = 2**53


def _deterministic_zip(data: bytes) -> bytes:
    """Re-pack a zip with fixed timestamps so that the same workbook gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def field_rows(desc: Descriptor, names: Sequence[str]) -> tuple[list[str], list[list[Any]]]:
    """One row per field of the exported tables, from the descriptor: the codebook in a sheet."""
    header = [
        "table",
        "field",
        "type",
        "required",
        "unique",
        "vocabulary",
        "list of",
        "verbatim in",
        "pattern",
        "description",
    ]
    rows = []
    for name in names:
        for f in desc.tables[name].fields:
            rows.append(
                [
                    name,
                    f.name,
                    f.type,
                    "yes" if f.required else "",
                    "yes" if f.unique else "",
                    ", ".join(f.enum) if f.enum else None,
                    f"{f.list_of.resource}.{f.list_of.field}, separated by '{f.list_of.separator}'"
                    if f.list_of
                    else None,
                    f.verbatim_in,
                    f.pattern,
                    f.description or None,
                ]
            )
    return header, [[v if v != "" else None for v in row] for row in rows]


def _width(values: list[Any], header: str, is_date: bool, key: bool) -> float:
    """A column's width in characters: its longest line, at least 8, at most XLSX_MAX_WIDTH for a
    key column and XLSX_OTHER_WIDTH for the others (long text wraps)."""
    if is_date:
        return float(max(12, text_width(header) + 2))
    texts = [str(v) for v in values if v is not None]
    longest = max([text_width(header)] + [text_width(line) for t in texts for line in t.split("\n")])
    return float(min(XLSX_MAX_WIDTH if key else XLSX_OTHER_WIDTH, max(8, longest + 2)))


def _lines(value: Any, width: float) -> int:
    """How many lines VALUE takes wrapped in a column WIDTH characters wide."""
    if value is None or isinstance(value, (int, float, date)):
        return 1
    cyrillic = re.search(f"[{CYRILLIC_LETTERS}]", str(value)) is not None
    per_line = max(1, int(width * (XLSX_CYRILLIC_CHARS_PER_WIDTH if cyrillic else XLSX_CHARS_PER_WIDTH)))
    return sum(max(1, -(-text_width(p) // per_line)) for p in str(value).split("\n"))


def _lay_out(ws: Any, header: list[str], rows: list[list[Any]], keys: Sequence[str] = ()) -> None:
    """Widths, wrapped text, row heights, frozen bold header, filter, and landscape fit-to-width printing."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    widths = []
    for c, name in enumerate(header, start=1):
        values = [row[c - 1] for row in rows]
        is_date = all(isinstance(v, date) or v is None for v in values) and any(values)
        width = _width(values, name, is_date, name in keys or not keys)
        ws.column_dimensions[get_column_letter(c)].width = width
        widths.append(width)
        ws.cell(row=1, column=c).font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        lines = max([_lines(v, w) for v, w in zip(row, widths, strict=True)] or [1])
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c).alignment = wrap if isinstance(value, str) else top
        if lines > 1:
            ws.row_dimensions[r].height = XLSX_LINE_HEIGHT * min(lines, XLSX_MAX_LINES)
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = max(1, -(-int(sum(widths)) // XLSX_PRINT_WIDTH))
    ws.page_setup.fitToHeight = 0
    ws.page_setup.pageOrder = "overThenDown"  # the pages of one row band side by side
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = "1:1"
    if ws.page_setup.fitToWidth > 1:
        ws.print_title_cols = "A:A"
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5


def _fill(ws: Any, header: list[str], rows: list[list[Any]], title: str, keys: Sequence[str] = ()) -> None:
    for c, name in enumerate(header, start=1):
        cell = ws.cell(row=1, column=c, value=name)
        cell.data_type = "s"
        cell.quotePrefix = is_formula_like(name)  # a header named =HYPERLINK(...) stays text
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            _put(ws, r, c, value, f"{title}, row {r}, column {header[c - 1]}")
    _lay_out(ws, header, rows, keys)


def about_rows(frames: Frames, desc: Descriptor, names: Sequence[str]) -> list[list[Any]]:
    """The About sheet: title, version, licence, how to read dates and evidence, the sources.

    Every sentence comes from the descriptor (its description and the fields' own descriptions)
    or from this module's START_DESCRIPTION; the sources are the sources table's rows.
    """
    licence = (desc.raw.get("licenses") or [{}])[0]
    rows: list[list[Any]] = [
        [str(desc.raw.get("title", desc.name))],
        [],
        ["version", desc.version],
        [
            "licence",
            " — ".join(
                str(v) for v in (licence.get("title") or licence.get("name"), licence.get("path")) if v
            ),
        ],
        ["about", plain_words(str(desc.raw.get("description", "")))],
    ]
    if desc.raw.get("x-archived-sources-rights"):
        rows.append(["archived articles", plain_words(str(desc.raw["x-archived-sources-rights"]))])
    rows += [[], ["How to read the tables"]]
    for name in names:
        rows.append([f"sheet {name}", plain_words(desc.tables[name].description or "")])
    tables = [desc.tables[n] for n in names]
    explained = max(tables, key=lambda t: sum(f in t.field_names for f in ABOUT_FIELDS), default=None)
    if explained is not None:
        rows += [
            [field, plain_words(explained.field(field).description or "")]
            for field in ABOUT_FIELDS
            if field in explained.field_names
        ]
    for new, source in dict.fromkeys(c for t in tables if (c := start_column(t))):
        rows.append([new, START_DESCRIPTION.format(column=source)])
    rows.append([FIELDS_SHEET, "Every column of every sheet: type, vocabulary and description."])
    return rows + _about_sources(frames, desc)


def _about_sources(frames: Frames, desc: Descriptor) -> list[list[Any]]:
    table = desc.tables.get("sources")
    if table is None or "sources" not in frames:
        return []
    header, rows = sheet_table(frames["sources"], table)
    keep = [header.index(n) for n in ABOUT_SOURCE_COLUMNS if n in header]
    return [[], ["Sources"], [header[i] for i in keep], *[[row[i] for i in keep] for row in rows]]


def _write_about(wb: Any, frames: Frames, desc: Descriptor, names: Sequence[str]) -> None:
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet(title=ABOUT_SHEET)
    rows = about_rows(frames, desc, names)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            _put(ws, r, c, value, f"{ABOUT_SHEET}, row {r}")
            ws.cell(row=r, column=c).alignment = Alignment(wrap_text=len(row) > 1, vertical="top")
        if len(row) == 1:
            ws.cell(row=r, column=1).font = Font(bold=True, size=14 if r == 1 else 12)
        elif len(row) > 1 and isinstance(row[1], str):
            ws.row_dimensions[r].height = XLSX_LINE_HEIGHT * min(_lines(row[1], 100), XLSX_MAX_LINES)
    for letter, width in zip("ABCDEFG", ABOUT_WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def xlsx_bytes(frames: Frames, desc: Descriptor, names: Sequence[str]) -> bytes:
    """The workbook: About, one sheet per table (reading order, start dates), then `fields`.

    Header frozen and bold, long text wrapped, landscape fit-to-width printing; no formulas.
    """
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    wb.remove(wb.active)
    _write_about(wb, frames, desc, names)
    for name in names:
        header, rows = sheet_table(frames[name], desc.tables[name])
        _fill(wb.create_sheet(title=name[:31]), header, rows, name, KEY_COLUMNS.get(name, ()))
    fields_header, fields = field_rows(desc, names)
    sheet_names = {n[:31] for n in names} | {ABOUT_SHEET}
    fields_title = FIELDS_SHEET if FIELDS_SHEET not in sheet_names else f"_{FIELDS_SHEET}"
    _fill(wb.create_sheet(title=fields_title), fields_header, fields, fields_title)
    if (status := status_rows(frames, names)) is not None:
        _fill(wb.create_sheet(title="Status"), *status, "Status")
    stamp = _workbook_date(desc)
    wb.properties.title = str(desc.raw.get("title", desc.name))[:255]
    wb.properties.description = str(desc.raw.get("description", ""))[:2000] or None
    wb.properties.version = desc.version or None
    wb.properties.creator = "dataset export"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()  # unlike Workbook.save, keeps `modified` as set above
    return _deterministic_zip(buffer.getvalue())


def write_xlsx(frames: Frames, desc: Descriptor, names: Sequence[str], output: Path) -> list[Path]:
    """The tables as one Excel workbook (openpyxl)."""
    path = _file(output)
    data = xlsx_bytes(frames, desc, names)
    with atomic_open(path) as handle:
        handle.write(data)
    return [path]


# --- parquet ------------------------------------------------------------------------------------


def arrow_table(frame: pd.DataFrame, table: Table, desc: Descriptor) -> Any:
    """One table as a pyarrow Table typed as loaded: int64 (nullable), dictionary vocabularies, strings.

    The field descriptions go into the Arrow field metadata and the table's descriptor
    resource into the schema metadata, so the file documents itself.
    """
    import pyarrow as pa

    fields = []
    for f in table.fields:
        if f.type == "integer":
            kind = pa.int64()
        elif f.type == "number":
            kind = pa.float64()
        elif f.type == "boolean":
            kind = pa.bool_()
        elif f.enum:
            kind = pa.dictionary(pa.int8() if len(f.enum) < 128 else pa.int32(), pa.string())
        else:
            kind = pa.string()
        meta = {"description": f.description} if f.description else None
        fields.append(pa.field(f.name, kind, nullable=not f.required, metadata=meta))
    resource: dict[str, Any] = next(
        (r for r in desc.raw.get("resources", []) if r.get("name") == table.name), {}
    )
    schema = pa.schema(fields)
    data = pa.Table.from_pandas(frame[table.field_names], schema=schema, preserve_index=False)
    metadata = dict(data.schema.metadata or {})
    metadata[b"datapackage_resource"] = json.dumps(resource, ensure_ascii=False).encode("utf-8")
    metadata[b"datapackage_version"] = desc.version.encode("utf-8")
    return data.replace_schema_metadata(metadata)


def write_parquet(frames: Frames, desc: Descriptor, names: Sequence[str], output: Path) -> list[Path]:
    """One `<table>.parquet` per table in directory OUTPUT (pyarrow)."""
    import pyarrow.parquet as pq

    directory = _directory(output)
    written = []
    for name in names:
        path = directory / f"{name}.parquet"
        data = arrow_table(frames[name], desc.tables[name], desc)
        buffer = io.BytesIO()
        pq.write_table(data, buffer, compression="zstd")
        with atomic_open(path) as handle:
            handle.write(buffer.getvalue())
        written.append(path)
    return written


# --- sqlite -------------------------------------------------------------------------------------


def _q(name: str) -> str:
    """An SQL identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _sql_type(field_type: str) -> str:
    return {"integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}.get(field_type, "TEXT")


def link_table_name(table: str, field: str) -> str:
    """The SQLite table that spells out a list field one item per row: `events_person_ids`."""
    return f"{table}_{field}"


def _link_columns(table: str, resource: str) -> tuple[str, str]:
    own = f"{table}_id"
    other = f"{resource}_id" if resource != table else f"{resource}_ref_id"
    return own, other


def naming_columns(table: Table) -> list[str]:
    """The columns that name a row, most telling first: names, then titles, then publishers."""
    names = [n for n in label_fields(table) if not n.endswith("_basis")]
    return sorted(names, key=lambda n: next(i for i, p in enumerate(LABEL_PREFIXES) if n.startswith(p)))


def fts_tokenizer() -> str:
    """FTS_TOKENIZER where this SQLite has it (3.34 or newer), else FTS_FALLBACK_TOKENIZER."""
    return FTS_TOKENIZER if sqlite3.sqlite_version_info >= (3, 34, 0) else FTS_FALLBACK_TOKENIZER


def label_column(table: Table) -> str | None:
    """The column that names a row for Datasette: the first naming column when it is required,
    else the generated `label` column (see `label_expression`); None for a table with no name."""
    names = naming_columns(table)
    if not names:
        return None
    return names[0] if table.field(names[0]).required else LABEL_COLUMN


def label_expression(table: Table) -> str | None:
    """SQL for the generated `label` column: the first non-empty naming column, else the id.

    A source with no printed headline is labelled by its publisher, or by its id.
    """
    if label_column(table) != LABEL_COLUMN or len(table.primary_key) != 1:
        return None
    names = naming_columns(table)
    parts = [f"nullif({_q(n)}, '')" for n in names] + [_q(table.primary_key[0])]
    return f"coalesce({', '.join(parts)})"


def create_statements(desc: Descriptor, names: Sequence[str]) -> list[str]:
    """The CREATE TABLE statements of the SQLite export: keys, vocabularies as CHECKs, link tables."""
    statements = []
    for name in names:
        table = desc.tables[name]
        lines = []
        for f in table.fields:
            line = f"{_q(f.name)} {_sql_type(f.type)}"
            if f.required:
                line += " NOT NULL"
            if f.enum:
                line += f" CHECK ({_q(f.name)} IN ({', '.join(_literal(v) for v in f.enum)}))"
            lines.append(line)
        if (label := label_expression(table)) is not None:
            lines.append(f"{_q(LABEL_COLUMN)} TEXT GENERATED ALWAYS AS ({label}) VIRTUAL")
        if table.primary_key:
            lines.append(f"PRIMARY KEY ({', '.join(_q(c) for c in table.primary_key)})")
        for fk in table.foreign_keys:
            if fk.is_list or fk.resource not in names:
                continue
            lines.append(
                f"FOREIGN KEY ({', '.join(_q(c) for c in fk.fields)}) "
                f"REFERENCES {_q(fk.resource)} ({', '.join(_q(c) for c in fk.reference_fields)})"
            )
        statements.append(f"CREATE TABLE {_q(name)} (\n  " + ",\n  ".join(lines) + "\n)")
        for fk in table.foreign_keys:
            if not fk.is_list:
                index = f"idx_{name}_{'_'.join(fk.fields)}"
                statements.append(
                    f"CREATE INDEX {_q(index)} ON {_q(name)} ({', '.join(_q(c) for c in fk.fields)})"
                )
    for name, fk, link in _list_links(desc, names):
        own, other = _link_columns(name, fk.resource)
        pk = desc.tables[name].primary_key[0]
        ref = f" REFERENCES {_q(fk.resource)} ({_q(fk.reference_fields[0])})" if fk.resource in names else ""
        statements.append(
            f"CREATE TABLE {_q(link)} (\n"
            f"  {_q(own)} TEXT NOT NULL REFERENCES {_q(name)} ({_q(pk)}),\n"
            f"  {_q(other)} TEXT NOT NULL{ref},\n"
            f'  "position" INTEGER NOT NULL,\n'
            f'  PRIMARY KEY ({_q(own)}, "position")\n)'
        )
        statements.append(f"CREATE INDEX {_q(f'idx_{link}_{other}')} ON {_q(link)} ({_q(other)})")
    return statements


def _list_links(desc: Descriptor, names: Sequence[str]) -> list[tuple[str, Any, str]]:
    links = []
    taken = set(names)
    for name in names:
        table = desc.tables[name]
        if len(table.primary_key) != 1:
            continue
        for fk in table.foreign_keys:
            if fk.is_list and len(fk.fields) == 1 and len(fk.reference_fields) == 1:
                link = link_table_name(name, fk.fields[0])
                if link not in taken:
                    taken.add(link)
                    links.append((name, fk, link))
    return links


def build_sqlite(
    conn: sqlite3.Connection,
    frames: Frames,
    desc: Descriptor,
    names: Sequence[str] | None = None,
    *,
    fts: Mapping[str, Sequence[str]] = FTS_COLUMNS,
) -> None:
    """Create and fill the tables in CONN: data, list-field link tables, FTS5 indexes and `_package`."""
    names = list(names) if names is not None else available_tables(frames, desc)
    with conn:
        for statement in create_statements(desc, names):
            conn.execute(statement)
        for name in names:
            table = desc.tables[name]
            marks = ", ".join("?" for _ in table.fields)
            conn.executemany(
                f"INSERT INTO {_q(name)} ({', '.join(_q(c) for c in table.field_names)}) VALUES ({marks})",
                table_rows(frames[name], table),
            )
        for name, fk, link in _list_links(desc, names):
            pk = desc.tables[name].primary_key[0]
            frame = frames[name]
            items = []
            for key, value in zip(frame[pk], frame[fk.fields[0]], strict=True):
                if plain(value) is None:
                    continue
                for position, item in enumerate(str(value).split(fk.separator), start=1):
                    items.append((plain(key), item, position))
            own, other = _link_columns(name, fk.resource)
            conn.executemany(
                f'INSERT INTO {_q(link)} ({_q(own)}, {_q(other)}, "position") VALUES (?, ?, ?)', items
            )
        for name, columns in fts.items():
            present = [c for c in columns if name in names and c in desc.tables[name].field_names]
            if not present:
                continue
            index = f"{name}_fts"
            conn.execute(
                f"CREATE VIRTUAL TABLE {_q(index)} USING fts5({', '.join(_q(c) for c in present)}, "
                f"content={_literal(name)}, content_rowid='rowid', tokenize={_literal(fts_tokenizer())})"
            )
            conn.execute(f"INSERT INTO {_q(index)} ({_q(index)}) VALUES ('rebuild')")
        if (status := status_rows(frames, names)) is not None:
            header, rows = status
            columns = ", ".join(f"{_q(c)} {'INTEGER' if c == 'count' else 'TEXT'}" for c in header)
            conn.execute(f'CREATE TABLE "person_status" ({columns}, PRIMARY KEY ("kind", "id"))')
            conn.executemany(f'INSERT INTO "person_status" VALUES ({", ".join("?" for _ in header)})', rows)
        conn.execute(
            f"CREATE TABLE {_q(PACKAGE_TABLE)} (name TEXT, title TEXT, version TEXT, descriptor TEXT NOT NULL)"
        )
        conn.execute(
            f"INSERT INTO {_q(PACKAGE_TABLE)} VALUES (?, ?, ?, ?)",
            (
                desc.name,
                desc.raw.get("title"),
                desc.version,
                json.dumps(desc.raw, ensure_ascii=False, indent=2),
            ),
        )


def first_sentence(text: str) -> str:
    """The first sentence of TEXT (up to a `. ` before a capital letter), for a short column description."""
    return re.split(r"(?<=\.)\s+(?=[A-ZА-ЯЁ])", text.strip(), maxsplit=1)[0]


def _table_metadata(desc: Descriptor, name: str) -> dict[str, Any]:
    """One table's Datasette settings: plain descriptions, label, facets, date sort, search."""
    table = desc.tables[name]
    entry: dict[str, Any] = {
        "title": table.title or name,
        "description": plain_words(table.description or ""),
        "columns": {
            f.name: first_sentence(plain_words(f.description)) for f in table.fields if f.description
        },
    }
    if (label := label_column(table)) is not None:
        entry["label_column"] = label
        if label == LABEL_COLUMN:
            names = ", ".join(naming_columns(table))
            entry["columns"][LABEL_COLUMN] = (
                f"Added for display: the first of {names} that is not empty, else the id."
            )
    keys = KEY_COLUMNS.get(name, ())
    vocab = [f.name for f in vocabulary_fields(table)]
    facets = [k for k in keys if k in vocab] + [n for n in vocab if n == "date_precision" and n not in keys]
    if facets:
        entry["facets"] = facets
    if (dates := date_fields(table)) is not None:
        entry["sort"] = dates[0]  # partial ISO dates sort as text by their first day: 2025-06 < 2025-06-01
    if name in FTS_COLUMNS and any(c in table.field_names for c in FTS_COLUMNS[name]):
        entry["fts_table"] = f"{name}_fts"
        entry["fts_pk"] = "rowid"
    return entry


def datasette_metadata(desc: Descriptor, names: Sequence[str], database: str) -> dict[str, Any]:
    """Datasette metadata for the SQLite export: plain-words titles and descriptions, licence,
    row labels, facets on type and date precision, date order, full-text search; link tables
    and `_package` hidden."""
    licence = (desc.raw.get("licenses") or [{}])[0]
    tables: dict[str, Any] = {name: _table_metadata(desc, name) for name in names}
    for name, fk, link in _list_links(desc, names):
        own, other = _link_columns(name, fk.resource)
        tables[link] = {
            "hidden": True,
            "description": f"The list field {name}.{fk.fields[0]} one item per row, in the order given.",
            "columns": {
                own: f"The {name} row ({desc.tables[name].primary_key[0]}).",
                other: f"One {fk.resource} id listed in {fk.fields[0]}.",
                "position": "Position of the item in the list, from 1.",
            },
        }
    from .status import READS

    if set(READS) <= set(names):
        tables["person_status"] = {
            "description": "Where each person named in a custody event, and each group the figures count, "
            "stands: held, released, dead or unknown, since when, as of the latest source that mentions "
            "them, per which sources. Derived from the events and figures on export (dataset.status).",
            "label_column": "id",
            "facets": ["kind", "status"],
        }
    tables[PACKAGE_TABLE] = {
        "hidden": True,
        "description": "The package's name, title, version and full descriptor (datapackage.json).",
    }
    title = desc.raw.get("title", desc.name)
    meta: dict[str, Any] = {
        "title": title,
        "description": plain_words(str(desc.raw.get("description", ""))),
        "databases": {database: {"title": title, "tables": tables}},
    }
    if licence.get("name"):
        meta["license"] = licence["name"]
    if web_url(str(licence.get("path") or "")):  # a link on every Datasette page: http(s) only
        meta["license_url"] = licence["path"]
    sources = desc.raw.get("sources") or []
    if sources and sources[0].get("title"):
        meta["source"] = sources[0]["title"]
    return meta


def write_sqlite(frames: Frames, desc: Descriptor, names: Sequence[str], output: Path) -> list[Path]:
    """A SQLite database (replacing OUTPUT) and `<stem>.metadata.json` beside it for Datasette."""
    path = _file(output)
    with atomic_path(path) as tmp:
        conn = sqlite3.connect(tmp)
        try:
            build_sqlite(conn, frames, desc, names)
            conn.execute("VACUUM")
        finally:
            conn.close()
    meta_path = path.with_name(f"{path.stem}.metadata.json")
    text = json.dumps(datasette_metadata(desc, names, path.stem), ensure_ascii=False, indent=2) + "\n"
    with atomic_open(meta_path) as handle:
        handle.write(text.encode("utf-8"))
    return [path, meta_path]


# --- entry point --------------------------------------------------------------------------------


_WRITERS = {
    "csv": write_csv,
    "json": write_json,
    "xlsx": write_xlsx,
    "parquet": write_parquet,
    "sqlite": write_sqlite,
}


def export(
    frames: Frames,
    fmt: str,
    output: str | os.PathLike[str],
    *,
    tables: Sequence[str] | str | None = None,
    excel: bool = False,
    descriptor: Descriptor | None = None,
    force: bool = False,
) -> list[Path]:
    """Write FRAMES (from `dataset.load()`) as FMT to OUTPUT and return the files written.

    csv and parquet write a directory with one file per table; json, xlsx and sqlite one file
    (sqlite also `<stem>.metadata.json` for Datasette). TABLES picks tables (`a,b` or a list);
    EXCEL (csv only) adds a UTF-8 BOM and defuses formula-like cells. DESCRIPTOR defaults to the
    bundled package's; pass `read_descriptor(path)` for frames loaded from another package.
    OUTPUT may not be that package's descriptor, nor lie in one of its folders (data/, seeds/),
    unless FORCE (WriteRefused): an export there would overwrite the files it was made from.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    if excel and fmt != "csv":
        raise ExportError("excel=True applies to the csv format only (xlsx is always formula-safe)")
    desc = descriptor if descriptor is not None else read_descriptor()
    names = select_tables(available_tables(frames, desc), tables)
    target = Path(output)
    refuse_overwrite(target, package_files(desc), force=force)
    refuse_inside(target, desc.root, force=force)
    if fmt == "csv":
        return write_csv(frames, desc, names, target, excel=excel)
    return _WRITERS[fmt](frames, desc, names, target)
