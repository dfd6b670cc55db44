"""The descriptor's key rules are written once (`spec.CONSTRAINT_RULES`, `spec.FIELD_RULES`):
the strict check reports an unusable value under the table's rule, and the lenient parse leaves
the same value out, so the commands never read what validate refused."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from dataset.descriptor import parse_descriptor
from dataset.spec import CONSTRAINT_RULE, FIELD_RULE, LIST_KEY, ListOf
from dataset.validation.descriptor import check_descriptor

#: (where the value goes, key, an unusable value, the field type, the Field attribute left out)
BAD = [
    ("constraints", "required", "yes", "string", "required"),
    ("constraints", "unique", 1, "string", "unique"),
    ("constraints", "pattern", 5, "string", "pattern"),
    ("constraints", "pattern", "(", "string", "pattern"),
    ("constraints", "enum", [], "string", "enum"),
    ("constraints", "enum", ["a", "a"], "string", "enum"),
    ("constraints", "minimum", "x", "integer", "minimum"),
    ("constraints", "exclusiveMaximum", True, "number", "exclusive_maximum"),
    ("constraints", "minLength", -1, "string", "min_length"),
    ("constraints", "maxLength", 2.5, "string", "max_length"),
    ("field", "format", "weird", "string", "format"),
    ("field", LIST_KEY, {"resource": "sources", "separator": ""}, "string", "list_of"),
]


def _with(
    raw: dict[str, Any], where: str, key: str, value: Any, ftype: str
) -> tuple[dict[str, Any], str, str]:
    raw = copy.deepcopy(raw)
    res = raw["resources"][0]
    field = res["schema"]["fields"][-1]
    field["type"] = ftype
    field.pop("format", None)
    if where == "constraints":
        field["constraints"] = {key: value}
    else:
        field[key] = value
    return raw, res["name"], field["name"]


@pytest.mark.parametrize(("where", "key", "value", "ftype", "attribute"), BAD)
def test_an_unusable_value_is_reported_by_the_check_and_left_out_by_the_parse(
    repo_root: Path, where: str, key: str, value: Any, ftype: str, attribute: str
) -> None:
    raw, table, name = _with(
        json.loads((repo_root / "datapackage.json").read_text("utf-8")), where, key, value, ftype
    )
    rule = (CONSTRAINT_RULE if where == "constraints" else FIELD_RULE)[key].rule
    ends = (f"/{name}/{key}", f"/{name}/constraints/{key}")
    found = [p for p in check_descriptor(copy.deepcopy(raw)).problems if (p.column or "").endswith(ends)]
    assert [p.rule for p in found] == [rule]
    assert name in found[0].message and found[0].value is not None
    parsed = parse_descriptor(raw, repo_root / "datapackage.json").tables[table].field(name)
    assert getattr(parsed, attribute) in (None, False)


def test_a_usable_value_is_read_the_same_by_both(repo_root: Path) -> None:
    raw, table, name = _with(
        json.loads((repo_root / "datapackage.json").read_text("utf-8")),
        "constraints",
        "minimum",
        3,
        "integer",
    )
    assert not [p for p in check_descriptor(copy.deepcopy(raw)).problems if name in (p.column or "")]
    assert parse_descriptor(raw, repo_root / "datapackage.json").tables[table].field(name).minimum == 3
    # a range on a text field is dropped by both, without a word
    raw, table, name = _with(raw, "constraints", "minimum", 3, "string")
    assert not [p for p in check_descriptor(copy.deepcopy(raw)).problems if name in (p.column or "")]
    assert parse_descriptor(raw, repo_root / "datapackage.json").tables[table].field(name).minimum is None


def test_the_list_defaults_are_written_once() -> None:
    assert ListOf.read({"resource": "sources"}) == ListOf("sources")
    assert (ListOf.field, ListOf.separator) == ("id", ";")
