"""The rules beyond the descriptor's own: schema contracts, keys, cross-table facts, provenance, hygiene.

Every check takes frames indexed by spreadsheet row and returns Problems; none raises on
bad data. Checks are vectorised (pyarrow compute on the frames' Arrow strings, numpy on
their buffers, pandas and pandera) so that the cost grows with the parse, not with a
Python loop per row; loops run only over the rows that failed, to word their Problems.
Where a rule is expensive to evaluate on every cell, a cheap screen that can only err on
the side of suspicion picks the cells first, and the rule itself, unchanged, runs on those.
"""

from __future__ import annotations

import hashlib
import operator
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.errors as pa_errors
import pandera.pandas as pa
import pyarrow
import pyarrow.compute as pc

from .descriptor import RANGE_CONSTRAINTS, Descriptor, Field, ForeignKey, Table
from .limits import MAX_CELL_CHARS, MAX_FILE_BYTES, cell_too_long
from .location import outside_root, uncited_files, unsafe_path_reason
from .read import RawTable
from .report import Problem
from .schemas import BOOLEAN_VALUES, CYRILLIC_LETTERS, LATIN_LETTERS, RULES, in_calendar, to_schema
from .spreadsheet import FORMULA_BYTES, FORMULA_PATTERN
from .stages import DETENTION_TYPES

_WS = re.compile(r"\s+")

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
_ISO_PARTIAL = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"


def normalise_whitespace(text: str) -> str:
    """Collapse every run of Unicode whitespace (no-break spaces included) to one space.

    `str.split()` splits at exactly the characters `\\s` matches, and is several times faster.
    """
    return " ".join(text.split())


def normalise_series(s: pd.Series) -> pd.Series:
    """`normalise_whitespace` after NFC, for a whole column at once."""
    return s.astype("string").str.normalize("NFC").str.replace(r"\s+", " ", regex=True).str.strip()


# --------------------------------------------------------------------------- Arrow helpers


def arrow_strings(s: pd.Series) -> pyarrow.ChunkedArray:
    """The Arrow strings behind a text column (no copy for the frames read.py builds)."""
    if not isinstance(s.dtype, pd.StringDtype):
        s = s.astype("string")
    data = getattr(s.array, "_pa_array", None)
    if isinstance(data, pyarrow.ChunkedArray):
        return data
    values = s.to_numpy(dtype=object, na_value=None)
    return pyarrow.chunked_array([pyarrow.array(values, type=pyarrow.large_string())])


def _offsets(chunk: pyarrow.Array) -> np.ndarray:
    """The value offsets of a (large) string array, as int64, len(chunk) + 1 of them."""
    dtype = np.int64 if pyarrow.types.is_large_string(chunk.type) else np.int32
    offsets = np.frombuffer(chunk.buffers()[1], dtype=dtype)[chunk.offset : chunk.offset + len(chunk) + 1]
    return offsets.astype(np.int64, copy=False)


def _bytes(chunk: pyarrow.Array) -> np.ndarray:
    buffer = chunk.buffers()[2]
    return np.frombuffer(buffer, dtype=np.uint8) if buffer is not None else np.zeros(0, dtype=np.uint8)


def _true(mask: pyarrow.Array | pyarrow.ChunkedArray) -> np.ndarray:
    """A boolean Arrow result as a numpy mask (missing = False)."""
    return np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False), dtype=bool)


def _positions(mask: pyarrow.Array | pyarrow.ChunkedArray) -> np.ndarray:
    return np.flatnonzero(_true(mask))


class Encoded:
    """A column as its distinct values and, per cell, the position of its value among them (-1 = missing).

    Most rules are a function of the cell's text alone, so they can run once per distinct
    value; the answer reaches the rows through `rows_of`.
    """

    def __init__(self, column: pyarrow.ChunkedArray) -> None:
        chunked = pc.dictionary_encode(column)
        if chunked.num_chunks == 0:
            self.values = pyarrow.array([], type=column.type)
            self.codes = np.zeros(0, dtype=np.int64)
            return
        # the chunks share one dictionary, which grows chunk by chunk: the last one holds every value
        self.values = chunked.chunk(chunked.num_chunks - 1).dictionary
        # one call over all chunks' indices: a call per chunk costs more than the work itself
        indices = pyarrow.chunked_array([chunk.indices for chunk in chunked.chunks], type=pyarrow.int32())
        self.codes = np.asarray(pc.fill_null(indices, -1).to_numpy(), dtype=np.int64)

    def rows_of(self, codes: np.ndarray) -> np.ndarray:
        """Positions of the cells whose value is one of CODES."""
        if not len(codes):
            return np.zeros(0, dtype=np.int64)
        hit = np.zeros(len(self.values) + 1, dtype=bool)
        hit[codes] = True
        return np.flatnonzero(hit[self.codes])  # -1 (missing) reads the spare last slot: False


def _shared(raw: RawTable, key: tuple[str, str], make: Callable[[], object]) -> object:
    """RAW's cached KEY, made once even when two threads ask at the same time."""
    if key not in raw.cache:
        lock = raw.cache.setdefault(("lock", *key), threading.Lock())
        assert isinstance(lock, type(threading.Lock()))
        with lock:
            if key not in raw.cache:
                raw.cache[key] = make()
    return raw.cache[key]


def encoded(raw: RawTable, column: str) -> Encoded:
    """COLUMN of RAW dictionary-encoded, once per table (the checks share it)."""
    assert raw.frame is not None
    frame = raw.frame
    found = _shared(raw, ("encoded", column), lambda: Encoded(arrow_strings(frame[column])))
    assert isinstance(found, Encoded)
    return found


def repetitive(values: pyarrow.ChunkedArray, sample: int = 1 << 14) -> bool:
    """True when the column's first cells repeat enough that working per distinct value pays."""
    head = values.slice(0, sample)
    filled = len(head) - head.null_count
    return filled > 64 and pc.count_distinct(head).as_py() < filled // 2


# --------------------------------------------------------------------------- schema (pandera)

#: pandera's built-in check -> (our rule id, plain words)
CHECK_RULES = {
    "not_nullable": ("required", "a value is required"),
    "field_uniqueness": ("unique", "the value must be unique in this column"),
    "multiple_fields_uniqueness": ("primary-key-unique", "the primary key must be unique"),
}


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
        return "type", words
    if check.startswith("str_matches"):
        if field is not None and field.type == "integer":
            return "type", "the value must be a whole number (digits only)"
        return "pattern", f"the value does not match the pattern {field.pattern if field else ''}"
    if check.startswith("isin"):
        allowed = ", ".join(field.enum or ()) if field else ""
        return "enum", f"the value is not in the vocabulary: {allowed}"
    if check == "calendar_date":
        return "calendar-date", "the date does not exist in the calendar (such as 30 February)"
    if check.startswith("str_length"):
        return "length", _length_words(field)
    if check.startswith("format("):
        return "format", f"the value is not a valid {check[len('format(') : -1]}"
    if check == "int64":
        return "type", "the whole number is beyond the 64-bit range that dataset.load() reads (19 digits)"
    for limit in RANGE_CONSTRAINTS:
        if check.startswith((f"{limit.attribute}(", f"{limit.pandera}(")):
            bound = getattr(field, limit.attribute) if field else ""
            return limit.attribute.replace("_", "-"), f"the value must be {limit.words} {bound}"
    if check in RULES:
        return check.replace("_", "-"), RULES[check][1]
    return check, f"check {check} failed"


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
    schema.checks = [c for c in schema.checks if c.name not in RULES or RULES[c.name][0] in present]
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
            offsets = _offsets(chunk) if len(chunk) else None
            if offsets is None or offsets[-1] == offsets[0]:
                continue
            text = _bytes(chunk)[offsets[0] : offsets[-1]]
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
    distinct = pd.Series(coded.values.to_pandas(types_mapper=_STRING_TYPES.get), dtype="string")
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


_STRING_TYPES = {
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
        if check in RULES:
            column = RULES[check][0]
        value = None if pd.isna(case.failure_case) else str(case.failure_case)
        if check in RULES and row is not None and column in frame.columns:
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


# --------------------------------------------------------------------------- keys


def key_values(raw: RawTable | None, field: str) -> pyarrow.Array | None:
    """The values of FIELD, with the keys of rows left out for structure; None when unknown."""
    if raw is None or raw.frame is None or field not in raw.frame.columns or not raw.complete:
        return None
    values = arrow_strings(raw.frame[field]).drop_null().combine_chunks()
    salvaged = raw.salvaged.get(field)
    if salvaged:
        values = pyarrow.concat_arrays([values, pyarrow.array(sorted(salvaged), type=values.type)])
    return values


def _key_set(frames: dict[str, RawTable], resource: str, field: str) -> set[str] | None:
    """The values of RESOURCE.FIELD as a Python set (for callers that want one); None when unknown."""
    values = key_values(frames.get(resource), field)
    return None if values is None else set(values.to_pylist())


def foreign_key_problems(
    frames: dict[str, RawTable],
    desc: Descriptor | None = None,
    keys: dict[tuple[str, str], pyarrow.Array | None] | None = None,
) -> list[Problem]:
    """Every reference, single or list-valued, must name an existing key of its table.

    The descriptor check has already dropped foreign keys whose target does not exist; a
    target that could not be read completely is skipped here (its file's problems say why).
    KEYS, when given, holds the key values of tables no longer in FRAMES (see `key_values`).
    """
    problems: list[Problem] = []
    for raw in frames.values():
        if raw.frame is None:
            continue
        for fk in raw.table.foreign_keys:
            if len(fk.fields) != 1 or len(fk.reference_fields) != 1:
                problems.extend(_composite_fk(raw, fk, frames))
                continue
            column = fk.fields[0]
            if column not in raw.frame.columns:
                continue  # reported as a missing header column
            target = (fk.resource, fk.reference_fields[0])
            if keys is not None and target in keys:
                known = keys[target]
            else:
                known = key_values(frames.get(fk.resource), fk.reference_fields[0])
            if known is None:
                continue
            problems.extend(_reference_problems(raw, column, fk, known))
    return problems


def _reference_problems(raw: RawTable, column: str, fk: ForeignKey, keys: pyarrow.Array) -> list[Problem]:
    """The dangling references (and repeated list items) of one column, found with Arrow set membership.

    A column whose values repeat is checked once per distinct value; the rows follow.
    """
    assert raw.frame is not None
    values = arrow_strings(raw.frame[column])
    rows = raw.frame.index.to_numpy()
    if ("encoded", column) in raw.cache or repetitive(values):
        coded = encoded(raw, column)
        texts, at = coded.values, coded.codes
    else:
        texts, at = values.combine_chunks(), None
    keys = keys.cast(texts.type) if keys.type != texts.type else keys
    # per distinct text (or per cell): [(rule, item)] in the order the old row-by-row check gave them
    faults: dict[int, list[tuple[str, str]]] = {}
    if not fk.is_list:
        for i in np.flatnonzero(~_true(pc.or_kleene(pc.is_null(texts), pc.is_in(texts, value_set=keys)))):
            faults[int(i)] = [("foreign-key", texts[int(i)].as_py())]
    else:
        lists = pc.split_pattern(texts, fk.separator)
        items = pc.list_flatten(lists)
        parents = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)
        if len(items) and pc.min(pc.binary_length(items)).as_py() == 0:
            real = np.flatnonzero(
                _true(pc.not_equal(items, ""))
            )  # "a;;b": the empty item is the pattern's fault
            items, parents = items.take(pyarrow.array(real)), parents[real]
        for i in np.flatnonzero(~_true(pc.is_in(items, value_set=keys))):
            faults.setdefault(int(parents[i]), []).append(("foreign-key", items[int(i)].as_py()))
        for i in _repeated_items(items, parents):
            faults.setdefault(int(parents[i]), []).append(("list-duplicate", items[int(i)].as_py()))
    if not faults:
        return []
    what = "item" if fk.is_list else "value"
    wanted = np.fromiter(faults, dtype=np.int64)
    if at is None:
        places = [(int(c), int(c)) for c in np.sort(wanted)]
    else:
        hits = np.flatnonzero(np.isin(at, wanted))
        places = list(zip(hits.tolist(), at[hits].tolist(), strict=True))
    problems: list[Problem] = []
    for position, code in places:
        cell = None
        for rule, item in faults[code]:
            if rule == "foreign-key":
                words = f"{what} {item!r} is not an id in {fk.resource}"
                problems.append(Problem(raw.file, int(rows[position]), column, rule, words, value=str(item)))
            else:
                cell = cell if cell is not None else str(texts[code].as_py())
                words = f"the list names {item!r} twice"
                problems.append(Problem(raw.file, int(rows[position]), column, rule, words, value=cell))
    return problems


def _repeated_items(items: pyarrow.Array, parents: np.ndarray) -> np.ndarray:
    """Positions of list items that their list named before (each later repeat, as `duplicated()` says)."""
    counts = np.bincount(parents) if len(parents) else np.zeros(0, dtype=np.int64)
    several = np.flatnonzero(counts[parents] > 1)  # only lists of two or more items can repeat one
    if not several.size:
        return several
    codes = pc.dictionary_encode(items.take(pyarrow.array(several))).indices
    pairs = pd.DataFrame({"row": parents[several], "item": codes.to_numpy(zero_copy_only=False)})
    return several[pairs.duplicated().to_numpy()]


def _composite_fk(raw: RawTable, fk: ForeignKey, frames: dict[str, RawTable]) -> list[Problem]:
    fields, resource, ref_fields = fk.fields, fk.resource, fk.reference_fields
    target = frames.get(resource)
    if raw.frame is None or target is None or target.frame is None or not target.complete:
        return []
    if len(fields) != len(ref_fields) or fk.is_list:
        return []
    if not all(f in raw.frame.columns for f in fields) or not all(
        f in target.frame.columns for f in ref_fields
    ):
        return []
    left = raw.frame[list(fields)].dropna()
    right = target.frame[list(ref_fields)].dropna().drop_duplicates()
    right.columns = list(fields)
    merged = left.reset_index().merge(right, on=list(fields), how="left", indicator=True)
    missing = merged[merged["_merge"] == "left_only"]
    return [
        Problem(
            raw.file,
            int(row),
            ",".join(fields),
            "foreign-key",
            f"no row of {resource} has this key",
            value=",".join(str(v) for v in values),
        )
        for row, values in zip(missing["row"], missing[list(fields)].itertuples(index=False), strict=True)
    ]


# --------------------------------------------------------------------------- provenance


def _archived_bytes(
    file_name: str, row: int, path: str, root: Path, resolved: dict[str, str | None]
) -> bytes | Problem:
    """The bytes of the article at PATH (row ROW of sources), or the Problem that keeps them from being read."""
    reason = unsafe_path_reason(path)
    if reason:
        return Problem(file_name, row, "path", "unsafe-path", reason, value=path)
    file = os.path.join(str(root), path)
    if _outside(root, file, resolved):
        return Problem(
            file_name,
            row,
            "path",
            "unsafe-path",
            "the archived article is a link to somewhere outside the package",
            value=path,
        )
    try:
        if not os.path.isfile(file):  # missing, or a folder or pipe that could hang the read
            raise FileNotFoundError(file)
        if os.path.getsize(file) > MAX_FILE_BYTES:
            return Problem(
                file_name,
                row,
                "path",
                "file-too-large",
                f"the archived article is larger than the limit of {MAX_FILE_BYTES:,} bytes",
                value=path,
            )
        with open(file, "rb") as handle:
            return handle.read()
    except OSError:
        return Problem(
            file_name,
            row,
            "path",
            "missing-archive",
            "the archived article is not in the package (or cannot be read)",
            value=path,
        )


def _article_text(
    file_name: str, row: int, path: str, digest: object, data: bytes, problems: list[Problem]
) -> str:
    """DATA as text, whitespace-normalised NFC; a changed hash or bytes that are not UTF-8 go to PROBLEMS."""
    actual = hashlib.sha256(data).hexdigest()
    # hex is hex in either case: an upper-case digest is the pattern check's fault, not a changed article
    if not pd.isna(digest) and actual != str(digest).strip().lower():
        problems.append(
            Problem(
                file_name,
                row,
                "sha256",
                "archive-hash",
                f"{path} has sha256 {actual}: the archived article was changed, or the hash is wrong",
                value=str(digest),
            )
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(
                file_name,
                row,
                "path",
                "archive-encoding",
                f"{path} is not UTF-8 (byte {exc.start + 1} cannot be decoded): save the archived "
                "article as UTF-8 and update its sha256",
                value=path,
            )
        )
        text = data.decode("utf-8", errors="replace")
    return normalise_whitespace(unicodedata.normalize("NFC", text))


def source_texts(frames: dict[str, RawTable], root: Path) -> tuple[dict[str, str], list[Problem]]:
    """Read each archived article once; check its path and sha256. Returns normalised texts by source id."""
    raw = frames.get("sources")
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    if raw is None or raw.frame is None or not {"id", "path"} <= set(raw.frame.columns):
        return texts, problems
    frame = raw.frame
    digests = frame["sha256"].tolist() if "sha256" in frame.columns else [None] * len(frame)
    resolved: dict[str, str | None] = {}
    for row, sid, path, digest in zip(
        frame.index.tolist(), frame["id"].tolist(), frame["path"].tolist(), digests, strict=True
    ):
        if pd.isna(sid) or pd.isna(path):
            continue
        data = _archived_bytes(raw.file, int(row), str(path), root, resolved)
        if isinstance(data, Problem):
            problems.append(data)
            continue
        texts[str(sid)] = _article_text(raw.file, int(row), str(path), digest, data, problems)
    cited = [str(p) for p in frame["path"].dropna().tolist() if not unsafe_path_reason(str(p))]
    problems.extend(uncited_files(root, cited, "archived article", "cite it in sources.csv or delete it"))
    return texts, problems


def _outside(root: Path, file: str, resolved: dict[str, str | None]) -> bool:
    """`outside_root`, with each folder resolved once: a file that is no link lies where its folder does."""
    folder, name = os.path.split(file)
    if name in ("", ".", "..") or os.path.islink(file):
        return outside_root(root, Path(file))
    for path in (str(root), folder):
        if path not in resolved:
            try:
                resolved[path] = str(Path(path).resolve())
            except (OSError, RuntimeError):  # a symlink loop
                resolved[path] = None
    top, where = resolved[str(root)], resolved[folder]
    if top is None or where is None:
        return True
    return not Path(where, name).is_relative_to(top)


def first_items(values: pyarrow.ChunkedArray | pyarrow.Array, separator: str = ";") -> pyarrow.Array:
    """The text before the first SEPARATOR of each value (the first source a list cites)."""
    return pc.list_element(pc.split_pattern(values, separator, max_splits=1), 0)


def verbatim_problems(frames: dict[str, RawTable], texts: dict[str, str]) -> list[Problem]:
    """Every field marked `x-verbatim-in` must occur in the archived article of the source its row cites.

    The source is the first item when the source field is a list. Whitespace runs count as
    one space and both sides are compared in NFC; nothing else is forgiven. Each distinct
    (source, text) pair is looked up once, and only texts that a screen finds odd (a line
    break, a double space, a character that NFC could change...) are normalised first.
    """
    problems: list[Problem] = []
    for raw in frames.values():
        if raw.frame is None:
            continue
        for field in raw.table.fields:
            name, source_field = field.name, field.verbatim_in
            if not source_field or name not in raw.frame.columns or source_field not in raw.frame.columns:
                continue
            problems.extend(_verbatim_column(raw, name, source_field, texts))
    return problems


def _verbatim_column(raw: RawTable, name: str, source_field: str, texts: dict[str, str]) -> list[Problem]:
    needles, cited = encoded(raw, name), encoded(raw, source_field)
    positions = np.flatnonzero((needles.codes >= 0) & (cited.codes >= 0))
    if not positions.size:
        return []
    # the source a row cites first, as a code into `sources` (distinct first items)
    first = pc.dictionary_encode(first_items(cited.values))
    sources = first.dictionary.to_pylist()
    source_of = np.asarray(first.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    width = max(len(sources), 1)
    inverse, distinct = pd.factorize(needles.codes[positions] * width + source_of[cited.codes[positions]])
    text_codes, source_codes = np.divmod(np.asarray(distinct, dtype=np.int64), width)
    articles = [texts.get(str(source)) for source in sources]
    known = np.array([article is not None for article in articles], dtype=bool)[source_codes]
    normalised = needles.values.to_numpy(zero_copy_only=False).astype(object)
    odd = column_suspects(raw, name)
    if odd.size:
        normalised[odd] = normalise_series(pd.Series(normalised[odd], dtype="string")).to_numpy(dtype=object)
    found = np.ones(len(distinct), dtype=bool)
    if known.any():
        hay = np.array(articles, dtype=object)[source_codes[known]]
        found[known] = list(map(operator.contains, hay.tolist(), normalised[text_codes[known]].tolist()))
    if found.all():
        return []
    rows = raw.frame.index.to_numpy() if raw.frame is not None else np.zeros(0, dtype=np.int64)
    problems: list[Problem] = []
    for n, i in enumerate(np.flatnonzero(~found[inverse])):
        pair = inverse[i]
        sid = sources[source_codes[pair]]
        value = str(needles.values[int(text_codes[pair])].as_py())
        message = f"the text is not found verbatim in the archived article of source {sid!r}"
        if n < CLOSEST_PER_COLUMN and texts.get(str(sid)) is not None:
            message += _closest_words(texts[str(sid)], value)
        problems.append(Problem(raw.file, int(rows[positions[i]]), name, "verbatim", message, value=value))
    return problems


#: Failing cells of one column that get their closest passage (the search costs a few ms each).
CLOSEST_PER_COLUMN = 20


def _closest_words(article: str, value: str) -> str:
    """`; the closest passage ... first differs at character N ...` for a verbatim failure, or ''."""
    from .evidence import closest_passages, describe

    words = normalise_whitespace(unicodedata.normalize("NFC", value))
    best = closest_passages(article, words, limit=1)
    if not best:
        return "; no passage of the article comes close"
    return f"; the closest passage is {best[0].normalised!r}, and {describe(words, best[0])}"


# --------------------------------------------------------------------------- cross-table facts


def _valid_dates(s: pd.Series) -> pd.Series:
    """The values of S that are partial ISO dates of the calendar; others are the pattern and
    calendar checks' business (an impossible date is reported once, not again in every comparison)."""
    s = s.dropna().astype("string")
    s = s[s.str.match(_ISO_PARTIAL).fillna(False).astype(bool)]
    return s[in_calendar(s).to_numpy()]


def _start_of(date: str) -> str:
    return date + "-01-01" if len(date) == 4 else date + "-01" if len(date) == 7 else date


def _pad(s: pd.Series, month_day: str, day: str) -> pd.Series:
    """Complete partial dates; computed once per distinct value, as dates repeat a lot."""
    if s.empty:
        return s.astype("string")
    lookup = {d: d + month_day if len(d) == 4 else d + day if len(d) == 7 else d for d in s.unique()}
    return s.map(lookup).astype("string")


def date_start(s: pd.Series) -> pd.Series:
    """First day a partial ISO date can mean: 2025 -> 2025-01-01, 2025-07 -> 2025-07-01."""
    return _pad(s, "-01-01", "-01")


def date_end(s: pd.Series) -> pd.Series:
    """Last day a partial ISO date can mean, as text that sorts right: 2025-07 -> 2025-07-31."""
    return _pad(s, "-12-31", "-31")


class _Dates:
    """One date column: which cells are partial ISO dates, and the first day each can mean.

    Both are worked out once per distinct value (dates repeat a lot) with the same pandas
    calls as `_valid_dates` and `date_start`, then spread back to the rows.
    """

    def __init__(self, coded: Encoded) -> None:
        self.coded = coded
        distinct = pd.Series(coded.values.to_pylist(), dtype="string")
        valid = _valid_dates(distinct)
        starts = pd.Series(pd.NA, index=distinct.index, dtype="string")
        starts[valid.index] = date_start(valid)
        self.start_of_code = pyarrow.array(
            starts.to_numpy(dtype=object, na_value=None), type=pyarrow.string()
        )
        self.valid_code = np.zeros(len(distinct) + 1, dtype=bool)  # the spare last slot: missing (-1)
        self.valid_code[valid.index.to_numpy()] = True

    def valid(self) -> np.ndarray:
        """Positions of the cells that hold a partial ISO date."""
        return np.flatnonzero(self.valid_code[self.coded.codes])

    def start(self, positions: np.ndarray) -> pyarrow.Array:
        return self.start_of_code.take(pyarrow.array(self.coded.codes[positions]))

    def text_at(self, position: int) -> str:
        return str(self.coded.values[int(self.coded.codes[position])].as_py())

    def latest(self, positions: np.ndarray) -> str | None:
        """The greatest of the dates at POSITIONS, compared as text (as `Series.max` does)."""
        if not positions.size:
            return None
        used = np.unique(self.coded.codes[positions])
        return max(self.coded.values.take(pyarrow.array(used)).to_pylist())


def _published(frames: dict[str, RawTable]) -> pd.DataFrame:
    """Publication dates by source id: as printed, and the last day they can mean."""
    raw = frames.get("sources")
    if raw is None or raw.frame is None or not {"id", "published"} <= set(raw.frame.columns):
        return pd.DataFrame({"printed": pd.Series(dtype="string"), "end": pd.Series(dtype="string")})
    pub = raw.frame[["id", "published"]].dropna()
    dates = _valid_dates(pub["published"])
    ids = pub.loc[dates.index, "id"].to_numpy()
    table = pd.DataFrame({"printed": dates.to_numpy(), "end": date_end(dates).to_numpy()}, index=ids)
    return table[~table.index.duplicated()].astype("string")


def cross_table_problems(frames: dict[str, RawTable], published: pd.DataFrame | None = None) -> list[Problem]:
    """Facts that must hold across tables: dates vs publication, releases after detentions.

    PUBLISHED (from `_published`) may be given when the sources table is no longer in FRAMES.
    """
    problems: list[Problem] = []
    published = _published(frames) if published is None else published
    for name in ("events", "statements", "figures"):
        raw = frames.get(name)
        if raw is not None:
            problems.extend(table_facts(raw, published))
    return problems


def citing_field(table: Table) -> str | None:
    """The field by which TABLE cites the sources table (a foreign key or list field), per the descriptor."""
    for fk in table.foreign_keys:
        if fk.resource == "sources" and len(fk.fields) == 1:
            return fk.fields[0]
    return None


def table_facts(raw: RawTable, published: pd.DataFrame) -> list[Problem]:
    """The cross-table facts one table must keep, given the publication dates of the sources.

    They apply to the tables that have dates and cite sources (which field cites them is read
    from the descriptor's foreign keys).
    """
    source_field = citing_field(raw.table)
    if source_field is None or "date" not in raw.table.field_names or raw.frame is None:
        return []
    problems: list[Problem] = []
    latest = published["end"].max() if not published.empty else None
    dates = _Dates(encoded(raw, "date")) if "date" in raw.frame.columns else None
    if not published.empty and source_field in raw.frame.columns:
        # a span's end too: a source cannot report the end of what had not ended when it appeared
        for column in ("date", "end_date"):
            if column in raw.frame.columns:
                found = dates if column == "date" else _Dates(encoded(raw, column))
                assert found is not None
                problems.extend(_after_publication(raw, source_field, published, found, column))
    if latest is not None and not pd.isna(latest):
        problems.extend(_after_all_sources(raw, str(latest), dates))
    if raw.table.name == "events":
        problems.extend(_release_after_detention({"events": raw}))
    return problems


def _after_publication(
    raw: RawTable, source_field: str, published: pd.DataFrame, dates: _Dates, column: str = "date"
) -> list[Problem]:
    """A date (of COLUMN) that certainly lies after the publication of a source the row cites."""
    assert raw.frame is not None
    valid = dates.valid()
    latest = dates.latest(valid)
    if latest is None or _start_of(latest) <= str(published["end"].min()):
        return []  # the latest date is before every publication: nothing to report
    cited = encoded(raw, source_field)
    codes = cited.codes[valid]
    valid, codes = valid[codes >= 0], codes[codes >= 0]
    lists = pc.split_pattern(cited.values, ";")
    items = pc.list_flatten(lists).cast(pyarrow.string())
    parents = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)
    ids = pyarrow.array(published.index.to_numpy(dtype=object), type=pyarrow.string())
    ends = pyarrow.array(published["end"].to_numpy(dtype=object, na_value=None), type=pyarrow.string())
    end = ends.take(pc.index_in(items, value_set=ids))
    # the earliest end among each distinct source list: a row is late for some source only past it
    earliest = (
        pyarrow.table({"list": parents, "end": end})
        .group_by("list", use_threads=False)
        .aggregate([("end", "min")])
    )
    bound = pyarrow.nulls(len(cited.values), pyarrow.string()).to_numpy(zero_copy_only=False).astype(object)
    bound[earliest["list"].to_numpy()] = earliest["end_min"].to_numpy(zero_copy_only=False)
    start = dates.start(valid)
    late_bound = pyarrow.array(bound, type=pyarrow.string()).take(pyarrow.array(codes))
    suspect = np.flatnonzero(_true(pc.greater(start, late_bound)))
    by_list: dict[int, list[tuple[str, str | None]]] = {}
    for i in np.flatnonzero(np.isin(parents, np.unique(codes[suspect]))):
        by_list.setdefault(int(parents[i]), []).append((items[int(i)].as_py(), end[int(i)].as_py()))
    problems = []
    for i in suspect:
        row_start = start[int(i)].as_py()
        for source, source_end in by_list.get(int(codes[i]), []):
            if source_end is not None and row_start > source_end:
                printed = published.at[source, "printed"]
                problems.append(
                    Problem(
                        raw.file,
                        int(raw.frame.index[valid[i]]),
                        column,
                        "date-after-publication",
                        f"the {column.replace('_', ' ')} is after the publication date ({printed}) of cited source {source!r}",
                        value=dates.text_at(int(valid[i])),
                    )
                )
    return problems


def _after_all_sources(raw: RawTable, latest: str, dates: _Dates | None = None) -> list[Problem]:
    """A date that certainly lies after the latest publication of all sources."""
    assert raw.frame is not None
    problems: list[Problem] = []
    for column in ("date", "end_date"):
        if column not in raw.frame.columns:
            continue
        values = dates if column == "date" and dates is not None else _Dates(encoded(raw, column))
        valid = values.valid()
        newest = values.latest(valid)
        if newest is None or _start_of(newest) <= latest:
            continue  # padding keeps the order of partial dates, so the latest one decides
        after = valid[_true(pc.greater(values.start(valid), pyarrow.scalar(latest, pyarrow.string())))]
        problems.extend(
            Problem(
                raw.file,
                int(raw.frame.index[i]),
                column,
                "date-outside-sources",
                f"the date is after the latest publication date of all sources ({latest})",
                value=values.text_at(int(i)),
            )
            for i in after
        )
    return problems


def _release_after_detention(frames: dict[str, RawTable]) -> list[Problem]:
    """A release must have a detention (or arrest) of the same person, not later than the release."""
    raw = frames.get("events")
    if raw is None or raw.frame is None or not {"event_type", "person_ids", "date"} <= set(raw.frame.columns):
        return []
    kinds = arrow_strings(raw.frame["event_type"])
    relevant = _positions(pc.is_in(kinds, value_set=pyarrow.array([*DETENTION_TYPES, "release"])))
    if not relevant.size:
        return []
    ev = raw.frame[["event_type", "person_ids", "date"]].iloc[relevant].dropna()
    ev = ev.loc[_valid_dates(ev["date"]).index]
    # one row per person named (as `.str.split(";").explode()` gives, row labels repeated)
    lists = pc.split_pattern(arrow_strings(ev["person_ids"]), ";")
    parents = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)
    named = pd.Series(pc.list_flatten(lists).to_pandas(types_mapper=_STRING_TYPES.get), dtype="string")
    ev = ev.iloc[parents].assign(person=named.to_numpy(dtype=object))
    ev = ev[ev["person"].notna() & (ev["person"] != "")]
    detentions = ev[ev["event_type"].isin(DETENTION_TYPES)]
    first = date_start(detentions["date"]).groupby(detentions["person"]).min()
    releases = ev[ev["event_type"] == "release"]
    if releases.empty:
        return []
    first_of = releases["person"].map(first)
    problems = []
    for row, person in releases.loc[first_of.isna(), "person"].items():
        problems.append(
            Problem(
                raw.file,
                int(row),
                "person_ids",
                "release-without-detention",
                f"release of {person!r}, but no detention or arrest event names them",
                value=str(person),
            )
        )
    known = first_of.notna()
    early = releases[known][
        (date_end(releases.loc[known, "date"]) < first_of[known]).fillna(False).astype(bool)
    ]
    for row, item in early.iterrows():
        problems.append(
            Problem(
                raw.file,
                int(row),
                "date",
                "release-before-detention",
                f"release of {item['person']!r} is dated before their first detention ({first[item['person']]})",
                value=str(item["date"]),
            )
        )
    return problems


# --------------------------------------------------------------------------- text hygiene

_INVISIBLE = "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]"
_CONTROL = r"[\x00-\x1f\x7f-\x9f]"
_NBSP = "[\u00a0\u2007\u202f]"
_LATIN, _CYRILLIC = LATIN_LETTERS, CYRILLIC_LETTERS
_MIXED_WORD = re.compile(
    rf"[{_LATIN}{_CYRILLIC}]*(?:[{_LATIN}][{_CYRILLIC}]|[{_CYRILLIC}][{_LATIN}])[{_LATIN}{_CYRILLIC}]*"
)
_FORMULA = FORMULA_PATTERN
_NUMBER = r"^[+-]?[0-9]+([.,][0-9]+)?$"
#: Characters that are certainly in NFC whatever surrounds them (canonical combining class 0,
#: NFC quick check "yes", never the second half of a composition); the only whitespace among
#: them besides the space is the no-break space, which `_NBSP` catches.
#: `tests/test_read_fast_path.py` checks every one against unicodedata.
PLAIN = (
    "\x20-\x7e\u00a0-\u02ff\u0370-\u0373\u0376\u0377\u037b-\u037d\u0386\u0388-\u038a\u038c\u038e-\u03a1"
    "\u03a3-\u03ff\u0400-\u0482\u048a-\u052f\u2010-\u2027\u2030-\u205e\u20a0-\u20c0\u2116\u2122"
)
#: Any cell one of the character rules (NFC, invisible, control, no-break space, mixed script)
#: might flag, or that holds whitespace other than single spaces: one pass instead of five.
SUSPECT = f"{_INVISIBLE}|{_CONTROL}|{_NBSP}|[{_LATIN}][{_CYRILLIC}]|[{_CYRILLIC}][{_LATIN}]|[^{PLAIN}]"

#: rule id -> plain words, in the order the hygiene checks run
HYGIENE_RULES = {
    "unicode-nfc": "the text is not in Unicode NFC form (composed characters); `dataset fmt` can fix it",
    "invisible-character": "the text contains a zero-width or other invisible character",
    "control-character": "the text contains a control character (tab, line break or similar)",
    "no-break-space": "the text contains a no-break space; use a plain space",
    "padding": "the text has leading or trailing spaces",
    "mixed-script": "a word mixes Latin and Cyrillic letters (a homoglyph)",
    "formula": "the cell starts with =, +, -, @ or a tab: a spreadsheet would run it as a formula",
}

#: Bytes a cell may start with when its first character is whitespace or it starts like a formula.
_FIRST = np.zeros(256, dtype=bool)
_FIRST[[*range(0x09, 0x0E), *range(0x1C, 0x21), *FORMULA_BYTES]] = True
_LAST = np.zeros(256, dtype=bool)
_LAST[[*range(0x09, 0x0E), *range(0x1C, 0x21)]] = True


def _utf8_codes(chars: str, width: int) -> np.ndarray:
    return np.array(
        [int.from_bytes(c.encode("utf-8"), "big") for c in chars if len(c.encode("utf-8")) == width],
        dtype=np.int64,
    )


#: Whitespace of two and three bytes (what `str.strip` and pyarrow's trim remove), as big-endian codes.
_WIDE_SPACE = "\x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
_SPACE2, _SPACE3 = _utf8_codes(_WIDE_SPACE, 2), _utf8_codes(_WIDE_SPACE, 3)


#: Lead bytes of the wide whitespace characters, and the bytes they can end with.
_WIDE_FIRST = np.zeros(256, dtype=bool)
_WIDE_FIRST[[c >> 8 for c in _SPACE2] + [c >> 16 for c in _SPACE3]] = True
_WIDE_LAST = np.zeros(256, dtype=bool)
_WIDE_LAST[[c & 0xFF for c in [*_SPACE2, *_SPACE3]]] = True


def _at(data: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Bytes of DATA at POSITIONS, as int64 (positions are clipped to the buffer)."""
    return data[np.clip(positions, 0, len(data) - 1)].astype(np.int64)


def _edges(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Cells (given by byte ranges) whose first or last character is whitespace, or that start like a formula."""
    first = data[starts]
    hit = _FIRST[first]
    wide = np.flatnonzero(_WIDE_FIRST[first])
    if wide.size:
        at = starts[wide]
        two = (first[wide].astype(np.int64) << 8) | _at(data, at + 1)
        three = (two << 8) | _at(data, at + 2)
        hit[wide] = np.isin(two, _SPACE2) | np.isin(three, _SPACE3)
    last = data[ends - 1]
    hit |= _LAST[last]
    wide = np.flatnonzero(_WIDE_LAST[last])
    if wide.size:
        at, size = ends[wide], ends[wide] - starts[wide]
        two = (_at(data, at - 2) << 8) | last[wide]
        three = (_at(data, at - 3) << 16) | two
        hit[wide] |= ((size >= 2) & np.isin(two, _SPACE2)) | ((size >= 3) & np.isin(three, _SPACE3))
    return hit


def suspects(values: pyarrow.Array | pyarrow.ChunkedArray, *, spaces: bool = False) -> np.ndarray:
    """Positions of the cells a hygiene rule might flag (with SPACES: or that hold a double space).

    A superset, found cheaply: pure-ASCII blocks of text need only their control bytes looked
    at; other text goes through one RE2 pass of `SUSPECT`; the first and last bytes of each
    cell decide padding and formulas. The rules themselves then run on these cells only.
    """
    chunks = values.chunks if isinstance(values, pyarrow.ChunkedArray) else [values]
    found: list[np.ndarray] = []
    base = 0
    for chunk in chunks:
        size = len(chunk)
        if size == 0 or chunk.null_count == size:
            base += size
            continue
        offsets = _offsets(chunk)
        data = _bytes(chunk)
        hit = np.zeros(size, dtype=bool)
        if offsets[-1] > offsets[0]:
            text = data[offsets[0] : offsets[-1]]
            highest = int(text.max())
            if highest >= 0x80:
                hit |= _true(pc.match_substring_regex(chunk, SUSPECT))
            elif highest == 0x7F or int(text.min()) < 0x20:
                hit |= _true(pc.match_substring_regex(chunk, _CONTROL))
            if spaces and re.search(b"  ", text.data) is not None:
                hit |= _true(pc.match_substring(chunk, "  "))
            filled = np.flatnonzero(offsets[1:] > offsets[:-1])
            hit[filled] |= _edges(data, offsets[:-1][filled], offsets[1:][filled])
        if chunk.null_count:
            hit &= _true(pc.is_valid(chunk))
        found.append(np.flatnonzero(hit) + base)
        base += size
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def column_suspects(raw: RawTable, column: str) -> np.ndarray:
    """`suspects` (with double spaces) among the distinct values of COLUMN, once per table."""
    found = _shared(raw, ("suspects", column), lambda: suspects(encoded(raw, column).values, spaces=True))
    assert isinstance(found, np.ndarray)
    return found


def long_cell_problems(raw: RawTable) -> list[Problem]:
    """Cells longer than a spreadsheet cell holds (limits.MAX_CELL_CHARS): an xlsx export would have to cut them.

    The byte lengths Arrow already stores pick the candidates (a cell has at least as many
    bytes as characters); only those are decoded and counted.
    """
    frame = raw.frame
    if frame is None or frame.empty:
        return []
    problems: list[Problem] = []
    for column in frame.columns:
        start = 0
        for chunk in arrow_strings(frame[column]).chunks:
            if chunk.null_count < len(chunk):
                for i in np.flatnonzero(np.diff(_offsets(chunk)) > MAX_CELL_CHARS):
                    length = len(chunk[int(i)].as_py() or "")
                    if length > MAX_CELL_CHARS:
                        problems.append(
                            Problem(
                                raw.file,
                                int(frame.index[start + int(i)]),
                                str(column),
                                "cell-too-long",
                                cell_too_long(length),
                            )
                        )
            start += len(chunk)
    return problems


def hygiene_problems(raw: RawTable) -> list[Problem]:
    """NFC, no invisible/control/stray no-break characters, no mixed-script words, no padding, no formulas.

    Column by column: `suspects` picks the cells worth a look, and the rules run on those.
    """
    frame = raw.frame
    if frame is None or frame.empty:
        return []
    verbatim = {f.name for f in raw.table.fields if f.verbatim_in}
    problems: list[Problem] = []
    for column in frame.columns:
        values = arrow_strings(frame[column])
        if column in verbatim or ("encoded", column) in raw.cache or repetitive(values):
            at = encoded(raw, column).rows_of(column_suspects(raw, column))
        else:
            at = suspects(values)
        if at.size:
            cells = frame[column].iloc[at].dropna().astype("string")
            problems.extend(_hygiene_rules(raw.file, str(column), cells))
    return problems


def _hygiene_rules(file: str, column: str, cells: pd.Series) -> list[Problem]:
    """The hygiene rules on CELLS (one column's suspects, indexed by spreadsheet row)."""
    if cells.empty:
        return []
    masks = {
        "unicode-nfc": cells != cells.str.normalize("NFC"),
        "invisible-character": cells.str.contains(_INVISIBLE, regex=True),
        "control-character": cells.str.contains(_CONTROL, regex=True),
        "no-break-space": cells.str.contains(_NBSP, regex=True),
        "padding": cells != cells.str.strip(),
        "mixed-script": cells.str.contains(_MIXED_WORD.pattern, regex=True),
        "formula": cells.str.contains(_FORMULA, regex=True) & ~cells.str.match(_NUMBER),
    }
    problems: list[Problem] = []
    for rule, mask in masks.items():
        mask = mask.fillna(False).astype(bool)
        if not mask.any():
            continue
        for row, value in cells[mask].items():
            words = HYGIENE_RULES[rule]
            if rule == "mixed-script":
                word = _MIXED_WORD.search(value)
                words = f"{words}: {_visible(word.group(0))!r}" if word else words
            problems.append(Problem(file, int(row), column, rule, words, value=_visible(value)))
    return problems


_SHOW = re.compile(f"{_INVISIBLE}|{_CONTROL}|{_NBSP}|[\u0300-\u036f]")


def _visible(value: str) -> str:
    """Show invisible characters (and combining marks) as escapes so the message says what is there."""
    return _SHOW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", value)
