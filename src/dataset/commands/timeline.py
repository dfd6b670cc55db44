"""`dataset timeline`: the events on a timeline, as a PNG picture or one self-contained HTML page."""

from __future__ import annotations

from pathlib import Path

import click

from dataset import TIMELINE_LANGS as LANGS
from dataset import Package

from ._common import echo, library_errors, package_path_argument

FORMATS = {".png": "png", ".html": "html", ".htm": "html"}


def _output(ctx: click.Context, param: click.Parameter, value: Path) -> Path:
    if value.suffix.lower() not in FORMATS:
        raise click.BadParameter(
            f"{value}: the file name must end in {', '.join(FORMATS)} (it picks the format)", ctx, param
        )
    return value


@click.command("timeline")
@package_path_argument
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    callback=_output,
    help="out.png (matplotlib) or out.html (self-contained page); the suffix picks the format.",
)
@click.option(
    "--person",
    metavar="ID-OR-NAME",
    help="Only the events of this person: an id or a Latin or Cyrillic name, any case (as for `dataset query`).",
)
@click.option(
    "--lang",
    type=click.Choice(LANGS),
    default="en",
    show_default=True,
    help="Language of the labels: ru uses the Cyrillic names and Russian vocabulary.",
)
def timeline_command(path: Package, output: Path, person: str | None, lang: str) -> None:
    """Draw the events of the package at PATH on a timeline.

    One lane per event type; partial dates are drawn as spans (`2025-05` covers May), releases
    and consular visits stand out, and events with figures carry them as captions. The HTML
    page works offline: hover over or click an event to see its summary, sources and evidence.
    Without PATH, the package of the current folder (or its nearest parent with a
    datapackage.json), else the package bundled with this installation.

    \b
    Examples:
      dataset timeline -o docs/timeline.png
      dataset timeline -o timeline.html --lang ru
      dataset timeline . -o kartavykh.html --person kartavykh-igor
      dataset timeline . -o kartavykh.html --person Картавых
    """
    from dataset import (
        QueryError,
        UnknownTimelinePerson,
        load,
        read_descriptor,
        render_timeline_html,
        render_timeline_png,
        resolve_person,
        timeline_items,
        timeline_title,
    )

    with library_errors():
        tables = load(path)
        try:
            person = resolve_person(tables, person, descriptor=read_descriptor(path)) if person else None
        except QueryError as exc:
            raise click.BadParameter(str(exc), param_hint="'--person'") from None
    try:
        items = timeline_items(tables, person=person, lang=lang)
    except UnknownTimelinePerson as exc:
        raise click.BadParameter(str(exc), param_hint="--person") from exc
    heading = timeline_title(tables, person, lang)
    output.parent.mkdir(parents=True, exist_ok=True)
    render = render_timeline_png if FORMATS[output.suffix.lower()] == "png" else render_timeline_html
    try:
        with library_errors():
            render(items, output, lang=lang, heading=heading)
    except ModuleNotFoundError as exc:
        if exc.name != "matplotlib":
            raise
        raise click.ClickException(
            "drawing a PNG needs matplotlib: pip install 'russia-azerbaijan-crisis-data[plot]' "
            "(or write .html, which needs nothing more)"
        ) from exc
    echo(f"wrote {output} ({len(items)} events)")
