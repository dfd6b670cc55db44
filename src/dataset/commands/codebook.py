"""`dataset codebook`: write docs/codebook.md from datapackage.json, or check that it is current."""

from __future__ import annotations

import difflib
import shlex
import sys
from pathlib import Path

import click

from dataset import Package

from ._common import echo, library_errors, package_path_argument


@click.command("codebook")
@package_path_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Markdown file to write (or to compare with --check).  [default: docs/codebook.md, "
    "or docs/codebook.<LANG>.md with --lang]",
)
@click.option(
    "--lang",
    metavar="LANG",
    default=None,
    help="Write the codebook in LANG, one of the descriptor's `languages` (e.g. ru); default: its first.",
)
@click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 when OUTPUT differs from what would be written."
)
@click.option("--force", is_flag=True, help="Write even when OUTPUT is one of the package's own files.")
def codebook_command(path: Package, output: Path | None, lang: str | None, check: bool, force: bool) -> None:
    """Write the codebook of the package at PATH as Markdown.

    Every table with its description and row count, every field with type, constraints,
    vocabulary and description, and the foreign keys as a Mermaid ER diagram — all read from
    datapackage.json and the tables. With --lang, in another language the descriptor declares
    (titles and descriptions from its `<property>@<lang>` texts). Without PATH, the package of
    the current folder (or its nearest parent with a datapackage.json), else the package
    bundled with this installation.
    With --check, exit 0 when OUTPUT is current, 1 when it is stale or missing (for CI).

    \b
    Examples:
      dataset codebook
      dataset codebook . -o docs/codebook.md
      dataset codebook --check
      dataset codebook . --lang ru
    """
    from dataset import build_codebook, codebook_is_current, codebook_path, read_descriptor, write_codebook

    with library_errors():
        lang = path.descriptor.language(
            lang
        )  # before the name is built from it: `--lang ../x` is no language
    default = path.root / codebook_path(lang)
    output = output if output is not None else default
    fix = path.command("codebook", *(["--lang", lang] if lang else []))
    fix += "" if output == default else f" -o {shlex.quote(str(output))}"
    with library_errors():
        text = build_codebook(path, lang)
    if not check:
        with library_errors():
            if output == default:
                path.require_writable("codebook")
            write_codebook(text, output, package=read_descriptor(path), force=force)
        echo(f"wrote {output}")
        return
    if codebook_is_current(text, output):
        echo(f"{output} is current")
        return
    if not output.is_file():
        echo(f"{output} is missing; run `{fix}`", err=True)
        sys.exit(1)
    old = output.read_text(encoding="utf-8").splitlines(keepends=True)
    diff = list(difflib.unified_diff(old, text.splitlines(keepends=True), str(output), "generated", n=1))
    echo("".join(diff[:60]).rstrip("\n"), err=True)
    if len(diff) > 60:
        echo(f"... and {len(diff) - 60} more diff lines", err=True)
    echo(f"{output} is stale; run `{fix}`", err=True)
    sys.exit(1)
