"""`dataset diff OLD NEW`: what a change does to the package, and whether its version says so."""

from __future__ import annotations

import sys

import click

from ._common import InputError, library_errors


@click.command("diff")
@click.argument("old", type=str)
@click.argument("new", type=str)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text for people, markdown for a pull-request comment or job summary, json for programs.",
)
@click.option(
    "--pending-release",
    is_flag=True,
    help="The version is set later, by `dataset release`: report the bump the changes will need, and exit 0.",
)
def diff_command(old: str, new: str, output_format: str, pending_release: bool) -> None:
    """Compare package OLD with package NEW.

    OLD and NEW are package directories (or their datapackage.json), or git:REVISION for the
    package in the current directory at that revision of the current git repository.
    Schema changes come first, each with the SemVer bump it requires (a removed field, a new
    type or a tighter constraint is major; new fields, tables or rows minor; corrected values
    patch; removed rows major, since their ids are published); then, per table, the rows
    added, removed and changed by primary key, with each changed cell old -> new.

    Exit 0 when NEW's version is bumped enough, 1 when it is not (the message says what it
    must be), 2 when a side cannot be read. With --pending-release (a pull request: the
    version is bumped at release time), the bump the changes will need is reported, exit 0.

    \b
    Examples:
      dataset diff git:main .
      dataset diff git:origin/main . --format markdown --pending-release >> "$GITHUB_STEP_SUMMARY"
      dataset diff old-release/ . --format json
    """
    from dataset import DiffInputError, json_safe, terminal_safe
    from dataset import compare_packages as diff
    from dataset import render_diff_json as render_json
    from dataset import render_diff_markdown as render_markdown
    from dataset import render_diff_text as render_text

    with library_errors():
        try:
            result = diff(old, new)
        except DiffInputError as exc:
            raise InputError(str(exc)) from exc
    result.pending = pending_release
    render = {"text": render_text, "markdown": render_markdown, "json": render_json}[output_format]
    text = render(result).rstrip("\n")
    click.echo(json_safe(text) if output_format == "json" else terminal_safe(text))
    sys.exit(0 if result.pending_ok else 1)
