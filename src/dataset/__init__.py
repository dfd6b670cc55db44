"""Facts of the 2025–26 Russia–Azerbaijan crisis as a validated Frictionless data package.

    >>> import dataset
    >>> tables = dataset.load()            # dict of typed, validated DataFrames
    >>> events = dataset.load_events()     # one table
    >>> held = dataset.person_status(tables)  # who is held, released or dead, as of when, per whom

The public API is every name in `PUBLIC` below (the command line uses nothing else). Heavy
libraries (pandas, pandera, frictionless) are imported only when data is touched, so
`dataset --help` and `dataset --version` stay fast.
"""

from __future__ import annotations

import importlib
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
    from .datapackage import Package  # noqa: F401
    from .dates import parse_date  # noqa: F401
    from .status import group_status, person_status, status_table  # noqa: F401
    from .validation import validate  # noqa: F401

#: Public name -> "module:attribute" (the attribute is the name when omitted). Names never equal
#: a submodule's (`dataset.diff` is the module; comparing packages is `compare_packages`).
PUBLIC: dict[str, str] = {
    # the data, for researchers
    "Package": "datapackage",
    "load": "api",
    "load_sources": "api",
    "load_persons": "api",
    "load_organizations": "api",
    "load_events": "api",
    "load_statements": "api",
    "load_figures": "api",
    "load_claim_links": "api",
    "package": "api",
    "parse_date": "dates",
    "read_descriptor": "descriptor",
    "descriptor_path": "location",
    "validate": "validation",
    "person_status": "status",
    "group_status": "status",
    "status_table": "status",
    "standings": "status",
    "select_standings": "status:select",
    "standings_table": "status:table_of",
    "standings_text": "status:to_text",
    # errors
    "DatasetError": "errors",
    "DescriptorError": "errors",
    "NotWritableError": "errors",
    "PackageNotFoundError": "errors",
    "ValidationError": "errors",
    "WriteRefused": "files",
    "ContributionRefused": "contribute",
    "SourceNotFound": "evidence",
    "DiffInputError": "diff",
    "ExportError": "export",
    "QueryError": "query",
    "ReleaseError": "release",
    "SiteError": "site",
    "UnknownPersonError": "status",
    "UnknownTimelinePerson": "timeline:UnknownPersonError",
    # reports and safe text
    "render_report_text": "report:render_text",
    "render_report_json": "report:render_json",
    "render_report_github": "report:render_github",
    "with_package_argument": "report",
    "terminal_safe": "report",
    "json_safe": "report",
    # contributing
    "Added": "contribute",
    "add_source": "contribute",
    "read_input": "contribute",
    "Finding": "evidence",
    "Passage": "evidence",
    "archived_text": "evidence",
    "find_passage": "evidence",
    "difference": "evidence",
    "format_package": "fmt",
    "refresh_hashes": "integrity",
    "refresh_package": "refresh:refresh",
    "plan_release": "release:plan",
    "apply_release": "release:apply",
    "compare_packages": "diff:diff",
    "render_diff_text": "diff:render_text",
    "render_diff_json": "diff:render_json",
    "render_diff_markdown": "diff:render_markdown",
    # outputs
    "codebook_path": "codebook:output_for",
    "build_codebook": "codebook:build",
    "write_codebook": "codebook:write",
    "codebook_is_current": "codebook:is_current",
    "export_tables": "export:export",
    "select_tables": "export",
    "text_frames": "export",
    "build_site": "site",
    "TIMELINE_LANGS": "timeline:LANGS",
    "timeline_items": "timeline:build",
    "timeline_title": "timeline:title",
    "render_timeline_png": "timeline:render_png",
    "render_timeline_html": "timeline:render_html",
    # questions to the tables
    "filter_table": "query",
    "person_story": "query",
    "run_sql": "query:sql",
    "render_result": "query:render",
    "select_columns": "query",
    "check_language": "query",
    "check_period": "query",
    "did_you_mean": "query",
    "localized": "query",
    "resolve_person": "query",
    "key_columns": "views",
    "SQL_HEAP_BYTES": "limits",
    "SQL_TIMEOUT_SECONDS": "limits",
}

__all__ = ["PUBLIC", "__version__", *sorted(PUBLIC)]


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use (PEP 562)."""
    if name == "__version__":
        from ._version import __version__

        return __version__
    where = PUBLIC.get(name)
    if where is None:
        raise AttributeError(f"module 'dataset' has no attribute {name!r}")
    module, _, attribute = where.partition(":")
    return getattr(importlib.import_module(f".{module}", __name__), attribute or name)
