"""`dataset release`: the maintainer's one command to cut a release."""

from __future__ import annotations

from datetime import datetime

import click

from dataset import Package

from ._common import InputError, library_errors, package_path_argument


@click.command("release")
@package_path_argument
@click.option(
    "--against",
    metavar="OLD",
    help="The last release, as `dataset diff` takes it (a path or git:REVISION)  [default: git:v<version>]",
)
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The release date  [default: today]",
)
@click.option("--dry-run", is_flag=True, help="Say what the release would be; write nothing.")
def release_command(path: Package, against: str | None, day: datetime | None, dry_run: bool) -> None:
    """Cut a release of the package at PATH: the version its changes need, everywhere it is written.

    Compares the package with the last release (the git tag v<version>, or --against), takes
    the bump that `dataset diff` demands (major, minor or patch), and sets it: "version" in
    datapackage.json, a dated heading over CHANGELOG.md's [Unreleased] entries, CITATION.cff's
    version and date-released; then regenerates what shows the version (`dataset refresh`).
    Contributors never bump the version; they add a line under [Unreleased].

    Without PATH, the package of the current folder (or its nearest parent with a
    datapackage.json), else the package bundled with this installation.

    \b
    Examples:
      dataset release --dry-run
      dataset release
      dataset release --against git:3f2a1bc --date 2026-12-04
    """
    from dataset import ReleaseError
    from dataset import apply_release as apply
    from dataset import plan_release as plan

    with library_errors():
        path.require_writable("release")
        try:
            release = plan(path, against, day.date() if day else None)
        except ReleaseError as exc:
            if exc.unreadable:
                raise InputError(str(exc)) from exc
            raise
        verb = "would be" if dry_run else "is"
        click.echo(
            f"{path}: the release {verb} {release.version} ({release.bump} bump from {release.previous}, "
            f"against {release.against}), dated {release.day}"
        )
        if dry_run:
            return
        for rel in apply(path, release):
            click.echo(f"{rel}: updated")
    click.echo(f"next: commit, then tag it: git tag v{release.version}")
