"""The timeline drawn with matplotlib (Agg) as a PNG, and the data digest kept in its text chunks.

matplotlib is imported only inside `render_png`.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DatasetError
from ..files import atomic_open
from .layout import _day, _Layout, _layout, _month_label, _months, _style, is_point
from .model import HIGHLIGHT, PLAIN, UI, _lang_of, vocabulary_label

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


#: Bump when the drawing changes, so the committed docs/timeline.png is reported stale.
PNG_STYLE = "1"
DIGEST_KEY = "dataset-timeline-digest"
PNG_WIDTH_IN = 14.0
PNG_DPI = 100
_LEFT_IN, _RIGHT_IN, _TOP_IN, _BOTTOM_IN, _ROW_IN = 2.4, 0.3, 0.7, 1.3, 0.26
_FIGURE_FONT_PT = 7.0


def png_payload(items: Iterable[Mapping[str, Any]], lang: str = "en", heading: str = "") -> dict[str, Any]:
    """Exactly what the PNG shows: the picture is drawn from this and nothing else."""
    keys = ("id", "lane", "lane_title", "start", "end", "precision", "qualifier", "figure_label")
    return {
        "style": PNG_STYLE,
        "lang": lang,
        "heading": heading,
        "items": [{k: it[k] for k in keys} for it in items],
    }


def png_digest(items: Iterable[Mapping[str, Any]], lang: str = "en", heading: str = "") -> str:
    """SHA-256 of the PNG payload; stored in the PNG so a test can tell when it is stale."""
    text = json.dumps(png_payload(items, lang, heading), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def png_text(path: str | os.PathLike[str]) -> dict[str, str]:
    """The tEXt metadata of a PNG file (stdlib only): where `render_png` leaves its digest."""
    data = Path(path).read_bytes()
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise DatasetError(f"{path}: not a PNG file")
    out: dict[str, str] = {}
    pos = 8
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"tEXt" and b"\0" in body:
            key, value = body.split(b"\0", 1)
            out[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"zTXt" and b"\0" in body:
            key, rest = body.split(b"\0", 1)
            out[key.decode("latin-1")] = zlib.decompress(rest[1:]).decode("latin-1")
        elif kind == b"IEND":
            break
        pos += 12 + length
    return out


def _png_frame(ax: Axes, layout: _Layout, rows: int, lang: str) -> None:
    """Axes limits, alternate lane bands, lane titles (highlighted lanes in colour) and the month grid."""
    first = layout.first
    ax.set_xlim(0, layout.days)
    ax.set_ylim(rows, 0)
    offsets = layout.offsets()
    ticks, labels = [], []
    for n, lane in enumerate(layout.lanes):
        top = offsets[lane]
        if n % 2 == 0:
            ax.axhspan(top, top + layout.lane_rows[lane], color="#f2f2f2", lw=0, zorder=0)
        ticks.append(top + layout.lane_rows[lane] / 2)
        labels.append(layout.titles[lane])
    ax.set_yticks(ticks, labels)
    for tick, lane in zip(ax.get_yticklabels(), layout.lanes, strict=True):
        if lane in HIGHLIGHT:
            tick.set_color(HIGHLIGHT[lane]["color"])
            tick.set_fontweight("bold")
    ax.tick_params(axis="y", length=0)
    months = _months(layout.first, layout.last)
    ax.set_xticks(
        [(m - first).days for m in months],
        [_month_label(m, lang, i == 0) for i, m in enumerate(months)],
        fontsize=8,
    )
    ax.grid(axis="x", color="#dddddd", lw=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)


def _png_point(ax: Axes, it: Mapping[str, Any], x0: int, x1: int, y: float) -> tuple[float, float]:
    """A dated item's marker; returns where a caption may start on its left and right."""
    style = _style(it)
    x = (x0 + x1) / 2
    marker = {"not-before": ">", "not-after": "<"}.get(it["qualifier"], style["marker"])
    face = "white" if it["qualifier"] == "around" else style["color"]
    ax.plot(
        [x],
        [y],
        marker=marker,
        ms=style["size"],
        mfc=face,
        mec="black" if it["figure_label"] else style["color"],
        mew=1.0,
        ls="none",
        zorder=3,
    )
    return x - 1.5, x + 1.5


def _png_period(ax: Axes, it: Mapping[str, Any], x0: int, x1: int, y: float) -> tuple[float, float]:
    """A period's bar (solid span, hatched between, light otherwise) and its outline."""
    from matplotlib.patches import Rectangle

    style = _style(it)
    if it["qualifier"] == "span":
        kwargs: dict[str, Any] = {"facecolor": style["color"], "alpha": 0.85}
    elif it["qualifier"] == "between":
        kwargs = {"facecolor": "white", "hatch": "////", "edgecolor": style["color"]}
    else:  # a month or year, on/around/not-before/not-after it
        kwargs = {"facecolor": style["color"], "alpha": 0.35}
    ax.add_patch(Rectangle((x0, y - 0.3), x1 - x0, 0.6, lw=0.8, zorder=2, **kwargs))
    if "edgecolor" not in kwargs:
        ax.add_patch(
            Rectangle(
                (x0, y - 0.3),
                x1 - x0,
                0.6,
                fill=False,
                lw=1.0 if it["figure_label"] else 0.6,
                edgecolor="black" if it["figure_label"] else style["color"],
                zorder=2,
            )
        )
    return x0, x1


def _png_item(ax: Axes, it: Mapping[str, Any], layout: _Layout, lane_top: float) -> None:
    """One item in its lane and row, with its figure caption on the side the layout chose."""
    first = layout.first
    y = lane_top + layout.row_of[it["id"]] + 0.5
    x0 = (_day(it["start"]) - first).days
    x1 = (_day(it["end"]) - first).days + 1
    left, right = (_png_point if is_point(it) else _png_period)(ax, it, x0, x1, y)
    if it["figure_label"]:
        on_left = it["id"] in layout.caption_left
        gap = 6 if is_point(it) else 3
        ax.annotate(
            it["figure_label"],
            (left if on_left else right, y),
            xytext=(-gap if on_left else gap, 0),
            textcoords="offset points",
            ha="right" if on_left else "left",
            va="center",
            fontsize=_FIGURE_FONT_PT,
            color="#222222",
            zorder=4,
        )


def _png_legend(fig: Figure, lang: str, height: float) -> None:
    """The key: the shapes of dates and periods, then the highlighted event types."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    words = UI[lang]
    grey = PLAIN["color"]
    handles = [
        Line2D([], [], marker="o", ls="none", color=grey, label=words["day"]),
        Patch(facecolor=grey, alpha=0.35, edgecolor=grey, label=words["period"]),
        Patch(facecolor=grey, alpha=0.85, label=words["span"]),
        Patch(facecolor="white", hatch="////", edgecolor=grey, label=words["between"]),
        Line2D([], [], marker=">", ls="none", color=grey, label=words["not-before"]),
        Line2D([], [], marker="<", ls="none", color=grey, label=words["not-after"]),
        Line2D([], [], marker="o", ls="none", mfc=grey, mec="black", label=words["figure"]),
    ] + [
        Line2D(
            [],
            [],
            marker=s["marker"],
            ms=s["size"] * 0.8,
            ls="none",
            color=s["color"],
            label=vocabulary_label("events", "event_type", lane, lang),
        )
        for lane, s in HIGHLIGHT.items()
    ]
    fig.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(_LEFT_IN / PNG_WIDTH_IN, 0.08 / height),
        ncol=5,
        fontsize=8,
        frameon=False,
    )


def render_png(
    items: list[dict[str, Any]],
    path: str | os.PathLike[str],
    *,
    lang: str | None = None,
    heading: str | None = None,
) -> Path:
    """Draw the items with matplotlib (Agg) into PATH; returns the path.

    One lane per event type; a day is a marker, a month or year a light bar covering it, a
    `span` a solid bar, a `between` a hatched bar; `not-before`/`not-after` point the way
    they leave open. Releases and consular visits have their own colour and marker; events
    with figures carry them as a caption. The output is byte-for-byte repeatable on one
    machine (fixed size, dpi and font, no software or date stamp); across machines the
    rasteriser may differ by a pixel, so staleness is judged by the data digest stored in
    the PNG's text metadata (`png_text(path)[DIGEST_KEY]`), not by the pixels.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    lang = _lang_of(items, lang)
    heading = UI[lang]["title"] if heading is None else heading
    payload = png_payload(items, lang, heading)
    shown: list[dict[str, Any]] = payload["items"]
    words = UI[lang]

    plot_in = PNG_WIDTH_IN - _LEFT_IN - _RIGHT_IN
    layout = _layout(shown, plot_in * PNG_DPI, marker_px=6.0, char_px=_FIGURE_FONT_PT * 0.6 * PNG_DPI / 72)
    rows = max(layout.total_rows, 1)
    height = _TOP_IN + _BOTTOM_IN + rows * _ROW_IN
    with matplotlib.rc_context(
        {
            "font.family": "DejaVu Sans",  # ships with matplotlib; has Cyrillic glyphs
            "font.size": 9,
            "hatch.linewidth": 0.8,
            "path.simplify": False,
        }
    ):
        fig = Figure(figsize=(PNG_WIDTH_IN, height), dpi=PNG_DPI)
        ax = fig.add_axes(
            (
                _LEFT_IN / PNG_WIDTH_IN,
                _BOTTOM_IN / height,
                plot_in / PNG_WIDTH_IN,
                rows * _ROW_IN / height,
            )
        )
        _png_frame(ax, layout, rows, lang)
        offsets = layout.offsets()
        for it in shown:
            _png_item(ax, it, layout, offsets[it["lane"]])
        if not shown:
            ax.text(0.5, 0.5, words["empty"], transform=ax.transAxes, ha="center", va="center")
        fig.suptitle(heading, x=_LEFT_IN / PNG_WIDTH_IN, ha="left", y=1 - 0.25 / height, fontsize=13)

        _png_legend(fig, lang, height)
        out = Path(path)
        with atomic_open(out) as handle:
            fig.savefig(
                handle,
                format="png",
                dpi=PNG_DPI,
                metadata={"Software": None, DIGEST_KEY: png_digest(shown, lang, heading)},
            )
    return out
