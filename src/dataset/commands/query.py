"""`dataset query`: filter one table, tell a person's story, or run SQL over all tables."""

from __future__ import annotations

from typing import Any

import click

from dataset import SQL_HEAP_BYTES, SQL_TIMEOUT_SECONDS, Package, ValidationError

from ._common import PATH_FROM_ANOTHER_ARGUMENT, library_errors, package_path_argument

#: Kept in step with dataset.query.FORMATS (a test checks); listed here so --help needs no pandas.
FORMATS = ("table", "csv", "json", "markdown")


def _is_package(text: str) -> bool:
    from dataset import DatasetError, descriptor_path

    try:
        descriptor_path(text)
    except DatasetError:
        return False
    return True


def _table_or_path(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """`dataset query ./fork --sql ...`: a package directory in TABLE's place is the PATH."""
    if value is not None and "path" not in ctx.params and _is_package(value):
        ctx.meta[PATH_FROM_ANOTHER_ARGUMENT] = value
        return None
    return value


def _load(path: Package, force: bool) -> dict[str, Any]:
    """The typed tables of a package that validates (ValidationError names file, row and column).

    With FORCE, the tables as they are, unvalidated, and a warning that says so.
    """
    from dataset import load

    if not force:
        try:
            return load(path)
        except ValidationError as exc:
            raise click.ClickException(
                f"{exc}\nquery runs on a valid package; pass --force to query it anyway"
            ) from None
    click.echo("warning: --force: the package is not validated; answers may be wrong", err=True)
    return load(path, validate=False)


def _safe(text: str, output_format: str) -> str:
    """TEXT fit to print: JSON with C1 controls escaped; csv exact when piped, escaped on a terminal."""
    import sys

    from dataset import json_safe, terminal_safe

    if output_format == "json":
        return json_safe(text)
    if output_format == "csv" and not sys.stdout.isatty():
        return text  # a file or a pipe gets the cells byte for byte
    return terminal_safe(text)


@click.command("query")
@click.argument("table", required=False, callback=_table_or_path)
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
@click.option(
    "--columns",
    metavar="A,B,C",
    help="Show only these columns, in this order. Without it, --format table shows each table's key "
    "columns (id, date, what happened or was said) and the other formats every column.",
)
@click.option(
    "--sort",
    metavar="COLUMN[,COLUMN]",
    help="Sort by these columns; -COLUMN for descending (--sort=-date). Partial dates sort by their "
    "first day. Default: tables with a date in date order, the others in the package's order.",
)
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
    "--lang",
    metavar="LANG",
    help="Show the renderings in LANG where the data has them (ru: summary_ru for summary, counted_ru "
    "for counted), one of the descriptor's languages.",
)
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
    path: Package,
    person: str | None,
    type_: str | None,
    since: str | None,
    until: str | None,
    source: str | None,
    search: str | None,
    columns: str | None,
    sort: str | None,
    limit: int | None,
    sql_text: str | None,
    timeout: float,
    force: bool,
    lang: str | None,
    output_format: str,
) -> None:
    """Filter TABLE of the package at PATH, tell a person's story, or run SQL.

    Without PATH, the package of the current folder (or its nearest parent with a
    datapackage.json), else the package bundled with this installation. Filters combine (all
    must hold); events, statements, figures and sources come in date order (--sort to change
    it). A result too wide for the terminal prints one block per row, so ids, dates and text
    stay whole. Without TABLE, --person lists every event and statement
    about the person in date order, with their sources. --sql sees every table with its keys,
    a link table per list field (events_person_ids: events_id, persons_id, position) and
    full-text indexes (statements_fts, events_fts).

    \b
    Examples:
      dataset query events --person belousov
      dataset query events --type detention,release --since 2025-06-15 --until 2025-07
      dataset query figures --sort measure,-value
      dataset query statements --search "задерж" --columns id,speaker_person_id,quote
      dataset query --person Картавых --lang ru
      dataset query events --type release --lang ru
      dataset query figures --format csv > figures.csv
      dataset query --sql "SELECT p.name_latin, count(*) AS n FROM statements s
        JOIN persons p ON p.id = s.speaker_person_id GROUP BY p.id ORDER BY n DESC"
    """
    from dataset import QueryError, check_language, did_you_mean, read_descriptor
    from dataset import render_result as render

    filters = dict(type=type_, since=since, until=until, source=source, search=search, sort=sort)
    _check_options(table, person, sql_text, columns, filters)

    with library_errors():
        desc = read_descriptor(path)
        if table is not None and table not in desc.tables:
            raise click.BadParameter(
                f"no table {table!r}{did_you_mean(table, desc.tables)}; the tables are: {', '.join(desc.tables)}",
                param_hint="'TABLE'",
            )
        try:
            lang = check_language(lang, desc)
        except QueryError as exc:
            raise click.BadParameter(str(exc), param_hint="'--lang'") from None
        frames = _load(path, force)
        try:
            result = _result(
                frames,
                desc,
                table,
                sql_text,
                person,
                columns,
                limit,
                timeout,
                lang,
                output_format,
                filters,
            )
        except QueryError as exc:
            raise click.UsageError(str(exc)) from None
    click.echo(_safe(render(result, output_format), output_format))
    if table is not None and sql_text is None and columns is None and output_format == "table":
        _hint_hidden(table, desc, list(result.columns))


def _result(
    frames: Any,
    desc: Any,
    table: str | None,
    sql_text: str | None,
    person: str | None,
    columns: str | None,
    limit: int | None,
    timeout: float,
    lang: str | None,
    output_format: str,
    filters: dict[str, Any],
) -> Any:
    """The frame the chosen mode gives: an SQL result, a person's story, or a filtered TABLE."""
    from dataset import filter_table, person_story, select_columns
    from dataset import run_sql as sql

    if sql_text is not None:
        result = sql(frames, sql_text, descriptor=desc, timeout=timeout, heap_limit=SQL_HEAP_BYTES)
        return result if limit is None else result.head(limit)
    if table is None:
        assert person is not None
        result = select_columns(person_story(frames, person, descriptor=desc, lang=lang), columns)
        return result if limit is None else result.head(limit)
    shown = columns or _shown(table, desc, output_format, lang)
    return filter_table(frames, table, person=person, columns=shown, limit=limit, descriptor=desc, **filters)


def _check_options(
    table: str | None, person: str | None, sql_text: str | None, columns: str | None, filters: dict[str, Any]
) -> None:
    """No empty value, one mode, and a period whose bounds are dates in order (usage errors)."""
    for flag, value in (
        ("--sort", filters["sort"]),
        ("--columns", columns),
        ("--person", person),
        ("--type", filters["type"]),
    ):
        if value is not None and not value.strip(" ,-"):
            raise click.UsageError(f"{flag} is empty: give a value, or leave {flag} out")
    given = [f"--{name}" for name, value in filters.items() if value is not None]
    _check_modes(table, person, sql_text, columns, given)
    _check_period(filters["since"], filters["until"])


def _check_modes(
    table: str | None, person: str | None, sql_text: str | None, columns: str | None, given: list[str]
) -> None:
    """One of the three modes (a TABLE with filters GIVEN, a person's story, --sql), unmixed."""
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


def _check_period(since: str | None, until: str | None) -> None:
    """Each bound a date (else a bad --since/--until), and --since not after --until (a usage error)."""
    from dataset import QueryError, check_period

    for flag, value in (("--since", since), ("--until", until)):
        try:
            check_period(value if flag == "--since" else None, value if flag == "--until" else None)
        except QueryError as exc:
            raise click.BadParameter(str(exc), param_hint=f"'{flag}'") from None
    try:
        check_period(since, until)
    except QueryError as exc:
        raise click.UsageError(str(exc)) from None


def _shown(table: str, desc: Any, output_format: str, lang: str | None = None) -> list[str] | None:
    """The key columns of TABLE for the terminal table (in LANG where rendered); every column for the data formats."""
    from dataset import key_columns, localized

    fields = desc.tables[table].field_names
    return localized(key_columns(table, fields), fields, lang) if output_format == "table" else None


def _hint_hidden(table: str, desc: Any, shown: list[str]) -> None:
    """Say which columns the default view left out, and how to see them."""
    hidden = [c for c in desc.tables[table].field_names if c not in shown]
    if hidden:
        click.echo(
            f"{len(hidden)} more columns ({', '.join(hidden)}): add --columns {','.join([*shown, hidden[0]])}"
            " or --format csv",
            err=True,
        )
