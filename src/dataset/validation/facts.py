"""Facts across tables: dates against the sources' publication, releases after detentions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow
import pyarrow.compute as pc

from ..dates import date_end, date_start, start_of, valid_dates
from ..descriptor import Table
from ..domain import (
    CLAIM_TABLES,
    DATE,
    EVENT_TYPE,
    EVENTS_TABLE,
    OPENS_CUSTODY,
    PERSON_IDS,
    PUBLISHED,
    RELEASE_TYPES,
    SOURCE_ID,
    SOURCES_TABLE,
)
from ..read import RawTable
from ..report import Problem
from ..rules import (
    DATE_AFTER_PUBLICATION,
    DATE_OUTSIDE_SOURCES,
    RELEASE_BEFORE_DETENTION,
    RELEASE_WITHOUT_DETENTION,
)
from .arrow import Encoded, arrow_strings, encoded, positions, true_rows
from .values import STRING_TYPES


class _Dates:
    """One date column: which cells are partial ISO dates, and the first day each can mean.

    Both are worked out once per distinct value (dates repeat a lot) with the same pandas
    calls as `valid_dates` and `date_start`, then spread back to the rows.
    """

    def __init__(self, coded: Encoded) -> None:
        self.coded = coded
        distinct = pd.Series(coded.values.to_pylist(), dtype="string")
        valid = valid_dates(distinct)
        starts = pd.Series(pd.NA, index=distinct.index, dtype="string")
        starts[valid.index] = date_start(valid)
        self.start_of_code = pyarrow.array(
            starts.to_numpy(dtype=object, na_value=None), type=pyarrow.string()
        )
        self.valid_code = np.zeros(len(distinct) + 1, dtype=bool)  # the spare last slot: missing (-1)
        self.valid_code[valid.index.to_numpy()] = True

    def valid(self) -> np.ndarray:
        """Positions of the cells that hold a partial ISO date."""
        return np.flatnonzero(self.valid_code[self.coded.codes])

    def start(self, positions: np.ndarray) -> pyarrow.Array:
        return self.start_of_code.take(pyarrow.array(self.coded.codes[positions]))

    def text_at(self, position: int) -> str:
        return str(self.coded.values[int(self.coded.codes[position])].as_py())

    def latest(self, positions: np.ndarray) -> str | None:
        """The greatest of the dates at POSITIONS, compared as text (as `Series.max` does)."""
        if not positions.size:
            return None
        used = np.unique(self.coded.codes[positions])
        return max(self.coded.values.take(pyarrow.array(used)).to_pylist())


def published_dates(frames: dict[str, RawTable]) -> pd.DataFrame:
    """Publication dates by source id: as printed, and the last day they can mean."""
    raw = frames.get(SOURCES_TABLE)
    if raw is None or raw.frame is None or not {SOURCE_ID, PUBLISHED} <= set(raw.frame.columns):
        return pd.DataFrame({"printed": pd.Series(dtype="string"), "end": pd.Series(dtype="string")})
    pub = raw.frame[[SOURCE_ID, PUBLISHED]].dropna()
    dates = valid_dates(pub[PUBLISHED])
    ids = pub.loc[dates.index, "id"].to_numpy()
    table = pd.DataFrame({"printed": dates.to_numpy(), "end": date_end(dates).to_numpy()}, index=ids)
    return table[~table.index.duplicated()].astype("string")


def cross_table_problems(frames: dict[str, RawTable], published: pd.DataFrame | None = None) -> list[Problem]:
    """Facts that must hold across tables: dates vs publication, releases after detentions.

    PUBLISHED (from `_published`) may be given when the sources table is no longer in FRAMES.
    """
    problems: list[Problem] = []
    published = published_dates(frames) if published is None else published
    for name in CLAIM_TABLES:
        raw = frames.get(name)
        if raw is not None:
            problems.extend(table_facts(raw, published))
    return problems


def citing_field(table: Table) -> str | None:
    """The field by which TABLE cites the sources table (a foreign key or list field), per the descriptor."""
    for fk in table.foreign_keys:
        if fk.resource == SOURCES_TABLE and len(fk.fields) == 1:
            return fk.fields[0]
    return None


def table_facts(raw: RawTable, published: pd.DataFrame) -> list[Problem]:
    """The cross-table facts one table must keep, given the publication dates of the sources.

    They apply to the tables that have dates and cite sources (which field cites them is read
    from the descriptor's foreign keys).
    """
    source_field = citing_field(raw.table)
    if source_field is None or "date" not in raw.table.field_names or raw.frame is None:
        return []
    problems: list[Problem] = []
    latest = published["end"].max() if not published.empty else None
    dates = _Dates(encoded(raw, "date")) if "date" in raw.frame.columns else None
    if not published.empty and source_field in raw.frame.columns:
        # a span's end too: a source cannot report the end of what had not ended when it appeared
        for column in ("date", "end_date"):
            if column in raw.frame.columns:
                found = dates if column == "date" else _Dates(encoded(raw, column))
                assert found is not None
                problems.extend(_after_publication(raw, source_field, published, found, column))
    if latest is not None and not pd.isna(latest):
        problems.extend(_after_all_sources(raw, str(latest), dates))
    if raw.table.name == EVENTS_TABLE:
        problems.extend(_release_after_detention({EVENTS_TABLE: raw}))
    return problems


def _after_publication(
    raw: RawTable, source_field: str, published: pd.DataFrame, dates: _Dates, column: str = "date"
) -> list[Problem]:
    """A date (of COLUMN) that certainly lies after the publication of a source the row cites."""
    assert raw.frame is not None
    valid = dates.valid()
    latest = dates.latest(valid)
    if latest is None or start_of(latest) <= str(published["end"].min()):
        return []  # the latest date is before every publication: nothing to report
    cited = encoded(raw, source_field)
    codes = cited.codes[valid]
    valid, codes = valid[codes >= 0], codes[codes >= 0]
    lists = pc.split_pattern(cited.values, ";")
    items = pc.list_flatten(lists).cast(pyarrow.string())
    parents = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)
    ids = pyarrow.array(published.index.to_numpy(dtype=object), type=pyarrow.string())
    ends = pyarrow.array(published["end"].to_numpy(dtype=object, na_value=None), type=pyarrow.string())
    end = ends.take(pc.index_in(items, value_set=ids))
    # the earliest end among each distinct source list: a row is late for some source only past it
    earliest = (
        pyarrow.table({"list": parents, "end": end})
        .group_by("list", use_threads=False)
        .aggregate([("end", "min")])
    )
    bound = pyarrow.nulls(len(cited.values), pyarrow.string()).to_numpy(zero_copy_only=False).astype(object)
    bound[earliest["list"].to_numpy()] = earliest["end_min"].to_numpy(zero_copy_only=False)
    start = dates.start(valid)
    late_bound = pyarrow.array(bound, type=pyarrow.string()).take(pyarrow.array(codes))
    suspect = np.flatnonzero(true_rows(pc.greater(start, late_bound)))
    by_list: dict[int, list[tuple[str, str | None]]] = {}
    for i in np.flatnonzero(np.isin(parents, np.unique(codes[suspect]))):
        by_list.setdefault(int(parents[i]), []).append((items[int(i)].as_py(), end[int(i)].as_py()))
    problems = []
    for i in suspect:
        row_start = start[int(i)].as_py()
        for source, source_end in by_list.get(int(codes[i]), []):
            if source_end is not None and row_start > source_end:
                printed = published.at[source, "printed"]
                problems.append(
                    Problem(
                        raw.file,
                        int(raw.frame.index[valid[i]]),
                        column,
                        DATE_AFTER_PUBLICATION,
                        f"the {column.replace('_', ' ')} is after the publication date ({printed}) of cited source {source!r}",
                        value=dates.text_at(int(valid[i])),
                    )
                )
    return problems


def _after_all_sources(raw: RawTable, latest: str, dates: _Dates | None = None) -> list[Problem]:
    """A date that certainly lies after the latest publication of all sources."""
    assert raw.frame is not None
    problems: list[Problem] = []
    for column in ("date", "end_date"):
        if column not in raw.frame.columns:
            continue
        values = dates if column == "date" and dates is not None else _Dates(encoded(raw, column))
        valid = values.valid()
        newest = values.latest(valid)
        if newest is None or start_of(newest) <= latest:
            continue  # padding keeps the order of partial dates, so the latest one decides
        after = valid[true_rows(pc.greater(values.start(valid), pyarrow.scalar(latest, pyarrow.string())))]
        problems.extend(
            Problem(
                raw.file,
                int(raw.frame.index[i]),
                column,
                DATE_OUTSIDE_SOURCES,
                f"the date is after the latest publication date of all sources ({latest})",
                value=values.text_at(int(i)),
            )
            for i in after
        )
    return problems


def _release_after_detention(frames: dict[str, RawTable]) -> list[Problem]:
    """A release must have a detention (or arrest) of the same person, not later than the release."""
    raw = frames.get(EVENTS_TABLE)
    if raw is None or raw.frame is None or not {EVENT_TYPE, PERSON_IDS, DATE} <= set(raw.frame.columns):
        return []
    kinds = arrow_strings(raw.frame["event_type"])
    relevant = positions(pc.is_in(kinds, value_set=pyarrow.array([*OPENS_CUSTODY, *RELEASE_TYPES])))
    if not relevant.size:
        return []
    ev = raw.frame[[EVENT_TYPE, PERSON_IDS, DATE]].iloc[relevant].dropna()
    ev = ev.loc[valid_dates(ev[DATE]).index]
    # one row per person named (as `.str.split(";").explode()` gives, row labels repeated)
    lists = pc.split_pattern(arrow_strings(ev[PERSON_IDS]), ";")
    parents = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False)
    named = pd.Series(pc.list_flatten(lists).to_pandas(types_mapper=STRING_TYPES.get), dtype="string")
    ev = ev.iloc[parents].assign(person=named.to_numpy(dtype=object))
    ev = ev[ev["person"].notna() & (ev["person"] != "")]
    detentions = ev[ev[EVENT_TYPE].isin(OPENS_CUSTODY)]
    first = date_start(detentions[DATE]).groupby(detentions["person"]).min()
    releases = ev[ev[EVENT_TYPE].isin(RELEASE_TYPES)]
    if releases.empty:
        return []
    first_of = releases["person"].map(first)
    problems = []
    for row, person in releases.loc[first_of.isna(), "person"].items():
        problems.append(
            Problem(
                raw.file,
                int(row),
                "person_ids",
                RELEASE_WITHOUT_DETENTION,
                f"release of {person!r}, but no detention or arrest event names them",
                value=str(person),
            )
        )
    known = first_of.notna()
    early = releases[known][
        (date_end(releases.loc[known, DATE]) < first_of[known]).fillna(False).astype(bool)
    ]
    for row, item in early.iterrows():
        problems.append(
            Problem(
                raw.file,
                int(row),
                "date",
                RELEASE_BEFORE_DETENTION,
                f"release of {item['person']!r} is dated before their first detention ({first[item['person']]})",
                value=str(item[DATE]),
            )
        )
    return problems
