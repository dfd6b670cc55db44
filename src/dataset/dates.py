"""Partial dates (YYYY, YYYY-MM, YYYY-MM-DD) as the package publishes them: where each period starts and ends."""

from __future__ import annotations

import pandas as pd

from .schemas import in_calendar

#: a partial ISO date: a year, a month or a day
ISO_PARTIAL = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"


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
