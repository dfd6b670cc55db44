"""`dataset export`: the tables as csv, json, xlsx, parquet or sqlite."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from dataset import Package

from ._common import echo, library_errors, package_path_argument

#: Kept in step with dataset.export.FORMATS (a test checks); listed here so --help needs no pandas.
FORMATS = ("csv", "json", "xlsx", "parquet", "sqlite")


@click.command("export")
@package_path_argument
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(FORMATS),
    required=True,
    help="csv and parquet write a directory (one file per table); json, xlsx and sqlite one file.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    help="Where to write: a directory for csv and parquet, a file otherwise (replaced if it exists).",
)
@click.option("--tables", metavar="A,B", help="Export only these tables (default: all).")
@click.option(
    "--excel",
    is_flag=True,
    help="csv only: add a UTF-8 byte-order mark so that Excel reads the Cyrillic right, and put an "
    "apostrophe before any text cell starting with = + - @ (or a tab or CR) so that it cannot run "
    "as a formula. That is the only change; without --excel the CSV is byte for byte the package's.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Write even where the output would replace the package's own descriptor or table files.",
)
def export_command(
    path: Package, fmt: str, output: Path, tables: str | None, excel: bool, force: bool
) -> None:
    """Write the tables of the package at PATH as csv, json, xlsx, parquet or sqlite.

    Without PATH, the package of the current folder (or a parent), else the bundled one; it
    must validate. The output is
    deterministic: the same package gives the same bytes.

    \b
    csv      one <table>.csv per table, same rows and columns as the package
    json     {"descriptor": ..., "tables": {name: [records]}}, null for empty cells
    xlsx     an "About" sheet, a sheet per table (id, date, text first; dates as text
             plus date_start, a real date), a "fields" sheet; header frozen, long text
             wrapped, landscape one-page-wide printing; never a formula
    parquet  one <table>.parquet per table, typed as dataset.load() returns them
    sqlite   keys, indexes, link tables for list fields, FTS5 on quotes and summaries,
             a _package table; <name>.metadata.json beside it for Datasette

    \b
    Examples:
      dataset export --format xlsx -o crisis.xlsx
      dataset export --format csv --excel -o for-excel/
      dataset export --format sqlite -o crisis.db && datasette crisis.db -m crisis.metadata.json
      dataset export --format parquet --tables events,statements -o parquet/
      dataset export --format json -o crisis.json path/to/fork
    """
    from dataset import ExportError, export_tables, load, read_descriptor, select_tables, text_frames

    if excel and fmt != "csv":
        raise click.UsageError("--excel applies to --format csv only (xlsx is always formula-safe)")
    with library_errors():
        desc = read_descriptor(path)
        if tables is not None:
            try:
                select_tables(list(desc.tables), tables)
            except ExportError as exc:
                raise click.BadParameter(str(exc), param_hint="'--tables'") from None
        frames: Mapping[str, Any] = load(path)  # validates: an invalid package is refused with its report
        if fmt == "csv":  # cells as the package's CSVs hold them, not as typed values print
            frames = text_frames(desc)
        try:
            written = export_tables(
                frames, fmt, output, tables=tables, excel=excel, descriptor=desc, force=force
            )
        except ExportError as exc:
            raise click.UsageError(str(exc)) from None
        except OSError as exc:
            raise click.ClickException(
                f"{exc.filename or output}: cannot be written ({exc.strerror})"
            ) from None
    for file in written:
        echo(str(file))
