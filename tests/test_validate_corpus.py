"""A corpus of broken packages: each is the repository's package with one small edit.

Every case states the exact problems `dataset validate` must report (file, spreadsheet row
with header = row 1, column, rule, and the value where it says something) and the exit code:
1 for an invalid package, 2 when there is nothing that can be read, 0 for warnings only.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dataset.cli import cli
from test_validate_helpers import (
    Err,
    csv_path,
    edit_descriptor,
    find_row,
    get_cell,
    line_after,
    matches,
    problems_of,
    read_rows,
    resource,
    set_cell,
    write_bytes,
    write_rows,
)
from test_validate_helpers import field as schema_field

D = "datapackage.json"
PERSONS, EVENTS, FIGURES = "data/persons.csv", "data/events.csv", "data/figures.csv"
STATEMENTS, SOURCES, ORGS = "data/statements.csv", "data/sources.csv", "data/organizations.csv"


@dataclass
class Expect:
    """What validate must say about one broken package."""

    errors: list[Err]
    exit_code: int = 1
    warnings: list[Err] = field(default_factory=list)
    message: str = ""  # for exit 2: a phrase the error message must contain


CASES: list[Callable[[Path], Expect]] = []


def case(make: Callable[[Path], Expect]) -> Callable[[Path], Expect]:
    CASES.append(make)
    return make


# --------------------------------------------------------------------------- file


@case
def cp1251_csv(pkg: Path) -> Expect:
    """A table saved as Windows-1251 is not UTF-8; the first Cyrillic cell is named."""
    rows = read_rows(pkg, "persons")
    row, column = next(
        (n, rows[0][i])
        for n, record in enumerate(rows[1:], start=2)
        for i, cell in enumerate(record)
        if not cell.isascii()
    )
    text = csv_path(pkg, "persons").read_text(encoding="utf-8")
    write_bytes(pkg, PERSONS, text.encode("cp1251"))
    return Expect([Err(PERSONS, row, column, "encoding")])


@case
def utf8_bom(pkg: Path) -> Expect:
    """A UTF-8 byte-order mark is tolerated with a warning; the package stays valid."""
    data = csv_path(pkg, "events").read_bytes()
    write_bytes(pkg, EVENTS, codecs.BOM_UTF8 + data)
    return Expect([], exit_code=0, warnings=[Err(EVENTS, 1, None, "encoding-bom")])


@case
def stray_files(pkg: Path) -> Expect:
    """An archived article nobody cites and a CSV no resource declares are named (warnings only).

    Files of another kind beside them (a README) and hidden files are not packaged data: no warning.
    """
    seed = sorted((pkg / "seeds").iterdir())[0]
    (pkg / "seeds" / "999_never_cited.txt").write_bytes(seed.read_bytes())
    (pkg / "seeds" / "README.md").write_text("What the archive is.\n", encoding="utf-8")
    (pkg / "seeds" / ".draft.txt").write_text("notes\n", encoding="utf-8")
    (pkg / "data" / "persons_old.csv").write_bytes(csv_path(pkg, "persons").read_bytes())
    return Expect(
        [],
        exit_code=0,
        warnings=[
            Err("seeds/999_never_cited.txt", None, None, "uncited-file"),
            Err("data/persons_old.csv", None, None, "uncited-file"),
        ],
    )


@case
def crlf_line_endings(pkg: Path) -> Expect:
    """Windows line endings are read, with a warning that `dataset fmt` writes LF."""
    data = csv_path(pkg, "figures").read_bytes()
    write_bytes(pkg, FIGURES, data.replace(b"\n", b"\r\n"))
    return Expect([], exit_code=0, warnings=[Err(FIGURES, None, None, "line-endings")])


@case
def missing_resource_file(pkg: Path) -> Expect:
    """A resource whose CSV file is gone is reported on that file."""
    csv_path(pkg, "figures").unlink()
    return Expect([Err(FIGURES, None, None, "missing-file")])


@case
def empty_csv(pkg: Path) -> Expect:
    """An empty CSV needs at least its header row."""
    write_bytes(pkg, FIGURES, b"")
    return Expect([Err(FIGURES, 1, None, "empty-file")])


# --------------------------------------------------------------------------- header


@case
def renamed_column(pkg: Path) -> Expect:
    """A renamed header cell is named with what the schema calls it."""
    rows = read_rows(pkg, "persons")
    rows[0][rows[0].index("role")] = "rolle"
    write_rows(pkg, "persons", rows)
    return Expect([Err(PERSONS, 1, "role", "header-renamed", "rolle")])


@case
def swapped_columns(pkg: Path) -> Expect:
    """Two columns swapped (data and all) break the schema's column order."""
    rows = read_rows(pkg, "organizations")
    a, b = rows[0].index("name_en"), rows[0].index("name_en_origin")
    for r in rows:
        r[a], r[b] = r[b], r[a]
    write_rows(pkg, "organizations", rows)
    return Expect([Err(ORGS, 1, None, "header-order")])


@case
def missing_column(pkg: Path) -> Expect:
    """A column deleted from a table is reported as missing from the header."""
    rows = read_rows(pkg, "figures")
    i = rows[0].index("notes")
    write_rows(pkg, "figures", [r[:i] + r[i + 1 :] for r in rows])
    return Expect([Err(FIGURES, 1, "notes", "header-missing")])


@case
def extra_column(pkg: Path) -> Expect:
    """A column the schema does not have is reported."""
    rows = read_rows(pkg, "figures")
    write_rows(pkg, "figures", [[*r, "x" if n else "comment"] for n, r in enumerate(rows)])
    return Expect([Err(FIGURES, 1, "comment", "header-extra", "comment")])


# --------------------------------------------------------------------------- rows


@case
def ragged_row(pkg: Path) -> Expect:
    """A row with one cell too many is reported on its row, and its id still counts for references."""
    rows = read_rows(pkg, "persons")
    rows[3].append("stray")
    write_rows(pkg, "persons", rows)
    return Expect([Err(PERSONS, 4, None, "ragged-row")])


@case
def blank_row(pkg: Path) -> Expect:
    """An empty line between records is a blank row (and counts as a row, as a spreadsheet shows it)."""
    lines = csv_path(pkg, "figures").read_bytes().split(b"\n")
    lines.insert(3, b"")
    write_bytes(pkg, FIGURES, b"\n".join(lines))
    return Expect([Err(FIGURES, 4, None, "blank-row")])


@case
def bad_quote(pkg: Path) -> Expect:
    """Text after the closing quote of a quoted cell is a CSV syntax error, placed on its row and cell."""
    lines = csv_path(pkg, "figures").read_text(encoding="utf-8").split("\n")
    figure_id = lines[4].split(",")[0]
    lines[4] = '"' + lines[4].replace(",", '"x,', 1)
    write_bytes(pkg, FIGURES, "\n".join(lines).encode("utf-8"))
    return Expect([Err(FIGURES, 5, "id", "csv-syntax", f'"{figure_id}"x')])


@case
def unclosed_quote(pkg: Path) -> Expect:
    """A quote opened in the last row and never closed is reported on that row."""
    text = csv_path(pkg, "figures").read_text(encoding="utf-8").rstrip("\n")
    last = len(text.split("\n"))
    head, _, tail = text.rpartition("\n")
    write_bytes(pkg, FIGURES, (head + '\n"' + tail + "\n").encode("utf-8"))
    return Expect([Err(FIGURES, last, "id", "csv-syntax")])


# --------------------------------------------------------------------------- types and constraints


@case
def duplicated_id(pkg: Path) -> Expect:
    """An id used twice is reported on the second occurrence."""
    first = get_cell(pkg, "figures", 3, "id")
    set_cell(pkg, "figures", 4, "id", first)
    return Expect([Err(FIGURES, 4, "id", "unique", first)])


@case
def missing_required_value(pkg: Path) -> Expect:
    """An empty required cell is reported."""
    set_cell(pkg, "persons", 3, "role", "")
    return Expect([Err(PERSONS, 3, "role", "required")])


@case
def enum_out_of_vocabulary(pkg: Path) -> Expect:
    """A value outside the field's enum is reported with the value."""
    set_cell(pkg, "persons", 2, "country", "Russland")
    return Expect([Err(PERSONS, 2, "country", "enum", "Russland")])


@case
def bad_id_pattern(pkg: Path) -> Expect:
    """An id with capitals and an underscore breaks the id pattern."""
    set_cell(pkg, "figures", 2, "id", "Ap_Crash_Aboard")
    return Expect([Err(FIGURES, 2, "id", "pattern", "Ap_Crash_Aboard")])


@case
def non_integer_figure(pkg: Path) -> Expect:
    """A figure value that is not a whole number is a type error."""
    set_cell(pkg, "figures", 2, "value", "12.5")
    return Expect([Err(FIGURES, 2, "value", "type", "12.5")])


@case
def figure_beyond_64_bits(pkg: Path) -> Expect:
    """A whole number that load() cannot hold in a 64-bit integer is a type error, not a crash later."""
    set_cell(pkg, "figures", 3, "value", "99999999999999999999")
    return Expect([Err(FIGURES, 3, "value", "type", "99999999999999999999")])


@case
def url_not_a_uri(pkg: Path) -> Expect:
    """sources.url is declared `format: uri`: text without a scheme is reported."""
    set_cell(pkg, "sources", 2, "url", "www.example.org/article")
    return Expect([Err(SOURCES, 2, "url", "format", "www.example.org/article")])


@case
def unknown_string_format(pkg: Path) -> Expect:
    """A string format the standard does not have is a descriptor error, not silently ignored."""
    edit_descriptor(pkg, lambda raw: schema_field(raw, "sources", "url").__setitem__("format", "url"))
    line = line_after(pkg, '"name": "sources"', '"name": "url"', '"format"')
    return Expect([Err(D, line, "resources/sources/schema/fields/url/format", "field-format", "url")])


@case
def negative_figure(pkg: Path) -> Expect:
    """A negative figure value is below the minimum of 0."""
    set_cell(pkg, "figures", 3, "value", "-3")
    return Expect([Err(FIGURES, 3, "value", "minimum", "-3")])


@case
def exclusive_minimum_in_v2(pkg: Path) -> Expect:
    """A Data Package v2 `exclusiveMinimum` is enforced: a figure equal to the bound is reported."""
    edit_descriptor(
        pkg, lambda raw: raw.__setitem__("$schema", "https://datapackage.org/profiles/2.0/datapackage.json")
    )
    edit_descriptor(
        pkg,
        lambda raw: schema_field(raw, "figures", "value")["constraints"].__setitem__("exclusiveMinimum", 0),
    )
    set_cell(pkg, "figures", 3, "value", "0")
    return Expect([Err(FIGURES, 3, "value", "exclusive-minimum", "0")])


@case
def exclusive_maximum_in_v1(pkg: Path) -> Expect:
    """In a v1 package `exclusiveMaximum` is not part of the standard (said), and still enforced."""
    value = int(get_cell(pkg, "figures", 2, "value"))
    edit_descriptor(
        pkg,
        lambda raw: schema_field(raw, "figures", "value")["constraints"].__setitem__(
            "exclusiveMaximum", value
        ),
    )
    return Expect(
        [
            Err(FIGURES, 2, "value", "exclusive-maximum", str(value)),
            Err(D, line_after(pkg, '"name": "figures"'), "resources/figures", "data-package-standard"),
        ]
        + [
            Err(FIGURES, row, "value", "exclusive-maximum", cell)
            for row, cell in _figure_values(pkg)
            if row != 2 and int(cell) >= value
        ]
    )


def _figure_values(pkg: Path) -> list[tuple[int, str]]:
    rows = read_rows(pkg, "figures")
    at = rows[0].index("value")
    return [(n, record[at]) for n, record in enumerate(rows[1:], start=2)]


@case
def too_long_text(pkg: Path) -> Expect:
    """A maxLength a contributor adds is enforced: the one cell longer than it is reported."""
    rows = read_rows(pkg, "persons")
    at = rows[0].index("role")
    longest = max(len(r[at]) for r in rows[1:])
    edit_descriptor(
        pkg,
        lambda raw: (
            schema_field(raw, "persons", "role").setdefault("constraints", {}).update(maxLength=longest)
        ),
    )
    value = set_cell(pkg, "persons", 3, "role", lambda old: old + "!" * (longest - len(old) + 1))
    return Expect([Err(PERSONS, 3, "role", "length", value)])


@case
def too_short_text(pkg: Path) -> Expect:
    """A minLength counts characters (Cyrillic letters are one each, not two bytes)."""
    rows = read_rows(pkg, "persons")
    at = rows[0].index("role")
    shortest = min(len(r[at]) for r in rows[1:] if r[at])
    edit_descriptor(
        pkg,
        lambda raw: (
            schema_field(raw, "persons", "role").setdefault("constraints", {}).update(minLength=shortest)
        ),
    )
    value = set_cell(pkg, "persons", 2, "role", "я" * (shortest - 1))
    return Expect([Err(PERSONS, 2, "role", "length", value)])


@case
def impossible_calendar_date(pkg: Path) -> Expect:
    """30 February fits the date pattern (day 01-31) but is no day of the calendar."""
    row = find_row(
        pkg,
        "events",
        lambda r: (
            r["date_precision"] == "day"
            and not r["end_date"]
            and r["event_type"] not in ("release", "detention")
        ),
    )
    set_cell(pkg, "events", row, "date", "2025-02-30")
    return Expect([Err(EVENTS, row, "date", "calendar-date", "2025-02-30")])


@case
def impossible_end_date(pkg: Path) -> Expect:
    """31 April as an end date: the same calendar check on end_date."""
    row = find_row(pkg, "statements", lambda r: r["date_precision"] == "day" and r["end_date"] == "")
    set_cell(pkg, "statements", row, "date", "2025-04-30")
    set_cell(pkg, "statements", row, "date_qualifier", "between")
    set_cell(pkg, "statements", row, "end_date", "2025-04-31")
    return Expect([Err(STATEMENTS, row, "end_date", "calendar-date", "2025-04-31")])


@case
def primary_key_without_unique_constraint(pkg: Path) -> Expect:
    """A primary key is unique even when its field does not say `unique` (Table Schema)."""
    edit_descriptor(pkg, lambda raw: schema_field(raw, "figures", "id")["constraints"].pop("unique", None))
    value = get_cell(pkg, "figures", 2, "id")
    set_cell(pkg, "figures", 5, "id", value)
    return Expect([Err(FIGURES, 5, "id", "unique", value)])


@case
def primary_key_without_required_constraint(pkg: Path) -> Expect:
    """A primary key is required even when its field does not say `required` (Table Schema)."""
    edit_descriptor(pkg, lambda raw: schema_field(raw, "figures", "id")["constraints"].pop("required", None))
    set_cell(pkg, "figures", 6, "id", "")
    return Expect([Err(FIGURES, 6, "id", "required")])


@case
def anchored_pattern_matches_the_whole_value(pkg: Path) -> Expect:
    """A pattern written with `^` only still matches the whole value, not a prefix."""
    edit_descriptor(
        pkg, lambda raw: schema_field(raw, "figures", "id")["constraints"].update(pattern="^[a-z0-9-]+")
    )
    value = set_cell(pkg, "figures", 3, "id", lambda old: old + "_X")
    return Expect([Err(FIGURES, 3, "id", "pattern", value)])


@case
def bad_date(pkg: Path) -> Expect:
    """A date that is not a partial ISO date breaks the date pattern."""
    row = find_row(pkg, "figures", lambda r: r["date_precision"] == "day")
    set_cell(pkg, "figures", row, "date", "30.06.2025")
    return Expect([Err(FIGURES, row, "date", "pattern", "30.06.2025")])


@case
def date_precision_mismatch(pkg: Path) -> Expect:
    """A month-precise date on a row that says `day` breaks the precision rule."""
    row = find_row(pkg, "events", lambda r: r["date_precision"] == "day" and not r["end_date"])
    set_cell(pkg, "events", row, "date", lambda d: d[:7])
    return Expect([Err(EVENTS, row, "date", "date-matches-precision")])


@case
def end_date_before_date(pkg: Path) -> Expect:
    """A span that ends before it starts is reported on end_date."""
    row = find_row(pkg, "events", lambda r: r["date_qualifier"] == "span" and r["date_precision"] == "day")
    start = get_cell(pkg, "events", row, "date")
    before = (dt.date.fromisoformat(start) - dt.timedelta(days=1)).isoformat()
    set_cell(pkg, "events", row, "end_date", before)
    return Expect([Err(EVENTS, row, "end_date", "end-date-not-before-date", before)])


# --------------------------------------------------------------------------- cross-table


@case
def dangling_foreign_key(pkg: Path) -> Expect:
    """A speaker id that is not in persons is a dangling foreign key."""
    row = find_row(pkg, "statements", lambda r: bool(r["speaker_person_id"]))
    set_cell(pkg, "statements", row, "speaker_person_id", "nobody-known")
    return Expect([Err(STATEMENTS, row, "speaker_person_id", "foreign-key", "nobody-known")])


@case
def dangling_list_item(pkg: Path) -> Expect:
    """One unknown id inside a list field (events.person_ids) is reported as that item."""
    row = find_row(pkg, "events", lambda r: bool(r["person_ids"]))
    set_cell(pkg, "events", row, "person_ids", lambda v: v + ";ghost-person")
    return Expect([Err(EVENTS, row, "person_ids", "foreign-key", "ghost-person")])


@case
def repeated_list_item(pkg: Path) -> Expect:
    """A list field that names one id twice is reported."""
    row = find_row(pkg, "persons", lambda r: ";" not in r["source_ids"])
    set_cell(pkg, "persons", row, "source_ids", lambda v: f"{v};{v}")
    return Expect([Err(PERSONS, row, "source_ids", "list-duplicate")])


@case
def statement_without_speaker(pkg: Path) -> Expect:
    """A statement with neither a speaking person nor organization is reported."""
    set_cell(pkg, "statements", 2, "speaker_person_id", "")
    set_cell(pkg, "statements", 2, "speaker_organization_id", "")
    return Expect([Err(STATEMENTS, 2, "speaker_person_id", "speaker-given")])


def _published(pkg: Path) -> dict[str, str]:
    return {r[0]: r[4] for r in read_rows(pkg, "sources")[1:] if r[4]}


@case
def event_after_publication(pkg: Path) -> Expect:
    """An event dated after the publication of a source it cites is reported on its date."""
    published = _published(pkg)
    latest = max(published.values())

    def fits(r: dict[str, str]) -> bool:
        cited = r["source_ids"].split(";")
        return (
            r["date_precision"] == "day"
            and r["date_qualifier"] == "on"
            and r["event_type"] not in ("release", "detention", "arrest-order")
            and all(s in published for s in cited)
            and min(published[s] for s in cited) < latest
        )

    row = find_row(pkg, "events", fits)
    cited = get_cell(pkg, "events", row, "source_ids").split(";")
    late = (dt.date.fromisoformat(min(published[s] for s in cited)) + dt.timedelta(days=1)).isoformat()
    set_cell(pkg, "events", row, "date", late)
    expected = [
        Err(EVENTS, row, "date", "date-after-publication", late) for s in cited if published[s] < late
    ]
    return Expect(expected)


@case
def date_after_all_sources(pkg: Path) -> Expect:
    """A figure dated after every source was published is outside the span the sources cover."""
    row = find_row(pkg, "figures", lambda r: r["date_precision"] == "day" and not r["end_date"])
    source = get_cell(pkg, "figures", row, "source_id")
    set_cell(pkg, "figures", row, "date", "2031-01-01")
    errors = [Err(FIGURES, row, "date", "date-outside-sources", "2031-01-01")]
    if source in _published(pkg):
        errors.append(Err(FIGURES, row, "date", "date-after-publication", "2031-01-01"))
    return Expect(errors)


@case
def release_before_detention(pkg: Path) -> Expect:
    """A release dated before the person's first detention is reported."""
    row = find_row(pkg, "events", lambda r: r["event_type"] == "release" and r["date_precision"] == "day")
    set_cell(pkg, "events", row, "date", "2024-01-01")
    return Expect([Err(EVENTS, row, "date", "release-before-detention", "2024-01-01")])


# --------------------------------------------------------------------------- provenance


@case
def edited_quote(pkg: Path) -> Expect:
    """A quote that differs from the archived article by one word is not verbatim."""
    set_cell(pkg, "statements", 2, "quote", lambda q: q.replace(" ", " allegedly ", 1))
    return Expect([Err(STATEMENTS, 2, "quote", "verbatim")])


@case
def edited_evidence(pkg: Path) -> Expect:
    """A figure's evidence with a changed number is not verbatim."""
    set_cell(pkg, "figures", 2, "evidence", lambda e: e.replace("67", "76"))
    return Expect([Err(FIGURES, 2, "evidence", "verbatim")])


@case
def edited_archive(pkg: Path) -> Expect:
    """An archived article changed after hashing no longer matches its sha256."""
    path = get_cell(pkg, "sources", 2, "path")
    with open(pkg / path, "ab") as fh:
        fh.write(b"\nAdded later.\n")
    return Expect([Err(SOURCES, 2, "sha256", "archive-hash")])


@case
def upper_case_archive_hash(pkg: Path) -> Expect:
    """An upper-case sha256 breaks the pattern (lower-case hex) but names the right article: one error."""
    value = set_cell(pkg, "sources", 3, "sha256", str.upper)
    return Expect([Err(SOURCES, 3, "sha256", "pattern", value)])


@case
def missing_archive(pkg: Path) -> Expect:
    """A source whose archived article is gone is reported on its path."""
    path = get_cell(pkg, "sources", 3, "path")
    (pkg / path).unlink()
    return Expect([Err(SOURCES, 3, "path", "missing-archive", path)])


# --------------------------------------------------------------------------- hygiene


@case
def latin_a_in_cyrillic_name(pkg: Path) -> Expect:
    """A Latin 'a' inside a Cyrillic name is a mixed-script word (a homoglyph)."""
    row = find_row(pkg, "persons", lambda r: "а" in r["name_cyrillic"])
    value = set_cell(pkg, "persons", row, "name_cyrillic", lambda v: v.replace("а", "a", 1))
    return Expect([Err(PERSONS, row, "name_cyrillic", "mixed-script", value)])


@case
def end_date_after_publication(pkg: Path) -> Expect:
    """A span cannot end after the publication of a source that reports its end (all sources later or not)."""
    published = {r["id"]: r["published"] for r in _records(pkg, "sources") if r["published"]}
    latest = max(published.values())
    tass = "2025-07-07-tass-peskov"
    late = (dt.date.fromisoformat(published[tass]) + dt.timedelta(days=3)).isoformat()
    assert late < latest  # before the last source: only the per-source rule can see it
    row = next(  # a span citing TASS, and no other source published before LATE
        n
        for n, r in enumerate(_records(pkg, "events"), start=2)
        if r["end_date"]
        and r["date_precision"] == "day"
        and tass in r["source_ids"].split(";")
        and all(published.get(s, "9999") > late for s in r["source_ids"].split(";") if s != tass)
    )
    set_cell(pkg, "events", row, "end_date", late)
    return Expect([Err(EVENTS, row, "end_date", "date-after-publication", late)])


def _records(pkg: Path, table: str) -> list[dict[str, str]]:
    rows = read_rows(pkg, table)
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


@case
def impossible_publication_date(pkg: Path) -> Expect:
    """An impossible publication date is one calendar-date error, not also a date-after-publication per row citing it."""
    set_cell(pkg, "sources", 2, "published", "2020-02-30")
    return Expect([Err(SOURCES, 2, "published", "calendar-date", "2020-02-30")])


@case
def russian_quote_labelled_english(pkg: Path) -> Expect:
    """A Russian quote labelled `en` would escape the translation rule: its language is wrong."""
    row = find_row(pkg, "statements", lambda r: r["language"] == "ru")
    set_cell(pkg, "statements", row, "language", "en")
    return Expect([Err(STATEMENTS, row, "language", "quote-in-its-language", "en")])


@case
def russian_quote_missing(pkg: Path) -> Expect:
    """A missing quote is one `required` error; the language rule does not judge an empty cell."""
    row = find_row(pkg, "statements", lambda r: r["language"] == "ru")
    set_cell(pkg, "statements", row, "quote", "")
    return Expect([Err(STATEMENTS, row, "quote", "required")])


@case
def latin_name_in_cyrillic_column(pkg: Path) -> Expect:
    """A name written in Latin letters in name_cyrillic is in the wrong column."""
    row = find_row(pkg, "persons", lambda r: bool(r["name_cyrillic"]))
    latin = get_cell(pkg, "persons", row, "name_latin")
    set_cell(pkg, "persons", row, "name_cyrillic", latin)
    return Expect([Err(PERSONS, row, "name_cyrillic", "cyrillic-name-in-cyrillic", latin)])


@case
def organization_its_own_parent(pkg: Path) -> Expect:
    """An organization that names itself as parent is reported on parent_id."""
    row = find_row(pkg, "organizations", lambda r: bool(r["parent_id"]))
    own = get_cell(pkg, "organizations", row, "id")
    set_cell(pkg, "organizations", row, "parent_id", own)
    return Expect([Err(ORGS, row, "parent_id", "parent-not-self", own)])


@case
def zero_width_space(pkg: Path) -> Expect:
    """A zero-width space inside a cell is reported, and shown as an escape."""
    set_cell(pkg, "persons", 3, "role", lambda v: v.replace(" ", " \u200b", 1))
    return Expect([Err(PERSONS, 3, "role", "invisible-character")])


@case
def no_break_space(pkg: Path) -> Expect:
    """A no-break space inside a cell is reported."""
    set_cell(pkg, "persons", 2, "role", lambda v: v.replace(" ", "\u00a0", 1))
    return Expect([Err(PERSONS, 2, "role", "no-break-space")])


@case
def not_nfc(pkg: Path) -> Expect:
    """A decomposed letter (e + combining acute) is not Unicode NFC."""
    set_cell(pkg, "persons", 2, "notes", unicodedata.normalize("NFD", "Café"))
    return Expect([Err(PERSONS, 2, "notes", "unicode-nfc")])


@case
def leading_space(pkg: Path) -> Expect:
    """A leading space in a cell is padding."""
    set_cell(pkg, "persons", 2, "role", lambda v: " " + v)
    return Expect([Err(PERSONS, 2, "role", "padding")])


@case
def formula_cell(pkg: Path) -> Expect:
    """A cell starting with '=' would run as a spreadsheet formula."""
    set_cell(pkg, "persons", 3, "notes", '=HYPERLINK("http://example.com")')
    return Expect([Err(PERSONS, 3, "notes", "formula")])


@case
def tab_in_cell(pkg: Path) -> Expect:
    """A tab inside a cell is a control character."""
    set_cell(pkg, "organizations", 2, "notes", "before\tafter")
    return Expect([Err(ORGS, 2, "notes", "control-character")])


# --------------------------------------------------------------------------- security and descriptor


def _set_path(name: str, path: str) -> Callable[[dict[str, Any]], None]:
    return lambda raw: resource(raw, name).__setitem__("path", path)


#: the file a resource no longer points to: named, so that a mistyped path shows where the table is
_UNDECLARED_PERSONS = Err(PERSONS, None, None, "uncited-file")


@case
def dotdot_path(pkg: Path) -> Expect:
    """A resource path with '..' would leave the package and is not read."""
    edit_descriptor(pkg, _set_path("persons", "../persons.csv"))
    line = line_after(pkg, '"path": "../persons.csv"')
    return Expect(
        [Err(D, line, "resources/persons/path", "unsafe-path", "../persons.csv")],
        warnings=[_UNDECLARED_PERSONS],
    )


@case
def absolute_path(pkg: Path) -> Expect:
    """An absolute resource path is not read."""
    edit_descriptor(pkg, _set_path("figures", "/etc/passwd"))
    line = line_after(pkg, '"path": "/etc/passwd"')
    return Expect(
        [Err(D, line, "resources/figures/path", "unsafe-path", "/etc/passwd")],
        warnings=[Err(FIGURES, None, None, "uncited-file")],
    )


@case
def remote_url(pkg: Path) -> Expect:
    """A remote resource URL is not fetched: the data must be in the package."""
    url = "https://example.com/persons.csv"
    edit_descriptor(pkg, _set_path("persons", url))
    line = line_after(pkg, f'"path": "{url}"')
    return Expect(
        [Err(D, line, "resources/persons/path", "unsafe-path", url)], warnings=[_UNDECLARED_PERSONS]
    )


@case
def symlink_outside(pkg: Path) -> Expect:
    """A CSV that is a symbolic link to a file outside the package is not read."""
    outside = pkg.parent / "outside.csv"
    outside.write_bytes(csv_path(pkg, "figures").read_bytes())
    csv_path(pkg, "figures").unlink()
    os.symlink(outside, csv_path(pkg, "figures"))
    return Expect([Err(FIGURES, None, None, "unsafe-path")])


@case
def symlink_loop(pkg: Path) -> Expect:
    """A CSV that is a symbolic link to itself is named as unreadable (not as a link out of the package)."""
    csv_path(pkg, "figures").unlink()
    os.symlink(csv_path(pkg, "figures").name, csv_path(pkg, "figures"))
    return Expect([Err(FIGURES, None, None, "unreadable-file")])


@case
def version_with_a_line_break(pkg: Path) -> Expect:
    """A version followed by a line break is not SemVer (a `$` in the pattern used to let it through)."""
    edit_descriptor(pkg, lambda raw: raw.__setitem__("version", "1.0.0\n"))
    return Expect([Err(D, line_after(pkg, '"version"'), "version", "version", "1.0.0\n")])


@case
def missing_table(pkg: Path) -> Expect:
    """A descriptor without one of the project's tables is reported."""
    edit_descriptor(pkg, lambda raw: raw["resources"].remove(resource(raw, "figures")))
    return Expect(
        [Err(D, line_after(pkg, '"resources":'), "resources", "missing-table", "figures")],
        warnings=[Err(FIGURES, None, None, "uncited-file")],  # the file is still there, undeclared
    )


@case
def descriptor_not_json(pkg: Path) -> Expect:
    """A descriptor that is not JSON cannot be read at all: exit 2 with the line of the fault."""
    text = (pkg / D).read_text(encoding="utf-8")
    (pkg / D).write_text(text.replace('"resources":', '"resources"', 1), encoding="utf-8")
    return Expect([], exit_code=2, message="invalid JSON at line")


@case
def path_does_not_exist(pkg: Path) -> Expect:
    """A package path that does not exist cannot be read: exit 2."""
    (pkg / D).unlink()
    return Expect([], exit_code=2, message="no data package here")


@case
def invalid_regex(pkg: Path) -> Expect:
    """An invalid regular expression in a field pattern is a descriptor problem, not a crash."""
    edit_descriptor(
        pkg, lambda raw: schema_field(raw, "persons", "id")["constraints"].__setitem__("pattern", "[a-")
    )
    line = line_after(pkg, '"pattern": "[a-"')
    return Expect(
        [Err(D, line, "resources/persons/schema/fields/id/constraints/pattern", "field-pattern", "[a-")]
    )


@case
def enum_not_a_list(pkg: Path) -> Expect:
    """An enum given as a string instead of a list is reported."""
    edit_descriptor(
        pkg, lambda raw: schema_field(raw, "persons", "country")["constraints"].__setitem__("enum", "Russia")
    )
    return Expect(
        [
            Err(
                D,
                line_after(pkg, '"enum": "Russia"'),
                "resources/persons/schema/fields/country/constraints/enum",
                "field-enum",
                "Russia",
            )
        ]
    )


@case
def fields_not_a_list(pkg: Path) -> Expect:
    """Schema fields given as an object instead of a list are reported; the table is not read."""
    edit_descriptor(
        pkg, lambda raw: resource(raw, "figures")["schema"].__setitem__("fields", {"id": "string"})
    )
    line = line_after(pkg, '"name": "figures"', '"fields": {')
    return Expect([Err(D, line, "resources/figures/schema/fields", "schema-fields")])


@case
def schema_is_a_string(pkg: Path) -> Expect:
    """A schema referenced by path instead of written inline is reported."""
    edit_descriptor(pkg, lambda raw: resource(raw, "figures").__setitem__("schema", "figures.schema.json"))
    line = line_after(pkg, '"schema": "figures.schema.json"')
    return Expect([Err(D, line, "resources/figures/schema", "schema", "figures.schema.json")])


@case
def unknown_field_type(pkg: Path) -> Expect:
    """A field type the Table Schema standard does not know is reported."""
    edit_descriptor(pkg, lambda raw: schema_field(raw, "figures", "value").__setitem__("type", "integr"))
    line = line_after(pkg, '"type": "integr"')
    return Expect([Err(D, line, "resources/figures/schema/fields/value/type", "field-type", "integr")])


@case
def resource_without_name(pkg: Path) -> Expect:
    """A resource without a name is reported, and so is the table it should have been."""
    edit_descriptor(pkg, lambda raw: resource(raw, "figures").pop("name"))
    index = [r.get("name") for r in json.loads((pkg / D).read_text(encoding="utf-8"))["resources"]].index(
        None
    )
    return Expect(
        [
            Err(D, line_after(pkg, '"resources":'), f"resources/{index}/name", "resource-name"),
            Err(D, line_after(pkg, '"resources":'), "resources", "missing-table", "figures"),
        ]
    )


@case
def duplicate_resource_name(pkg: Path) -> Expect:
    """Two resources with one name are reported; the second is not used."""
    edit_descriptor(pkg, lambda raw: resource(raw, "figures").__setitem__("name", "persons"))
    names = [r["name"] for r in json.loads((pkg / D).read_text(encoding="utf-8"))["resources"]]
    index = len(names) - 1 - names[::-1].index("persons")
    return Expect(
        [
            Err(D, line_after(pkg, '"resources":'), f"resources/{index}/name", "resource-name", "persons"),
            Err(D, line_after(pkg, '"resources":'), "resources", "missing-table", "figures"),
        ]
    )


@case
def primary_key_missing_field(pkg: Path) -> Expect:
    """A primaryKey naming a field the table does not have is reported."""
    edit_descriptor(
        pkg, lambda raw: resource(raw, "figures")["schema"].__setitem__("primaryKey", ["figure_id"])
    )
    line = line_after(pkg, '"name": "figures"', '"primaryKey"')
    return Expect([Err(D, line, "resources/figures/schema/primaryKey", "primary-key", "figure_id")])


@case
def foreign_key_to_missing_table(pkg: Path) -> Expect:
    """A foreign key to a resource the package does not have is reported."""

    def change(raw: dict[str, Any]) -> None:
        resource(raw, "figures")["schema"]["foreignKeys"][0]["reference"]["resource"] = "incidents"

    edit_descriptor(pkg, change)
    line = line_after(pkg, '"name": "figures"', '"foreignKeys"')
    return Expect(
        [Err(D, line, "resources/figures/schema/foreignKeys", "foreign-key-target", "incidents.id")]
    )


@case
def list_field_without_separator(pkg: Path) -> Expect:
    """An x-list-of with an empty separator is reported instead of splitting every character."""

    def change(raw: dict[str, Any]) -> None:
        schema_field(raw, "events", "person_ids")["x-list-of"]["separator"] = ""

    edit_descriptor(pkg, change)
    line = line_after(pkg, '"name": "events"', '"name": "person_ids"', '"x-list-of"')
    return Expect([Err(D, line, "resources/events/schema/fields/person_ids/x-list-of", "field-list")])


@case
def schema_not_a_url(pkg: Path) -> Expect:
    """`$schema` names the profile by URL; any other text is reported, not taken for a custom profile."""
    edit_descriptor(pkg, lambda raw: raw.__setitem__("$schema", "not a schema"))
    return Expect([Err(D, line_after(pkg, '"$schema"'), "$schema", "profile", "not a schema")])


@case
def resources_not_a_list(pkg: Path) -> Expect:
    """A descriptor whose resources are not a list is reported once, not as six missing tables."""
    edit_descriptor(pkg, lambda raw: raw.__setitem__("resources", {"persons": "data/persons.csv"}))
    return Expect([Err(D, line_after(pkg, '"resources":'), "resources", "resources")])


@case
def semicolon_resave(pkg: Path) -> Expect:
    """A table re-saved with ';' between fields (a European spreadsheet) is one clear error, not a ragged row per line."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\n").writerows(read_rows(pkg, "persons"))
    write_bytes(pkg, PERSONS, buffer.getvalue().encode("utf-8"))
    return Expect([Err(PERSONS, None, None, "delimiter")])


@case
def semicolon_dialect(pkg: Path) -> Expect:
    """A dialect other than the project's comma-separated CSV is reported."""
    edit_descriptor(pkg, lambda raw: resource(raw, "figures")["dialect"].__setitem__("delimiter", ";"))
    line = line_after(pkg, '"delimiter": ";"')
    return Expect([Err(D, line, "resources/figures/dialect/delimiter", "dialect", ";")])


# --------------------------------------------------------------------------- the test


def test_corpus_is_large_enough() -> None:
    """The corpus holds at least 35 distinct broken packages."""
    assert len({c.__name__ for c in CASES}) >= 35


@pytest.mark.parametrize("make", CASES, ids=[c.__name__ for c in CASES])
def test_broken_package_is_reported_exactly(make: Callable[[Path], Expect], package_copy: Path) -> None:
    """Each broken package gets exactly its problems, with file, row, column and rule, and the right exit code."""
    expect = make(package_copy)
    result = CliRunner().invoke(cli, ["validate", str(package_copy), "--format", "json"])
    assert "Traceback" not in result.output
    assert result.exit_code == expect.exit_code, result.output
    if expect.exit_code == 2:
        assert expect.message in result.output
        assert result.stdout == ""
        return
    report = json.loads(result.stdout)
    errors, warnings = problems_of(report), problems_of(report, "warning")
    assert matches(errors, expect.errors), errors
    assert matches(warnings, expect.warnings), warnings
    for problem in report["problems"]:
        assert problem["message"].strip(), problem
