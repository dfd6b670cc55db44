"""`dataset cite` and `evidence.find_passage`: the passage as archived, or the closest with the difference marked."""

from __future__ import annotations

import csv
import itertools
import random
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataset.cli import cli
from dataset.evidence import find_passage, first_difference

ARTICLE = 'MOSCOW, May 2.  Talks  went on\nfor hours, officials said.\n\n"No comment," he said.\n'


def test_exact_match_ignores_whitespace_runs_and_returns_the_archived_text() -> None:
    found = find_passage(ARTICLE, "Talks went on for hours,")
    assert found.found
    assert found.exact.text == "Talks  went on\nfor hours,"
    assert ARTICLE[found.exact.start : found.exact.end] == found.exact.text


def test_a_changed_character_is_located() -> None:
    words = "Talks went on for hourz, officials said."
    found = find_passage(ARTICLE, words)
    assert not found.found
    best = found.closest[0]
    assert best.normalised == "Talks went on for hours, officials said."
    assert best.differs_at == words.index("hourz") + 4
    assert first_difference("abc", "abd") == 2 and first_difference("abc", "abc") is None


def test_a_changed_first_word_still_finds_the_passage() -> None:
    found = find_passage(ARTICLE, "Walks went on for hours, officials said.")
    assert found.closest[0].normalised.startswith("Talks went on")
    assert found.closest[0].differs_at == 0


def test_nothing_alike_offers_nothing() -> None:
    assert find_passage(ARTICLE, "zzzz qqqq").closest == ()


def test_fast_on_a_ten_kilobyte_article() -> None:
    rng = random.Random(7)
    vocabulary = [
        "the",
        "of",
        "Baku",
        "Moscow",
        "said",
        "detained",
        "officials",
        "embassy",
        "talks",
        "on",
        "in",
        "for",
        "and",
        "a",
    ]
    text = " ".join(rng.choice(vocabulary) for _ in range(2000))
    assert len(text) > 10_000
    words = text[5000:5300]
    changed = words[:150] + ("X" if words[150] != "X" else "Y") + words[151:]
    start = time.perf_counter()
    found = find_passage(text, changed)
    assert time.perf_counter() - start < 1.0
    assert found.closest and found.closest[0].differs_at == 150 - (len(words) - len(words.lstrip()))


def test_a_huge_paste_is_answered_at_once_and_its_difference_found_past_the_words_compared() -> None:
    """The search compares only the first words of a long paste (difflib's cost is quadratic),
    yet the first difference reported is that of the whole paste, even past those words."""
    from dataset.evidence import MAX_COMPARED_CHARS

    rng = random.Random(11)
    text = " ".join(f"w{rng.randrange(10_000)}" for _ in range(3 * MAX_COMPARED_CHARS))
    cut = text.rfind(" ", 0, 2 * MAX_COMPARED_CHARS)
    words = text[:cut] + " ZZZ"
    start = time.perf_counter()
    found = find_passage(text, words)
    assert time.perf_counter() - start < 2.0  # unbounded, difflib took minutes on such pastes
    assert not found.found and found.closest[0].differs_at == cut + 1
    start = time.perf_counter()
    assert find_passage(text[:2000], " ".join(["word"] * 20_000)).closest == ()
    assert time.perf_counter() - start < 1.0


def _first_source(root: Path) -> tuple[str, str]:
    with open(root / "data" / "sources.csv", encoding="utf-8", newline="") as fh:
        row = next(csv.DictReader(fh))
    return row["id"], (root / row["path"]).read_text(encoding="utf-8")


def _words(text: str, n: int = 8) -> str:
    """N words from the middle of TEXT: the test takes its evidence from the archive itself."""
    tokens = text.split()
    middle = len(tokens) // 2
    return " ".join(tokens[middle : middle + n])


def test_cli_prints_the_passage_and_csv_advice(package_copy: Path) -> None:
    sid, text = _first_source(package_copy)
    words = _words(text)
    result = CliRunner().invoke(cli, ["cite", sid, words, str(package_copy)])
    assert result.exit_code == 0, result.output
    passage = result.stdout.rstrip("\n")
    assert passage == words  # taken from the archive, whitespace runs as one space
    assert ("quoted" in result.stderr) == any(c in passage for c in ',"')


def test_cli_prints_a_passage_across_lines_on_one_line(package_copy: Path) -> None:
    sid, text = _first_source(package_copy)
    lines = [line.split() for line in text.splitlines() if line.strip()]  # blank lines are whitespace too
    first, second = next((a, b) for a, b in itertools.pairwise(lines) if len(a) > 3 and len(b) > 3)
    words = " ".join(first[-2:] + second[:2])
    result = CliRunner().invoke(cli, ["cite", sid, words, str(package_copy)])
    assert result.exit_code == 0, result.output
    assert result.stdout == words + "\n" and "one space" in result.stderr


def test_cli_marks_the_first_difference_with_a_caret(package_copy: Path) -> None:
    sid, text = _first_source(package_copy)
    words = _words(text, 10)
    at = len(words) // 2
    while not words[at].isalpha():
        at += 1
    changed = words[:at] + ("q" if words[at] != "q" else "z") + words[at + 1 :]
    result = CliRunner().invoke(cli, ["cite", sid, changed, str(package_copy)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f"first difference at character {at + 1} " in result.stdout
    yours = next(i for i, line in enumerate(lines) if line.strip().startswith("yours:"))
    caret = lines[yours + 2].index("^")
    assert lines[yours][caret] != lines[yours + 1][caret]
    # the same text before the caret on both lines: the caret stands under the first difference
    assert (
        lines[yours][:caret].split(":", 1)[1].lstrip() == lines[yours + 1][:caret].split(":", 1)[1].lstrip()
    )


@pytest.mark.parametrize("args", [["no-such-source", "words"], ["", "words"]])
def test_unknown_source_is_a_usage_error(package_copy: Path, args: list[str]) -> None:
    result = CliRunner().invoke(cli, ["cite", *args, str(package_copy)])
    assert result.exit_code == 2
    assert "no source has the id" in result.stderr and "Traceback" not in result.output


def test_empty_words_are_a_usage_error(package_copy: Path) -> None:
    sid, _ = _first_source(package_copy)
    result = CliRunner().invoke(cli, ["cite", sid, "  ", str(package_copy)])
    assert result.exit_code == 2 and "WORDS is empty" in result.output
