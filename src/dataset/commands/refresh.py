"""`dataset refresh`: regenerate everything derived from the data, or --check that it is current."""

from __future__ import annotations

import sys

import click

from dataset import Package

from ._common import library_errors, package_path_argument


@click.command("refresh")
@package_path_argument
@click.option("--check", is_flag=True, help="Write nothing; exit 1 and name each stale file.")
def refresh_command(path: Package, check: bool) -> None:
    """Regenerate every file derived from the data of the package at PATH.

    The tables' canonical layout and their bytes and hash in datapackage.json,
    docs/codebook.md, docs/timeline.png, the README's row counts and example outputs, and the
    wording that counts the archived articles (README.md, CITATION.cff). Run it after every
    change to data/ or seeds/; running it twice changes nothing. Files the package does not
    have are skipped.

    Without PATH, the package of the current folder (or its nearest parent with a
    datapackage.json), else the package bundled with this installation.

    Exit 0 when everything is (now) current, 1 when --check finds a stale file or a file
    cannot be regenerated, 2 when the package cannot be read.

    \b
    Examples:
      dataset refresh
      dataset refresh --check
      dataset refresh path/to/fork
    """
    from dataset import refresh_package as refresh

    with library_errors():
        report = refresh(path, check=check)
    for outcome in report.failed:
        click.echo(f"{outcome.file}: {outcome.problem}", err=True)
    for outcome in report.stale:
        if outcome.problem is None:
            click.echo(f"{outcome.file}: {'stale' if check else 'regenerated'}")
    if report.failed:
        sys.exit(2 if any(o.unreadable for o in report.failed) else 1)
    if check and report.stale:
        click.echo(
            f"{len(report.stale)} file(s) stale; run `{path.command('refresh')}` to regenerate them", err=True
        )
        sys.exit(1)
    click.echo(f"{path}: every derived file is current")
