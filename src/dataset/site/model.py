"""The site's model: the tables as plain rows, each quoted passage located in its article.

Built once from `dataset.load()` frames and the descriptor; the pages (both languages) read it.
Row anchors live here too, so every link to a row and every link back from a passage agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..descriptor import Descriptor
from .highlight import ArticleIndex, Passage, Ref, merge

#: The quoted fields (`x-verbatim-in` in the descriptor decides which exist) and where a row is shown.
HOMES = {
    "events": "timeline.html#ev-{id}",
    "figures": "index.html#fig-{id}",
    "statements": "sources/{source}.html#st-{id}",
}

Row = dict[str, str]


def text(value: Any) -> str:
    """Cell text, '' for a missing cell."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def ids(value: str) -> list[str]:
    """The items of a `;`-separated list field."""
    return [part for part in value.split(";") if part]


def rows(frame: pd.DataFrame | None) -> list[Row]:
    """A frame as a list of dicts of text (no NA, no numpy types), in file order."""
    if frame is None:
        return []
    return [{str(k): text(v) for k, v in rec.items()} for rec in frame.to_dict("records")]


def by_date(items: list[Row]) -> list[Row]:
    """Sorted by the published date (partial ISO dates sort as text: `2025-06` before `2025-06-27`)."""
    return sorted(items, key=lambda r: (r.get("date", ""), r.get("end_date", ""), r["id"]))


@dataclass
class Source:
    """One archived article, its text and its highlighted passages."""

    row: Row
    text: str
    passages: list[Passage] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.row["id"]


@dataclass
class Model:
    """Everything the pages show, language-neutral."""

    desc: Descriptor
    tables: dict[str, list[Row]]
    sources: dict[str, Source]
    #: (table, row id, field) -> (source id, passage id) of the passage the row quotes
    anchors: dict[tuple[str, str, str], tuple[str, str]]
    #: (table, row id, field) of quoted values found in no article (the validator reports them)
    missing: list[tuple[str, str, str]]
    #: where each person named in a custody event stands (dataset.status), by person id
    standings: dict[str, Any] = field(default_factory=dict)

    def rows(self, table: str) -> list[Row]:
        return self.tables.get(table, [])

    def index(self, table: str) -> dict[str, Row]:
        return {r["id"]: r for r in self.rows(table)}

    def passage_href(self, table: str, row_id: str, fld: str) -> str:
        """`sources/<id>.html#p3`, relative to a language folder; '' if the passage was not found."""
        hit = self.anchors.get((table, row_id, fld))
        return f"sources/{hit[0]}.html#{hit[1]}" if hit else ""


def _quoted_fields(desc: Descriptor) -> list[tuple[str, str, str]]:
    """(table, field, source field) for each field the descriptor marks verbatim."""
    return [
        (name, f.name, f.verbatim_in)
        for name, table in desc.tables.items()
        for f in table.fields
        if f.verbatim_in and name in HOMES
    ]


def _home(table: str, row: Row, source_field: str) -> str:
    first = ids(row.get(source_field, ""))
    return HOMES[table].format(id=row["id"], source=first[0] if first else "")


def _read_articles(desc: Descriptor, sources: list[Row]) -> dict[str, Source]:
    out = {}
    for row in sources:
        path = Path(desc.root) / row["path"]
        out[row["id"]] = Source(row, path.read_text(encoding="utf-8", errors="replace"))
    return out


def build_model(frames: Mapping[str, pd.DataFrame], desc: Descriptor) -> Model:
    """Plain rows of every table and, per article, the passages its rows quote, merged and numbered."""
    tables = {name: rows(frame) for name, frame in frames.items()}
    sources = _read_articles(desc, tables.get("sources", []))
    indexes = {sid: ArticleIndex(src.text) for sid, src in sources.items()}
    spans: dict[str, list[tuple[int, int, Ref]]] = {sid: [] for sid in sources}
    wanted: list[tuple[str, str, str, str]] = []  # (table, row id, field, first source found)
    missing: list[tuple[str, str, str]] = []
    for table, fld, source_field in _quoted_fields(desc):
        for row in tables.get(table, []):
            if not row.get(fld):
                continue
            ref = Ref(table, row["id"], fld, _home(table, row, source_field))
            found = ""
            for sid in ids(row.get(source_field, "")):
                hit = indexes[sid].locate(row[fld]) if sid in indexes else None
                if hit:
                    spans[sid].append((*hit, ref))
                    found = found or sid
            if found:
                wanted.append((table, row["id"], fld, found))
            else:
                missing.append((table, row["id"], fld))
    anchors: dict[tuple[str, str, str], tuple[str, str]] = {}
    for sid, source in sources.items():
        source.text = indexes[sid].text
        source.passages = merge(spans[sid])
        for passage in source.passages:
            for ref in passage.refs:
                anchors.setdefault((ref.table, ref.row_id, ref.field), (sid, passage.id))
    # a row found in several articles links to the first it cites
    for table, row_id, fld, sid in wanted:
        for passage in sources[sid].passages:
            if any((r.table, r.row_id, r.field) == (table, row_id, fld) for r in passage.refs):
                anchors[(table, row_id, fld)] = (sid, passage.id)
                break
    return Model(desc, tables, sources, anchors, missing, _standings(frames))


def _standings(frames: Mapping[str, pd.DataFrame]) -> dict[str, Any]:
    """Where each detained person stands, derived from the events (none when a table it reads is absent)."""
    from ..status import person_status

    if not {"persons", "events", "figures", "sources"} <= set(frames):
        return {}
    return {s.id: s for s in person_status(dict(frames))}
