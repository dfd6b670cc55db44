"""Questions to the tables: filter one table, run SQL over all of them, or tell a person's story.

Everything here works on the frames `dataset.api.load()` returns and on the descriptor, which
says which columns are vocabularies, which hold dates and which point to persons or sources.
The few presentation choices (which text a story shows) are named constants below. The renderers at the end turn any result into a table
that fits the terminal (Cyrillic and wide characters aligned), CSV, JSON or Markdown.
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import io
import json
import re
import shutil
import signal
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

import pandas as pd

from .dates import PARTIAL_DATE_SHAPE, period
from .descriptor import Descriptor, Field, Table, read_descriptor
from .errors import DatasetError, DescriptorError
from .limits import MAX_SQL_ROWS, SQL_HEAP_BYTES, SQL_TIMEOUT_SECONDS
from .views import (
    char_width,
    date_field_names,
    date_fields,
    key_columns,
    label_fields,
    text_width,
    vocabulary_fields,
)

Frames = Mapping[str, pd.DataFrame]

#: Output formats of `render`.
FORMATS = ("table", "csv", "json", "markdown")
#: The tables `--person` and `--source` resolve names against.
PERSONS = "persons"
SOURCES = "sources"
#: What a person's story shows of each table: the text (first non-empty column wins) and who speaks.
STORY_TEXT = {"events": ("summary",), "statements": ("quote_en", "quote")}
STORY_SPEAKER = {"statements": ("speaker_person_id", "speaker_organization_id")}
STORY_COLUMNS = ("date", "end_date", "date_qualifier", "kind", "id", "role", "speaker", "text", "source_ids")
#: The table layout gives each free-text column at least this many terminal columns, else one block per row.
MIN_TEXT_WIDTH = 30
#: Close matches offered for a misspelt value (difflib's cutoff, 0..1).
CLOSE_MATCH_CUTOFF = 0.6


class QueryError(DatasetError):
    """A question the tables cannot answer as asked: unknown table, column, person, value or date."""


# --- helpers on the descriptor ------------------------------------------------------------------


def fold(text: str) -> str:
    """Text for case-insensitive comparison in any script: NFC, casefold, and ё read as е."""
    return unicodedata.normalize("NFC", text).casefold().replace("ё", "е")


def _descriptor(descriptor: Descriptor | None) -> Descriptor:
    return descriptor if descriptor is not None else read_descriptor()


def _table(frames: Frames, desc: Descriptor, name: str) -> tuple[Table, pd.DataFrame]:
    if name not in frames or name not in desc.tables:
        known = [n for n in frames if n in desc.tables]
        raise QueryError(f"no table {name!r}{did_you_mean(name, known)}; the tables are: {', '.join(known)}")
    return desc.tables[name], frames[name]


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """` (did you mean 'release'?)` when VALUE is close to one of CHOICES (difflib), else ``."""
    close = difflib.get_close_matches(value, list(choices), n=3, cutoff=CLOSE_MATCH_CUTOFF)
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"


def referring_columns(desc: Descriptor, name: str, target: str) -> list[tuple[str, str | None]]:
    """Columns of table NAME that hold keys of table TARGET, with the list separator (None = one key).

    For TARGET itself, its primary key: `--person` on the persons table filters by id.
    """
    table = desc.tables[name]
    columns: list[tuple[str, str | None]] = []
    if name == target and len(table.primary_key) == 1:
        columns.append((table.primary_key[0], None))
    for fk in table.foreign_keys:
        if fk.resource == target and len(fk.fields) == 1 and (fk.fields[0], None) not in columns:
            columns.append((fk.fields[0], fk.separator if fk.is_list else None))
    return columns


def _text(value: Any) -> str:
    return (
        "" if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)) else str(value)
    )


def resolve(frames: Frames, target: str, text: str, *, descriptor: Descriptor | None = None) -> list[str]:
    """Ids of the rows of TARGET that TEXT names: an exact id, or every word of TEXT in the id or a name.

    Case-insensitive in any script: `kartavykh`, `Igor Kartavykh`, `Картавых` and
    `kartavykh-igor` all name the same person. Returns [] when nothing matches.
    """
    desc = _descriptor(descriptor)
    table, frame = _table(frames, desc, target)
    if len(table.primary_key) != 1:
        raise QueryError(f"table {target!r} has no single-column primary key to match names against")
    key = table.primary_key[0]
    ids = [_text(v) for v in frame[key]]
    wanted = fold(text.strip())
    exact = [i for i in ids if fold(i) == wanted]
    if exact:
        return exact
    words = [w for w in re.split(r"[\s_]+", wanted) if w]
    if not words:
        return []
    labels = label_fields(table)
    found = []
    for i, (_, row) in enumerate(frame.iterrows()):
        haystack = " ".join(fold(_text(row[c])) for c in [key, *labels])
        if all(w in haystack for w in words):
            found.append(ids[i])
    return found


def _contains_any(series: pd.Series, ids: set[str], separator: str | None) -> pd.Series:
    text = series.astype("string").fillna("")
    if separator is None:
        return text.isin(ids).astype(bool)
    return text.map(lambda s: bool(ids.intersection(s.split(separator)))).astype(bool)


def _links(frame: pd.DataFrame, columns: list[tuple[str, str | None]], ids: set[str]) -> pd.Series:
    mask = pd.Series(False, index=frame.index)
    for column, separator in columns:
        mask |= _contains_any(frame[column], ids, separator)
    return mask


# --- dates ----------------------------------------------------------------------------------------


def date_bounds(text: str) -> tuple[date, date]:
    """First and last day of a partial ISO date: `2025` -> 1 Jan..31 Dec, `2025-06` -> 1..30 June."""
    try:
        return period(text.strip())
    except ValueError as exc:
        raise QueryError(f"{text!r} is not a date: {exc}") from None


def check_period(since: str | None, until: str | None) -> None:
    """Raise QueryError when a bound is not a date or SINCE starts after UNTIL ends (a period with no day)."""
    first = date_bounds(since)[0] if since else None
    last = date_bounds(until)[1] if until else None
    if first is not None and last is not None and first > last:
        raise QueryError(
            f"--since {since} starts after --until {until} ends: the period is empty; swap the two dates"
        )


def row_periods(frame: pd.DataFrame, table: Table) -> tuple[pd.Series, pd.Series]:
    """Each row's period: the first day of its date and the last day of its end_date (or of its date).

    A row with no date has no period (missing on both sides).
    """
    fields = date_fields(table)
    if fields is None:
        raise QueryError(f"table {table.name!r} has no date column")
    start_col, end_col = fields
    starts: list[date | None] = []
    ends: list[date | None] = []
    for i in range(len(frame)):
        start_text = _text(frame[start_col].iloc[i])
        end_text = _text(frame[end_col].iloc[i]) if end_col else ""
        if not start_text or not PARTIAL_DATE_SHAPE.match(start_text):
            starts.append(None)
            ends.append(None)
            continue
        starts.append(date_bounds(start_text)[0])
        last = end_text if end_text and PARTIAL_DATE_SHAPE.match(end_text) else start_text
        ends.append(date_bounds(last)[1])
    return pd.Series(starts, index=frame.index, dtype=object), pd.Series(
        ends, index=frame.index, dtype=object
    )


def _overlaps(frame: pd.DataFrame, table: Table, since: str | None, until: str | None) -> pd.Series:
    check_period(since, until)
    starts, ends = row_periods(frame, table)
    since_day = date_bounds(since)[0] if since else None
    until_day = date_bounds(until)[1] if until else None
    keep = []
    for start, end in zip(starts, ends, strict=True):
        if start is None:
            keep.append(False)
            continue
        keep.append((since_day is None or end >= since_day) and (until_day is None or start <= until_day))
    return pd.Series(keep, index=frame.index, dtype=bool)


# --- filters --------------------------------------------------------------------------------------


def _unknown_value(table: Table, vocab: list[Field], value: str) -> QueryError:
    """The error for a --type VALUE in no vocabulary: the closest terms, and only their vocabulary."""
    terms = {term: f for f in vocab for term in f.enum or ()}
    close = difflib.get_close_matches(value, list(terms), n=3, cutoff=CLOSE_MATCH_CUTOFF)
    main = key_columns(table.name, [f.name for f in vocab])
    shown = [terms[close[0]]] if close else [f for f in vocab if f.name == main[0]]
    choices = "; ".join(f"{f.name}: {', '.join(f.enum or ())}" for f in shown)
    others = [f.name for f in vocab if f not in shown]
    rest = f" (other vocabularies: {', '.join(others)})" if others else ""
    return QueryError(
        f"{value!r} is in no vocabulary of {table.name!r}{did_you_mean(value, terms)}; {choices}{rest}"
    )


def _type_mask(frame: pd.DataFrame, table: Table, type: str) -> pd.Series:
    vocab = vocabulary_fields(table)
    if not vocab:
        raise QueryError(f"table {table.name!r} has no vocabulary column for --type")
    mask = pd.Series(False, index=frame.index)
    for value in (v.strip() for v in type.split(",")):
        hits = [f for f in vocab if any(fold(value) == fold(term) for term in f.enum or ())]
        if not hits:
            raise _unknown_value(table, vocab, value)
        for f in hits:
            term = next(t for t in f.enum or () if fold(t) == fold(value))
            mask |= (frame[f.name].astype("string") == term).fillna(False).astype(bool)
    return mask


def _search_mask(frame: pd.DataFrame, text: str) -> pd.Series:
    needle = fold(text)
    mask = pd.Series(False, index=frame.index)
    for column in frame.columns:
        series = frame[column]
        if not (isinstance(series.dtype, (pd.StringDtype, pd.CategoricalDtype)) or series.dtype == object):
            continue
        folded = series.astype("string").fillna("").map(fold)
        mask |= folded.str.contains(needle, regex=False).astype(bool)
    return mask


def _by_reference(
    frames: Frames, desc: Descriptor, name: str, target: str, text: str, what: str
) -> pd.Series:
    _, frame = _table(frames, desc, name)
    columns = referring_columns(desc, name, target)
    if not columns:
        raise QueryError(
            f"table {name!r} has no column that refers to {target}, so --{what} cannot filter it"
        )
    ids = resolve(frames, target, text, descriptor=desc)
    if not ids:
        raise QueryError(f"no {what} matches {text!r} (ids, names and titles of {target} are searched)")
    return _links(frame, columns, set(ids))


def _sort_key(frame: pd.DataFrame, column: str, dated: Sequence[str]) -> pd.Series:
    """What a column sorts by: the first day of a partial date, a number, or text ignoring case."""
    from .dates import parse_date

    series = frame[column]
    if column in dated:
        return parse_date(series, "start")
    if pd.api.types.is_numeric_dtype(series.dtype) and not isinstance(series.dtype, pd.CategoricalDtype):
        return series
    return series.astype("string").map(fold, na_action="ignore")


def sort_columns(sort: Sequence[str] | str) -> list[tuple[str, bool]]:
    """`date,-id` (or a list) as [(column, ascending)]: a leading `-` sorts that column descending."""
    names = [c.strip() for c in sort.split(",")] if isinstance(sort, str) else [c.strip() for c in sort]
    return [(n.removeprefix("-"), not n.startswith("-")) for n in names if n.removeprefix("-")]


def sort_rows(frame: pd.DataFrame, table: Table, sort: Sequence[str] | str | None = None) -> pd.DataFrame:
    """FRAME sorted by SORT (`date,-id`), or by default in date order when the table has dates.

    Partial dates sort by the first day they name (`2025-06` before `2025-06-15`), then, by
    default, by the last day of the row's period; rows without a value come last, and ties keep
    the package's order. An empty SORT (`[]`) keeps the package's order. Dates are read by
    `dataset.parse_date`, as users of the API read them.
    """
    from .dates import parse_date

    dated = date_field_names(table)
    if sort is None:
        fields = date_fields(table)
        if fields is None or fields[0] not in frame.columns:
            return frame
        start, end = fields
        last = frame[end].astype("string").fillna(frame[start].astype("string")) if end else frame[start]
        keys = pd.DataFrame(
            {"start": parse_date(frame[start], "start"), "end": parse_date(last, "end")}, index=frame.index
        )
        order: list[bool] = [True, True]
    else:
        wanted = sort_columns(sort)
        known = [str(c) for c in frame.columns]
        for column, _ in wanted:
            if column not in known:
                raise QueryError(
                    f"cannot sort by {column!r}{did_you_mean(column, known)}; the columns are: {', '.join(known)}"
                )
        keys = pd.DataFrame(
            {i: _sort_key(frame, c, dated) for i, (c, _) in enumerate(wanted)}, index=frame.index
        )
        order = [ascending for _, ascending in wanted]
    if keys.empty or not len(keys.columns):
        return frame
    ranked = keys.sort_values(list(keys.columns), ascending=order, na_position="last", kind="stable")
    return frame.loc[ranked.index]


def select_columns(frame: pd.DataFrame, columns: Sequence[str] | str | None) -> pd.DataFrame:
    """Keep COLUMNS (a list or `a,b,c`) in the order given; an unknown name is an error naming it."""
    if columns is None:
        return frame
    names = [c.strip() for c in columns.split(",")] if isinstance(columns, str) else list(columns)
    names = [c for c in names if c]
    unknown = [c for c in names if c not in frame.columns]
    if unknown:
        known = [str(c) for c in frame.columns]
        raise QueryError(
            f"unknown column {unknown[0]!r}{did_you_mean(unknown[0], known)}; the columns are: {', '.join(known)}"
        )
    return frame[names]


def filter_table(
    frames: Frames,
    name: str,
    *,
    person: str | None = None,
    type: str | None = None,
    since: str | None = None,
    until: str | None = None,
    source: str | None = None,
    search: str | None = None,
    columns: Sequence[str] | str | None = None,
    sort: Sequence[str] | str | None = None,
    limit: int | None = None,
    descriptor: Descriptor | None = None,
) -> pd.DataFrame:
    """The rows of table NAME that pass every filter given, in date order (or SORT's).

    person: an id or a name (Latin or Cyrillic, any case); keeps rows whose person columns
        (`person_ids`, `speaker_person_id`, `about_person_ids`, or the persons table's id) name them.
    type: a value of one of the table's vocabularies (`release`, `direct-quote`); `a,b` for either.
    since / until: partial ISO dates; a row is kept when its period (date to end_date, each read
        as the whole day, month or year it names) overlaps the period asked for.
    source: a source id, or words of its publisher or title.
    search: text found in any column, ignoring case (Cyrillic included) and ё/е.
    sort: columns to sort by (`date,-id`; `-` for descending). Default: tables with a date come
        in date order (see `sort_rows`), the others in the package's order.
    """
    desc = _descriptor(descriptor)
    table, frame = _table(frames, desc, name)
    if limit is not None and limit < 0:
        raise QueryError("limit must be 0 or more")
    mask = pd.Series(True, index=frame.index)
    if person:
        mask &= _by_reference(frames, desc, name, PERSONS, person, "person")
    if source:
        mask &= _by_reference(frames, desc, name, SOURCES, source, "source")
    if type:
        mask &= _type_mask(frame, table, type)
    if since or until:
        mask &= _overlaps(frame, table, since, until)
    if search:
        mask &= _search_mask(frame, search)
    result = select_columns(sort_rows(frame[mask], table, sort), columns).reset_index(drop=True)
    return result if limit is None else result.head(limit)


# --- SQL ------------------------------------------------------------------------------------------


def connect(frames: Frames, *, descriptor: Descriptor | None = None) -> sqlite3.Connection:
    """An in-memory SQLite database of all tables, with keys, link tables and full-text search."""
    from .export import build_sqlite

    conn = sqlite3.connect(":memory:")
    build_sqlite(conn, frames, _descriptor(descriptor))
    conn.execute("PRAGMA query_only = ON")
    return conn


#: What a --sql statement may do: read tables, call functions, recurse; nothing that writes a
#: file (ATTACH, VACUUM INTO), changes settings or the data, or reveals memory (fts3_tokenizer).
_SQL_ALLOWED = {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE}
_SQL_DENIED_FUNCTIONS = {"fts3_tokenizer", "load_extension", "readfile", "writefile", "edit"}
#: Pragmas that only read the schema: allowed (with their argument, a table or index name).
_SQL_READ_PRAGMAS = {
    "table_info",
    "table_xinfo",
    "table_list",
    "index_list",
    "index_info",
    "index_xinfo",
    "foreign_key_list",
    "function_list",
    "pragma_list",
    "collation_list",
    "compile_options",
    "data_version",  # FTS5 reads it to see whether its index is current
}


def _authorize(action: int, arg1: str | None, arg2: str | None, _db: str | None, _trigger: str | None) -> int:
    """sqlite3's authorizer for --sql: the statement is refused when it asks for anything else."""
    if action == sqlite3.SQLITE_FUNCTION:
        return sqlite3.SQLITE_DENY if (arg2 or "").lower() in _SQL_DENIED_FUNCTIONS else sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA:
        return sqlite3.SQLITE_OK if (arg1 or "").lower() in _SQL_READ_PRAGMAS else sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK if action in _SQL_ALLOWED else sqlite3.SQLITE_DENY


class _Watch:
    """A progress handler that stops a statement after TIMEOUT seconds or at Ctrl-C."""

    def __init__(self, conn: sqlite3.Connection, timeout: float) -> None:
        self.conn, self.deadline, self.timeout = conn, time.monotonic() + timeout, timeout
        self.reason: str | None = None

    def __call__(self) -> int:
        if self.reason is None and time.monotonic() > self.deadline:
            self.reason = f"the query ran longer than {self.timeout:g} seconds (--timeout) and was stopped"
        return 1 if self.reason else 0

    def interrupt(self, _signum: int, _frame: Any) -> None:
        self.reason = "the query was stopped (Ctrl-C)"
        self.conn.interrupt()


@contextlib.contextmanager
def _sandbox(conn: sqlite3.Connection, timeout: float, heap_limit: int | None) -> Iterator[_Watch]:
    """CONN read-only, authorised statement by statement, time- and memory-limited, stoppable by Ctrl-C."""
    conn.execute("PRAGMA query_only = ON")
    if heap_limit:  # SQLite's heap limit is the whole process's, and a pragma can only lower it
        conn.execute(f"PRAGMA hard_heap_limit = {int(heap_limit)}")
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, SQL_HEAP_BYTES // 8)
    watch = _Watch(conn, timeout)
    conn.set_progress_handler(watch, 10_000)
    conn.set_authorizer(_authorize)
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGINT, watch.interrupt)
    try:
        yield watch
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
        conn.set_authorizer(None)
        conn.set_progress_handler(None, 0)


def _fetch(cursor: sqlite3.Cursor) -> list[tuple[Any, ...]]:
    """The rows of CURSOR, refused beyond MAX_SQL_ROWS (they are held in memory to be printed)."""
    rows: list[tuple[Any, ...]] = []
    while batch := cursor.fetchmany(10_000):
        rows.extend(batch)
        if len(rows) > MAX_SQL_ROWS:
            raise QueryError(f"the query returns more than {MAX_SQL_ROWS:,} rows: add a LIMIT")
    return rows


def sql(
    frames: Frames,
    query: str,
    *,
    descriptor: Descriptor | None = None,
    timeout: float = SQL_TIMEOUT_SECONDS,
    heap_limit: int | None = None,
) -> pd.DataFrame:
    """Run one read-only SQL statement over all tables (standard library sqlite3) and return its rows.

    The tables are those of `dataset export --format sqlite`: one per table with its primary and
    foreign keys, a link table per list field (`events_person_ids`), and FTS5 indexes. The
    statement runs in a sandbox: read-only, no ATTACH/VACUUM/writing pragmas, at most TIMEOUT
    seconds, no value over SQL_HEAP_BYTES // 8 bytes, and Ctrl-C stops it; each is a QueryError.
    HEAP_LIMIT (bytes; the CLI gives SQL_HEAP_BYTES) caps SQLite's memory for the rest of the
    process: SQLite offers no way to raise its hard heap limit again.
    """
    conn = connect(frames, descriptor=descriptor)
    try:
        with _sandbox(conn, timeout, heap_limit) as watch:
            try:
                cursor = conn.execute(query)
                if cursor.description is None:
                    raise QueryError("the SQL statement returns no rows: give a SELECT")
                names = [d[0] for d in cursor.description]
                rows = _fetch(cursor)
            except (sqlite3.Error, sqlite3.Warning) as exc:
                raise QueryError(watch.reason or f"SQL error: {_sql_words(exc)}") from None
            except MemoryError:  # sqlite3 raises it when SQLite reaches its heap limit
                raise QueryError(f"SQL error: out of memory{_heap_words(heap_limit)}") from None
    finally:
        conn.close()
    frame = pd.DataFrame([list(r) for r in rows], columns=range(len(names)), dtype=object)
    frame.columns = names
    return frame


def _sql_words(exc: Exception) -> str:
    """SQLite's message, with the sandbox's refusals and limits said plainly."""
    text = str(exc)
    if "not authorized" in text or "authorization denied" in text:
        return f"{text} (--sql may only read: ATTACH, VACUUM, writing pragmas and fts3_tokenizer are refused)"
    if "too big" in text:
        return f"{text}{_heap_words(SQL_HEAP_BYTES // 8)}"
    if "out of memory" in text:
        return f"{text}{_heap_words(SQL_HEAP_BYTES)}"
    return text


def _heap_words(limit: int | None) -> str:
    return f" (the query needs more than the {limit:,} bytes --sql may use)" if limit else ""


# --- a person's story ----------------------------------------------------------------------------


def _label(frames: Frames, desc: Descriptor, target: str, key: str) -> str:
    table = desc.tables.get(target)
    if table is None or target not in frames or len(table.primary_key) != 1:
        return key
    frame = frames[target]
    rows = frame[frame[table.primary_key[0]] == key]
    for column in label_fields(table):
        if len(rows) and _text(rows[column].iloc[0]):
            return _text(rows[column].iloc[0])
    return key


def resolve_person(frames: Frames, text: str, *, descriptor: Descriptor | None = None) -> str:
    """The one person id that TEXT names (an id, or a Latin or Cyrillic name in any case).

    Every command that takes a person goes through here. No match, or a name that fits several
    persons, is a QueryError that lists the candidates or the closest ids.
    """
    desc = _descriptor(descriptor)
    ids = resolve(frames, PERSONS, text, descriptor=desc)
    if not ids:
        known = [_text(v) for v in frames[PERSONS][desc.tables[PERSONS].primary_key[0]]]
        raise QueryError(
            f"no person matches {text!r}{did_you_mean(text, known)} (ids, Latin and Cyrillic names are searched)"
        )
    if len(ids) > 1:
        names = ", ".join(f"{i} ({_label(frames, desc, PERSONS, i)})" for i in ids)
        raise QueryError(f"{text!r} names {len(ids)} persons: {names}; give one id")
    return ids[0]


def _role(column: str) -> str:
    words = [w for w in column.split("_") if w not in ("id", "ids", "person")]
    return " ".join(words) or "named"


def localized(columns: Sequence[str], available: Iterable[str], lang: str | None) -> list[str]:
    """COLUMNS with each `<name>` replaced by its rendering `<name>_<lang>` where the table has one.

    `summary` becomes `summary_ru` for `--lang ru`; a column without a rendering stays as it is,
    and the default language (None) changes nothing.
    """
    have = set(available)
    return [f"{c}_{lang}" if lang and f"{c}_{lang}" in have else c for c in columns]


def check_language(lang: str | None, descriptor: Descriptor | None = None) -> str | None:
    """LANG when the descriptor declares it (None for its first, default, language); else a QueryError."""
    try:
        return _descriptor(descriptor).language(lang)
    except DescriptorError as exc:
        raise QueryError(str(exc)) from None


def person_story(
    frames: Frames, person: str, *, descriptor: Descriptor | None = None, lang: str | None = None
) -> pd.DataFrame:
    """Every event and statement about one person, in date order, with their sources.

    PERSON is an id or a name; a name that fits several persons is an error listing them.
    Rows are sorted by the first day of their date, then the last day of their period, events
    before statements on the same dates. `role` says how the person figures in the row:
    `named` (in person_ids), `speaker`, `about`. With LANG, the text is its rendering in that
    language where the row has one (an event's `summary_ru`), else the original.
    """
    desc = _descriptor(descriptor)
    wanted = {resolve_person(frames, person, descriptor=desc)}
    records: list[tuple[Any, ...]] = []
    for order, (name, text_columns) in enumerate(STORY_TEXT.items()):
        if name not in frames or name not in desc.tables:
            continue
        table, frame = desc.tables[name], frames[name]
        dates = date_fields(table)
        starts, ends = row_periods(frame, table) if dates else (None, None)
        columns = referring_columns(desc, name, PERSONS)
        roles = {c: _contains_any(frame[c], wanted, sep) for c, sep in columns}
        sources = referring_columns(desc, name, SOURCES)
        for i in range(len(frame)):
            row = frame.iloc[i]
            hit = [_role(c) for c in roles if roles[c].iloc[i]]
            if not hit:
                continue
            texts = [*localized(text_columns, frame.columns, lang), *text_columns]
            text = next((_text(row[c]) for c in texts if c in frame.columns and _text(row[c])), "")
            speaker = ""
            for column in STORY_SPEAKER.get(name, ()):
                if column in frame.columns and _text(row[column]):
                    fk = next((k for k in table.foreign_keys if k.fields == (column,)), None)
                    speaker = (
                        _label(frames, desc, fk.resource, _text(row[column])) if fk else _text(row[column])
                    )
                    break
            record = {
                "date": _text(row[dates[0]]) if dates else "",
                "end_date": _text(row[dates[1]]) if dates and dates[1] else "",
                "date_qualifier": _text(row["date_qualifier"]) if "date_qualifier" in frame.columns else "",
                "kind": name.removesuffix("s"),
                "id": _text(row[table.primary_key[0]]) if table.primary_key else "",
                "role": "; ".join(hit),
                "speaker": speaker,
                "text": text,
                "source_ids": ";".join(_text(row[c]) for c, _ in sources if _text(row[c])),
            }
            first = starts.iloc[i] if starts is not None else None
            last = ends.iloc[i] if ends is not None else None
            key = (first or date.max, last or date.max, order, record["id"])
            records.append((key, record))
    records.sort(key=lambda item: item[0])
    frame = pd.DataFrame([r for _, r in records], columns=list(STORY_COLUMNS), dtype="string")
    return frame.mask(frame == "")


# --- rendering ------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A cell as a JSON-able Python value: missing -> None, numpy ints -> int."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and pd.isna(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value


def rows_of(frame: pd.DataFrame) -> tuple[list[str], list[list[Any]]]:
    """Column names and rows of plain Python values (None for empty cells)."""
    names = [str(c) for c in frame.columns]
    rows = [[_plain(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    return names, rows


def truncate(text: str, width: int) -> str:
    """TEXT cut to WIDTH terminal columns, ending with … when cut."""
    if text_width(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        w = char_width(char)
        if used + w > width - 1:
            break
        out.append(char)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - text_width(text))
    return gap + text if right else text + gap


def fit_widths(
    natural: list[int], total: int, *, keep: Sequence[int] = (), gap: int = 2, minimum: int = 4
) -> list[int]:
    """Column widths that fit TOTAL terminal columns.

    Columns in KEEP (the ids) stay whole while they take at most half the width; then columns
    narrower than a fair share keep their width and the wide ones share the rest equally.
    """
    budget = total - gap * (len(natural) - 1)
    if sum(natural) <= budget:
        return list(natural)
    widths = list(natural)
    kept = [i for i in keep if 0 <= i < len(natural)]
    if sum(natural[i] for i in kept) <= total // 2:
        budget -= sum(natural[i] for i in kept)
    else:
        kept = []
    wide = set(range(len(natural))) - set(kept)
    while wide:
        share = budget // len(wide)
        narrow = {i for i in wide if natural[i] <= share}
        if not narrow:
            break
        wide -= narrow
        budget -= sum(natural[i] for i in narrow)
    for n, i in enumerate(sorted(wide)):
        widths[i] = max(minimum, budget // len(wide) + (1 if n < budget % len(wide) else 0))
    return widths


def _one_line(value: Any) -> str:
    return re.sub(r"[\r\n\t]+", " ", _text(value))


def wrap(text: str, width: int) -> list[str]:
    """TEXT as lines of at most WIDTH terminal columns, broken at spaces and after `;` (list fields).

    Line breaks in TEXT are kept; a word longer than WIDTH (an id, a URL) gets a line of its own
    and stays whole, so it can still be copied or searched: the terminal folds it, nothing cuts it.
    """
    width = max(1, width)
    lines: list[str] = []
    for paragraph in str(text).splitlines() or [""]:
        line = ""
        for chunk in re.findall(r"[^\s;]*;|\S+|\s+", paragraph):
            if chunk.isspace():
                line += " " if line else ""
                continue
            if line and text_width(line + chunk) > width:
                lines.append(line.rstrip())
                line = ""
            line += chunk
        lines.append(line.rstrip())
    return lines


def _count(rows: int) -> str:
    return f"({rows} row{'' if rows == 1 else 's'})"


def render_blocks(frame: pd.DataFrame, width: int) -> str:
    """One block per row, `column  value` per line with long values wrapped: nothing is cut.

    The layout for results too wide for a table at WIDTH; empty cells are left out.
    """
    names, rows = rows_of(frame)
    label = min(max([text_width(n) for n in names] or [0]), max(8, width // 3))
    blocks = []
    for row in rows:
        lines = []
        for name, value in zip(names, row, strict=True):
            if value is None or _text(value) == "":
                continue
            wrapped = wrap(_text(value), width - label - 2)
            head = _pad(name, label) if text_width(name) <= label else name + "\n" + " " * label
            lines.append(f"{head}  {wrapped[0]}".rstrip())
            lines.extend((" " * (label + 2) + more).rstrip() for more in wrapped[1:])
        blocks.append("\n".join(lines))
    rule = "─" * min(width, 40)
    return f"\n{rule}\n".join(blocks) + ("\n" if blocks else "") + _count(len(rows))


def _whole_columns(names: list[str], cells: list[list[str]]) -> list[int]:
    """Columns never cut: ids, dates, vocabulary terms and numbers, i.e. cells without a space."""
    return [i for i in range(len(names)) if all(" " not in row[i] for row in cells)]


def render_table(frame: pd.DataFrame, width: int | None = None) -> str:
    """A plain-text table that fits WIDTH terminal columns (default: the terminal's).

    Ids, dates and other one-word cells stay whole; long text is cut with …. When the whole
    columns leave less than MIN_TEXT_WIDTH for each text column, one block per row instead.
    """
    names, rows = rows_of(frame)
    if width is None:
        width = shutil.get_terminal_size((100, 24)).columns
    if not names:
        return _count(len(rows))
    cells = [[_one_line(v) for v in row] for row in rows]
    numeric = [
        all(isinstance(row[i], int) or row[i] is None for row in rows)
        and any(row[i] is not None for row in rows)
        for i in range(len(names))
    ]
    natural = [max([text_width(n)] + [text_width(row[i]) for row in cells]) for i, n in enumerate(names)]
    whole = _whole_columns(names, cells)
    free = [i for i in range(len(names)) if i not in whole]
    fixed = sum(natural[i] for i in whole) + 2 * len(whole)
    if fixed + sum(min(natural[i], MIN_TEXT_WIDTH) for i in free) + 2 * len(free) - 2 > width:
        return render_blocks(frame, width)
    widths = list(natural)
    for i, w in zip(free, fit_widths([natural[i] for i in free], width - fixed), strict=True):
        widths[i] = w
    lines = ["  ".join(_pad(truncate(n, w), w, r) for n, w, r in zip(names, widths, numeric, strict=True))]
    lines.append("  ".join("─" * w for w in widths))
    for row in cells:
        lines.append(
            "  ".join(_pad(truncate(v, w), w, r) for v, w, r in zip(row, widths, numeric, strict=True))
        )
    lines = [line.rstrip() for line in lines]
    lines.append(_count(len(rows)))
    return "\n".join(lines)


def render_csv(frame: pd.DataFrame) -> str:
    """CSV with a header, empty cells for missing values, LF line endings (as the package's files)."""
    names, rows = rows_of(frame)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return out.getvalue().rstrip("\n")


def _unique(names: Iterable[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}_{seen[name]}")
    return out


def render_json(frame: pd.DataFrame) -> str:
    """A JSON list of records, null for empty cells; repeated SQL column names get a _2 suffix."""
    names, rows = rows_of(frame)
    keys = _unique(names)
    return json.dumps([dict(zip(keys, row, strict=True)) for row in rows], ensure_ascii=False, indent=2)


def render_markdown(frame: pd.DataFrame) -> str:
    """A GitHub-flavoured Markdown table, cells whole (| escaped, line breaks as <br>)."""
    names, rows = rows_of(frame)

    def cell(value: Any) -> str:
        return re.sub(r"\r?\n", "<br>", _text(value)).replace("|", "\\|")

    numeric = [
        all(isinstance(row[i], int) or row[i] is None for row in rows)
        and any(row[i] is not None for row in rows)
        for i in range(len(names))
    ]
    lines = ["| " + " | ".join(cell(n) for n in names) + " |"]
    lines.append("| " + " | ".join("---:" if r else "---" for r in numeric) + " |")
    lines.extend("| " + " | ".join(cell(v) for v in row) + " |" for row in rows)
    return "\n".join(lines)


def render(frame: pd.DataFrame, fmt: str = "table", *, width: int | None = None) -> str:
    """FRAME as text in FMT: table, csv, json or markdown."""
    if fmt == "table":
        return render_table(frame, width)
    if fmt == "csv":
        return render_csv(frame)
    if fmt == "json":
        return render_json(frame)
    if fmt == "markdown":
        return render_markdown(frame)
    raise QueryError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
