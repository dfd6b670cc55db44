"""What each event type and figure measure means for a person's custody: the one mapping.

The status view (`status.py`) walks a person's events in date order and the validator's
"release after detention" rule (`validation/facts.py`, through `domain.py`) both read this module, so a new event type in
datapackage.json gets its meaning here, once. `tests/test_status.py` checks that every key
below is in the descriptor's vocabulary, so a renamed type fails loudly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

State = Literal["held", "released", "dead"]

#: The statuses the view can give: a custody state, or "unknown" after the last known date.
STATUSES: tuple[str, ...] = ("held", "released", "dead", "unknown")


@dataclass(frozen=True)
class Stage:
    """One step on a legal path: its words, the custody state it implies, its order on a tie."""

    label: str
    state: State | None  # None: the step says nothing about custody (a charge, a search)
    rank: int  # order of two steps with the same date: detained before charged before released
    opens_custody: bool = False  # a release must follow one of these (validator rule)


#: events.event_type -> the step it is on a legal path. Types not listed are not legal steps.
LEGAL_PATH: dict[str, Stage] = {
    "raid": Stage("raided", None, 0),
    "search": Stage("searched", None, 1),
    "detention": Stage("detained", "held", 2, opens_custody=True),
    "charge": Stage("charged", None, 3),
    "arrest-order": Stage("arrest ordered", "held", 4, opens_custody=True),
    "detention-extension": Stage("custody extended", "held", 5),
    "consular-visit": Stage("consular visit", "held", 6),
    "release": Stage("released", "released", 7),
    "return": Stage("returned", "released", 8),
    "death-in-custody": Stage("dead in custody", "dead", 9),
}

#: Event types that put a person in custody: a release needs one of them first.
DETENTION_TYPES: tuple[str, ...] = tuple(t for t, s in LEGAL_PATH.items() if s.opens_custody)

#: Event types whose naming of a person makes them "a person who was detained".
CUSTODY_TYPES: frozenset[str] = frozenset(t for t, s in LEGAL_PATH.items() if s.state is not None)

#: figures.measure -> the custody state a count of people in that measure reports.
#: A count of detained people (or of people a consul saw) says they were held on that date.
GROUP_MEASURES: dict[str, State] = {
    "detained": "held",
    "suspects-in-custody": "held",
    "held": "held",
    "consular-access": "held",
    "released": "released",
    "dead": "dead",
}

#: figures.unit of a count of people (the only unit a group count can have).
PERSONS_UNIT = "persons"
