"""The SQLite export served by real Datasette (its own ASGI test client), checked through the JSON API.

What a first visitor meets: only the six tables listed, rows named by their labels (a source
without a headline too), plain-words descriptions, facets on type and date precision, date
order, and a search that finds every form of a word from its start, in English and Russian.
"""

from __future__ import annotations

import asyncio
import csv
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from dataset import export as ex

datasette_app = pytest.importorskip(
    "datasette.app", reason="datasette is a test extra: pip install -e '.[test]'"
)


def raw(repo_root: Path, name: str) -> list[dict[str, str]]:
    with (repo_root / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def served(frames, desc, tmp_path_factory) -> Any:
    """A function GET path -> (status, JSON) on Datasette serving the export with its metadata file."""
    out = tmp_path_factory.mktemp("datasette")
    db, meta = ex.export(frames, "sqlite", out / "crisis.db", descriptor=desc)
    app = datasette_app.Datasette(files=[str(db)], metadata=json.loads(meta.read_text(encoding="utf-8")))

    def get(path: str) -> tuple[int, Any]:
        async def fetch() -> tuple[int, Any]:
            response = await app.client.get(path)
            return response.status_code, response.json()

        return asyncio.run(fetch())

    return get


def test_index_lists_the_tables_and_hides_link_tables(served, desc) -> None:
    """The database page shows the package's tables; link tables, _package and FTS tables are hidden."""
    status, data = served("/crisis.json")
    assert status == 200
    shown = {t["name"] for t in data["tables"] if not t["hidden"]}
    assert shown == set(desc.tables) | {"person_status"}  # person_status: derived (dataset.status)
    hidden = {t["name"] for t in data["tables"] if t["hidden"]}
    assert "_package" in hidden and "events_person_ids" in hidden


def test_rows_are_labelled_by_name_never_empty(served, repo_root: Path) -> None:
    """Foreign keys show the speaker's Latin name and the source's headline, publisher or id; never None."""
    persons = {r["id"]: r["name_latin"] for r in raw(repo_root, "persons")}
    sources = {r["id"]: r["title"] or r["publisher"] or r["id"] for r in raw(repo_root, "sources")}
    status, data = served("/crisis/statements.json?_labels=on&_shape=objects&_size=max")
    assert status == 200
    rows = data["rows"]
    assert rows
    for row in rows:
        assert row["source_id"]["label"] == sources[row["source_id"]["value"]]
        if isinstance(row["speaker_person_id"], dict):
            assert row["speaker_person_id"]["label"] == persons[row["speaker_person_id"]["value"]]
    untitled = [i for i, r in ((r["id"], r) for r in raw(repo_root, "sources")) if not r["title"]]
    assert untitled, "the data has a source without a headline: the case the label column is for"


def test_descriptions_are_plain_words(served) -> None:
    """No Markdown backticks and no internal x- keys in any title or description Datasette shows."""
    status, meta = served("/-/metadata.json")
    assert status == 200
    text = json.dumps(meta, ensure_ascii=False)
    assert "`" not in text
    assert not re.search(r"\bx-[a-z]", text)
    events = meta["databases"]["crisis"]["tables"]["events"]
    assert events["columns"]["summary"]


def test_events_facet_on_type_and_precision_in_date_order(served, repo_root: Path) -> None:
    """The events page opens in date order with facets whose counts are the CSV's."""
    status, data = served("/crisis/events.json?_shape=objects&_size=max")
    assert status == 200
    rows = raw(repo_root, "events")
    for column in ("event_type", "date_precision"):
        facet = data["facet_results"][column]
        assert {r["value"]: r["count"] for r in facet["results"]} == Counter(r[column] for r in rows)
    dates = [r["date"] for r in data["rows"]]
    assert dates == sorted(dates) and len(dates) == len(rows)


@pytest.mark.parametrize(
    ("table", "columns", "stem"),
    [
        ("events", ("summary", "evidence"), "releas"),
        ("events", ("summary", "evidence"), "detain"),
        ("statements", ("quote", "quote_en", "excerpt"), "задерж"),
        ("statements", ("quote", "quote_en", "excerpt"), "ОСВОБОЖД"),
    ],
)
def test_search_finds_every_form_from_the_start_of_a_word(
    served, repo_root: Path, table, columns, stem
) -> None:
    """`releas` finds release and released, `задерж` finds задержан and задержанных: the rows holding the stem."""
    want = sorted(
        r["id"] for r in raw(repo_root, table) if any(stem.casefold() in r[c].casefold() for c in columns)
    )
    status, data = served(f"/crisis/{table}.json?_search={stem}&_shape=objects&_size=max")
    assert status == 200
    assert want and sorted(r["id"] for r in data["rows"]) == want
