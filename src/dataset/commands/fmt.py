"""`dataset fmt` (canonical CSV layout) and `dataset hashes` (resource bytes and sha256)."""

from __future__ import annotations

import sys

import click

from dataset import Package

from ._common import echo, library_errors, package_path_argument


@click.command("fmt")
@package_path_argument
@click.option(
    "--check", is_flag=True, help="Change nothing; exit 1 and list the files that are not canonical."
)
def fmt_command(path: Package, check: bool) -> None:
    """Rewrite the CSVs of the package at PATH in canonical layout, so diffs show only real changes.

    Canonical: the schema's column order, rows sorted by primary key, LF line endings, minimal
    quoting, UTF-8 without byte-order mark, Unicode NFC. Cell text is never stripped or
    reworded: suspicious cells are reported as notes. A file that cannot be parsed or whose
    header is not the schema's fields is refused and left as it is. After rewriting, the
    bytes and hash of the canonical files are refreshed in datapackage.json.

    Exit 0 when every file is (now) canonical, 1 when --check finds one that is not or a
    file is refused, 2 when the package cannot be read.

    \b
    Examples:
      dataset fmt .
      dataset fmt --check .
      dataset fmt path/to/fork
    """
    from dataset import format_package

    with library_errors():
        if not check:
            path.require_writable("fmt")
        report = format_package(path, check=check)
    for result in report.files:
        if result.refused is not None:
            echo(f"{result.file}: refused, left unchanged: {result.refused}", err=True)
        elif result.changes:
            verb = "not canonical" if check else "rewritten"
            echo(f"{result.file}: {verb}: {'; '.join(result.changes)}")
        for note in result.notes:
            echo(f"note: {result.file}, {note}")
    for rel in report.hashes_refreshed:
        echo(f"datapackage.json: bytes and hash of {rel} refreshed")
    if report.not_canonical:
        echo(
            f"{len(report.not_canonical)} file(s) not canonical; run `{path.command('fmt')}` to fix them",
            err=True,
        )
    elif report.ok:
        echo(f"{report.package}: all {len(report.files)} table files are canonical")
    sys.exit(0 if report.ok else 1)


@click.command("hashes")
@package_path_argument
def hashes_command(path: Package) -> None:
    """Write each resource's current bytes and sha256 hash into datapackage.json at PATH.

    Run it after an intended change to the CSVs (`dataset fmt` does it for you); `dataset
    validate` and `frictionless validate` report a file that no longer matches. Only those
    two properties change; the descriptor keeps its key order and layout.

    \b
    Examples:
      dataset hashes .
      dataset hashes path/to/fork
    """
    from dataset import refresh_hashes

    with library_errors():
        path.require_writable("hashes")
        refreshed = refresh_hashes(path)
    for r in refreshed:
        state = "updated" if r.changed else "unchanged"
        echo(f"{r.path}: {r.new.bytes} bytes, {r.new.hash} ({state})")
