"""`dataset validate`: the gatekeeper of every contribution."""

from __future__ import annotations

import sys

import click

from ._common import library_errors, package_path_argument


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
def validate_command(path: str | None, output_format: str, warnings_as_errors: bool) -> None:
    """Validate the data package at PATH (a directory or its datapackage.json).

    Without PATH, the package bundled with this installation. Every problem is reported, with
    file, row (header = row 1), column, value and rule. Exit 0 valid, 1 invalid, 2 unreadable.

    \b
    Examples:
      dataset validate
      dataset validate path/to/fork
      dataset validate . --format github
      dataset validate . --format json > report.json
    """
    from ..report import render_github, render_json, render_text
    from ..validate import validate

    with library_errors():
        report = validate(path)
    render = {"text": render_text, "json": render_json, "github": render_github}[output_format]
    click.echo(render(report))
    failed = not report.valid or (warnings_as_errors and report.warnings)
    sys.exit(1 if failed else 0)
