"""`validate(path)`: every check on a package, collected into one Report (never the first error only).

The descriptor is checked first, field by field, in plain words; what is broken in it (an
invalid regular expression, an enum that is not a list, a foreign key to a missing table) is
reported and then left out, so that the rest of the package can still be checked. Each later
step runs guarded: a fault nobody foresaw becomes an `internal-error` Problem, not a crash.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..descriptor import (
    Descriptor,
    parse_descriptor,
    read_raw,
)
from ..integrity import integrity_problems
from ..location import DESCRIPTOR_NAME as DESCRIPTOR_FILE
from ..location import uncited_files, unsafe_path_reason
from ..report import Problem, Report
from .descriptor import check_descriptor, duplicate_key_problems
from .guard import collected, guarded
from .lines import with_lines
from .standard import standard_problems
from .tables import check_tables

if TYPE_CHECKING:  # read.py imports pandas and pyarrow: validate imports it once the hashing has started
    pass


def validate(path: str | os.PathLike[str] | None = None) -> Report:
    """Validate the package at PATH (a directory or its datapackage.json; None = the bundled package).

    Raises `PackageNotFoundError` or `DescriptorError` only when there is nothing to validate
    (no descriptor, or one that is not a JSON object); every fault in a package that can be
    read is a Problem in the returned Report.
    """
    return _validate(path, None)


def validate_and_read(path: str | os.PathLike[str] | None = None) -> tuple[Report, dict[str, Any]]:
    """`validate`, keeping the text frame of every table it read, so a loader need not read them again.

    For packages that fit in memory twice over (load() reads them whole anyway); the validator
    alone keeps only what its later checks need.
    """
    frames: dict[str, Any] = {}
    return _validate(path, frames), frames


def _validate(path: str | os.PathLike[str] | None, frames: dict[str, Any] | None) -> Report:
    file, raw = read_raw(path, duplicate_keys=True)
    report = Report(package=str(path if path is not None else "bundled package"))
    report.problems.extend(duplicate_key_problems(file))
    _check_package(report.problems, file, raw, frames)
    report.problems[:] = with_lines(report.problems, file)
    return report.sorted()


def _check_package(
    problems: list[Problem], file: Path, raw: dict[str, Any], frames: dict[str, Any] | None = None
) -> None:
    """Every step of `validate`, each guarded, appending to PROBLEMS.

    The steps that need no table (the resources' recorded sizes and hashes, and the descriptor
    against the standard) run on a second thread while the tables are read and checked. The
    hashing starts first, before this thread imports pandas and pyarrow to read the tables:
    hashing leaves the GIL, so the imports and the hashing use both cores.
    """
    found = guarded(problems, DESCRIPTOR_FILE, "descriptor", lambda: check_descriptor(raw), None)
    if found is None:
        return
    problems.extend(found.problems)
    desc = None
    if not found.resources_broken:
        parsed = guarded(
            problems,
            DESCRIPTOR_FILE,
            "descriptor",
            lambda: parse_descriptor({"resources": found.resources}, file),
            None,
        )
        if parsed is not None:
            desc = Descriptor(path=file, raw=raw, tables=parsed.tables)
            problems.extend(
                uncited_files(
                    desc.root,
                    _declared_paths(raw),
                    "table",
                    "declare it as a resource in datapackage.json or delete it",
                    extensions=(".csv",),  # a resource pointed at an archived article leaves the others be
                )
            )
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="dataset-side") as side:
        integrity = (
            side.submit(collected, DESCRIPTOR_FILE, "resource integrity", integrity_problems, desc)
            if desc is not None
            else None
        )
        standard = side.submit(
            collected, DESCRIPTOR_FILE, "data package standard", standard_problems, raw, found.flagged
        )
        if desc is not None:
            check_tables(problems, desc, found.unreadable, frames)
        problems.extend(standard.result())
        if integrity is not None:
            problems.extend(integrity.result())


def _declared_paths(raw: dict[str, Any]) -> list[str]:
    """The paths every resource of the descriptor names, sound or not (a broken resource still claims its file)."""
    paths: list[str] = []
    for res in raw.get("resources") or []:
        path = res.get("path") if isinstance(res, dict) else None
        for item in path if isinstance(path, list) else [path]:
            if isinstance(item, str) and not unsafe_path_reason(item):
                paths.append(item)
    return paths
