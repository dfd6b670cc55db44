"""`dataset add-source`: archive a saved article into seeds/ and append its sources row."""

from __future__ import annotations

import shlex
import sys
from typing import TYPE_CHECKING

import click

from dataset import Package

from ._common import library_errors, package_path_argument

if TYPE_CHECKING:
    from dataset import Added


@click.command("add-source")
@click.argument("file", type=click.Path(allow_dash=True))
@package_path_argument
@click.option(
    "--id", "source_id", required=True, help="The new source's id: lowercase words joined by hyphens."
)
@click.option("--published", default="", help="Publication date as the article prints it, YYYY-MM-DD.")
@click.option(
    "--language", default="", help="Language of the article (en or ru); guessed from the letters if left out."
)
@click.option("--publisher", default="", help="Publisher, as the article names it.")
@click.option(
    "--publisher-basis",
    default="",
    help="Where the article names its publisher (dateline, byline, site notice).",
)
@click.option("--title", default="", help="Headline, as printed.")
@click.option("--url", default="", help="Address of the article, only where the text itself gives it.")
def add_source_command(file: str, path: Package, source_id: str, **options: str) -> None:
    """Archive the article in FILE (- reads standard input) into the package at PATH.

    Plain UTF-8 text is archived unchanged; a saved HTML page becomes its article text
    (trafilatura, the [html] extra) and the source row's notes say so. With --published the
    archive starts with the date prefix ' date YYYY-MM-DD '. The file is named
    seeds/NNN_<first 16 hex digits of its sha256>.txt, its row is appended to sources.csv
    and the descriptor's bytes and hash are refreshed. Nothing is written when the text is
    not UTF-8, empty, binary, over the size limit (README "Limits") or already archived, when the id is in use,
    when an option holds a value validate would refuse, or when --url is not printed in the
    article's text. Exit 0 added, 1 refused by the package's data, 2 bad input.

    \b
    Examples:
      dataset add-source article.txt --id 2026-03-01-tass-talks --published 2026-03-01 --language en
      dataset add-source saved-page.html . --id 2026-03-01-tass-talks --published 2026-03-01
      cat article.txt | dataset add-source - . --id 2026-03-01-tass-talks
    """
    from dataset import ContributionRefused, add_source, read_input

    with library_errors():
        try:
            data, name = read_input(file)
            path.require_writable("add-source")
            added = add_source(data, name, path, source_id=source_id, **options)
        except ContributionRefused as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2 if exc.usage else 1)
    _report(added, path)


def _report(a: Added, path: Package) -> None:
    click.echo(f"{a.package}: archived {a.seed} (sha256 {a.sha256}) as source {a.source_id!r}")
    for words in a.guessed:
        click.echo(f"guessed: {words}")
    if a.empty:
        click.echo("Still to fill in data/sources.csv, where the article says it (else leave empty):")
        for column, description in a.empty.items():
            click.echo(f"  {column}: {description}")
    where = f" {path.argument}" if path.argument else ""
    sid = shlex.quote(a.source_id)
    click.echo(
        "Next: add the rows this article supports, with excerpts found by cite, then refresh and validate:"
    )
    click.echo(f"  dataset cite {sid} {shlex.quote(a.sample)}{where}")
    click.echo(f"  dataset refresh{where}")
    click.echo(f"  dataset validate{where}")
