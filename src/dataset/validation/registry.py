"""Every check of `validate`, in one list, each of one shape: `check(ctx) -> list[Problem]`.

A check says in which phase the scheduler runs it:

- `package`: once, before the tables are read (the descriptor's files);
- `side`: once, on a second thread while the tables are read (sizes and hashes, the standard);
- `table`: on every table, each check its own task on the worker threads (`tables.py`);
- `closing`: once, after the last table, on the columns the tables kept (claim links).

A new rule is one function here (or in its stage's module) and one line in `CHECKS`; nothing in
the scheduler changes. The modules a check needs are imported when it first runs, so pandas
and pandera are imported while the first table is parsed, not before.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..location import DESCRIPTOR_NAME
from ..report import Problem

if TYPE_CHECKING:
    from ..descriptor import Descriptor
    from ..read import RawTable

Phase = Literal["package", "side", "table", "closing"]


@dataclass
class Context:
    """What a check may look at; which parts are set depends on its phase."""

    #: the package's datapackage.json, and the descriptor as JSON
    file: Path = Path(DESCRIPTOR_NAME)
    raw: dict[str, Any] = field(default_factory=dict)
    #: the sound part of the descriptor, parsed (None when its resources are broken)
    desc: Descriptor | None = None
    #: indices of the resources the descriptor check reported (the standard check skips them)
    flagged: set[int] = field(default_factory=set)
    #: names of the resources whose file cannot be read as declared (path or schema broken)
    unreadable: set[str] = field(default_factory=set)
    #: phase `table`: the table as read, the sources' publication dates, the archived articles
    table: RawTable | None = None
    published: Any = None
    archive: Future[dict[str, str]] | None = None
    #: phase `closing`: by table, the columns kept after its own checks
    kept: dict[str, RawTable] = field(default_factory=dict)

    def texts(self) -> dict[str, str]:
        """The archived articles by source id (waits for the thread that reads them)."""
        return self.archive.result() if self.archive is not None else {}

    def of_table(self, table: RawTable, published: Any, archive: Future[dict[str, str]] | None) -> Context:
        return replace(self, table=table, published=published, archive=archive)

    @property
    def raw_table(self) -> RawTable:
        if self.table is None:
            raise ValueError("a table check ran without a table")
        return self.table


@dataclass(frozen=True)
class Check:
    """One check: its name (for an internal error), its phase and the file its faults are blamed on."""

    step: str
    run: Callable[[Context], list[Problem]]
    phase: Phase
    #: True when its faults are the package's (cross-table, provenance): an internal error names the descriptor
    package_wide: bool = False
    #: True when it needs nothing but the row itself (so `add-source` can run it on one row)
    row_alone: bool = False
    #: False when it runs even where the descriptor's resources cannot be parsed
    needs_descriptor: bool = True

    def blamed(self, ctx: Context) -> str:
        """The file an internal error of this check is reported against."""
        if self.phase == "table" and not self.package_wide:
            return ctx.raw_table.file
        return DESCRIPTOR_NAME


def _duplicate_keys(ctx: Context) -> list[Problem]:
    from .descriptor import duplicate_key_problems

    return duplicate_key_problems(ctx.file)


def _undeclared_tables(ctx: Context) -> list[Problem]:
    from ..location import uncited_files
    from .descriptor import declared_paths

    assert ctx.desc is not None
    return uncited_files(
        ctx.desc.root,
        declared_paths(ctx.raw),
        "table",
        "declare it as a resource in datapackage.json or delete it",
        extensions=(".csv",),  # a resource pointed at an archived article leaves the others be
    )


def _integrity(ctx: Context) -> list[Problem]:
    from ..integrity import integrity_problems

    assert ctx.desc is not None
    return integrity_problems(ctx.desc)


def _standard(ctx: Context) -> list[Problem]:
    from .standard_child import Started  # frictionless imported on the other core (falls back to here)

    return Started(ctx.raw, ctx.flagged).problems()


def _cell_length(ctx: Context) -> list[Problem]:
    from .hygiene import long_cell_problems

    return long_cell_problems(ctx.raw_table)


def _schema(ctx: Context) -> list[Problem]:
    from .values import schema_problems

    return schema_problems(ctx.raw_table)


def _hygiene(ctx: Context) -> list[Problem]:
    from .hygiene import hygiene_problems

    return hygiene_problems(ctx.raw_table)


def _facts(ctx: Context) -> list[Problem]:
    from .facts import table_facts

    return table_facts(ctx.raw_table, ctx.published)


def _verbatim(ctx: Context) -> list[Problem]:
    from .provenance import verbatim_problems

    if ctx.archive is None:
        return []
    return verbatim_problems({ctx.raw_table.table.name: ctx.raw_table}, ctx.texts())


def _claim_links(ctx: Context) -> list[Problem]:
    from .links import LINK_TABLE, link_problems

    if LINK_TABLE not in ctx.kept or ctx.desc is None:
        return []
    return link_problems(ctx.kept, ctx.desc)


#: Every check, in the order each phase starts them (those that wait for the archive last).
CHECKS: tuple[Check, ...] = (
    Check("descriptor keys", _duplicate_keys, "package", needs_descriptor=False),
    Check("undeclared tables", _undeclared_tables, "package"),
    Check("resource integrity", _integrity, "side"),
    Check("data package standard", _standard, "side", needs_descriptor=False),
    Check("cell length", _cell_length, "table", row_alone=True),
    Check("schema", _schema, "table", row_alone=True),
    Check("text hygiene", _hygiene, "table", row_alone=True),
    Check("cross-table", _facts, "table", package_wide=True),
    Check("verbatim", _verbatim, "table", package_wide=True),
    Check("claim links", _claim_links, "closing"),
)


def of_phase(phase: Phase, *, parsed: bool = True) -> tuple[Check, ...]:
    """The checks of PHASE, in order; without a PARSED descriptor only those that need none."""
    return tuple(c for c in CHECKS if c.phase == phase and (parsed or not c.needs_descriptor))


def run_guarded(check: Check, ctx: Context) -> list[Problem]:
    """CHECK on CTX; an unforeseen exception becomes its internal-error Problem."""
    from .guard import collected

    return collected(check.blamed(ctx), check.step, check.run, ctx)


def row_checks(table: RawTable) -> list[Problem]:
    """The problems of TABLE that the checks needing no other row or table find (one proposed row)."""
    ctx = Context(table=table)
    return [p for check in of_phase("table") if check.row_alone for p in check.run(ctx)]
