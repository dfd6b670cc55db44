"""The Python API: load the tables as typed pandas frames, or the package as frictionless sees it."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pandas as pd

from .datapackage import Package
from .descriptor import Descriptor, Table
from .domain import TABLES
from .dtypes import BOOLEAN_VALUES, pandas_dtype
from .errors import DescriptorError, ValidationError
from .read import read_table

if TYPE_CHECKING:
    import frictionless

PathLike = str | os.PathLike[str] | None


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


def open_package(path: PathLike | Package = None) -> Package:
    """The Package at PATH (None = the bundled one); a Package is passed through."""
    return path if isinstance(path, Package) else Package(path)


def load(path: PathLike | Package = None, *, validate: bool = True) -> dict[str, pd.DataFrame]:
    """All tables of the package at PATH (None = the bundled one), by name, typed and validated.

    `validate=False` skips the package-wide checks (keys, provenance, hygiene) for speed; the
    frames are still checked against their pandera schema. With `validate=True` the checks are
    also skipped when the package's `validity.json` (written by `dataset refresh`) records these
    very files, this validator's code and these library versions as found valid; a frame that
    does not type still sends the package to full validation (see `dataset.validity`).
    """
    return open_package(path).tables(validate=validate)


def load_table(name: str, path: PathLike | Package = None, *, validate: bool = True) -> pd.DataFrame:
    """One table of the package at PATH, typed and validated (the whole package is checked)."""
    package = open_package(path)
    if name not in package.descriptor.tables:
        raise DescriptorError(f"{package.descriptor_file}: the package has no {name!r} table")
    return package.tables(validate=validate)[name]


def load_sources(path: PathLike = None, *, validate: bool = True) -> pd.DataFrame:
    """The archived articles: publisher, title, date, language, path and sha256.

    Passed the table's pandera model (`dataset.schemas.SourceSchema` for the bundled package).
    """
    return load_table("sources", path, validate=validate)


def load_persons(path: PathLike = None, *, validate: bool = True) -> pd.DataFrame:
    """People named as acting, speaking or affected, in Latin and Cyrillic.

    Passed the table's pandera model (`dataset.schemas.PersonSchema` for the bundled package).
    """
    return load_table("persons", path, validate=validate)


def load_organizations(path: PathLike = None, *, validate: bool = True) -> pd.DataFrame:
    """States, ministries, courts, missions and media.

    Passed the table's pandera model (`dataset.schemas.OrganizationSchema` for the bundled package).
    """
    return load_table("organizations", path, validate=validate)


def load_events(path: PathLike = None, *, validate: bool = True) -> pd.DataFrame:
    """What happened, with date precision, derivation, sources and evidence.

    Passed the table's pandera model (`dataset.schemas.EventSchema` for the bundled package).
    """
    return load_table("events", path, validate=validate)


def load_statements(path: PathLike = None, *, validate: bool = True) -> pd.DataFrame:
    """Direct quotes and reported speech, in the original language with English renderings.

    Passed the table's pandera model (`dataset.schemas.StatementSchema` for the bundled package).
    """
    return load_table("statements", path, validate=validate)


def load_figures(path: PathLike = None, *, validate: bool = True) -> pd.DataFrame:
    """Every number reported about people and outcomes; disagreements kept.

    Passed the table's pandera model (`dataset.schemas.FigureSchema` for the bundled package).
    """
    return load_table("figures", path, validate=validate)


def load_claim_links(path: PathLike = None, *, validate: bool = True) -> pd.DataFrame:
    """Pairs of events, statements or figures that contradict, corroborate, update, answer or may duplicate each other.

    Passed the table's pandera model (`dataset.schemas.ClaimLinkSchema` for the bundled package).
    """
    return load_table("claim_links", path, validate=validate)


def package(path: PathLike = None) -> frictionless.Package:
    """The frictionless `Package` of the package at PATH (None = the bundled one)."""
    import frictionless

    from .location import descriptor_path

    file = descriptor_path(path)
    return frictionless.Package(str(file), basepath=str(file.parent))


def split_list(series: pd.Series, separator: str = ";") -> pd.Series:
    """Split a list field (`a;b`) into Python lists; missing stays missing."""
    return series.str.split(separator)
