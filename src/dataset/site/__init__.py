"""The reader's edition: a static bilingual website of the package, built by `dataset site`.

    >>> from dataset.site import build_site
    >>> build_site(None, "site")          # the bundled package -> ./site/index.html

Pages: the story, a timeline, one page per person and per archived article (every quoted
passage highlighted and linked to its rows), the tables (sortable, searchable) and downloads.
It works from file:// and any static host, and loads nothing from the network.
"""

from __future__ import annotations

from .build import MARKER, SiteError, build_site

__all__ = ["MARKER", "SiteError", "build_site"]
