"""`validate(path)`: every check on a package, collected into one Report (never the first error only)."""

from __future__ import annotations

import os
from typing import Any

from . import checks
from .descriptor import TABLES, Descriptor, parse_descriptor, read_raw
from .errors import DescriptorError
from .read import RawTable, read_table, unsafe_path_reason
from .report import Problem, Report

DESCRIPTOR_FILE = "datapackage.json"


def descriptor_problems(raw: dict[str, Any]) -> list[Problem]:
    """The descriptor against the Data Package standard (frictionless) and our own demands."""
    problems: list[Problem] = []
    for i, res in enumerate(raw.get("resources") or []):
        if not isinstance(res, dict):
            continue
        paths = res.get("path")
        for path in paths if isinstance(paths, list) else [paths]:
            if not isinstance(path, str):
                problems.append(
                    Problem(
                        DESCRIPTOR_FILE,
                        None,
                        f"resources[{i}].path",
                        "resource-path",
                        "each resource needs a 'path' string",
                        value=repr(path),
                    )
                )
                continue
            reason = unsafe_path_reason(path)
            if reason:
                problems.append(
                    Problem(DESCRIPTOR_FILE, None, f"resources[{i}].path", "unsafe-path", reason, value=path)
                )
        if "data" in res:
            problems.append(
                Problem(
                    DESCRIPTOR_FILE,
                    None,
                    f"resources[{i}].data",
                    "inline-data",
                    "inline data is not allowed: tables live in CSV files",
                )
            )
    try:
        from frictionless import Package

        for error in Package.metadata_validate(raw):
            note = getattr(error, "note", "") or error.message
            if "is not safe" in note:
                continue  # reported above, in plainer words
            problems.append(
                Problem(DESCRIPTOR_FILE, None, None, "data-package-standard", f"{error.title}: {note}")
            )
    except Exception as exc:  # frictionless raises on some malformed descriptors instead of reporting
        problems.append(
            Problem(
                DESCRIPTOR_FILE,
                None,
                None,
                "data-package-standard",
                f"the descriptor is not a valid data package: {exc}",
            )
        )
    return problems


def structure_problems(desc: Descriptor) -> list[Problem]:
    """The tables this project needs, each with fields and a primary key."""
    problems = []
    for name in TABLES:
        table = desc.tables.get(name)
        if table is None:
            problems.append(
                Problem(DESCRIPTOR_FILE, None, None, "missing-table", f"the package has no {name!r} resource")
            )
            continue
        if not table.fields:
            problems.append(
                Problem(DESCRIPTOR_FILE, None, f"{name}.schema", "schema", f"resource {name!r} has no fields")
            )
        if not table.primary_key:
            problems.append(
                Problem(
                    DESCRIPTOR_FILE,
                    None,
                    f"{name}.schema",
                    "primary-key",
                    f"resource {name!r} declares no primaryKey",
                )
            )
        for key in table.primary_key:
            if key not in table.field_names:
                problems.append(
                    Problem(
                        DESCRIPTOR_FILE,
                        None,
                        f"{name}.schema",
                        "primary-key",
                        f"primaryKey field {key!r} is not a field of {name!r}",
                    )
                )
    return problems


def read_tables(desc: Descriptor) -> dict[str, RawTable]:
    """Read every tabular resource whose path is safe; structural problems are kept on each RawTable."""
    return {name: read_table(desc.root, table) for name, table in desc.tables.items()}


def validate(path: str | os.PathLike[str] | None = None) -> Report:
    """Validate the package at PATH (a directory or its datapackage.json; None = the bundled package).

    Raises `PackageNotFoundError` or `DescriptorError` only when there is nothing to validate
    (no descriptor, or one that is not JSON); every fault in a package that can be read is a
    Problem in the returned Report.
    """
    file, raw = read_raw(path)
    report = Report(package=str(path if path is not None else "bundled package"))
    report.problems.extend(descriptor_problems(raw))
    try:
        desc = parse_descriptor(raw, file)
    except DescriptorError as exc:
        report.problems.append(Problem(DESCRIPTOR_FILE, None, None, "descriptor", str(exc)))
        return report.sorted()
    report.problems.extend(structure_problems(desc))
    frames = read_tables(desc)
    for raw_table in frames.values():
        report.problems.extend(raw_table.problems)
        report.problems.extend(checks.schema_problems(raw_table))
        report.problems.extend(checks.hygiene_problems(raw_table))
    report.problems.extend(checks.foreign_key_problems(frames, desc))
    texts, archive_problems = checks.source_texts(frames, desc.root)
    report.problems.extend(archive_problems)
    report.problems.extend(checks.verbatim_problems(frames, texts))
    report.problems.extend(checks.cross_table_problems(frames))
    return report.sorted()
