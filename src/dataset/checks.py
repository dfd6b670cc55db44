"""The rules beyond the descriptor's own: schema contracts, keys, cross-table facts, provenance, hygiene.

Every check takes frames indexed by spreadsheet row and returns Problems; none raises on
bad data. Checks are vectorised (pandas string methods, set membership) so that the cost
grows with the parse, not with a Python loop per row.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pandera.errors as pa_errors

from .descriptor import Descriptor, Table
from .read import RawTable, unsafe_path_reason
from .report import Problem
from .schemas import RULES, to_schema

_WS = re.compile(r"\s+")


def normalise_whitespace(text: str) -> str:
    """Collapse every run of Unicode whitespace (no-break spaces included) to one space."""
    return _WS.sub(" ", text).strip()


# --------------------------------------------------------------------------- schema (pandera)

_CHECK_WORDS = {
    "not_nullable": "a value is required",
    "field_uniqueness": "the value must be unique in this column",
    "multiple_fields_uniqueness": "the primary key must be unique",
}


def _describe_check(check: str, column: str | None, table: Table) -> tuple[str, str]:
    """Turn a pandera check name into (rule id, plain words)."""
    if check in _CHECK_WORDS:
        return check.replace("_", "-"), _CHECK_WORDS[check]
    if check.startswith("str_matches"):
        field = table.field(column) if column in table.field_names else None
        if field is not None and field.type == "integer":
            return "type", "the value must be a whole number"
        return "pattern", f"the value does not match the pattern {field.pattern if field else ''}"
    if check.startswith("isin"):
        field = table.field(column) if column in table.field_names else None
        allowed = ", ".join(field.enum or ()) if field else ""
        return "enum", f"the value is not in the vocabulary: {allowed}"
    if check.startswith(("minimum", "greater_than_or_equal_to")):
        return "minimum", f"the value is below the minimum ({check})"
    if check.startswith(("maximum", "less_than_or_equal_to")):
        return "maximum", f"the value is above the maximum ({check})"
    if check in RULES:
        return check.replace("_", "-"), RULES[check][1]
    return check, f"check {check} failed"


def schema_problems(raw: RawTable) -> list[Problem]:
    """Types, required, unique, enums, patterns, primary key and named cross-column rules (pandera)."""
    frame, table = raw.frame, raw.table
    if frame is None:
        return []
    present = [f.name for f in table.fields if f.name in frame.columns]
    schema = to_schema(table, raw=True)
    schema = schema.select_columns(present) if len(present) < len(table.fields) else schema
    schema.strict = False
    schema.ordered = False
    if (
        table.primary_key
        and all(k in frame.columns for k in table.primary_key)
        and len(table.primary_key) > 1
    ):
        schema.unique = list(table.primary_key)
    problems: list[Problem] = []
    try:
        schema.validate(frame[present], lazy=True)
    except pa_errors.SchemaErrors as exc:
        cases = exc.failure_cases
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
    raw = frames.get(resource)
    if raw is None or raw.frame is None or field not in raw.frame.columns:
        return None
    return set(raw.frame[field].dropna().tolist())


def foreign_key_problems(frames: dict[str, RawTable], desc: Descriptor) -> list[Problem]:
    """Every reference, single or list-valued, must name an existing key of its table."""
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
                continue
            keys = _key_set(frames, fk.resource, fk.reference_fields[0])
            if keys is None:
                problems.append(
                    Problem(
                        "datapackage.json",
                        None,
                        f"{raw.table.name}.{column}",
                        "foreign-key-target",
                        f"the foreign key points to {fk.resource}.{fk.reference_fields[0]}, which the package does not have",
                    )
                )
                continue
            values = raw.frame[column].dropna()
            if fk.is_list:
                items = values.str.split(fk.separator).explode()
                items = items[items.notna()]
                bad = items[~items.isin(keys)]
                what = "item"
            else:
                bad = values[~values.isin(keys)]
                what = "value"
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
                dup = values[values.str.split(fk.separator).map(lambda xs: len(xs) != len(set(xs)))]
                for row, cell in dup.items():
                    problems.append(
                        Problem(
                            raw.file,
                            int(row),
                            column,
                            "list-duplicate",
                            "the list names an item twice",
                            value=str(cell),
                        )
                    )
    return problems


def _composite_fk(raw: RawTable, fk: object, frames: dict[str, RawTable]) -> list[Problem]:
    fields, resource, ref_fields = fk.fields, fk.resource, fk.reference_fields  # type: ignore[attr-defined]
    target = frames.get(resource)
    if raw.frame is None or target is None or target.frame is None:
        return []
    if not all(f in raw.frame.columns for f in fields) or not all(
        f in target.frame.columns for f in ref_fields
    ):
        return []
    left = raw.frame[list(fields)].dropna()
    keys = set(map(tuple, target.frame[list(ref_fields)].dropna().itertuples(index=False)))
    problems = []
    for row, values in zip(left.index, left.itertuples(index=False), strict=True):
        if tuple(values) not in keys:
            problems.append(
                Problem(
                    raw.file,
                    int(row),
                    ",".join(fields),
                    "foreign-key",
                    f"no row of {resource} has this key",
                    value=",".join(values),
                )
            )
    return problems


# --------------------------------------------------------------------------- provenance


def source_texts(frames: dict[str, RawTable], root: Path) -> tuple[dict[str, str], list[Problem]]:
    """Read each archived article once; check its path and sha256. Returns normalised texts by source id."""
    raw = frames.get("sources")
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    if raw is None or raw.frame is None or not {"id", "path", "sha256"} <= set(raw.frame.columns):
        return texts, problems
    for row, sid, path, digest in zip(
        raw.frame.index, raw.frame["id"], raw.frame["path"], raw.frame["sha256"], strict=True
    ):
        if pd.isna(sid) or pd.isna(path):
            continue
        reason = unsafe_path_reason(str(path))
        if reason:
            problems.append(Problem(raw.file, int(row), "path", "unsafe-path", reason, value=str(path)))
            continue
        file = root / str(path)
        try:
            data = file.read_bytes()
        except OSError:
            problems.append(
                Problem(
                    raw.file,
                    int(row),
                    "path",
                    "missing-archive",
                    "the archived article is not in the package",
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
    """Every field marked `x-verbatim-in` must occur in the archived article of the source its row cites."""
    problems: list[Problem] = []
    for raw in frames.values():
        if raw.frame is None:
            continue
        for field in raw.table.fields:
            name, source_field = field.name, field.verbatim_in
            if not source_field or name not in raw.frame.columns or source_field not in raw.frame.columns:
                continue
            cells = raw.frame[[name, source_field]].dropna()
            for row, text, sources in zip(cells.index, cells[name], cells[source_field], strict=True):
                source = str(sources).split(";")[0]
                archived = texts.get(source)
                if archived is None:
                    continue  # a missing source is reported by the foreign-key check
                if normalise_whitespace(unicodedata.normalize("NFC", str(text))) not in archived:
                    problems.append(
                        Problem(
                            raw.file,
                            int(row),
                            name,
                            "verbatim",
                            f"the text is not found verbatim in the archived article of source {source!r}",
                            value=str(text),
                        )
                    )
    return problems


# --------------------------------------------------------------------------- cross-table facts


def _published(frames: dict[str, RawTable]) -> dict[str, str]:
    raw = frames.get("sources")
    if raw is None or raw.frame is None or "published" not in raw.frame.columns:
        return {}
    pub = raw.frame[["id", "published"]].dropna()
    return dict(zip(pub["id"], pub["published"], strict=True))


def _date_after(date: str, bound: str) -> bool:
    """True when DATE (of any precision) certainly lies after BOUND (a day)."""
    return date > bound[: len(date)]


def cross_table_problems(frames: dict[str, RawTable]) -> list[Problem]:
    """Facts that must hold across tables: dates vs publication, releases after detentions."""
    problems: list[Problem] = []
    published = _published(frames)
    latest = max(published.values()) if published else None
    for name, source_field in (
        ("events", "source_ids"),
        ("statements", "source_id"),
        ("figures", "source_id"),
    ):
        raw = frames.get(name)
        if raw is None or raw.frame is None or not {"date", source_field} <= set(raw.frame.columns):
            continue
        cells = raw.frame[["date", source_field]].dropna()
        for row, date, sources in zip(cells.index, cells["date"], cells[source_field], strict=True):
            for source in str(sources).split(";"):
                pub = published.get(source)
                if pub and _date_after(str(date), pub):
                    problems.append(
                        Problem(
                            raw.file,
                            int(row),
                            "date",
                            "date-after-publication",
                            f"the date is after the publication date {pub} of cited source {source!r}",
                            value=str(date),
                        )
                    )
        if latest:
            for column in ("date", "end_date"):
                if column not in raw.frame.columns:
                    continue
                values = raw.frame[column].dropna()
                late = values[values.map(lambda d: _date_after(str(d), latest))]
                for row, date in late.items():
                    problems.append(
                        Problem(
                            raw.file,
                            int(row),
                            column,
                            "date-outside-sources",
                            f"the date is after the latest publication date of all sources ({latest})",
                            value=str(date),
                        )
                    )
    problems.extend(_release_after_detention(frames))
    return problems


DETENTION_TYPES = ("detention", "arrest-order")


def _release_after_detention(frames: dict[str, RawTable]) -> list[Problem]:
    raw = frames.get("events")
    if raw is None or raw.frame is None or not {"event_type", "person_ids", "date"} <= set(raw.frame.columns):
        return []
    ev = raw.frame[["event_type", "person_ids", "date"]].dropna(subset=["event_type", "date"])
    ev = ev.assign(person=ev["person_ids"].str.split(";")).explode("person").dropna(subset=["person"])
    detained = ev[ev["event_type"].isin(DETENTION_TYPES)].groupby("person")["date"].min()
    problems = []
    for row, item in ev[ev["event_type"] == "release"].iterrows():
        first = detained.get(item["person"])
        if first is None:
            problems.append(
                Problem(
                    raw.file,
                    int(row),
                    "person_ids",
                    "release-without-detention",
                    f"release of {item['person']!r}, but no detention or arrest event names them",
                    value=item["person"],
                )
            )
        elif str(first)[: len(str(item["date"]))] > str(item["date"]):
            problems.append(
                Problem(
                    raw.file,
                    int(row),
                    "date",
                    "release-before-detention",
                    f"release of {item['person']!r} is dated before their first detention ({first})",
                    value=str(item["date"]),
                )
            )
    return problems


# --------------------------------------------------------------------------- text hygiene

_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_NBSP = re.compile("[\u00a0\u2007\u202f]")
_LATIN = "A-Za-z\u00c0-\u024f"
_CYRILLIC = "\u0400-\u04ff"
_MIXED_WORD = re.compile(
    rf"[{_LATIN}{_CYRILLIC}]*(?:[{_LATIN}][{_CYRILLIC}]|[{_CYRILLIC}][{_LATIN}])[{_LATIN}{_CYRILLIC}]*"
)
_FORMULA = re.compile(r"^[=+\-@\t\r]")
_NUMBER = re.compile(r"^[+-]?[0-9]+([.,][0-9]+)?$")


def hygiene_problems(raw: RawTable) -> list[Problem]:
    """NFC, no invisible/control/stray no-break characters, no mixed-script words, no padding, no formulas."""
    frame = raw.frame
    if frame is None:
        return []
    problems: list[Problem] = []
    for column in frame.columns:
        s = frame[column].dropna()
        if s.empty:
            continue
        s = s.astype("string")
        checks = (
            (
                s != s.str.normalize("NFC"),
                "unicode-nfc",
                "the text is not in Unicode NFC form (composed characters)",
            ),
            (
                s.str.contains(_INVISIBLE),
                "invisible-character",
                "the text contains a zero-width or other invisible character",
            ),
            (
                s.str.contains(_CONTROL),
                "control-character",
                "the text contains a control character (tab, line break or similar)",
            ),
            (
                s.str.contains(_NBSP),
                "no-break-space",
                "the text contains a no-break space; use a plain space",
            ),
            (s != s.str.strip(), "padding", "the text has leading or trailing spaces"),
            (
                s.str.contains(_MIXED_WORD),
                "mixed-script",
                "a word mixes Latin and Cyrillic letters (a homoglyph)",
            ),
            (
                s.str.contains(_FORMULA) & ~s.str.match(_NUMBER),
                "formula",
                "the cell starts with =, +, -, @ or a tab: a spreadsheet would run it as a formula",
            ),
        )
        for mask, rule, words in checks:
            mask = mask.fillna(False).astype(bool)
            for row, value in s[mask].items():
                detail = words
                if rule == "mixed-script":
                    word = _MIXED_WORD.search(value)
                    detail = f"{words}: {word.group(0)!r}" if word else words
                problems.append(Problem(raw.file, int(row), column, rule, detail, value=_visible(value)))
    return problems


def _visible(value: str) -> str:
    """Show invisible characters as escapes so the message says what is there."""
    return "".join(
        ch if ch.isprintable() and not _INVISIBLE.match(ch) and not _NBSP.match(ch) else f"\\u{ord(ch):04x}"
        for ch in value
    )
