"""Partial dates (YYYY, YYYY-MM, YYYY-MM-DD) as the package publishes them: where each period starts and ends."""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Literal

import pandas as pd

#: the shape of a partial date (digits in place; whether the day exists is `period`'s question)
PARTIAL_DATE_SHAPE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
#: a partial ISO date: a year, a month or a day
ISO_PARTIAL = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"


def in_calendar(values: pd.Series) -> pd.Series:
    """False where a full date (YYYY-MM-DD) names a day the calendar does not have; True elsewhere.

    Each distinct date is parsed once (a column holds few of them).
    """
    text = values.astype("string")
    full = text.str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fillna(False).astype(bool)
    ok = pd.Series(True, index=values.index)
    if full.any():
        codes, distinct = pd.factorize(text[full])
        exists = pd.to_datetime(pd.Series(distinct, dtype=object), format="%Y-%m-%d", errors="coerce").notna()
        ok[full] = exists.to_numpy()[codes]
    return ok


def valid_dates(s: pd.Series) -> pd.Series:
    """The values of S that are partial ISO dates of the calendar; others are the pattern and
    calendar checks' business (an impossible date is reported once, not again in every comparison)."""
    s = s.dropna().astype("string")
    s = s[s.str.match(ISO_PARTIAL).fillna(False).astype(bool)]
    return s[in_calendar(s).to_numpy()]


def start_of(date: str) -> str:
    return date + "-01-01" if len(date) == 4 else date + "-01" if len(date) == 7 else date


def _pad(s: pd.Series, month_day: str, day: str) -> pd.Series:
    """Complete partial dates; computed once per distinct value, as dates repeat a lot."""
    if s.empty:
        return s.astype("string")
    lookup = {d: d + month_day if len(d) == 4 else d + day if len(d) == 7 else d for d in s.unique()}
    return s.map(lookup).astype("string")


def date_start(s: pd.Series) -> pd.Series:
    """First day a partial ISO date can mean: 2025 -> 2025-01-01, 2025-07 -> 2025-07-01."""
    return _pad(s, "-01-01", "-01")


def date_end(s: pd.Series) -> pd.Series:
    """Last day a partial ISO date can mean, as text that sorts right: 2025-07 -> 2025-07-31."""
    return _pad(s, "-12-31", "-31")


def parse_date(series: pd.Series, how: Literal["start", "end"] = "start") -> pd.Series:
    """Partial ISO dates (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`) as datetimes, at the start or end of their period.

    The published columns keep the text as curated; this helper is for people who want to
    plot or sort. `how="end"` turns `2025-06` into 2025-06-30.
    """
    text = series.astype("string")
    length = text.str.len()
    padded = text.where(length != 4, text + "-01-01").where(length != 7, text + "-01")
    start = pd.to_datetime(padded, format="%Y-%m-%d", errors="coerce")
    if how == "start":
        return start
    if how != "end":
        raise ValueError("how must be 'start' or 'end'")
    end = start.copy()
    year, month = length == 4, length == 7
    end[year] = start[year] + pd.offsets.YearEnd(0)
    end[month] = start[month] + pd.offsets.MonthEnd(0)
    return end


def period(text: str) -> tuple[date, date]:
    """First and last day a partial ISO date can mean: `2025` -> 1 Jan..31 Dec, `2025-06` -> 1..30 June.

    ValueError, in words a reader can act on, when TEXT is not such a date.
    """
    match = PARTIAL_DATE_SHAPE.match(text)
    if not match:
        raise ValueError("write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    if day is None:
        return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
    return date(year, month, day), date(year, month, day)
