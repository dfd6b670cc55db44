"""Facts of the 2025–26 Russia–Azerbaijan crisis as a validated Frictionless data package.

    >>> import dataset
    >>> tables = dataset.load()            # dict of typed, validated DataFrames
    >>> events = dataset.load_events()     # one table

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
        parse_date,
    )
    from .validate import validate

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
    "parse_date",
}

__all__ = ["__version__", "validate", *sorted(_API)]


def __getattr__(name: str) -> Any:
    """Import the data API on first use (PEP 562)."""
    if name in _API:
        from . import api

        return getattr(api, name)
    if name == "__version__":
        from ._version import __version__

        return __version__
    if name == "validate":
        from .validate import validate

        return validate
    raise AttributeError(f"module 'dataset' has no attribute {name!r}")
