"""Where each person stands: derived statuses on the real rows, the one event-type mapping, growth,
the `dataset status` command and the exports."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

import dataset
from dataset import domain, stages, status
from dataset.cli import cli
from dataset.descriptor import read_descriptor
from dataset.export import export


@pytest.fixture(scope="module")
def people(frames) -> dict[str, status.Standing]:
    return {s.id: s for s in status.person_status(frames)}


@pytest.fixture(scope="module")
def groups(frames) -> list[status.Standing]:
    return status.group_status(frames)


def _published(frames) -> dict[str, str]:
    sources = frames["sources"].dropna(subset=["published"])
    return dict(zip(sources["id"], sources["published"], strict=True))


# --------------------------------------------------------------------------- the real rows


def test_kartavykh_released_on_10_october(people) -> None:
    s = people["kartavykh-igor"]
    assert (s.status, s.since, s.since_precision) == ("released", "2025-10-10", "day")
    assert s.name_cyrillic == "Игорь Картавых"
    release = next(step for step in s.steps if step.date == s.since and step.state == "released")
    assert set(s.source_ids) == set(release.all_source_ids)
    stages_seen = [step.stage for step in s.steps]
    assert stages_seen.index("detained") < stages_seen.index("arrest ordered") < stages_seen.index("released")


def test_belousov_released_on_25_october(people) -> None:
    s = people["belousov-yevgeny"]
    assert (s.status, s.since) == ("released", "2025-10-25")
    assert s.as_of is not None and s.as_of >= s.since


def test_arrest_step_carries_the_term_figures(people) -> None:
    arrest = next(step for step in people["belousov-yevgeny"].steps if step.event_type == "arrest-order")
    terms = {
        (c.value_qualifier, c.value, c.unit)
        for c in arrest.figures
        if c.measure == "pre-trial-detention-term"
    }
    assert ("at-least", 4, "months") in terms and ("up-to", 4, "months") in terms


def test_safarov_brothers_dead_in_custody(frames, people) -> None:
    persons = frames["persons"]
    brothers = persons.loc[persons["name_latin"].str.contains("Safarov"), "id"].tolist()
    assert len(brothers) >= 2
    for pid in brothers:
        s = people[pid]
        assert s.status == "dead"
        assert any(step.stage == "dead in custody" and step.date == s.since for step in s.steps)
        others = set(brothers) - {pid}
        for step in s.steps:  # a brother's age is not on this brother's path
            for c in step.figures:
                named = frames["figures"].set_index("id").loc[c.figure_id, "person_ids"]
                assert pd.isna(named) or not set(str(named).split(";")) <= others


def test_the_eleven_held_as_of_the_latest_source(frames, groups) -> None:
    published = _published(frames)
    eleven = [
        g for g in groups if any(c.measure == "held" and c.value == 11 for st in g.steps for c in st.figures)
    ]
    assert eleven, "no group counted as 11 held"
    g = eleven[0]
    assert g.kind == "group" and g.status == "held" and g.count == 11
    counts = [c for st in g.steps for c in st.figures]
    latest = max(published[c.source_id] for c in counts if c.source_id in published)
    assert g.as_of == latest
    assert set(g.source_ids) <= {c.source_id for c in counts if published.get(c.source_id) == latest}


def test_named_people_are_not_a_group(groups, people) -> None:
    """A count of people who are all named (the two Safarovs dead) is their own view, not a group."""
    for g in groups:
        assert not any(c.measure == "dead" for st in g.steps for c in st.figures)
    assert groups and people


def test_every_step_cites_rows_that_exist(frames, people, groups) -> None:
    sources, events = set(frames["sources"]["id"]), set(frames["events"]["id"])
    figures = set(frames["figures"]["id"])
    for s in [*people.values(), *groups]:
        assert s.steps, s.id
        assert set(s.source_ids) <= sources and set(s.as_of_source_ids) <= sources
        for step in s.steps:
            assert step.source_ids and set(step.all_source_ids) <= sources, (s.id, step)
            assert step.event_id is None or step.event_id in events
            assert {c.figure_id for c in step.figures} <= figures


def test_steps_are_in_date_order(people, groups) -> None:
    """No step comes after one that its dates put certainly later (its latest day before the
    other's first); steps whose periods overlap (2025-10 and 2025-10-25) go in stage order."""
    for s in [*people.values(), *groups]:
        firsts = [dataset.parse_date(pd.Series([st.date]))[0] for st in s.steps]
        lasts = [dataset.parse_date(pd.Series([st.end_date or st.date]), how="end")[0] for st in s.steps]
        for i in range(len(s.steps)):
            for j in range(i + 1, len(s.steps)):
                assert not lasts[j] < firsts[i], (s.id, s.steps[i].date, s.steps[j].date)


# --------------------------------------------------------------------------- one mapping


def test_mapping_uses_the_descriptors_vocabulary(desc) -> None:
    def enum(table: str, name: str) -> set[str]:
        return set(next(f for f in desc.tables[table].fields if f.name == name).enum)

    assert set(stages.LEGAL_PATH) <= enum("events", "event_type")
    assert set(stages.GROUP_MEASURES) <= enum("figures", "measure")
    assert stages.PERSONS_UNIT in enum("figures", "unit")
    assert set(stages.DETENTION_TYPES) == {"detention", "arrest-order"}


def test_the_validator_reads_the_same_mapping() -> None:
    assert domain.OPENS_CUSTODY is stages.DETENTION_TYPES


# --------------------------------------------------------------------------- growth


def _append(package: Path, table: str, row: dict[str, str]) -> None:
    path = package / "data" / f"{table}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert set(row) <= set(header), set(row) - set(header)
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow([row.get(c, "") for c in header])


def _event(ident: str, event_type: str, date: str, person: str, source: str) -> dict[str, str]:
    return {
        "id": ident,
        "date": date,
        "date_precision": "day",
        "date_qualifier": "on",
        "date_derivation": "printed",
        "event_type": event_type,
        "summary": f"Test {event_type}.",
        "person_ids": person,
        "source_ids": source,
        "evidence": "test",
    }


def test_an_added_release_changes_a_status(package_copy: Path) -> None:
    tables = dataset.load(package_copy, validate=False)
    dated = tables["sources"].dropna(subset=["published"]).sort_values("published")
    first, last = dated["id"].iloc[0], dated["id"].iloc[-1]
    day = str(dated["published"].iloc[0])
    _append(
        package_copy,
        "persons",
        {
            "id": "test-detainee",
            "name_latin": "Test Detainee",
            "name_latin_origin": "seed",
            "role": "Test",
            "source_ids": f"{first};{last}",
        },
    )
    _append(package_copy, "events", _event("test-detained", "detention", day, "test-detainee", first))
    before = status.person_status(dataset.load(package_copy, validate=False), "test-detainee")[0]
    assert (before.status, before.since) == ("unknown", day)  # a later source mentions them, not held

    _append(package_copy, "events", _event("test-released", "release", day, "test-detainee", last))
    after = status.person_status(dataset.load(package_copy, validate=False), "test-detainee")[0]
    assert (after.status, after.since, after.source_ids) == ("released", day, (last,))


def test_a_later_release_count_changes_a_group(package_copy: Path, frames, groups) -> None:
    held = next(g for g in groups if g.status == "held")
    last_day = max(_published(frames).values())
    source = next(s for s, d in _published(frames).items() if d == last_day)
    _append(
        package_copy,
        "figures",
        {
            "id": "test-group-released",
            "value": str(held.count),
            "value_qualifier": "exact",
            "unit": "persons",
            "measure": "released",
            "counted": "Test release of the group",
            "date": last_day,
            "date_precision": "day",
            "date_qualifier": "on",
            "date_derivation": "printed",
            "event_id": held.id,
            "source_id": source,
            "evidence": "test",
        },
    )
    grown = status.group_status(dataset.load(package_copy, validate=False), held.id)[0]
    assert (grown.status, grown.since, grown.source_ids) == ("released", last_day, (source,))


# --------------------------------------------------------------------------- the command and exports


def test_cli_text_names_both_scripts_and_the_path(package_copy: Path) -> None:
    result = CliRunner().invoke(cli, ["status", str(package_copy), "--person", "картавых"])
    assert result.exit_code == 0, result.output
    assert "Igor Kartavykh / Игорь Картавых" in result.output
    assert "released since 2025-10-10" in result.output
    assert "arrest ordered" in result.output and "as of:" in result.output and "per:" in result.output


def test_cli_json_and_csv(package_copy: Path) -> None:
    runner = CliRunner()
    data = json.loads(runner.invoke(cli, ["status", str(package_copy), "--format", "json"]).output)
    by_id = {d["id"]: d for d in data}
    assert by_id["belousov-yevgeny"]["status"] == "released"
    assert by_id["belousov-yevgeny"]["steps"][0]["stage"] == "detained"
    rows = list(
        csv.DictReader(
            runner.invoke(cli, ["status", str(package_copy), "--format", "csv"]).output.splitlines()
        )
    )
    assert tuple(rows[0]) == status.TABLE_COLUMNS
    assert {r["id"]: r["since"] for r in rows}["kartavykh-igor"] == "2025-10-10"


def test_cli_unknown_person_is_a_usage_error(package_copy: Path) -> None:
    result = CliRunner().invoke(cli, ["status", str(package_copy), "--person", "no-such-person"])
    assert result.exit_code == 2
    assert "no-such-person" in result.output and "kartavykh-igor" in result.output
    assert "Traceback" not in result.output


def test_sqlite_and_xlsx_carry_the_status(frames, desc, tmp_path: Path) -> None:
    export(frames, "sqlite", tmp_path / "p.db", descriptor=desc)
    with sqlite3.connect(tmp_path / "p.db") as conn:
        row = conn.execute("SELECT status, since FROM person_status WHERE id = 'belousov-yevgeny'").fetchone()
    assert row == ("released", "2025-10-25")
    export(frames, "xlsx", tmp_path / "p.xlsx", descriptor=desc)
    sheet = openpyxl.load_workbook(tmp_path / "p.xlsx")["Status"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert tuple(header) == status.TABLE_COLUMNS
    values = {r[1]: r[4] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["safarov-huseyn"] == "dead"


def test_lazy_api_names(repo_root: Path) -> None:
    assert dataset.person_status is status.person_status
    assert "status_table" in dataset.__all__
    assert read_descriptor(repo_root)  # the bundled package is the one the API reads
