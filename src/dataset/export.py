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
import sqlite3
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from .descriptor import Descriptor, Table, read_descriptor
from .errors import DatasetError
from .files import atomic_open, atomic_path, package_files, refuse_overwrite
from .limits import MAX_CELL_CHARS
from .query import date_field_names, text_width
from .spreadsheet import FORMULA_TRIGGERS, defused, is_formula_like  # noqa: F401 (public names)

Frames = Mapping[str, pd.DataFrame]

FORMATS = ("csv", "json", "xlsx", "parquet", "sqlite")
#: Formats written as a directory with one file per table; the others write one file.
DIRECTORY_FORMATS = ("csv", "parquet")
#: Full-text indexes of the SQLite export: table -> the long free-text columns people search.
FTS_COLUMNS: dict[str, tuple[str, ...]] = {
    "statements": ("quote", "quote_en", "excerpt"),
    "events": ("summary", "evidence"),
}
#: Name of the sheet (xlsx) describing every field, and of the SQLite table holding the descriptor.
FIELDS_SHEET = "fields"
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
            raise ExportError(f"{table.path}: cannot be read: {raw.problems[0].message if raw.problems else ''}")
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


def _column_width(values: list[Any], header: str) -> float:
    longest = max([text_width(header)] + [text_width(str(v).split("\n")[0]) for v in values if v is not None])
    return float(min(60, max(8, longest + 2)))


def _workbook_date(desc: Descriptor) -> datetime:
    created = str(desc.raw.get("created", ""))
    try:
        return datetime.fromisoformat(created.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return datetime(2000, 1, 1)


def _put(ws: Any, row: int, column: int, value: Any, dates: bool, where: str) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None:
        return
    if isinstance(value, str):
        if dates and (day := _complete_date(value)) is not None:
            cell = ws.cell(row=row, column=column, value=day)
            cell.number_format = "yyyy-mm-dd"
            return
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


def xlsx_bytes(frames: Frames, desc: Descriptor, names: Sequence[str]) -> bytes:
    """The workbook: one sheet per table and a `fields` sheet, header frozen and bold, no formulas."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    sheets: list[tuple[str, list[str], list[list[Any]], set[str]]] = []
    for name in names:
        table = desc.tables[name]
        sheets.append(
            (name, table.field_names, table_rows(frames[name], table), set(date_field_names(table)))
        )
    fields_header, fields = field_rows(desc, names)
    sheet_names = {n[:31] for n in names}
    fields_title = FIELDS_SHEET if FIELDS_SHEET not in sheet_names else f"_{FIELDS_SHEET}"
    sheets.append((fields_title, fields_header, fields, set()))
    for title, header, rows, dates in sheets:
        ws = wb.create_sheet(title=title[:31])
        for c, name in enumerate(header, start=1):
            cell = ws.cell(row=1, column=c, value=name)
            cell.data_type = "s"
            cell.quotePrefix = is_formula_like(name)
            cell.font = bold
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                _put(ws, r, c, value, header[c - 1] in dates, f"{title}, row {r}, column {header[c - 1]}")
        ws.freeze_panes = "A2"
        if rows:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
        for c, name in enumerate(header, start=1):
            width = 12.0 if name in dates else _column_width([row[c - 1] for row in rows], name)
            ws.column_dimensions[get_column_letter(c)].width = width
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
    resource = next((r for r in desc.raw.get("resources", []) if r.get("name") == table.name), {})
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
                f'content="{name}", content_rowid="rowid")'
            )
            conn.execute(f"INSERT INTO {_q(index)} ({_q(index)}) VALUES ('rebuild')")
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


def datasette_metadata(desc: Descriptor, names: Sequence[str], database: str) -> dict[str, Any]:
    """Datasette metadata for the SQLite export: titles, descriptions, licence, column descriptions."""
    licence = (desc.raw.get("licenses") or [{}])[0]
    tables: dict[str, Any] = {}
    for name in names:
        table = desc.tables[name]
        entry: dict[str, Any] = {
            "title": table.title or name,
            "description": table.description,
            "columns": {f.name: f.description for f in table.fields if f.description},
        }
        if name in FTS_COLUMNS and any(c in table.field_names for c in FTS_COLUMNS[name]):
            entry["fts_table"] = f"{name}_fts"
        tables[name] = entry
    for name, fk, link in _list_links(desc, names):
        own, other = _link_columns(name, fk.resource)
        tables[link] = {
            "description": f"The list field {name}.{fk.fields[0]} one item per row, in the order given.",
            "columns": {
                own: f"The {name} row ({desc.tables[name].primary_key[0]}).",
                other: f"One {fk.resource} id listed in {fk.fields[0]}.",
                "position": "Position of the item in the list, from 1.",
            },
        }
    tables[PACKAGE_TABLE] = {
        "description": "The package's name, title, version and full descriptor (datapackage.json).",
    }
    meta: dict[str, Any] = {
        "title": desc.raw.get("title", desc.name),
        "description": desc.raw.get("description", ""),
        "databases": {database: {"title": desc.raw.get("title", desc.name), "tables": tables}},
    }
    if licence.get("name"):
        meta["license"] = licence["name"]
    if licence.get("path"):
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
    OUTPUT may not be that package's descriptor or the folder of its tables unless FORCE
    (WriteRefused): an export there would overwrite the files it was made from.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    if excel and fmt != "csv":
        raise ExportError("excel=True applies to the csv format only (xlsx is always formula-safe)")
    desc = descriptor if descriptor is not None else read_descriptor()
    names = select_tables(available_tables(frames, desc), tables)
    target = Path(output)
    refuse_overwrite(target, package_files(desc), force=force)
    if fmt == "csv":
        return write_csv(frames, desc, names, target, excel=excel)
    return _WRITERS[fmt](frames, desc, names, target)
