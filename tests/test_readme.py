"""The README's examples run, and its table of row counts matches the data."""

from __future__ import annotations

import csv
import doctest
import re
from pathlib import Path

from dataset.descriptor import read_descriptor


def test_from_python_session_runs(repo_root: Path) -> None:
    """Every `>>>` example in the README gives the output printed there."""
    text = (repo_root / "README.md").read_text(encoding="utf-8")
    # A code fence ends an example's expected output, as a blank line does for doctest.
    text = re.sub(r"^```\w*$", "", text, flags=re.M)
    test = doctest.DocTestParser().get_doctest(text, {}, "README.md", str(repo_root / "README.md"), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    result = runner.run(test)
    assert result.attempted > 5
    assert result.failed == 0


def test_row_counts_in_readme_match_the_csvs(repo_root: Path) -> None:
    """The README's table lists every resource with its current number of rows."""
    text = (repo_root / "README.md").read_text(encoding="utf-8")
    listed = {
        m.group(1): int(m.group(2)) for m in re.finditer(r"^\| \[`(\w+)`\]\([^)]*\) \| (\d+) \|", text, re.M)
    }
    desc = read_descriptor(repo_root)
    actual = {}
    for name, table in desc.tables.items():
        with (repo_root / table.path).open(encoding="utf-8", newline="") as fh:
            actual[name] = sum(1 for _ in csv.DictReader(fh))
    assert listed == actual


def console_examples(text: str) -> list[tuple[str, str]]:
    """(command, expected output) for each `$ dataset ...` line of the README's console blocks.

    Only commands followed by their output are checked: those `dataset refresh` runs to write
    the output (commands that only read), the same rule.
    """
    import shlex

    from dataset.readme import _reads_only

    examples = []
    for block in re.findall(r"^```console\n(.*?)^```", text, re.M | re.S):
        lines = block.splitlines()
        for i, line in enumerate(lines):
            if not line.startswith("$ dataset ") or "#" in line or not _reads_only(shlex.split(line)[2:]):
                continue
            output = []
            for follow in lines[i + 1 :]:
                if follow.startswith("$ "):
                    break
                output.append(follow)
            examples.append((line[2:], "\n".join(output)))
    return examples


def test_shell_examples_print_what_the_readme_shows(repo_root: Path) -> None:
    """Each `$ dataset ...` example in the README prints exactly the output shown under it."""
    import shlex

    from click.testing import CliRunner

    from dataset.cli import cli

    examples = console_examples((repo_root / "README.md").read_text(encoding="utf-8"))
    assert len(examples) >= 4
    for command, expected in examples:
        result = CliRunner().invoke(cli, shlex.split(command)[1:], env={"COLUMNS": "100"})
        assert result.exit_code == 0, (command, result.output)
        assert result.output.rstrip("\n") == expected, command
