"""The reviewer's view of a change: each new or changed fact with its words and its evidence.

A reviewer of a contribution reads what a row claims (its summary, quote or figure) beside
the passage of the archived article it rests on. `dataset diff --format markdown` (the pull
request's job summary) ends with this view, so no one has to open the CSVs to review.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .descriptor import Descriptor, Table
from .mdtext import code_span, md

if TYPE_CHECKING:
    from .diff import PackageDiff

#: The field that says what a row claims, by preference; the first a table has is shown.
CLAIM_FIELDS = ("summary", "quote", "counted", "name_latin", "name_en", "title", "reason")


@dataclass(frozen=True)
class Evidence:
    field: str
    text: str
    source: str


@dataclass(frozen=True)
class ReviewItem:
    """One added or changed row, as a reviewer reads it."""

    table: str
    key: str
    status: str  # added | changed
    claim: str
    evidence: tuple[Evidence, ...]


def _claim(table: Table, cells: dict[str, str]) -> str:
    names = {f.name for f in table.fields}
    field = next((f for f in CLAIM_FIELDS if f in names and cells.get(f)), None)
    text = cells.get(field, "") if field else ""
    if "value" in cells and field == "counted":
        text = f"{cells.get('value_qualifier', '')} {cells['value']} {cells.get('unit', '')}: {text}".strip()
    return text


def _evidence(table: Table, cells: dict[str, str]) -> tuple[Evidence, ...]:
    found = []
    for f in table.fields:
        if f.verbatim_in and cells.get(f.name):
            source = cells.get(f.verbatim_in, "").split(";")[0]
            found.append(Evidence(f.name, cells[f.name], source))
    return tuple(found)


def review_items(
    result: PackageDiff, new: Descriptor, rows: Callable[[str, tuple[str, ...]], dict[Any, dict[str, str]]]
) -> list[ReviewItem]:
    """Every row added or changed in NEW, with what it claims and the passages it quotes.

    ROWS(table, primary key) gives the new side's rows by key, as the diff read them.
    """
    items: list[ReviewItem] = []
    for diff in result.tables:
        table = new.tables.get(diff.table)
        if table is None or not (diff.added or diff.changed) or not diff.primary_key:
            continue
        keyed = rows(diff.table, diff.primary_key)
        for status, keys in (
            ("added", [r.key for r in diff.added]),
            ("changed", [c.key for c in diff.changed]),
        ):
            for key in keys:
                cells = keyed.get(key, {})
                items.append(
                    ReviewItem(diff.table, key, status, _claim(table, cells), _evidence(table, cells))
                )
    return items


def render_review(
    items: list[ReviewItem], new: Descriptor | None = None, *, max_rows: int = 100
) -> list[str]:
    """Markdown lines: new archived articles first, then each fact with its evidence as a quote."""
    if not items:
        return []
    out = ["", "### For the reviewer", ""]
    sources = [i for i in items if i.table == "sources" and i.status == "added"]
    facts = [i for i in items if i.table != "sources"]
    for item in sources[:max_rows]:
        out.append(f"- New archived article: source {code_span(item.key)} — {md(item.claim) or '(no title)'}")
    for item in facts[: max(0, max_rows - len(sources))]:
        out.append(f"- **{md(item.table)}** {code_span(item.key)} ({item.status}): {md(item.claim)}")
        for ev in item.evidence:
            out.append(f"  > {md(ev.text)}")
            out.append(f"  > — {code_span(ev.field)}, from source {code_span(ev.source)}")
    shown = min(len(sources), max_rows) + min(len(facts), max(0, max_rows - len(sources)))
    if len(sources) + len(facts) > shown:
        out.append(f"- … and {len(sources) + len(facts) - shown} more rows (see the tables above)")
    return out
