"""One CSV reader (csvread.py) for every command that reads a table (issue 16).

Nothing outside the reader parses CSV itself, so one broken table is seen the same way by
validate, fmt, diff, codebook, add-source and cite: the same rule id, the same row, the same words.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataset.cli import cli
from dataset.descriptor import read_descriptor
from dataset.diff import DiffInputError, diff_packages
from dataset.fmt import FormatRefused, format_csv
from dataset.validation import validate

SRC = Path(__file__).resolve().parents[1] / "src" / "dataset"
#: The modules that may parse CSV, and what each may use: csvread.py is the exact reader;
#: read.py holds only the pyarrow fast path for big tables, whose problems csvread words.
READERS = {"csvread.py": None, "read.py": {"pyarrow.csv", "read_csv"}}
#: Names that parse CSV text (writing CSV with csv.writer is fine anywhere).
_CSV_PARSERS = {"reader", "DictReader", "Sniffer"}
_FRAME_READERS = {"read_csv", "open_csv"}


def csv_parsers(source: str) -> set[str]:
    """What SOURCE (a Python module) uses to parse CSV itself: csv.reader and friends, pyarrow.csv,
    pandas/pyarrow/polars `read_csv` or `open_csv`."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name) and node.value.id == "csv" and node.attr in _CSV_PARSERS:
                found.add(f"csv.{node.attr}")
            if node.attr in _FRAME_READERS:
                found.add(node.attr)
        elif isinstance(node, ast.ImportFrom):
            names = {alias.name for alias in node.names}
            if node.module == "csv" and names & _CSV_PARSERS:
                found.update(f"csv.{n}" for n in names & _CSV_PARSERS)
            if node.module == "pyarrow.csv" or (node.module == "pyarrow" and "csv" in names):
                found.add("pyarrow.csv")
            found.update(names & _FRAME_READERS)
        elif isinstance(node, ast.Import):
            found.update("pyarrow.csv" for alias in node.names if alias.name == "pyarrow.csv")
    return found


@pytest.mark.parametrize(
    "source",
    [
        "import csv\nrows = list(csv.reader(open('x.csv')))",
        "import csv\nrows = csv.DictReader(open('x.csv'))",
        "from csv import DictReader",
        "import pyarrow.csv as pv",
        "from pyarrow import csv",
        "import pandas as pd\nframe = pd.read_csv('x.csv')",
    ],
)
def test_the_scan_sees_a_module_that_parses_csv(source: str) -> None:
    assert csv_parsers(source)


def test_the_scan_lets_a_module_write_csv() -> None:
    assert not csv_parsers("import csv\ncsv.writer(out).writerow(['a'])\ncsv.field_size_limit(10)")


def test_no_module_outside_the_reader_parses_csv() -> None:
    """Every table is read through csvread.py (and read.py's pyarrow fast path), nowhere else."""
    offenders = {}
    for file in sorted(SRC.rglob("*.py")):
        allowed = READERS.get(file.name) if file.parent == SRC else set()
        if file.parent == SRC and file.name in READERS and allowed is None:
            continue
        extra = csv_parsers(file.read_text(encoding="utf-8")) - (allowed or set())
        if extra:
            offenders[str(file.relative_to(SRC))] = sorted(extra)
    assert offenders == {}, "parse CSV through dataset.csvread instead"


# --------------------------------------------------------------------------- the same words everywhere


def _break(package: Path, how: str) -> Path:
    """Break the persons table in one way; return its file."""
    file = package / "data" / "persons.csv"
    lines = file.read_text(encoding="utf-8").split("\n")
    if how == "ragged":
        lines[2] = lines[2].rsplit(",", 1)[0]
    elif how == "quote":
        lines[2] = '"abc"x,' + lines[2].split(",", 1)[1]
    elif how == "cp1251":  # one row saved from a legacy editor
        assert lines[2] != lines[2].encode("cp1251").decode("utf-8", "replace")
        parts = ["\n".join(lines[:2]) + "\n", lines[2], "\n" + "\n".join(lines[3:])]
        file.write_bytes(parts[0].encode() + parts[1].encode("cp1251") + parts[2].encode())
        return file
    file.write_text("\n".join(lines), encoding="utf-8")
    return file


@pytest.mark.parametrize(
    ("how", "rule"), [("ragged", "ragged-row"), ("quote", "csv-syntax"), ("cp1251", "encoding")]
)
def test_validate_fmt_and_diff_name_the_same_rule_and_row(
    package_copy: Path, repo_root: Path, how: str, rule: str
) -> None:
    file = _break(package_copy, how)
    found = [(p.rule, p.row) for p in validate(package_copy).errors if p.file == "data/persons.csv"]
    assert (rule, 3) in found
    table = read_descriptor(package_copy).tables["persons"]
    with pytest.raises(FormatRefused) as refused:
        format_csv(file.read_bytes(), table)
    assert str(refused.value).startswith("row 3") and f"[{rule}]" in str(refused.value)
    with pytest.raises(DiffInputError) as unreadable:
        diff_packages(repo_root, package_copy)
    assert f"{file}, row 3" in str(unreadable.value) and f"[{rule}]" in str(unreadable.value)


def test_fmt_and_validate_check_the_header_with_the_same_rules(package_copy: Path) -> None:
    """A duplicated and an unknown column: fmt refuses, naming the rules validate reports."""
    file = package_copy / "data" / "persons.csv"
    text = file.read_text(encoding="utf-8")
    header, rest = text.split("\n", 1)
    names = header.split(",")
    bad = [names[0], names[0], *names[2:], "nickname"]
    file.write_text(",".join(bad) + "\n" + rest, encoding="utf-8")
    rules = {p.rule for p in validate(package_copy).errors if p.file == "data/persons.csv" and p.row == 1}
    assert {"header-duplicate", "header-missing"} <= rules
    result = CliRunner().invoke(cli, ["fmt", "--check", str(package_copy)])
    assert result.exit_code == 1
    for rule in rules:
        assert f"[{rule}]" in result.output, rule
    assert file.read_text(encoding="utf-8").startswith(",".join(bad))


def test_cite_reads_no_sources_table_outside_the_package(package_copy: Path, tmp_path: Path) -> None:
    """cite reads the sources table the guarded way: a link out of the package is refused (exit 2)."""
    table = package_copy / "data" / "sources.csv"
    outside = tmp_path / "elsewhere.csv"
    outside.write_bytes(table.read_bytes())
    table.unlink()
    table.symlink_to(outside)
    result = CliRunner().invoke(cli, ["cite", "any-id", "some words", str(package_copy)])
    assert result.exit_code == 2
    assert "outside the package" in result.output and "Traceback" not in result.output
