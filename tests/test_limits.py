"""The limits of limits.py hold in every command, and text output never runs a control character."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

from click.testing import CliRunner

from dataset.cli import cli
from dataset.limits import MAX_CELL_CHARS, MAX_COLUMNS, MAX_PROBLEMS_LISTED
from dataset.report import Problem, Report, render_github, render_text
from dataset.validation import validate


def _rewrite_cell(file: Path, column: str, value: str) -> None:
    """Put VALUE into COLUMN of the first data row of FILE, quoting as the csv module does."""
    rows = list(csv.reader(io.StringIO(file.read_text(encoding="utf-8"), newline="")))
    rows[1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    file.write_text(out.getvalue(), encoding="utf-8")


def test_a_cell_longer_than_a_spreadsheet_cell_is_an_error(package_copy: Path) -> None:
    file = package_copy / "data" / "events.csv"
    _rewrite_cell(file, "notes", "é" * (MAX_CELL_CHARS + 1))
    found = [p for p in validate(package_copy).errors if p.rule == "cell-too-long"]
    assert [(p.file, p.row, p.column) for p in found] == [("data/events.csv", 2, "notes")]
    _rewrite_cell(file, "notes", "é" * MAX_CELL_CHARS)  # exactly the limit is fine
    assert not [p for p in validate(package_copy).errors if p.rule == "cell-too-long"]


def _wide_header(file: Path, columns: int) -> None:
    file.write_text(",".join(f"c{i}" for i in range(columns)) + "\n" + "x," * (columns - 1) + "x\n")


def test_a_header_of_a_million_names_is_refused_quickly(package_copy: Path) -> None:
    file = package_copy / "data" / "events.csv"
    _wide_header(file, 1_000_000)
    started = time.monotonic()
    found = [p for p in validate(package_copy).errors if p.rule == "too-many-columns"]
    assert [p.file for p in found] == ["data/events.csv"]
    assert "1,000,000" in found[0].message
    for command in ("fmt", "diff"):
        args = (
            [command, "--check", str(package_copy)]
            if command == "fmt"
            else [command, str(package_copy), str(package_copy)]
        )
        result = CliRunner().invoke(cli, args)
        assert "Traceback" not in result.output, command
    assert time.monotonic() - started < 60


def test_fmt_check_is_linear_in_the_columns(package_copy: Path) -> None:
    file = package_copy / "data" / "events.csv"
    _wide_header(file, MAX_COLUMNS)  # within the limit: every name is unknown to the schema
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["fmt", "--check", str(package_copy)])
    assert result.exit_code == 1 and "not in the schema" in result.output
    assert time.monotonic() - started < 20


def test_text_lists_at_most_the_limit_then_says_how_many_more() -> None:
    report = Report("p")
    report.problems.extend(Problem("f.csv", row, "c", "enum", "m") for row in range(MAX_PROBLEMS_LISTED + 5))
    for text in (render_text(report), render_github(report)):
        lines = text.splitlines()
        assert len(lines) == MAX_PROBLEMS_LISTED + 2
        assert "5 more problem(s)" in lines[-2] and "--format json" in lines[-2]


def test_field_names_and_messages_cannot_forge_lines_or_run_escapes() -> None:
    report = Report("p")
    report.problems.append(Problem("f.csv", 2, "c\n::error file=x::", "enum", "m\x1b]0;title\x07"))
    for text in (render_text(report), render_github(report)):
        assert "\x1b" not in text and "\x07" not in text
        assert not any(line.startswith("::error file=x") for line in text.splitlines())
        assert len(text.splitlines()) == 2


def test_readme_states_the_limits_limits_py_declares(repo_root: Path) -> None:
    from dataset import limits

    text = (repo_root / "README.md").read_text(encoding="utf-8")
    section = text[text.index("### Limits") :]
    for name in (
        "MAX_CELL_CHARS",
        "MAX_COLUMNS",
        "MAX_FILE_BYTES",
        "MAX_DESCRIPTOR_BYTES",
        "MAX_PROBLEMS_LISTED",
    ):
        assert f"{getattr(limits, name):,}" in section, name
    assert f"{limits.SQL_HEAP_BYTES:,}" in section and f"{limits.SQL_TIMEOUT_SECONDS:g} seconds" in section


def test_an_archived_article_over_the_size_limit_is_not_read(package_copy: Path, monkeypatch) -> None:
    from dataset.validation import provenance

    monkeypatch.setattr(provenance, "MAX_FILE_BYTES", 100)  # every archived article is larger than that
    found = [p for p in validate(package_copy).errors if p.rule == "file-too-large"]
    assert found and all(p.file == "data/sources.csv" and p.column == "path" for p in found)
