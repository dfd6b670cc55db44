"""`dataset status`: where each detained person (and each counted group) stands, per whom."""

from __future__ import annotations

import json

import click

from ._common import library_errors, package_path_argument

FORMATS = ("text", "json", "csv")


@click.command("status")
@package_path_argument
@click.option(
    "--person",
    metavar="NAME-OR-ID",
    help="Only this person or group: an id, or part of a name in Latin or Cyrillic letters (any case).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for reading; json with the full path of each; csv one row per person or group.",
)
def status_command(path: str | None, person: str | None, fmt: str) -> None:
    """Who is held, released or dead, since when, as of which source, and the legal path there.

    Derived from the events and figures of the package at PATH (without PATH, the bundled
    one): every person named in a detention, arrest, release or death in custody, then every
    group that a figure counts without naming them all (the 11 Russians held in Baku).
    "unknown after DATE": a later source mentions them without saying they are still held.

    \b
    Examples:
      dataset status
      dataset status --person Kartavykh
      dataset status --person Картавых --format json
      dataset status --format csv > status.csv
    """
    from dataset import UnknownPersonError, load, select_standings, standings, standings_table, standings_text

    with library_errors():
        tables = load(path)
    items = standings(tables)
    if person:
        try:
            items = select_standings(items, person)
        except UnknownPersonError as exc:
            raise click.BadParameter(str(exc), param_hint="--person") from exc
    if fmt == "json":
        click.echo(json.dumps([s.to_dict() for s in items], ensure_ascii=False, indent=2))
    elif fmt == "csv":
        click.echo(standings_table(items).to_csv(index=False), nl=False)
    else:
        click.echo(standings_text(items), nl=False)
