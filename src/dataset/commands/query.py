"""`dataset query`: filter one table, tell a person's story, or run SQL over all tables."""

from __future__ import annotations

from typing import Any

import click

from ..errors import ValidationError
from ..limits import SQL_HEAP_BYTES, SQL_TIMEOUT_SECONDS
from ._common import library_errors, package_path_argument

#: Kept in step with dataset.query.FORMATS (a test checks); listed here so --help needs no pandas.
FORMATS = ("table", "csv", "json", "markdown")


def _is_package(text: str) -> bool:
    from ..errors import DatasetError
    from ..location import descriptor_path

    try:
        descriptor_path(text)
    except DatasetError:
        return False
    return True


def _load(path: str | None, force: bool) -> dict[str, Any]:
    """The typed tables of a package that validates (ValidationError names file, row and column).

    With FORCE, the tables as they are, unvalidated, and a warning that says so.
    """
    from .. import api

    if not force:
        try:
            return api.load(path)
        except ValidationError as exc:
            raise click.ClickException(f"{exc}\nquery runs on a valid package; pass --force to query it anyway") from None
    click.echo("warning: --force: the package is not validated; answers may be wrong", err=True)
    return api.load(path, validate=False)


def _safe(text: str, output_format: str) -> str:
    """TEXT fit to print: JSON with C1 controls escaped; csv exact when piped, escaped on a terminal."""
    import sys

    from ..report import json_safe, terminal_safe

    if output_format == "json":
        return json_safe(text)
    if output_format == "csv" and not sys.stdout.isatty():
        return text  # a file or a pipe gets the cells byte for byte
    return terminal_safe(text)


@click.command("query")
@click.argument("table", required=False)
@package_path_argument
@click.option(
    "--person",
    metavar="ID-OR-NAME",
    help="Rows naming this person (id, Latin or Cyrillic name, any case) in person_ids, "
    "speaker_person_id or about_person_ids. Without TABLE: the person's story.",
)
@click.option(
    "--type",
    "type_",
    metavar="VALUE[,VALUE]",
    help="Rows where a vocabulary column holds VALUE (e.g. event_type for events, statement_kind for "
    "statements, kind for organizations, measure for figures); VALUE,VALUE for either.",
)
@click.option(
    "--since",
    metavar="DATE",
    help="Rows whose period ends on or after DATE. Dates may be partial (YYYY, YYYY-MM, YYYY-MM-DD) "
    "and are read as the whole year, month or day they name, on both sides: a 2025-06 event "
    "(1-30 June) is kept by --since 2025-06-15; --since 2025-07 starts on 1 July.",
)
@click.option(
    "--until",
    metavar="DATE",
    help="Rows whose period starts on or before DATE (partial dates as for --since: --until 2025-06 "
    "ends on 30 June). A row's period runs from its date to its end_date; rows without a date drop out.",
)
@click.option(
    "--source",
    metavar="ID-OR-NAME",
    help="Rows citing this source (an id, or words of its publisher or title).",
)
@click.option(
    "--search",
    metavar="TEXT",
    help="Rows with TEXT in any column, ignoring case in any script (ё matches е).",
)
@click.option("--columns", metavar="A,B,C", help="Show only these columns, in this order.")
@click.option("--limit", type=click.IntRange(min=0), help="Show at most this many rows.")
@click.option(
    "--sql",
    "sql_text",
    metavar="SELECT",
    help="Run one SELECT over all tables (SQLite; the layout of `dataset export --format sqlite`).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=SQL_TIMEOUT_SECONDS,
    show_default=True,
    metavar="SECONDS",
    help="--sql only: stop the statement after this many seconds.",
)
@click.option("--force", is_flag=True, help="Query the package even when it does not validate.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table fits the terminal width (set COLUMNS to change it); csv, json and markdown keep cells whole.",
)
def query_command(
    table: str | None,
    path: str | None,
    person: str | None,
    type_: str | None,
    since: str | None,
    until: str | None,
    source: str | None,
    search: str | None,
    columns: str | None,
    limit: int | None,
    sql_text: str | None,
    timeout: float,
    force: bool,
    output_format: str,
) -> None:
    """Filter TABLE of the package at PATH, tell a person's story, or run SQL.

    Without PATH, the package bundled with this installation. Filters combine (all must hold);
    rows keep the package's order. Without TABLE, --person lists every event and statement
    about the person in date order, with their sources. --sql sees every table with its keys,
    a link table per list field (events_person_ids: events_id, persons_id, position) and
    full-text indexes (statements_fts, events_fts).

    \b
    Examples:
      dataset query events --person belousov
      dataset query events --type detention,release --since 2025-06-15 --until 2025-07
      dataset query statements --search "задерж" --columns id,speaker_person_id,quote
      dataset query --person Картавых
      dataset query figures --format csv > figures.csv
      dataset query --sql "SELECT p.name_latin, count(*) AS n FROM statements s
        JOIN persons p ON p.id = s.speaker_person_id GROUP BY p.id ORDER BY n DESC"
    """
    from ..descriptor import read_descriptor
    from ..query import QueryError, date_bounds, filter_table, person_story, render, select_columns, sql

    if table is not None and path is None and _is_package(table):
        table, path = None, table
    filters = {"--type": type_, "--since": since, "--until": until, "--source": source, "--search": search}
    given = [flag for flag, value in filters.items() if value is not None]
    if sql_text is not None:
        extra = (["TABLE"] if table else []) + (["--person"] if person else []) + given
        extra += ["--columns"] if columns else []
        if extra:
            raise click.UsageError(
                f"--sql runs on its own: leave out {', '.join(extra)} (use WHERE and a column list)"
            )
    elif table is None and person is None:
        raise click.UsageError("give a TABLE, --person for a person's story, or --sql")
    elif table is None and given:
        raise click.UsageError(
            f"{', '.join(given)} filter a table: give a TABLE (the story takes --person only)"
        )
    for flag, value in (("--since", since), ("--until", until)):
        if value is not None:
            try:
                date_bounds(value)
            except QueryError as exc:
                raise click.BadParameter(str(exc), param_hint=f"'{flag}'") from None

    with library_errors():
        desc = read_descriptor(path)
        if table is not None and table not in desc.tables:
            raise click.BadParameter(
                f"no table {table!r}; the tables are: {', '.join(desc.tables)}", param_hint="'TABLE'"
            )
        frames = _load(path, force)
        try:
            if sql_text is not None:
                result = sql(frames, sql_text, descriptor=desc, timeout=timeout, heap_limit=SQL_HEAP_BYTES)
                result = result if limit is None else result.head(limit)
            elif table is None:
                assert person is not None
                result = person_story(frames, person, descriptor=desc)
                result = select_columns(result, columns)
                result = result if limit is None else result.head(limit)
            else:
                result = filter_table(
                    frames,
                    table,
                    person=person,
                    type=type_,
                    since=since,
                    until=until,
                    source=source,
                    search=search,
                    columns=columns,
                    limit=limit,
                    descriptor=desc,
                )
        except QueryError as exc:
            raise click.UsageError(str(exc)) from None
    click.echo(_safe(render(result, output_format), output_format))
