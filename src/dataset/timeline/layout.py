"""Where each item sits on the chart: lanes, rows, the span of months, captions left or right.

Shared by the PNG and the HTML page, so both draw the same arrangement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .model import HIGHLIGHT, PLAIN, UI, Style


@dataclass(frozen=True)
class _Layout:
    """Where everything goes: axis range, lane order and each item's sub-row within its lane."""

    first: date
    last: date  # exclusive: the day after the axis ends
    lanes: list[str]
    titles: dict[str, str]
    lane_rows: dict[str, int]
    row_of: dict[str, int]
    caption_left: frozenset[str] = frozenset()

    @property
    def days(self) -> int:
        return (self.last - self.first).days

    def offsets(self) -> dict[str, int]:
        """Index of each lane's first row, counted from the top."""
        out, total = {}, 0
        for lane in self.lanes:
            out[lane] = total
            total += self.lane_rows[lane]
        return out

    @property
    def total_rows(self) -> int:
        return sum(self.lane_rows.values())


def _day(iso: str) -> date:
    return date.fromisoformat(iso)


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _next_month(d: date) -> date:
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def _months(first: date, last: date) -> list[date]:
    out, d = [], _month_start(first)
    while d < last:
        out.append(d)
        d = _next_month(d)
    return out


def is_point(item: Mapping[str, Any]) -> bool:
    """True when the item is one day (drawn as a marker); otherwise it is drawn as a bar."""
    return bool(item["start"] == item["end"])


def _layout(items: list[dict[str, Any]], plot_px: float, marker_px: float, char_px: float) -> _Layout:
    """Lanes in order of their first event; within a lane, items packed into sub-rows so that
    neither markers, bars nor figure captions overlap at the given pixel scale. A caption that
    would run off the right edge goes to the left of its mark instead."""
    if items:
        first = _month_start(min(_day(it["start"]) for it in items))
        last = _next_month(max(_day(it["end"]) for it in items))
    else:
        first = date(2000, 1, 1)
        last = _next_month(first)
    px_per_day = plot_px / max((last - first).days, 1)
    lanes: list[str] = []
    titles: dict[str, str] = {}
    for it in items:
        if it["lane"] not in titles:
            lanes.append(it["lane"])
            titles[it["lane"]] = it["lane_title"]
    taken: dict[str, list[list[tuple[float, float]]]] = {lane: [] for lane in lanes}
    row_of: dict[str, int] = {}
    caption_left: set[str] = set()
    for it in items:
        x0 = (_day(it["start"]) - first).days * px_per_day
        x1 = ((_day(it["end"]) - first).days + 1) * px_per_day
        if is_point(it):
            centre = (x0 + x1) / 2
            x0, x1 = centre - marker_px, centre + marker_px
        if it["qualifier"] == "not-after":
            x0 -= marker_px
        if it["qualifier"] == "not-before":
            x1 += marker_px
        if it["figure_label"]:
            caption = marker_px + char_px * len(it["figure_label"])
            if x1 + caption > plot_px and x0 - caption >= 0:
                caption_left.add(it["id"])
                x0 -= caption
            else:
                x1 += caption
        rows = taken[it["lane"]]
        for i, spans in enumerate(rows):
            if all(x1 + 2 <= a or b + 2 <= x0 for a, b in spans):
                spans.append((x0, x1))
                row_of[it["id"]] = i
                break
        else:
            rows.append([(x0, x1)])
            row_of[it["id"]] = len(rows) - 1
    lane_rows = {lane: max(len(taken[lane]), 1) for lane in lanes}
    return _Layout(first, last, lanes, titles, lane_rows, row_of, frozenset(caption_left))


def _style(item: Mapping[str, Any]) -> Style:
    return HIGHLIGHT.get(item["lane"], PLAIN)


def _month_label(d: date, lang: str, always_year: bool) -> str:
    name = UI[lang]["months"].split()[d.month - 1]
    return f"{name}\n{d.year}" if always_year or d.month == 1 else name
