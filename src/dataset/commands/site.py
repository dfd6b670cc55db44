"""`dataset site`: the reader's edition, a static bilingual website of the package."""

from __future__ import annotations

from pathlib import Path

import click

from dataset import Package

from ._common import library_errors, package_path_argument


def _web_address(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """An http(s) address with a host, or nothing: it is written into every download link."""
    from urllib.parse import urlsplit

    if value:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise click.BadParameter(f"{value!r} is not a web address (https://host/path/)", ctx, param)
    return value


@click.command("site")
@package_path_argument
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the site into: new, empty, or a previous build (which is replaced).",
)
@click.option(
    "--base-url",
    default="",
    metavar="URL",
    help="Where the site will be published (e.g. your GitHub Pages address); makes the download "
    "links in the JSON-LD absolute.",
    callback=_web_address,
)
def site_command(path: Package, output: Path, base_url: str) -> None:
    """Write a static website of the package at PATH into the folder OUTPUT.

    English and Russian pages: the story, a timeline, one page per person and per archived
    article (every quoted passage highlighted and linked to its rows), the tables (sortable,
    searchable) and downloads (CSV zip, xlsx, SQLite, the data package) with their sha256.
    It works opened from disk and loads nothing from the network. Two builds of the same
    package give identical files. Without PATH, the package of the current folder (or its
    nearest parent with a datapackage.json), else the package bundled with this installation.

    \b
    Examples:
      dataset site -o site
      dataset site . -o public --base-url https://example.org/crisis/
    """
    from dataset import SiteError, build_site

    with library_errors():
        try:
            out = build_site(path, output, base_url=base_url)
        except SiteError as exc:
            raise click.BadParameter(str(exc), param_hint="-o/--output") from exc
    click.echo(f"wrote {out}/index.html (open it in a browser; en/ and ru/ hold the pages)")
