"""Pandera contracts for the tables, built from the Table Schemas in the descriptor.

No IO here: `table_model` turns one `descriptor.Table` into a `DataFrameModel`. The models
for the bundled package (`EventSchema`, ...) are built on first access from the bundled
descriptor, so the field list, types, enums and patterns exist only in `datapackage.json`.

Two flavours share one builder: the *typed* model describes the frames `dataset.load()`
returns (nullable Int64 integers, categoricals for vocabularies, pandas strings for text);
the *raw* model checks the CSV as text, before conversion, so that a bad integer or an
out-of-vocabulary value is reported instead of silently becoming missing.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .dates import in_calendar
from .dtypes import BOOLEAN_VALUES, pandas_dtype  # noqa: F401 (re-exported: dataset.schemas.BOOLEAN_VALUES)
from .rules import (
    COUNTED_RU_FLAGGED,
    COUNTED_RU_IN_RUSSIAN,
    CYRILLIC_NAME_FLAGGED,
    CYRILLIC_NAME_IN_CYRILLIC,
    DATE_BASIS_UNLESS_PRINTED,
    DATE_MATCHES_PRECISION,
    END_DATE_NOT_BEFORE_DATE,
    END_DATE_SAME_PRECISION,
    END_DATE_WITH_SPAN_OR_BETWEEN,
    LATIN_NAME_IN_LATIN,
    PARENT_NOT_SELF,
    PUBLISHER_BASIS_GIVEN,
    QUOTE_IN_ITS_LANGUAGE,
    RUSSIAN_QUOTE_TRANSLATED,
    SPEAKER_GIVEN,
    SUMMARY_RU_FLAGGED,
    SUMMARY_RU_IN_RUSSIAN,
    TRANSLATION_FLAGGED,
)
from .spec import RANGE_CONSTRAINTS, STRING_FORMATS

if TYPE_CHECKING:
    from .descriptor import Table

INTEGER_PATTERN = r"^[+-]?[0-9]+$"

#: Fields that hold this project's partial ISO dates (YYYY, YYYY-MM, YYYY-MM-DD): their patterns
#: allow day 31 in every month, so a check that the day exists in the calendar goes with them.
CALENDAR_FIELDS = ("date", "end_date", "published")


#: Named cross-column rules: check name -> (column a problem is reported on, plain-words rule).
RULES: dict[str, tuple[str, str]] = {
    END_DATE_NOT_BEFORE_DATE: ("end_date", "end_date is before date"),
    END_DATE_WITH_SPAN_OR_BETWEEN: (
        "end_date",
        "date_qualifier 'span' or 'between' needs an end_date, and only they may have one",
    ),
    DATE_BASIS_UNLESS_PRINTED: (
        "date_basis",
        "date_basis is required when date_derivation is not 'printed'",
    ),
    END_DATE_SAME_PRECISION: ("end_date", "end_date must have the precision given in date_precision"),
    DATE_MATCHES_PRECISION: ("date", "date must have the precision given in date_precision"),
    SPEAKER_GIVEN: (
        "speaker_person_id",
        "a statement needs a speaker_person_id or a speaker_organization_id",
    ),
    TRANSLATION_FLAGGED: ("quote_en_origin", "quote_en and quote_en_origin go together"),
    SUMMARY_RU_FLAGGED: ("summary_ru_origin", "summary_ru and summary_ru_origin go together"),
    COUNTED_RU_FLAGGED: ("counted_ru_origin", "counted_ru and counted_ru_origin go together"),
    RUSSIAN_QUOTE_TRANSLATED: ("quote_en", "a Russian quote needs an English rendering in quote_en"),
    CYRILLIC_NAME_FLAGGED: ("name_cyrillic_origin", "name_cyrillic and name_cyrillic_origin go together"),
    PUBLISHER_BASIS_GIVEN: ("publisher_basis", "publisher and publisher_basis go together"),
    QUOTE_IN_ITS_LANGUAGE: (
        "language",
        "the quote is not in this language: a Russian quote has Cyrillic letters, an English one none",
    ),
    SUMMARY_RU_IN_RUSSIAN: (
        "summary_ru",
        "summary_ru is the Russian rendering, but it has no Cyrillic letter",
    ),
    COUNTED_RU_IN_RUSSIAN: (
        "counted_ru",
        "counted_ru is the Russian rendering, but it has no Cyrillic letter",
    ),
    LATIN_NAME_IN_LATIN: (
        "name_latin",
        "name_latin has a word in Cyrillic letters: the Cyrillic form goes in name_cyrillic",
    ),
    CYRILLIC_NAME_IN_CYRILLIC: (
        "name_cyrillic",
        "name_cyrillic has a word in Latin letters: the Latin form goes in name_latin",
    ),
    PARENT_NOT_SELF: ("parent_id", "an organization cannot be its own parent"),
}

#: The letters of the Latin and Cyrillic scripts, as character-class ranges (the hygiene rule for
#: mixed-script words uses them too). Python escapes, so the patterns hold the characters
#: themselves: a regex-level \\u escape would make pandas match with Python's re, cell by cell.
LATIN_LETTERS, CYRILLIC_LETTERS = "A-Za-z\u00c0-\u024f", "\u0400-\u04ff"
_CYRILLIC, _LATIN = f"[{CYRILLIC_LETTERS}]", f"[{LATIN_LETTERS}]"


def _word_of(script: str) -> str:
    """A run of SCRIPT's letters touching no letter of the other script: a word written in SCRIPT.

    A single Latin letter inside a Cyrillic word is a homoglyph, which the mixed-script rule names.
    """
    letters = CYRILLIC_LETTERS + LATIN_LETTERS
    return f"(?:^|[^{letters}]){script}+(?:[^{letters}]|$)"


def _in_russian(df: pd.DataFrame, column: str) -> pd.Series:
    """True where COLUMN (a Russian rendering) is empty or has a Cyrillic letter: the same idea as
    `quote_in_its_language`, so that English text never reaches the Russian pages as Russian."""
    if not _has(df, column):
        return _ok(df)
    text = df[column].astype("string")
    return (text.isna() | text.str.contains(_CYRILLIC)).fillna(True).astype(bool)


_PRECISION_LENGTH = {"day": 10, "month": 7, "year": 4}


def _has(df: pd.DataFrame, *cols: str) -> bool:
    return all(c in df.columns for c in cols)


def _ok(df: pd.DataFrame) -> pd.Series:
    return pd.Series(True, index=df.index)


def _matches_precision(dates: pd.Series, precision: pd.Series) -> pd.Series:
    """True where a date is missing, the precision is not one we know, or the date's length fits it."""
    precision = precision.astype("string")
    length = dates.astype("string").str.len()
    ok = dates.isna() | ~precision.isin(list(_PRECISION_LENGTH)).fillna(False).astype(bool)
    for name, size in _PRECISION_LENGTH.items():
        ok |= ((precision == name) & (length == size)).fillna(False).astype(bool)
    return ok


def _together(df: pd.DataFrame, a: str, b: str) -> pd.Series:
    if not _has(df, a, b):
        return _ok(df)
    return df[a].isna() == df[b].isna()


class TableModel(pa.DataFrameModel):
    """Shared configuration and the cross-column rules; each applies where its columns exist."""

    class Config:
        strict = True
        coerce = False
        ordered = True

    @pa.dataframe_check(name=END_DATE_NOT_BEFORE_DATE)
    def end_date_not_before_date(cls, df: pd.DataFrame) -> pd.Series:
        if not _has(df, "date", "end_date"):
            return _ok(df)
        start = df["date"].astype("string")
        end = df["end_date"].astype("string")
        # ISO dates of one precision sort in calendar order; unequal precisions are another rule's fault.
        comparable = (
            (start.notna() & end.notna() & (start.str.len() == end.str.len())).fillna(False).astype(bool)
        )
        ok = pd.Series(True, index=df.index)
        ok[comparable] = (end[comparable] >= start[comparable]).astype(bool)
        return ok

    @pa.dataframe_check(name=END_DATE_WITH_SPAN_OR_BETWEEN)
    def end_date_with_span_or_between(cls, df: pd.DataFrame) -> pd.Series:
        if not _has(df, "end_date", "date_qualifier"):
            return _ok(df)
        needs = df["date_qualifier"].astype("string").isin(["span", "between"]).fillna(False).astype(bool)
        return needs == df["end_date"].notna()

    @pa.dataframe_check(name=DATE_BASIS_UNLESS_PRINTED)
    def date_basis_unless_printed(cls, df: pd.DataFrame) -> pd.Series:
        if not _has(df, "date_basis", "date_derivation"):
            return _ok(df)
        printed = (df["date_derivation"].astype("string") == "printed").fillna(False).astype(bool)
        return printed | df["date_basis"].notna()

    @pa.dataframe_check(name=DATE_MATCHES_PRECISION)
    def date_matches_precision(cls, df: pd.DataFrame) -> pd.Series:
        if not _has(df, "date", "date_precision"):
            return _ok(df)
        return _matches_precision(df["date"], df["date_precision"])

    @pa.dataframe_check(name=END_DATE_SAME_PRECISION)
    def end_date_same_precision(cls, df: pd.DataFrame) -> pd.Series:
        if not _has(df, "end_date", "date_precision"):
            return _ok(df)
        return _matches_precision(df["end_date"], df["date_precision"])

    @pa.dataframe_check(name=SPEAKER_GIVEN)
    def speaker_given(cls, df: pd.DataFrame) -> pd.Series:
        if not _has(df, "speaker_person_id", "speaker_organization_id"):
            return _ok(df)
        return df["speaker_person_id"].notna() | df["speaker_organization_id"].notna()

    @pa.dataframe_check(name=TRANSLATION_FLAGGED)
    def translation_flagged(cls, df: pd.DataFrame) -> pd.Series:
        return _together(df, "quote_en", "quote_en_origin")

    @pa.dataframe_check(name=SUMMARY_RU_FLAGGED)
    def summary_ru_flagged(cls, df: pd.DataFrame) -> pd.Series:
        return _together(df, "summary_ru", "summary_ru_origin")

    @pa.dataframe_check(name=COUNTED_RU_FLAGGED)
    def counted_ru_flagged(cls, df: pd.DataFrame) -> pd.Series:
        return _together(df, "counted_ru", "counted_ru_origin")

    @pa.dataframe_check(name=RUSSIAN_QUOTE_TRANSLATED)
    def russian_quote_translated(cls, df: pd.DataFrame) -> pd.Series:
        if not _has(df, "language", "quote_en", "quote"):
            return _ok(df)
        russian = (df["language"].astype("string") == "ru").fillna(False).astype(bool)
        return ~russian | df["quote_en"].notna()

    @pa.dataframe_check(name=QUOTE_IN_ITS_LANGUAGE)
    def quote_in_its_language(cls, df: pd.DataFrame) -> pd.Series:
        if not _has(df, "language", "quote"):
            return _ok(df)
        language, quote = df["language"].astype("string"), df["quote"].astype("string")
        cyrillic = quote.str.contains(_CYRILLIC).fillna(False).astype(bool)
        russian = (language == "ru").fillna(False).astype(
            bool
        ) & quote.notna()  # no quote: `required` says so
        english = (language == "en").fillna(False).astype(bool)
        return ~(russian & ~cyrillic) & ~(english & cyrillic)

    @pa.dataframe_check(name=SUMMARY_RU_IN_RUSSIAN)
    def summary_ru_in_russian(cls, df: pd.DataFrame) -> pd.Series:
        return _in_russian(df, "summary_ru")

    @pa.dataframe_check(name=COUNTED_RU_IN_RUSSIAN)
    def counted_ru_in_russian(cls, df: pd.DataFrame) -> pd.Series:
        return _in_russian(df, "counted_ru")

    @pa.dataframe_check(name=LATIN_NAME_IN_LATIN)
    def latin_name_in_latin(cls, df: pd.DataFrame) -> pd.Series:
        if not _has(df, "name_latin"):
            return _ok(df)
        return ~df["name_latin"].astype("string").str.contains(_word_of(_CYRILLIC)).fillna(False).astype(bool)

    @pa.dataframe_check(name=CYRILLIC_NAME_IN_CYRILLIC)
    def cyrillic_name_in_cyrillic(cls, df: pd.DataFrame) -> pd.Series:
        if not _has(df, "name_cyrillic"):
            return _ok(df)
        return ~df["name_cyrillic"].astype("string").str.contains(_word_of(_LATIN)).fillna(False).astype(bool)

    @pa.dataframe_check(name=PARENT_NOT_SELF)
    def parent_not_self(cls, df: pd.DataFrame) -> pd.Series:
        if not _has(df, "id", "parent_id"):
            return _ok(df)
        return (df["id"].astype("string") != df["parent_id"].astype("string")).fillna(True).astype(bool)

    @pa.dataframe_check(name=CYRILLIC_NAME_FLAGGED)
    def cyrillic_name_flagged(cls, df: pd.DataFrame) -> pd.Series:
        return _together(df, "name_cyrillic", "name_cyrillic_origin")

    @pa.dataframe_check(name=PUBLISHER_BASIS_GIVEN)
    def publisher_basis_given(cls, df: pd.DataFrame) -> pd.Series:
        return _together(df, "publisher", "publisher_basis")


def _annotation(field_type: str, enum: tuple[str, ...] | None, raw: bool) -> Any:
    if raw:
        return Series[pd.StringDtype]
    dtype = pandas_dtype(field_type, enum)
    if isinstance(dtype, pd.CategoricalDtype):
        return Series[pd.CategoricalDtype]
    series: Any = Series  # the dtype class is known only at run time, so not as a static type
    return series[type(dtype)]


def table_model(table: Table, *, raw: bool = False) -> type[pa.DataFrameModel]:
    """Build the DataFrameModel of one table from its Table Schema (no IO)."""
    annotations: dict[str, Any] = {}
    namespace: dict[str, Any] = {"__annotations__": annotations, "__doc__": table.description or table.name}
    for position, f in enumerate(table.fields):
        # a primary key's fields are required, and a one-field key is unique (Table Schema)
        in_key = f.name in table.primary_key
        kwargs: dict[str, Any] = {
            "alias": f.name,
            "nullable": not (f.required or in_key),
            "unique": f.unique or table.primary_key == (f.name,),
            "description": f.description,
            "title": f.name,
        }
        if f.pattern:
            # Table Schema patterns match the whole value (XML Schema semantics), anchored or not.
            kwargs["str_matches"] = f"^(?:{f.pattern})$"
        if f.type == "string" and (f.min_length is not None or f.max_length is not None):
            # Table Schema lengths count characters, as Python's len does
            kwargs["str_length"] = {"min_value": f.min_length, "max_value": f.max_length}
        if f.enum:
            kwargs["isin"] = list(f.enum)
            if not raw:
                kwargs["dtype_kwargs"] = {"categories": list(f.enum), "ordered": False}
        if f.type == "integer" and raw:
            kwargs["str_matches"] = INTEGER_PATTERN
        if f.type in ("integer", "number") and not raw:
            if f.minimum is not None:
                kwargs["ge"] = f.minimum
            if f.maximum is not None:
                kwargs["le"] = f.maximum
            if f.exclusive_minimum is not None:
                kwargs["gt"] = f.exclusive_minimum
            if f.exclusive_maximum is not None:
                kwargs["lt"] = f.exclusive_maximum
        # The column is named by `alias`; the attribute gets a neutral name, so that a field called
        # `Config`, `validate` or `to_schema` cannot shadow the model's own attributes.
        attribute = f"field_{position}"
        annotations[attribute] = _annotation(f.type, f.enum, raw)
        namespace[attribute] = pa.Field(**kwargs)
    name = "".join(part.capitalize() for part in table.name.split("_")) + ("RawSchema" if raw else "Schema")
    return type(name, (TableModel,), namespace)


def _within(text: pd.Series, bound: float, passes: Any) -> pd.Series:
    """True where the cell passes the bound, or is not a number (that is the type check's fault)."""
    value = pd.to_numeric(text, errors="coerce")
    return value.isna() | passes(value, bound).fillna(True).astype(bool)


def _raw_range_checks(f: Any) -> list[pa.Check]:
    """The range constraints of F, on its text."""
    checks = []
    for limit in RANGE_CONSTRAINTS:
        bound = getattr(f, limit.attribute)
        if bound is not None:
            checks.append(
                pa.Check(
                    lambda s, m=bound, ok=limit.passes: _within(s, m, ok),
                    name=f"{limit.attribute}({bound})",
                    element_wise=False,
                )
            )
    return checks


#: The largest magnitude of a whole number in the typed tables (pandas Int64), as digits.
_INT64_MAX, _INT64_MIN = str(2**63 - 1), str(2**63)


def fits_int64(text: pd.Series) -> pd.Series:
    """True where a whole number fits the 64-bit integers `load()` gives (or the cell is not one).

    Compared as digits: a float would round near the bounds.
    """
    value = text.astype("string")
    whole = value.str.fullmatch(INTEGER_PATTERN).fillna(False).to_numpy(dtype=bool)
    digits = value.str.lstrip("+-").str.lstrip("0")
    size = digits.str.len().fillna(0).to_numpy(dtype=np.int64)
    ok = ~whole | (size < 19)
    edge = np.flatnonzero(whole & (size == 19))
    if edge.size:  # 19 digits: compare with the bound of the sign, digit by digit
        for i in edge:
            bound = _INT64_MIN if str(value.iloc[i]).startswith("-") else _INT64_MAX
            ok[i] = str(digits.iloc[i]) <= bound
    return pd.Series(ok, index=text.index)


def to_schema(table: Table, *, raw: bool = False) -> pa.DataFrameSchema:
    """The DataFrameSchema of one table, with the raw range checks attached."""
    schema = table_model(table, raw=raw).to_schema()
    for f in table.fields:
        if raw and f.type in ("integer", "number"):
            schema.columns[f.name].checks.extend(_raw_range_checks(f))
        if raw and f.type == "integer":
            schema.columns[f.name].checks.append(pa.Check(fits_int64, name="int64", element_wise=False))
        if f.type == "string" and f.format in STRING_FORMATS:
            schema.columns[f.name].checks.append(
                pa.Check(
                    lambda s, p=STRING_FORMATS[f.format]: s.astype("string").str.fullmatch(p),
                    name=f"format({f.format})",
                    element_wise=False,
                )
            )
        if f.name in CALENDAR_FIELDS and f.type == "string":
            schema.columns[f.name].checks.append(
                pa.Check(in_calendar, name="calendar_date", element_wise=False)
            )
    return schema


@cache
def bundled_models() -> dict[str, type[pa.DataFrameModel]]:
    """Typed models of the bundled package, by table name."""
    from .descriptor import read_descriptor

    desc = read_descriptor()
    return {name: table_model(table) for name, table in desc.tables.items()}


_ALIASES = {
    "SourceSchema": "sources",
    "PersonSchema": "persons",
    "OrganizationSchema": "organizations",
    "EventSchema": "events",
    "StatementSchema": "statements",
    "FigureSchema": "figures",
    "ClaimLinkSchema": "claim_links",
}


def __getattr__(name: str) -> Any:
    """`EventSchema` and friends: the typed models of the bundled package (built on first use)."""
    if name in _ALIASES:
        return bundled_models()[_ALIASES[name]]
    raise AttributeError(name)
