"""The events on a timeline: plain items built from the tables, drawn as a PNG or one HTML page.

`build` turns the typed tables into a list of dicts (dates resolved from partial ISO strings,
lane = event type, sources, evidence and figures attached), so the picture, the web page and a
Python user all see the same story. `render_png` draws it with matplotlib; `render_html` writes
a single self-contained page (inline CSS, JavaScript and SVG) that works from a file:// URL.

Only the standard library is imported at module level: the CLI imports this module to list
the languages, and pandas/matplotlib load only when something is drawn.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import struct
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from string import Template
from typing import TYPE_CHECKING, Any, TypedDict

from ..errors import DatasetError
from ..files import atomic_open, write_atomic

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..descriptor import Descriptor

LANGS = ("en", "ru")


class Style(TypedDict):
    """How one lane's items are drawn: colour, matplotlib marker, marker size in points."""

    color: str
    marker: str
    size: float


#: Event types drawn in their own colour and marker, so the outcomes people look for stand out.
#: A test checks that both are still values of events.event_type.
HIGHLIGHT: dict[str, Style] = {
    "release": {"color": "#1a9641", "marker": "*", "size": 15.0},
    "consular-visit": {"color": "#2c7bb6", "marker": "D", "size": 7.0},
}
PLAIN: Style = {"color": "#4d4d4d", "marker": "o", "size": 7.0}

# --------------------------------------------------------------------------- vocabularies
# English labels are derived from the enum values themselves (hyphens become spaces); the
# Russian ones are a translation map per vocabulary. tests/test_timeline.py checks every map's
# keys against the descriptor's enum, so a new value without a translation fails a test.

EN_OVERRIDES: dict[tuple[str, str], dict[str, str]] = {
    ("figures", "measure"): {"pre-trial-detention-term": "pre-trial detention term"},
}

RU: dict[tuple[str, str], dict[str, str]] = {
    ("events", "event_type"): {
        "crash": "крушение",
        "accreditation-revocation": "лишение аккредитации",
        "declined-attendance": "отказ от участия",
        "visit": "визит",
        "phone-call": "телефонный разговор",
        "raid": "рейд",
        "detention": "задержание",
        "death-in-custody": "смерть под стражей",
        "investigation": "расследование",
        "repatriation-of-bodies": "передача тел",
        "forensic-examination": "судмедэкспертиза",
        "protest-note": "нота протеста",
        "summons": "вызов посла",
        "cancellation": "отмена",
        "search": "обыск",
        "blocking": "блокировка",
        "charge": "обвинение",
        "arrest-order": "арест по решению суда",
        "detention-extension": "продление ареста",
        "consular-visit": "консульское посещение",
        "release": "освобождение",
        "return": "возвращение",
        "meeting": "встреча",
        "damage": "повреждение",
    },
    ("figures", "measure"): {
        "killed": "погибли",
        "aboard": "на борту",
        "detained": "задержаны",
        "suspects-in-custody": "подозреваемые под стражей",
        "held": "под стражей",
        "released": "освобождены",
        "dead": "погибли",
        "consular-access": "консульский доступ",
        "pre-trial-detention-term": "срок ареста",
        "detention-extension": "продление ареста",
        "maximum-sentence": "максимальный срок",
        "age": "возраст",
    },
    ("figures", "value_qualifier"): {"exact": "", "at-least": "не менее ", "up-to": "до "},
    ("events", "date_qualifier"): {
        "on": "{date}",
        "span": "с {date} по {end}",
        "between": "между {date} и {end}",
        "not-before": "не ранее {date}",
        "not-after": "не позднее {date}",
        "around": "около {date}",
    },
}

EN: dict[tuple[str, str], dict[str, str]] = {
    ("figures", "value_qualifier"): {"exact": "", "at-least": "at least ", "up-to": "up to "},
    ("events", "date_qualifier"): {
        "on": "{date}",
        "span": "from {date} to {end}",
        "between": "between {date} and {end}",
        "not-before": "not before {date}",
        "not-after": "not after {date}",
        "around": "around {date}",
    },
}

#: Unit words by language: (one, few, many) — Russian needs three forms, English two.
UNITS: dict[str, dict[str, tuple[str, str, str]]] = {
    "en": {
        "persons": ("person", "persons", "persons"),
        "months": ("month", "months", "months"),
        "years": ("year", "years", "years"),
    },
    "ru": {
        "persons": ("человек", "человека", "человек"),
        "months": ("месяц", "месяца", "месяцев"),
        "years": ("год", "года", "лет"),
    },
}
#: After `не менее` / `до` Russian puts the unit in the genitive: `до 4 месяцев`, `до 1 года`.
UNITS_GENITIVE_RU: dict[str, tuple[str, str, str]] = {
    "persons": ("человека", "человек", "человек"),
    "months": ("месяца", "месяцев", "месяцев"),
    "years": ("года", "лет", "лет"),
}

#: Words of the page and the picture that are not data.
UI: dict[str, dict[str, str]] = {
    "en": {
        "title": "Events by type",
        "hint": "Hover over or click an event to see its summary, sources and evidence.",
        "summary": "Summary",
        "summary_note": "",
        "evidence": "Evidence",
        "evidence_from": "quoted from",
        "sources": "Sources",
        "figures": "Figures",
        "place": "Place",
        "date": "Date",
        "empty": "No events to show.",
        "day": "a day",
        "period": "month or year (covers the period)",
        "span": "span (lasted from … to …)",
        "between": "between (at some point in the range)",
        "not-before": "not before",
        "not-after": "not after",
        "figure": "has figures (labelled)",
        "months": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
        "no_title": "(no headline printed)",
    },
    "ru": {
        "title": "События по типам",
        "hint": "Наведите указатель на событие или щёлкните по нему, чтобы увидеть описание, источники и цитату.",
        "summary": "Описание",
        "summary_note": " (на английском)",
        "evidence": "Цитата",
        "evidence_from": "из источника",
        "sources": "Источники",
        "figures": "Числа",
        "place": "Место",
        "date": "Дата",
        "empty": "Нет событий.",
        "day": "день",
        "period": "месяц или год (весь период)",
        "span": "период (длилось с … по …)",
        "between": "между (в какой-то момент периода)",
        "not-before": "не ранее",
        "not-after": "не позднее",
        "figure": "есть числа (подписаны)",
        "months": "янв фев мар апр май июн июл авг сен окт ноя дек",
        "no_title": "(без заголовка)",
    },
}


class UnknownPersonError(DatasetError):
    """`--person` names an id that the persons table does not have."""


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    return lang


def vocabulary_label(table: str, field: str, value: str, lang: str = "en") -> str:
    """Display words for a vocabulary value; an untranslated value is shown as it is."""
    if lang == "ru":
        return RU.get((table, field), {}).get(value, value)
    words = EN.get((table, field), {}).get(value)
    if words is not None:
        return words
    return EN_OVERRIDES.get((table, field), {}).get(value, value.replace("-", " "))


def vocabulary_maps() -> dict[tuple[str, str, str], dict[str, Any]]:
    """Every translation map by (map name, table, field), for the test that keeps them complete."""
    maps: dict[tuple[str, str, str], dict[str, Any]] = {}
    for (table, field), words in RU.items():
        maps[("ru", table, field)] = words
    for (table, field), words in EN.items():
        maps[("en", table, field)] = words
    for lang, units in UNITS.items():
        maps[(lang, "figures", "unit")] = units
    maps[("ru genitive", "figures", "unit")] = UNITS_GENITIVE_RU
    return maps


def missing_translations(descriptor: Descriptor) -> list[str]:
    """`lang table.field value` for each enum value a map lacks or a map key the enum lacks."""
    problems = []
    for (lang, table, field), words in vocabulary_maps().items():
        enum = set(descriptor.tables[table].field(field).enum or ())
        problems += [f"{lang} {table}.{field} {v}: no translation" for v in sorted(enum - set(words))]
        problems += [f"{lang} {table}.{field} {v}: not in the enum" for v in sorted(set(words) - enum)]
    for (table, field), words in EN_OVERRIDES.items():
        enum = set(descriptor.tables[table].field(field).enum or ())
        problems += [f"en {table}.{field} {v}: not in the enum" for v in sorted(set(words) - enum)]
    return problems


def _plural(value: int, forms: tuple[str, str, str], lang: str) -> str:
    if lang != "ru":
        return forms[0] if value == 1 else forms[1]
    if value % 10 == 1 and value % 100 != 11:
        return forms[0]
    if 2 <= value % 10 <= 4 and not 12 <= value % 100 <= 14:
        return forms[1]
    return forms[2]


def figure_value(value: int, value_qualifier: str, unit: str, lang: str = "en") -> str:
    """`at least 4 months`, `до 4 месяцев`: a number with its qualifier and unit, in agreement."""
    units = UNITS_GENITIVE_RU if lang == "ru" and value_qualifier != "exact" else UNITS[lang]
    forms = units.get(unit, (unit, unit, unit))
    qualifier = vocabulary_label("figures", "value_qualifier", value_qualifier, lang)
    return f"{qualifier}{value} {_plural(value, forms, lang)}"


def figure_label(value: int, value_qualifier: str, unit: str, measure: str, lang: str = "en") -> str:
    """`killed: 38 persons`, `максимальный срок: до 12 лет`: one figure in words."""
    measure_words = vocabulary_label("figures", "measure", measure, lang)
    return f"{measure_words}: {figure_value(value, value_qualifier, unit, lang)}"


def caption(figures: Iterable[Mapping[str, Any]], lang: str = "en") -> str:
    """A marker's caption: figures grouped by measure, disagreeing reports side by side
    (`pre-trial detention term: at least 4 months / up to 4 months; held: 2 persons`)."""
    grouped: dict[str, dict[str, None]] = {}
    for f in figures:
        words = vocabulary_label("figures", "measure", f["measure"], lang)
        grouped.setdefault(words, {})[figure_value(f["value"], f["value_qualifier"], f["unit"], lang)] = None
    return "; ".join(f"{measure}: {' / '.join(values)}" for measure, values in grouped.items())


def date_text(date_: str, end_date: str, qualifier: str, lang: str = "en") -> str:
    """The curated date in words, never padded: `between 2025-06-30 and 2025-07-01`."""
    pattern = vocabulary_label("events", "date_qualifier", qualifier, lang)
    if "{" not in pattern:  # an untranslated qualifier
        return f"{qualifier} {date_}" + (f" – {end_date}" if end_date else "")
    return pattern.format(date=date_, end=end_date or date_)


# --------------------------------------------------------------------------- build


def _text(value: Any) -> str:
    """Cell text, '' for a missing cell (pandas NA, None, NaN)."""
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def _ids(value: Any) -> list[str]:
    text = _text(value)
    return [part for part in text.split(";") if part] if text else []


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _text(v) for k, v in row.items()} for row in frame.to_dict("records")]


def _name_maps(tables: Mapping[str, pd.DataFrame], lang: str) -> tuple[dict[str, str], dict[str, str]]:
    persons: dict[str, str] = {}
    for row in _rows(tables["persons"]):
        persons[row["id"]] = (lang == "ru" and row.get("name_cyrillic")) or row["name_latin"]
    organizations: dict[str, str] = {}
    if "organizations" in tables:
        for row in _rows(tables["organizations"]):
            organizations[row["id"]] = (lang == "ru" and row.get("name_ru")) or row["name_en"]
    return persons, organizations


def _label(title: str, names: list[str]) -> str:
    if not names:
        return title
    shown = ", ".join(names[:2]) + (f" +{len(names) - 2}" if len(names) > 2 else "")
    return f"{title}: {shown}"


def _person_event_ids(tables: Mapping[str, pd.DataFrame], person: str) -> set[str]:
    known = set(tables["persons"]["id"].astype(str))
    if person not in known:
        raise UnknownPersonError(
            f"no person {person!r} in the persons table; known ids: {', '.join(sorted(known))}"
        )
    wanted = {row["id"] for row in _rows(tables["events"]) if person in _ids(row.get("person_ids"))}
    if "figures" in tables:
        wanted |= {
            row["event_id"]
            for row in _rows(tables["figures"])
            if row.get("event_id") and person in _ids(row.get("person_ids"))
        }
    return wanted


def in_lang(row: Mapping[str, Any], column: str, lang: str) -> tuple[str, str]:
    """COLUMN of ROW in LANG where the data has it (`<column>_<lang>`, our translation), else in English; and its language."""
    text = row.get(f"{column}_{lang}") if lang != "en" else None
    if isinstance(text, str) and text:
        return text, lang
    value = row.get(column, "")
    return (value if isinstance(value, str) else ""), "en"


def build(
    tables: Mapping[str, pd.DataFrame], person: str | None = None, lang: str = "en"
) -> list[dict[str, Any]]:
    """The events as timeline items (plain dicts, JSON-ready), sorted by start date.

    Each item: `id`, `date`/`end_date`/`precision`/`qualifier` as curated, `start`/`end` (ISO
    days: `2025-05` covers 2025-05-01..2025-05-31), `lane` (event type) and `lane_title`,
    `label`, `date_text`, `place`, `summary`, `sources` (dicts), `evidence` and
    `evidence_source`, `figures` (dicts with a `label`), `figure_label`. With PERSON, only the
    events that name that person (or that a figure about them belongs to). LANG picks the
    words: Russian names and vocabulary where the data or the maps have them; the summaries
    exist in English only.
    """
    from ..api import parse_date

    _check_lang(lang)
    events = tables["events"]
    if person is not None:
        keep = _person_event_ids(tables, person)
        events = events[events["id"].astype(str).isin(keep)]
    persons, organizations = _name_maps(tables, lang)
    sources = {row["id"]: row for row in _rows(tables["sources"])}
    figures: dict[str, list[dict[str, Any]]] = {}
    if "figures" in tables:
        for row in _rows(tables["figures"]):
            if row.get("event_id"):
                figures.setdefault(row["event_id"], []).append(row)

    end_text = events["end_date"].astype("string").fillna(events["date"].astype("string"))
    starts = parse_date(events["date"], "start")
    ends = parse_date(end_text, "end")
    items = []
    for row, start, end in zip(_rows(events), starts, ends, strict=True):
        names = [persons.get(p, p) for p in _ids(row.get("person_ids"))] or [
            organizations.get(o, o) for o in _ids(row.get("organization_ids"))
        ]
        lane_title = vocabulary_label("events", "event_type", row["event_type"], lang)
        attached = []
        for fig in sorted(figures.get(row["id"], []), key=lambda f: f["id"]):
            value = int(fig["value"])
            attached.append(
                {
                    "id": fig["id"],
                    "value": value,
                    "value_qualifier": fig["value_qualifier"],
                    "unit": fig["unit"],
                    "measure": fig["measure"],
                    "counted": in_lang(fig, "counted", lang)[0],
                    "source_id": fig["source_id"],
                    "evidence": fig["evidence"],
                    "label": figure_label(value, fig["value_qualifier"], fig["unit"], fig["measure"], lang),
                }
            )
        source_ids = _ids(row["source_ids"])
        items.append(
            {
                "id": row["id"],
                "date": row["date"],
                "end_date": row.get("end_date", ""),
                "precision": row["date_precision"],
                "qualifier": row["date_qualifier"],
                "start": start.date().isoformat(),
                "end": end.date().isoformat(),
                "date_text": date_text(row["date"], row.get("end_date", ""), row["date_qualifier"], lang),
                "lane": row["event_type"],
                "lane_title": lane_title,
                "label": _label(lane_title, names),
                "place": row.get("place", ""),
                "summary": in_lang(row, "summary", lang)[0],
                "summary_lang": in_lang(row, "summary", lang)[1],
                "sources": [
                    {
                        "id": sid,
                        "title": sources.get(sid, {}).get("title", ""),
                        "publisher": sources.get(sid, {}).get("publisher", ""),
                        "published": sources.get(sid, {}).get("published", ""),
                        "language": sources.get(sid, {}).get("language", ""),
                    }
                    for sid in source_ids
                ],
                "evidence": row["evidence"],
                "evidence_source": source_ids[0] if source_ids else "",
                "figures": attached,
                "figure_label": caption(attached, lang),
                "lang": lang,
            }
        )
    items.sort(key=lambda it: (it["start"], it["end"], it["id"]))
    return items


def title(tables: Mapping[str, pd.DataFrame], person: str | None = None, lang: str = "en") -> str:
    """The heading of a picture: `Events by type`, or `… — Igor Kartavykh` for one person."""
    words = UI[_check_lang(lang)]["title"]
    if person is None:
        return words
    persons, _ = _name_maps(tables, lang)
    return f"{words} — {persons.get(person, person)}"


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class _Layout:
    """Where everything goes: axis range, lane order and each item's sub-row within its lane."""

    first: date
    last: date  # exclusive: the day after the axis ends
    lanes: list[str]
    titles: dict[str, str]
    lane_rows: dict[str, int]
    row_of: dict[str, int]
    caption_left: frozenset[str] = frozenset()

    @property
    def days(self) -> int:
        return (self.last - self.first).days

    def offsets(self) -> dict[str, int]:
        """Index of each lane's first row, counted from the top."""
        out, total = {}, 0
        for lane in self.lanes:
            out[lane] = total
            total += self.lane_rows[lane]
        return out

    @property
    def total_rows(self) -> int:
        return sum(self.lane_rows.values())


def _day(iso: str) -> date:
    return date.fromisoformat(iso)


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _next_month(d: date) -> date:
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def _months(first: date, last: date) -> list[date]:
    out, d = [], _month_start(first)
    while d < last:
        out.append(d)
        d = _next_month(d)
    return out


def is_point(item: Mapping[str, Any]) -> bool:
    """True when the item is one day (drawn as a marker); otherwise it is drawn as a bar."""
    return bool(item["start"] == item["end"])


def _layout(items: list[dict[str, Any]], plot_px: float, marker_px: float, char_px: float) -> _Layout:
    """Lanes in order of their first event; within a lane, items packed into sub-rows so that
    neither markers, bars nor figure captions overlap at the given pixel scale. A caption that
    would run off the right edge goes to the left of its mark instead."""
    if items:
        first = _month_start(min(_day(it["start"]) for it in items))
        last = _next_month(max(_day(it["end"]) for it in items))
    else:
        first = date(2000, 1, 1)
        last = _next_month(first)
    px_per_day = plot_px / max((last - first).days, 1)
    lanes: list[str] = []
    titles: dict[str, str] = {}
    for it in items:
        if it["lane"] not in titles:
            lanes.append(it["lane"])
            titles[it["lane"]] = it["lane_title"]
    taken: dict[str, list[list[tuple[float, float]]]] = {lane: [] for lane in lanes}
    row_of: dict[str, int] = {}
    caption_left: set[str] = set()
    for it in items:
        x0 = (_day(it["start"]) - first).days * px_per_day
        x1 = ((_day(it["end"]) - first).days + 1) * px_per_day
        if is_point(it):
            centre = (x0 + x1) / 2
            x0, x1 = centre - marker_px, centre + marker_px
        if it["qualifier"] == "not-after":
            x0 -= marker_px
        if it["qualifier"] == "not-before":
            x1 += marker_px
        if it["figure_label"]:
            caption = marker_px + char_px * len(it["figure_label"])
            if x1 + caption > plot_px and x0 - caption >= 0:
                caption_left.add(it["id"])
                x0 -= caption
            else:
                x1 += caption
        rows = taken[it["lane"]]
        for i, spans in enumerate(rows):
            if all(x1 + 2 <= a or b + 2 <= x0 for a, b in spans):
                spans.append((x0, x1))
                row_of[it["id"]] = i
                break
        else:
            rows.append([(x0, x1)])
            row_of[it["id"]] = len(rows) - 1
    lane_rows = {lane: max(len(taken[lane]), 1) for lane in lanes}
    return _Layout(first, last, lanes, titles, lane_rows, row_of, frozenset(caption_left))


def _style(item: Mapping[str, Any]) -> Style:
    return HIGHLIGHT.get(item["lane"], PLAIN)


def _month_label(d: date, lang: str, always_year: bool) -> str:
    name = UI[lang]["months"].split()[d.month - 1]
    return f"{name}\n{d.year}" if always_year or d.month == 1 else name


# --------------------------------------------------------------------------- PNG

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


def _lang_of(items: list[dict[str, Any]], lang: str | None) -> str:
    if lang is None:
        lang = items[0].get("lang", "en") if items else "en"
    return _check_lang(lang)


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


# --------------------------------------------------------------------------- HTML

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
