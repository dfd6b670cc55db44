"""The descriptor (`datapackage.json`) read into plain objects: the one source of truth.

Field lists, types, vocabularies, keys and the version are read from here by the schemas,
the loaders, the validator, the exports and the codebook; nothing repeats them by hand.
Only the standard library is imported, so the CLI starts fast.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DescriptorError
from .files import FileRefused, read_bytes
from .jsontext import strict_fault
from .limits import MAX_DESCRIPTOR_BYTES
from .location import descriptor_path
from .spec import (  # the descriptor's vocabulary and the rules of each key, written once
    CONSTRAINT_RULE,
    DEFAULT_LANGUAGES,
    FIELD_RULE,
    LANGUAGES_KEY,
    LIST_KEY,
    RANGE_CONSTRAINTS,
    VERBATIM_KEY,
    ListOf,
    usable_value,
)


@dataclass(frozen=True)
class Field:
    """One column of a Table Schema."""

    name: str
    type: str
    description: str = ""
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    exclusive_minimum: int | None = None  # Table Schema v2
    exclusive_maximum: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    list_of: ListOf | None = None
    verbatim_in: str | None = None
    format: str | None = None  # a string field's Table Schema format (uri, email, uuid, binary)


@dataclass(frozen=True)
class ForeignKey:
    """A single-valued (or list-valued, when `list_of` is set) reference to another table."""

    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]
    is_list: bool = False
    separator: str = ListOf.separator


@dataclass(frozen=True)
class Table:
    """One tabular resource: its CSV path and schema."""

    name: str
    path: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]
    encoding: str = "utf-8"

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


@dataclass(frozen=True)
class Descriptor:
    """A data package descriptor and the directory its paths are relative to."""

    path: Path
    raw: dict[str, Any] = field(repr=False)
    tables: dict[str, Table] = field(repr=False)

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def version(self) -> str:
        return str(self.raw.get("version", ""))

    @property
    def name(self) -> str:
        return str(self.raw.get("name", ""))

    def language(self, lang: str | None) -> str | None:
        """LANG checked against `languages`: None for the default (first) one; DescriptorError when undeclared."""
        if lang is None or lang == self.languages[0]:
            return None
        if lang not in self.languages:
            declared = ", ".join(self.languages)
            raise DescriptorError(
                f"datapackage.json declares no language {lang!r} (its `languages`: {declared}); "
                f"add it there, with `title@{lang}` and `description@{lang}` beside the texts"
            )
        return lang

    def raw_resource(self, table: str) -> dict[str, Any]:
        """The JSON object of resource TABLE as written ({} when there is none)."""
        for res in self.raw.get("resources", []):
            if isinstance(res, dict) and res.get("name") == table:
                return res
        return {}

    def raw_field(self, table: str, field: str) -> dict[str, Any]:
        """The JSON object of FIELD of TABLE as written, custom `x-` properties included ({} when absent)."""
        schema = self.raw_resource(table).get("schema")
        for raw in schema.get("fields", []) if isinstance(schema, dict) else []:
            if isinstance(raw, dict) and raw.get("name") == field:
                return raw
        return {}

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the descriptor declares, the default first (`en` when it declares none)."""
        value = self.raw.get(LANGUAGES_KEY)
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return tuple(value)
        return DEFAULT_LANGUAGES


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _parse_field(raw: dict[str, Any]) -> Field:
    """One field as the rules of `spec` read it: a value they find unusable is left out (validate reports it)."""
    ftype = str(raw.get("type", "string"))
    constraints = raw.get("constraints")

    def constraint(key: str) -> Any:
        return usable_value(CONSTRAINT_RULE, constraints, key, ftype)

    enum = constraint("enum")
    fmt = usable_value(FIELD_RULE, raw, "format", ftype)
    verbatim = raw.get(VERBATIM_KEY)
    return Field(
        name=str(raw.get("name", "")),
        type=ftype,
        description=str(raw.get("description", "")),
        required=bool(constraint("required")),
        unique=bool(constraint("unique")),
        enum=tuple(str(v) for v in enum) if enum is not None else None,
        pattern=constraint("pattern"),
        **{r.attribute: constraint(r.key) for r in RANGE_CONSTRAINTS},
        min_length=constraint("minLength"),
        max_length=constraint("maxLength"),
        list_of=ListOf.read(raw.get(LIST_KEY)),
        verbatim_in=verbatim if isinstance(verbatim, str) else None,
        format=fmt if isinstance(fmt, str) and fmt != "default" else None,
    )


def _parse_table(raw: dict[str, Any]) -> Table:
    schema = raw.get("schema") or {}
    if not isinstance(schema, dict):
        raise DescriptorError(f"resource {raw.get('name')!r}: schema must be an inline object")
    fields = tuple(_parse_field(f) for f in schema.get("fields", []) if isinstance(f, dict))
    fks: list[ForeignKey] = []
    for fk in schema.get("foreignKeys", []) or []:
        ref = fk.get("reference", {})
        fks.append(
            ForeignKey(
                _as_tuple(fk.get("fields")),
                str(ref.get("resource", "")) or str(raw.get("name")),
                _as_tuple(ref.get("fields")),
            )
        )
    for f in fields:
        if f.list_of:
            fks.append(
                ForeignKey(
                    (f.name,),
                    f.list_of.resource,
                    (f.list_of.field,),
                    is_list=True,
                    separator=f.list_of.separator,
                )
            )
    return Table(
        name=str(raw.get("name", "")),
        path=str(raw.get("path", "")),
        title=str(raw.get("title", "")),
        description=str(raw.get("description", "")),
        fields=fields,
        primary_key=_as_tuple(schema.get("primaryKey")),
        foreign_keys=tuple(fks),
        encoding=str(raw.get("encoding", "utf-8")),
    )


def parse_descriptor(raw: dict[str, Any], path: Path) -> Descriptor:
    """Build a Descriptor from already-parsed JSON; raises DescriptorError when unusable."""
    resources = raw.get("resources")
    if not isinstance(resources, list):
        raise DescriptorError(f"{path.name}: 'resources' must be a list")
    tables: dict[str, Table] = {}
    for res in resources:
        if not isinstance(res, dict):
            raise DescriptorError(f"{path.name}: every resource must be an object")
        table = _parse_table(res)
        tables[table.name] = table
    return Descriptor(path=path, raw=raw, tables=tables)


class _NotStrict(ValueError):
    """Raised inside json.loads at a value strict JSON forbids; located afterwards."""


def _refuse_constant(name: str) -> Any:
    raise _NotStrict(name)


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _NotStrict(text)
    return value


def _unique_keys(file: Path) -> Any:
    """An object_pairs_hook that refuses a key written twice in one object (JSON keeps only the last)."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        if len(out) != len(items):
            seen: set[str] = set()
            for key, _ in items:  # stops at the first key met a second time
                if key in seen:
                    break
                seen.add(key)
            name = out.get("name")
            where = f" (the object named {name!r})" if isinstance(name, str) else ""
            raise DescriptorError(
                f"{file}: the key {key!r} is written twice in one object{where}; JSON keeps only the "
                "last, so the first is silently lost: merge them"
            )
        return out

    return pairs


def _strict_error(file: Path, text: str) -> DescriptorError:
    """The DescriptorError naming line, column and JSON path of the first value strict JSON forbids.

    A text that is not JSON at all besides is reported by its syntax error.
    """
    try:
        json.loads(text)
        fault = strict_fault(text)
    except json.JSONDecodeError as exc:
        return DescriptorError(f"{file}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")
    except (RecursionError, ValueError) as exc:
        return DescriptorError(f"{file}: the JSON cannot be read ({exc})")
    if fault is None:  # cannot happen: json.loads refused a value strict_fault did not find
        return DescriptorError(f"{file}: the JSON holds a value other JSON readers refuse")
    line, column, where, reason = fault
    return DescriptorError(
        f"{file}: invalid JSON at line {line}, column {column} ({where or 'top'}): {reason}"
    )


def read_raw(
    path: str | os.PathLike[str] | None = None, *, duplicate_keys: bool = False
) -> tuple[Path, dict[str, Any]]:
    """Read the descriptor as strict JSON; raises DescriptorError with the line and column of a fault.

    NaN, Infinity, numbers too large for a float and lone surrogates are refused (other JSON
    readers refuse them, and writing them out fails later), and so is a key written twice in
    one object unless DUPLICATE_KEYS (validate reports those as problems of its own).
    """
    file = descriptor_path(path)
    try:
        data = read_bytes(file.parent, file, MAX_DESCRIPTOR_BYTES)
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DescriptorError(f"{file}: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    except FileRefused as exc:
        raise DescriptorError(str(exc)) from exc
    except OSError as exc:
        raise DescriptorError(f"{file}: cannot be read ({exc.strerror})") from exc
    hook = None if duplicate_keys else _unique_keys(file)
    try:
        raw = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite, object_pairs_hook=hook)
    except json.JSONDecodeError as exc:
        raise DescriptorError(
            f"{file}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    except _NotStrict:
        raise _strict_error(file, text) from None
    except (RecursionError, ValueError) as exc:  # nested too deeply; a number too long to convert
        raise DescriptorError(f"{file}: the JSON cannot be read ({exc})") from exc
    if _SURROGATE.search(text) and strict_fault(text):
        raise _strict_error(file, text)
    if not isinstance(raw, dict):
        raise DescriptorError(f"{file}: the descriptor must be a JSON object")
    return file, raw


#: A \\u escape of a surrogate code point: the text is checked for a lone one only when this matches.
_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


def read_descriptor(path: str | os.PathLike[str] | None = None) -> Descriptor:
    """Read and parse the descriptor of the package at PATH (None = the bundled package).

    A descriptor whose structure the parser cannot follow (a list where an object belongs, a
    field without a name) is a DescriptorError naming the place, in validate's words.
    """
    file, raw = read_raw(path)
    try:
        desc = parse_descriptor(raw, file)
    except DescriptorError:
        raise
    except (TypeError, AttributeError, KeyError, ValueError, IndexError) as exc:
        raise _malformed(file, raw, exc) from None
    faults = _schema_faults(raw)
    if faults:
        raise _malformed(file, raw, None, faults)
    return desc


def _schema_faults(raw: dict[str, Any]) -> list[Any]:
    """validate's errors inside a table schema (a field type, pattern or constraint of the wrong kind).

    The commands read those values as the standard says they are; a `pattern: true` would reach
    them as a crash without a place. validate itself reports them as problems.
    """
    from .validation.descriptor import check_descriptor

    problems = check_descriptor(json.loads(json.dumps(raw))).problems  # the check may prune its input
    return [p for p in problems if p.severity == "error" and "/schema" in (p.column or "")]


def _malformed(
    file: Path, raw: dict[str, Any], exc: Exception | None, found: list[Any] | None = None
) -> DescriptorError:
    """The DescriptorError for a descriptor the commands cannot follow: validate's first findings."""
    from .validation.descriptor import check_descriptor

    if found is None:
        try:
            found = [
                p for p in check_descriptor(json.loads(json.dumps(raw))).problems if p.severity == "error"
            ]
        except Exception:  # the check meets the same malformed JSON; say what we know
            found = []
    if not found:
        return DescriptorError(
            f"{file}: the descriptor is malformed ({type(exc).__name__}: {exc}); "
            f"run `dataset validate {file.parent}` for details"
        )
    listed = "; ".join(f"{p.column or 'top'}: {p.message}" for p in found[:3])
    more = f" (and {len(found) - 3} more)" if len(found) > 3 else ""
    return DescriptorError(f"{file}: the descriptor is malformed: {listed}{more}")
