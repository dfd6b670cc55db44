"""Table Schema types and constraints on text cells: what `dataset validate` accepts and rejects.

Each case is one column of one type (or constraint) with cells that Table Schema accepts and
cells it rejects; the rejected ones, and only they, must be reported on their rows.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from dataset.descriptor import Field, Table
from dataset.read import RawTable
from dataset.validation.values import _end_anchor, schema_problems

#: (field, good cells, bad cells)
CASES = {
    "boolean": (
        Field("flag", "boolean"),
        ["true", "false", "True", "FALSE", "1", "0"],
        ["yes", "t", "2"],
    ),
    "number": (
        Field("x", "number"),
        ["1", "-1.5", ".5", "1e3", "NaN", "INF", "-INF"],
        ["1,5", "one", "nan", "1.2.3"],
    ),
    "number minimum": (Field("x", "number", minimum=0), ["0", "2.5"], ["-1.5", "-INF"]),
    "integer maximum": (Field("n", "integer", maximum=10), ["10", "-3"], ["11", "1.0"]),
    "date": (Field("d", "date"), ["2025-02-28", "2024-02-29"], ["2025-02-30", "2025-13-01", "2025-6-1"]),
    "datetime": (
        Field("t", "datetime"),
        ["2025-07-01T10:00:00Z", "2025-07-01T10:00:00+03:00", "2025-07-01T10:00:00.5"],
        ["yesterday", "2025-02-30T10:00:00Z", "2025-07-01 10:00"],
    ),
    "time": (Field("t", "time"), ["00:00:00", "23:59:59"], ["25:99:00", "7pm"]),
    "yearmonth": (Field("m", "yearmonth"), ["2025-01", "2025-12"], ["2025-13", "2025-1"]),
    "year": (Field("y", "year"), ["2025"], ["25", "MMXXV"]),
    "partial date": (
        Field("date", "string", pattern=r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"),
        ["2025", "2025-02", "2024-02-29", "2025-04-30"],
        ["2025-02-29", "2025-04-31"],
    ),
    "unanchored pattern": (Field("code", "string", pattern="[a-z]+"), ["abc"], ["abc1", "1abc"]),
    "length": (Field("s", "string", min_length=2, max_length=3), ["ab", "абв"], ["a", "abcd"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_type_and_constraints(name: str) -> None:
    field, good, bad = CASES[name]
    table = Table(
        name="t", path="t.csv", title="t", description="", fields=(field,), primary_key=(), foreign_keys=()
    )
    cells = good + bad
    rows = list(range(2, len(cells) + 2))
    frame = pd.DataFrame({field.name: pd.array(cells, dtype="string")}, index=pd.Index(rows, name="row"))
    problems = schema_problems(RawTable(table, "t.csv", frame), by_value=False)
    flagged = {p.row for p in problems}
    assert flagged == set(rows[len(good) :]), [(p.row, p.value, p.rule) for p in problems]
    assert all(p.column == field.name for p in problems)


def test_load_reads_what_validate_accepts() -> None:
    """Every boolean and number spelling validate accepts becomes a value in `dataset.load()`, not NA."""
    from dataset.frames import typed_frame

    table = Table(
        name="t",
        path="t.csv",
        title="t",
        description="",
        fields=(Field("flag", "boolean"), Field("x", "number")),
        primary_key=(),
        foreign_keys=(),
    )
    flags = CASES["boolean"][1]
    numbers = CASES["number"][1][: len(flags)]
    raw = pd.DataFrame({"flag": pd.array(flags, dtype="string"), "x": pd.array(numbers, dtype="string")})
    typed = typed_frame(raw, table)
    assert typed["flag"].tolist() == [True, False, True, False, True, False]
    assert typed["x"].notna().sum() == len(numbers) - numbers.count("NaN")
    assert typed["x"].tolist()[:4] == [1.0, -1.5, 0.5, 1000.0]


@pytest.mark.parametrize(
    "pattern",
    [
        "^[a-z0-9]+(-[a-z0-9]+)*$",
        "[a-z]+|[0-9]+$",
        r"a\$",
        r"a\\$",
        "(x$)",
        "[$]",
        "ab",
        "^$",
    ],
)
def test_end_anchor_matches_what_the_pattern_matches_on_single_line_text(pattern: str) -> None:
    """On text without a line break, the rewritten pattern (no `$` for pandas to scan for) agrees."""
    wrapped = f"^(?:{pattern})$"
    quick = _end_anchor(wrapped)
    assert quick.endswith(r"\Z")
    for value in ["", "a", "ab", "a$", "a\\", "abc-def", "x", "$", "12", "ab1", "ab$", "a\\$"]:
        assert bool(re.match(quick, value)) == bool(re.match(wrapped, value)), (wrapped, quick, value)


def test_end_anchor_drops_the_descriptors_own_closing_dollar() -> None:
    assert _end_anchor("^(?:^[a-z]+$)$") == r"^(?:^[a-z]+)\Z"
    assert _end_anchor(r"^(?:a\$)$") == r"^(?:a\$)\Z"  # an escaped dollar is a character: kept
