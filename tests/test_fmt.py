"""`dataset fmt`: canonical CSV layout, idempotent, refusing what it cannot parse, and `--check`."""

from __future__ import annotations

import codecs
import csv
import io
import json
import random
import unicodedata
from pathlib import Path

from click.testing import CliRunner

from dataset.cli import cli
from dataset.descriptor import read_descriptor
from dataset.fmt import format_package
from dataset.integrity import integrity_problems


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the package, by relative path, to prove what changed and what did not."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def scramble(file: Path, seed: int) -> None:
    """Rewrite FILE with the same cells in a messy layout: rows shuffled, columns reversed,
    every cell quoted, CRLF line endings and a byte-order mark."""
    records = list(csv.reader(io.StringIO(file.read_text(encoding="utf-8"), newline="")))
    header, body = records[0], records[1:]
    random.Random(seed).shuffle(body)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(header[::-1])
    writer.writerows(row[::-1] for row in body)
    file.write_bytes(codecs.BOM_UTF8 + out.getvalue().encode("utf-8"))


def test_repository_data_is_canonical(repo_root: Path) -> None:
    """The bundled CSVs are already in canonical layout: `fmt --check` finds nothing to change."""
    report = format_package(repo_root, check=True)
    assert [(f.file, f.changes, f.refused) for f in report.files if not f.canonical] == []
    assert report.ok


def test_fmt_restores_the_repository_bytes_from_a_scrambled_copy(package_copy: Path, repo_root: Path) -> None:
    """Shuffled rows, reversed columns, full quoting, CRLF and a BOM all come back to the repository's bytes."""
    tables = read_descriptor(package_copy).tables.values()
    for seed, table in enumerate(tables):
        scramble(package_copy / table.path, seed)
    report = format_package(package_copy)
    assert report.ok
    for table in tables:
        assert (package_copy / table.path).read_bytes() == (repo_root / table.path).read_bytes(), table.path
    changes = {f.table: f.changes for f in report.files}
    assert "remove the UTF-8 byte-order mark" in changes["events"]
    assert "CRLF line endings -> LF" in changes["events"]
    assert "columns into the schema's order" in changes["events"]
    assert "rows sorted by primary key (id)" in changes["events"]


def test_fmt_twice_equals_fmt_once(package_copy: Path) -> None:
    """A second run changes no byte of the package (descriptor included) and reports nothing to do."""
    events = package_copy / "data" / "events.csv"
    scramble(events, 7)
    format_package(package_copy)
    once = snapshot(package_copy)
    second = format_package(package_copy)
    assert snapshot(package_copy) == once
    assert [f.changes for f in second.files if f.changes] == []
    assert second.hashes_refreshed == []


def test_check_changes_nothing_and_exits_1_naming_the_file(package_copy: Path) -> None:
    """`--check` on a non-canonical file leaves every byte alone, exits 1 and lists the file with the reason."""
    scramble(package_copy / "data" / "persons.csv", 3)
    before = snapshot(package_copy)
    result = CliRunner().invoke(cli, ["fmt", "--check", str(package_copy)])
    assert result.exit_code == 1
    assert "data/persons.csv: not canonical:" in result.output
    assert "rows sorted by primary key" in result.output
    assert "data/events.csv" not in result.output
    assert snapshot(package_copy) == before


def test_check_exits_0_on_canonical_data(package_copy: Path) -> None:
    """`--check` on the repository's data exits 0 and says so."""
    result = CliRunner().invoke(cli, ["fmt", "--check", str(package_copy)])
    assert result.exit_code == 0, result.output
    tables = len(read_descriptor(package_copy).tables)  # not pinned: the package may gain tables
    assert f"all {tables} table files are canonical" in result.output


def test_needless_quotes_and_decomposed_letters_are_undone(package_copy: Path, repo_root: Path) -> None:
    """Quoted plain cells lose their quotes and NFD text becomes NFC: the repository's bytes come back."""
    persons = package_copy / "data" / "persons.csv"
    lines = persons.read_text(encoding="utf-8").split("\n")
    lines[1] = ",".join(f'"{cell}"' for cell in next(csv.reader([lines[1]])))
    persons.write_text(unicodedata.normalize("NFD", "\n".join(lines)), encoding="utf-8")
    assert "й" not in persons.read_text(encoding="utf-8")
    report = format_package(package_copy)
    assert persons.read_bytes() == (repo_root / "data" / "persons.csv").read_bytes()
    assert "Unicode normalisation to NFC" in next(f for f in report.files if f.table == "persons").changes


def test_padded_cell_is_reported_not_stripped(package_copy: Path) -> None:
    """fmt never changes words: a cell with a leading space keeps it, and a note names row and column."""
    persons = package_copy / "data" / "persons.csv"
    persons.write_text(
        persons.read_text(encoding="utf-8").replace(",Maria Zakharova,", ", Maria Zakharova,"),
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["fmt", str(package_copy)])
    assert result.exit_code == 0, result.output
    assert ", Maria Zakharova," in persons.read_text(encoding="utf-8")
    row = 1 + next(
        i for i, line in enumerate(persons.read_text(encoding="utf-8").split("\n"), 0) if "Zakharova" in line
    )
    assert f"note: data/persons.csv, row {row}, column name_latin:" in result.output


def test_refuses_a_ragged_file_and_leaves_it_alone(package_copy: Path) -> None:
    """A row with a missing cell cannot be laid out without guessing: exit 1, the row named, the file unchanged."""
    events = package_copy / "data" / "events.csv"
    lines = events.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3].rsplit(",", 1)[0]
    events.write_text("\n".join(lines), encoding="utf-8")
    before = events.read_bytes()
    result = CliRunner().invoke(cli, ["fmt", str(package_copy)])
    assert result.exit_code == 1
    assert "data/events.csv: refused, left unchanged: row 4:" in result.output
    assert events.read_bytes() == before


def test_refuses_a_header_that_is_not_the_schema(package_copy: Path) -> None:
    """A renamed column is refused with both names, not silently mapped: exit 1, file unchanged."""
    figures = package_copy / "data" / "figures.csv"
    figures.write_text(
        figures.read_text(encoding="utf-8").replace("value_qualifier", "qualifier", 1), encoding="utf-8"
    )
    before = figures.read_bytes()
    result = CliRunner().invoke(cli, ["fmt", str(package_copy)])
    assert result.exit_code == 1
    assert "is named 'qualifier' but the schema calls it 'value_qualifier' [header-renamed]" in result.output
    assert figures.read_bytes() == before


def test_rewrite_refreshes_bytes_and_hash(package_copy: Path) -> None:
    """After fmt rewrites a file, the descriptor's bytes and hash match it again."""
    scramble(package_copy / "data" / "sources.csv", 1)
    report = format_package(package_copy)
    assert integrity_problems(read_descriptor(package_copy)) == []
    sources = next(
        r
        for r in json.loads((package_copy / "datapackage.json").read_text("utf-8"))["resources"]
        if r["name"] == "sources"
    )
    assert sources["bytes"] == (package_copy / "data" / "sources.csv").stat().st_size
    assert report.files[0].written
