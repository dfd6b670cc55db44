"""`dataset cite`: the passage of an archived article, as archived, ready to paste as evidence."""

from __future__ import annotations

import csv
import io
import sys
from typing import TYPE_CHECKING

import click

from ._common import library_errors, package_path_argument

if TYPE_CHECKING:
    from ..evidence import Finding


def _csv_cell(text: str) -> str:
    """TEXT as one CSV cell in the canonical layout (quoted only when it must be)."""
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="").writerow([text])
    return out.getvalue()


@click.command("cite")
@click.argument("source_id")
@click.argument("words")
@package_path_argument
def cite_command(source_id: str, words: str, path: str | None) -> None:
    """Find WORDS in the archived article of SOURCE_ID and print the passage exactly as archived.

    Matching is validate's: whitespace runs count as one space, nothing else is forgiven.
    When the words are not found, the closest passages are shown with the first character
    that differs marked by a caret. Exit 0 when found, 1 when not, 2 for an unknown source.

    \b
    Examples:
      dataset cite 2025-07-07-tass-peskov "maintaining constant contact with Baku"
      dataset cite 2025-07-07-tass-peskov "maintaining constant contact" path/to/fork
    """
    from ..cli import InputError
    from ..evidence import SourceNotFound, archived_text, find_passage

    with library_errors():
        try:
            seed, text = archived_text(path, source_id)
        except SourceNotFound as exc:
            raise InputError(str(exc)) from exc
    finding = find_passage(text, words)
    if finding.exact is not None:
        _print_found(seed, finding.exact.text, finding.exact.start, finding.exact.end)
        return
    _print_closest(seed, source_id, finding)
    sys.exit(1)


def _print_found(seed: str, passage: str, start: int, end: int) -> None:
    click.echo(passage)
    click.echo(f"found in {seed}, characters {start + 1}–{end}", err=True)
    cell = _csv_cell(passage)
    if cell != passage:
        click.echo("In a CSV file the cell must be quoted (quotes doubled), as:", err=True)
        click.echo(cell, err=True)
    if any(ch in passage for ch in "\n\r\t") or "  " in passage:
        click.echo("The passage spans lines or several spaces; one space for each run matches too.", err=True)


def _print_closest(seed: str, source_id: str, finding: Finding) -> None:
    from ..evidence import difference

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
