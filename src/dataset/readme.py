"""The README's parts that follow from the data, regenerated (as cog does) rather than typed.

Three kinds of part: the table of tables with their row counts, the sentence that counts the
archived articles, and the output printed under each `$ dataset ...` example of a console
block. Each is rewritten in place; the prose around them is the maintainers' and is left as
it is. Only commands that read are run (a README is text from a pull request: it must not be
able to make `refresh` write or run code); the `>>>` examples are not run here, and are
written so that new rows do not change what they print (tests/test_readme.py runs them).
"""

from __future__ import annotations

import contextlib
import re
import shlex
from collections.abc import Mapping
from pathlib import Path

#: The columns `dataset ...` examples are rendered at (the README test uses the same).
EXAMPLE_COLUMNS = "100"
_TABLE_ROW = re.compile(r"^\| \[`(\w+)`\]\(([^)]*)\) \| (\d+) \|(.*)$", re.M)
_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
#: the phrase that counts the articles, wherever prose uses it (`articles_phrase` writes it),
#: also when a line break falls inside it
_ARTICLES = re.compile(rf"\b(?:{'|'.join(_NUMBERS)}|\d+)\s+archived\s+news\s+articles?\s+\([^()]*\)")
_CONSOLE = re.compile(r"^```console\n(.*?)^```", re.M | re.S)
#: The commands a console example may run: those that only read (with --check where they can write).
READ_ONLY = {
    "validate": (),
    "query": (),
    "diff": (),
    "status": (),
    "cite": (),
    "fmt": ("--check",),
    "codebook": ("--check",),
}


class ExampleError(Exception):
    """An example of the README no longer runs: the README must be mended by hand.

    `unreadable`: the example is not even a command line (no run of refresh can mend it).
    """

    def __init__(self, message: str, *, unreadable: bool = False) -> None:
        super().__init__(message)
        self.unreadable = unreadable


def number_word(n: int) -> str:
    """'five' for 5, as prose writes small counts; digits from 11 on."""
    return _NUMBERS[n] if 0 <= n < len(_NUMBERS) else str(n)


def articles_phrase(languages: list[str], names: Mapping[str, str] | None = None) -> str:
    """'five archived news articles (two English, three Russian)' from the sources' languages.

    NAMES: what each language code is called (the descriptor's words for its vocabulary).
    """
    counts = {code: languages.count(code) for code in set(languages)}
    parts = [f"{number_word(n)} {(names or {}).get(code, code)}" for code, n in sorted(counts.items())]
    noun = "article" if len(languages) == 1 else "articles"
    return f"{number_word(len(languages))} archived news {noun} ({', '.join(parts) or 'none yet'})"


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

    result = CliRunner().invoke(
        cli, [*words, *EXAMPLE_FLAGS.get(words[0], ())], env={"COLUMNS": EXAMPLE_COLUMNS}
    )
    if result.exit_code != 0:
        raise ExampleError(f"README.md: `dataset {shlex.join(words)}` failed: {result.output.strip()}")
    return result.output.rstrip("\n")


#: Flags added to an example when refresh runs it: a bounded time for SQL a README may hold.
EXAMPLE_FLAGS: dict[str, tuple[str, ...]] = {"query": ("--timeout", "5")}


def _reads_only(words: list[str]) -> bool:
    """True for a `dataset` command line that only reads (see READ_ONLY), and writes no file (-o)."""
    if not words or words[0] not in READ_ONLY or "-o" in words or "--output" in words:
        return False
    return all(flag in words for flag in READ_ONLY[words[0]])


def _words(line: str) -> list[str]:
    """The arguments of a `$ dataset ...` example line (none for other lines, or one with a comment)."""
    if not line.startswith("$ dataset ") or "#" in line:
        return []
    try:
        return shlex.split(line)[2:]
    except ValueError as exc:  # an unbalanced quote
        raise ExampleError(
            f"README.md: the example `{line}` cannot be read as a command line ({exc})", unreadable=True
        ) from None


def with_console_outputs(text: str, root: Path) -> str:
    """Each `$ dataset ...` example in a console block followed by what it prints now, run in ROOT.

    Commands that could write (see `READ_ONLY`) or carry a comment are shown, not run.
    """

    def block(match: re.Match[str]) -> str:
        lines = match.group(1).splitlines()
        out: list[str] = []
        i = 0
        while i < len(lines):
            line = lines[i]
            out.append(line)
            i += 1
            words = _words(line)
            if not _reads_only(words):
                continue
            while i < len(lines) and not lines[i].startswith("$ "):
                i += 1  # the old output
            printed = run_command(words)
            out.extend(printed.splitlines())
        return "```console\n" + "".join(f"{line}\n" for line in out) + "```"

    with contextlib.chdir(root):
        return _CONSOLE.sub(block, text)
