"""The Python API: load the tables as typed pandas frames, or the package as frictionless sees it."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pandas as pd

from .datapackage import Package
from .errors import DescriptorError

if TYPE_CHECKING:
    import frictionless

PathLike = str | os.PathLike[str] | None


def open_package(path: PathLike | Package = None) -> Package:
    """The Package at PATH (None = the bundled one); a Package is passed through."""
    return path if isinstance(path, Package) else Package(path)


def load(path: PathLike | Package = None, *, validate: bool = True) -> dict[str, pd.DataFrame]:
    """All tables of the package at PATH (None = the bundled one), by name, typed and validated.

    `validate=False` skips the package-wide checks (keys, provenance, hygiene) for speed; the
    frames are still checked against their pandera schema. With `validate=True` the checks are
    also skipped when the package's `validity.json` (written by `dataset refresh`) records these
    very files, this validator's code and these library versions as found valid; a frame that
    does not type still sends the package to full validation (see `dataset.validity`).
    """
    return open_package(path).tables(validate=validate)


def load_table(name: str, path: PathLike | Package = None, *, validate: bool = True) -> pd.DataFrame:
    """One table of the package at PATH, typed and validated (the whole package is checked)."""
    package = open_package(path)
    if name not in package.descriptor.tables:
        raise DescriptorError(f"{package.descriptor_file}: the package has no {name!r} table")
    return package.tables(validate=validate)[name]


def load_sources(path: PathLike = None, *, validate: bool = True) -> pd.DataFrame:
    """The archived articles: publisher, title, date, language, path and sha256.

    Passed the table's pandera model (`dataset.schemas.SourceSchema` for the bundled package).
    """
    return load_table("sources", path, validate=validate)


def load_persons(path: PathLike = None, *, validate: bool = True) -> pd.DataFrame:
    """People named as acting, speaking or affected, in Latin and Cyrillic.

    Passed the table's pandera model (`dataset.schemas.PersonSchema` for the bundled package).
    """
    return load_table("persons", path, validate=validate)


def load_organizations(path: PathLike = None, *, validate: bool = True) -> pd.DataFrame:
    """States, ministries, courts, missions and media.

    Passed the table's pandera model (`dataset.schemas.OrganizationSchema` for the bundled package).
    """
    return load_table("organizations", path, validate=validate)


def load_events(path: PathLike = None, *, validate: bool = True) -> pd.DataFrame:
    """What happened, with date precision, derivation, sources and evidence.

    Passed the table's pandera model (`dataset.schemas.EventSchema` for the bundled package).
    """
    return load_table("events", path, validate=validate)


def load_statements(path: PathLike = None, *, validate: bool = True) -> pd.DataFrame:
    """Direct quotes and reported speech, in the original language with English renderings.

    Passed the table's pandera model (`dataset.schemas.StatementSchema` for the bundled package).
    """
    return load_table("statements", path, validate=validate)


def load_figures(path: PathLike = None, *, validate: bool = True) -> pd.DataFrame:
    """Every number reported about people and outcomes; disagreements kept.

    Passed the table's pandera model (`dataset.schemas.FigureSchema` for the bundled package).
    """
    return load_table("figures", path, validate=validate)


def load_claim_links(path: PathLike = None, *, validate: bool = True) -> pd.DataFrame:
    """Pairs of events, statements or figures that contradict, corroborate, update, answer or may duplicate each other.

    Passed the table's pandera model (`dataset.schemas.ClaimLinkSchema` for the bundled package).
    """
    return load_table("claim_links", path, validate=validate)


def package(path: PathLike = None) -> frictionless.Package:
    """The frictionless `Package` of the package at PATH (None = the bundled one)."""
    import frictionless

    from .location import descriptor_path

    file = descriptor_path(path)
    return frictionless.Package(str(file), basepath=str(file.parent))


def split_list(series: pd.Series, separator: str = ";") -> pd.Series:
    """Split a list field (`a;b`) into Python lists; missing stays missing."""
    return series.str.split(separator)
