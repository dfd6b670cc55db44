"""`dataset export` and `dataset.export`: every format round-trips the package's values, safely and reproducibly."""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import sqlite3
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from dataset import export as ex
from dataset.cli import cli
from dataset.commands import export as export_command_module
from dataset.descriptor import Descriptor

HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)", "-2+3"]

Values = dict[str, tuple[list[str], list[list[Any]]]]


@pytest.fixture(scope="module")
def expected(repo_root: Path, desc: Descriptor) -> Values:
    """The package's values read from the CSVs without the library: empty -> None, integers -> int."""
    values: Values = {}
    for name, table in desc.tables.items():
        with (repo_root / table.path).open(encoding="utf-8", newline="") as fh:
            header, *rows = list(csv.reader(fh))
        ints = [table.field(c).type == "integer" for c in header]
        values[name] = (
            header,
            [
                [(int(v) if i else v) if v != "" else None for v, i in zip(row, ints, strict=True)]
                for row in rows
            ],
        )
    return values


@pytest.fixture
def hostile(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables with formula-like text in the first four notes of persons."""
    persons = frames["persons"].copy()
    for i, text in enumerate(HOSTILE):
        persons.loc[i, "notes"] = text
    return {**frames, "persons": persons}


def test_expected_values_cover_the_hard_cases(expected: Values) -> None:
    """The reference values hold Cyrillic, empty cells, partial and complete dates and integers."""
    cells = [v for _, rows in expected.values() for row in rows for v in row]
    assert any(isinstance(v, str) and re.search("[а-яА-Я]", v) for v in cells)
    assert None in cells
    assert any(isinstance(v, int) for v in cells)
    dates = [row[1] for row in expected["events"][1]]
    assert any(len(d) == 7 for d in dates) and any(len(d) == 10 for d in dates)


# --- csv --------------------------------------------------------------------------------------------


def test_csv_is_byte_for_byte_the_package(frames, desc, repo_root: Path, tmp_path: Path) -> None:
    """Without --excel each exported CSV is the package's file, byte for byte."""
    written = ex.export(frames, "csv", tmp_path / "csv", descriptor=desc)
    assert [p.name for p in written] == [f"{name}.csv" for name in desc.tables]
    for name, table in desc.tables.items():
        assert (tmp_path / "csv" / f"{name}.csv").read_bytes() == (repo_root / table.path).read_bytes()


def test_csv_excel_adds_a_bom_and_defuses_only_formulas(
    hostile, desc, expected: Values, tmp_path: Path
) -> None:
    """--excel: a UTF-8 BOM, an apostrophe before formula-like text, every other cell unchanged."""
    ex.export(hostile, "csv", tmp_path, excel=True, descriptor=desc)
    for name in desc.tables:
        data = (tmp_path / f"{name}.csv").read_bytes()
        assert data.startswith(codecs.BOM_UTF8)
        header, *rows = list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))
        want_header, want_rows = expected[name]
        if name == "persons":
            notes = want_header.index("notes")
            want_rows = [list(r) for r in want_rows]
            for i, text in enumerate(HOSTILE):
                want_rows[i][notes] = text
        assert header == want_header
        assert rows == [
            [
                "'" + v if isinstance(v, str) and v[:1] in "=+-@" else ("" if v is None else str(v))
                for v in row
            ]
            for row in want_rows
        ]
        assert not any(cell[:1] in ("=", "+", "-", "@") and cell for row in rows for cell in row)
    persons = list(csv.reader(io.StringIO((tmp_path / "persons.csv").read_bytes()[3:].decode("utf-8"))))
    assert [row[-1] for row in persons[1:5]] == ["'" + text for text in HOSTILE]


# --- json -------------------------------------------------------------------------------------------


def test_json_round_trip(frames, desc, expected: Values, tmp_path: Path) -> None:
    """The JSON holds the descriptor and every row as a record, null for empty cells, numbers as numbers."""
    ex.export(frames, "json", tmp_path / "p.json", descriptor=desc)
    document = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert document["descriptor"] == desc.raw
    assert list(document["tables"]) == list(desc.tables)
    for name, (header, rows) in expected.items():
        assert document["tables"][name] == [dict(zip(header, row, strict=True)) for row in rows]


# --- xlsx -------------------------------------------------------------------------------------------


def _cell_value(value: Any) -> Any:
    return value.date().isoformat() if isinstance(value, datetime) else value


def first_day(text: str | None) -> date | None:
    """The first day a partial ISO date names, computed without the library."""
    if not text:
        return None
    return date.fromisoformat(text + "-01-01"[len(text) - 4 :])


def sheet_records(ws: Any) -> tuple[list[str], list[dict[str, Any]]]:
    rows = list(ws.iter_rows(values_only=True))
    header = list(rows[0])
    return header, [dict(zip(header, row, strict=True)) for row in rows[1:]]


def test_xlsx_round_trip(frames, desc, expected: Values, tmp_path: Path) -> None:
    """Each table's sheet holds its header and values, read by column name; added columns are `<date>_start`.

    The round-trip drops the columns ending in `_start` (documented in the About sheet): each is
    the first day of the date column it follows, as a real date.
    """
    ex.export(frames, "xlsx", tmp_path / "p.xlsx", descriptor=desc)
    wb = openpyxl.load_workbook(tmp_path / "p.xlsx")
    assert wb.sheetnames[0] == "About"
    assert [n for n in wb.sheetnames if n in desc.tables] == list(desc.tables)
    assert wb.sheetnames[-1] == "Status"  # derived (dataset.status), after "fields"
    for name, (header, rows) in expected.items():
        got_header, records = sheet_records(wb[name])
        added = [c for c in got_header if c not in header]
        assert sorted(c for c in got_header if c in header) == sorted(header)
        assert all(c.endswith("_start") and c.removesuffix("_start") in header for c in added)
        for column in added:
            source = column.removesuffix("_start")
            assert [_cell_value(r[column]) for r in records] == [
                d.isoformat() if (d := first_day(r[source])) else None for r in records
            ]
        assert [[r[c] for c in header] for r in records] == rows


def test_xlsx_one_type_per_column_dates_sort_by_start(frames, desc, tmp_path: Path) -> None:
    """`date` is text as published (2024-12 stays a month); `date_start` holds only date cells, so a sort is chronological."""
    ex.export(frames, "xlsx", tmp_path / "p.xlsx", tables="events", descriptor=desc)
    ws = openpyxl.load_workbook(tmp_path / "p.xlsx")["events"]
    header = [c.value for c in ws[1]]
    text = [ws.cell(row=r, column=header.index("date") + 1) for r in range(2, ws.max_row + 1)]
    start = [ws.cell(row=r, column=header.index("date_start") + 1) for r in range(2, ws.max_row + 1)]
    assert {c.data_type for c in text if c.value is not None} == {"s"}
    assert any(len(c.value) in (4, 7) for c in text)
    assert all(c.is_date and c.number_format == "yyyy-mm-dd" for c in start if c.value is not None)
    by_start = sorted(zip(start, text, strict=True), key=lambda p: p[0].value)
    days = [first_day(t.value) for _, t in by_start]
    assert days == sorted(days)


@pytest.mark.parametrize(("name", "first"), [("events", "summary"), ("statements", "quote")])
def test_xlsx_reading_order_puts_id_date_and_text_first(
    frames, desc, tmp_path: Path, name: str, first: str
) -> None:
    """id, then the date, then what happened or was said, within the first five columns."""
    ex.export(frames, "xlsx", tmp_path / "p.xlsx", tables=name, descriptor=desc)
    header = [c.value for c in openpyxl.load_workbook(tmp_path / "p.xlsx")[name][1]]
    assert header[:3] == ["id", "date", "date_start"]
    assert first in header[:5]


def test_xlsx_about_sheet_says_version_licence_dates_and_sources(
    frames, desc, expected: Values, tmp_path: Path
) -> None:
    """The first sheet names the title, version and licence, explains dates and evidence, and lists every source."""
    ex.export(frames, "xlsx", tmp_path / "p.xlsx", descriptor=desc)
    about = openpyxl.load_workbook(tmp_path / "p.xlsx")["About"]
    cells = [str(v) for row in about.iter_rows(values_only=True) for v in row if v is not None]
    assert cells[0] == desc.raw["title"]
    text = "\n".join(cells)
    assert desc.version in cells and desc.raw["licenses"][0]["path"] in text
    for word in ("date_precision", "date_qualifier", "evidence", "date_start"):
        assert word in cells
    header, rows = expected["sources"]
    for row in rows:
        assert row[header.index("id")] in cells
    assert "`" not in text and "x-enum" not in text


def test_xlsx_prints_landscape_fit_to_width_with_the_header_repeated(frames, desc, tmp_path: Path) -> None:
    """Every table sheet: landscape, as few pages wide as its widths need (the id column repeated on
    each), row 1 repeated, long text wrapped and rows tall enough."""
    ex.export(frames, "xlsx", tmp_path / "p.xlsx", descriptor=desc)
    wb = openpyxl.load_workbook(tmp_path / "p.xlsx")
    for name in desc.tables:
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape"
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        widths = sum(d.width * (d.max - d.min + 1) for d in ws.column_dimensions.values() if d.width)
        across = ws.page_setup.fitToWidth
        assert ws.page_setup.fitToHeight == 0 and across >= 1
        assert (across - 1) * ex.XLSX_PRINT_WIDTH < widths <= across * ex.XLSX_PRINT_WIDTH
        assert across == 1 or ws.print_title_cols == "$A:$A"
        assert ws.print_title_rows == "$1:$1"
        long = [
            c
            for row in ws.iter_rows(min_row=2)
            for c in row
            if isinstance(c.value, str) and len(c.value) > 80
        ]
        assert all(c.alignment.wrap_text for c in long)
        assert all((ws.row_dimensions[c.row].height or 0) > 15 for c in long)


def test_xlsx_layout_header_widths_and_fields_sheet(frames, desc, tmp_path: Path) -> None:
    """Header frozen and bold, widths sized to the content, and a sheet describing every field."""
    ex.export(frames, "xlsx", tmp_path / "p.xlsx", descriptor=desc)
    wb = openpyxl.load_workbook(tmp_path / "p.xlsx")
    for name in desc.tables:
        ws = wb[name]
        assert ws.freeze_panes == "A2"
        assert all(c.font.b for c in ws[1])
        widths = [
            ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width
            for i in range(1, ws.max_column + 1)
        ]
        assert all(8 <= w <= ex.XLSX_MAX_WIDTH for w in widths)
    persons = wb["persons"]
    header = [c.value for c in persons[1]]
    assert persons.column_dimensions["A"].width >= max(len(v) for v in expected_column(persons, header, "id"))
    fields = list(wb["fields"].iter_rows(values_only=True))
    assert fields[0][:3] == ("table", "field", "type")
    described = {(r[0], r[1]): r[-1] for r in fields[1:]}
    assert described == {
        (t.name, f.name): f.description or None for t in desc.tables.values() for f in t.fields
    }


def expected_column(ws: Any, header: list[str], name: str) -> list[str]:
    column = header.index(name) + 1
    return [ws.cell(row=r, column=column).value for r in range(2, ws.max_row + 1)]


def test_xlsx_hostile_cells_stay_strings(hostile, desc, tmp_path: Path) -> None:
    """=HYPERLINK(...), +1+1, @SUM(A1) and -2+3 are stored as text with a quote prefix, never as formulas."""
    ex.export(hostile, "xlsx", tmp_path / "p.xlsx", tables="persons", descriptor=desc)
    ws = openpyxl.load_workbook(tmp_path / "p.xlsx")["persons"]
    notes = [c.value for c in ws[1]].index("notes") + 1
    cells = [ws.cell(row=r, column=notes) for r in range(2, 6)]
    assert [c.value for c in cells] == HOSTILE
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    with zipfile.ZipFile(tmp_path / "p.xlsx") as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        xml = "".join(archive.read(n).decode("utf-8") for n in sheets)
    assert "<f>" not in xml and "<f " not in xml
    assert "=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)" in xml or '=HYPERLINK("http://x","y")' in xml


# --- parquet ----------------------------------------------------------------------------------------


def test_parquet_round_trip_keeps_the_types(frames, desc, expected: Values, tmp_path: Path) -> None:
    """Each Parquet file reads back as the loaded frame: Int64 with nulls, categoricals, strings, same values."""
    ex.export(frames, "parquet", tmp_path, descriptor=desc)
    for name, table in desc.tables.items():
        back = pd.read_parquet(tmp_path / f"{name}.parquet")
        pd.testing.assert_frame_equal(back, frames[name])
        schema = pq.read_schema(tmp_path / f"{name}.parquet")
        for f in table.fields:
            kind = schema.field(f.name).type
            if f.type == "integer":
                assert kind == pa.int64()
            elif f.enum:
                assert pa.types.is_dictionary(kind)
            else:
                assert kind == pa.string()
        rows = pq.read_table(tmp_path / f"{name}.parquet").to_pylist()
        header, want = expected[name]
        assert [[r[c] for c in header] for r in rows] == want


# --- sqlite -----------------------------------------------------------------------------------------


def test_sqlite_round_trip_with_keys_indexes_and_metadata(
    frames, desc, expected: Values, tmp_path: Path
) -> None:
    """The database holds every row, primary and foreign keys, indexes on them, and the descriptor."""
    written = ex.export(frames, "sqlite", tmp_path / "crisis.db", descriptor=desc)
    assert written == [tmp_path / "crisis.db", tmp_path / "crisis.metadata.json"]
    conn = sqlite3.connect(tmp_path / "crisis.db")
    for name, (header, rows) in expected.items():
        columns = ", ".join(f'"{c}"' for c in header)
        cursor = conn.execute(f'SELECT {columns} FROM "{name}" ORDER BY rowid')
        assert [list(r) for r in cursor.fetchall()] == rows
        stored = [r[1] for r in conn.execute(f'PRAGMA table_xinfo("{name}")')]
        assert [c for c in stored if c not in header] in ([], [ex.LABEL_COLUMN])  # the generated label only
        table = desc.tables[name]
        info = conn.execute(f'PRAGMA table_info("{name}")').fetchall()
        assert [r[1] for r in info if r[5]] == list(table.primary_key)
        fks = {(r[3], r[2]) for r in conn.execute(f'PRAGMA foreign_key_list("{name}")')}
        assert fks == {(fk.fields[0], fk.resource) for fk in table.foreign_keys if not fk.is_list}
        indexed = {
            conn.execute(f'PRAGMA index_info("{idx[1]}")').fetchone()[2]
            for idx in conn.execute(f'PRAGMA index_list("{name}")')
        }
        assert {c for c, _ in fks} <= indexed
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert json.loads(conn.execute("SELECT descriptor FROM _package").fetchone()[0]) == desc.raw


def test_sqlite_full_text_search_finds_cyrillic_and_english(
    frames, desc, expected: Values, tmp_path: Path
) -> None:
    """statements_fts and events_fts find words in quotes and summaries, ignoring case."""
    ex.export(frames, "sqlite", tmp_path / "crisis.db", descriptor=desc)
    conn = sqlite3.connect(tmp_path / "crisis.db")
    header, rows = expected["statements"]
    quote = header.index("quote")
    want = sorted(r[0] for r in rows if re.search(r"\bзадержанных\b", r[quote].casefold()))
    got = conn.execute(
        "SELECT s.id FROM statements_fts JOIN statements s ON s.rowid = statements_fts.rowid "
        "WHERE statements_fts MATCH 'quote:ЗАДЕРЖАННЫХ' ORDER BY s.id"
    ).fetchall()
    assert want and [r[0] for r in got] == want
    header, rows = expected["events"]
    summary = header.index("summary")
    want = sorted(r[0] for r in rows if re.search(r"\bsputnik\b", r[summary].casefold()))
    got = conn.execute(
        "SELECT e.id FROM events_fts JOIN events e ON e.rowid = events_fts.rowid "
        "WHERE events_fts MATCH 'summary:sputnik' ORDER BY e.id"
    ).fetchall()
    assert want and [r[0] for r in got] == want


def test_sqlite_link_tables_spell_out_list_fields(frames, desc, expected: Values, tmp_path: Path) -> None:
    """Each list field becomes a table with one row per item, in order."""
    ex.export(frames, "sqlite", tmp_path / "crisis.db", descriptor=desc)
    conn = sqlite3.connect(tmp_path / "crisis.db")
    header, rows = expected["events"]
    column = header.index("person_ids")
    want = [
        (r[0], item, n) for r in rows if r[column] for n, item in enumerate(r[column].split(";"), start=1)
    ]
    got = conn.execute(
        "SELECT events_id, persons_id, position FROM events_person_ids l JOIN events e ON e.id = l.events_id "
        "ORDER BY e.rowid, position"
    ).fetchall()
    assert got == want


def test_datasette_metadata_describes_tables_and_columns(frames, desc, tmp_path: Path) -> None:
    """<name>.metadata.json gives Datasette the title, licence and every table's and column's description."""
    ex.export(frames, "sqlite", tmp_path / "crisis.db", descriptor=desc)
    meta = json.loads((tmp_path / "crisis.metadata.json").read_text(encoding="utf-8"))
    assert meta["title"] == desc.raw["title"]
    assert meta["license"] == desc.raw["licenses"][0]["name"]
    tables = meta["databases"]["crisis"]["tables"]
    for name, table in desc.tables.items():
        assert tables[name]["description"] == ex.plain_words(table.description or "")
        described = {c: t for c, t in tables[name]["columns"].items() if c != ex.LABEL_COLUMN}
        assert described.keys() == {f.name for f in table.fields if f.description}
        for field, text in described.items():
            assert ex.plain_words(table.field(field).description).startswith(text)
    assert tables["statements"]["fts_table"] == "statements_fts"


# --- determinism and selection ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ex.FORMATS)
def test_exports_are_deterministic(frames, desc, tmp_path: Path, fmt: str) -> None:
    """Exporting the same package twice gives the same bytes (and, for sqlite, the same SQL dump)."""
    outputs = []
    for run in ("a", "b"):
        target = tmp_path / run / ("out" if fmt in ex.DIRECTORY_FORMATS else f"out.{fmt}")
        written = ex.export(frames, fmt, target, descriptor=desc)
        outputs.append({p.relative_to(tmp_path / run): p.read_bytes() for p in written})
    assert outputs[0] == outputs[1]
    if fmt == "sqlite":
        dumps = [list(sqlite3.connect(tmp_path / run / "out.sqlite").iterdump()) for run in ("a", "b")]
        assert dumps[0] == dumps[1]


def test_tables_picks_tables_in_package_order(frames, desc, tmp_path: Path) -> None:
    """--tables exports only the tables named, in the package's order."""
    written = ex.export(frames, "csv", tmp_path, tables="statements,persons", descriptor=desc)
    assert [p.name for p in written] == ["persons.csv", "statements.csv"]
    with pytest.raises(ex.ExportError, match="unknown table 'people'"):
        ex.export(frames, "csv", tmp_path, tables="persons,people", descriptor=desc)


def test_file_and_directory_outputs_are_not_confused(frames, desc, tmp_path: Path) -> None:
    """A single-file format refuses a directory, and a directory format refuses a file."""
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ex.ExportError, match="is a directory"):
        ex.export(frames, "json", tmp_path, descriptor=desc)
    with pytest.raises(ex.ExportError, match="is a file"):
        ex.export(frames, "csv", tmp_path / "file.txt", descriptor=desc)


# --- the command ------------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_cli_writes_what_the_library_writes(repo_root: Path, frames, desc, tmp_path: Path) -> None:
    """`dataset export --format json -o FILE` writes the library's bytes and prints the file written."""
    code, output = run("export", str(repo_root), "--format", "json", "-o", str(tmp_path / "cli.json"))
    ex.export(frames, "json", tmp_path / "lib.json", descriptor=desc)
    assert code == 0
    assert output.strip() == str(tmp_path / "cli.json")
    assert (tmp_path / "cli.json").read_bytes() == (tmp_path / "lib.json").read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml", "-o", "x"], "'xml' is not one of"),
        (["--format", "csv"], "Missing option '-o'"),
        (["--format", "xlsx", "--excel", "-o", "x.xlsx"], "--excel applies to --format csv only"),
        (["--format", "csv", "--tables", "events,people", "-o", "x"], "unknown table 'people'"),
    ],
)
def test_cli_bad_flags_exit_2(repo_root: Path, tmp_path: Path, args: list[str], message: str) -> None:
    """Bad flags exit 2 with a message naming the problem, never a traceback."""
    code, output = run("export", str(repo_root), *args)
    assert code == 2
    assert message in output


def test_cli_refuses_an_invalid_package(package_copy: Path, tmp_path: Path) -> None:
    """An invalid package is not exported: exit 1 with the file, row and column of the problem."""
    path = package_copy / "data" / "figures.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    cells = next(csv.reader([lines[1]]))
    cells[header.index("value")] = "six"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)
    lines[1] = out.getvalue()
    path.write_text("".join(lines), encoding="utf-8")
    code, output = run("export", str(package_copy), "--format", "json", "-o", str(tmp_path / "x.json"))
    assert code == 1
    assert "data/figures.csv, row 2, column value" in output
    assert not (tmp_path / "x.json").exists()


def test_cli_formats_are_the_library_formats() -> None:
    """The command's --format choices are the library's formats."""
    assert export_command_module.FORMATS == ex.FORMATS


def test_cli_help_has_examples() -> None:
    """`dataset export --help` shows an Examples block."""
    code, output = run("export", "--help")
    assert code == 0
    assert "Examples:\n    dataset export --format xlsx -o crisis.xlsx" in output


def test_complete_date_helper_rejects_impossible_days() -> None:
    """Only a real calendar day becomes a date cell; 2025-02-30 stays text."""
    assert ex._complete_date("2025-02-28") == date(2025, 2, 28)
    assert ex._complete_date("2025-02-30") is None
    assert ex._complete_date("2025-02") is None


def test_plain_words_drop_markdown_and_internal_keys() -> None:
    """Backticks go; a clause naming an x- key goes; the rest of the description stays."""
    text = "Controlled vocabulary of what happened; each value is defined in x-enum-descriptions (and in the codebook)."
    assert ex.plain_words(text) == "Controlled vocabulary of what happened."
    assert (
        ex.plain_words("Precision of `date`: day, month or year.") == "Precision of date: day, month or year."
    )
    assert ex.first_sentence("A slug, e.g. 2025-06-30-raid, never reused. Checked by validate.") == (
        "A slug, e.g. 2025-06-30-raid, never reused."
    )


def test_sqlite_sources_label_is_never_empty(frames, desc, tmp_path: Path) -> None:
    """A source with neither headline nor publisher is labelled by its id; with a headline, by it."""
    sources = frames["sources"].copy()
    sources.loc[0, ["title", "publisher", "publisher_basis"]] = pd.NA
    sources.loc[1, "title"] = "A headline"
    ex.export({**frames, "sources": sources}, "sqlite", tmp_path / "c.db", tables="sources", descriptor=desc)
    labels = dict(sqlite3.connect(tmp_path / "c.db").execute("SELECT id, label FROM sources").fetchall())
    assert labels[sources.loc[0, "id"]] == sources.loc[0, "id"]
    assert labels[sources.loc[1, "id"]] == "A headline"
    assert all(labels.values())
