"""A changed word in an excerpt fails validate: file, row, column, the closest passage and the first difference."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataset.cli import cli


def _change_a_word(root: Path) -> tuple[int, str, str, int]:
    """Replace one word of the first statement's excerpt; return its row, the old and new cell, and where."""
    file = root / "data" / "statements.csv"
    with open(file, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    column = rows[0].index("excerpt")
    old = rows[1][column]
    words = old.split(" ")
    k = next(i for i, w in enumerate(words) if len(w) > 3 and w.isalpha() and i > 0)
    words[k] = words[k][::-1] if words[k][::-1] != words[k] else words[k] + "x"
    new = " ".join(words)
    rows[1][column] = new
    with open(file, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return 2, old, new, next(i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b)


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_changed_word_shows_the_closest_passage_and_where_it_differs(package_copy: Path, fmt: str) -> None:
    row, old, _new, at = _change_a_word(package_copy)
    result = CliRunner().invoke(cli, ["validate", str(package_copy), "--format", fmt])
    assert result.exit_code == 1
    if fmt == "json":
        (problem,) = [p for p in json.loads(result.stdout)["problems"] if p["rule"] == "verbatim"]
        assert (problem["file"], problem["row"], problem["column"]) == ("data/statements.csv", row, "excerpt")
        message = problem["message"]
    else:
        (message,) = [line for line in result.stdout.splitlines() if "verbatim" in line]
        where = (
            f"data/statements.csv,line={row},title=verbatim (excerpt)"
            if fmt == "github"
            else f"data/statements.csv, row {row}, column excerpt:"
        )
        assert where in message
    assert f"the closest passage is {' '.join(old.split())!r}" in message
    assert f"first differs at character {at + 1}:" in message
