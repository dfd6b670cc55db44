"""Facts of the 2025–26 Russia–Azerbaijan crisis as a validated Frictionless data package.

    >>> import dataset
    >>> tables = dataset.load()            # dict of typed, validated DataFrames
    >>> events = dataset.load_events()     # one table
    >>> held = dataset.person_status(tables)  # who is held, released or dead, as of when, per whom

Heavy libraries (pandas, pandera, frictionless) are imported only when data is touched,
so `dataset --help` and `dataset --version` stay fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .api import (  # noqa: F401
        load,
        load_claim_links,
        load_events,
        load_figures,
        load_organizations,
        load_persons,
        load_sources,
        load_statements,
        package,
    )
    from .datapackage import Package
    from .dates import parse_date
    from .status import group_status, person_status, status_table  # noqa: F401
    from .validation import validate

_API = {
    "load",
    "load_sources",
    "load_persons",
    "load_organizations",
    "load_events",
    "load_statements",
    "load_figures",
    "load_claim_links",
    "package",
}

#: where each detained person and counted group stands (dataset.status)
_STATUS_API = {"person_status", "group_status", "status_table"}

__all__ = ["Package", "__version__", "parse_date", "validate", *sorted(_API | _STATUS_API)]


def __getattr__(name: str) -> Any:
    """Import the data API on first use (PEP 562)."""
    if name in _API:
        from . import api

        return getattr(api, name)
    if name in _STATUS_API:
        from . import status

        return getattr(status, name)
    if name == "__version__":
        from ._version import __version__

        return __version__
    if name == "parse_date":
        from .dates import parse_date

        return parse_date
    if name == "Package":
        from .datapackage import Package

        return Package
    if name == "validate":
        from .validation import validate

        return validate
    raise AttributeError(f"module 'dataset' has no attribute {name!r}")
