"""The rules beyond the descriptor's own: schema contracts, keys, cross-table facts, provenance, hygiene.

Every check takes frames indexed by spreadsheet row and returns Problems; none raises on
bad data. Checks are vectorised (pandas string methods, set membership, merges) so that the
cost grows with the parse, not with a Python loop per row; loops run only over the rows
that failed, to word their Problems.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.errors as pa_errors
import pandera.pandas as pa

from .descriptor import Descriptor, ForeignKey, Table
from .read import RawTable, outside_root, unsafe_path_reason
from .report import Problem
from .schemas import RULES, to_schema

_WS = re.compile(r"\s+")

#: Plain-text shapes of the Table Schema types the raw (text) check can verify before conversion.
#: `integer` is checked by the raw pandera model itself; other types are taken as text.
TYPE_PATTERNS: dict[str, tuple[str, str]] = {
    "number": (r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$", "the value must be a number"),
    "boolean": (r"^(true|false)$", "the value must be true or false"),
    "date": (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "the value must be a date, YYYY-MM-DD"),
    "year": (r"^[0-9]{4}$", "the value must be a year, YYYY"),
    "yearmonth": (r"^[0-9]{4}-[0-9]{2}$", "the value must be a month, YYYY-MM"),
}
#: Partial ISO dates as this package writes them: YYYY, YYYY-MM or YYYY-MM-DD.
_ISO_PARTIAL = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"


def normalise_whitespace(text: str) -> str:
    """Collapse every run of Unicode whitespace (no-break spaces included) to one space."""
    return _WS.sub(" ", text).strip()


def normalise_series(s: pd.Series) -> pd.Series:
    """`normalise_whitespace` after NFC, for a whole column at once."""
    return s.astype("string").str.normalize("NFC").str.replace(r"\s+", " ", regex=True).str.strip()


# --------------------------------------------------------------------------- schema (pandera)

#: pandera's built-in check -> (our rule id, plain words)
CHECK_RULES = {
    "not_nullable": ("required", "a value is required"),
    "field_uniqueness": ("unique", "the value must be unique in this column"),
    "multiple_fields_uniqueness": ("primary-key-unique", "the primary key must be unique"),
}


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
    if check.startswith(("minimum", "greater_than_or_equal_to")):
        bound = field.minimum if field else ""
        return "minimum", f"the value must be at least {bound}"
    if check.startswith(("maximum", "less_than_or_equal_to")):
        bound = field.maximum if field else ""
        return "maximum", f"the value must be at most {bound}"
    if check in RULES:
        return check.replace("_", "-"), RULES[check][1]
    return check, f"check {check} failed"


def _type_check(field_type: str) -> pa.Check:
    pattern, _ = TYPE_PATTERNS[field_type]
    return pa.Check(lambda s: s.str.match(pattern), name=f"type({field_type})", element_wise=False)


def raw_schema(table: Table, present: list[str]) -> pa.DataFrameSchema:
    """The raw (text) schema of TABLE, limited to the columns the CSV has, duplicates reported once.

    Built once per distinct table and header (validation does not change a schema).
    """
    try:
        hash(table)
    except TypeError:  # a descriptor value that is not hashable: build without the cache
        return _build_raw_schema(table, tuple(present))
    return _cached_raw_schema(table, tuple(present))


def _build_raw_schema(table: Table, present: tuple[str, ...]) -> pa.DataFrameSchema:
    schema = to_schema(table, raw=True)
    for f in table.fields:
        if f.type in TYPE_PATTERNS and f.name in schema.columns:
            schema.columns[f.name].checks.append(_type_check(f.type))
    if len(present) < len(table.fields):
        schema = schema.select_columns(list(present))
    for column in schema.columns.values():
        column.report_duplicates = "exclude_first"
        column.dtype = None  # read.py builds every column as text; checking that per column is slow
    # a named rule whose reported column is absent passes by construction; skip running it
    schema.checks = [c for c in schema.checks if c.name not in RULES or RULES[c.name][0] in present]
    schema.strict = False
    schema.ordered = False
    if len(table.primary_key) > 1 and all(k in present for k in table.primary_key):
        schema.unique = list(table.primary_key)
        schema.report_duplicates = "exclude_first"
    return schema


_cached_raw_schema = lru_cache(maxsize=64)(_build_raw_schema)


def _first_rows(frame: pd.DataFrame, column: str) -> pd.Series:
    """For each value of COLUMN, the first spreadsheet row holding it."""
    values = frame[column].dropna()
    return pd.Series(values.index, index=values.values).groupby(level=0).min()


def schema_problems(raw: RawTable) -> list[Problem]:
    """Types, required, unique, enums, patterns, primary key and named cross-column rules (pandera)."""
    frame, table = raw.frame, raw.table
    if frame is None:
        return []
    present = [f.name for f in table.fields if f.name in frame.columns]
    if not present:
        return []
    schema = raw_schema(table, present)
    problems: list[Problem] = []
    try:
        schema.validate(frame[present], lazy=True, inplace=True)
    except pa_errors.SchemaErrors as exc:
        cases = exc.failure_cases
        firsts: dict[str, pd.Series] = {}
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
                cell = frame.at[row, column]
                value = None if pd.isna(cell) else str(cell)
            if check == "field_uniqueness" and column in frame.columns and value is not None:
                if column not in firsts:
                    firsts[column] = _first_rows(frame, column)
                first = firsts[column].get(value)
                if first is not None and row is not None and int(first) < row:
                    words = f"{words}: row {int(first)} has it already"
            if check == "multiple_fields_uniqueness":
                column = ",".join(table.primary_key)
                if row is not None:
                    value = ",".join(str(frame.at[row, k]) for k in table.primary_key)
            problems.append(Problem(raw.file, row, column, rule, words, value=value))
    # the primary key of one field is also declared unique; report it once
    return _dedupe(problems)


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


def _key_set(frames: dict[str, RawTable], resource: str, field: str) -> set[str] | None:
    """The values of RESOURCE.FIELD, with the keys of rows left out for structure; None when unknown."""
    raw = frames.get(resource)
    if raw is None or raw.frame is None or field not in raw.frame.columns or not raw.complete:
        return None
    keys = set(raw.frame[field].dropna().tolist())
    return keys | raw.salvaged.get(field, set())


def foreign_key_problems(frames: dict[str, RawTable], desc: Descriptor | None = None) -> list[Problem]:
    """Every reference, single or list-valued, must name an existing key of its table.

    The descriptor check has already dropped foreign keys whose target does not exist; a
    target that could not be read completely is skipped here (its file's problems say why).
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
            keys = _key_set(frames, fk.resource, fk.reference_fields[0])
            if keys is None:
                continue
            values = raw.frame[column].dropna()
            if values.empty:
                continue
            if fk.is_list:
                items = values.str.split(fk.separator, regex=False).explode()
                items = items[items.notna() & (items != "")]
                what = "item"
            else:
                items = values
                what = "value"
            bad = items[~items.isin(keys)]
            for row, item in bad.items():
                problems.append(
                    Problem(
                        raw.file,
                        int(row),
                        column,
                        "foreign-key",
                        f"{what} {item!r} is not an id in {fk.resource}",
                        value=str(item),
                    )
                )
            if fk.is_list:
                pairs = items.reset_index()
                repeated = pairs[pairs.duplicated()]
                for row, item in zip(repeated.iloc[:, 0], repeated.iloc[:, 1], strict=True):
                    problems.append(
                        Problem(
                            raw.file,
                            int(row),
                            column,
                            "list-duplicate",
                            f"the list names {item!r} twice",
                            value=str(values.get(row)),
                        )
                    )
    return problems


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


def source_texts(frames: dict[str, RawTable], root: Path) -> tuple[dict[str, str], list[Problem]]:
    """Read each archived article once; check its path and sha256. Returns normalised texts by source id."""
    raw = frames.get("sources")
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    if raw is None or raw.frame is None or not {"id", "path"} <= set(raw.frame.columns):
        return texts, problems
    digests = (
        raw.frame["sha256"] if "sha256" in raw.frame.columns else pd.Series(pd.NA, index=raw.frame.index)
    )
    for row, sid, path, digest in zip(
        raw.frame.index, raw.frame["id"], raw.frame["path"], digests, strict=True
    ):
        if pd.isna(sid) or pd.isna(path):
            continue
        reason = unsafe_path_reason(str(path))
        if reason:
            problems.append(Problem(raw.file, int(row), "path", "unsafe-path", reason, value=str(path)))
            continue
        file = root / str(path)
        if outside_root(root, file):
            problems.append(
                Problem(
                    raw.file,
                    int(row),
                    "path",
                    "unsafe-path",
                    "the archived article is a link to somewhere outside the package",
                    value=str(path),
                )
            )
            continue
        try:
            data = file.read_bytes()
        except OSError:
            problems.append(
                Problem(
                    raw.file,
                    int(row),
                    "path",
                    "missing-archive",
                    "the archived article is not in the package (or cannot be read)",
                    value=str(path),
                )
            )
            continue
        actual = hashlib.sha256(data).hexdigest()
        if not pd.isna(digest) and actual != str(digest):
            problems.append(
                Problem(
                    raw.file,
                    int(row),
                    "sha256",
                    "archive-hash",
                    f"{path} has sha256 {actual}: the archived article was changed, or the hash is wrong",
                    value=str(digest),
                )
            )
        texts[str(sid)] = normalise_whitespace(
            unicodedata.normalize("NFC", data.decode("utf-8", errors="replace"))
        )
    return texts, problems


def verbatim_problems(frames: dict[str, RawTable], texts: dict[str, str]) -> list[Problem]:
    """Every field marked `x-verbatim-in` must occur in the archived article of the source its row cites.

    The source is the first item when the source field is a list. Whitespace runs count as
    one space and both sides are compared in NFC; nothing else is forgiven.
    """
    problems: list[Problem] = []
    for raw in frames.values():
        if raw.frame is None:
            continue
        for field in raw.table.fields:
            name, source_field = field.name, field.verbatim_in
            if not source_field or name not in raw.frame.columns or source_field not in raw.frame.columns:
                continue
            cells = raw.frame[[name, source_field]].dropna()
            if cells.empty:
                continue
            source = cells[source_field].str.split(";", n=1, regex=False).str[0]
            needle = normalise_series(cells[name])
            for sid, group in needle.groupby(source, sort=False):
                archived = texts.get(str(sid))
                if archived is None:
                    continue  # a missing source or archive is reported by the key and archive checks
                found = pd.Series([n in archived for n in group], index=group.index)
                for row in group.index[~found.to_numpy()]:
                    problems.append(
                        Problem(
                            raw.file,
                            int(row),
                            name,
                            "verbatim",
                            f"the text is not found verbatim in the archived article of source {sid!r}",
                            value=str(cells.at[row, name]),
                        )
                    )
    return problems


# --------------------------------------------------------------------------- cross-table facts


def _valid_dates(s: pd.Series) -> pd.Series:
    """The values of S that are partial ISO dates; others are the pattern check's business."""
    s = s.dropna().astype("string")
    return s[s.str.match(_ISO_PARTIAL).fillna(False).astype(bool)]


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


def cross_table_problems(frames: dict[str, RawTable]) -> list[Problem]:
    """Facts that must hold across tables: dates vs publication, releases after detentions."""
    problems: list[Problem] = []
    published = _published(frames)
    latest = published["end"].max() if not published.empty else None
    for name, source_field in (
        ("events", "source_ids"),
        ("statements", "source_id"),
        ("figures", "source_id"),
    ):
        raw = frames.get(name)
        if raw is None or raw.frame is None:
            continue
        if not published.empty and {"date", source_field} <= set(raw.frame.columns):
            problems.extend(_after_publication(raw, source_field, published))
        if latest is not None and not pd.isna(latest):
            problems.extend(_after_all_sources(raw, str(latest)))
    problems.extend(_release_after_detention(frames))
    return problems


def _after_publication(raw: RawTable, source_field: str, published: pd.DataFrame) -> list[Problem]:
    """A date that certainly lies after the publication of a source the row cites."""
    assert raw.frame is not None
    dates = _valid_dates(raw.frame["date"])
    if dates.empty or _start_of(str(dates.max())) <= str(published["end"].min()):
        return []  # the latest date is before every publication: nothing to report
    sources = raw.frame.loc[dates.index, source_field].dropna()
    cited = sources.str.split(";", regex=False).explode().dropna()
    if cited.empty:
        return []
    end = cited.map(published["end"]).astype("string")
    start = date_start(dates).reindex(cited.index)
    late = (end.notna() & (start > end)).fillna(False).astype(bool)
    return [
        Problem(
            raw.file,
            int(row),
            "date",
            "date-after-publication",
            f"the date is after the publication date ({published.at[source, 'printed']}) of cited source {source!r}",
            value=str(dates[row]),
        )
        for row, source in cited[late].items()
    ]


def _after_all_sources(raw: RawTable, latest: str) -> list[Problem]:
    """A date that certainly lies after the latest publication of all sources."""
    assert raw.frame is not None
    problems = []
    for column in ("date", "end_date"):
        if column not in raw.frame.columns:
            continue
        values = _valid_dates(raw.frame[column])
        if values.empty or _start_of(str(values.max())) <= latest:
            continue  # padding keeps the order of partial dates, so the latest one decides
        after = values[(date_start(values) > latest).fillna(False).astype(bool)]
        problems.extend(
            Problem(
                raw.file,
                int(row),
                column,
                "date-outside-sources",
                f"the date is after the latest publication date of all sources ({latest})",
                value=str(date),
            )
            for row, date in after.items()
        )
    return problems


DETENTION_TYPES = ("detention", "arrest-order")


def _release_after_detention(frames: dict[str, RawTable]) -> list[Problem]:
    """A release must have a detention (or arrest) of the same person, not later than the release."""
    raw = frames.get("events")
    if raw is None or raw.frame is None or not {"event_type", "person_ids", "date"} <= set(raw.frame.columns):
        return []
    ev = raw.frame[["event_type", "person_ids", "date"]].dropna()
    ev = ev.loc[_valid_dates(ev["date"]).index]
    ev = ev.assign(person=ev["person_ids"].str.split(";", regex=False)).explode("person")
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
_LATIN = "A-Za-z\u00c0-\u024f"
_CYRILLIC = "\u0400-\u04ff"
_MIXED_WORD = re.compile(
    rf"[{_LATIN}{_CYRILLIC}]*(?:[{_LATIN}][{_CYRILLIC}]|[{_CYRILLIC}][{_LATIN}])[{_LATIN}{_CYRILLIC}]*"
)
_FORMULA = r"^[=+\-@\t\r]"
#: Any cell one of the regex rules below might flag (a pre-filter: one pass instead of five).
_SUSPECT = f"{_INVISIBLE}|{_CONTROL}|{_NBSP}|[{_LATIN}][{_CYRILLIC}]|[{_CYRILLIC}][{_LATIN}]|{_FORMULA}"
_NUMBER = r"^[+-]?[0-9]+([.,][0-9]+)?$"

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


def hygiene_problems(raw: RawTable) -> list[Problem]:
    """NFC, no invisible/control/stray no-break characters, no mixed-script words, no padding, no formulas.

    All cells of the table are checked at once, as one long column.
    """
    frame = raw.frame
    if frame is None or frame.empty:
        return []
    cells = frame.astype("string").stack(future_stack=True).dropna()
    if cells.empty:
        return []
    cells = cells.astype("string")
    # Three passes over every cell; the rules that need a regex run only on the few suspects.
    suspect = (
        cells.str.contains(_SUSPECT, regex=True)
        | (cells != cells.str.normalize("NFC"))
        | (cells != cells.str.strip())
    )
    cells = cells[suspect.fillna(True).astype(bool)]
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
        for (row, column), value in cells[mask].items():
            words = HYGIENE_RULES[rule]
            if rule == "mixed-script":
                word = _MIXED_WORD.search(value)
                words = f"{words}: {_visible(word.group(0))!r}" if word else words
            problems.append(Problem(raw.file, int(row), str(column), rule, words, value=_visible(value)))
    return problems


_SHOW = re.compile(f"{_INVISIBLE}|{_CONTROL}|{_NBSP}|[\u0300-\u036f]")


def _visible(value: str) -> str:
    """Show invisible characters (and combining marks) as escapes so the message says what is there."""
    return _SHOW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", value)
