"""The `dataset` command: a thin shell over the library.

Subcommands are imported only when run (click's lazy-group pattern), so `dataset --help`
and `dataset --version` load neither pandas, pandera nor frictionless.
Exit codes: 0 success (valid), 1 the package is invalid / a check failed, 2 bad flags or
input that cannot be read. A traceback appears only with `--debug`.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import traceback
from typing import Any

import click

#: command name -> "module:attribute" under dataset.commands
COMMANDS = {
    "validate": "validate:validate_command",
    "query": "query:query_command",
    "export": "export:export_command",
    "diff": "diff:diff_command",
    "fmt": "fmt:fmt_command",
    "hashes": "fmt:hashes_command",
    "timeline": "timeline:timeline_command",
    "codebook": "codebook:codebook_command",
    "refresh": "refresh:refresh_command",
    "release": "release:release_command",
    "site": "site:site_command",
    "status": "status:status_command",
    "add-source": "add_source:add_source_command",
    "cite": "cite:cite_command",
}

#: one-line help shown by `dataset --help` without importing the command modules
SUMMARIES = {
    "validate": "Check a package: standard, structure, types, keys, facts, provenance, hygiene.",
    "query": "Filter a table, or run SQL over all tables.",
    "export": "Write the tables as csv, json, xlsx, parquet or sqlite.",
    "diff": "Compare two versions of the package, row by row and field by field.",
    "fmt": "Rewrite the CSVs in canonical layout (or --check that they are).",
    "hashes": "Refresh the bytes and sha256 of each resource in datapackage.json.",
    "timeline": "Draw the events on a timeline (PNG or self-contained HTML).",
    "codebook": "Write docs/codebook.md from datapackage.json.",
    "refresh": "Regenerate everything derived from the data (hashes, layout, docs, README counts).",
    "release": "Cut a release: set the version the changes need, date the CHANGELOG, update CITATION.cff.",
    "site": "Build the reader's website (English, Russian): story, evidence, downloads.",
    "status": "Who is held, released or dead, as of when, per which source, and the path there.",
    "add-source": "Archive a saved article into seeds/ and append its sources row.",
    "cite": "Find words in a source's archived article: the passage to paste, or the closest ones.",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(f"dataset.commands.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith("dataset.commands"):
                return None  # command not built yet
            raise
        return getattr(module, attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, SUMMARIES.get(name, "")) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """Read the version only when asked: `--help` never opens the descriptor."""
    if not value or ctx.resilient_parsing:
        return
    from ._version import __version__

    click.echo(f"dataset {__version__}")
    ctx.exit()


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    "-V",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Show the version (the data package's) and exit.",
)
def cli() -> None:
    """Facts of the 2025–26 Russia–Azerbaijan crisis, as a validated data package.

    Without a PATH, commands work on the package of the current folder (or its nearest
    parent with a datapackage.json), else on the package installed with this program; they
    say which on standard error.
    Add --debug anywhere to see a traceback when something fails.

    \b
    Examples:
      dataset validate
      dataset query events --type release
      dataset export --format xlsx -o crisis.xlsx
    """


def _exit_on_terminate() -> None:
    """Make SIGTERM (a `kill`, a CI timeout) unwind like Ctrl-C, so writers remove their temp files."""
    import signal

    def stop(signum: int, _frame: Any) -> None:
        raise SystemExit(128 + signum)

    with contextlib.suppress(ValueError, AttributeError, OSError):  # not the main thread; no SIGTERM
        signal.signal(signal.SIGTERM, stop)


def main(argv: list[str] | None = None) -> Any:
    """Entry point: strips --debug, runs click, and turns unexpected failures into a message."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args or os.environ.get("DATASET_DEBUG") == "1"
    args = [a for a in args if a != "--debug"]
    _exit_on_terminate()
    try:
        return cli.main(args=args, prog_name="dataset", standalone_mode=True)
    except SystemExit:
        raise
    except Exception as exc:  # never a traceback unless asked for
        if debug:
            traceback.print_exc()
        else:
            click.echo(f"Error: {type(exc).__name__}: {exc}", err=True)
            click.echo("Run again with --debug to see the traceback.", err=True)
        sys.exit(2)
