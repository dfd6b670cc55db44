"""`validate(path)`: every check on a package, collected into one Report (never the first error only).

The descriptor is checked first, field by field, in plain words; what is broken in it (an
invalid regular expression, an enum that is not a list, a foreign key to a missing table) is
reported and then left out, so that the rest of the package can still be checked. Each later
step runs guarded: a fault nobody foresaw becomes an `internal-error` Problem, not a crash.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from . import checks
from .descriptor import TABLES, Descriptor, parse_descriptor, read_raw
from .integrity import integrity_problems
from .read import DESCRIPTOR_FILE, RawTable, read_table, unsafe_path_reason
from .report import Problem, Report

T = TypeVar("T")

#: Field types of the Table Schema standard.
FIELD_TYPES = frozenset(
    (
        "string",
        "number",
        "integer",
        "boolean",
        "object",
        "array",
        "list",
        "date",
        "time",
        "datetime",
        "year",
        "yearmonth",
        "duration",
        "geopoint",
        "geojson",
        "any",
    )
)
#: The CSV dialect every table of this project is written in (`dataset fmt` writes it).
DIALECT = {"delimiter": ",", "quoteChar": '"', "header": True}
_UTF8 = ("utf-8", "utf8", "utf-8-sig")
#: Resource properties checked by `integrity_problems`.
INTEGRITY_KEYS = ("bytes", "hash")


@dataclass
class DescriptorCheck:
    """The descriptor's problems, and the parts of it that are sound enough to check data with."""

    problems: list[Problem] = field(default_factory=list)
    resources: list[dict[str, Any]] = field(default_factory=list)
    unreadable: set[str] = field(default_factory=set)
    flagged: set[int] = field(default_factory=set)
    resources_broken: bool = False

    def add(self, where: str, rule: str, message: str, value: Any = None, index: int | None = None) -> None:
        shown = None if value is None else (value if isinstance(value, str) else repr(value))
        self.problems.append(Problem(DESCRIPTOR_FILE, None, where, rule, message, value=shown))
        if index is not None:
            self.flagged.add(index)


def _names(value: Any) -> list[str] | None:
    """A Table Schema field list (one name or a list of names) as a list, or None when malformed."""
    if isinstance(value, str) and value:
        return [value]
    if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value):
        return list(value)
    return None


@lru_cache(maxsize=256)
def regex_error(pattern: str) -> str | None:
    """Why PATTERN cannot be used to check a column (Python's or pandas' regex engine), or None."""
    try:
        re.compile(pattern)
    except re.error as exc:
        return str(exc)
    try:
        import pandas as pd

        pd.Series(["x"], dtype="string").str.match(pattern)
    except Exception as exc:  # pyarrow's RE2 rejects some patterns Python accepts
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return None


def _check_constraints(
    out: DescriptorCheck, i: int, where: str, label: str, ftype: str, constraints: Any
) -> dict[str, Any]:
    """The usable constraints of one field; the others are reported and dropped."""
    if constraints is None:
        return {}
    if not isinstance(constraints, dict):
        out.add(
            f"{where}/constraints",
            "field-constraints",
            f"{label}: 'constraints' must be an object",
            constraints,
            i,
        )
        return {}
    clean: dict[str, Any] = {}
    for key, value in constraints.items():
        at = f"{where}/constraints/{key}"
        if key in ("required", "unique"):
            if isinstance(value, bool):
                clean[key] = value
            else:
                out.add(at, "field-constraints", f"{label}: {key!r} must be true or false", value, i)
        elif key == "pattern":
            if not isinstance(value, str):
                out.add(at, "field-pattern", f"{label}: the pattern must be a string", value, i)
                continue
            error = regex_error(value)
            if error:
                out.add(
                    at,
                    "field-pattern",
                    f"{label}: the pattern is not a valid regular expression ({error})",
                    value,
                    i,
                )
            else:
                clean[key] = value
        elif key == "enum":
            if not isinstance(value, list):
                out.add(
                    at,
                    "field-enum",
                    f'{label}: the enum must be a list of allowed values, e.g. ["a", "b"]',
                    value,
                    i,
                )
            elif not value:
                out.add(at, "field-enum", f"{label}: the enum is empty: it would allow no value", value, i)
            elif not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in value):
                out.add(at, "field-enum", f"{label}: every enum value must be a string or a number", value, i)
            elif len({str(v) for v in value}) != len(value):
                out.add(at, "field-enum", f"{label}: the enum lists a value twice", value, i)
            else:
                clean[key] = value
        elif key in ("minimum", "maximum"):
            if ftype in ("integer", "number"):
                if isinstance(value, int | float) and not isinstance(value, bool):
                    clean[key] = value
                else:
                    out.add(at, "field-constraints", f"{label}: {key!r} must be a number", value, i)
        elif key in ("minLength", "maxLength"):
            if not (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
                out.add(at, "field-constraints", f"{label}: {key!r} must be a whole number", value, i)
        else:
            clean[key] = value
    return clean


def _check_fields(
    out: DescriptorCheck, i: int, where: str, name: str, fields: Any
) -> list[dict[str, Any]] | None:
    """The cleaned field list of one schema, or None when the fields cannot be used at all."""
    if not isinstance(fields, list):
        out.add(
            f"{where}/schema/fields",
            "schema-fields",
            f"resource {name!r}: 'fields' must be a list of field objects",
            fields,
            i,
        )
        return None
    if not fields:
        out.add(f"{where}/schema/fields", "schema-fields", f"resource {name!r} has no fields", None, i)
        return None
    usable = True
    clean: list[dict[str, Any]] = []
    seen: set[str] = set()
    for j, raw_field in enumerate(fields):
        at = f"{where}/schema/fields/{j}"
        if not isinstance(raw_field, dict):
            out.add(at, "field", f"resource {name!r}: field {j + 1} must be an object", raw_field, i)
            usable = False
            continue
        fname = raw_field.get("name")
        if not isinstance(fname, str) or not fname.strip():
            out.add(f"{at}/name", "field-name", f"resource {name!r}: field {j + 1} has no name", fname, i)
            usable = False
            continue
        at = f"{where}/schema/fields/{fname}"
        label = f"resource {name!r}, field {fname!r}"
        if fname in seen:
            out.add(at, "field-name", f"resource {name!r}: field {fname!r} is declared twice", fname, i)
            usable = False
            continue
        seen.add(fname)
        ftype = raw_field.get("type", "string")
        if not isinstance(ftype, str) or ftype not in FIELD_TYPES:
            out.add(
                f"{at}/type",
                "field-type",
                f"{label}: {ftype!r} is not a Table Schema type (string, integer, number, boolean, date, ...)",
                ftype,
                i,
            )
            ftype = "string"
        item = {k: v for k, v in raw_field.items() if k not in ("type", "constraints")}
        item["type"] = ftype
        item["constraints"] = _check_constraints(out, i, at, label, ftype, raw_field.get("constraints"))
        if not isinstance(item.get("description", ""), str):
            item.pop("description")
        clean.append(item)
    if not usable:
        return None
    names = [f["name"] for f in clean]
    for item in clean:
        at = f"{where}/schema/fields/{item['name']}"
        label = f"resource {name!r}, field {item['name']!r}"
        verbatim = item.get("x-verbatim-in")
        if verbatim is not None and not (isinstance(verbatim, str) and verbatim in names):
            out.add(
                f"{at}/x-verbatim-in",
                "field-verbatim",
                f"{label}: 'x-verbatim-in' must name another field of the table (the source id)",
                verbatim,
                i,
            )
            item.pop("x-verbatim-in")
        list_of = item.get("x-list-of")
        if list_of is not None:
            ok = (
                isinstance(list_of, dict)
                and isinstance(list_of.get("resource"), str)
                and list_of.get("resource")
                and isinstance(list_of.get("field", "id"), str)
                and isinstance(list_of.get("separator", ";"), str)
                and list_of.get("separator", ";") != ""
            )
            if not ok:
                out.add(
                    f"{at}/x-list-of",
                    "field-list",
                    f"{label}: 'x-list-of' must be an object with a 'resource', a 'field' and a non-empty 'separator'",
                    list_of,
                    i,
                )
                item.pop("x-list-of")
    return clean


def _check_keys(
    out: DescriptorCheck, i: int, where: str, name: str, schema: dict[str, Any], names: list[str]
) -> dict[str, Any]:
    """primaryKey and foreignKeys that refer to fields of this table; the rest are reported and dropped."""
    keys: dict[str, Any] = {}
    if "primaryKey" in schema:
        pk = _names(schema["primaryKey"])
        if pk is None:
            out.add(
                f"{where}/schema/primaryKey",
                "primary-key",
                f"resource {name!r}: 'primaryKey' must be a field name or a list of field names",
                schema["primaryKey"],
                i,
            )
            keys["primaryKey"] = []
        else:
            unknown = [k for k in pk if k not in names]
            if unknown:
                out.add(
                    f"{where}/schema/primaryKey",
                    "primary-key",
                    f"resource {name!r}: primaryKey field {unknown[0]!r} is not a field of the table",
                    unknown[0],
                    i,
                )
                keys["primaryKey"] = []
            else:
                keys["primaryKey"] = pk
    fks = schema.get("foreignKeys")
    if fks is None:
        return keys
    if not isinstance(fks, list):
        out.add(
            f"{where}/schema/foreignKeys",
            "foreign-key-definition",
            f"resource {name!r}: 'foreignKeys' must be a list",
            fks,
            i,
        )
        return keys
    clean = []
    for k, fk in enumerate(fks):
        at = f"{where}/schema/foreignKeys/{k}"
        reference = fk.get("reference") if isinstance(fk, dict) else None
        fields = _names(fk.get("fields")) if isinstance(fk, dict) else None
        ref_fields = _names(reference.get("fields")) if isinstance(reference, dict) else None
        resource = reference.get("resource", "") if isinstance(reference, dict) else None
        if fields is None or ref_fields is None or not isinstance(resource, str):
            out.add(
                at,
                "foreign-key-definition",
                f"resource {name!r}: foreign key {k + 1} needs 'fields' and a 'reference' with 'resource' and 'fields'",
                fk,
                i,
            )
            continue
        if len(fields) != len(ref_fields):
            out.add(
                at,
                "foreign-key-definition",
                f"resource {name!r}: foreign key {k + 1} pairs {len(fields)} field(s) with {len(ref_fields)}",
                fk,
                i,
            )
            continue
        unknown = [f for f in fields if f not in names]
        if unknown:
            out.add(
                at,
                "foreign-key-definition",
                f"resource {name!r}: foreign key field {unknown[0]!r} is not a field of the table",
                unknown[0],
                i,
            )
            continue
        clean.append({"fields": fields, "reference": {"resource": resource or name, "fields": ref_fields}})
    keys["foreignKeys"] = clean
    return keys


def _check_resource(out: DescriptorCheck, i: int, res: Any, seen: set[str]) -> dict[str, Any] | None:
    """One resource: name, path, CSV dialect and schema. Returns its sound parts, or None."""
    if not isinstance(res, dict):
        out.add(f"resources/{i}", "resource", f"resource {i + 1} must be a JSON object", res, i)
        return None
    name = res.get("name")
    if not isinstance(name, str) or not name.strip():
        out.add(
            f"resources/{i}/name",
            "resource-name",
            f"resource {i + 1} has no name (one of {', '.join(TABLES)})",
            name,
            i,
        )
        return None
    where = f"resources/{name}"
    if name in seen:
        # located by index: by name, the location would point at the first of the two
        out.add(f"resources/{i}/name", "resource-name", f"two resources are named {name!r}", name, i)
        return None
    seen.add(name)
    readable = True
    path = res.get("path")
    if "data" in res:
        out.add(
            f"{where}/data",
            "inline-data",
            f"resource {name!r}: inline data is not allowed: tables live in CSV files",
            None,
            i,
        )
    if path is None:
        out.add(f"{where}/path", "resource-path", f"resource {name!r} has no 'path' to its CSV file", None, i)
        readable = False
    elif isinstance(path, list):
        out.add(
            f"{where}/path",
            "resource-path",
            f"resource {name!r}: a path list (several files) is not supported: use one CSV file",
            path,
            i,
        )
        readable = False
    elif not isinstance(path, str):
        out.add(f"{where}/path", "resource-path", f"resource {name!r}: the path must be a string", path, i)
        readable = False
    else:
        reason = unsafe_path_reason(path)
        if reason:
            out.add(f"{where}/path", "unsafe-path", f"resource {name!r}: {reason}", path, i)
            readable = False
    encoding = res.get("encoding")
    if encoding is not None and (not isinstance(encoding, str) or encoding.lower() not in _UTF8):
        out.add(
            f"{where}/encoding",
            "resource-encoding",
            f"resource {name!r}: the CSVs of this package are UTF-8",
            encoding,
            i,
        )
    fmt = res.get("format")
    if fmt is not None and (not isinstance(fmt, str) or fmt.lower() != "csv"):
        out.add(
            f"{where}/format",
            "resource-format",
            f"resource {name!r}: the tables of this package are CSV",
            fmt,
            i,
        )
    dialect = res.get("dialect")
    if dialect is not None:
        if not isinstance(dialect, dict):
            out.add(
                f"{where}/dialect", "dialect", f"resource {name!r}: 'dialect' must be an object", dialect, i
            )
        else:
            for key, want in DIALECT.items():
                if key in dialect and dialect[key] != want:
                    out.add(
                        f"{where}/dialect/{key}",
                        "dialect",
                        f"resource {name!r}: the CSVs of this package are read with {key} {want!r}",
                        dialect[key],
                        i,
                    )
    schema = res.get("schema")
    clean_schema: dict[str, Any] | None = None
    if schema is None:
        out.add(f"{where}/schema", "schema", f"resource {name!r} has no schema", None, i)
    elif isinstance(schema, str):
        out.add(
            f"{where}/schema",
            "schema",
            f"resource {name!r}: the schema must be written inline in datapackage.json, not referenced by path or URL",
            schema,
            i,
        )
    elif not isinstance(schema, dict):
        out.add(
            f"{where}/schema", "schema", f"resource {name!r}: the schema must be a JSON object", schema, i
        )
    else:
        fields = _check_fields(out, i, where, name, schema.get("fields"))
        if fields is not None:
            clean_schema = {"fields": fields}
            clean_schema.update(_check_keys(out, i, where, name, schema, [f["name"] for f in fields]))
    if clean_schema is None:
        clean_schema = {"fields": []}
        readable = False
    if not readable:
        out.unreadable.add(name)
    return {
        "name": name,
        "path": path if isinstance(path, str) else "",
        "title": res.get("title") if isinstance(res.get("title"), str) else "",
        "description": res.get("description") if isinstance(res.get("description"), str) else "",
        "schema": clean_schema,
    }


def _check_references(out: DescriptorCheck, resources: list[dict[str, Any]], indices: dict[str, int]) -> None:
    """Foreign keys and list fields must point to a resource and fields that exist."""
    fields_of = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in resources}
    for res in resources:
        name, schema = res["name"], res["schema"]
        i = indices[name]
        where = f"resources/{name}/schema"
        kept = []
        for fk in schema.get("foreignKeys", []):
            target, ref_fields = fk["reference"]["resource"], fk["reference"]["fields"]
            reason = _target_fault(target, ref_fields, fields_of, name in out.unreadable)
            if reason is None:
                kept.append(fk)
            elif reason:
                out.add(
                    f"{where}/foreignKeys",
                    "foreign-key-target",
                    f"resource {name!r}: the foreign key on {', '.join(fk['fields'])} {reason}",
                    f"{target}.{','.join(ref_fields)}",
                    i,
                )
        if "foreignKeys" in schema:
            schema["foreignKeys"] = kept
        for item in schema["fields"]:
            list_of = item.get("x-list-of")
            if not list_of:
                continue
            target, ref_field = list_of["resource"], list_of.get("field", "id")
            reason = _target_fault(target, [ref_field], fields_of, False)
            if reason is not None:
                item.pop("x-list-of")
                if reason:
                    out.add(
                        f"{where}/fields/{item['name']}/x-list-of",
                        "foreign-key-target",
                        f"resource {name!r}: the list field {item['name']!r} {reason}",
                        f"{target}.{ref_field}",
                        i,
                    )


def _target_fault(
    target: str, ref_fields: list[str], fields_of: dict[str, list[str]], quiet: bool
) -> str | None:
    """Why a reference to TARGET.REF_FIELDS cannot be checked ('' = already reported elsewhere), or None."""
    if target not in fields_of:
        # a missing table of this project is reported once, as missing-table
        return (
            ""
            if target in TABLES or quiet
            else f"points to resource {target!r}, which the package does not have"
        )
    if not fields_of[target]:
        return ""  # the target's schema is broken; reported there
    unknown = [f for f in ref_fields if f not in fields_of[target]]
    if unknown:
        return f"points to {target}.{unknown[0]}, which is not a field of {target!r}"
    return None


def check_descriptor(raw: dict[str, Any]) -> DescriptorCheck:
    """The descriptor's structure, in plain words, and the sound resources to go on with."""
    out = DescriptorCheck()
    resources = raw.get("resources")
    if not isinstance(resources, list) or not resources:
        out.add(
            "resources",
            "resources",
            "'resources' must be a non-empty list of tables",
            resources,
        )
        out.resources_broken = True
        return out
    seen: set[str] = set()
    indices: dict[str, int] = {}
    for i, res in enumerate(resources):
        clean = _check_resource(out, i, res, seen)
        if clean is not None:
            out.resources.append(clean)
            indices[clean["name"]] = i
    _check_references(out, out.resources, indices)
    present = {r["name"] for r in out.resources}
    for name in TABLES:
        if name not in present:
            out.add("resources", "missing-table", f"the package has no {name!r} resource", name)
    for res in out.resources:
        if res["name"] in TABLES and res["schema"]["fields"] and "primaryKey" not in res["schema"]:
            out.add(
                f"resources/{res['name']}/schema/primaryKey",
                "primary-key",
                f"resource {res['name']!r} declares no primaryKey",
                None,
                indices[res["name"]],
            )
    return out


def _cached_resource_errors(res: dict[str, Any]) -> list[Any]:
    """Frictionless' findings on one resource; the same resource is checked once per process."""
    try:
        text = json.dumps(res, sort_keys=True)
    except (TypeError, ValueError):
        from frictionless import Resource

        return list(Resource.metadata_validate(res))
    return _resource_errors(text)


@lru_cache(maxsize=64)
def _resource_errors(text: str) -> list[Any]:
    from frictionless import Resource

    return list(Resource.metadata_validate(json.loads(text)))


def standard_problems(raw: dict[str, Any], flagged: set[int]) -> list[Problem]:
    """The descriptor against the Data Package standard (frictionless), where our checks found nothing.

    Package properties are checked with the resources set aside; each resource on its own, and
    only when the checks above found nothing in it (they say the same in plainer words).
    """
    from frictionless import Package

    problems: list[Problem] = []

    def report(where: str, errors: Callable[[], Any]) -> None:
        try:
            found = list(errors())
        except Exception as exc:  # frictionless raises on some malformed descriptors
            problems.append(
                Problem(
                    DESCRIPTOR_FILE, None, where, "data-package-standard", f"not a valid data package: {exc}"
                )
            )
            return
        for error in found:
            note = getattr(error, "note", "") or error.message
            if any(f"at property '{key}'" in note for key in INTEGRITY_KEYS):
                continue  # the integrity check says it, naming the file and the actual value
            problems.append(
                Problem(DESCRIPTOR_FILE, None, where, "data-package-standard", f"{error.title}: {note}")
            )

    stub = {
        "name": "stub",
        "path": "stub.csv",
        "profile": "tabular-data-resource",
        "schema": {"fields": [{"name": "stub", "type": "string"}]},
    }
    report("", lambda: Package.metadata_validate({**raw, "resources": [stub]}))
    resources = raw.get("resources")
    if isinstance(resources, list):
        for i, res in enumerate(resources):
            if i in flagged or not isinstance(res, dict):
                continue
            report(f"resources/{res.get('name', i)}", lambda res=res: _cached_resource_errors(res))
    return problems


def descriptor_line(lines: list[str], where: str | None) -> int | None:
    """The line of datapackage.json that a location such as `resources/persons/schema/fields/id/type` names.

    Found by searching the text key by key (a resource or field by its `"name"`), so that a
    GitHub annotation lands on the line; None when the location cannot be followed.
    """
    if not where:
        return None
    position, previous, found = 0, None, None
    for segment in where.split("/"):
        if segment.isdigit():
            break  # an index (a resource without a name): stay on the list's line
        quoted = json.dumps(segment, ensure_ascii=False)
        needle = f'"name": {quoted}' if previous in ("resources", "fields") else f"{quoted}:"
        hit = next((n for n in range(position, len(lines)) if needle in lines[n]), None)
        if hit is None:
            break
        position, previous, found = hit, segment, hit + 1
    return found


def _with_lines(problems: list[Problem], file: Path) -> list[Problem]:
    """Give descriptor problems the line they point at."""
    try:
        lines = file.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return problems
    return [
        replace(p, row=descriptor_line(lines, p.column)) if p.file == DESCRIPTOR_FILE and p.row is None else p
        for p in problems
    ]


def _guarded(problems: list[Problem], file: str, step: str, func: Callable[[], T], default: T) -> T:
    """Run one check step; an unforeseen exception becomes a Problem instead of a crash."""
    try:
        return func()
    except Exception as exc:
        problems.append(
            Problem(
                file,
                None,
                None,
                "internal-error",
                f"the {step} check could not run ({type(exc).__name__}: {exc}); "
                "the package probably has a fault this check does not expect. Please report it.",
            )
        )
        return default


def validate(path: str | os.PathLike[str] | None = None) -> Report:
    """Validate the package at PATH (a directory or its datapackage.json; None = the bundled package).

    Raises `PackageNotFoundError` or `DescriptorError` only when there is nothing to validate
    (no descriptor, or one that is not a JSON object); every fault in a package that can be
    read is a Problem in the returned Report.
    """
    file, raw = read_raw(path)
    report = Report(package=str(path if path is not None else "bundled package"))
    _check_package(report.problems, file, raw)
    report.problems[:] = _with_lines(report.problems, file)
    return report.sorted()


def _check_package(problems: list[Problem], file: Path, raw: dict[str, Any]) -> None:
    """Every step of `validate`, each guarded, appending to PROBLEMS."""
    found = _guarded(problems, DESCRIPTOR_FILE, "descriptor", lambda: check_descriptor(raw), None)
    if found is None:
        return
    problems.extend(found.problems)
    problems.extend(
        _guarded(
            problems,
            DESCRIPTOR_FILE,
            "data package standard",
            lambda: standard_problems(raw, found.flagged),
            [],
        )
    )
    if found.resources_broken:
        return
    parsed = _guarded(
        problems,
        DESCRIPTOR_FILE,
        "descriptor",
        lambda: parse_descriptor({"resources": found.resources}, file),
        None,
    )
    if parsed is None:
        return
    desc = Descriptor(path=file, raw=raw, tables=parsed.tables)
    problems.extend(
        _guarded(problems, DESCRIPTOR_FILE, "resource integrity", lambda: integrity_problems(desc), [])
    )
    frames = read_tables(desc, found.unreadable, problems)
    for raw_table in frames.values():
        problems.extend(raw_table.problems)
        problems.extend(
            _guarded(problems, raw_table.file, "schema", lambda t=raw_table: checks.schema_problems(t), [])
        )
        problems.extend(
            _guarded(
                problems, raw_table.file, "text hygiene", lambda t=raw_table: checks.hygiene_problems(t), []
            )
        )
    problems.extend(
        _guarded(
            problems, DESCRIPTOR_FILE, "foreign key", lambda: checks.foreign_key_problems(frames, desc), []
        )
    )
    sources_file = frames["sources"].file if "sources" in frames else DESCRIPTOR_FILE
    texts, archive_problems = _guarded(
        problems, sources_file, "archive", lambda: checks.source_texts(frames, desc.root), ({}, [])
    )
    problems.extend(archive_problems)
    problems.extend(
        _guarded(problems, DESCRIPTOR_FILE, "verbatim", lambda: checks.verbatim_problems(frames, texts), [])
    )
    problems.extend(
        _guarded(problems, DESCRIPTOR_FILE, "cross-table", lambda: checks.cross_table_problems(frames), [])
    )


def read_tables(
    desc: Descriptor, unreadable: set[str] | None = None, problems: list[Problem] | None = None
) -> dict[str, RawTable]:
    """Read every tabular resource whose path and schema are sound; problems are kept on each RawTable."""
    frames: dict[str, RawTable] = {}
    sink = problems if problems is not None else []
    for name, table in desc.tables.items():
        if unreadable and name in unreadable:
            frames[name] = RawTable(table, table.path or DESCRIPTOR_FILE, None)
            continue
        frames[name] = _guarded(
            sink,
            table.path,
            "CSV reading",
            lambda t=table: read_table(desc.root, t),
            RawTable(table, table.path, None),
        )
    return frames
