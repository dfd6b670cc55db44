"""The pages: Jinja2 templates (autoescaped) filled from the model, once per language.

`View` gives the templates the words of one language (names, dates as published, vocabulary)
and the relative path back to the language folder, so links work from file:// and any host.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from ..location import web_url
from ..timeline import figure_label, figure_value, vocabulary_label
from .highlight import Ref, render_article
from .i18n import LANGS, UI, date_words, month_words, other_lang
from .meta import relocate
from .model import Model, Row, by_date, ids

#: (UI key after `nav_`, page) in menu order.
NAV = (
    ("story", "index.html"),
    ("timeline", "timeline.html"),
    ("people", "people.html"),
    ("sources", "sources.html"),
    ("tables", "tables.html"),
    ("downloads", "downloads.html"),
)
_SHORT = 110


def environment() -> Environment:
    """Jinja2 with autoescaping on for every template, undefined names an error, no stray blank lines."""
    return Environment(
        loader=PackageLoader("dataset.site", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _short(value: str) -> str:
    return value if len(value) <= _SHORT else value[: _SHORT - 1].rstrip() + "…"


class View:
    """The model as one language sees it, from a page UP levels below the language folder."""

    def __init__(self, model: Model, lang: str, up: str = "") -> None:
        self.model, self.lang, self.up, self.ui = model, lang, up, UI[lang]
        self.persons = model.index("persons")
        self.orgs = model.index("organizations")
        self.sources = model.index("sources")
        self.ids = ids
        self.web_url = web_url
        #: the Russian pages say once that the summaries are English when the data has no summary_ru
        self.summaries_in_english = lang != "en" and not any(
            r.get(f"summary_{lang}") for r in model.rows("events")
        )

    def date(self, row: Row) -> str:
        return date_words(
            row.get("date", ""),
            row.get("date_precision", ""),
            row.get("end_date", ""),
            row.get("date_qualifier") or "on",
            self.lang,
        )

    def standing_date(self, date: str | None) -> str:
        """The 'as of' date of a status, in words at its own precision."""
        return date_words(date, "", "", "on", self.lang) if date else ""

    def standing_since(self, standing: Any) -> str:
        """When a status began, as the step that set it dates it: 'since 10 Oct 2025', 'between ... and ...'."""
        dated = [st for st in standing.steps if st.date == standing.since]
        step = next((st for st in dated if st.state == standing.status), dated[0] if dated else None)
        if step is None or not standing.since:
            return ""
        qualifier = step.date_qualifier or "on"
        words = date_words(step.date, step.date_precision or "", step.end_date or "", qualifier, self.lang)
        return f"{UI[self.lang]['standing_since']} {words}" if qualifier == "on" else words

    def month(self, key: str) -> str:
        return month_words(key, self.lang)

    def summary(self, row: Row) -> dict[str, str]:
        """The event's summary in the page's language; English marked `lang="en"` where no Russian exists."""
        if self.lang == "ru" and row.get("summary_ru"):
            return {"text": row["summary_ru"], "lang": ""}
        return {"text": row.get("summary", ""), "lang": "en" if self.lang != "en" else ""}

    def person_name(self, pid: str) -> str:
        row = self.persons.get(pid, {})
        return (self.lang == "ru" and row.get("name_cyrillic")) or row.get("name_latin") or pid

    def org_name(self, oid: str) -> str:
        row = self.orgs.get(oid, {})
        return (self.lang == "ru" and row.get("name_ru")) or row.get("name_en") or oid

    def speaker(self, row: Row) -> str:
        if row.get("speaker_person_id"):
            return self.person_name(row["speaker_person_id"])
        return self.org_name(row.get("speaker_organization_id", ""))

    def source_label(self, sid: str) -> str:
        row = self.sources.get(sid, {})
        who = row.get("publisher") or self.ui["unnamed_publisher"]
        when = self.date({"date": row["published"], "date_precision": "day"}) if row.get("published") else ""
        return f"{who}, {when}" if when else who

    def source_lang(self, sid: str) -> str:
        return self.sources.get(sid, {}).get("language", "") or self.lang

    def event_type(self, value: str) -> str:
        return vocabulary_label("events", "event_type", value, self.lang)

    def figure_value(self, row: Row) -> str:
        return figure_value(int(row["value"]), row["value_qualifier"], row["unit"], self.lang)

    def figure_label(self, row: Row) -> str:
        return figure_label(int(row["value"]), row["value_qualifier"], row["unit"], row["measure"], self.lang)

    def passage(self, table: str, row_id: str, fld: str) -> str:
        href = self.model.passage_href(table, row_id, fld)
        return self.up + href if href else ""

    def evidence_source(self, table: str, row: Row) -> str:
        hit = self.model.anchors.get((table, row["id"], "evidence"))
        return hit[0] if hit else ""

    def ref_label(self, ref: Ref) -> str:
        row = self.model.index(ref.table).get(ref.row_id, {})
        if ref.table == "events":
            return _short(self.summary(row)["text"])
        if ref.table == "figures":
            return f"{self.figure_label(row)} — {_short(row.get('counted', ''))}"
        return f"{self.speaker(row)}: {_short(row.get('quote', ''))}"

    def ref_rows(self, refs: list[Ref]) -> list[dict[str, Any]]:
        """A passage's rows, each once, with the fields that quote it (a statement's quote and excerpt)."""
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        for ref in refs:
            entry = rows.setdefault(
                (ref.table, ref.row_id),
                {"table": ref.table, "href": self.up + ref.href, "label": self.ref_label(ref), "fields": []},
            )
            entry["fields"].append(ref.field)
        return list(rows.values())

    def size(self, count: int) -> str:
        return f"{count / 1024:.1f} KB" if count >= 1024 else f"{count} B"


def held_now(model: Model) -> dict[str, Any] | None:
    """The count of people held per the latest source that gives one, the event since which they
    are held, and the other counts (earlier sources, releases), each kept as its source says."""
    published = {r["id"]: r.get("published", "") for r in model.rows("sources")}
    held = [f for f in model.rows("figures") if f["measure"] == "held"]
    if not held:
        return None
    ordered = sorted(
        held, key=lambda f: (published.get(f["source_id"], ""), f["date"], f["id"]), reverse=True
    )
    latest = ordered[0]
    # earlier counts of the same people (the same event), not other groups that were held once
    same = [f for f in ordered[1:] if not latest.get("event_id") or f.get("event_id") == latest["event_id"]]
    released = by_date([f for f in model.rows("figures") if f["measure"] == "released"])
    return {
        "latest": latest,
        "since": model.index("events").get(latest.get("event_id", "")),
        "earlier": same,
        "released": released,
    }


def _table_view(model: Model) -> list[dict[str, Any]]:
    out = []
    for name, table in model.desc.tables.items():
        columns = table.field_names
        filters = [
            {"name": f.name, "index": i, "values": list(f.enum)} for i, f in enumerate(table.fields) if f.enum
        ]
        rows = [[row.get(c, "") for c in columns] for row in model.rows(name)]
        # columns of prose get room to read, the table then scrolls sideways in its own box
        long = [i for i, c in enumerate(columns) if any(len(r[i]) > 80 for r in rows)]
        out.append(
            {
                "name": name,
                "description": table.description,
                "columns": columns,
                "rows": rows,
                "filters": filters,
                "long": long,
            }
        )
    return out


def _pages(model: Model) -> Iterator[tuple[str, str, str, dict[str, Any]]]:
    """(page path under the language folder, template, nav section, context) for every page."""
    events = by_date(model.rows("events"))
    yield (
        "index.html",
        "index.html",
        "index.html",
        {
            "held": held_now(model),
            "figures": by_date(model.rows("figures")),
            "events": events,
        },
    )
    months: dict[str, list[Row]] = {}
    for e in events:
        months.setdefault(e["date"][:7], []).append(e)
    yield "timeline.html", "timeline.html", "timeline.html", {"months": list(months.items())}
    persons = sorted(model.rows("persons"), key=lambda p: p["id"])
    yield "people.html", "people.html", "people.html", {"persons": persons}
    statements = by_date(model.rows("statements"))
    for p in persons:
        path = [e for e in events if p["id"] in ids(e.get("person_ids", ""))]
        said = [s for s in statements if s.get("speaker_person_id") == p["id"]]
        standing = model.standings.get(p["id"])
        context = {"p": p, "path": path, "said": said, "standing": standing}
        yield f"persons/{p['id']}.html", "person.html", "people.html", context
    sources = sorted(model.sources.values(), key=lambda s: (s.row.get("published") or "9999", s.id))
    yield "sources.html", "sources.html", "sources.html", {"sources": sources}
    for s in sources:
        quoted = [st for st in statements if st.get("source_id") == s.id]
        yield (
            f"sources/{s.id}.html",
            "source.html",
            "sources.html",
            {
                "s": s,
                "article": render_article(s.text, s.passages),
                "statements": quoted,
            },
        )
    yield "tables.html", "tables.html", "tables.html", {"tables": _table_view(model)}
    yield "downloads.html", "downloads.html", "downloads.html", {}


def render_pages(
    model: Model, out: Path, common: dict[str, Any], write: Callable[[Path, str], None]
) -> list[Path]:
    """Render every page in every language under OUT (`en/…`, `ru/…`) and the root page."""
    env = environment()
    written = []
    for page, template, section, context in _pages(model):
        depth = page.count("/")
        for lang in LANGS:
            up = "../" * depth
            view = View(model, lang, up)
            html = env.get_template(template).render(
                meta=common["meta"],
                downloads=common["downloads"],
                **context,
                v=view,
                ui=UI[lang],
                lang=lang,
                other=other_lang(lang),
                root="../" + up,
                page=page,
                section=section,
                nav=NAV,
                title=_title(template, context, view),
                jsonld=relocate(common["jsonld"], "../" + up) if page == "index.html" else None,
            )
            target = out / lang / page
            write(target, html)
            written.append(target)
    titles = {lang: UI[lang]["site_title"] for lang in LANGS}
    root = env.get_template("root.html").render(titles=titles, jsonld=common["jsonld"])
    write(out / "index.html", root)
    return [*written, out / "index.html"]


def _title(template: str, context: dict[str, Any], view: View) -> str:
    ui = view.ui
    if template == "person.html":
        return view.person_name(context["p"]["id"])
    if template == "source.html":
        return context["s"].row.get("title") or view.source_label(context["s"].id)
    key = {"index.html": "nav_story", "people.html": "people_title", "sources.html": "sources_title"}.get(
        template, template.removesuffix(".html") + "_title"
    )
    return ui[key]
