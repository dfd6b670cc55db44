"""The validity record: `load()` skips re-validating only content the record vouches for, digest by digest."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataset import api, validity
from dataset.cli import cli
from dataset.errors import ValidationError
from dataset.refresh import refresh


@pytest.fixture
def recorded(package_copy: Path) -> Path:
    """A package copy with a fresh validity record, as `dataset refresh` writes it."""
    (package_copy / validity.RECORD_NAME).write_text("{}\n", encoding="utf-8")
    report = refresh(package_copy)
    assert report.ok, report.outcomes
    return package_copy


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every full validation run in this process (still run for real)."""
    from dataset.validation import runner

    seen: list[str] = []
    real = runner._validate

    def counting(path, frames):  # type: ignore[no-untyped-def]
        seen.append(str(path))
        return real(path, frames)

    monkeypatch.setattr(runner, "_validate", counting)
    return seen


def _record(root: Path) -> dict:
    return json.loads((root / validity.RECORD_NAME).read_text(encoding="utf-8"))


def _write_record(root: Path, record: dict) -> None:
    (root / validity.RECORD_NAME).write_text(validity.record_text(record), encoding="utf-8")


def _append_copy_of_first_row(csv: Path) -> None:
    lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    csv.write_text("".join([*lines, lines[1]]), encoding="utf-8")


def test_fresh_record_is_trusted_and_load_skips_validation(recorded: Path, validations: list[str]) -> None:
    assert validity.trusted(recorded)
    record = _record(recorded)
    assert record["valid"] is True
    assert "datapackage.json" not in record["folders"].get(".", {})
    assert any(name.startswith("validation/") for name in record["code"])  # the validator's own code
    assert "validation/standard.py" in record["code"]  # run in a child process, listed all the same
    tables = api.load(recorded)
    assert validations == []
    full = api.load(recorded, validate=False)  # the same frames the pandera-checked path gives
    assert tables.keys() == full.keys()
    for name, frame in tables.items():
        assert frame.dtypes.to_dict() == full[name].dtypes.to_dict(), name
        assert frame.equals(full[name]), name


def test_without_record_load_validates(package_copy: Path, validations: list[str]) -> None:
    assert not validity.trusted(package_copy)
    api.load(package_copy)
    assert validations


def test_edited_csv_with_record_of_old_content_is_refused(recorded: Path, validations: list[str]) -> None:
    """A duplicated row still types; only the full validation, which the stale record cannot skip, finds it."""
    _append_copy_of_first_row(recorded / "data" / "persons.csv")
    assert not validity.trusted(recorded)
    with pytest.raises(ValidationError) as caught:
        api.load(recorded)
    assert validations
    assert any(p.file == "data/persons.csv" for p in caught.value.report.problems)


def test_forged_record_still_refuses_a_frame_that_does_not_type(recorded: Path) -> None:
    """Even a record that matches (here forged) never vouches for a cell that does not type."""
    figures = recorded / "data" / "figures.csv"
    lines = figures.read_text(encoding="utf-8").splitlines(keepends=True)
    head, first = lines[1].split(",", 2)[:2], lines[1].split(",", 2)[2]
    lines[1] = f"{head[0]},not-a-number,{first}"
    figures.write_text("".join(lines), encoding="utf-8")
    _write_record(recorded, validity.actual(_record(recorded), recorded))
    assert validity.trusted(recorded)
    with pytest.raises(ValidationError) as caught:
        api.load(recorded)
    assert any(p.file == "data/figures.csv" and p.column == "value" for p in caught.value.report.problems)


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(
            lambda r, root: r["code"].update({next(iter(r["code"])): "0" * 64}), id="validator-changed"
        ),
        pytest.param(lambda r, root: r["environment"].update(frictionless="0.0.1"), id="library-version"),
        pytest.param(lambda r, root: r.update(descriptor="0" * 64), id="descriptor"),
        pytest.param(lambda r, root: (root / "data" / "extra.csv").write_text("id\nx\n"), id="file-added"),
        pytest.param(lambda r, root: r["folders"].update({"../elsewhere": {}}), id="path-outside"),
        pytest.param(lambda r, root: r.update(valid=False), id="not-valid"),
        pytest.param(lambda r, root: r["code"].clear(), id="no-code"),
    ],
)
def test_any_mismatch_or_doubt_means_full_validation(recorded: Path, validations: list[str], spoil) -> None:  # type: ignore[no-untyped-def]
    record = _record(recorded)
    spoil(record, recorded)
    _write_record(recorded, record)
    assert not validity.trusted(recorded)
    with contextlib.suppress(ValidationError):  # an undeclared table is a warning at most
        api.load(recorded)
    assert validations


def test_a_folder_reached_through_a_link_is_not_trusted(recorded: Path) -> None:
    """Same bytes, but the validator would look through the link: no shortcut."""
    (recorded / "data").rename(recorded / "data-real")
    (recorded / "data").symlink_to(recorded / "data-real", target_is_directory=True)
    assert not validity.trusted(recorded)


def test_unreadable_record_is_not_trusted(recorded: Path) -> None:
    (recorded / validity.RECORD_NAME).write_text("{not json", encoding="utf-8")
    assert not validity.trusted(recorded)
    (recorded / validity.RECORD_NAME).write_bytes(b"\xff\xfe")
    assert not validity.trusted(recorded)


def test_another_descriptor_beside_the_record_is_not_vouched_for(
    recorded: Path, validations: list[str]
) -> None:
    other = recorded / "other.json"
    other.write_bytes((recorded / "datapackage.json").read_bytes())
    api.load(other)
    assert validations


def test_refresh_check_reports_a_stale_record_and_refresh_renews_it(
    recorded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    persons = recorded / "data" / "persons.csv"
    persons.write_text(
        persons.read_text(encoding="utf-8").replace("President of Azerbaijan", "President"), "utf-8"
    )
    check = refresh(recorded, check=True)
    assert validity.RECORD_NAME in {o.file for o in check.stale}
    assert not validity.trusted(recorded)
    assert refresh(recorded).ok
    assert validity.trusted(recorded)
    monkeypatch.chdir(recorded)
    assert CliRunner().invoke(cli, ["refresh", "--check"]).exit_code == 0


def test_an_invalid_package_gets_a_record_that_vouches_for_nothing(recorded: Path) -> None:
    _append_copy_of_first_row(recorded / "data" / "persons.csv")
    assert validity.expected_record(recorded) is None
    (recorded / validity.RECORD_NAME).write_text(validity.record_text(None), encoding="utf-8")
    assert _record(recorded)["valid"] is False
    assert not validity.trusted(recorded)
    with pytest.raises(ValidationError):
        api.load(recorded)


def test_validate_never_trusts_the_record(recorded: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`dataset validate` reports an edited table even when a (forged) record matches it."""
    _append_copy_of_first_row(recorded / "data" / "persons.csv")
    _write_record(recorded, validity.actual(_record(recorded), recorded))
    assert validity.trusted(recorded)
    monkeypatch.chdir(recorded)
    result = CliRunner().invoke(cli, ["validate", "."])
    assert result.exit_code == 1, result.output
    assert "persons.csv" in result.output
