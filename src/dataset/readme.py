"""The README's parts that follow from the data, regenerated (as cog does) rather than typed.

Three kinds of part: the table of tables with their row counts, the sentence that counts the
archived articles, and the output printed under each example (`$ dataset ...` in console
blocks, `>>>` in Python blocks). Each is rewritten in place; the prose around them is the
maintainers' and is left as it is.
"""

from __future__ import annotations

import contextlib
import doctest
import io
import re
import shlex
from collections.abc import Mapping
from pathlib import Path

#: The columns `dataset ...` examples are rendered at (the README test uses the same).
EXAMPLE_COLUMNS = "100"
_TABLE_ROW = re.compile(r"^\| \[`(\w+)`\]\(([^)]*)\) \| (\d+) \|(.*)$", re.M)
#: the phrase that counts the articles, wherever prose uses it (`articles_phrase` writes it)
_ARTICLES = re.compile(r"\b\w+ archived news articles? \(\w+ [A-Z][a-z]+(?:, \w+ [A-Z][a-z]+)*\)")
_CONSOLE = re.compile(r"^```console\n(.*?)^```", re.M | re.S)
_FENCE = re.compile(r"^```\w*$", re.M)
_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
LANGUAGE_NAMES = {"en": "English", "ru": "Russian"}


class ExampleError(Exception):
    """An example of the README no longer runs: the README must be mended by hand."""


def number_word(n: int) -> str:
    """'five' for 5, as prose writes small counts; digits from 11 on."""
    return _NUMBERS[n] if 0 <= n < len(_NUMBERS) else str(n)


def articles_phrase(languages: list[str]) -> str:
    """'five archived news articles (two English, three Russian)' from the sources' languages."""
    counts = {code: languages.count(code) for code in sorted(set(languages), key=languages.index)}
    parts = [f"{number_word(n)} {LANGUAGE_NAMES.get(code, code)}" for code, n in sorted(counts.items())]
    noun = "article" if len(languages) == 1 else "articles"
    return f"{number_word(len(languages))} archived news {noun} ({', '.join(parts)})"


def with_row_counts(
    text: str, counts: Mapping[str, int], titles: Mapping[str, str], paths: Mapping[str, str]
) -> str:
    """The table of tables with each count current, and a row for a table it does not list yet."""
    listed: list[str] = []

    def count(match: re.Match[str]) -> str:
        name = match.group(1)
        listed.append(name)
        if name not in counts:
            return match.group(0)
        return f"| [`{name}`]({match.group(2)}) | {counts[name]} |{match.group(4)}"

    text = _TABLE_ROW.sub(count, text)
    missing = [name for name in counts if name not in listed]
    if listed and missing:
        last = list(_TABLE_ROW.finditer(text))[-1]
        extra = "".join(f"\n| [`{n}`]({paths[n]}) | {counts[n]} | {titles.get(n, '')} |" for n in missing)
        text = text[: last.end()] + extra + text[last.end() :]
    return text


def with_articles_phrase(text: str, phrase: str) -> str:
    """Every 'N archived news articles (...)' in TEXT (written on one line) says PHRASE."""
    return _ARTICLES.sub(lambda _match: phrase, text)


def run_command(words: list[str]) -> str:
    """What `dataset WORDS` prints to a terminal (standard output and error, as the user sees them)."""
    from click.testing import CliRunner

    from .cli import cli

    result = CliRunner().invoke(cli, words, env={"COLUMNS": EXAMPLE_COLUMNS})
    if result.exit_code != 0:
        raise ExampleError(f"README.md: `dataset {shlex.join(words)}` failed: {result.output.strip()}")
    return result.output.rstrip("\n")


def with_console_outputs(text: str, root: Path) -> str:
    """Each `$ dataset ...` example in a console block followed by what it prints now, run in ROOT.

    Commands that write files (`-o`) or carry a comment are shown, not run.
    """

    def block(match: re.Match[str]) -> str:
        lines = match.group(1).splitlines()
        out: list[str] = []
        i = 0
        while i < len(lines):
            line = lines[i]
            out.append(line)
            i += 1
            if not line.startswith("$ dataset ") or "#" in line or " -o " in line:
                continue
            while i < len(lines) and not lines[i].startswith("$ "):
                i += 1  # the old output
            printed = run_command(shlex.split(line)[2:])
            out.extend(printed.splitlines())
        return "```console\n" + "".join(f"{line}\n" for line in out) + "```"

    with contextlib.chdir(root):
        return _CONSOLE.sub(block, text)


class _Recorder(doctest.DocTestRunner):
    """A doctest runner that keeps what each example printed, instead of judging it."""

    def __init__(self) -> None:
        super().__init__(optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
        self.got: dict[int, str] = {}

    def report_failure(self, out: object, test: object, example: doctest.Example, got: str) -> None:
        self.got[example.lineno] = got

    def report_unexpected_exception(
        self, out: object, test: object, example: doctest.Example, exc_info: object
    ) -> None:
        raise ExampleError(
            f"README.md, line {example.lineno + 1}: the example raised an error: {example.source.strip()}"
        )


def with_python_outputs(text: str, root: Path) -> str:
    """Each `>>>` example followed by what it prints now (examples whose output still matches are kept)."""
    parsed = _FENCE.sub("", text)  # a fence ends an example's output, as a blank line does for doctest
    test = doctest.DocTestParser().get_doctest(parsed, {}, "README.md", "README.md", 0)
    recorder = _Recorder()
    with contextlib.chdir(root), contextlib.redirect_stdout(io.StringIO()):
        recorder.run(test, out=lambda _text: None, clear_globs=True)
    lines = text.splitlines(keepends=True)
    for example in sorted(test.examples, key=lambda e: e.lineno, reverse=True):
        if example.lineno not in recorder.got:
            continue
        start = example.lineno + example.source.count("\n")
        end = start + example.want.count("\n")
        got = recorder.got[example.lineno].rstrip("\n")
        lines[start:end] = [" " * example.indent + line + "\n" for line in got.splitlines()]
    return "".join(lines)
