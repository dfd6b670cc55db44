"""The Python API: typed, validated frames that match the descriptor and the CSVs."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

import dataset
from dataset.descriptor import read_descriptor
from dataset.errors import ValidationError
from dataset.schemas import bundled_models, table_model

#: The dtype promise made to pandas users (README, "Types"), per Table Schema type.
PROMISED = {"integer": "Int64", "string": "string"}


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_load_returns_every_table_with_all_rows(repo_root: Path) -> None:
    """load() gives one frame per resource, with exactly the CSV's rows and columns in order."""
    desc = read_descriptor(repo_root)
    tables = dataset.load(repo_root)
    assert list(tables) == list(desc.tables)
    for name, table in desc.tables.items():
        rows = csv_rows(repo_root / table.path)
        frame = tables[name]
        assert list(frame.columns) == table.field_names
        assert frame["id"].tolist() == [r["id"] for r in rows]


def test_columns_have_the_promised_dtypes(repo_root: Path) -> None:
    """Integers are nullable Int64, vocabularies categoricals of exactly the enum, text pandas strings."""
    desc = read_descriptor(repo_root)
    tables = dataset.load(repo_root, validate=False)
    for name, table in desc.tables.items():
        for field in table.fields:
            dtype = tables[name][field.name].dtype
            if field.enum:
                assert isinstance(dtype, pd.CategoricalDtype), (name, field.name)
                assert list(dtype.categories) == list(field.enum)
            else:
                assert str(dtype) == PROMISED[field.type], (name, field.name, dtype)


def test_each_loader_passes_its_pandera_schema() -> None:
    """Every per-table loader returns a frame that its DataFrameModel accepts."""
    loaders = {
        "sources": dataset.load_sources,
        "persons": dataset.load_persons,
        "organizations": dataset.load_organizations,
        "events": dataset.load_events,
        "statements": dataset.load_statements,
        "figures": dataset.load_figures,
        "claim_links": dataset.load_claim_links,
    }
    models = bundled_models()
    assert set(loaders) == set(models)
    for name, loader in loaders.items():
        frame = loader(validate=False)
        models[name].validate(frame, lazy=True)
        assert len(frame) > 0


def test_partial_dates_stay_as_published(repo_root: Path) -> None:
    """A month-precision date is kept as 'YYYY-MM', never turned into the first of the month."""
    events = dataset.load_events(repo_root)
    month = events[events["date_precision"] == "month"]
    assert not month.empty
    assert month["date"].str.fullmatch(r"\d{4}-\d{2}").all()
    raw = {r["id"]: r["date"] for r in csv_rows(repo_root / "data" / "events.csv")}
    assert dict(zip(events["id"], events["date"], strict=True)) == raw


def test_parse_date_gives_period_start_and_end() -> None:
    """parse_date maps a partial date to the first or last day of its period."""
    dates = pd.Series(["2025", "2025-02", "2025-06-30", None], dtype="string")
    start = dataset.parse_date(dates, "start")
    end = dataset.parse_date(dates, "end")
    assert start.dt.strftime("%Y-%m-%d").tolist()[:3] == ["2025-01-01", "2025-02-01", "2025-06-30"]
    assert end.dt.strftime("%Y-%m-%d").tolist()[:3] == ["2025-12-31", "2025-02-28", "2025-06-30"]
    assert pd.isna(start.iloc[3]) and pd.isna(end.iloc[3])


def test_cyrillic_survives_loading(repo_root: Path) -> None:
    """Cyrillic names come out of load() exactly as in the CSV."""
    persons = dataset.load_persons(repo_root)
    raw = {r["id"]: r["name_cyrillic"] for r in csv_rows(repo_root / "data" / "persons.csv")}
    loaded = {
        i: (n if isinstance(n, str) else "")
        for i, n in zip(persons["id"], persons["name_cyrillic"], strict=True)
    }
    assert loaded == raw
    assert any("Картавых" in n for n in loaded.values())


def test_version_is_the_descriptors(repo_root: Path) -> None:
    """dataset.__version__ is the bundled descriptor's version."""
    assert dataset.__version__ == read_descriptor().version


def test_package_returns_frictionless_package() -> None:
    """package() gives the frictionless Package with the six resources."""
    pkg = dataset.package()
    assert pkg.resource_names == list(read_descriptor().tables)


def test_load_refuses_an_invalid_package(package_copy: Path) -> None:
    """Loading a broken copy raises ValidationError naming the problem; validate=False still loads it."""
    path = package_copy / "data" / "figures.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",38,exact,", ",38x,exact,"), encoding="utf-8")
    with pytest.raises(ValidationError, match=r"data/figures\.csv, row \d+, column value"):
        dataset.load(package_copy)


def test_models_are_built_from_the_descriptor(repo_root: Path) -> None:
    """Each pandera model has exactly the descriptor's fields, with their descriptions, enums and patterns."""
    desc = read_descriptor(repo_root)
    for table in desc.tables.values():
        schema = table_model(table).to_schema()
        assert list(schema.columns) == table.field_names
        for field in table.fields:
            column = schema.columns[field.name]
            assert column.description == field.description
            assert column.nullable is (not field.required)
            assert column.unique is field.unique
            names = [c.name for c in column.checks]
            if field.enum:
                assert "isin" in names
            if field.pattern:
                assert "str_matches" in names
