"""`validate(path)`: every check on a package, collected into one Report (never the first error only).

The descriptor is checked first, field by field, in plain words; what is broken in it (an
invalid regular expression, an enum that is not a list, a foreign key to a missing table) is
reported and then left out, so that the rest of the package can still be checked. Each later
step runs guarded: a fault nobody foresaw becomes an `internal-error` Problem, not a crash.
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .descriptor import (
    RANGE_CONSTRAINTS,
    SEMVER,
    STRING_FORMATS,
    TABLES,
    Descriptor,
    ForeignKey,
    parse_descriptor,
    read_raw,
)
from .integrity import integrity_problems
from .location import DESCRIPTOR_NAME as DESCRIPTOR_FILE
from .location import uncited_files, unsafe_path_reason
from .report import Problem, Report

if TYPE_CHECKING:  # read.py imports pandas and pyarrow: validate imports it once the hashing has started
    from .read import RawTable

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
#: Table Dialect options whose other values the reader does not implement: a descriptor that sets
#: them otherwise is reported, not read as if they were not there.
DIALECT_DEFAULTS: dict[str, Any] = {
    "doubleQuote": True,
    "skipInitialSpace": False,
    "commentChar": None,
    "escapeChar": None,
    "nullSequence": None,
    "headerRowCount": 1,
}
_UTF8 = ("utf-8", "utf8", "utf-8-sig")
#: The range constraints' names in a descriptor (minimum, exclusiveMaximum, ...).
RANGE_KEYS = frozenset(r.key for r in RANGE_CONSTRAINTS)
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
    #: normalised resource path -> the name of the first resource that uses it
    paths: dict[str, str] = field(default_factory=dict)

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


#: A constraint dropped without a word: a range on a field that is not a number.
_UNSAID = ("", "")


def _pattern_fault(label: str, value: Any) -> tuple[str, str] | None:
    if not isinstance(value, str):
        return "field-pattern", f"{label}: the pattern must be a string"
    error = regex_error(value)
    if error:
        return "field-pattern", f"{label}: the pattern is not a valid regular expression ({error})"
    return None


def _enum_fault(label: str, value: Any) -> tuple[str, str] | None:
    if not isinstance(value, list):
        return "field-enum", f'{label}: the enum must be a list of allowed values, e.g. ["a", "b"]'
    if not value:
        return "field-enum", f"{label}: the enum is empty: it would allow no value"
    if not all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in value):
        return "field-enum", f"{label}: every enum value must be a string or a number"
    if len({str(v) for v in value}) != len(value):
        return "field-enum", f"{label}: the enum lists a value twice"
    return None


def _constraint_fault(key: str, value: Any, label: str, ftype: str) -> tuple[str, str] | None:
    """(rule, words) when constraint KEY cannot be used, None when it can; `_UNSAID` drops it quietly."""
    if key in ("required", "unique"):
        return (
            None
            if isinstance(value, bool)
            else ("field-constraints", f"{label}: {key!r} must be true or false")
        )
    if key == "pattern":
        return _pattern_fault(label, value)
    if key == "enum":
        return _enum_fault(label, value)
    if key in RANGE_KEYS:
        if ftype not in ("integer", "number"):
            return _UNSAID
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            return None
        return "field-constraints", f"{label}: {key!r} must be a finite number"
    if key in ("minLength", "maxLength"):
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return None
        return "field-constraints", f"{label}: {key!r} must be a whole number"
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
        fault = _constraint_fault(key, value, label, ftype)
        if fault is None:
            clean[key] = value
        elif fault != _UNSAID:
            out.add(f"{where}/constraints/{key}", fault[0], fault[1], value, i)
    return clean


def _check_field(
    out: DescriptorCheck, i: int, where: str, name: str, j: int, raw_field: Any, seen: set[str]
) -> dict[str, Any] | None:
    """Field J of a schema, cleaned; None (reported) when it has no object, no name or a name used before."""
    at = f"{where}/schema/fields/{j}"
    if not isinstance(raw_field, dict):
        out.add(at, "field", f"resource {name!r}: field {j + 1} must be an object", raw_field, i)
        return None
    fname = raw_field.get("name")
    if not isinstance(fname, str) or not fname.strip():
        out.add(f"{at}/name", "field-name", f"resource {name!r}: field {j + 1} has no name", fname, i)
        return None
    at = f"{where}/schema/fields/{fname}"
    label = f"resource {name!r}, field {fname!r}"
    if fname in seen:
        out.add(at, "field-name", f"resource {name!r}: field {fname!r} is declared twice", fname, i)
        return None
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
    fmt = raw_field.get("format")
    if ftype == "string" and fmt is not None and fmt != "default" and fmt not in STRING_FORMATS:
        out.add(
            f"{at}/format",
            "field-format",
            f"{label}: a string's format is one of default, {', '.join(STRING_FORMATS)}",
            fmt,
            i,
        )
        item.pop("format")
    item["constraints"] = _check_constraints(out, i, at, label, ftype, raw_field.get("constraints"))
    if not isinstance(item.get("description", ""), str):
        item.pop("description")
    return item


def _check_field_links(
    out: DescriptorCheck, i: int, where: str, name: str, clean: list[dict[str, Any]]
) -> None:
    """`x-verbatim-in` names a field of the table, `x-list-of` is well formed; a bad one is reported and dropped."""
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
    seen: set[str] = set()
    checked = [_check_field(out, i, where, name, j, raw_field, seen) for j, raw_field in enumerate(fields)]
    clean = [item for item in checked if item is not None]
    if len(clean) != len(checked):
        return None
    _check_field_links(out, i, where, name, clean)
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


def _resource_name(out: DescriptorCheck, i: int, res: Any, seen: set[str]) -> str | None:
    """The name of resource I when it is an object with a new, non-empty name; else None (reported)."""
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
    if name in seen:
        # located by index: by name, the location would point at the first of the two
        out.add(f"resources/{i}/name", "resource-name", f"two resources are named {name!r}", name, i)
        return None
    seen.add(name)
    return name


def _check_path(out: DescriptorCheck, i: int, where: str, name: str, res: dict[str, Any]) -> bool:
    """The resource's data is one safe CSV path of its own; False when there is no file to read."""
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
        return False
    if isinstance(path, list):
        out.add(
            f"{where}/path",
            "resource-path",
            f"resource {name!r}: a path list (several files) is not supported: use one CSV file",
            path,
            i,
        )
        return False
    if not isinstance(path, str):
        out.add(f"{where}/path", "resource-path", f"resource {name!r}: the path must be a string", path, i)
        return False
    reason = unsafe_path_reason(path)
    if reason:
        out.add(f"{where}/path", "unsafe-path", f"resource {name!r}: {reason}", path, i)
        return False
    same = os.path.normpath(path)
    if same in out.paths:
        out.add(
            f"{where}/path",
            "resource-path",
            f"resource {name!r} uses the file of resource {out.paths[same]!r}: each table has its own CSV",
            path,
            i,
        )
    else:
        out.paths[same] = name
    return True


def _check_csv_format(out: DescriptorCheck, i: int, where: str, name: str, res: dict[str, Any]) -> None:
    """Encoding, format and dialect, where given, say what the package's CSVs are: UTF-8, CSV, DIALECT."""
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
    if dialect is None:
        return
    if not isinstance(dialect, dict):
        out.add(f"{where}/dialect", "dialect", f"resource {name!r}: 'dialect' must be an object", dialect, i)
        return
    for key, want in {**DIALECT, **DIALECT_DEFAULTS}.items():
        if key in dialect and dialect[key] != want:
            out.add(
                f"{where}/dialect/{key}",
                "dialect",
                f"resource {name!r}: the CSVs of this package are read with {key} {want!r}",
                dialect[key],
                i,
            )


def _check_schema(out: DescriptorCheck, i: int, where: str, name: str, schema: Any) -> dict[str, Any] | None:
    """The resource's inline schema, its sound fields and keys; None when there is none to use."""
    if schema is None:
        out.add(f"{where}/schema", "schema", f"resource {name!r} has no schema", None, i)
        return None
    if isinstance(schema, str):
        out.add(
            f"{where}/schema",
            "schema",
            f"resource {name!r}: the schema must be written inline in datapackage.json, not referenced by path or URL",
            schema,
            i,
        )
        return None
    if not isinstance(schema, dict):
        out.add(
            f"{where}/schema", "schema", f"resource {name!r}: the schema must be a JSON object", schema, i
        )
        return None
    missing = schema.get("missingValues")
    if missing is not None and missing != [""]:
        out.add(
            f"{where}/schema/missingValues",
            "schema",
            f'resource {name!r}: a missing value is an empty cell in this package (missingValues [""]); '
            "write empty cells instead",
            missing,
            i,
        )
    fields = _check_fields(out, i, where, name, schema.get("fields"))
    if fields is None:
        return None
    clean_schema: dict[str, Any] = {"fields": fields}
    clean_schema.update(_check_keys(out, i, where, name, schema, [f["name"] for f in fields]))
    return clean_schema


def _check_resource(out: DescriptorCheck, i: int, res: Any, seen: set[str]) -> dict[str, Any] | None:
    """One resource: name, path, CSV dialect and schema. Returns its sound parts, or None."""
    name = _resource_name(out, i, res, seen)
    if name is None:
        return None
    where = f"resources/{name}"
    readable = _check_path(out, i, where, name, res)
    _check_csv_format(out, i, where, name, res)
    clean_schema = _check_schema(out, i, where, name, res.get("schema"))
    if clean_schema is None:
        clean_schema = {"fields": []}
        readable = False
    if not readable:
        out.unreadable.add(name)
    path = res.get("path")
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
        if "sources" in fields_of:  # without the table, its absence is the one problem to report
            _check_verbatim_sources(out, res, i)


def _check_verbatim_sources(out: DescriptorCheck, res: dict[str, Any], i: int) -> None:
    """`x-verbatim-in` must name a field that cites the sources table, or the check has no text to search."""
    name, schema = res["name"], res["schema"]
    citing = {
        fk["fields"][0]
        for fk in schema.get("foreignKeys", [])
        if fk["reference"]["resource"] == "sources" and len(fk["fields"]) == 1
    } | {f["name"] for f in schema["fields"] if (f.get("x-list-of") or {}).get("resource") == "sources"}
    for item in schema["fields"]:
        verbatim = item.get("x-verbatim-in")
        if verbatim is None or verbatim in citing:
            continue
        out.add(
            f"resources/{name}/schema/fields/{item['name']}/x-verbatim-in",
            "field-verbatim",
            f"resource {name!r}, field {item['name']!r}: 'x-verbatim-in' names {verbatim!r}, which does "
            "not cite the sources table (a foreign key or x-list-of to sources)",
            verbatim,
            i,
        )
        item.pop("x-verbatim-in")


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
    version = raw.get("version")
    if not (isinstance(version, str) and SEMVER.match(version)):
        out.add(
            "version",
            "version",
            "the package needs a 'version' in Semantic Versioning form, MAJOR.MINOR.PATCH such as 1.0.0 "
            "(CHANGELOG.md says which part to raise)",
            version,
        )
    profile = raw.get("$schema")
    if profile is not None and not (isinstance(profile, str) and re.match(r"https?://\S+$", profile.strip())):
        out.add(
            "$schema",
            "profile",
            "'$schema' must be the URL of the profile the package follows, such as "
            "https://datapackage.org/profiles/2.0/datapackage.json (or leave it out for Data Package v1)",
            profile,
        )
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
    package = _offline(raw, "", problems)
    report("", lambda: Package.metadata_validate({**package, "resources": [stub]}))
    resources = raw.get("resources")
    profile = _resource_profile(raw.get("$schema"))
    if isinstance(resources, list):
        for i, res in enumerate(resources):
            if i in flagged or not isinstance(res, dict):
                continue
            where = f"resources/{res.get('name', i)}"
            res = _offline(res, where, problems)
            if profile and "$schema" not in res:  # checked on its own, in the package's version
                res = {**res, "$schema": profile}
            report(where, partial(_cached_resource_errors, res))
    return problems


def _resource_profile(package_profile: Any) -> str | None:
    """The standard's resource profile of the version a package declares (`$schema`), or None.

    Each resource is checked on its own, and frictionless would read it as Data Package v1
    (where `exclusiveMinimum`, for one, does not exist) unless it is told the version.
    """
    if not isinstance(package_profile, str):
        return None
    found = re.fullmatch(
        r"https://datapackage\.org/profiles/(\d+\.\d+)/datapackage\.json", package_profile.strip()
    )
    return f"https://datapackage.org/profiles/{found.group(1)}/dataresource.json" if found else None


#: Hosts of the standard's own profiles, which frictionless ships and never downloads.
STANDARD_PROFILE_HOSTS = ("datapackage.org", "specs.frictionlessdata.io")


def _offline(descriptor: dict[str, Any], where: str, problems: list[Problem]) -> dict[str, Any]:
    """DESCRIPTOR without custom profile URLs, which frictionless would download (a warning each).

    Validation must work the same offline, in CI, and must not wait on (or call) a server the
    package names; the descriptor is then checked against the standard profile.
    """
    kept = dict(descriptor)
    for key in ("profile", "$schema"):
        value = kept.get(key)
        if not isinstance(value, str) or "://" not in value:
            continue
        host = value.split("://", 1)[1].split("/", 1)[0].lower()
        if host in STANDARD_PROFILE_HOSTS:
            continue
        del kept[key]
        problems.append(
            Problem(
                DESCRIPTOR_FILE,
                None,
                f"{where}/{key}".lstrip("/"),
                "custom-profile",
                f"the custom profile {value} is not downloaded (validation works offline); "
                "the descriptor is checked against the standard profile only",
                value=value,
                severity="warning",
            )
        )
    return kept


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
    report.problems[:] = _with_lines(report.problems, file)
    return report.sorted()


def duplicate_key_problems(file: Path) -> list[Problem]:
    """A key written twice in one JSON object of the descriptor: JSON readers keep only the last one."""
    text = file.read_text(encoding="utf-8-sig")
    repeated: list[tuple[str, Any]] = []  # (key, the object's "name" when it has one)

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _ in items]
        name = dict(items).get("name")
        repeated.extend((key, name) for i, key in enumerate(keys) if key in keys[:i])
        return dict(items)

    json.loads(text, object_pairs_hook=pairs)  # read_raw has parsed it already: it cannot fail here
    problems = []
    lines = text.splitlines()
    for key, name in dict.fromkeys((k, n if isinstance(n, str) else None) for k, n in repeated):
        where, line = "", None
        if name is not None:
            where = f" (the object named {name!r})"
            marker = '"name":' + json.dumps(name, ensure_ascii=False)
            at = [n for n, text_line in enumerate(lines, 1) if marker in text_line.replace(" ", "")]
            line = at[0] if len(at) == 1 else None  # the line of its name, when that is unambiguous
        problems.append(
            Problem(
                DESCRIPTOR_FILE,
                line,
                None,
                "duplicate-key",
                f"the key {key!r} is written twice in one object{where}; JSON keeps only the last, "
                "so the first is silently lost: merge them",
                value=key,
            )
        )
    return problems


def _check_package(
    problems: list[Problem], file: Path, raw: dict[str, Any], frames: dict[str, Any] | None = None
) -> None:
    """Every step of `validate`, each guarded, appending to PROBLEMS.

    The steps that need no table (the resources' recorded sizes and hashes, and the descriptor
    against the standard) run on a second thread while the tables are read and checked. The
    hashing starts first, before this thread imports pandas and pyarrow to read the tables:
    hashing leaves the GIL, so the imports and the hashing use both cores.
    """
    found = _guarded(problems, DESCRIPTOR_FILE, "descriptor", lambda: check_descriptor(raw), None)
    if found is None:
        return
    problems.extend(found.problems)
    desc = None
    if not found.resources_broken:
        parsed = _guarded(
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
            side.submit(_collect, DESCRIPTOR_FILE, "resource integrity", integrity_problems, desc)
            if desc is not None
            else None
        )
        standard = side.submit(
            _collect, DESCRIPTOR_FILE, "data package standard", standard_problems, raw, found.flagged
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


def _collect(file: str, step: str, func: Callable[..., list[Problem]], *args: Any) -> list[Problem]:
    """`_guarded` for a step run on another thread: its problems (or its internal error) as a list."""
    found: list[Problem] = []
    found.extend(_guarded(found, file, step, lambda: func(*args), []))
    return found


@dataclass
class _Run:
    """What the table-by-table checks carry from one table to the next."""

    problems: list[Problem]
    desc: Descriptor
    wanted: set[tuple[str, str]]
    composite: dict[str, set[str]]
    keys: dict[tuple[str, str], Any] = field(default_factory=dict)
    done: set[str] = field(default_factory=set)
    kept: dict[str, RawTable] = field(default_factory=dict)
    later: dict[str, list[ForeignKey]] = field(default_factory=dict)
    archive: Future[dict[str, str]] | None = None
    published: Any = None
    #: when not None, every table's text frame as read, by name (for validate_and_read)
    frames: dict[str, Any] | None = None


def _kept_columns(desc: Descriptor) -> dict[str, set[str]]:
    """By table, the columns kept after its own checks: those of composite keys and of claim links."""
    from . import links

    composite: dict[str, set[str]] = {name: set() for name in desc.tables}
    for table in desc.tables.values():
        for fk in table.foreign_keys:
            if not _single(fk):
                composite[table.name].update(fk.fields)
                if fk.resource in composite:
                    composite[fk.resource].update(fk.reference_fields)
    for name, columns in links.kept_columns(desc).items():  # the link checks run after the last table
        composite.setdefault(name, set()).update(columns)
    return composite


def check_tables(
    problems: list[Problem],
    desc: Descriptor,
    unreadable: set[str] | None = None,
    frames: dict[str, Any] | None = None,
) -> None:
    """Read and check the tables one at a time, sources first; keep only what later checks need.

    Each table's own checks (schema, hygiene and provenance, dates against its sources, key
    values) run as separate tasks on two worker threads, so a worker that is done with one
    table starts on the next while the other finishes. At most two tables are in memory at
    once (see `_Prefetch`); when a table's checks are done, its references to tables already
    done are checked, and only its key values and the columns of references still to check
    are kept, so memory follows the largest tables, not the sum of them.
    """
    from . import links

    tables = desc.tables
    composite = _kept_columns(desc)
    run = _Run(
        problems,
        desc,
        {
            (fk.resource, fk.reference_fields[0])
            for t in tables.values()
            for fk in t.foreign_keys
            if _single(fk)
        },
        composite,
        frames=frames,
    )
    order = sorted(tables, key=lambda name: name != "sources")
    if "sources" not in tables:  # no archive: every provenance check fails against nothing
        run.archive = Future()
        run.archive.set_result({})
    feed = _Prefetch(desc, unreadable, order)
    # one thread parses ahead (pyarrow leaves the GIL while it parses), two run the checks, one
    # reads the archived articles while the first large table is parsed
    with (
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="dataset-read") as reader,
        ThreadPoolExecutor(max_workers=2, thread_name_prefix="dataset-check") as workers,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="dataset-archive") as archive,
    ):
        reading = reader.submit(feed.run)
        checking: list[_Checking] = []
        try:
            for _ in order:
                raw, read_problems = feed.next()
                problems.extend(read_problems)
                checking.append(_start_table(run, raw, workers, archive))
                if len(checking) > 1:  # the table before this one: finish it while this one is checked
                    _finish_table(run, checking.pop(0), feed)
            while checking:
                _finish_table(run, checking.pop(0), feed)
        finally:
            feed.stop()
            for started in checking:
                for future in started.tasks:
                    future.cancel()
            reading.result()
    if links.LINK_TABLE in run.kept:
        problems.extend(
            _guarded(
                problems, DESCRIPTOR_FILE, "claim links", lambda: links.link_problems(run.kept, desc), []
            )
        )
    if any(run.later.values()):
        from . import checks

        frames = {n: _with_keys(t, run.later.get(n, [])) for n, t in run.kept.items()}
        problems.extend(
            _guarded(
                problems,
                DESCRIPTOR_FILE,
                "foreign key",
                lambda: checks.foreign_key_problems(frames, desc, run.keys),
                [],
            )
        )


@dataclass
class _Checking:
    """One table whose checks are running: its tasks (each a list of problems) and its key values."""

    raw: RawTable
    tasks: list[Future[list[Problem]]]
    keys: dict[tuple[str, str], Future[Any]]


def _start_table(
    run: _Run, raw: RawTable, workers: ThreadPoolExecutor, archive: ThreadPoolExecutor
) -> _Checking:
    """Submit every check of RAW that needs no other table still to be read.

    The text checks (hygiene, then provenance once the archive is read) are one task, the
    schema another, the dates against the sources a third; the archived articles are read on
    the ARCHIVE thread, so the checks of the first large table need not wait for them.
    """
    from . import checks  # pandera is imported while the next table is parsed, not before the first

    name = raw.table.name
    run.problems.extend(raw.problems)
    if name == "sources":
        run.archive = archive.submit(_read_archive, run.problems, raw, run.desc.root)
        run.published = _guarded(
            run.problems, DESCRIPTOR_FILE, "cross-table", lambda: checks._published({name: raw}), None
        )
    if run.published is None:
        run.published = checks._published({})
    published = run.published
    tasks = [
        workers.submit(_text_checks, raw, run.archive),
        workers.submit(_collect, raw.file, "schema", checks.schema_problems, raw),
        workers.submit(_collect, DESCRIPTOR_FILE, "cross-table", checks.table_facts, raw, published),
    ]
    keys = {
        (resource, key): workers.submit(_key_values, raw, key)
        for resource, key in run.wanted
        if resource == name
    }
    return _Checking(raw, tasks, keys)


def _key_values(raw: RawTable, key: str) -> Any:
    from . import checks

    return _guarded([], DESCRIPTOR_FILE, "foreign key", lambda: checks.key_values(raw, key), None)


def _finish_table(run: _Run, started: _Checking, feed: _Prefetch) -> None:
    """Collect the checks of a table, check its references to tables already done, keep what later checks need."""
    from . import checks

    raw, name = started.raw, started.raw.table.name
    for key, future in started.keys.items():
        run.keys[key] = future.result()
    run.done.add(name)
    now = [fk for fk in raw.table.foreign_keys if _single(fk) and fk.resource in run.done]
    run.later[name] = [fk for fk in raw.table.foreign_keys if fk not in now]
    run.problems.extend(
        _guarded(
            run.problems,
            DESCRIPTOR_FILE,
            "foreign key",
            lambda: checks.foreign_key_problems({name: _with_keys(raw, now)}, run.desc, run.keys),
            [],
        )
    )
    for task in started.tasks:
        run.problems.extend(task.result())
    columns = {c for fk in run.later[name] for c in fk.fields} | run.composite[name]
    if run.frames is not None and raw.frame is not None:
        run.frames[name] = raw.frame
    run.kept[name] = _slim(raw, columns)
    feed.done(raw)


def _read_archive(problems: list[Problem], raw: RawTable, root: Path) -> dict[str, str]:
    """The archived articles of the sources table RAW, by source id; their faults go to PROBLEMS."""
    from . import checks

    nothing: tuple[dict[str, str], list[Problem]] = ({}, [])
    texts, found = _guarded(
        problems, raw.file, "archive", lambda: checks.source_texts({raw.table.name: raw}, root), nothing
    )
    problems.extend(found)
    return texts


def _text_checks(raw: RawTable, archive: Future[dict[str, str]] | None) -> list[Problem]:
    """Hygiene, then (once the ARCHIVE of articles is read) provenance, of one table."""
    from . import checks

    found: list[Problem] = []
    found.extend(_guarded(found, raw.file, "text hygiene", lambda: checks.hygiene_problems(raw), []))
    found.extend(_guarded(found, raw.file, "cell length", lambda: checks.long_cell_problems(raw), []))
    if archive is not None:
        texts = archive.result()
        found.extend(
            _guarded(
                found,
                DESCRIPTOR_FILE,
                "verbatim",
                lambda: checks.verbatim_problems({raw.table.name: raw}, texts),
                [],
            )
        )
    return found


class _Prefetch:
    """Tables read ahead, in order, by a reader thread, within a budget of memory.

    The reader reads on while the tables it has read and whose checks are not done hold
    no more bytes (of CSV) than the largest table (or than SMALL): so the small tables and
    the first large one are read at once, and afterwards one large table is parsed while
    the one before it is checked, never a third beside two.
    """

    #: Bytes of read, not yet checked tables under which the reader always goes on reading.
    SMALL = 1 << 26

    def __init__(self, desc: Descriptor, unreadable: set[str] | None, order: list[str]) -> None:
        self.desc, self.unreadable, self.order = desc, unreadable, order
        self.ready: list[tuple[RawTable, list[Problem], int]] = []
        self.held: dict[int, int] = {}  # id of a RawTable read and not yet done -> its bytes
        self.stopped = False
        self.failed: BaseException | None = None
        self.cond = threading.Condition()
        self.budget = max([self.SMALL, *(self._size(name) for name in order)])

    def _size(self, name: str) -> int:
        try:
            return (self.desc.root / self.desc.tables[name].path).stat().st_size
        except (OSError, ValueError):
            return 0

    def _room(self) -> bool:
        return sum(self.held.values()) <= self.budget

    def run(self) -> None:
        try:
            for name in self.order:
                with self.cond:
                    self.cond.wait_for(lambda: self.stopped or self._room())
                    if self.stopped:
                        return
                raw, found = _read_one(self.desc, self.unreadable, name)
                with self.cond:
                    self.ready.append((raw, found, self._size(name)))
                    self.held[id(raw)] = self.ready[-1][2]
                    self.cond.notify_all()
        except BaseException as exc:  # hand it to the thread that waits for the tables
            with self.cond:
                self.failed = exc
                self.cond.notify_all()
            raise

    def next(self) -> tuple[RawTable, list[Problem]]:
        with self.cond:
            self.cond.wait_for(lambda: bool(self.ready) or self.failed is not None)
            if not self.ready and self.failed is not None:
                raise self.failed
            raw, found, _ = self.ready.pop(0)
        return raw, found

    def done(self, raw: RawTable) -> None:
        """RAW has been checked: its bytes leave the budget."""
        with self.cond:
            self.held.pop(id(raw), None)
            self.cond.notify_all()

    def stop(self) -> None:
        with self.cond:
            self.stopped = True
            self.ready.clear()
            self.cond.notify_all()


def _read_one(desc: Descriptor, unreadable: set[str] | None, name: str) -> tuple[RawTable, list[Problem]]:
    found: list[Problem] = []
    return read_tables(desc, unreadable, found, only=name)[name], found


def _single(fk: ForeignKey) -> bool:
    return len(fk.fields) == 1 and len(fk.reference_fields) == 1


def _with_keys(raw: RawTable, fks: list[ForeignKey]) -> RawTable:
    """RAW as seen by `foreign_key_problems` when only FKS are to be checked."""
    return replace(raw, table=replace(raw.table, foreign_keys=tuple(fks)))


def _slim(raw: RawTable, columns: set[str]) -> RawTable:
    """RAW with only COLUMNS of its frame (the rest is freed once nothing else holds it)."""
    if raw.frame is None:
        return replace(raw, problems=[])
    present = [c for c in raw.frame.columns if c in columns]
    return replace(raw, frame=raw.frame[present], problems=[])


def read_tables(
    desc: Descriptor,
    unreadable: set[str] | None = None,
    problems: list[Problem] | None = None,
    only: str | None = None,
) -> dict[str, RawTable]:
    """Read every tabular resource (or ONLY one) whose path and schema are sound; problems stay on each RawTable."""
    from .read import RawTable, read_table

    frames: dict[str, RawTable] = {}
    sink = problems if problems is not None else []
    for name, table in desc.tables.items():
        if only is not None and name != only:
            continue
        if unreadable and name in unreadable:
            frames[name] = RawTable(table, table.path or DESCRIPTOR_FILE, None)
            continue
        frames[name] = _guarded(
            sink,
            table.path,
            "CSV reading",
            partial(read_table, desc.root, table),
            RawTable(table, table.path, None),
        )
    return frames
