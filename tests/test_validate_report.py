"""How problems are placed and printed: record-based rows, text, JSON and GitHub annotations."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataset.cli import cli
from dataset.validation import validate
from test_validate_helpers import Err, csv_path, line_after, problems_of, read_rows, set_cell, write_bytes


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["validate", *args])
    return result.exit_code, result.stdout


def test_multiline_cell_does_not_shift_later_rows(package_copy: Path) -> None:
    """Rows are CSV records: a quoted cell with a line break in row 2 leaves row 4 reported as row 4."""
    set_cell(package_copy, "persons", 2, "notes", "first line\nsecond line")
    set_cell(package_copy, "persons", 4, "country", "Atlantis")
    text = csv_path(package_copy, "persons").read_text(encoding="utf-8")
    assert len(text.splitlines()) == len(read_rows(package_copy, "persons")) + 1
    found = problems_of(validate(package_copy).to_dict())
    assert found == [
        Err("data/persons.csv", 2, "notes", "control-character", "first line\\u000asecond line"),
        Err("data/persons.csv", 4, "country", "enum", "Atlantis"),
    ]


def test_encoding_error_row_counts_records(package_copy: Path) -> None:
    """An undecodable byte after a multi-line cell is placed on its record's row and column."""
    set_cell(package_copy, "organizations", 2, "notes", "one\ntwo\nthree")
    set_cell(package_copy, "organizations", 5, "notes", "MARKER")
    data = csv_path(package_copy, "organizations").read_bytes().replace(b"MARKER", b"caf\xe9")
    write_bytes(package_copy, "data/organizations.csv", data)
    found = problems_of(validate(package_copy).to_dict())
    assert [e[:4] for e in found] == [("data/organizations.csv", 5, "notes", "encoding")]


def test_text_names_file_row_column_value_and_rule(package_copy: Path) -> None:
    """The text format prints file, row, column, the value and the rule id, then the verdict."""
    set_cell(package_copy, "persons", 3, "country", "Atlantis")
    code, out = _run(str(package_copy))
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith(
        "data/persons.csv, row 3, column country: the value is not in the vocabulary: "
    )
    assert lines[0].endswith("(value: 'Atlantis') [enum]")
    assert lines[-1] == f"{package_copy}: INVALID — 1 error(s), 0 warning(s)"


def test_text_gives_descriptor_problems_a_line(package_copy: Path) -> None:
    """A descriptor problem is printed with the line of datapackage.json it is on."""
    raw = json.loads((package_copy / "datapackage.json").read_text(encoding="utf-8"))
    raw["resources"][1]["schema"]["fields"][0]["constraints"]["pattern"] = "(unclosed"
    (package_copy / "datapackage.json").write_text(
        json.dumps(raw, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    code, out = _run(str(package_copy))
    line = line_after(package_copy, '"pattern": "(unclosed"')
    assert code == 1
    assert out.splitlines()[0].startswith(
        f"datapackage.json, line {line}, column resources/persons/schema/fields/id/constraints/pattern: "
        "resource 'persons', field 'id': the pattern is not a valid regular expression"
    )


def test_github_format_prints_annotations(package_copy: Path) -> None:
    """`--format github` prints one ::error line per problem, with file, line and title, then the verdict."""
    set_cell(package_copy, "persons", 3, "country", "Atlantis")
    set_cell(package_copy, "figures", 2, "value", "-1")
    code, out = _run(str(package_copy), "--format", "github")
    assert code == 1
    lines = out.splitlines()
    prefix = Path(os.path.relpath(package_copy.resolve(), Path.cwd().resolve())).as_posix() + "/"
    assert lines[0] == (
        f"::error file={prefix}data/figures.csv,line=2,title=minimum (value)::"
        "the value must be at least 0 (value: '-1')"
    )
    assert lines[1].startswith(f"::error file={prefix}data/persons.csv,line=3,title=enum (country)::")
    assert lines[1].endswith("(value: 'Atlantis')")
    assert lines[2] == f"{package_copy}: INVALID — 2 error(s), 0 warning(s)"


def test_github_paths_are_relative_to_the_working_directory(
    package_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run from the package directory, annotations name files as the repository does; warnings are ::warning."""
    monkeypatch.chdir(package_copy)
    data = csv_path(package_copy, "events").read_bytes()
    write_bytes(package_copy, "data/events.csv", b"\xef\xbb\xbf" + data)
    code, out = _run(".", "--format", "github")
    assert code == 0
    assert out.splitlines() == [
        "::warning file=data/events.csv,line=1,title=encoding-bom::the file starts with a UTF-8 byte-order mark; "
        "it is tolerated, but `dataset fmt` removes it",
        ".: valid — 0 error(s), 1 warning(s)",
    ]


def test_github_escapes_commas_and_colons_in_properties(package_copy: Path) -> None:
    """Properties are escaped as GitHub requires, so a column list with a comma stays one title."""
    from dataset.report import Problem, Report, render_github

    report = Report("pkg", [Problem("data/a,b.csv", 3, "x:y", "enum", "50% done\nnext", value="v")])
    first = render_github(report).splitlines()[0]
    assert first == "::error file=data/a%2Cb.csv,line=3,title=enum (x%3Ay)::50%25 done%0Anext (value: 'v')"


def test_warnings_as_errors(package_copy: Path) -> None:
    """A warning alone exits 0, and 1 with --warnings-as-errors."""
    data = csv_path(package_copy, "figures").read_bytes().replace(b"\n", b"\r\n")
    write_bytes(package_copy, "data/figures.csv", data)
    assert _run(str(package_copy))[0] == 0
    assert _run(str(package_copy), "--warnings-as-errors")[0] == 1


def test_json_is_the_library_report(package_copy: Path) -> None:
    """`--format json` prints exactly `validate(path).to_dict()`."""
    set_cell(package_copy, "statements", 2, "quote", lambda q: q + " (sic)")
    code, out = _run(str(package_copy), "--format", "json")
    assert code == 1
    assert json.loads(out) == validate(str(package_copy)).to_dict()


def test_json_cuts_a_huge_value_but_the_library_keeps_it(package_copy: Path) -> None:
    """A 2 MB cell that fails a check is cut in the JSON report (where it is stays exact); Report keeps it whole."""
    huge = "x" * 2_000_000
    set_cell(package_copy, "persons", 3, "country", huge)
    report = validate(package_copy)
    assert [p.value for p in report.problems if p.rule == "enum"] == [huge]
    code, out = _run(str(package_copy), "--format", "json")
    assert code == 1 and len(out) < 20_000
    (problem,) = [p for p in json.loads(out)["problems"] if p["rule"] == "enum"]
    assert (problem["file"], problem["row"], problem["column"]) == ("data/persons.csv", 3, "country")
    assert problem["value"].endswith("…") and huge.startswith(problem["value"][:-1])
