"""The scheduler runs what `validation.registry.CHECKS` lists, each check guarded, in its phase."""

from __future__ import annotations

from pathlib import Path

import pytest

from dataset import rules
from dataset.report import Problem
from dataset.validation import registry, validate
from dataset.validation.registry import Check, Context


def _flag_every_table(ctx: Context) -> list[Problem]:
    return [Problem(ctx.raw_table.file, 2, None, rules.PADDING, f"seen {ctx.raw_table.table.name}")]


def _broken(ctx: Context) -> list[Problem]:
    raise RuntimeError("boom")


def test_a_registered_table_check_runs_on_every_table(
    package_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registry, "CHECKS", (*registry.CHECKS, Check("probe", _flag_every_table, "table")))
    report = validate(package_copy)
    seen = {p.message for p in report.problems if p.message.startswith("seen ")}
    assert seen == {f"seen {name}" for name in report_tables(package_copy)}


def test_a_check_that_fails_is_an_internal_error_naming_its_step(
    package_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = registry.CHECKS
    for phase in ("package", "side", "table", "closing"):
        monkeypatch.setattr(registry, "CHECKS", (*listed, Check(f"probe-{phase}", _broken, phase)))
        report = validate(package_copy)
        internal = [p for p in report.problems if p.rule == rules.INTERNAL_ERROR]
        assert internal and all(
            f"the probe-{phase} check could not run (RuntimeError: boom)" in p.message for p in internal
        )
        assert not report.valid


def test_a_check_removed_from_the_list_is_not_run(
    package_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The list is the scheduler's only source: without the hygiene check, a padded cell passes."""
    csv = package_copy / "data" / "persons.csv"
    lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    cells = lines[1].rstrip("\n").split(",")
    cells[header.index("notes")] = "padded "
    lines[1] = ",".join(cells) + "\n"
    csv.write_text("".join(lines), encoding="utf-8")
    assert any(p.rule == rules.PADDING for p in validate(package_copy).problems)
    kept = tuple(c for c in registry.CHECKS if c.step != "text hygiene")
    monkeypatch.setattr(registry, "CHECKS", kept)
    assert not any(p.rule == rules.PADDING for p in validate(package_copy).problems)


def report_tables(package: Path) -> set[str]:
    from dataset.descriptor import read_descriptor

    return set(read_descriptor(package).tables)
