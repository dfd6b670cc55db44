"""Malformed descriptors and files never crash `dataset validate`: a message and exit 1 or 2, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dataset.cli import main
from test_validate_helpers import csv_path, field, resource, write_bytes


def _fields(raw: dict[str, Any], table: str = "persons") -> list[Any]:
    return resource(raw, table)["schema"]["fields"]


def _constraints(raw: dict[str, Any], table: str, name: str) -> dict[str, Any]:
    return field(raw, table, name).setdefault("constraints", {})


def _fk(raw: dict[str, Any]) -> dict[str, Any]:
    return resource(raw, "statements")["schema"]["foreignKeys"][0]


#: name -> an edit of the parsed descriptor (faults the corpus in test_validate_corpus.py does not hold)
MALFORMED: dict[str, Callable[[dict[str, Any]], Any]] = {
    "resources-empty": lambda raw: raw.__setitem__("resources", []),
    "resource-string": lambda raw: raw["resources"].__setitem__(1, "persons"),
    "schema-number": lambda raw: resource(raw, "persons").__setitem__("schema", 42),
    "schema-missing": lambda raw: resource(raw, "persons").pop("schema"),
    "field-list": lambda raw: _fields(raw).__setitem__(0, ["id"]),
    "field-no-name": lambda raw: _fields(raw)[0].pop("name"),
    "field-duplicate": lambda raw: _fields(raw).append(dict(_fields(raw)[0])),
    "constraints-list": lambda raw: _fields(raw)[0].__setitem__("constraints", ["required"]),
    "enum-empty": lambda raw: _constraints(raw, "persons", "country").__setitem__("enum", []),
    "enum-objects": lambda raw: _constraints(raw, "persons", "country").__setitem__("enum", [{"a": 1}]),
    "minimum-string": lambda raw: _constraints(raw, "figures", "value").__setitem__("minimum", "zero"),
    "foreign-keys-object": lambda raw: resource(raw, "statements")["schema"].__setitem__("foreignKeys", {}),
    "foreign-key-missing-field": lambda raw: _fk(raw)["reference"].__setitem__("fields", ["person_id"]),
    "foreign-key-field-count": lambda raw: _fk(raw)["reference"].__setitem__("fields", ["id", "role"]),
    "list-of-missing-table": lambda raw: field(raw, "events", "person_ids")["x-list-of"].__setitem__(
        "resource", "people"
    ),
    "verbatim-missing-field": lambda raw: field(raw, "statements", "quote").__setitem__(
        "x-verbatim-in", "src"
    ),
    "path-list": lambda raw: resource(raw, "persons").__setitem__("path", ["data/a.csv", "data/b.csv"]),
    "path-missing": lambda raw: resource(raw, "persons").pop("path"),
    "path-file-url": lambda raw: resource(raw, "persons").__setitem__("path", "file:///etc/passwd"),
    "bytes-string": lambda raw: resource(raw, "persons").__setitem__("bytes", "many"),
    "field-named-like-model-attribute": lambda raw: _fields(raw)[-1].__setitem__("name", "Config"),
}


def _run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    captured = capsys.readouterr()
    code = exit_info.value.code
    return (code if isinstance(code, int) else 1), captured.out + captured.err


def _assert_clean(code: int, output: str) -> None:
    assert "Traceback" not in output
    assert "--debug" not in output  # the entry point's last resort for an unexpected exception
    assert "internal-error" not in output
    assert code in (1, 2), output


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_descriptor_is_reported_not_raised(
    name: str, package_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each malformed descriptor gives a plain message and exit 1 or 2, through the real entry point."""
    file = package_copy / "datapackage.json"
    raw = json.loads(file.read_text(encoding="utf-8"))
    MALFORMED[name](raw)
    file.write_text(json.dumps(raw, indent=2, ensure_ascii=False), encoding="utf-8")
    code, output = _run_main(["validate", str(package_copy)], capsys)
    _assert_clean(code, output)
    problems = output.splitlines()[:-1] if code == 1 else output.splitlines()
    assert problems, output


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("array", b"[]"),
        ("empty", b""),
        ("truncated", b'{"resources": ['),
        ("latin-1", '{"name": "café"}'.encode("latin-1")),
        ("string", b'"datapackage"'),
        ("deeply-nested", b"[" * 100_000),
        ("number-too-long", b'{"version": ' + b"1" * 5000 + b"}"),
    ],
)
def test_unreadable_descriptor_exits_2(
    name: str, text: bytes, package_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A descriptor that is not a JSON object cannot be validated: exit 2 with the reason."""
    (package_copy / "datapackage.json").write_bytes(text)
    code, output = _run_main(["validate", str(package_copy)], capsys)
    assert code == 2
    assert "Traceback" not in output and "--debug" not in output
    assert "datapackage.json" in output


#: name -> bytes that replace data/persons.csv
BROKEN_FILES: dict[str, bytes] = {
    "utf-16": "id,name\n".encode("utf-16"),
    "only-newlines": b"\n\n\n",
    "nul-bytes": b"\x00" * 64,
    "binary": bytes(range(256)),
    "header-only-quote": b'"',
    "huge-cell": b"id\n" + b"x" * 200_000 + b"\n",
}


@pytest.mark.parametrize("name", list(BROKEN_FILES))
def test_broken_csv_is_reported_not_raised(
    name: str, package_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A CSV that is binary, empty, UTF-16 or absurd gives a problem on that file and exit 1."""
    write_bytes(package_copy, "data/persons.csv", BROKEN_FILES[name])
    code, output = _run_main(["validate", str(package_copy)], capsys)
    _assert_clean(code, output)
    assert code == 1
    assert "data/persons.csv" in output


def test_csv_that_is_a_directory(package_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A resource path that names a directory is reported, not raised."""
    csv_path(package_copy, "figures").unlink()
    csv_path(package_copy, "figures").mkdir()
    code, output = _run_main(["validate", str(package_copy)], capsys)
    _assert_clean(code, output)
    assert "data/figures.csv" in output


def test_console_script_prints_no_traceback(package_copy: Path) -> None:
    """The installed `dataset` script, on a malformed descriptor, prints a message and no traceback."""
    file = package_copy / "datapackage.json"
    raw = json.loads(file.read_text(encoding="utf-8"))
    resource(raw, "persons")["schema"] = "x"
    field(raw, "figures", "value")["constraints"]["pattern"] = "[0-9"
    file.write_text(json.dumps(raw), encoding="utf-8")
    script = Path(sys.executable).with_name("dataset")
    result = subprocess.run(
        [str(script), "validate", str(package_copy)], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "resource 'persons': the schema must be written inline" in result.stdout
    assert "resource 'figures', field 'value': the pattern is not a valid regular expression" in result.stdout


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
@pytest.mark.parametrize("which", ["table", "archive"])
def test_named_pipe_is_reported_not_read(which: str, package_copy: Path) -> None:
    """A resource or archived article that is a named pipe is reported at once; reading it would hang."""
    from dataset.validation import validate

    if which == "table":
        target = csv_path(package_copy, "figures")
    else:
        target = package_copy / sorted((package_copy / "seeds").iterdir())[0].relative_to(package_copy)
    target.unlink()
    os.mkfifo(target)
    problems = validate(package_copy).problems
    rules = {(p.file, p.rule) for p in problems}
    if which == "table":
        assert ("data/figures.csv", "unreadable-file") in rules
    else:
        assert ("data/sources.csv", "missing-archive") in rules


def test_archived_article_not_in_utf8(package_copy: Path) -> None:
    """An archived article re-saved in another encoding (and re-hashed) is named, not decoded silently."""
    import csv as csv_module
    import hashlib

    from dataset.validation import validate

    with csv_path(package_copy, "sources").open(encoding="utf-8", newline="") as handle:
        rows = list(csv_module.DictReader(handle))
    russian = next(
        i for i, r in enumerate(rows) if (package_copy / r["path"]).read_text("utf-8").count("е") > 50
    )
    article = package_copy / rows[russian]["path"]
    data = article.read_text(encoding="utf-8").encode("cp1251", errors="replace")
    article.write_bytes(data)
    text = csv_path(package_copy, "sources").read_text(encoding="utf-8")
    write_bytes(
        package_copy,
        "data/sources.csv",
        text.replace(rows[russian]["sha256"], hashlib.sha256(data).hexdigest()).encode("utf-8"),
    )
    problems = validate(package_copy).problems
    found = [p for p in problems if p.rule == "archive-encoding"]
    assert [(p.file, p.row, p.column) for p in found] == [("data/sources.csv", russian + 2, "path")]
    assert not [p for p in problems if p.rule == "archive-hash"]


@pytest.mark.parametrize("where", ["package", "resource"])
def test_custom_profile_is_not_downloaded(
    where: str, package_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A profile URL in the descriptor is named in a warning; validation never opens a connection."""
    import socket

    from dataset.validation import validate

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("validate opened a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    file = package_copy / "datapackage.json"
    raw = json.loads(file.read_text(encoding="utf-8"))
    url = "http://127.0.0.1:9/profile.json"
    (raw if where == "package" else resource(raw, "persons"))["profile"] = url
    file.write_text(json.dumps(raw, ensure_ascii=False, indent=2), encoding="utf-8")
    problems = validate(package_copy).problems
    assert [(p.rule, p.severity, p.value) for p in problems] == [("custom-profile", "warning", url)]


#: name -> (an edit of the descriptor the reader cannot honour, the rule and descriptor path reported)
UNSUPPORTED: dict[str, tuple[Callable[[dict[str, Any]], Any], str, str]] = {
    "two resources, one file": (
        lambda raw: raw["resources"].append({**resource(raw, "figures"), "name": "figures-copy"}),
        "resource-path",
        "resources/figures-copy/path",
    ),
    "comment lines": (
        lambda raw: resource(raw, "figures").__setitem__("dialect", {"commentChar": "#"}),
        "dialect",
        "resources/figures/dialect/commentChar",
    ),
    "escaped quotes": (
        lambda raw: resource(raw, "figures").__setitem__(
            "dialect", {"doubleQuote": False, "escapeChar": "\\"}
        ),
        "dialect",
        "resources/figures/dialect/doubleQuote",
    ),
    "verbatim in a field that cites no source": (
        lambda raw: field(raw, "statements", "quote").__setitem__("x-verbatim-in", "language"),
        "field-verbatim",
        "resources/statements/schema/fields/quote/x-verbatim-in",
    ),
    "version not SemVer": (lambda raw: raw.__setitem__("version", "v1"), "version", "version"),
    "no version": (lambda raw: raw.pop("version"), "version", "version"),
    "NA as missing": (
        lambda raw: resource(raw, "persons")["schema"].__setitem__("missingValues", ["", "NA"]),
        "schema",
        "resources/persons/schema/missingValues",
    ),
}


@pytest.mark.parametrize("name", list(UNSUPPORTED))
def test_descriptor_option_the_reader_cannot_honour_is_reported(name: str, package_copy: Path) -> None:
    """An option that would change how the CSV is read is an error, never silently ignored."""
    from dataset.validation import validate

    edit, rule, where = UNSUPPORTED[name]
    file = package_copy / "datapackage.json"
    raw = json.loads(file.read_text(encoding="utf-8"))
    edit(raw)
    file.write_text(json.dumps(raw, ensure_ascii=False, indent=2), encoding="utf-8")
    found = [(p.rule, p.column) for p in validate(package_copy).errors]
    assert (rule, where) in found, found


def test_long_cell_is_read_and_held_to_the_spreadsheet_limit(package_copy: Path) -> None:
    """A 300 KB note (beyond the csv module's default limit of 128 KiB) is read, not a syntax error;
    its one fault is the cell length (a spreadsheet cell holds 32,767 characters)."""
    import csv as csv_module
    import io

    from dataset.validation import validate

    text = csv_path(package_copy, "persons").read_text(encoding="utf-8")
    rows = list(csv_module.reader(io.StringIO(text, newline="")))
    rows[2][rows[0].index("notes")] = " ".join(["word"] * 60_000)
    out = io.StringIO()
    csv_module.writer(out, lineterminator="\n").writerows(rows)
    write_bytes(package_copy, "data/persons.csv", out.getvalue().encode("utf-8"))
    report = validate(package_copy)
    assert [(p.row, p.column, p.rule) for p in report.errors] == [(3, "notes", "cell-too-long")]


def test_duplicate_key_in_descriptor_is_reported(package_copy: Path) -> None:
    """Two `constraints` objects on one field: the first (with required) would be lost silently."""
    from dataset.validation import validate

    file = package_copy / "datapackage.json"
    text = file.read_text(encoding="utf-8")
    needle = '"name": "role",'
    assert text.count(needle) == 1
    text = text.replace(needle, needle + '\n            "constraints": {"required": true},', 1)
    file.write_text(text, encoding="utf-8")
    found = [p for p in validate(package_copy).problems if p.rule == "duplicate-key"]
    assert [(p.file, p.value, p.severity) for p in found] == [("datapackage.json", "constraints", "error")]
    assert "'role'" in found[0].message
    assert found[0].row is not None and needle in text.splitlines()[found[0].row - 1]
