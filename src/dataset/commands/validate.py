"""`dataset validate`: the gatekeeper of every contribution."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from dataset import Package

from ._common import library_errors, package_path_argument


def annotation_prefix(package: Package) -> str:
    """The package directory relative to the working directory, so annotations name repository files."""
    if package.origin == "bundled":
        return ""
    rel = Path(os.path.relpath(package.root.resolve(), Path.cwd().resolve())).as_posix()
    return "" if rel == "." else rel.rstrip("/") + "/"


@click.command("validate")
@package_path_argument
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people, json for programs, github for GitHub Actions annotations on the pull request.",
)
@click.option("--warnings-as-errors", is_flag=True, help="Exit 1 on warnings too (a BOM, CRLF line endings).")
def validate_command(path: Package, output_format: str, warnings_as_errors: bool) -> None:
    """Validate the data package at PATH (a directory or its datapackage.json).

    Without PATH, the package of the current folder (or its nearest parent with a
    datapackage.json), else the package bundled with this installation. Every problem is reported, with
    file, row (header = row 1), column, value and rule. Exit 0 valid, 1 invalid, 2 unreadable.

    \b
    Examples:
      dataset validate
      dataset validate path/to/fork
      dataset validate . --format github
      dataset validate . --format json > report.json
    """
    from dataset import render_report_github as render_github
    from dataset import render_report_json as render_json
    from dataset import render_report_text as render_text
    from dataset import with_package_argument

    with library_errors():
        report = with_package_argument(path.validate(), path.argument)
    if output_format == "github":
        text = render_github(report, prefix=annotation_prefix(path))
    else:
        text = {"text": render_text, "json": render_json}[output_format](report)
    click.echo(text)
    failed = not report.valid or (warnings_as_errors and report.warnings)
    sys.exit(1 if failed else 0)
