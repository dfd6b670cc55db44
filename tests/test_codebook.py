"""The codebook: generated from datapackage.json and the tables, and checked for staleness."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataset import codebook
from dataset.cli import cli
from dataset.descriptor import read_descriptor


def csv_row_count(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def section(text: str, table: str) -> str:
    """The part of the codebook about one table: from its heading to the next table's anchor."""
    start = text.index(f'<a id="{table}"></a>')
    end = text.find('<a id="', start + 1)
    return text[start : end if end != -1 else len(text)]


@pytest.fixture(scope="module")
def text(repo_root: Path) -> str:
    """The codebook of the repository's package, rendered fresh."""
    return codebook.build(repo_root)


def test_committed_codebook_is_current(repo_root: Path, text: str) -> None:
    """docs/codebook.md is exactly what `dataset codebook` writes now; if not, run `dataset codebook`."""
    committed = (repo_root / "docs" / "codebook.md").read_text(encoding="utf-8")
    assert committed == text, "docs/codebook.md is stale: run `dataset codebook`"


def test_every_table_has_its_description_and_row_count(repo_root: Path, text: str) -> None:
    """The overview names each table with the number of rows in its CSV and its description."""
    for table in read_descriptor(repo_root).tables.values():
        rows = csv_row_count(repo_root / table.path)
        assert f"| [`{table.name}`](#{table.name}) | {rows} | " in text
        assert table.description in text
        assert f"File `{table.path}`, {rows} rows." in section(text, table.name)


def test_every_field_with_its_constraints(repo_root: Path, text: str) -> None:
    """Each field's row shows type, required/unique, enum values, pattern, minimum, list target,
    verbatim marker and description, in its own table's section."""
    for table in read_descriptor(repo_root).tables.values():
        part = section(text, table.name)
        lines = {m.group(1): m.group(0) for m in re.finditer(r"^\| `([a-z0-9_]+)`.*$", part, re.M)}
        assert list(lines) == table.field_names
        for f in table.fields:
            line = lines[f.name]
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            assert len(cells) == 6, line  # pipes inside patterns are escaped
            assert cells[1] == f.type
            assert cells[2] == ("yes" if f.required else "")
            assert cells[3] == ("yes" if f.unique else "")
            for value in f.enum or ():
                assert f"`{value}`" in cells[4]
            if f.pattern:
                assert f"`{f.pattern.replace('|', chr(92) + '|')}`" in cells[4]
            if f.minimum is not None:
                assert f"minimum {f.minimum}" in cells[4]
            if f.list_of:
                assert f"list of `{f.list_of.resource}.{f.list_of.field}`" in cells[4]
            if f.verbatim_in:
                assert f"`{f.verbatim_in}` (`x-verbatim-in`)" in cells[4]
            assert cells[5] == " ".join(f.description.split()).replace("|", "\\|")


def test_vocabularies_count_rows_per_value(repo_root: Path, text: str) -> None:
    """Each enum value is listed with the number of rows that use it."""
    with (repo_root / "data" / "events.csv").open(encoding="utf-8", newline="") as fh:
        types = [row["event_type"] for row in csv.DictReader(fh)]
    enum = read_descriptor(repo_root).tables["events"].field("event_type").enum or ()
    line = next(x for x in section(text, "events").splitlines() if x.startswith("- `event_type`:"))
    for value in enum:
        assert f"`{value}` ({types.count(value)})" in line


def test_foreign_keys_form_a_mermaid_er_diagram(repo_root: Path, text: str) -> None:
    """Every foreign key, declared or a list field, is one relation line of the erDiagram."""
    block = re.search(r"```mermaid\nerDiagram\n(.*?)```", text, re.S)
    assert block
    relations = re.findall(r'^    (\w+) (\|\||\|o|\}o)--o\{ (\w+) : "([\w, ]+)"$', block.group(1), re.M)
    expected = {
        (fk.resource, table.name, ", ".join(fk.fields))
        for table in read_descriptor(repo_root).tables.values()
        for fk in table.foreign_keys
    }
    assert {(a, b, label) for a, _, b, label in relations} == expected
    assert ("sources", "}o", "events", "source_ids") in relations
    assert ("sources", "||", "figures", "source_id") in relations
    assert ("events", "|o", "figures", "event_id") in relations


def test_codebook_follows_the_descriptor_and_data(package_copy: Path, text: str) -> None:
    """A changed description or a removed row changes the codebook, so a committed copy goes stale."""
    descriptor = package_copy / "datapackage.json"
    raw = json.loads(descriptor.read_text(encoding="utf-8"))
    raw["resources"][0]["description"] = "A new description of the sources."
    descriptor.write_text(json.dumps(raw, ensure_ascii=False, indent=2), encoding="utf-8")
    events = package_copy / "data" / "events.csv"
    lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
    events.write_text("".join(lines[:-1]), encoding="utf-8")
    fresh = codebook.build(package_copy)
    assert fresh != text
    assert "A new description of the sources." in fresh
    assert f"File `data/events.csv`, {len(lines) - 2} rows." in fresh


def test_cli_writes_and_checks(package_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`dataset codebook` writes the package's docs/codebook.md; --check exits 0 when current, 1 when stale or missing."""
    monkeypatch.chdir(tmp_path)
    (package_copy / "docs" / "codebook.md").unlink(missing_ok=True)
    runner = CliRunner()
    result = runner.invoke(cli, ["codebook", str(package_copy), "--check"])
    assert result.exit_code == 1
    assert "docs/codebook.md is missing" in result.output
    assert f"run `dataset codebook {package_copy}`" in result.output  # a hint that works when pasted
    result = runner.invoke(cli, ["codebook", str(package_copy)])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "docs").exists()  # written into the package, not the working directory
    written = package_copy / "docs" / "codebook.md"
    assert written.read_text(encoding="utf-8") == codebook.build(package_copy)
    assert runner.invoke(cli, ["codebook", str(package_copy), "--check"]).exit_code == 0
    events_row = next(
        line for line in written.read_text(encoding="utf-8").splitlines() if "[`events`](#events)" in line
    )
    stale_row = events_row.replace("| [`events`](#events) |", "| [`events`](#events) | 0 |", 1)
    written.write_text(
        written.read_text(encoding="utf-8").replace(events_row, stale_row, 1), encoding="utf-8"
    )
    before = written.read_bytes()
    result = runner.invoke(cli, ["codebook", str(package_copy), "--check"])
    assert result.exit_code == 1
    assert "docs/codebook.md is stale" in result.output
    assert f"-{stale_row}" in result.output  # the diff shows the stale line
    assert written.read_bytes() == before  # --check writes nothing


def test_cli_check_fails_when_the_package_changes(package_copy: Path, tmp_path: Path) -> None:
    """A codebook written before a descriptor change fails --check after it, with -o naming the file."""
    out = tmp_path / "codebook.md"
    runner = CliRunner()
    assert runner.invoke(cli, ["codebook", str(package_copy), "-o", str(out)]).exit_code == 0
    descriptor = package_copy / "datapackage.json"
    raw = json.loads(descriptor.read_text(encoding="utf-8"))
    raw["version"] = "9.9.9"
    descriptor.write_text(json.dumps(raw, ensure_ascii=False, indent=2), encoding="utf-8")
    result = runner.invoke(cli, ["codebook", str(package_copy), "-o", str(out), "--check"])
    assert result.exit_code == 1
    assert "version 9.9.9" in result.output


def test_cli_unreadable_package_is_exit_2(tmp_path: Path) -> None:
    """A path without a data package is an input error (exit 2) naming the path."""
    result = CliRunner().invoke(cli, ["codebook", str(tmp_path / "nowhere"), "--check"])
    assert result.exit_code == 2
    assert "nowhere" in result.output


# --------------------------------------------------------------------------- the codebook in Russian


def test_committed_russian_codebook_is_current(repo_root: Path) -> None:
    """docs/codebook.ru.md is exactly what `dataset codebook --lang ru` writes now."""
    committed = (repo_root / "docs" / "codebook.ru.md").read_text(encoding="utf-8")
    assert committed == codebook.build(repo_root, "ru"), "stale: run `dataset codebook . --lang ru`"


def test_russian_codebook_comes_from_the_descriptor(package_copy: Path, tmp_path: Path) -> None:
    """A Russian description changed in a copy of the descriptor appears in the Russian codebook,
    and only there; a field without a Russian text falls back to the English one."""
    file = package_copy / "datapackage.json"
    raw = json.loads(file.read_text(encoding="utf-8"))
    events = next(r for r in raw["resources"] if r["name"] == "events")
    place = next(f for f in events["schema"]["fields"] if f["name"] == "place")
    place["description@ru"] = "Проверочное описание места — новое"
    notes = next(f for f in events["schema"]["fields"] if f["name"] == "notes")
    notes.pop("description@ru", None)
    file.write_text(json.dumps(raw, ensure_ascii=False, indent=2), encoding="utf-8")
    out = tmp_path / "codebook.ru.md"
    result = CliRunner().invoke(cli, ["codebook", str(package_copy), "--lang", "ru", "-o", str(out)])
    assert result.exit_code == 0, result.output
    ru = section(out.read_text(encoding="utf-8"), "events")
    assert "| Проверочное описание места — новое |" in ru
    assert f"| {notes['description']} |" in ru  # the recipe's fallback to the default language
    assert "Проверочное" not in codebook.build(package_copy)


def test_russian_codebook_is_in_russian(repo_root: Path) -> None:
    """Every field that has a Russian description shows it, with Russian headings and vocabulary meanings."""
    text = codebook.build(repo_root, "ru")
    raw = read_descriptor(repo_root).raw
    assert "# Кодовая книга" in text and "| Поле | Тип |" in text
    for res in raw["resources"]:
        part = section(text, res["name"])
        for f in res["schema"]["fields"]:
            if "description@ru" in f:
                assert " ".join(f["description@ru"].split()).replace("|", "\\|") in part, (
                    res["name"],
                    f["name"],
                )
            for value, meaning in (f.get("x-enum-descriptions@ru") or {}).items():
                assert f"  - `{value}`: {meaning}" in part


def test_undeclared_language_is_a_usage_error(repo_root: Path, tmp_path: Path) -> None:
    """A language the descriptor does not declare: exit 2, a message naming the declared ones, nothing written."""
    out = tmp_path / "x.md"
    result = CliRunner().invoke(cli, ["codebook", str(repo_root), "--lang", "xx", "-o", str(out)])
    assert result.exit_code == 2
    assert "'xx'" in result.output and ", ".join(read_descriptor(repo_root).languages) in result.output
    assert "Traceback" not in result.output and not out.exists()
