"""`dataset query` and `dataset.query`: filters, SQL, a person's story and the renderers."""

from __future__ import annotations

import csv
import itertools
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from dataset import query as q
from dataset import views
from dataset.cli import cli
from dataset.commands import query as query_command_module


def raw(repo_root: Path, name: str) -> list[dict[str, str]]:
    """The rows of one CSV as text, read without the library: the independent expectation."""
    with (repo_root / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def items(cell: str) -> set[str]:
    return set(cell.split(";")) if cell else set()


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


# --- --person -------------------------------------------------------------------------------------


def test_person_keeps_exactly_the_events_naming_them(frames, desc, repo_root: Path) -> None:
    """--person belousov gives exactly the events whose person_ids contain belousov-yevgeny."""
    expected = [r["id"] for r in raw(repo_root, "events") if "belousov-yevgeny" in items(r["person_ids"])]
    result = q.filter_table(frames, "events", person="belousov", descriptor=desc)
    assert expected
    assert sorted(result["id"]) == sorted(expected)


@pytest.mark.parametrize(
    "spelling", ["belousov-yevgeny", "BELOUSOV", "Yevgeny Belousov", "Белоусов", "евгений БЕЛОУСОВ"]
)
def test_person_matches_ids_latin_and_cyrillic_names_in_any_case(frames, desc, spelling: str) -> None:
    """An id, a Latin name or a Cyrillic name, in any case, name the same person."""
    assert q.resolve(frames, "persons", spelling, descriptor=desc) == ["belousov-yevgeny"]


def test_person_on_statements_covers_speaker_and_about(frames, desc, repo_root: Path) -> None:
    """On statements, --person keeps rows where the person speaks or is spoken about."""
    expected = [
        r["id"]
        for r in raw(repo_root, "statements")
        if r["speaker_person_id"] == "peskov-dmitry" or "peskov-dmitry" in items(r["about_person_ids"])
    ]
    result = q.filter_table(frames, "statements", person="Песков", descriptor=desc)
    assert expected
    assert sorted(result["id"]) == sorted(expected)


def test_unknown_person_is_an_error(frames, desc) -> None:
    """A name that matches nobody is an error, not an empty result."""
    with pytest.raises(q.QueryError, match="no person matches 'nobody-at-all'"):
        q.filter_table(frames, "events", person="nobody-at-all", descriptor=desc)


# --- --type, --source, --search, --columns, --limit ----------------------------------------------


def test_type_keeps_rows_of_the_vocabulary_values(frames, desc, repo_root: Path) -> None:
    """--type release,detention keeps the events of either type and no other."""
    expected = [r["id"] for r in raw(repo_root, "events") if r["event_type"] in ("release", "detention")]
    result = q.filter_table(frames, "events", type="release,detention", descriptor=desc)
    assert expected
    assert sorted(result["id"]) == sorted(expected)
    assert set(result["event_type"].astype(str)) <= {"release", "detention"}


def test_type_outside_every_vocabulary_lists_the_choices(frames, desc) -> None:
    """An unknown --type value is an error that lists the table's vocabularies."""
    with pytest.raises(
        q.QueryError, match=r"'parade' is in no vocabulary of 'events'.*event_type: .*release"
    ):
        q.filter_table(frames, "events", type="parade", descriptor=desc)


def test_source_matches_an_id_or_words_of_the_publisher(frames, desc, repo_root: Path) -> None:
    """--source tass keeps the rows citing the source whose id, publisher or title mentions TASS."""
    tass = {
        r["id"]
        for r in raw(repo_root, "sources")
        if "tass" in (r["id"] + r["publisher"] + r["title"]).casefold()
    }
    expected = [r["id"] for r in raw(repo_root, "events") if items(r["source_ids"]) & tass]
    result = q.filter_table(frames, "events", source="TASS", descriptor=desc)
    assert tass and expected
    assert sorted(result["id"]) == sorted(expected)


def test_search_ignores_case_in_cyrillic(frames, desc, repo_root: Path) -> None:
    """--search finds text in any column, upper-case Cyrillic matching lower-case."""
    expected = [
        r["id"] for r in raw(repo_root, "statements") if any("задержан" in v.casefold() for v in r.values())
    ]
    result = q.filter_table(frames, "statements", search="ЗАДЕРЖАН", descriptor=desc)
    assert expected
    assert sorted(result["id"]) == sorted(expected)


def test_search_reads_yo_as_ye(frames, desc) -> None:
    """ё and е are the same letter for --search, as Russian readers type them."""
    persons = frames["persons"].copy()
    persons.loc[0, "notes"] = "Прозвище: Ёжик"
    mine = {**frames, "persons": persons}
    result = q.filter_table(mine, "persons", search="ежик", descriptor=desc)
    assert result["id"].tolist() == [persons.loc[0, "id"]]


def test_columns_and_limit_shape_the_result(frames, desc, repo_root: Path) -> None:
    """--columns picks and orders columns; --limit keeps the first rows."""
    result = q.filter_table(frames, "persons", columns="name_cyrillic,id", limit=2, descriptor=desc)
    rows = raw(repo_root, "persons")[:2]
    assert list(result.columns) == ["name_cyrillic", "id"]
    assert result["id"].tolist() == [r["id"] for r in rows]


def test_unknown_column_names_it(frames, desc) -> None:
    """An unknown --columns name is an error naming it and listing the columns."""
    with pytest.raises(q.QueryError, match=r"unknown column 'nope'.*; the columns are: id, "):
        q.filter_table(frames, "events", columns="id,nope", descriptor=desc)


# --- dates ----------------------------------------------------------------------------------------


@pytest.fixture
def dated(frames) -> dict[str, pd.DataFrame]:
    """The tables with three events re-dated: a month, a day before it, and a span across it."""
    events = frames["events"].head(3).copy()
    events["id"] = ["month", "day", "span"]
    events["date"] = ["2025-06", "2025-06-14", "2025-06-10"]
    events["end_date"] = pd.array([None, None, "2025-06-20"], dtype="string")
    return {**frames, "events": events}


@pytest.mark.parametrize(
    ("since", "until", "kept"),
    [
        ("2025-06-15", None, ["month", "span"]),
        ("2025-06-21", None, ["month"]),
        (None, "2025-06-14", ["month", "span", "day"]),
        (None, "2025-05", []),
        ("2025", "2025", ["month", "span", "day"]),
        ("2025-07", None, []),
        ("2025-06-14", "2025-06-14", ["month", "span", "day"]),
    ],
)
def test_partial_dates_compare_by_overlap(dated, desc, since, until, kept) -> None:
    """A row is kept when its period (a month is all of it; date to end_date) overlaps --since..--until.

    Kept rows come in date order: a month sorts by its first day, before the days in it.
    """
    result = q.filter_table(dated, "events", since=since, until=until, descriptor=desc)
    assert result["id"].tolist() == kept


def test_date_bounds_of_partial_dates() -> None:
    """A year, a month (leap February included) and a day each span their whole period."""
    assert [str(d) for d in q.date_bounds("2024-02")] == ["2024-02-01", "2024-02-29"]
    assert [str(d) for d in q.date_bounds("2025")] == ["2025-01-01", "2025-12-31"]
    assert [str(d) for d in q.date_bounds("2025-06-15")] == ["2025-06-15", "2025-06-15"]
    with pytest.raises(q.QueryError, match="'2025-13' is not a date"):
        q.date_bounds("2025-13")


def test_dates_on_a_table_without_dates_are_an_error(frames, desc) -> None:
    """--since on the persons table says it has no date column."""
    with pytest.raises(q.QueryError, match="'persons' has no date column"):
        q.filter_table(frames, "persons", since="2025", descriptor=desc)


# --- the story ------------------------------------------------------------------------------------


def test_story_lists_every_event_and_statement_in_date_order(frames, desc, repo_root: Path) -> None:
    """The story of kartavykh holds exactly his events and statements, sorted by date, with sources."""
    who = "kartavykh-igor"
    events = {r["id"]: r for r in raw(repo_root, "events") if who in items(r["person_ids"])}
    statements = {
        r["id"]: r
        for r in raw(repo_root, "statements")
        if r["speaker_person_id"] == who or who in items(r["about_person_ids"])
    }
    story = q.person_story(frames, "kartavykh", descriptor=desc)
    assert events and statements
    assert sorted(story["id"]) == sorted([*events, *statements])
    starts = [q.date_bounds(d)[0] for d in story["date"]]
    assert starts == sorted(starts)
    for row in story.itertuples():
        source = events[row.id]["source_ids"] if row.kind == "event" else statements[row.id]["source_id"]
        assert row.source_ids == source
        text = events[row.id]["summary"] if row.kind == "event" else None
        if text:
            assert row.text == text


def test_story_of_an_ambiguous_name_lists_the_candidates(frames, desc, repo_root: Path) -> None:
    """A name shared by several persons is an error naming each of them."""
    safarovs = [r["id"] for r in raw(repo_root, "persons") if r["id"].startswith("safarov-")]
    assert len(safarovs) > 1
    with pytest.raises(q.QueryError) as info:
        q.person_story(frames, "safarov", descriptor=desc)
    assert all(i in str(info.value) for i in safarovs)


# --- SQL ------------------------------------------------------------------------------------------


def test_sql_joins_statements_to_persons(frames, desc, repo_root: Path) -> None:
    """--sql runs a join over all tables: each statement with its speaker's names."""
    names = {r["id"]: (r["name_latin"], r["name_cyrillic"] or None) for r in raw(repo_root, "persons")}
    expected = [
        (r["id"], *names[r["speaker_person_id"]])
        for r in raw(repo_root, "statements")
        if r["speaker_person_id"]
    ]
    result = q.sql(
        frames,
        "SELECT s.id, p.name_latin, p.name_cyrillic FROM statements s "
        "JOIN persons p ON p.id = s.speaker_person_id ORDER BY s.rowid",
        descriptor=desc,
    )
    assert [tuple(r) for r in result.itertuples(index=False)] == expected


def test_sql_link_tables_spell_out_list_fields(frames, desc) -> None:
    """events_person_ids lists each person of each event, so SQL finds what --person finds."""
    result = q.sql(
        frames,
        "SELECT e.id FROM events e JOIN events_person_ids l ON l.events_id = e.id "
        "WHERE l.persons_id = 'belousov-yevgeny' ORDER BY e.rowid",
        descriptor=desc,
    )
    assert (
        result["id"].tolist()
        == q.filter_table(frames, "events", person="belousov-yevgeny", sort=[], descriptor=desc)[
            "id"
        ].tolist()
    )


def test_sql_is_read_only_and_reports_errors(frames, desc) -> None:
    """Writing and bad SQL are QueryErrors with SQLite's message."""
    with pytest.raises(q.QueryError, match="may only read"):
        q.sql(frames, "DELETE FROM events", descriptor=desc)
    with pytest.raises(q.QueryError, match="no such table: nowhere"):
        q.sql(frames, "SELECT * FROM nowhere", descriptor=desc)


def test_sql_integers_stay_integers(frames, desc, repo_root: Path) -> None:
    """Integer columns come back as Python ints, empty cells as None."""
    rows = raw(repo_root, "figures")
    result = q.sql(frames, "SELECT value, end_date FROM figures ORDER BY rowid", descriptor=desc)
    assert result["value"].tolist() == [int(r["value"]) for r in rows]
    assert result["end_date"].tolist() == [r["end_date"] or None for r in rows]


# --- rendering ------------------------------------------------------------------------------------


def test_table_fits_the_width_and_keeps_cyrillic_aligned(frames, desc) -> None:
    """Every line fits the width, long cells are cut with …, and after Cyrillic each column starts at one screen column."""
    result = q.filter_table(frames, "persons", columns="name_cyrillic,id,role,notes", descriptor=desc)
    lines = q.render(result, "table", width=110).splitlines()
    assert all(views.text_width(line) <= 110 for line in lines)
    starts = {
        views.text_width(line[: line.index(key)]) for line, key in zip(lines[2:-1], result["id"], strict=True)
    }
    assert starts == {views.text_width(lines[0][: lines[0].index("id ")])}
    assert any("…" in line for line in lines)
    assert lines[-1] == f"({len(result)} rows)"


def test_width_counts_wide_and_combining_characters() -> None:
    """Wide East Asian characters take two columns, combining accents none, Cyrillic one."""
    assert views.text_width("Картавых") == 8
    assert views.text_width("中文") == 4
    assert views.text_width("e\u0301") == 1
    assert q.truncate("Картавых Игорь", 6) == "Карта…"


def test_wide_cells_pad_to_the_same_screen_column() -> None:
    """A column after CJK text starts at the same screen column as after Latin text."""
    frame = pd.DataFrame({"name": ["中文", "ab"], "n": [1, 22]})
    lines = q.render(frame, "table", width=40).splitlines()
    assert lines[2:4] == ["中文   1", "ab    22"]
    assert {views.text_width(line) for line in lines[:4]} == {8}


def test_json_has_ints_and_nulls(frames, desc, repo_root: Path) -> None:
    """JSON output keeps integers as numbers and empty cells as null."""
    rows = raw(repo_root, "figures")
    result = q.filter_table(frames, "figures", columns="id,value,end_date", sort=[], descriptor=desc)
    assert json.loads(q.render(result, "json")) == [
        {"id": r["id"], "value": int(r["value"]), "end_date": r["end_date"] or None} for r in rows
    ]


def test_markdown_escapes_pipes_and_line_breaks() -> None:
    """Markdown cells keep their text whole, with | escaped and line breaks as <br>."""
    frame = pd.DataFrame({"a": ["x|y", "one\ntwo"], "n": [1, None]}).astype({"n": "Int64"})
    assert q.render(frame, "markdown").splitlines() == [
        "| a | n |",
        "| --- | ---: |",
        "| x\\|y | 1 |",
        "| one<br>two |  |",
    ]


def test_csv_output_is_the_package_layout(frames, desc, repo_root: Path) -> None:
    """CSV output of a whole table is the package's CSV text."""
    text = q.render(q.filter_table(frames, "persons", descriptor=desc), "csv")
    assert text + "\n" == (repo_root / "data" / "persons.csv").read_text(encoding="utf-8")


# --- the command ----------------------------------------------------------------------------------


def test_cli_json_matches_the_library(frames, desc, repo_root: Path) -> None:
    """`dataset query events --person belousov --format json` prints what filter_table returns."""
    code, output = run("query", "events", str(repo_root), "--person", "belousov", "--format", "json")
    assert code == 0
    expected = q.filter_table(frames, "events", person="belousov", descriptor=desc)
    assert json.loads(output) == json.loads(q.render(expected, "json"))


def test_cli_story_without_table(frames, desc, repo_root: Path) -> None:
    """`dataset query --person Картавых` prints the story; a PATH alone is not taken for a TABLE."""
    code, output = run(
        "query", str(repo_root), "--person", "Картавых", "--format", "csv", "--columns", "date,id"
    )
    story = q.person_story(frames, "kartavykh-igor", descriptor=desc)
    assert code == 0
    assert list(csv.reader(output.splitlines()))[1:] == [
        [d, i] for d, i in zip(story["date"], story["id"], strict=True)
    ]


def test_cli_sql(repo_root: Path) -> None:
    """`dataset query --sql` prints the rows of a SELECT over all tables."""
    code, output = run(
        "query",
        str(repo_root),
        "--sql",
        "SELECT id, value FROM figures WHERE value IS NOT NULL ORDER BY rowid LIMIT 2",
        "--format",
        "json",
    )
    rows = raw(repo_root, "figures")[:2]
    assert code == 0
    assert json.loads(output) == [{"id": r["id"], "value": int(r["value"])} for r in rows]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["events", "--columns", "id,nope"], "unknown column 'nope'"),
        (["events", "--since", "2025/06"], "'2025/06' is not a date"),
        (["events", "--until", "June"], "'June' is not a date"),
        (["nosuch"], "no table 'nosuch'"),
        (["events", "--type", "parade"], "'parade' is in no vocabulary"),
        (["events", "--person", "nobody-at-all"], "no person matches"),
        (["--person", "safarov"], "names 2 persons"),
        (["--sql", "SELECT * FROM nowhere"], "no such table: nowhere"),
        (["events", "--sql", "SELECT 1"], "--sql runs on its own"),
        (["--type", "release"], "give a TABLE"),
        (["events", "--limit", "-1"], "-1 is not in the range"),
        (["events", "--format", "xml"], "'xml' is not one of"),
        ([], "give a TABLE, --person"),
    ],
)
def test_cli_bad_flags_exit_2_without_traceback(repo_root: Path, args: list[str], message: str) -> None:
    """Bad flags and names exit 2 with a message saying what is wrong, never a traceback."""
    code, output = run("query", *args, *([str(repo_root)] if args and not args[0].startswith("-") else []))
    assert code == 2
    assert message in output


def test_cli_formats_are_the_library_formats() -> None:
    """The command's --format choices are the renderer's formats."""
    assert query_command_module.FORMATS == q.FORMATS


def test_cli_help_has_examples() -> None:
    """`dataset query --help` shows an Examples block."""
    code, output = run("query", "--help")
    assert code == 0
    assert "Examples:\n    dataset query events --person belousov" in output


# --- order, layout, ranges, did-you-mean (issue 18) ----------------------------------------------


def first_day(text: str) -> str:
    """A partial ISO date as the text of its first day, computed without the library."""
    return text + "-01-01"[len(text) - 4 :] if text else "9999-12-31"


@pytest.mark.parametrize("name", ["events", "statements", "figures"])
def test_dated_tables_come_in_date_order(frames, desc, repo_root: Path, name: str) -> None:
    """By default rows come by the first day of their date (a month before its days), all of them."""
    result = q.filter_table(frames, name, descriptor=desc)
    days = [first_day(d) for d in result["date"].fillna("")]
    assert days == sorted(days)
    assert sorted(result["id"]) == sorted(r["id"] for r in raw(repo_root, name))


def test_sort_by_columns_descending_with_a_minus(frames, desc) -> None:
    """--sort measure,-value: measures A..Z, and within one measure the largest value first."""
    result = q.filter_table(frames, "figures", sort="measure,-value", descriptor=desc)
    pairs = [(str(m), v) for m, v in zip(result["measure"], result["value"], strict=True)]
    assert [m for m, _ in pairs] == sorted(m for m, _ in pairs)
    for (m1, v1), (m2, v2) in itertools.pairwise(pairs):
        if m1 == m2 and v1 is not pd.NA and v2 is not pd.NA:
            assert v1 >= v2


def test_sort_by_a_partial_date_uses_its_first_day(dated, desc) -> None:
    """--sort date puts 2025-06 (1 June) before 2025-06-10 and 2025-06-14; -date reverses it."""
    assert q.filter_table(dated, "events", sort="date", descriptor=desc)["id"].tolist() == [
        "month",
        "span",
        "day",
    ]
    assert q.filter_table(dated, "events", sort="-date", descriptor=desc)["id"].tolist() == [
        "day",
        "span",
        "month",
    ]


def test_unknown_sort_column_suggests_the_close_one(frames, desc) -> None:
    with pytest.raises(q.QueryError, match=r"cannot sort by 'dat' \(did you mean 'date'\?\)"):
        q.filter_table(frames, "events", sort="dat", descriptor=desc)


def test_reversed_period_is_an_error(frames, desc, repo_root: Path) -> None:
    """--since after --until is an error in the library and a usage error (exit 2) in the command."""
    with pytest.raises(q.QueryError, match="starts after --until"):
        q.filter_table(frames, "events", since="2025-07", until="2025-06", descriptor=desc)
    code, output = run("query", "events", str(repo_root), "--since", "2025-07", "--until", "2025-06")
    assert code == 2
    assert "--since 2025-07 starts after --until 2025-06" in output


def test_misspelt_type_suggests_and_lists_only_its_vocabulary(frames, desc) -> None:
    """`--type relase` says "did you mean 'release'" and lists event_type, not every vocabulary's values."""
    with pytest.raises(q.QueryError) as info:
        q.filter_table(frames, "events", type="relase", descriptor=desc)
    message = str(info.value)
    assert "did you mean 'release'" in message
    event_types = desc.tables["events"].field("event_type").enum
    assert all(term in message for term in event_types)
    qualifiers = desc.tables["events"].field("date_qualifier").enum
    assert not any(f" {term}," in message or message.endswith(term) for term in qualifiers)


def cli_at(width: int, *args: str) -> str:
    result = CliRunner().invoke(cli, list(args), env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("name", ["events", "statements", "figures", "persons", "organizations", "sources"])
def test_query_at_80_columns_fits_and_cuts_no_id_or_date(repo_root: Path, name: str) -> None:
    """At COLUMNS=80 every line fits, and every id and date of the table is printed whole."""
    output = cli_at(80, "query", name, str(repo_root))
    assert all(views.text_width(line) <= 80 for line in output.splitlines())
    words = set(output.split())
    for row in raw(repo_root, name):
        assert row["id"] in words
        for column in ("date", "published"):
            if row.get(column):
                assert row[column] in words


def test_query_at_80_columns_shows_long_text_whole(repo_root: Path) -> None:
    """A wide result prints one block per row: the summaries' words all there, nothing cut with …."""
    output = cli_at(80, "query", "events", str(repo_root), "--type", "release")
    expected = [r for r in raw(repo_root, "events") if r["event_type"] == "release"]
    assert expected
    assert "…" not in output
    flowing = " ".join(output.split())
    for row in expected:
        assert " ".join(row["summary"].split()) in flowing


def test_default_columns_come_first_and_the_rest_is_named(repo_root: Path) -> None:
    """The terminal shows the key columns; stderr names the others and how to show them."""
    result = CliRunner().invoke(cli, ["query", "events", str(repo_root)], env={"COLUMNS": "200"})
    header = result.stdout.splitlines()[0].split()
    assert header == list(views.KEY_COLUMNS["events"])
    assert "notes" in result.stderr and "--columns id,date" in result.stderr


def test_wide_table_keeps_ids_whole_and_cuts_text() -> None:
    """In the table layout one-word cells (ids, dates) stay whole and long text is cut with …."""
    frame = pd.DataFrame(
        {"id": ["a-rather-long-identifier-of-a-row"], "date": ["2025-06"], "text": ["word " * 40]}
    )
    lines = q.render(frame, "table", width=80).splitlines()
    assert lines[2].startswith("a-rather-long-identifier-of-a-row  2025-06  word")
    assert lines[2].endswith("…") and views.text_width(lines[2]) <= 80


def test_wrap_breaks_at_spaces_and_list_separators() -> None:
    """wrap keeps every character, lines fit, and a `a;b` list breaks after its `;`."""
    text = "first-source-id;second-source-id;third-source-id and some words"
    lines = q.wrap(text, 20)
    assert all(views.text_width(line) <= 20 for line in lines)
    assert lines[0] == "first-source-id;"
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_timeline_takes_a_name_as_query_does(frames, desc, repo_root: Path, tmp_path: Path) -> None:
    """`timeline --person Картавых` draws the same events as `--person kartavykh-igor`."""
    pages = []
    for who in ("kartavykh-igor", "Картавых"):
        out = tmp_path / f"{len(pages)}.html"
        result = CliRunner().invoke(cli, ["timeline", str(repo_root), "-o", str(out), "--person", who])
        assert result.exit_code == 0, result.output
        pages.append(out.read_text(encoding="utf-8"))
    assert pages[0] == pages[1]
    assert q.resolve_person(frames, "Картавых", descriptor=desc) == "kartavykh-igor"


def test_cli_sort_and_the_hidden_columns_hint(repo_root: Path) -> None:
    """`--sort=-date` gives the latest first; the hint's --columns list, pasted, shows the named column."""
    result = CliRunner().invoke(
        cli, ["query", "figures", str(repo_root), "--sort=-date", "--format", "csv", "--columns", "id,date"]
    )
    assert result.exit_code == 0, result.output
    dates = [row[1] for row in csv.reader(result.stdout.splitlines()[1:])]
    assert [first_day(d) for d in dates] == sorted((first_day(d) for d in dates), reverse=True)
    shown = CliRunner().invoke(cli, ["query", "events", str(repo_root)], env={"COLUMNS": "120"})
    hint = re.search(r"add (--columns \S+)", shown.stderr)
    assert hint
    flag, value = hint.group(1).split(" ")
    again = CliRunner().invoke(cli, ["query", "events", str(repo_root), flag, value], env={"COLUMNS": "400"})
    assert again.exit_code == 0
    assert again.stdout.splitlines()[0].split() == value.split(",")
