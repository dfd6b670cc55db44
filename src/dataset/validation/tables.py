"""The tables' checks, scheduled: read ahead on one thread, checked on two, only what later checks need kept."""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..descriptor import (
    Descriptor,
    ForeignKey,
)
from ..domain import SOURCES_TABLE
from ..location import DESCRIPTOR_NAME as DESCRIPTOR_FILE
from ..report import Problem
from .guard import guarded
from .registry import Context, of_phase, run_guarded

if TYPE_CHECKING:  # read.py imports pandas and pyarrow: validate imports it once the hashing has started
    from ..read import RawTable


@dataclass
class _Run:
    """What the table-by-table checks carry from one table to the next."""

    problems: list[Problem]
    ctx: Context
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


def check_tables(problems: list[Problem], ctx: Context, frames: dict[str, Any] | None = None) -> None:
    """Read and check the tables one at a time, sources first; keep only what later checks need.

    Each table's own checks (schema, hygiene and provenance, dates against its sources, key
    values) run as separate tasks on two worker threads, so a worker that is done with one
    table starts on the next while the other finishes. At most two tables are in memory at
    once (see `_Prefetch`); when a table's checks are done, its references to tables already
    done are checked, and only its key values and the columns of references still to check
    are kept, so memory follows the largest tables, not the sum of them. The checks are those
    of `registry.CHECKS` in the phases `table` (each table) and `closing` (after the last).
    """
    desc = ctx.desc
    if desc is None:
        raise ValueError("the tables are checked only with a parsed descriptor")
    tables = desc.tables
    composite = _kept_columns(desc)
    run = _Run(
        problems,
        ctx,
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
    order = sorted(tables, key=lambda name: name != SOURCES_TABLE)
    if SOURCES_TABLE not in tables:  # no archive: every provenance check fails against nothing
        run.archive = Future()
        run.archive.set_result({})
    feed = _Prefetch(desc, ctx.unreadable, order)
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
    for check in of_phase("closing"):
        problems.extend(run_guarded(check, replace(ctx, kept=run.kept)))
    if any(run.later.values()):
        from . import keys

        frames = {n: _with_keys(t, run.later.get(n, [])) for n, t in run.kept.items()}
        problems.extend(
            guarded(
                problems,
                DESCRIPTOR_FILE,
                "foreign key",
                lambda: keys.foreign_key_problems(frames, desc, run.keys),
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
    """Submit every check of the `table` phase on RAW, and the key values later tables need.

    Each check is its own task; the archived articles are read on the ARCHIVE thread, so the
    checks of the first large table need not wait for them (the verbatim check, started last,
    does).
    """
    from . import facts  # pandera is imported while the next table is parsed, not before the first

    name = raw.table.name
    run.problems.extend(raw.problems)
    if name == SOURCES_TABLE:
        run.archive = archive.submit(_read_archive, run.problems, raw, run.desc.root)
        run.published = guarded(
            run.problems, DESCRIPTOR_FILE, "cross-table", lambda: facts.published_dates({name: raw}), None
        )
    if run.published is None:
        run.published = facts.published_dates({})
    ctx = run.ctx.of_table(raw, run.published, run.archive)
    tasks = [workers.submit(run_guarded, check, ctx) for check in of_phase("table")]
    keys = {
        (resource, key): workers.submit(_key_values, raw, key)
        for resource, key in run.wanted
        if resource == name
    }
    return _Checking(raw, tasks, keys)


def _key_values(raw: RawTable, key: str) -> Any:
    from . import keys

    return guarded([], DESCRIPTOR_FILE, "foreign key", lambda: keys.key_values(raw, key), None)


def _finish_table(run: _Run, started: _Checking, feed: _Prefetch) -> None:
    """Collect the checks of a table, check its references to tables already done, keep what later checks need."""
    from . import keys

    raw, name = started.raw, started.raw.table.name
    for key, future in started.keys.items():
        run.keys[key] = future.result()
    run.done.add(name)
    now = [fk for fk in raw.table.foreign_keys if _single(fk) and fk.resource in run.done]
    run.later[name] = [fk for fk in raw.table.foreign_keys if fk not in now]
    run.problems.extend(
        guarded(
            run.problems,
            DESCRIPTOR_FILE,
            "foreign key",
            lambda: keys.foreign_key_problems({name: _with_keys(raw, now)}, run.desc, run.keys),
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
    from . import provenance

    nothing: tuple[dict[str, str], list[Problem]] = ({}, [])
    texts, found = guarded(
        problems, raw.file, "archive", lambda: provenance.source_texts({raw.table.name: raw}, root), nothing
    )
    problems.extend(found)
    return texts


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
    from ..read import RawTable, read_table

    frames: dict[str, RawTable] = {}
    sink = problems if problems is not None else []
    for name, table in desc.tables.items():
        if only is not None and name != only:
            continue
        if unreadable and name in unreadable:
            frames[name] = RawTable(table, table.path or DESCRIPTOR_FILE, None)
            continue
        frames[name] = guarded(
            sink,
            table.path,
            "CSV reading",
            partial(read_table, desc.root, table),
            RawTable(table, table.path, None),
        )
    return frames
