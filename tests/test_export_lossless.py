"""Exports are lossless or refuse with a reason: long cells, big integers, signed and padded integers, formula names."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from dataset.cli import cli
from dataset.descriptor import read_descriptor
from dataset.export import ExportError, export, text_frames
from dataset.integrity import refresh_hashes
from dataset.limits import MAX_CELL_CHARS
from dataset.spreadsheet import is_formula_like


def _set_cell(file: Path, column: str, value: str, row: int = 1) -> None:
    rows = list(csv.reader(io.StringIO(file.read_text(encoding="utf-8"), newline="")))
    rows[row][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    file.write_text(out.getvalue(), encoding="utf-8")


def _column(sheet: object, name: str) -> int:
    """The 1-based column of header NAME (the xlsx orders columns for reading and adds start dates)."""
    header = [cell.value for cell in next(sheet.iter_rows(min_row=1, max_row=1))]  # type: ignore[attr-defined]
    return header.index(name) + 1


def test_xlsx_refuses_a_cell_it_would_cut(frames: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    changed = dict(frames)
    events = frames["events"].copy()
    events.loc[events.index[0], "notes"] = "x" * 40_000
    changed["events"] = events
    with pytest.raises(ExportError, match=r"events, row 2, column notes.*40,000 characters"):
        export(changed, "xlsx", tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()
    events.loc[events.index[0], "notes"] = "x" * MAX_CELL_CHARS
    export(changed, "xlsx", tmp_path / "out.xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx")["events"]
    ids = [c.value for c in sheet[get_column_letter(_column(sheet, "id"))]]
    row = ids.index(events.loc[events.index[0], "id"]) + 1
    assert sheet.cell(row=row, column=_column(sheet, "notes")).value == "x" * MAX_CELL_CHARS


def test_xlsx_keeps_integers_beyond_two_to_the_53(frames: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    changed = dict(frames)
    figures = frames["figures"].copy()
    figures.loc[figures.index[0], "value"] = 9007199254740993
    changed["figures"] = figures
    export(changed, "xlsx", tmp_path / "out.xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx")["figures"]
    values = [c.value for c in sheet[get_column_letter(_column(sheet, "value"))]][1:]
    assert "9007199254740993" in values  # text: a spreadsheet number would round it
    assert all(
        isinstance(v, int) for v in values if v != "9007199254740993"
    )  # ordinary integers stay numbers


@pytest.mark.parametrize("written", ["+5", "007", "-0"])
def test_csv_export_keeps_integers_as_written(package_copy: Path, tmp_path: Path, written: str) -> None:
    figures = package_copy / "data" / "figures.csv"
    _set_cell(figures, "value", written)
    refresh_hashes(package_copy)
    result = CliRunner().invoke(
        cli, ["export", str(package_copy), "--format", "csv", "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "figures.csv").read_bytes() == figures.read_bytes()


def test_csv_round_trip_keeps_every_cell(package_copy: Path, tmp_path: Path) -> None:
    desc = read_descriptor(package_copy)
    export(text_frames(desc), "csv", tmp_path / "out", descriptor=desc)
    for table in desc.tables.values():
        assert (tmp_path / "out" / f"{table.name}.csv").read_bytes() == (
            package_copy / table.path
        ).read_bytes()


def _formula_named(package: Path) -> str:
    """Rename figures.notes to a formula in the descriptor and the CSV header; return the name."""
    name = '=HYPERLINK("http://example.invalid","x")'
    descriptor = package / "datapackage.json"
    raw = json.loads(descriptor.read_text(encoding="utf-8"))
    figures = next(r for r in raw["resources"] if r["name"] == "figures")
    field = next(f for f in figures["schema"]["fields"] if f["name"] == "notes")
    field["name"] = name
    descriptor.write_text(json.dumps(raw, ensure_ascii=False, indent=2), encoding="utf-8")
    _set_cell(package / "data" / "figures.csv", "notes", name, row=0)
    return name


def test_formula_like_header_names_are_defused(package_copy: Path, tmp_path: Path) -> None:
    name = _formula_named(package_copy)
    desc = read_descriptor(package_copy)
    frames = text_frames(desc)
    export(frames, "csv", tmp_path / "excel", excel=True, descriptor=desc)
    text = (tmp_path / "excel" / "figures.csv").read_text(encoding="utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert not any(is_formula_like(cell) for cell in header)
    assert "'" + name in header
    export(frames, "xlsx", tmp_path / "out.xlsx", descriptor=desc)
    cell = next(c for c in load_workbook(tmp_path / "out.xlsx")["figures"][1] if c.value == name)
    assert cell.data_type == "s" and cell.quotePrefix
