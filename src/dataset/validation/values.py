"""The pandera contract of each table, built from the descriptor: types, patterns, enums, ranges, lengths."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd
import pandera.errors as pa_errors
import pandera.pandas as pa
import pyarrow

from ..dates import in_calendar
from ..descriptor import Field, Table
from ..read import RawTable
from ..report import Problem
from ..rules import (
    CALENDAR_DATE,
    CATALOGUE,
    ENUM,
    FORMAT,
    INTERNAL_ERROR,
    LENGTH,
    PATTERN,
    PRIMARY_KEY_UNIQUE,
    REQUIRED,
    TYPE,
    UNIQUE,
)
from ..schemas import BOOLEAN_VALUES, RULES, to_schema
from ..spec import RANGE_CONSTRAINTS
from .arrow import arrow_strings, encoded, repetitive, utf8_bytes, value_offsets

#: Plain-text shapes of the Table Schema types the raw (text) check can verify before conversion.
#: `integer` is checked by the raw pandera model itself; other types are taken as text.
TYPE_PATTERNS: dict[str, tuple[str, str]] = {
    "number": (
        r"^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|NaN|INF|-INF)$",
        "the value must be a number (or NaN, INF, -INF)",
    ),
    "boolean": (
        "^(" + "|".join(BOOLEAN_VALUES) + ")$",
        "the value must be true or false (or "
        + ", ".join(v for v in BOOLEAN_VALUES if v not in ("true", "false"))
        + ")",
    ),
    "date": (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "the value must be a date of the calendar, YYYY-MM-DD"),
    "datetime": (
        r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$",
        "the value must be a date and time, YYYY-MM-DDThh:mm:ss (with Z or an offset)",
    ),
    "time": (r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?$", "the value must be a time, hh:mm:ss"),
    "year": (r"^[0-9]{4}$", "the value must be a year, YYYY"),
    "yearmonth": (r"^[0-9]{4}-(0[1-9]|1[0-2])$", "the value must be a month, YYYY-MM"),
}
#: Partial ISO dates as this package writes them: YYYY, YYYY-MM or YYYY-MM-DD.


#: pandera's built-in check -> (our rule id, plain words)
CHECK_RULES = {
    "not_nullable": (REQUIRED, "a value is required"),
    "field_uniqueness": (UNIQUE, "the value must be unique in this column"),
    "multiple_fields_uniqueness": (PRIMARY_KEY_UNIQUE, "the primary key must be unique"),
}


def _cross_column(check: str) -> str:
    """The rule id of a cross-column check as pandera names it (a model's check may carry its method's name)."""
    return check.replace("_", "-")


def _length_words(field: Field | None) -> str:
    """What a field's minLength and maxLength ask, in words."""
    low, high = (field.min_length, field.max_length) if field else (None, None)
    if low is not None and high is not None:
        return f"the text must be {low} to {high} characters long"
    if high is not None:
        return f"the text must be at most {high} characters long"
    return f"the text must be at least {low} characters long"


def _describe_check(check: str, column: str | None, table: Table) -> tuple[str, str]:
    """Turn a pandera check name into (rule id, plain words)."""
    field = table.field(column) if column is not None and column in table.field_names else None
    if check in CHECK_RULES:
        return CHECK_RULES[check]
    if check.startswith("type("):
        words = TYPE_PATTERNS.get(field.type if field else "", ("", "the value has the wrong type"))[1]
        return TYPE, words
    if check.startswith("str_matches"):
        if field is not None and field.type == "integer":
            return TYPE, "the value must be a whole number (digits only)"
        return PATTERN, f"the value does not match the pattern {field.pattern if field else ''}"
    if check.startswith("isin"):
        allowed = ", ".join(field.enum or ()) if field else ""
        return ENUM, f"the value is not in the vocabulary: {allowed}"
    if check == "calendar_date":
        return CALENDAR_DATE, "the date does not exist in the calendar (such as 30 February)"
    if check.startswith("str_length"):
        return LENGTH, _length_words(field)
    if check.startswith("format("):
        return FORMAT, f"the value is not a valid {check[len('format(') : -1]}"
    if check == "int64":
        return TYPE, "the whole number is beyond the 64-bit range that dataset.load() reads (19 digits)"
    for limit in RANGE_CONSTRAINTS:
        if check.startswith((f"{limit.attribute}(", f"{limit.pandera}(")):
            bound = getattr(field, limit.attribute) if field else ""
            return CATALOGUE[limit.attribute.replace("_", "-")], f"the value must be {limit.words} {bound}"
    if _cross_column(check) in RULES:
        return CATALOGUE[_cross_column(check)], RULES[_cross_column(check)][1]
    return INTERNAL_ERROR, f"check {check} failed"


def _type_check(field_type: str) -> pa.Check:
    pattern, _ = TYPE_PATTERNS[field_type]
    if field_type in ("date", "datetime"):  # the pattern, and a day that exists (no 30 February)
        return pa.Check(
            lambda s: s.str.match(pattern) & in_calendar(s.str.slice(0, 10)),
            name=f"type({field_type})",
            element_wise=False,
        )
    return pa.Check(lambda s: s.str.match(pattern), name=f"type({field_type})", element_wise=False)


def raw_schema(
    table: Table, present: list[str], *, single_line: bool = False, without: tuple[str, ...] = ()
) -> pa.DataFrameSchema:
    """The raw (text) schema of TABLE, limited to the columns the CSV has, duplicates reported once.

    Built once per distinct table and header (validation does not change a schema). With
    SINGLE_LINE (no checked cell holds a line break), a pattern's closing `$` is written `\\Z`:
    the same test on such text, and pandas then need not look for line breaks before every match.
    The columns in WITHOUT keep their required and unique checks but lose their per-value checks
    (pattern, enum, type, range), which `schema_problems` then runs once per distinct value.
    """
    try:
        hash(table)
    except TypeError:  # a descriptor value that is not hashable: build without the cache
        return _build_raw_schema(table, tuple(present), single_line, without)
    return _cached_raw_schema(table, tuple(present), single_line, without)


def _closing_dollar(pattern: str) -> bool:
    body = pattern[:-1]
    return pattern.endswith("$") and (len(body) - len(body.rstrip("\\"))) % 2 == 0


def _end_anchor(pattern: str) -> str:
    """PATTERN with a closing, unescaped `$` written `\\Z` (identical on text without line breaks).

    The descriptor's own closing `$` inside the wrapper `^(?:...)$` goes too: it stands where
    the wrapper's does. pandas looks for line breaks in every cell before a match with `$`.
    """
    if not _closing_dollar(pattern):
        return pattern
    body = pattern[:-1]
    if body.startswith("^(?:") and body.endswith(")") and _closing_dollar(body[:-1]):
        body = body[:-2] + ")"
    return body + r"\Z"


def _build_raw_schema(
    table: Table, present: tuple[str, ...], single_line: bool = False, without: tuple[str, ...] = ()
) -> pa.DataFrameSchema:
    schema = to_schema(table, raw=True)
    for f in table.fields:
        if f.type in TYPE_PATTERNS and f.name in schema.columns:
            schema.columns[f.name].checks.append(_type_check(f.type))
    if len(present) < len(table.fields):
        schema = schema.select_columns(list(present))
    for column in schema.columns.values():
        column.report_duplicates = "exclude_first"
        column.dtype = None  # read.py builds every column as text; checking that per column is slow
        if single_line:
            for i, check in enumerate(column.checks):
                pattern = (check.statistics or {}).get("pattern")
                if (
                    check.name == "str_matches"
                    and isinstance(pattern, str)
                    and _end_anchor(pattern) != pattern
                ):
                    column.checks[i] = pa.Check.str_matches(_end_anchor(pattern))
        if column.name in without:
            column.checks = []
    # a named rule whose reported column is absent passes by construction; skip running it
    schema.checks = [
        c
        for c in schema.checks
        if _cross_column(c.name) not in RULES or RULES[_cross_column(c.name)][0] in present
    ]
    schema.strict = False
    schema.ordered = False
    if len(table.primary_key) > 1 and all(k in present for k in table.primary_key):
        schema.unique = list(table.primary_key)
        schema.report_duplicates = "exclude_first"
    return schema


_cached_raw_schema = lru_cache(maxsize=64)(_build_raw_schema)


def _single_line(frame: pd.DataFrame, columns: Iterable[str]) -> bool:
    """True when no cell of COLUMNS holds a line feed (read from the Arrow buffers, no copy)."""
    for column in columns:
        for chunk in arrow_strings(frame[column]).chunks:
            offsets = value_offsets(chunk) if len(chunk) else None
            if offsets is None or offsets[-1] == offsets[0]:
                continue
            text = utf8_bytes(chunk)[offsets[0] : offsets[-1]]
            if text.min() <= ord("\n") and (text == ord("\n")).any():
                return False
    return True


def schema_problems(raw: RawTable, *, by_value: bool = True) -> list[Problem]:
    """Types, required, unique, enums, patterns, primary key and named cross-column rules (pandera).

    pandera validates the frame. For a column whose values repeat (dates, ids of a few hundred
    people, vocabularies), the column's per-value checks (pattern, enum, type, range: each a
    function of the cell's text alone) run on its distinct values instead, through the same
    pandera Check objects, and their failures reach every row holding a failing value;
    `by_value=False` runs everything on the full frame.
    """
    frame, table = raw.frame, raw.table
    if frame is None:
        return []
    present = [f.name for f in table.fields if f.name in frame.columns]
    if not present:
        return []
    patterned = [f.name for f in table.fields if f.name in present and (f.pattern or f.type == "integer")]
    single = _single_line(frame, patterned)
    full = raw_schema(table, present, single_line=single)
    once = tuple(
        name
        for name in present
        if by_value
        and full.columns[name].checks
        and (("encoded", name) in raw.cache or repetitive(arrow_strings(frame[name])))
    )
    schema = raw_schema(table, present, single_line=single, without=once) if once else full
    problems: list[Problem] = []
    try:
        schema.validate(frame[present], lazy=True, inplace=True)
    except pa_errors.SchemaErrors as exc:
        problems = _schema_failures(raw, exc.failure_cases)
    for name in once:
        problems.extend(_checks_by_value(raw, name, full.columns[name].checks))
    return _dedupe(problems)


def _checks_by_value(raw: RawTable, column: str, column_checks: list[pa.Check]) -> list[Problem]:
    """Run a column's per-value pandera checks on its distinct values; report every row holding a failure."""
    coded = encoded(raw, column)
    distinct = pd.Series(coded.values.to_pandas(types_mapper=STRING_TYPES.get), dtype="string")
    rows = raw.frame.index.to_numpy() if raw.frame is not None else np.zeros(0, dtype=np.int64)
    problems: list[Problem] = []
    for check in column_checks:
        failed = check(distinct).failure_cases
        if failed is None or not len(failed):
            continue
        rule, words = _describe_check(str(check.error or check.name), column, raw.table)
        codes = np.asarray(failed.index, dtype=np.int64)
        for position in coded.rows_of(codes):
            value = coded.values[int(coded.codes[position])].as_py()
            problems.append(Problem(raw.file, int(rows[position]), column, rule, words, value=str(value)))
    return problems


STRING_TYPES = {
    pyarrow.large_string(): pd.StringDtype("pyarrow"),
    pyarrow.string(): pd.StringDtype("pyarrow"),
}


def _schema_failures(raw: RawTable, cases: pd.DataFrame) -> list[Problem]:
    """Word pandera's failure cases; only the failing rows are looked at."""
    frame, table = raw.frame, raw.table
    assert frame is not None
    rows = frame.index.to_numpy()

    def cell(row: int | None, column: str | None) -> str | None:
        if row is None or column is None or column not in frame.columns:
            return None
        at = int(np.searchsorted(rows, row))
        if at >= len(rows) or rows[at] != row:
            return None
        value = frame[column].iloc[at]
        return None if pd.isna(value) else str(value)

    duplicated: dict[str, set[str]] = {}
    for case in cases.itertuples(index=False):
        if (
            str(case.check) == "field_uniqueness"
            and not pd.isna(case.column)
            and not pd.isna(case.failure_case)
        ):
            duplicated.setdefault(str(case.column), set()).add(str(case.failure_case))
    firsts = {column: _first_rows(frame, column, values) for column, values in duplicated.items()}
    problems: list[Problem] = []
    for case in cases.itertuples(index=False):
        check = str(case.check)
        column = None if pd.isna(case.column) else str(case.column)
        rule, words = _describe_check(check, column, table)
        index = case.index
        row = int(index) if index is not None and not pd.isna(index) else None
        if _cross_column(check) in RULES:
            column = RULES[_cross_column(check)][0]
        value = None if pd.isna(case.failure_case) else str(case.failure_case)
        if _cross_column(check) in RULES and row is not None and column in frame.columns:
            value = cell(row, column)
        if check == "field_uniqueness" and column in firsts and value is not None:
            first = firsts[column].get(value)
            if first is not None and row is not None and int(first) < row:
                words = f"{words}: row {int(first)} has it already"
        if check == "multiple_fields_uniqueness":
            column = ",".join(table.primary_key)
            if row is not None:
                value = ",".join(
                    str(cell(row, k)) if cell(row, k) is not None else "<NA>" for k in table.primary_key
                )
        problems.append(Problem(raw.file, row, column, rule, words, value=value))
    # the primary key of one field is also declared unique; report it once
    return problems


def _first_rows(frame: pd.DataFrame, column: str, values: set[str]) -> dict[str, int]:
    """For each of VALUES, the first spreadsheet row of COLUMN holding it."""
    holding = frame[column][frame[column].isin(list(values)).fillna(False).astype(bool)].dropna()
    firsts = pd.Series(holding.index, index=holding.to_numpy(dtype=object)).groupby(level=0).min()
    return {str(k): int(v) for k, v in firsts.items()}


def _dedupe(problems: Iterable[Problem]) -> list[Problem]:
    seen: set[tuple[object, ...]] = set()
    out = []
    for p in problems:
        key = (p.file, p.row, p.column, p.rule, p.value)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
