"""The links between claims: each validator rule broken in a copy of the package, and the curated links read back.

Every case edits a temporary copy and states exactly what `dataset validate` must report
(file, spreadsheet row, column, rule). Rows are found by what they hold, never by a
position or count typed in from today's data.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataset import api
from dataset.cli import cli
from test_validate_helpers import Err, find_row, matches, problems_of, read_rows, write_rows

LINKS = "data/claim_links.csv"


def _validate(pkg: Path) -> tuple[int, list[Err], str]:
    result = CliRunner().invoke(cli, ["validate", str(pkg), "--format", "json"])
    assert "Traceback" not in result.output
    report = json.loads(result.stdout) if result.stdout.strip().startswith("{") else {"problems": []}
    return result.exit_code, problems_of(report), result.output


def _row_where(pkg: Path, **values: str) -> int:
    return find_row(pkg, "claim_links", lambda r: all(r[k] == v for k, v in values.items()))


def _add_link(pkg: Path, **cells: str) -> int:
    """Append a link (cells by column name; the rest empty); return its spreadsheet row."""
    rows = read_rows(pkg, "claim_links")
    header = rows[0]
    rows.append([cells.get(c, "") for c in header])
    write_rows(pkg, "claim_links", rows)
    return len(rows)


def _copy_of(pkg: Path, row: int, **changes: str) -> int:
    """Append a copy of link ROW with CHANGES (a fresh id unless given); return the new row."""
    rows = read_rows(pkg, "claim_links")
    header = rows[0]
    cells = dict(zip(header, rows[row - 1], strict=True))
    cells["id"] = cells["id"] + "-copy"
    cells.update(changes)
    return _add_link(pkg, **cells)


def _any_link(pkg: Path, relation: str) -> int:
    return _row_where(pkg, relation=relation)


def missing_end(pkg: Path) -> list[Err]:
    row = _copy_of(pkg, _any_link(pkg, "contradicts"), to_id="no-such-figure")
    return [Err(LINKS, row, "to_id", "link-end-missing", "no-such-figure")]


def end_in_wrong_table(pkg: Path) -> list[Err]:
    """An id that exists, but in another table than the one named, is a missing end."""
    row = _any_link(pkg, "same-event-as")
    event = read_rows(pkg, "claim_links")[row - 1][read_rows(pkg, "claim_links")[0].index("from_id")]
    new = _copy_of(pkg, row, from_table="statements", to_id=event, to_table="events", from_id=event)
    # same row twice is a self-link only if the tables agree: here they do not
    return [
        Err(LINKS, new, "from_id", "link-end-missing", event),
        Err(LINKS, new, "from_table", "link-ends-kind", "statements"),
    ]


def self_link(pkg: Path) -> list[Err]:
    row = _any_link(pkg, "corroborates")
    rows = read_rows(pkg, "claim_links")
    cells = dict(zip(rows[0], rows[row - 1], strict=True))
    new = _copy_of(pkg, row, to_table=cells["from_table"], to_id=cells["from_id"])
    return [Err(LINKS, new, "to_id", "link-self")]


def duplicate_same_direction(pkg: Path) -> list[Err]:
    row = _any_link(pkg, "updates")
    new = _copy_of(pkg, row)
    return [Err(LINKS, new, "to_id", "link-duplicate")]


def duplicate_reversed_symmetric(pkg: Path) -> list[Err]:
    """`contradicts` reads both ways: B contradicts A repeats A contradicts B."""
    row = _any_link(pkg, "contradicts")
    rows = read_rows(pkg, "claim_links")
    c = dict(zip(rows[0], rows[row - 1], strict=True))
    new = _copy_of(
        pkg, row, from_table=c["to_table"], from_id=c["to_id"], to_table=c["from_table"], to_id=c["from_id"]
    )
    return [Err(LINKS, new, "to_id", "link-duplicate")]


def updates_backwards(pkg: Path) -> list[Err]:
    """Swapping an `updates` link's ends makes it run from the earlier report to the later one."""
    row = _any_link(pkg, "updates")
    rows = read_rows(pkg, "claim_links")
    header = rows[0]
    c = dict(zip(header, rows[row - 1], strict=True))
    figures = {r[0]: r for r in read_rows(pkg, "figures")[1:]}
    date = read_rows(pkg, "figures")[0].index("date")
    assert figures[c["from_id"]][date] > figures[c["to_id"]][date]  # the curated link runs later -> earlier
    c["from_id"], c["to_id"] = c["to_id"], c["from_id"]
    rows[row - 1] = [c[h] for h in header]
    write_rows(pkg, "claim_links", rows)
    return [Err(LINKS, row, "from_id", "link-backwards", c["from_id"])]


def responds_to_between_events(pkg: Path) -> list[Err]:
    row = _any_link(pkg, "same-event-as")
    new = _copy_of(pkg, row, relation="responds-to", certainty="evident")
    return [
        Err(LINKS, new, "from_table", "link-ends-kind", "events"),
        Err(LINKS, new, "to_table", "link-ends-kind", "events"),
        Err(LINKS, new, "to_id", "link-duplicate"),
    ]


def same_event_marked_evident(pkg: Path) -> list[Err]:
    row = _any_link(pkg, "same-event-as")
    rows = read_rows(pkg, "claim_links")
    rows[row - 1][rows[0].index("certainty")] = "evident"
    write_rows(pkg, "claim_links", rows)
    return [Err(LINKS, row, "certainty", "link-same-event-probable", "evident")]


def source_left_out(pkg: Path) -> list[Err]:
    """A link must cite every source its two rows rest on."""
    row = find_row(pkg, "claim_links", lambda r: ";" in r["source_ids"])
    rows = read_rows(pkg, "claim_links")
    i = rows[0].index("source_ids")
    kept = rows[row - 1][i].split(";")[:-1]
    rows[row - 1][i] = ";".join(kept)
    write_rows(pkg, "claim_links", rows)
    return [Err(LINKS, row, "source_ids", "link-sources", ";".join(kept))]


def unknown_relation(pkg: Path) -> list[Err]:
    """The vocabulary is closed (the descriptor's enum)."""
    row = _any_link(pkg, "corroborates")
    rows = read_rows(pkg, "claim_links")
    rows[row - 1][rows[0].index("relation")] = "supports"
    write_rows(pkg, "claim_links", rows)
    return [Err(LINKS, row, "relation", "enum", "supports")]


CASES: list[Callable[[Path], list[Err]]] = [
    missing_end,
    end_in_wrong_table,
    self_link,
    duplicate_same_direction,
    duplicate_reversed_symmetric,
    updates_backwards,
    responds_to_between_events,
    same_event_marked_evident,
    source_left_out,
    unknown_relation,
]


@pytest.mark.parametrize("make", CASES, ids=[c.__name__ for c in CASES])
def test_broken_link_is_reported(make: Callable[[Path], list[Err]], package_copy: Path) -> None:
    """Each broken link gets exactly its problems, naming file, row and column, and exit code 1."""
    expected = make(package_copy)
    code, errors, output = _validate(package_copy)
    assert code == 1, output
    assert matches(errors, expected), errors


def test_a_link_to_a_removed_row_is_reported(package_copy: Path) -> None:
    """Removing a linked figure leaves the link dangling: validate names the link's row and column."""
    rows = read_rows(package_copy, "claim_links")
    header = rows[0]
    row = _any_link(package_copy, "contradicts")
    link = dict(zip(header, rows[row - 1], strict=True))
    table = read_rows(package_copy, link["to_table"])
    write_rows(package_copy, link["to_table"], [r for r in table if r[0] != link["to_id"]])
    code, errors, _ = _validate(package_copy)
    assert code == 1
    assert Err(LINKS, row, "to_id", "link-end-missing", link["to_id"]) in errors


def test_the_curated_links_hold(repo_root: Path) -> None:
    """The bundled links: each end exists in its table, and the disagreements named in issue 20 are linked."""
    tables = api.load(repo_root, validate=False)
    links = tables["claim_links"]
    for side in ("from", "to"):
        for table, rid in zip(links[f"{side}_table"], links[f"{side}_id"], strict=True):
            assert rid in set(tables[table]["id"]), (table, rid)
    pairs = {frozenset((f, t)) for f, t in zip(links["from_id"], links["to_id"], strict=True)}
    figures = tables["figures"].set_index("id")
    nine = figures[(figures["value"] == 9) & (figures["measure"] == "detained")].index
    eight = figures[(figures["value"] == 8) & (figures["measure"] == "suspects-in-custody")].index
    assert any(frozenset((a, b)) in pairs for a in nine for b in eight)
    bounds = figures[
        (figures["measure"] == "pre-trial-detention-term")
        & (figures["source_id"] == "ap-insight-sputnik-arrests")
    ]
    assert set(bounds["value_qualifier"]) >= {"at-least", "up-to"}
    assert frozenset(bounds.index[:2]) in pairs
    same = links[links["relation"] == "same-event-as"]
    assert len(same) and set(same["certainty"]) == {"probable"}
    assert (links["reason"].str.len() > 40).all()
