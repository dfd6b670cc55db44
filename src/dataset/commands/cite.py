"""`dataset cite`: the passage of an archived article, as archived, ready to paste as evidence."""

from __future__ import annotations

import csv
import io
import sys
from typing import TYPE_CHECKING

import click

from dataset import Package

from ._common import library_errors, package_path_argument

if TYPE_CHECKING:
    from dataset import Finding, Passage


def _csv_cell(text: str) -> str:
    """TEXT as one CSV cell in the canonical layout (quoted only when it must be)."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="").writerow([text])
    return out.getvalue()


@click.command("cite")
@click.argument("source_id")
@click.argument("words")
@package_path_argument
def cite_command(source_id: str, words: str, path: Package) -> None:
    """Find WORDS in the archived article of SOURCE_ID and print the passage, ready to paste.

    The passage is printed as archived, with each whitespace run (a line break, a no-break
    space) as one plain space: what validate matches and what a cell may hold.

    Matching is validate's: whitespace runs count as one space, nothing else is forgiven.
    When the words are not found, the closest passages are shown with the first character
    that differs marked by a caret. Exit 0 when found, 1 when not, 2 for an unknown source.

    \b
    Examples:
      dataset cite 2025-07-07-tass-peskov "maintaining constant contact with Baku"
      dataset cite 2025-07-07-tass-peskov "maintaining constant contact" path/to/fork
    """
    from ._common import InputError

    if not words.split():
        raise click.UsageError("WORDS is empty: give the words to look for, in quotes")
    from dataset import SourceNotFound, archived_text, find_passage

    with library_errors():
        try:
            seed, text = archived_text(path, source_id)
        except SourceNotFound as exc:
            raise InputError(str(exc)) from exc
    finding = find_passage(text, words)
    if finding.exact is not None:
        _print_found(seed, finding.exact)
        return
    _print_closest(seed, source_id, finding)
    sys.exit(1)


def _print_found(seed: str, passage: Passage) -> None:
    """The passage, ready to paste into a cell: as archived, each whitespace run one plain space."""
    cell = passage.normalised
    click.echo(cell)
    click.echo(f"found in {seed}, characters {passage.start + 1}–{passage.end}", err=True)
    if cell != passage.text:
        click.echo(
            "The archive has line breaks, tabs, no-break or double spaces in it; the line above has one "
            "space for each, which validate matches and a cell must have.",
            err=True,
        )
    quoted = _csv_cell(cell)
    if quoted != cell:
        click.echo("Written by hand into a CSV file, the cell must be quoted (quotes doubled), as:", err=True)
        click.echo(quoted, err=True)


def _print_closest(seed: str, source_id: str, finding: Finding) -> None:
    from dataset import difference

    closest, words = finding.closest, finding.words
    if not closest:
        click.echo(f"not found in {seed} (source {source_id!r}), and no passage comes close", err=True)
        return
    click.echo(f"not found verbatim in {seed} (source {source_id!r}); the closest passages:")
    for n, p in enumerate(closest, 1):
        mine, theirs, column = difference(words, p)
        at = (p.differs_at or 0) + 1
        click.echo(
            f"\n{n}. characters {p.start + 1}–{p.end} of {seed}, {round(p.ratio * 100)}% alike; "
            f"first difference at character {at} of your words:"
        )
        click.echo(f"   yours:   {mine}")
        click.echo(f"   archive: {theirs}")
        click.echo("            " + " " * column + "^")
        click.echo(f"   passage: {p.normalised}")
