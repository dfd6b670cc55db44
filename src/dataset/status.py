"""Where each detained person stands: held, released, dead, or unknown after a date, per whom.

Derived from the tables on every call, never kept by hand. A person's legal path is the events
that name them and whose type is a step in `stages.LEGAL_PATH` (detained, charged, arrest
ordered, custody extended, consular visit, released, returned, dead in custody), in date order,
each with the figures that belong to the event (the pre-trial terms). Their status is the
custody state of the last step that changed it, read as of the latest source that mentions them
(in `persons.source_ids` or in a row that names them): a person last shown in custody whom a
later source mentions without saying they are still held is "unknown after" the last date they
were shown held.

Groups that the sources count but do not name (the 11 Russians still held in Baku) get the same
view from `figures`: a figure counts an unnamed group when its `unit` is `persons`, its
`measure` is a custody measure (`stages.GROUP_MEASURES`: held, detained, released, ...), and its
`value` is larger than the number of people it (or, without `person_ids`, its event) names. The
figures of one `event_id` are one group; its path is the event and the counts in date order.

    import dataset
    for s in dataset.person_status():
        print(s.id, s.status, s.since, "as of", s.as_of, "per", s.source_ids)
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

import pandas as pd

from .dates import parse_date
from .errors import DatasetError
from .stages import CUSTODY_TYPES, GROUP_MEASURES, LEGAL_PATH, PERSONS_UNIT

Tables = Mapping[str, pd.DataFrame]

#: The tables the view reads (statements are read when present, for the sources that mention a person).
READS = ("sources", "persons", "events", "figures")
PathLike = str | os.PathLike[str] | None

#: Order of a figure's step among the events of the same date (after them).
_FIGURE_RANK = 10


class UnknownPersonError(DatasetError, LookupError):
    """A name or id matches no detained person and no group."""


@dataclass(frozen=True)
class Count:
    """A figure attached to a step: how many people, or how many months, and per which source."""

    figure_id: str
    measure: str
    value: int | None
    value_qualifier: str | None
    unit: str
    counted: str | None
    source_id: str


@dataclass(frozen=True)
class Step:
    """One step on a legal path, dated as its row is (partial dates stay partial)."""

    stage: str
    state: str | None
    date: str | None
    end_date: str | None
    date_precision: str | None
    date_qualifier: str | None
    event_id: str | None
    event_type: str | None
    summary: str | None
    source_ids: tuple[str, ...]
    figures: tuple[Count, ...] = ()
    rank: int = field(default=0, repr=False, compare=False)

    @property
    def when(self) -> str:
        """The date as words: `2025-07`, `2025-06-30..2025-07-01 (span)`, `2025-06-30 (not-before)`."""
        text = self.date or "undated"
        if self.end_date:
            text += f"..{self.end_date}"
        if self.date_qualifier and self.date_qualifier != "on":
            text += f" ({self.date_qualifier})"
        return text

    @property
    def all_source_ids(self) -> tuple[str, ...]:
        """The step's sources and those of its figures, each once."""
        return _unique([*self.source_ids, *(c.source_id for c in self.figures)])


@dataclass(frozen=True)
class Standing:
    """Where one person (or one counted group) stands, as of the latest source, and the path there.

    `since` is the date of the step that set the status (for "unknown": the last date they were
    shown held); `source_ids` are the sources of that step ("per whom"); `as_of` is the
    publication date of the latest dated source that mentions them (`as_of_source_ids`).
    """

    kind: str  # "person" or "group"
    id: str
    name_latin: str | None
    name_cyrillic: str | None
    status: str
    since: str | None
    since_precision: str | None
    since_qualifier: str | None
    source_ids: tuple[str, ...]
    as_of: str | None
    as_of_source_ids: tuple[str, ...]
    count: int | None
    count_qualifier: str | None
    steps: tuple[Step, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (lists for tuples)."""
        return _jsonable(asdict(self))


# --------------------------------------------------------------------------- reading the tables


def _jsonable(value: Any) -> Any:
    """Lists for tuples; a step's `rank` (only a sort key) left out."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items() if k != "rank"}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values, missing cells as None."""
    out = []
    for record in frame.astype(object).to_dict("records"):
        out.append({k: (None if v is None or v is pd.NA or v != v else v) for k, v in record.items()})
    return out


def _ids(text: Any) -> list[str]:
    return [i for i in str(text).split(";") if i] if text else []


def _published(tables: Tables) -> dict[str, pd.Timestamp]:
    """source id -> its publication day; sources without one (AP Insight) are left out."""
    sources = tables["sources"]
    days = parse_date(sources["published"])
    return {sid: day for sid, day in zip(sources["id"], days, strict=True) if not pd.isna(day)}


@lru_cache(maxsize=4096)
def _span(date: str | None, end_date: str | None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Start and end of a partial date (and its end date); unknown dates sort last."""
    if not date:
        return pd.Timestamp.max, pd.Timestamp.max
    start = parse_date(pd.Series([date]))[0]
    end = parse_date(pd.Series([end_date or date]), how="end")[0]
    return (pd.Timestamp.max if pd.isna(start) else start), (pd.Timestamp.max if pd.isna(end) else end)


def _count(row: dict[str, Any]) -> Count:
    value = row.get("value")
    return Count(
        figure_id=row["id"],
        measure=str(row["measure"]),
        value=None if value is None else int(value),
        value_qualifier=row.get("value_qualifier"),
        unit=str(row["unit"]),
        counted=row.get("counted"),
        source_id=row["source_id"],
    )


def _event_step(event: dict[str, Any], figures: Sequence[dict[str, Any]]) -> Step:
    stage = LEGAL_PATH.get(str(event["event_type"]))
    return Step(
        stage=stage.label if stage else str(event["event_type"]),
        state=stage.state if stage else None,
        date=event.get("date"),
        end_date=event.get("end_date"),
        date_precision=event.get("date_precision"),
        date_qualifier=event.get("date_qualifier"),
        event_id=event["id"],
        event_type=str(event["event_type"]),
        summary=event.get("summary"),
        source_ids=_unique(_ids(event.get("source_ids"))),
        figures=tuple(_count(f) for f in figures if f.get("event_id") == event["id"]),
        rank=stage.rank if stage else _FIGURE_RANK - 1,
    )


_QUALIFIER_WORDS = {"at-least": "at least ", "up-to": "up to ", "exact": ""}


def _figure_step(figure: dict[str, Any], *, sets_state: bool = True) -> Step:
    """A count as a step: it sets a group's state; on a named person's path it only informs
    (their events give the dates, a count of them is usually coarser: `2025-10`)."""
    words = _QUALIFIER_WORDS.get(str(figure.get("value_qualifier")), "")
    return Step(
        stage=f"{figure['measure']}: {words}{figure.get('value')} {figure['unit']}",
        state=GROUP_MEASURES.get(str(figure["measure"])) if sets_state else None,
        date=figure.get("date"),
        end_date=figure.get("end_date"),
        date_precision=figure.get("date_precision"),
        date_qualifier=figure.get("date_qualifier"),
        event_id=figure.get("event_id"),
        event_type=None,
        summary=figure.get("counted"),
        source_ids=(figure["source_id"],),
        figures=(_count(figure),),
        rank=_FIGURE_RANK,
    )


def _in_order(steps: Iterable[Step]) -> tuple[Step, ...]:
    """Date order where the dates decide, the order of the stages where they do not.

    A step comes before another when its latest possible day is before the other's first (the
    rule validate's `release-before-detention` reads too); steps whose periods overlap (a release
    known only by its year and the detention that day) are put in stage order, then by start and
    end. A walk over the steps by first day: each time, of the steps that no remaining step is
    certainly before, the first in stage order goes next.
    """
    items = [(*_span(s.date, s.end_date), s.rank, i, s) for i, s in enumerate(steps)]
    by_start = sorted(items, key=lambda t: (t[0], t[3]))
    ends = [(t[1], t[3]) for t in items]
    heapq.heapify(ends)
    placed: set[int] = set()
    ready: list[tuple[int, pd.Timestamp, pd.Timestamp, int]] = []
    ordered: list[Step] = []
    nxt = 0
    while len(ordered) < len(items):
        while ends[0][1] in placed:
            heapq.heappop(ends)
        while nxt < len(by_start) and by_start[nxt][0] <= ends[0][0]:
            start, end, rank, index, _ = by_start[nxt]
            heapq.heappush(ready, (rank, start, end, index))
            nxt += 1
        index = heapq.heappop(ready)[3]
        placed.add(index)
        ordered.append(items[index][4])
    return tuple(ordered)


# --------------------------------------------------------------------------- the status


def _status_run(steps: Sequence[Step]) -> tuple[str | None, int]:
    """The current custody state and the index of the step that set it (death is final)."""
    state, since = None, -1
    for i, step in enumerate(steps):
        if step.state and step.state != state:
            state, since = step.state, i
        if state == "dead":
            break
    return state, since


def _latest(
    source_ids: Iterable[str], published: Mapping[str, pd.Timestamp]
) -> tuple[str | None, tuple[str, ...]]:
    dated = {s: published[s] for s in _unique(source_ids) if s in published}
    if not dated:
        return None, ()
    newest = max(dated.values())
    return newest.strftime("%Y-%m-%d"), tuple(s for s, d in dated.items() if d == newest)


def _standing(
    kind: str,
    ident: str,
    names: tuple[str | None, str | None],
    steps: tuple[Step, ...],
    mentions: Iterable[str],
    published: Mapping[str, pd.Timestamp],
) -> Standing:
    """The status of one path, read as of the latest source among MENTIONS."""
    state, since = _status_run(steps)
    as_of, as_of_sources = _latest([*mentions, *(s for st in steps for s in st.all_source_ids)], published)
    status, anchor = (state or "unknown"), (steps[since] if since >= 0 else None)
    per = anchor.all_source_ids if anchor else ()
    if state == "held":
        last = [s for s in steps[since:] if s.state == "held"][-1]
        per = last.all_source_ids  # the latest sources that show them held
        shown_until = _span(last.date, last.end_date)[1]
        if as_of is not None and pd.Timestamp(as_of) > shown_until:
            status, anchor = "unknown", last  # a later source does not say they are still held
    counts = [c for s in steps[max(since, 0) :] for c in s.figures if c.unit == PERSONS_UNIT]
    count = counts[-1] if kind == "group" and counts else None
    since_text = None
    if anchor is not None:
        since_text = (anchor.end_date or anchor.date) if status == "unknown" else anchor.date
    return Standing(
        kind=kind,
        id=ident,
        name_latin=names[0],
        name_cyrillic=names[1],
        status=status,
        since=since_text,
        since_precision=anchor.date_precision if anchor else None,
        since_qualifier=anchor.date_qualifier if anchor else None,
        source_ids=per,
        as_of=as_of,
        as_of_source_ids=as_of_sources,
        count=count.value if count else None,
        count_qualifier=count.value_qualifier if count else None,
        steps=steps,
    )


# --------------------------------------------------------------------------- persons


def _mentions(tables: Tables) -> dict[str, list[str]]:
    """person id -> every source that mentions them: their own row, and the rows that name them."""
    found: dict[str, list[str]] = {}

    def add(people: Iterable[str], sources: Iterable[str]) -> None:
        listed = list(sources)
        for person in people:
            found.setdefault(person, []).extend(listed)

    for row in _rows(tables["persons"]):
        add([row["id"]], _ids(row.get("source_ids")))
    for row in _rows(tables["events"]):
        add(_ids(row.get("person_ids")), _ids(row.get("source_ids")))
    for row in _rows(tables["figures"]):
        add(_ids(row.get("person_ids")), [row["source_id"]])
    if "statements" in tables:
        for row in _rows(tables["statements"]):
            speaker = [row["speaker_person_id"]] if row.get("speaker_person_id") else []
            add([*_ids(row.get("about_person_ids")), *speaker], [row["source_id"]])
    return found


def _person_steps(
    events: list[dict[str, Any]], figures: list[dict[str, Any]], person: str
) -> tuple[Step, ...]:
    """PERSON's events on the legal path, with the figures about them (a figure naming only
    others, like a brother's age, stays off), and the counts that name them without an event."""
    theirs = [f for f in figures if not f.get("person_ids") or person in _ids(f.get("person_ids"))]
    steps = [
        _event_step(e, theirs)
        for e in events
        if e["event_type"] in LEGAL_PATH and person in _ids(e.get("person_ids"))
    ]
    steps += [
        _figure_step(f, sets_state=False)
        for f in figures
        if not f.get("event_id") and f["measure"] in GROUP_MEASURES and person in _ids(f.get("person_ids"))
    ]
    return _in_order(steps)


def _load(tables: Tables | None, path: PathLike) -> Tables:
    if tables is not None:
        return tables
    from .api import load

    return load(path)


def person_status(
    tables: Tables | None = None, person: str | None = None, *, path: PathLike = None
) -> list[Standing]:
    """Every person named in a custody event (detention, arrest, release, death in custody...).

    TABLES is `dataset.load()`'s dict (loaded from PATH, or the bundled package, when None).
    PERSON (an id, or part of a name in Latin or Cyrillic letters) keeps the matching ones.
    """
    tables = _load(tables, path)
    events, figures = _rows(tables["events"]), _rows(tables["figures"])
    detained = {p for e in events if e["event_type"] in CUSTODY_TYPES for p in _ids(e.get("person_ids"))}
    published, mentions = _published(tables), _mentions(tables)
    out = []
    for row in _rows(tables["persons"]):
        if row["id"] not in detained:
            continue
        steps = _person_steps(events, figures, row["id"])
        names = (row.get("name_latin"), row.get("name_cyrillic"))
        out.append(_standing("person", row["id"], names, steps, mentions.get(row["id"], []), published))
    return select(out, person) if person else out


# --------------------------------------------------------------------------- groups


def _named(figure: dict[str, Any], events: Mapping[str, dict[str, Any]]) -> int:
    """How many people a figure names: its own person_ids, else its event's."""
    own = _ids(figure.get("person_ids"))
    if own:
        return len(own)
    event = events.get(figure.get("event_id") or "")
    return len(_ids(event.get("person_ids"))) if event else 0


def group_counts(tables: Tables) -> pd.DataFrame:
    """The figures that count people whom the sources do not (all) name: unit `persons`, a
    custody `measure`, and a `value` above the number of people named (see the module doc)."""
    figures = tables["figures"]
    events = {e["id"]: e for e in _rows(tables["events"])}
    keep = [
        row["unit"] == PERSONS_UNIT
        and row["measure"] in GROUP_MEASURES
        and row.get("value") is not None
        and int(row["value"]) > _named(row, events)
        for row in _rows(figures)
    ]
    return figures[pd.Series(keep, index=figures.index, dtype=bool)]


def group_status(
    tables: Tables | None = None, group: str | None = None, *, path: PathLike = None
) -> list[Standing]:
    """Every group of people that a figure counts without naming them all, keyed by the figure's
    event (or the figure itself, without one); GROUP (an id or words of its description) filters."""
    tables = _load(tables, path)
    events = {e["id"]: e for e in _rows(tables["events"])}
    published = _published(tables)
    counted = _rows(group_counts(tables))
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in counted:
        groups.setdefault(row.get("event_id") or row["id"], []).append(row)
    out = []
    for key, rows in groups.items():
        event = events.get(key)
        steps = [_figure_step(r) for r in rows]
        if event is not None:
            steps.append(_event_step(event, []))
        ordered = _in_order(steps)
        label = next((s.summary for s in reversed(ordered) if s.event_type is None), None)
        mentions = [r["source_id"] for r in rows] + (_ids(event.get("source_ids")) if event else [])
        out.append(_standing("group", key, (label, None), ordered, mentions, published))
    return select(out, group) if group else out


# --------------------------------------------------------------------------- selection and table


def standings(tables: Tables | None = None, *, path: PathLike = None) -> list[Standing]:
    """Persons first, then groups."""
    tables = _load(tables, path)
    return person_status(tables) + group_status(tables)


def select(items: Sequence[Standing], name_or_id: str) -> list[Standing]:
    """The standings whose id is NAME_OR_ID, else whose names contain it (any case)."""
    exact = [s for s in items if s.id == name_or_id]
    if exact:
        return exact
    needle = name_or_id.casefold()
    found = [s for s in items if any(needle in (n or "").casefold() for n in (s.name_latin, s.name_cyrillic))]
    if not found:
        known = ", ".join(s.id for s in items) or "none"
        raise UnknownPersonError(f"no detained person or group matches {name_or_id!r}; known ids: {known}")
    return found


def path_text(steps: Iterable[Step]) -> str:
    """A path on one line: `2025-06-30 detained; 2025-07 arrest ordered; ...`."""
    return "; ".join(f"{s.when} {s.stage}" for s in steps)


#: Columns of `status_table`, in order (the xlsx sheet "Status" and the sqlite table `person_status`).
TABLE_COLUMNS = (
    "kind",
    "id",
    "name_latin",
    "name_cyrillic",
    "status",
    "since",
    "since_precision",
    "since_qualifier",
    "source_ids",
    "as_of",
    "as_of_source_ids",
    "count",
    "count_qualifier",
    "path",
)


def status_table(tables: Tables | None = None, *, path: PathLike = None) -> pd.DataFrame:
    """One row per person and group: status, since, per whom, as of, and the path as text.

    List cells are `;`-separated like the package's own list fields.
    """
    return table_of(standings(tables, path=path))


def table_of(items: Iterable[Standing]) -> pd.DataFrame:
    """STATUS_TABLE's rows for the given standings (see `status_table`)."""
    rows = []
    for s in items:
        row = {c: getattr(s, c) for c in TABLE_COLUMNS if c != "path"}
        row["source_ids"] = ";".join(s.source_ids)
        row["as_of_source_ids"] = ";".join(s.as_of_source_ids)
        row["path"] = path_text(s.steps)
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    return frame.astype({"count": "Int64"}).astype({c: "string" for c in TABLE_COLUMNS if c != "count"})


# --------------------------------------------------------------------------- words


def _status_words(s: Standing) -> str:
    if s.status == "unknown":
        return f"unknown after {s.since} (the last date shown held)" if s.since else "unknown"
    return f"{s.status} since {s.since}" if s.since else s.status


def _figure_words(c: Count) -> str:
    words = _QUALIFIER_WORDS.get(str(c.value_qualifier), "")
    return f"{c.measure}: {words}{c.value} {c.unit} [{c.figure_id}, per {c.source_id}]"


def standing_text(s: Standing) -> str:
    """One person or group in words: names, status, as of, per whom, then the path."""
    if s.kind == "person":
        names = " / ".join(n for n in (s.name_latin, s.name_cyrillic) if n)
        head = f"{names}  [{s.id}]"
    else:
        words = _QUALIFIER_WORDS.get(str(s.count_qualifier), "")
        size = f"{words}{s.count} " if s.count is not None else ""
        head = f"Group of {size}persons (the sources do not name them all): {s.name_latin}  [{s.id}]"
    lines = [
        head,
        f"  status: {_status_words(s)}",
        f"  as of:  {s.as_of or 'no dated source'}"
        + (
            f" (latest source mentioning them: {'; '.join(s.as_of_source_ids)})" if s.as_of_source_ids else ""
        ),
        f"  per:    {'; '.join(s.source_ids) or '-'}",
        "  path:",
    ]
    for step in s.steps:
        ref = step.event_id if step.event_type else (step.figures[0].figure_id if step.figures else "")
        lines.append(f"    {step.when:<36} {step.stage}  [{ref}]")
        lines.append(f"      sources: {'; '.join(step.source_ids)}")
        if step.event_type:
            lines += [f"      figure: {_figure_words(c)}" for c in step.figures]
    return "\n".join(lines)


def to_text(items: Iterable[Standing]) -> str:
    """The standings as plain text, one block each, a blank line between."""
    return "\n\n".join(standing_text(s) for s in items) + "\n"
