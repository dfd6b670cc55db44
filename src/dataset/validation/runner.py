"""`validate(path)`: every check on a package, collected into one Report (never the first error only).

The descriptor is checked first, field by field, in plain words; what is broken in it (an
invalid regular expression, an enum that is not a list, a foreign key to a missing table) is
reported and then left out, so that the rest of the package can still be checked. Each later
step runs guarded: a fault nobody foresaw becomes an `internal-error` Problem, not a crash.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from ..descriptor import (
    Descriptor,
    parse_descriptor,
    read_raw,
)
from ..location import DESCRIPTOR_NAME as DESCRIPTOR_FILE
from ..report import Problem, Report
from .descriptor import check_descriptor
from .guard import guarded
from .lines import with_lines
from .registry import Context, of_phase, run_guarded
from .tables import check_tables


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
    _check_package(report.problems, Context(file=file, raw=raw), frames)
    report.problems[:] = with_lines(report.problems, file)
    return report.sorted()


def _parsed(problems: list[Problem], ctx: Context) -> Context | None:
    """CTX with the descriptor's own check done (its problems to PROBLEMS) and its sound part parsed.

    None when the descriptor cannot be checked at all; `desc` stays None when its resources are broken.
    """
    found = guarded(problems, DESCRIPTOR_FILE, "descriptor", lambda: check_descriptor(ctx.raw), None)
    if found is None:
        return None
    problems.extend(found.problems)
    ctx = replace(ctx, flagged=found.flagged, unreadable=found.unreadable)
    if found.resources_broken:
        return ctx
    parsed = guarded(
        problems,
        DESCRIPTOR_FILE,
        "descriptor",
        lambda: parse_descriptor({"resources": found.resources}, ctx.file),
        None,
    )
    if parsed is None:
        return ctx
    return replace(ctx, desc=Descriptor(path=ctx.file, raw=ctx.raw, tables=parsed.tables))


def _check_package(problems: list[Problem], ctx: Context, frames: dict[str, Any] | None = None) -> None:
    """Every check of `registry.CHECKS`, phase by phase, each guarded, appending to PROBLEMS.

    The `side` checks (the resources' recorded sizes and hashes, the descriptor against the
    standard) run on a second thread while the tables are read and checked. The hashing starts
    first, before this thread imports pandas and pyarrow to read the tables: hashing leaves the
    GIL, so the imports and the hashing use both cores.
    """
    for check in of_phase("package", parsed=False):
        problems.extend(run_guarded(check, ctx))
    checked = _parsed(problems, ctx)
    if checked is None:
        return
    ctx, parsed = checked, checked.desc is not None
    for check in of_phase("package", parsed=parsed):
        if check.needs_descriptor:  # the others ran before the descriptor was parsed
            problems.extend(run_guarded(check, ctx))
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="dataset-side") as side:
        started = [side.submit(run_guarded, check, ctx) for check in of_phase("side", parsed=parsed)]
        if ctx.desc is not None:
            check_tables(problems, ctx, frames)
        for future in started:
            problems.extend(future.result())
