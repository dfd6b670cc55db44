"""Every check of one table, in one list, each of one shape: `check(ctx) -> list[Problem]`.

The scheduler (`tables.py`) runs each entry of `TABLE_CHECKS` on every table as its own task,
guarded; `dataset add-source` runs the entries marked `row_alone` on one proposed row. A new
rule of a table is one function here and one line in the list, nothing in the scheduler.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

from ..location import DESCRIPTOR_NAME
from ..read import RawTable
from ..report import Problem
from . import facts, hygiene, provenance, values


@dataclass
class TableContext:
    """What a table's checks may look at: the table as read, the sources' dates, the archived texts."""

    raw: RawTable
    #: the sources' publication dates (`facts.published`), or None when checking a row alone
    published: Any = None
    #: the archived articles by source id, read on another thread; None when there is no archive
    archive: Future[dict[str, str]] | None = None

    def texts(self) -> dict[str, str]:
        """The archived articles (waits for the thread that reads them)."""
        return self.archive.result() if self.archive is not None else {}


@dataclass(frozen=True)
class TableCheck:
    """One check of a table: what its internal error is called and which file its problems blame."""

    step: str
    run: Callable[[TableContext], list[Problem]]
    #: True when its faults are the package's (cross-table, provenance), located in the descriptor
    package_wide: bool = False
    #: True when it needs nothing but the row itself (so `add-source` can run it on one row)
    row_alone: bool = False

    def blamed(self, ctx: TableContext) -> str:
        """The file an internal error of this check is reported against."""
        return DESCRIPTOR_NAME if self.package_wide else ctx.raw.file


def _verbatim(ctx: TableContext) -> list[Problem]:
    if ctx.archive is None:
        return []
    return provenance.verbatim_problems({ctx.raw.table.name: ctx.raw}, ctx.texts())


#: In the order they are started: the ones that wait for the archived articles last.
TABLE_CHECKS: tuple[TableCheck, ...] = (
    TableCheck("cell length", lambda ctx: hygiene.long_cell_problems(ctx.raw), row_alone=True),
    TableCheck("schema", lambda ctx: values.schema_problems(ctx.raw), row_alone=True),
    TableCheck("text hygiene", lambda ctx: hygiene.hygiene_problems(ctx.raw), row_alone=True),
    TableCheck("cross-table", lambda ctx: facts.table_facts(ctx.raw, ctx.published), package_wide=True),
    TableCheck("verbatim", _verbatim, package_wide=True),
)


def row_checks(raw: RawTable) -> list[Problem]:
    """The problems of RAW that the checks needing no other row or table find (for one proposed row)."""
    ctx = TableContext(raw)
    return [p for check in TABLE_CHECKS if check.row_alone for p in check.run(ctx)]
