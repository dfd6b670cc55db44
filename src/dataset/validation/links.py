"""The facts a table of links between claims (`claim_links`) must keep against the rows it links.

A link joins two rows of the linkable tables (events, statements, figures) named by
`from_table`/`from_id` and `to_table`/`to_id`. A foreign key of Table Schema cannot say
"an id of the table named in this other column", so these checks stand in for one, and add
what a reader of the link relies on: no self-links, one link per pair, the relation fits the
rows it joins, directed relations run from the later row to the earlier, `same-event-as` is
never more than probable, and the link cites every source its two rows rest on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..descriptor import Descriptor
from ..read import RawTable
from ..report import Problem
from ..rules import (
    LINK_BACKWARDS,
    LINK_CYCLE,
    LINK_DUPLICATE,
    LINK_END_MISSING,
    LINK_ENDS_KIND,
    LINK_SAME_EVENT_PROBABLE,
    LINK_SELF,
    LINK_SOURCES,
    LINK_UPDATE_UNIT,
)

LINK_TABLE = "claim_links"
#: Relations that read the same both ways: A–B and B–A are one pair.
SYMMETRIC = frozenset({"contradicts", "corroborates", "same-event-as"})
#: Relations whose two ends must both be rows of one table.
ENDS_IN = {"updates": "figures", "responds-to": "statements", "same-event-as": "events"}
#: Relations that run from the later row (`from`) to the earlier one (`to`).
LATER_FIRST = frozenset({"updates", "responds-to"})
#: The only certainty a `same-event-as` link may have: no text says the two are one event.
SAME_EVENT_CERTAINTY = "probable"
END_COLUMNS = ("id", "date", "end_date")
#: The column naming what a figure counts in: an `updates` link joins two figures of one unit.
UNIT_COLUMN = "unit"
LINK_COLUMNS = ("from_table", "from_id", "relation", "to_table", "to_id", "certainty", "source_ids")


def linkable(desc: Descriptor) -> tuple[str, ...]:
    """The tables a link may point into: the vocabulary of `from_table`, per the descriptor."""
    table = desc.tables.get(LINK_TABLE)
    field = next((f for f in table.fields if f.name == "from_table"), None) if table else None
    return tuple(field.enum or ()) if field is not None else ()


def _citing(desc: Descriptor, name: str) -> str | None:
    from .facts import citing_field

    return citing_field(desc.tables[name]) if name in desc.tables else None


def kept_columns(desc: Descriptor) -> dict[str, set[str]]:
    """Columns each table must keep, after its own checks, for the link checks to run at the end."""
    if LINK_TABLE not in desc.tables:
        return {}
    keep = {LINK_TABLE: set(LINK_COLUMNS)}
    for name in linkable(desc):
        cite = _citing(desc, name)
        table = desc.tables.get(name)
        units = {UNIT_COLUMN} if table is not None and UNIT_COLUMN in table.field_names else set()
        keep[name] = set(END_COLUMNS) | units | ({cite} if cite else set())
    return keep


@dataclass(frozen=True)
class _End:
    """What a link needs to know of a linked row: its dates, the sources it cites, its unit."""

    start: str | None
    end: str | None
    sources: frozenset[str]
    unit: str | None = None


def _text(value: Any) -> str | None:
    return None if value is None or pd.isna(value) or value == "" else str(value)


def _ends(
    frames: dict[str, RawTable], desc: Descriptor, wanted: dict[str, set[str]]
) -> dict[tuple[str, str], _End]:
    """The linked rows that exist, by (table, id); only the ids in WANTED are looked at."""
    from ..dates import date_end, date_start

    found: dict[tuple[str, str], _End] = {}
    for name, ids in wanted.items():
        raw = frames.get(name)
        if raw is None or raw.frame is None or "id" not in raw.frame.columns:
            continue
        rows = raw.frame[raw.frame["id"].isin(ids)]
        cite = _citing(desc, name)
        dates = rows["date"] if "date" in rows.columns else pd.Series(pd.NA, index=rows.index, dtype="string")
        last = rows["end_date"].fillna(dates) if "end_date" in rows.columns else dates
        starts, ends = _safe(date_start, dates), _safe(date_end, last)
        for row, rid in rows["id"].items():
            cited = _text(rows.at[row, cite]) if cite and cite in rows.columns else None
            unit = _text(rows.at[row, UNIT_COLUMN]) if UNIT_COLUMN in rows.columns else None
            found[(name, str(rid))] = _End(
                _text(starts.get(row)), _text(ends.get(row)), frozenset((cited or "").split(";")) - {""}, unit
            )
        for rid in raw.salvaged.get("id", set()):  # left out for a fault already reported: it exists
            found.setdefault((name, rid), _End(None, None, frozenset()))
    return found


def _safe(func: Any, dates: pd.Series) -> pd.Series:
    """FUNC (date_start or date_end) of the well-formed DATES; malformed ones are left out (reported elsewhere)."""
    from ..dates import valid_dates

    valid = valid_dates(dates.dropna())
    return func(valid) if len(valid) else pd.Series(dtype="string")


def _all_ids_known(raw: RawTable | None) -> bool:
    """True when every row's id of RAW is known: a table read in part, or with a row missing its
    id, cannot tell a dangling link from one to the damaged row (its own problems say why)."""
    if raw is None or raw.frame is None or not raw.complete or "id" not in raw.frame.columns:
        return False
    return not raw.frame["id"].isna().any()


def link_problems(frames: dict[str, RawTable], desc: Descriptor) -> list[Problem]:
    """Every broken link of the links table in FRAMES, each naming its file, row and column."""
    raw = frames.get(LINK_TABLE)
    if raw is None or raw.frame is None or not set(LINK_COLUMNS) <= set(raw.frame.columns):
        return []
    links = raw.frame
    tables = set(linkable(desc))
    wanted: dict[str, set[str]] = {name: set() for name in tables}
    for side in ("from", "to"):
        for table, rid in zip(links[f"{side}_table"], links[f"{side}_id"], strict=True):
            if _text(table) in wanted and _text(rid):
                wanted[str(table)].add(str(rid))
    ends = _ends(frames, desc, wanted)
    readable = {n for n in tables if _all_ids_known(frames.get(n))}
    problems: list[Problem] = []
    seen: dict[tuple[str, ...], int] = {}
    for row, link in links.iterrows():
        problems.extend(_check_link(raw.file, int(row), link, ends, readable, seen))
    problems.extend(_cycle_problems(raw.file, links))
    return problems


def _cycle_problems(file: str, links: pd.DataFrame) -> list[Problem]:
    """A directed relation (`updates`, `responds-to`) runs from the later row to the earlier, so its
    links can never come back to where they started: each link that closes a cycle is named."""
    out: list[Problem] = []
    for relation in sorted(LATER_FIRST):
        edges: dict[tuple[str, str], list[tuple[tuple[str, str], int]]] = {}
        for row, link in links[links["relation"] == relation].iterrows():
            a = (_text(link["from_table"]), _text(link["from_id"]))
            b = (_text(link["to_table"]), _text(link["to_id"]))
            if None not in (*a, *b) and a != b:  # a self-link is `link-self`
                edges.setdefault(a, []).append((b, int(row)))  # type: ignore[arg-type]
        for row, start in _closing_links(edges):
            out.append(
                Problem(
                    file,
                    row,
                    "to_id",
                    LINK_CYCLE,
                    f"'{relation}' links lead from this row back to {start[0]}/{start[1]}: each runs from "
                    "the later row to the earlier, which a cycle cannot; remove or turn one of them",
                    value=f"{start[0]}/{start[1]}",
                )
            )
    return out


def _closing_links(
    edges: dict[tuple[str, str], list[tuple[tuple[str, str], int]]],
) -> Iterator[tuple[int, tuple[str, str]]]:
    """(row, end) of each link that closes a cycle of EDGES: a depth-first walk, without recursion."""
    state: dict[tuple[str, str], bool] = {}  # False: on the current path; True: done
    for first in edges:
        if first in state:
            continue
        state[first] = False
        stack = [iter(edges[first])]
        path = [first]
        while stack:
            for node, row in stack[-1]:
                if node not in state:
                    state[node] = False
                    stack.append(iter(edges.get(node, ())))
                    path.append(node)
                    break
                if state[node] is False:
                    yield row, node
            else:
                state[path.pop()] = True
                stack.pop()


def _check_link(
    file: str,
    row: int,
    link: pd.Series,
    ends: dict[tuple[str, str], _End],
    readable: set[str],
    seen: dict[tuple[str, ...], int],
) -> list[Problem]:
    """The problems of one link (spreadsheet ROW of FILE); SEEN collects the pairs linked so far."""
    v = {name: _text(link.get(name)) for name in LINK_COLUMNS}
    if not all(v[c] for c in ("from_table", "from_id", "to_table", "to_id", "relation")):
        return []  # a required cell is empty: reported by the schema check
    out: list[Problem] = []
    a, b = (str(v["from_table"]), str(v["from_id"])), (str(v["to_table"]), str(v["to_id"]))
    for side, end in (("from", a), ("to", b)):
        if end[0] in readable and end not in ends:
            out.append(
                Problem(
                    file,
                    row,
                    f"{side}_id",
                    LINK_END_MISSING,
                    f"no row with this id in {end[0]}",
                    value=end[1],
                )
            )
    if a == b:
        return [
            *out,
            Problem(
                file,
                row,
                "to_id",
                LINK_SELF,
                "the link points back at the row it starts from",
                value=f"{a[0]}/{a[1]}",
            ),
        ]
    relation = str(v["relation"])
    pair = (*sorted((a, b)),) if relation in SYMMETRIC else (a, b)
    key = tuple(x for end in pair for x in end)
    earlier = seen.get(key) or seen.get((*b, *a))
    if earlier is not None:
        out.append(
            Problem(
                file,
                row,
                "to_id",
                LINK_DUPLICATE,
                f"{a[0]}/{a[1]} and {b[0]}/{b[1]} are already linked in row {earlier}",
                value=f"{b[0]}/{b[1]}",
            )
        )
    else:
        seen[key] = row
    out.extend(_relation_problems(file, row, relation, v, a, b, ends))
    return out


def _relation_problems(
    file: str,
    row: int,
    relation: str,
    v: dict[str, str | None],
    a: tuple[str, str],
    b: tuple[str, str],
    ends: dict[tuple[str, str], _End],
) -> list[Problem]:
    """What the relation demands of its ends: their table, their order in time, the certainty, the sources."""
    out: list[Problem] = []
    table = ENDS_IN.get(relation)
    for side, end in (("from", a), ("to", b)):
        if table is not None and end[0] != table:
            out.append(
                Problem(
                    file,
                    row,
                    f"{side}_table",
                    LINK_ENDS_KIND,
                    f"'{relation}' links two rows of {table}",
                    value=end[0],
                )
            )
    if relation == "same-event-as" and v["certainty"] not in (None, SAME_EVENT_CERTAINTY):
        out.append(
            Problem(
                file,
                row,
                "certainty",
                LINK_SAME_EVENT_PROBABLE,
                f"'same-event-as' is always '{SAME_EVENT_CERTAINTY}': no text says the two are one event",
                value=v["certainty"],
            )
        )
    first, second = ends.get(a), ends.get(b)
    if relation == "updates" and first and second:
        out.extend(_unit_problems(file, row, a[1], b[1], first, second))
    if (
        relation in LATER_FIRST
        and first
        and second
        and first.end
        and second.start
        and first.end < second.start
    ):
        out.append(
            Problem(
                file,
                row,
                "from_id",
                LINK_BACKWARDS,
                f"'{relation}' runs from the later row to the earlier one, but {a[1]!r} is dated "
                f"before {b[1]!r} (its latest possible day {first.end} < {second.start}): swap from and to",
                value=a[1],
            )
        )
    if first and second and v["source_ids"]:
        cited = set(str(v["source_ids"]).split(";"))
        missing = sorted((first.sources | second.sources) - cited)
        if missing:
            out.append(
                Problem(
                    file,
                    row,
                    "source_ids",
                    LINK_SOURCES,
                    f"the link does not cite {', '.join(map(repr, missing))}, which a linked row cites",
                    value=v["source_ids"],
                )
            )
    return out


def _unit_problems(file: str, row: int, newer: str, older: str, first: _End, second: _End) -> list[Problem]:
    """An `updates` link revises a count by a later one of the same thing: two units cannot be one count."""
    if not first.unit or not second.unit or first.unit == second.unit:
        return []
    message = f"'updates' joins two counts of one unit, but {newer!r} counts {first.unit} and {older!r} {second.unit}"
    return [Problem(file, row, "to_id", LINK_UPDATE_UNIT, message, value=older)]
