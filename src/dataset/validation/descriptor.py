"""The descriptor's own rules, in plain words: each fault reported, then the faulty part left out."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..domain import SOURCES_TABLE, TABLES
from ..location import DESCRIPTOR_NAME as DESCRIPTOR_FILE
from ..location import unsafe_path_reason
from ..report import Problem
from ..rules import (
    DIALECT,
    DUPLICATE_KEY,
    FIELD,
    FIELD_CONSTRAINTS,
    FIELD_NAME,
    FIELD_TYPE,
    FIELD_VERBATIM,
    FOREIGN_KEY_DEFINITION,
    FOREIGN_KEY_TARGET,
    INLINE_DATA,
    MISSING_TABLE,
    PRIMARY_KEY,
    PROFILE,
    RESOURCE,
    RESOURCE_ENCODING,
    RESOURCE_FORMAT,
    RESOURCE_NAME,
    RESOURCE_PATH,
    RESOURCES,
    SCHEMA,
    SCHEMA_FIELDS,
    UNSAFE_PATH,
    VERSION,
)
from ..spec import (
    CONSTRAINT_RULE,
    FIELD_RULE,
    LIST_KEY,
    SEMVER,
    VERBATIM_KEY,
    KeyRule,
    ListOf,
    regex_error,  # noqa: F401  (kept importable where it was)
)

if TYPE_CHECKING:  # read.py imports pandas and pyarrow: validate imports it once the hashing has started
    pass


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
CSV_DIALECT = {"delimiter": ",", "quoteChar": '"', "header": True}
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


#: A constraint dropped without a word: a range on a field that is not a number.
_UNSAID = ("", "")


def _key_fault(
    table: dict[str, KeyRule], key: str, value: Any, label: str, ftype: str
) -> tuple[str, str] | None:
    """(rule, words) when KEY's rule in TABLE finds VALUE unusable, None when usable; `_UNSAID` drops it quietly."""
    rule = table.get(key)
    if rule is None or rule.usable(key, value, ftype):
        return None
    if not rule.applies(ftype):
        return _UNSAID
    words = rule.fault(key, value)
    return rule.rule, f"{label}: {words}"


def _check_constraints(
    out: DescriptorCheck, i: int, where: str, label: str, ftype: str, constraints: Any
) -> dict[str, Any]:
    """The usable constraints of one field; the others are reported and dropped."""
    if constraints is None:
        return {}
    if not isinstance(constraints, dict):
        out.add(
            f"{where}/constraints",
            FIELD_CONSTRAINTS,
            f"{label}: 'constraints' must be an object",
            constraints,
            i,
        )
        return {}
    clean: dict[str, Any] = {}
    for key, value in constraints.items():
        fault = _key_fault(CONSTRAINT_RULE, key, value, label, ftype)
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
        out.add(at, FIELD, f"resource {name!r}: field {j + 1} must be an object", raw_field, i)
        return None
    fname = raw_field.get("name")
    if not isinstance(fname, str) or not fname.strip():
        out.add(f"{at}/name", FIELD_NAME, f"resource {name!r}: field {j + 1} has no name", fname, i)
        return None
    at = f"{where}/schema/fields/{fname}"
    label = f"resource {name!r}, field {fname!r}"
    if fname in seen:
        out.add(at, FIELD_NAME, f"resource {name!r}: field {fname!r} is declared twice", fname, i)
        return None
    seen.add(fname)
    ftype = raw_field.get("type", "string")
    if not isinstance(ftype, str) or ftype not in FIELD_TYPES:
        out.add(
            f"{at}/type",
            FIELD_TYPE,
            f"{label}: {ftype!r} is not a Table Schema type (string, integer, number, boolean, date, ...)",
            ftype,
            i,
        )
        ftype = "string"
    item = {k: v for k, v in raw_field.items() if k not in ("type", "constraints")}
    item["type"] = ftype
    _drop_faulty_keys(out, i, at, label, item)
    item["constraints"] = _check_constraints(out, i, at, label, ftype, raw_field.get("constraints"))
    if not isinstance(item.get("description", ""), str):
        item.pop("description")
    return item


def _drop_faulty_keys(out: DescriptorCheck, i: int, at: str, label: str, item: dict[str, Any]) -> None:
    """The field properties of FIELD_RULES (format, `x-list-of`): an unusable one is reported and dropped."""
    for key in [k for k in item if k in FIELD_RULE]:
        fault = _key_fault(FIELD_RULE, key, item[key], label, item["type"])
        if fault is not None:
            out.add(f"{at}/{key}", fault[0], fault[1], item[key], i)
            item.pop(key)


def _check_field_links(
    out: DescriptorCheck, i: int, where: str, name: str, clean: list[dict[str, Any]]
) -> None:
    """`x-verbatim-in` names a field of the table; a bad one is reported and dropped."""
    names = [f["name"] for f in clean]
    for item in clean:
        at = f"{where}/schema/fields/{item['name']}"
        label = f"resource {name!r}, field {item['name']!r}"
        verbatim = item.get(VERBATIM_KEY)
        if verbatim is not None and not (isinstance(verbatim, str) and verbatim in names):
            out.add(
                f"{at}/{VERBATIM_KEY}",
                FIELD_VERBATIM,
                f"{label}: {VERBATIM_KEY!r} must name another field of the table (the source id)",
                verbatim,
                i,
            )
            item.pop(VERBATIM_KEY)


def _check_fields(
    out: DescriptorCheck, i: int, where: str, name: str, fields: Any
) -> list[dict[str, Any]] | None:
    """The cleaned field list of one schema, or None when the fields cannot be used at all."""
    if not isinstance(fields, list):
        out.add(
            f"{where}/schema/fields",
            SCHEMA_FIELDS,
            f"resource {name!r}: 'fields' must be a list of field objects",
            fields,
            i,
        )
        return None
    if not fields:
        out.add(f"{where}/schema/fields", SCHEMA_FIELDS, f"resource {name!r} has no fields", None, i)
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
                PRIMARY_KEY,
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
                    PRIMARY_KEY,
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
            FOREIGN_KEY_DEFINITION,
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
                FOREIGN_KEY_DEFINITION,
                f"resource {name!r}: foreign key {k + 1} needs 'fields' and a 'reference' with 'resource' and 'fields'",
                fk,
                i,
            )
            continue
        if len(fields) != len(ref_fields):
            out.add(
                at,
                FOREIGN_KEY_DEFINITION,
                f"resource {name!r}: foreign key {k + 1} pairs {len(fields)} field(s) with {len(ref_fields)}",
                fk,
                i,
            )
            continue
        unknown = [f for f in fields if f not in names]
        if unknown:
            out.add(
                at,
                FOREIGN_KEY_DEFINITION,
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
        out.add(f"resources/{i}", RESOURCE, f"resource {i + 1} must be a JSON object", res, i)
        return None
    name = res.get("name")
    if not isinstance(name, str) or not name.strip():
        out.add(
            f"resources/{i}/name",
            RESOURCE_NAME,
            f"resource {i + 1} has no name (one of {', '.join(TABLES)})",
            name,
            i,
        )
        return None
    if name in seen:
        # located by index: by name, the location would point at the first of the two
        out.add(f"resources/{i}/name", RESOURCE_NAME, f"two resources are named {name!r}", name, i)
        return None
    seen.add(name)
    return name


def _check_path(out: DescriptorCheck, i: int, where: str, name: str, res: dict[str, Any]) -> bool:
    """The resource's data is one safe CSV path of its own; False when there is no file to read."""
    path = res.get("path")
    if "data" in res:
        out.add(
            f"{where}/data",
            INLINE_DATA,
            f"resource {name!r}: inline data is not allowed: tables live in CSV files",
            None,
            i,
        )
    if path is None:
        out.add(f"{where}/path", RESOURCE_PATH, f"resource {name!r} has no 'path' to its CSV file", None, i)
        return False
    if isinstance(path, list):
        out.add(
            f"{where}/path",
            RESOURCE_PATH,
            f"resource {name!r}: a path list (several files) is not supported: use one CSV file",
            path,
            i,
        )
        return False
    if not isinstance(path, str):
        out.add(f"{where}/path", RESOURCE_PATH, f"resource {name!r}: the path must be a string", path, i)
        return False
    reason = unsafe_path_reason(path)
    if reason:
        out.add(f"{where}/path", UNSAFE_PATH, f"resource {name!r}: {reason}", path, i)
        return False
    same = os.path.normpath(path)
    if same in out.paths:
        out.add(
            f"{where}/path",
            RESOURCE_PATH,
            f"resource {name!r} uses the file of resource {out.paths[same]!r}: each table has its own CSV",
            path,
            i,
        )
    else:
        out.paths[same] = name
    return True


def _check_csv_format(out: DescriptorCheck, i: int, where: str, name: str, res: dict[str, Any]) -> None:
    """Encoding, format and dialect, where given, say what the package's CSVs are: UTF-8, CSV, CSV_DIALECT."""
    encoding = res.get("encoding")
    if encoding is not None and (not isinstance(encoding, str) or encoding.lower() not in _UTF8):
        out.add(
            f"{where}/encoding",
            RESOURCE_ENCODING,
            f"resource {name!r}: the CSVs of this package are UTF-8",
            encoding,
            i,
        )
    fmt = res.get("format")
    if fmt is not None and (not isinstance(fmt, str) or fmt.lower() != "csv"):
        out.add(
            f"{where}/format",
            RESOURCE_FORMAT,
            f"resource {name!r}: the tables of this package are CSV",
            fmt,
            i,
        )
    dialect = res.get("dialect")
    if dialect is None:
        return
    if not isinstance(dialect, dict):
        out.add(f"{where}/dialect", DIALECT, f"resource {name!r}: 'dialect' must be an object", dialect, i)
        return
    for key, want in {**CSV_DIALECT, **DIALECT_DEFAULTS}.items():
        if key in dialect and dialect[key] != want:
            out.add(
                f"{where}/dialect/{key}",
                DIALECT,
                f"resource {name!r}: the CSVs of this package are read with {key} {want!r}",
                dialect[key],
                i,
            )


def _check_schema(out: DescriptorCheck, i: int, where: str, name: str, schema: Any) -> dict[str, Any] | None:
    """The resource's inline schema, its sound fields and keys; None when there is none to use."""
    if schema is None:
        out.add(f"{where}/schema", SCHEMA, f"resource {name!r} has no schema", None, i)
        return None
    if isinstance(schema, str):
        out.add(
            f"{where}/schema",
            SCHEMA,
            f"resource {name!r}: the schema must be written inline in datapackage.json, not referenced by path or URL",
            schema,
            i,
        )
        return None
    if not isinstance(schema, dict):
        out.add(f"{where}/schema", SCHEMA, f"resource {name!r}: the schema must be a JSON object", schema, i)
        return None
    missing = schema.get("missingValues")
    if missing is not None and missing != [""]:
        out.add(
            f"{where}/schema/missingValues",
            SCHEMA,
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
                    FOREIGN_KEY_TARGET,
                    f"resource {name!r}: the foreign key on {', '.join(fk['fields'])} {reason}",
                    f"{target}.{','.join(ref_fields)}",
                    i,
                )
        if "foreignKeys" in schema:
            schema["foreignKeys"] = kept
        for item in schema["fields"]:
            list_of = ListOf.read(item.get(LIST_KEY))
            if list_of is None:
                continue
            target, ref_field = list_of.resource, list_of.field
            reason = _target_fault(target, [ref_field], fields_of, False)
            if reason is not None:
                item.pop(LIST_KEY)
                if reason:
                    out.add(
                        f"{where}/fields/{item['name']}/{LIST_KEY}",
                        FOREIGN_KEY_TARGET,
                        f"resource {name!r}: the list field {item['name']!r} {reason}",
                        f"{target}.{ref_field}",
                        i,
                    )
        if SOURCES_TABLE in fields_of:  # without the table, its absence is the one problem to report
            _check_verbatim_sources(out, res, i)


def _check_verbatim_sources(out: DescriptorCheck, res: dict[str, Any], i: int) -> None:
    """`x-verbatim-in` must name a field that cites the sources table, or the check has no text to search."""
    name, schema = res["name"], res["schema"]
    citing = {
        fk["fields"][0]
        for fk in schema.get("foreignKeys", [])
        if fk["reference"]["resource"] == SOURCES_TABLE and len(fk["fields"]) == 1
    } | {f["name"] for f in schema["fields"] if (f.get(LIST_KEY) or {}).get("resource") == SOURCES_TABLE}
    for item in schema["fields"]:
        verbatim = item.get(VERBATIM_KEY)
        if verbatim is None or verbatim in citing:
            continue
        out.add(
            f"resources/{name}/schema/fields/{item['name']}/{VERBATIM_KEY}",
            FIELD_VERBATIM,
            f"resource {name!r}, field {item['name']!r}: 'x-verbatim-in' names {verbatim!r}, which does "
            "not cite the sources table (a foreign key or x-list-of to sources)",
            verbatim,
            i,
        )
        item.pop(VERBATIM_KEY)


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
            VERSION,
            "the package needs a 'version' in Semantic Versioning form, MAJOR.MINOR.PATCH such as 1.0.0 "
            "(CHANGELOG.md says which part to raise)",
            version,
        )
    profile = raw.get("$schema")
    if profile is not None and not (isinstance(profile, str) and re.match(r"https?://\S+$", profile.strip())):
        out.add(
            "$schema",
            PROFILE,
            "'$schema' must be the URL of the profile the package follows, such as "
            "https://datapackage.org/profiles/2.0/datapackage.json (or leave it out for Data Package v1)",
            profile,
        )
    resources = raw.get("resources")
    if not isinstance(resources, list) or not resources:
        out.add(
            "resources",
            RESOURCES,
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
            out.add("resources", MISSING_TABLE, f"the package has no {name!r} resource", name)
    for res in out.resources:
        if res["name"] in TABLES and res["schema"]["fields"] and "primaryKey" not in res["schema"]:
            out.add(
                f"resources/{res['name']}/schema/primaryKey",
                PRIMARY_KEY,
                f"resource {res['name']!r} declares no primaryKey",
                None,
                indices[res["name"]],
            )
    return out


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
                DUPLICATE_KEY,
                f"the key {key!r} is written twice in one object{where}; JSON keeps only the last, "
                "so the first is silently lost: merge them",
                value=key,
            )
        )
    return problems


def declared_paths(raw: dict[str, Any]) -> list[str]:
    """The paths every resource of the descriptor names, sound or not (a broken resource still claims its file)."""
    paths: list[str] = []
    for res in raw.get("resources") or []:
        path = res.get("path") if isinstance(res, dict) else None
        for item in path if isinstance(path, list) else [path]:
            if isinstance(item, str) and not unsafe_path_reason(item):
                paths.append(item)
    return paths
