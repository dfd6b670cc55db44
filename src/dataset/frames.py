"""The tables as typed pandas frames: read once, checked against their pandera model.

`Package.tables()` builds them from the text frames the validator read (or reads them itself);
`dataset.load()` and every command that needs data go through it.
"""

from __future__ import annotations

import pandas as pd

from .descriptor import Descriptor, Table
from .domain import TABLES
from .dtypes import BOOLEAN_VALUES, pandas_dtype
from .errors import DescriptorError, ValidationError
from .read import read_table


def typed_frame(raw: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Convert a text frame to the promised dtypes: Int64 integers, categorical vocabularies, strings.

    Dates stay text exactly as published (`2025-06` is a month, not 1 June); see `parse_date`.
    """
    columns = {}
    for f in table.fields:
        text = raw[f.name] if f.name in raw.columns else pd.Series(pd.NA, index=raw.index, dtype="string")
        dtype = pandas_dtype(f.type, f.enum)
        if isinstance(dtype, pd.Int64Dtype):
            columns[f.name] = pd.to_numeric(text, errors="raise").astype(dtype)
        elif isinstance(dtype, pd.Float64Dtype):  # Python's float reads Table Schema's NaN, INF and -INF
            columns[f.name] = text.astype(dtype)
        elif isinstance(dtype, pd.BooleanDtype):
            columns[f.name] = text.map(BOOLEAN_VALUES).astype(dtype)
        else:
            columns[f.name] = text.astype(dtype)
    return pd.DataFrame(columns).reset_index(drop=True)


def _read(desc: Descriptor, name: str) -> pd.DataFrame:
    table = desc.tables.get(name)
    if table is None:
        raise DescriptorError(f"{desc.path}: the package has no {name!r} table")
    raw = read_table(desc.root, table)
    fatal = [p for p in raw.problems if p.severity == "error"]
    if raw.frame is None or fatal:
        from .report import Report

        raise ValidationError(Report(str(desc.path), fatal or raw.problems))
    import pandera.errors as pa_errors  # only here: a load of a package its record vouches for needs no pandera

    from .schemas import table_model

    try:
        frame = typed_frame(raw.frame, table)
        return table_model(table).validate(frame, lazy=True)
    except (ValueError, TypeError, pa_errors.SchemaErrors, pa_errors.SchemaError) as exc:
        # Loading without validation met a cell it cannot type: say where, via the validator.
        from .validation import validate

        report = validate(desc.path)
        if report.valid:
            raise
        raise ValidationError(report) from exc


def reading_order(desc: Descriptor) -> list[str]:
    """The tables we require first, in their order, then any others as declared."""
    return [n for n in TABLES if n in desc.tables] + [n for n in desc.tables if n not in TABLES]


def read_frames(desc: Descriptor) -> dict[str, pd.DataFrame]:
    """Every table of DESC read once, typed and checked against its pandera model."""
    return {name: _read(desc, name) for name in reading_order(desc)}


def typed_frames(desc: Descriptor, text_frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame] | None:
    """The text frames the validator read, typed; None when one is missing (then read_frames reads them).

    Only for a package the validator passed: its checks are a superset of the pandera models'.
    """
    if any(name not in text_frames for name in desc.tables):
        return None
    return {name: typed_frame(text_frames[name], desc.tables[name]) for name in reading_order(desc)}
