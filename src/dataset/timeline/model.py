"""The timeline's items built from the tables, and the words around them in English and Russian.

Only the standard library is imported at module level: the CLI imports the package to list
the languages, and pandas loads only when items are built.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypedDict

from ..errors import DatasetError

if TYPE_CHECKING:
    import pandas as pd

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


def _figure_item(fig: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """A figure as an item carries it: its number, what was counted, its evidence and its label."""
    value = int(fig["value"])
    return {
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


def _source_item(sid: str, source: Mapping[str, Any]) -> dict[str, Any]:
    """A cited source as an item carries it (empty words for an id the sources table lacks)."""
    return {
        "id": sid,
        "title": source.get("title", ""),
        "publisher": source.get("publisher", ""),
        "published": source.get("published", ""),
        "language": source.get("language", ""),
    }


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
    from ..dates import parse_date

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
        attached = [
            _figure_item(fig, lang) for fig in sorted(figures.get(row["id"], []), key=lambda f: f["id"])
        ]
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
                "sources": [_source_item(sid, sources.get(sid, {})) for sid in source_ids],
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


def _lang_of(items: list[dict[str, Any]], lang: str | None) -> str:
    if lang is None:
        lang = items[0].get("lang", "en") if items else "en"
    return _check_lang(lang)
