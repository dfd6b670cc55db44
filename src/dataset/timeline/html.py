"""The timeline as one self-contained HTML page: inline CSS, JavaScript and SVG, no external request."""

from __future__ import annotations

import html
import json
import os
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from pathlib import Path
from string import Template
from typing import Any

from ..files import write_atomic
from .layout import _day, _Layout, _layout, _month_label, _months, _style, is_point
from .model import HIGHLIGHT, PLAIN, UI, _lang_of, vocabulary_label

_PLOT_PX, _LEFT_PX, _RIGHT_PX, _TOP_PX, _BOTTOM_PX, _ROW_PX = 900.0, 200.0, 16.0, 34.0, 10.0, 24.0
_CHAR_PX = 6.7  # DejaVu Sans at 11px, a little generous


def _svg_point(it: Mapping[str, Any], x0: float, x1: float, y: float, ring: str) -> tuple[str, float, float]:
    """A dated item's marker (its lane's shape, a triangle for not-before/after), and its left and right edges."""
    style = _style(it)
    cx = (x0 + x1) / 2
    r = 5.5 if style is PLAIN else 6.5
    qualifier = it["qualifier"]
    fill = "#fff" if qualifier == "around" else style["color"]
    if qualifier in ("not-before", "not-after"):
        sign = 1 if qualifier == "not-before" else -1
        pts = f"{cx - sign * r:.1f},{y - r:.1f} {cx + sign * r:.1f},{y:.1f} {cx - sign * r:.1f},{y + r:.1f}"
    elif style["marker"] == "D":
        pts = f"{cx:.1f},{y - r:.1f} {cx + r:.1f},{y:.1f} {cx:.1f},{y + r:.1f} {cx - r:.1f},{y:.1f}"
    elif style["marker"] == "*":
        pts = " ".join(
            f"{cx + (r * 1.3 if k % 2 == 0 else r * 0.55) * _sin(k * 36):.1f},"
            f"{y - (r * 1.3 if k % 2 == 0 else r * 0.55) * _cos(k * 36):.1f}"
            for k in range(10)
        )
    else:
        shape = f'<circle class="mark" cx="{cx:.1f}" cy="{y:.1f}" r="{r}" fill="{fill}"{ring}/>'
        return shape, cx - r - 4, cx + r + 4
    return f'<polygon class="mark" points="{pts}" fill="{fill}"{ring}/>', cx - r - 4, cx + r + 4


def _svg_period(it: Mapping[str, Any], x0: float, x1: float, y: float, ring: str) -> tuple[str, float, float]:
    """A period's bar (solid span, hatched between, pale otherwise), and its left and right edges."""
    color = _style(it)["color"]
    key = it["lane"] if it["lane"] in HIGHLIGHT else "plain"
    if it["qualifier"] == "span":
        paint = f'fill="{color}" fill-opacity="0.85"'
    elif it["qualifier"] == "between":
        paint = f'fill="url(#hatch-{html.escape(key)})"'
    else:
        paint = f'fill="{color}" fill-opacity="0.35"'
    shape = (
        f'<rect class="mark" x="{x0:.1f}" y="{y - 7:.1f}" width="{max(x1 - x0, 2):.1f}" height="14" '
        f"{paint}{ring}/>"
    )
    return shape, x0 - 4, x1 + 4


def _svg_item(it: Mapping[str, Any], y: float, x0: float, x1: float, caption_left: bool) -> list[str]:
    """One focusable `<g class="event">`: tooltip, marker or bar, and the figure caption beside it."""
    esc = html.escape
    ring = ' stroke="#000" stroke-width="1.5"' if it["figure_label"] else f' stroke="{_style(it)["color"]}"'
    classes = "event"
    if it["lane"] in HIGHLIGHT:
        classes += " highlight"
    if it["figures"]:
        classes += " has-figures"
    out = [
        f'<g class="{classes}" data-id="{esc(it["id"])}" data-lane="{esc(it["lane"])}" tabindex="0" '
        f'role="button" aria-label="{esc(it["label"])}, {esc(it["date_text"])}">'
        f"<title>{esc(it['label'])} — {esc(it['date_text'])}</title>"
    ]
    shape, left, right = (_svg_point if is_point(it) else _svg_period)(it, x0, x1, y, ring)
    out.append(shape)
    if it["figure_label"]:
        anchor = ' text-anchor="end"' if caption_left else ""
        out.append(
            f'<text class="figure" x="{left if caption_left else right:.1f}" y="{y:.1f}"{anchor}>'
            f"{esc(it['figure_label'])}</text>"
        )
    out.append("</g>")
    return out


def _svg_background(
    layout: _Layout, lang: str, width: float, height: float, x_of: Callable[[date], float]
) -> list[str]:
    """Hatch patterns, alternate lane bands with their titles, and the month grid."""
    esc = html.escape
    out = ["<defs>"]
    for key, style in [("plain", PLAIN), *HIGHLIGHT.items()]:
        out.append(
            f'<pattern id="hatch-{esc(key)}" patternUnits="userSpaceOnUse" width="6" height="6" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="{style["color"]}" stroke-width="2"/></pattern>'
        )
    out.append("</defs>")
    offsets = layout.offsets()
    for n, lane in enumerate(layout.lanes):
        y = _TOP_PX + offsets[lane] * _ROW_PX
        h = layout.lane_rows[lane] * _ROW_PX
        if n % 2 == 0:
            out.append(f'<rect class="band" x="0" y="{y:.1f}" width="{width:.0f}" height="{h:.1f}"/>')
        cls = "lane-title highlight" if lane in HIGHLIGHT else "lane-title"
        color = f' style="fill: {HIGHLIGHT[lane]["color"]}"' if lane in HIGHLIGHT else ""
        out.append(
            f'<text class="{cls}" data-lane="{esc(lane)}" x="{_LEFT_PX - 8:.0f}" y="{y + h / 2:.1f}"'
            f"{color}>{esc(layout.titles[lane])}</text>"
        )
    for i, m in enumerate(_months(layout.first, layout.last)):
        x = x_of(m)
        label = _month_label(m, lang, i == 0).replace("\n", " ")
        out.append(
            f'<line class="grid" x1="{x:.1f}" y1="{_TOP_PX - 4:.0f}" x2="{x:.1f}" y2="{height - _BOTTOM_PX:.0f}"/>'
        )
        out.append(f'<text class="month" x="{x + 3:.1f}" y="{_TOP_PX - 10:.0f}">{esc(label)}</text>')
    return out


def _svg(items: list[dict[str, Any]], lang: str) -> str:
    """The chart as inline SVG: one `<g class="event">` per item, focusable, with a native tooltip."""
    esc = html.escape
    layout = _layout(items, _PLOT_PX, marker_px=7.0, char_px=_CHAR_PX)
    rows = max(layout.total_rows, 1)
    width = _LEFT_PX + _PLOT_PX + _RIGHT_PX
    height = _TOP_PX + rows * _ROW_PX + _BOTTOM_PX
    scale = _PLOT_PX / max(layout.days, 1)

    def x_of(d: date) -> float:
        return _LEFT_PX + (d - layout.first).days * scale

    out = [
        f'<svg id="chart" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-labelledby="chart-title">',
        f'<title id="chart-title">{esc(UI[lang]["title"])}</title>',
        *_svg_background(layout, lang, width, height, x_of),
    ]
    offsets = layout.offsets()
    for it in items:
        y = _TOP_PX + (offsets[it["lane"]] + layout.row_of[it["id"]] + 0.5) * _ROW_PX
        x0, x1 = x_of(_day(it["start"])), x_of(_day(it["end"]) + timedelta(days=1))
        out += _svg_item(it, y, x0, x1, it["id"] in layout.caption_left)
    if not items:
        out.append(
            f'<text class="empty" x="{width / 2:.0f}" y="{height / 2:.0f}">{esc(UI[lang]["empty"])}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


def _sin(degrees: float) -> float:
    import math

    return math.sin(math.radians(degrees))


def _cos(degrees: float) -> float:
    import math

    return math.cos(math.radians(degrees))


def _legend_html(lang: str) -> str:
    words = UI[lang]
    grey = PLAIN["color"]
    entries = [
        (f'<circle cx="9" cy="8" r="5" fill="{grey}"/>', words["day"]),
        (
            f'<rect x="1" y="2" width="16" height="12" fill="{grey}" fill-opacity="0.35" stroke="{grey}"/>',
            words["period"],
        ),
        (f'<rect x="1" y="2" width="16" height="12" fill="{grey}" fill-opacity="0.85"/>', words["span"]),
        (
            f'<rect x="1" y="2" width="16" height="12" fill="url(#hatch-plain)" stroke="{grey}"/>',
            words["between"],
        ),
        (f'<polygon points="4,3 14,8 4,13" fill="{grey}"/>', words["not-before"]),
        (f'<polygon points="14,3 4,8 14,13" fill="{grey}"/>', words["not-after"]),
        (f'<circle cx="9" cy="8" r="5" fill="{grey}" stroke="#000" stroke-width="1.5"/>', words["figure"]),
    ]
    for lane, style in HIGHLIGHT.items():
        shape = (
            '<polygon points="9,1 17,8 9,15 1,8" fill="{c}"/>'
            if style["marker"] == "D"
            else '<polygon points="9,1 11,6 17,6 12,10 14,15 9,12 4,15 6,10 1,6 7,6" fill="{c}"/>'
        )
        entries.append((shape.format(c=style["color"]), vocabulary_label("events", "event_type", lane, lang)))
    return "\n".join(
        f'<li><svg width="18" height="16" aria-hidden="true">{shape}</svg>{html.escape(text)}</li>'
        for shape, text in entries
    )


_PAGE = Template(
    """<!DOCTYPE html>
<html lang="$lang">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="dataset timeline">
<title>$title</title>
<style>
body { font: 14px/1.45 "DejaVu Sans", system-ui, sans-serif; margin: 0; color: #222; background: #fff; }
header { padding: 12px 20px 0; }
h1 { font-size: 20px; margin: 0 0 4px; }
.hint { color: #555; margin: 0 0 6px; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 16px; padding: 0; margin: 6px 0; font-size: 12px; color: #444; }
.legend li { display: flex; align-items: center; gap: 5px; }
main { display: grid; grid-template-columns: minmax(0, auto) 22rem; gap: 16px; padding: 0 20px 20px; align-items: start; }
@media (max-width: 1100px) { main { grid-template-columns: 1fr; } }
.chart { overflow-x: auto; border: 1px solid #ddd; width: fit-content; max-width: 100%; }
#chart text { font-size: 11px; fill: #222; dominant-baseline: middle; }
#chart .lane-title { text-anchor: end; font-size: 12px; }
#chart .lane-title.highlight { font-weight: bold; }
#chart .month { font-size: 11px; fill: #555; }
#chart .band { fill: #f4f4f4; }
#chart .grid { stroke: #ddd; stroke-width: 1; }
#chart .event { cursor: pointer; outline: none; }
#chart .event:hover .mark, #chart .event:focus .mark, #chart .event.selected .mark { stroke: #e66101; stroke-width: 3; }
#chart .event.selected .figure { font-weight: bold; }
#details { position: sticky; top: 8px; border: 1px solid #ddd; padding: 10px 14px; background: #fafafa; min-height: 8rem; }
#details h2 { font-size: 16px; margin: 0 0 4px; }
#details h3 { font-size: 13px; margin: 10px 0 2px; color: #555; text-transform: uppercase; letter-spacing: .03em; }
#details blockquote { margin: 4px 0; padding: 4px 10px; border-left: 3px solid #e66101; background: #fff; }
#details ul { margin: 2px 0; padding-left: 18px; }
#details .meta { color: #555; font-size: 12px; }
</style>
</head>
<body>
<header>
<h1>$title</h1>
<p class="hint">$hint</p>
<ul class="legend">
$legend
</ul>
</header>
<main>
<div class="chart">
$svg
</div>
<aside id="details" aria-live="polite"><p class="hint">$hint</p></aside>
</main>
<script type="application/json" id="timeline-data">$data</script>
<script>
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("timeline-data").textContent);
  var ui = data.ui, byId = {}, pinned = null;
  data.items.forEach(function (it) { byId[it.id] = it; });
  var panel = document.getElementById("details");
  function add(parent, tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    if (cls) { node.className = cls; }
    parent.appendChild(node);
    return node;
  }
  function sourceText(s) {
    var parts = [s.title || ui.no_title, s.publisher, s.published, s.language];
    return parts.filter(Boolean).join(" · ") + " [" + s.id + "]";
  }
  function show(id) {
    var it = byId[id];
    if (!it) { return; }
    panel.replaceChildren();
    panel.dataset.id = id;
    add(panel, "h2", it.label);
    add(panel, "p", ui.date + ": " + it.date_text + (it.place ? " · " + ui.place + ": " + it.place : ""), "meta");
    add(panel, "h3", ui.summary + (it.summary_lang === "en" ? ui.summary_note : ""));
    add(panel, "p", it.summary, "summary").lang = it.summary_lang;
    add(panel, "h3", ui.evidence);
    var quoted = it.sources.filter(function (s) { return s.id === it.evidence_source; })[0];
    var quote = add(panel, "blockquote", it.evidence, "evidence");
    if (quoted && quoted.language) { quote.lang = quoted.language; }
    add(panel, "p", ui.evidence_from + " " + it.evidence_source, "meta");
    if (it.figures.length) {
      add(panel, "h3", ui.figures);
      var figs = add(panel, "ul", null, "figures");
      it.figures.forEach(function (f) { add(figs, "li", f.label + " — " + f.evidence + " [" + f.source_id + "]"); });
    }
    add(panel, "h3", ui.sources);
    var list = add(panel, "ul", null, "sources");
    it.sources.forEach(function (s) { add(list, "li", sourceText(s)); });
  }
  document.querySelectorAll("#chart .event").forEach(function (g) {
    var id = g.getAttribute("data-id");
    g.addEventListener("mouseenter", function () { show(id); });
    g.addEventListener("focus", function () { show(id); });
    g.addEventListener("mouseleave", function () { if (pinned) { show(pinned); } });
    function pick() {
      document.querySelectorAll("#chart .event.selected").forEach(function (n) { n.classList.remove("selected"); });
      pinned = pinned === id ? null : id;
      if (pinned) { g.classList.add("selected"); }
      show(id);
    }
    g.addEventListener("click", pick);
    g.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pick(); }
    });
  });
})();
</script>
</body>
</html>
"""
)


def _script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no `</script>`, no `<!--`, no HTML entities needed."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def render_html(
    items: list[dict[str, Any]],
    path: str | os.PathLike[str],
    *,
    lang: str | None = None,
    heading: str | None = None,
) -> Path:
    """Write one self-contained HTML page to PATH; returns the path.

    Inline CSS, JavaScript and SVG, no external request of any kind, so it works offline from
    a file:// URL. Hovering over, focusing or clicking an event shows its summary, date,
    sources, evidence excerpt and figures in the side panel; a click pins it.
    """
    lang = _lang_of(items, lang)
    heading = UI[lang]["title"] if heading is None else heading
    page = _PAGE.substitute(
        lang=lang,
        title=html.escape(heading),
        hint=html.escape(UI[lang]["hint"]),
        legend=_legend_html(lang),
        svg=_svg(items, lang),
        data=_script_json({"items": items, "ui": UI[lang]}),
    )
    out = Path(path)
    write_atomic(out, page.encode("utf-8"))
    return out
