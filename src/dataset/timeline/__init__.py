"""The events on a timeline: plain items built from the tables, drawn as a PNG or one HTML page.

`build` turns the typed tables into a list of dicts (dates resolved from partial ISO strings,
lane = event type, sources, evidence and figures attached), so the picture, the web page and a
Python user all see the same story. `render_png` draws it with matplotlib; `render_html` writes
a single self-contained page (inline CSS, JavaScript and SVG) that works from a file:// URL.

The modules: `model` (the items, their words in English and Russian), `layout` (where each item
sits, shared by both pictures), `png` (matplotlib, and the data digest in the PNG's text
chunks) and `html` (the page). Import from here; the split is not part of the API.

Only the standard library is imported at module level: the CLI imports this package to list
the languages, and pandas/matplotlib load only when something is drawn.
"""

from .html import render_html
from .layout import is_point
from .model import (
    EN,
    EN_OVERRIDES,
    HIGHLIGHT,
    LANGS,
    PLAIN,
    RU,
    UI,
    UNITS,
    UNITS_GENITIVE_RU,
    Style,
    UnknownPersonError,
    build,
    caption,
    date_text,
    figure_label,
    figure_value,
    in_lang,
    missing_translations,
    title,
    vocabulary_label,
    vocabulary_maps,
)
from .png import DIGEST_KEY, PNG_DPI, PNG_STYLE, PNG_WIDTH_IN, png_digest, png_payload, png_text, render_png

__all__ = [
    "DIGEST_KEY",
    "EN",
    "EN_OVERRIDES",
    "HIGHLIGHT",
    "LANGS",
    "PLAIN",
    "PNG_DPI",
    "PNG_STYLE",
    "PNG_WIDTH_IN",
    "RU",
    "UI",
    "UNITS",
    "UNITS_GENITIVE_RU",
    "Style",
    "UnknownPersonError",
    "build",
    "caption",
    "date_text",
    "figure_label",
    "figure_value",
    "in_lang",
    "is_point",
    "missing_translations",
    "png_digest",
    "png_payload",
    "png_text",
    "render_html",
    "render_png",
    "title",
    "vocabulary_label",
    "vocabulary_maps",
]
