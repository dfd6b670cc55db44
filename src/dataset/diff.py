"""What changed between two versions of the package, and whether the version number says so.

`diff_packages(old, new)` compares two package directories: first the schemas (tables and
fields added, removed or retyped, constraints tightened or loosened, vocabularies changed),
then, table by table, the rows added, removed and changed, matched by primary key, with each
changed cell old -> new. Every change carries the SemVer bump it requires, following the Data
Package Version recipe (https://specs.frictionlessdata.io/patterns/#data-package-version) with the one
departure this project decided: a new field is minor, not major, because our users read
columns by name. `PackageDiff.ok` says whether NEW's version was bumped enough.

`git:<revision>` stands for the package in the current directory at that revision of the
current git repository; `checkout(spec)` writes its files to a temporary directory.
Tables are read by the one exact reader (csvread.py); cells are compared as text, exactly as stored.
"""

from __future__ import annotations

import html
import json
import operator
import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .csvread import HEADER_RULES, located, read_text
from .descriptor import Descriptor, read_descriptor
from .errors import DatasetError
from .mdtext import code_span, md
from .rules import BLANK_ROW, HEADER_REPEATED
from .spec import RANGE_CONSTRAINTS, SEMVER, VERBATIM_KEY

#: Bumps from least to most severe; "none" = no change that a version must announce.
BUMPS = ("none", "patch", "minor", "major")
GIT_PREFIX = "git:"
#: Properties that describe but do not change how data is read: editing them is a patch.
DESCRIPTIVE = frozenset({"title", "description", "example", "examples", "x-enum-descriptions"})


def descriptive(key: str) -> bool:
    """KEY only describes: one of DESCRIPTIVE, or its translation `<key>@<lang>` (see descriptor.translated)."""
    return key.split("@", 1)[0] in DESCRIPTIVE


#: Properties that are derived from the files, or that change on every release.
IGNORED_PACKAGE = frozenset({"resources", "version", "created"})
IGNORED_RESOURCE = frozenset({"name", "schema", "bytes", "hash", "path"})
#: Constraints whose larger value is looser (lower bounds) and whose smaller value is looser.
LOWER_BOUNDS = frozenset(
    {r.key for r in RANGE_CONSTRAINTS if r.passes in (operator.ge, operator.gt)} | {"minLength"}
)
UPPER_BOUNDS = frozenset(
    {r.key for r in RANGE_CONSTRAINTS if r.passes in (operator.le, operator.lt)} | {"maxLength"}
)


class DiffInputError(DatasetError):
    """One side of the comparison cannot be read (no package, bad revision, broken CSV)."""


def worst(bumps: Any) -> str:
    """The most severe of BUMPS given ("none" for none)."""
    return max(bumps, key=BUMPS.index, default="none")


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class SchemaChange:
    """One change to the descriptor, with the bump it requires."""

    table: str | None  # None: the package itself
    field: str | None
    kind: str
    detail: str
    bump: str

    @property
    def where(self) -> str:
        if self.table is None:
            return "package"
        return self.table if self.field is None else f"{self.table}.{self.field}"


@dataclass(frozen=True)
class CellChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class RowChange:
    key: str
    cells: tuple[CellChange, ...]


@dataclass(frozen=True)
class Row:
    """An added or removed row: its key and its non-empty cells, in column order."""

    key: str
    cells: dict[str, str]


@dataclass
class TableDiff:
    """Rows of one table added, removed and changed, matched by primary key."""

    table: str
    primary_key: tuple[str, ...]
    added: list[Row] = field(default_factory=list)
    removed: list[Row] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    note: str | None = None

    @property
    def bump(self) -> str:
        """Removed rows break references to published ids (major); new rows are minor; corrections patch."""
        if self.removed:
            return "major"
        if self.added:
            return "minor"
        return "patch" if self.changed else "none"

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.note)


@dataclass(frozen=True)
class Version:
    text: str
    core: tuple[int, int, int] | None  # None: not SemVer

    @classmethod
    def parse(cls, text: str) -> Version:
        m = SEMVER.match(text)
        return cls(text, (int(m[1]), int(m[2]), int(m[3])) if m else None)

    def next(self, bump: str) -> str:
        """The smallest version after this one that announces BUMP."""
        if self.core is None:
            return "?"
        major, minor, patch = self.core
        return {
            "major": f"{major + 1}.0.0",
            "minor": f"{major}.{minor + 1}.0",
            "patch": f"{major}.{minor}.{patch + 1}",
        }.get(bump, self.text)


def version_bump(old: Version, new: Version) -> str:
    """The bump from OLD to NEW: none/patch/minor/major, "downgrade", or "invalid" (not SemVer)."""
    if old.core is None or new.core is None:
        return "invalid"
    if new.core < old.core:
        return "downgrade"
    if new.core == old.core:
        return "none"
    if new.core[0] > old.core[0]:
        return "major"
    return "minor" if new.core[1] > old.core[1] else "patch"


@dataclass
class PackageDiff:
    """Everything that differs between OLD and NEW, and the version check."""

    old: str
    new: str
    old_version: Version
    new_version: Version
    schema: list[SchemaChange] = field(default_factory=list)
    tables: list[TableDiff] = field(default_factory=list)
    review: list[Any] = field(default_factory=list)  # review.ReviewItem: the new side's facts, for markdown
    #: the version is set at release time (`dataset release`): report the bump, do not judge it
    pending: bool = False

    @property
    def required(self) -> str:
        """The least bump that announces every change."""
        return worst([c.bump for c in self.schema] + [t.bump for t in self.tables])

    @property
    def bump(self) -> str:
        return version_bump(self.old_version, self.new_version)

    @property
    def ok(self) -> bool:
        """True when NEW's version is SemVer, not lower than OLD's, and bumped at least as required."""
        actual = self.bump
        if actual in ("invalid", "downgrade"):
            return False
        return BUMPS.index(actual) >= BUMPS.index(self.required)

    @property
    def pending_ok(self) -> bool:
        """With a release to come: any version that is SemVer and not lower passes (the release sets it)."""
        return self.ok or (self.pending and self.bump not in ("invalid", "downgrade"))

    @property
    def changed(self) -> bool:
        return bool(self.schema) or any(not t.empty for t in self.tables)

    def verdict(self) -> str:
        """One sentence: whether the version is right, and what it must be when it is not."""
        old, new, required, actual = self.old_version, self.new_version, self.required, self.bump
        if actual == "invalid":
            bad = [v.text for v in (old, new) if v.core is None]
            return f"version check FAILED: {', '.join(repr(b) for b in bad)} is not a SemVer version (MAJOR.MINOR.PATCH)"
        if actual == "downgrade":
            return f"version check FAILED: the version went down, {old.text} -> {new.text}"
        moved = (
            f"the version is still {new.text}"
            if actual == "none"
            else f"{old.text} -> {new.text} is a {actual} bump"
        )
        if self.ok:
            need = "no bump" if required == "none" else f"at least a {required} bump"
            return f"version check OK: the changes need {need}, and {moved}"
        if self.pending and actual not in ("invalid", "downgrade"):
            return (
                f"the changes will need a {required} bump at the next release "
                f"({old.text} → {old.next(required)}), which dataset release sets"
            )
        return (
            f"version check FAILED: the changes need a {required} bump "
            f'(set "version" in datapackage.json to {old.next(required)} or later), but {moved}'
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": {"package": self.old, "version": self.old_version.text},
            "new": {"package": self.new, "version": self.new_version.text},
            "required_bump": self.required,
            "version_bump": self.bump,
            "ok": self.ok,
            "verdict": self.verdict(),
            "schema_changes": [asdict(c) for c in self.schema],
            "tables": [{**asdict(t), "bump": t.bump} for t in self.tables if not t.empty],
        }


# --------------------------------------------------------------------------- schema comparison


def _constraint_changes(
    table: str, name: str, old: dict[str, Any], new: dict[str, Any]
) -> list[SchemaChange]:
    """Tighter constraints are major, looser ones minor; an undecidable change counts as tighter."""
    changes: list[SchemaChange] = []

    def add(kind: str, detail: str, bump: str) -> None:
        changes.append(SchemaChange(table, name, kind, detail, bump))

    for key in sorted(set(old) | set(new), key=lambda k: (list(old) + list(new)).index(k)):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if key == "enum" and isinstance(before, list) and isinstance(after, list):
            gone = [v for v in before if v not in after]
            came = [v for v in after if v not in before]
            if gone:
                add("enum-values-removed", "vocabulary loses " + ", ".join(map(str, gone)), "major")
            if came:
                add("enum-values-added", "vocabulary gains " + ", ".join(map(str, came)), "minor")
            if not gone and not came:
                add("enum-reordered", "vocabulary values reordered", "patch")
            continue
        if before is None or before is False:
            add("constraint-tightened", f"{key} added: {after!r}", "major")
            continue
        if after is None or after is False:
            add("constraint-loosened", f"{key} removed (was {before!r})", "minor")
            continue
        if key in LOWER_BOUNDS | UPPER_BOUNDS:
            try:
                looser = after < before if key in LOWER_BOUNDS else after > before
            except TypeError:
                looser = False
            if looser:
                add("constraint-loosened", f"{key} {before!r} -> {after!r}", "minor")
            else:
                add("constraint-tightened", f"{key} {before!r} -> {after!r}", "major")
            continue
        add(
            "constraint-changed",
            f"{key} {before!r} -> {after!r} (cannot tell whether looser: counted as tighter)",
            "major",
        )
    return changes


def _field_changes(table: str, old: dict[str, Any], new: dict[str, Any]) -> list[SchemaChange]:
    name = str(new.get("name"))
    changes: list[SchemaChange] = []
    if old.get("type", "string") != new.get("type", "string"):
        changes.append(
            SchemaChange(
                table,
                name,
                "field-retyped",
                f"type {old.get('type', 'string')} -> {new.get('type', 'string')}",
                "major",
            )
        )
    changes.extend(
        _constraint_changes(table, name, old.get("constraints") or {}, new.get("constraints") or {})
    )
    for key in [k for k in dict.fromkeys([*old, *new]) if k not in ("name", "type", "constraints")]:
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if descriptive(key):
            changes.append(SchemaChange(table, name, "field-described", f"{key} edited", "patch"))
        elif key == VERBATIM_KEY and before is None:
            changes.append(
                SchemaChange(table, name, "constraint-tightened", f"{key} added: {after!r}", "major")
            )
        elif key == VERBATIM_KEY and after is None:
            changes.append(
                SchemaChange(table, name, "constraint-loosened", f"{key} removed (was {before!r})", "minor")
            )
        else:
            changes.append(
                SchemaChange(
                    table,
                    name,
                    "field-changed",
                    f"{key} {before!r} -> {after!r} (changes how values are read)",
                    "major",
                )
            )
    return changes


def _fields(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    schema = resource.get("schema") or {}
    return {str(f.get("name")): f for f in schema.get("fields", []) if isinstance(f, dict)}


def _fk_set(resource: dict[str, Any]) -> set[str]:
    schema = resource.get("schema") or {}
    return {json.dumps(fk, sort_keys=True) for fk in schema.get("foreignKeys") or []}


def _resource_changes(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[SchemaChange]:
    """The resource's own properties: its path, its words, how its file is read."""
    changes: list[SchemaChange] = []
    if old.get("path") != new.get("path"):
        changes.append(
            SchemaChange(
                name,
                None,
                "path-changed",
                f"path {old.get('path')!r} -> {new.get('path')!r} (relocation needs no bump)",
                "none",
            )
        )
    for key in [k for k in dict.fromkeys([*old, *new]) if k not in IGNORED_RESOURCE]:
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if descriptive(key):
            changes.append(SchemaChange(name, None, "table-described", f"{key} edited", "patch"))
        else:
            changes.append(
                SchemaChange(
                    name,
                    None,
                    "table-changed",
                    f"{key} {before!r} -> {after!r} (changes how the file is read)",
                    "major",
                )
            )
    return changes


def _field_list_changes(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[SchemaChange]:
    """Fields removed, added or reordered, then each common field's changes."""
    changes: list[SchemaChange] = []
    old_fields, new_fields = _fields(old), _fields(new)
    for fname in old_fields:
        if fname not in new_fields:
            changes.append(SchemaChange(name, fname, "field-removed", "field removed (or renamed)", "major"))
    for fname in new_fields:
        if fname not in old_fields:
            changes.append(SchemaChange(name, fname, "field-added", "new field", "minor"))
    common_old = [f for f in old_fields if f in new_fields]
    common_new = [f for f in new_fields if f in old_fields]
    if common_old != common_new:
        changes.append(
            SchemaChange(
                name, None, "fields-reordered", "columns reordered: " + ", ".join(common_new), "major"
            )
        )
    for fname in common_new:
        changes.extend(_field_changes(name, old_fields[fname], new_fields[fname]))
    return changes


def _key_changes(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[SchemaChange]:
    """The primary key, foreign keys and the other schema properties."""
    changes: list[SchemaChange] = []
    old_schema, new_schema = old.get("schema") or {}, new.get("schema") or {}
    if old_schema.get("primaryKey") != new_schema.get("primaryKey"):
        changes.append(
            SchemaChange(
                name,
                None,
                "primary-key-changed",
                f"primaryKey {old_schema.get('primaryKey')!r} -> {new_schema.get('primaryKey')!r}",
                "major",
            )
        )
    old_fks, new_fks = _fk_set(old), _fk_set(new)
    for fk in sorted(new_fks - old_fks):
        changes.append(SchemaChange(name, None, "constraint-tightened", f"foreign key added: {fk}", "major"))
    for fk in sorted(old_fks - new_fks):
        changes.append(SchemaChange(name, None, "constraint-loosened", f"foreign key removed: {fk}", "minor"))
    for key in [
        k
        for k in dict.fromkeys([*old_schema, *new_schema])
        if k not in ("fields", "primaryKey", "foreignKeys")
    ]:
        if old_schema.get(key) != new_schema.get(key):
            changes.append(
                SchemaChange(
                    name,
                    None,
                    "table-changed",
                    f"schema {key} {old_schema.get(key)!r} -> {new_schema.get(key)!r}",
                    "major",
                )
            )
    return changes


def _table_changes(name: str, old: dict[str, Any], new: dict[str, Any]) -> list[SchemaChange]:
    return [
        *_resource_changes(name, old, new),
        *_field_list_changes(name, old, new),
        *_key_changes(name, old, new),
    ]


def _resources(desc: Descriptor) -> dict[str, dict[str, Any]]:
    return {str(r.get("name")): r for r in desc.raw.get("resources") or [] if isinstance(r, dict)}


def schema_changes(old: Descriptor, new: Descriptor) -> list[SchemaChange]:
    """Every descriptor change between OLD and NEW: package properties, tables, fields, constraints."""
    changes: list[SchemaChange] = []
    for key in [k for k in dict.fromkeys([*old.raw, *new.raw]) if k not in IGNORED_PACKAGE]:
        before, after = old.raw.get(key), new.raw.get(key)
        if before == after:
            continue
        if key in ("name", "profile"):
            changes.append(
                SchemaChange(None, None, "package-changed", f"{key} {before!r} -> {after!r}", "major")
            )
        else:
            changes.append(SchemaChange(None, None, "package-described", f"{key} edited", "patch"))
    old_res, new_res = _resources(old), _resources(new)
    for name in old_res:
        if name not in new_res:
            changes.append(SchemaChange(name, None, "table-removed", "table removed (or renamed)", "major"))
    for name in new_res:
        if name not in old_res:
            changes.append(SchemaChange(name, None, "table-added", "new table", "minor"))
    for name in new_res:
        if name in old_res:
            changes.extend(_table_changes(name, old_res[name], new_res[name]))
    return changes


# --------------------------------------------------------------------------- rows


#: What the reader may find that leaves every data row known: the header is compared as it
#: stands (schema changes are reported apart), and blank rows or copies of the header hold no data.
_HARMLESS = frozenset({*HEADER_RULES, BLANK_ROW, HEADER_REPEATED})


def read_rows(desc: Descriptor, table: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of one table's CSV, as stored; DiffInputError when a row cannot be known."""
    text = read_text(desc.root, desc.tables[table])
    fault = next((p for p in text.errors if p.rule not in _HARMLESS), None)
    if fault is not None or text.header is None:
        raise DiffInputError(located(fault or text.problems[0], desc.root))
    return text.header, text.records


def _keyed(
    file: str, header: list[str], rows: list[list[str]], key: tuple[str, ...]
) -> dict[str, dict[str, str]]:
    positions = [header.index(k) for k in key]
    out: dict[str, dict[str, str]] = {}
    for record in rows:
        k = ", ".join(record[i] for i in positions)
        if k in out:
            raise DiffInputError(f"{file}: primary key {k!r} occurs twice; run `dataset validate`")
        out[k] = dict(zip(header, record, strict=True))
    return out


def _row(key: str, cells: dict[str, str]) -> Row:
    return Row(key, {k: v for k, v in cells.items() if v != ""})


def table_diff(old: Descriptor | None, new: Descriptor | None, name: str) -> TableDiff:
    """Rows of table NAME added, removed and changed (a side is None when the table is absent there)."""
    old_table = old.tables.get(name) if old is not None else None
    new_table = new.tables.get(name) if new is not None else None
    old_data = read_rows(old, name) if old is not None and old_table is not None else None
    new_data = read_rows(new, name) if new is not None and new_table is not None else None
    headers = [data[0] for data in (new_data, old_data) if data is not None]
    candidates = [t.primary_key for t in (new_table, old_table) if t is not None]
    key = next((k for k in candidates if k and all(set(k) <= set(h) for h in headers)), ())
    result = TableDiff(name, key)
    if not key:
        result.note = "no primary key common to both versions: rows not compared"
        return result
    old_rows = _keyed(old_table.path, *old_data, key) if old_table and old_data else {}
    new_rows = _keyed(new_table.path, *new_data, key) if new_table and new_data else {}
    for k in sorted(new_rows.keys() - old_rows.keys()):
        result.added.append(_row(k, new_rows[k]))
    for k in sorted(old_rows.keys() - new_rows.keys()):
        result.removed.append(_row(k, old_rows[k]))
    if old_data and new_data:
        common = [f for f in new_data[0] if f in old_data[0]]
        for k in sorted(old_rows.keys() & new_rows.keys()):
            before, after = old_rows[k], new_rows[k]
            cells = tuple(CellChange(f, before[f], after[f]) for f in common if before[f] != after[f])
            if cells:
                result.changed.append(RowChange(k, cells))
    return result


def diff_packages(
    old: str | os.PathLike[str],
    new: str | os.PathLike[str],
    *,
    old_label: str | None = None,
    new_label: str | None = None,
) -> PackageDiff:
    """Compare the packages at OLD and NEW (directories or descriptors)."""
    try:
        old_desc, new_desc = read_descriptor(old), read_descriptor(new)
    except DatasetError as exc:
        raise DiffInputError(str(exc)) from exc
    result = PackageDiff(
        old_label or str(old),
        new_label or str(new),
        Version.parse(old_desc.version),
        Version.parse(new_desc.version),
        schema=schema_changes(old_desc, new_desc),
    )
    names = list(dict.fromkeys([*new_desc.tables, *old_desc.tables]))
    for name in names:
        result.tables.append(
            table_diff(
                old_desc if name in old_desc.tables else None,
                new_desc if name in new_desc.tables else None,
                name,
            )
        )
    from .review import review_items

    def new_rows(name: str, key: tuple[str, ...]) -> dict[Any, dict[str, str]]:
        return _keyed(new_desc.tables[name].path, *read_rows(new_desc, name), key)

    result.review = review_items(result, new_desc, new_rows)
    return result


# --------------------------------------------------------------------------- git revisions


def _git(args: list[str], cwd: Path) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError as exc:
        raise DiffInputError("git is not installed, so a git: revision cannot be read") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DiffInputError(f"git {' '.join(args)}: {message[0] if message else 'failed'}")
    return done.stdout


def export_revision(revision: str, target: Path, cwd: Path | None = None) -> None:
    """Write the package in CWD as it was at REVISION (descriptor and table files) into TARGET."""
    from .location import unsafe_path_reason

    if not revision or revision.startswith("-"):
        raise DiffInputError(f"{GIT_PREFIX}{revision}: not a git revision")
    cwd = cwd or Path.cwd()
    raw = _git(["show", f"{revision}:./datapackage.json"], cwd)
    (target / "datapackage.json").write_bytes(raw)
    try:
        descriptor = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DiffInputError(f"{GIT_PREFIX}{revision}: datapackage.json is not valid JSON ({exc})") from exc
    for res in descriptor.get("resources") or [] if isinstance(descriptor, dict) else []:
        path = res.get("path") if isinstance(res, dict) else None
        if not isinstance(path, str) or unsafe_path_reason(path):
            continue
        file = target / PurePosixPath(path)
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(_git(["show", f"{revision}:./{path}"], cwd))


@contextmanager
def checkout(spec: str | os.PathLike[str]) -> Iterator[Path]:
    """The package SPEC names, as a directory: a path as it is, `git:<rev>` exported to a temp dir."""
    text = os.fspath(spec)
    if not text.startswith(GIT_PREFIX):
        yield Path(text)
        return
    with tempfile.TemporaryDirectory(prefix="dataset-diff-") as tmp:
        export_revision(text[len(GIT_PREFIX) :], Path(tmp))
        yield Path(tmp)


def diff(old: str, new: str) -> PackageDiff:
    """Compare two package specs (paths or `git:<revision>`)."""
    with checkout(old) as old_dir, checkout(new) as new_dir:
        return diff_packages(old_dir, new_dir, old_label=old, new_label=new)


# --------------------------------------------------------------------------- renderings


def render_json(result: PackageDiff) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2)


def _counts(t: TableDiff) -> str:
    return f"{len(t.added)} added, {len(t.removed)} removed, {len(t.changed)} changed"


def render_text(result: PackageDiff) -> str:
    lines = [f"{result.old} ({result.old_version.text}) -> {result.new} ({result.new_version.text})"]
    if not result.changed:
        lines.append("no changes")
    if result.schema:
        lines.append("schema changes:")
        lines += [f"  [{c.bump}] {c.where}: {c.kind}: {c.detail}" for c in result.schema]
    for t in result.tables:
        if t.empty:
            continue
        lines.append(f"{t.table}: {_counts(t)} [{t.bump}]")
        if t.note:
            lines.append(f"  note: {t.note}")
        for row in t.added:
            lines.append(f"  + {row.key}")
            lines += [f"      {k}: {v!r}" for k, v in row.cells.items()]
        for row in t.removed:
            lines.append(f"  - {row.key}")
            lines += [f"      {k}: {v!r}" for k, v in row.cells.items()]
        for change in t.changed:
            lines.append(f"  ~ {change.key}")
            lines += [f"      {c.field}: {c.old!r} -> {c.new!r}" for c in change.cells]
    lines.append(result.verdict())
    return "\n".join(lines)


def _md_value(text: str) -> str:
    return md(text) if text != "" else "*(empty)*"


def render_markdown(result: PackageDiff, *, max_rows: int = 100) -> str:
    """A report for a pull-request comment or a GitHub job summary; each section capped at MAX_ROWS rows."""
    mark = "✅" if result.ok else ("ℹ️" if result.pending_ok else "❌")
    out = [
        f"## Data package diff: {md(result.old_version.text)} → {md(result.new_version.text)}",
        "",
        f"{mark} **{md(result.verdict())}**",
        "",
        f"Compared {code_span(result.old)} with {code_span(result.new)}.",
    ]
    if not result.changed:
        out += ["", "No changes."]
    if result.schema:
        out += ["", "### Schema changes", "", "| Where | Change | Detail | Bump |", "|---|---|---|---|"]
        out += [f"| {md(c.where)} | {md(c.kind)} | {md(c.detail)} | **{c.bump}** |" for c in result.schema]
    changed_tables = [t for t in result.tables if not t.empty]
    if changed_tables:
        out += [
            "",
            "### Rows",
            "",
            "| Table | Added | Removed | Changed | Bump |",
            "|---|---:|---:|---:|---|",
        ]
        out += [
            f"| {md(t.table)} | {len(t.added)} | {len(t.removed)} | {len(t.changed)} | **{t.bump}** |"
            for t in changed_tables
        ]
    for t in changed_tables:
        out += ["", f"<details><summary><b>{html.escape(t.table)}</b>: {_counts(t)}</summary>", ""]
        if t.note:
            out += [f"*{md(t.note)}*", ""]
        if t.changed:
            out += ["**Changed**", "", "| Key | Field | Old | New |", "|---|---|---|---|"]
            cells = [(rc.key, c) for rc in t.changed for c in rc.cells]
            out += [
                f"| {md(k)} | {md(c.field)} | {_md_value(c.old)} | {_md_value(c.new)} |"
                for k, c in cells[:max_rows]
            ]
            if len(cells) > max_rows:
                out.append(f"| … | {len(cells) - max_rows} more changed cells | | |")
            out.append("")
        for title, rows in (("Added", t.added), ("Removed", t.removed)):
            if not rows:
                continue
            out += [f"**{title}**", ""]
            for row in rows[:max_rows]:
                listed = "; ".join(f"{md(k)}: {md(v)}" for k, v in row.cells.items() if (k,) != t.primary_key)
                out.append(f"- **{md(row.key)}** — {listed}")
            if len(rows) > max_rows:
                out.append(f"- … and {len(rows) - max_rows} more")
            out.append("")
        out.append("</details>")
    from .review import render_review

    out += render_review(result.review, max_rows=max_rows)
    return "\n".join(out).strip("\n") + "\n"
