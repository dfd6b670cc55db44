"""The timeline: items built from the tables, the PNG and the self-contained HTML page, and the CLI."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

import dataset
from dataset import timeline
from dataset.cli import cli
from dataset.descriptor import read_descriptor
from dataset.integrity import refresh_hashes
from dataset.validation import validate

SEED = (
    "Baku, 20 November 2025. In May 2025 Ivan Petrov visited Baku for talks. "
    "On 30 June 2025 police detained Ivan Petrov and two other people in Baku. "
    "Diplomats saw the detained men at some point between 1 and 7 July 2025. "
    "Petrov was released on 10 October 2025.\n"
)

SMALL = {
    "sources": [
        {
            "id": "test-source",
            "publisher": "",
            "publisher_basis": "",
            "title": "Test article",
            "published": "2025-11-20",
            "language": "en",
            "path": "seeds/test.txt",
            "sha256": hashlib.sha256(SEED.encode("utf-8")).hexdigest(),
            "url": "",
            "notes": "",
        }
    ],
    "persons": [
        {
            "id": "petrov-ivan",
            "name_latin": "Ivan Petrov",
            "name_latin_origin": "seed",
            "name_cyrillic": "Иван Петров",
            "name_cyrillic_origin": "seed",
            "role": "Visitor",
            "country": "Russia",
            "source_ids": "test-source",
            "notes": "",
        },
        {
            "id": "smith-john",
            "name_latin": "John Smith",
            "name_latin_origin": "seed",
            "name_cyrillic": "",
            "name_cyrillic_origin": "",
            "role": "Diplomat",
            "country": "",
            "source_ids": "test-source",
            "notes": "",
        },
    ],
    "organizations": [
        {
            "id": "russia",
            "name_en": "Russia",
            "name_en_origin": "seed",
            "name_ru": "Россия",
            "kind": "state",
            "country": "Russia",
            "parent_id": "",
            "source_ids": "test-source",
            "notes": "",
        }
    ],
    "events": [
        {
            "id": "2025-05-petrov-visit",
            "date": "2025-05",
            "date_precision": "month",
            "end_date": "",
            "date_qualifier": "on",
            "date_derivation": "printed",
            "date_basis": "",
            "place": "Baku",
            "event_type": "visit",
            "summary": "Ivan Petrov visited Baku.",
            "person_ids": "petrov-ivan",
            "organization_ids": "",
            "source_ids": "test-source",
            "evidence": "In May 2025 Ivan Petrov visited Baku for talks.",
            "notes": "",
        },
        {
            "id": "2025-06-30-petrov-detained",
            "date": "2025-06-30",
            "date_precision": "day",
            "end_date": "",
            "date_qualifier": "on",
            "date_derivation": "printed",
            "date_basis": "",
            "place": "Baku",
            "event_type": "detention",
            "summary": "Police detained Ivan Petrov and two others.",
            "person_ids": "petrov-ivan",
            "organization_ids": "",
            "source_ids": "test-source",
            "evidence": "On 30 June 2025 police detained Ivan Petrov and two other people in Baku.",
            "notes": "",
        },
        {
            "id": "2025-07-consular-visit",
            "date": "2025-07-01",
            "date_precision": "day",
            "end_date": "2025-07-07",
            "date_qualifier": "between",
            "date_derivation": "printed",
            "date_basis": "",
            "place": "",
            "event_type": "consular-visit",
            "summary": "Diplomats saw the detained men.",
            "person_ids": "smith-john",
            "organization_ids": "russia",
            "source_ids": "test-source",
            "evidence": "Diplomats saw the detained men at some point between 1 and 7 July 2025.",
            "notes": "",
        },
        {
            "id": "2025-10-10-petrov-released",
            "date": "2025-10-10",
            "date_precision": "day",
            "end_date": "",
            "date_qualifier": "on",
            "date_derivation": "printed",
            "date_basis": "",
            "place": "",
            "event_type": "release",
            "summary": "Ivan Petrov was released.",
            "person_ids": "petrov-ivan",
            "organization_ids": "",
            "source_ids": "test-source",
            "evidence": "Petrov was released on 10 October 2025.",
            "notes": "",
        },
    ],
    "statements": [],
    "figures": [
        {
            "id": "test-detained",
            "value": "3",
            "value_qualifier": "exact",
            "unit": "persons",
            "measure": "detained",
            "counted": "People detained in Baku",
            "date": "2025-06-30",
            "date_precision": "day",
            "end_date": "",
            "date_qualifier": "on",
            "date_derivation": "printed",
            "date_basis": "",
            "event_id": "2025-06-30-petrov-detained",
            "person_ids": "",
            "source_id": "test-source",
            "evidence": "police detained Ivan Petrov and two other people",
            "notes": "",
        }
    ],
    "claim_links": [],
}


@pytest.fixture(scope="module")
def small_package(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> Path:
    """A hand-made valid package of four events: a `YYYY-MM` month, a day with a figure, a
    `between` range and a release without figures, all quoted from one tiny seed (read-only:
    copy it before changing it)."""
    root = tmp_path_factory.mktemp("small")
    (root / "data").mkdir(parents=True)
    (root / "seeds").mkdir()
    shutil.copy2(repo_root / "datapackage.json", root / "datapackage.json")
    (root / "seeds" / "test.txt").write_bytes(SEED.encode("utf-8"))
    desc = read_descriptor(root)
    for name, rows in SMALL.items():
        table = desc.tables[name]
        with (root / table.path).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=table.field_names, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    refresh_hashes(root)  # the copied descriptor records the repository's bytes and hashes
    return root


@pytest.fixture(scope="module")
def small_tables(small_package: Path) -> dict[str, object]:
    """The tables of the hand-made package, loaded (and validated) once."""
    return dataset.load(small_package)


@pytest.fixture(scope="module")
def small_items(small_tables: dict[str, object]) -> list[dict[str, object]]:
    """The timeline items of the hand-made package, in English."""
    return timeline.build(small_tables)


@pytest.fixture(scope="module")
def bundled_tables(repo_root: Path) -> dict[str, object]:
    """The repository's tables, loaded once for the module."""
    return dataset.load(repo_root)


def by_id(items: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {str(it["id"]): it for it in items}


# --------------------------------------------------------------------------- vocabulary maps


def test_translation_maps_cover_exactly_the_descriptor_enums(repo_root: Path) -> None:
    """Every map (ru event types, measures, units, qualifiers) has a key for each enum value and no other."""
    assert timeline.missing_translations(read_descriptor(repo_root)) == []


def test_a_new_enum_value_without_translation_is_reported(repo_root: Path) -> None:
    """Adding an event type to the descriptor makes missing_translations name it, so the test above fails."""
    raw = json.loads((repo_root / "datapackage.json").read_text(encoding="utf-8"))
    events = next(r for r in raw["resources"] if r["name"] == "events")
    field = next(f for f in events["schema"]["fields"] if f["name"] == "event_type")
    field["constraints"]["enum"].append("hunger-strike")
    from dataset.descriptor import parse_descriptor

    problems = timeline.missing_translations(parse_descriptor(raw, repo_root / "datapackage.json"))
    assert problems == ["ru events.event_type hunger-strike: no translation"]


def test_highlighted_types_are_event_types(repo_root: Path) -> None:
    """The event types drawn so they stand out (releases, consular visits) exist in the vocabulary."""
    enum = read_descriptor(repo_root).tables["events"].field("event_type").enum or ()
    assert set(timeline.HIGHLIGHT) <= set(enum)


def test_ui_words_exist_in_every_language() -> None:
    """The page and picture have the same set of interface words in each language."""
    assert set(timeline.UI) == set(timeline.LANGS)
    assert timeline.UI["ru"].keys() == timeline.UI["en"].keys()


def test_figure_labels_use_plural_forms() -> None:
    """Captions agree in number, in English and in Russian."""
    assert timeline.figure_label(1, "exact", "persons", "held", "en") == "held: 1 person"
    assert (
        timeline.figure_label(12, "up-to", "years", "maximum-sentence", "en")
        == "maximum sentence: up to 12 years"
    )
    assert timeline.figure_label(2, "exact", "persons", "dead", "ru") == "погибли: 2 человека"
    assert timeline.figure_label(11, "exact", "persons", "held", "ru") == "под стражей: 11 человек"
    assert timeline.figure_label(60, "exact", "years", "age", "ru") == "возраст: 60 лет"
    assert timeline.figure_label(4, "at-least", "months", "pre-trial-detention-term", "ru") == (
        "срок ареста: не менее 4 месяцев"
    )
    assert (
        timeline.figure_label(1, "up-to", "years", "maximum-sentence", "ru") == "максимальный срок: до 1 года"
    )


def test_caption_groups_disagreeing_reports_by_measure() -> None:
    """Two reports of one measure share a caption entry; an identical repeat is shown once."""
    figures = [
        {"value": 4, "value_qualifier": "at-least", "unit": "months", "measure": "pre-trial-detention-term"},
        {"value": 4, "value_qualifier": "up-to", "unit": "months", "measure": "pre-trial-detention-term"},
        {"value": 2, "value_qualifier": "exact", "unit": "persons", "measure": "held"},
        {"value": 2, "value_qualifier": "exact", "unit": "persons", "measure": "held"},
    ]
    assert (
        timeline.caption(figures)
        == "pre-trial detention term: at least 4 months / up to 4 months; held: 2 persons"
    )


# --------------------------------------------------------------------------- build


def test_build_resolves_partial_dates_to_periods(small_items: list[dict[str, object]]) -> None:
    """A `2025-05` event covers May; a day is one day; `between` runs from date to end_date."""
    items = by_id(small_items)
    month = items["2025-05-petrov-visit"]
    assert (month["date"], month["start"], month["end"]) == ("2025-05", "2025-05-01", "2025-05-31")
    assert not timeline.is_point(month)
    day = items["2025-06-30-petrov-detained"]
    assert (day["start"], day["end"]) == ("2025-06-30", "2025-06-30")
    assert timeline.is_point(day)
    between = items["2025-07-consular-visit"]
    assert (between["start"], between["end"], between["qualifier"]) == ("2025-07-01", "2025-07-07", "between")
    assert between["date_text"] == "between 2025-07-01 and 2025-07-07"
    assert [it["id"] for it in small_items] == sorted(items, key=lambda i: items[i]["start"])


def test_build_attaches_figures_sources_and_evidence(small_items: list[dict[str, object]]) -> None:
    """Figures join their event by event_id; an event without one has none; sources and evidence come along."""
    items = by_id(small_items)
    detained = items["2025-06-30-petrov-detained"]
    assert [f["id"] for f in detained["figures"]] == ["test-detained"]
    assert detained["figure_label"] == "detained: 3 persons"
    released = items["2025-10-10-petrov-released"]
    assert released["figures"] == [] and released["figure_label"] == ""
    assert released["lane"] == "release"
    assert released["evidence"] == "Petrov was released on 10 October 2025."
    assert released["sources"] == [
        {
            "id": "test-source",
            "title": "Test article",
            "publisher": "",
            "published": "2025-11-20",
            "language": "en",
        }
    ]
    assert released["label"] == "release: Ivan Petrov"
    assert items["2025-07-consular-visit"]["place"] == ""


def test_build_in_russian_uses_cyrillic_names_and_lane_titles(small_tables: dict[str, object]) -> None:
    """--lang ru: Cyrillic names where the data has them, Latin otherwise, lane titles from the ru map."""
    items = by_id(timeline.build(small_tables, lang="ru"))
    assert items["2025-10-10-petrov-released"]["label"] == "освобождение: Иван Петров"
    assert items["2025-07-consular-visit"]["label"] == "консульское посещение: John Smith"
    assert items["2025-06-30-petrov-detained"]["figure_label"] == "задержаны: 3 человека"
    assert items["2025-07-consular-visit"]["date_text"] == "между 2025-07-01 и 2025-07-07"


def test_build_for_one_person(small_tables: dict[str, object]) -> None:
    """--person keeps only the events that name the person; an unknown id is an error naming it."""
    tables = small_tables
    ids = [it["id"] for it in timeline.build(tables, person="petrov-ivan")]
    assert ids == ["2025-05-petrov-visit", "2025-06-30-petrov-detained", "2025-10-10-petrov-released"]
    with pytest.raises(timeline.UnknownPersonError, match="no-such-person"):
        timeline.build(tables, person="no-such-person")


def test_build_bundled_has_one_item_per_event(bundled_tables: dict[str, object]) -> None:
    """Every event of the repository's package becomes exactly one item, with its evidence."""
    events = bundled_tables["events"]
    items = by_id(timeline.build(bundled_tables))
    assert set(items) == set(events["id"])
    for row in events.itertuples():
        assert items[row.id]["evidence"] == row.evidence
        assert items[row.id]["lane"] == row.event_type
        assert date.fromisoformat(items[row.id]["start"]) <= date.fromisoformat(items[row.id]["end"])


# --------------------------------------------------------------------------- PNG


def test_png_of_small_package_is_repeatable_and_carries_its_digest(
    small_items: list[dict[str, object]], tmp_path: Path
) -> None:
    """Two renderings are byte-identical, and the PNG stores the digest of what it shows."""
    a = timeline.render_png(small_items, tmp_path / "a.png")
    b = timeline.render_png(small_items, tmp_path / "b.png")
    assert a.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert a.read_bytes() == b.read_bytes()
    meta = timeline.png_text(a)
    assert meta == {timeline.DIGEST_KEY: timeline.png_digest(small_items, "en", timeline.UI["en"]["title"])}


def test_png_of_bundled_data_in_russian(bundled_tables: dict[str, object], tmp_path: Path) -> None:
    """The bundled data draws in Russian too, and the digest differs from the English one."""
    items = timeline.build(bundled_tables, lang="ru")
    out = timeline.render_png(items, tmp_path / "ru.png")
    digest = timeline.png_text(out)[timeline.DIGEST_KEY]
    assert digest == timeline.png_digest(items, "ru", timeline.UI["ru"]["title"])
    assert digest != timeline.png_digest(timeline.build(bundled_tables), "en", timeline.UI["en"]["title"])


def test_committed_png_is_current(repo_root: Path, bundled_tables: dict[str, object]) -> None:
    """docs/timeline.png was drawn from the current data; if not, run `dataset timeline -o docs/timeline.png`."""
    stored = timeline.png_text(repo_root / "docs" / "timeline.png").get(timeline.DIGEST_KEY)
    fresh = timeline.png_digest(timeline.build(bundled_tables), "en", timeline.title(bundled_tables))
    assert stored == fresh, "docs/timeline.png is stale: run `dataset timeline -o docs/timeline.png`"


def test_digest_changes_when_a_drawn_fact_changes(package_copy: Path) -> None:
    """Moving one event's date changes the digest, so the staleness test above catches it."""
    before = timeline.png_digest(timeline.build(dataset.load(package_copy, validate=False)))
    events = package_copy / "data" / "events.csv"
    text = events.read_text(encoding="utf-8")
    assert "2025-07-14-consular-visit,2025-07-14," in text
    events.write_text(
        text.replace("2025-07-14-consular-visit,2025-07-14,", "2025-07-14-consular-visit,2025-07-15,")
    )
    after = timeline.png_digest(timeline.build(dataset.load(package_copy, validate=False)))
    assert before != after


# --------------------------------------------------------------------------- HTML


def page_data(page: str) -> dict[str, object]:
    match = re.search(r'<script type="application/json" id="timeline-data">(.*?)</script>', page, re.S)
    assert match
    return json.loads(match.group(1))


def event_groups(page: str) -> dict[str, str]:
    """data-id -> the markup of its <g class="event ..."> element."""
    return dict(re.findall(r'<g class="event[^"]*" data-id="([^"]+)"[^>]*>(.*?)</g>', page, re.S))


def assert_self_contained(page: str) -> None:
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"<(?:link|iframe|img|object|embed)\b", page, re.I)
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.I)
    assert not re.search(r"@import|url\(\s*['\"]?(?:https?:)?//", page, re.I)


def test_html_of_small_package(small_items: list[dict[str, object]], tmp_path: Path) -> None:
    """One focusable event element per item; the page embeds the items; it loads nothing from outside."""
    page = timeline.render_html(small_items, tmp_path / "t.html").read_text(encoding="utf-8")
    assert_self_contained(page)
    groups = event_groups(page)
    assert list(groups) == [it["id"] for it in small_items]
    assert page_data(page)["items"] == small_items
    assert 'class="figure"' in groups["2025-06-30-petrov-detained"]
    assert "detained: 3 persons" in groups["2025-06-30-petrov-detained"]
    assert 'class="figure"' not in groups["2025-10-10-petrov-released"]


def test_html_draws_partial_dates_as_spans(small_items: list[dict[str, object]], tmp_path: Path) -> None:
    """The May event is a bar 31 days wide, the `between` range a hatched bar of 7 days, a day a marker."""
    groups = event_groups(timeline.render_html(small_items, tmp_path / "t.html").read_text(encoding="utf-8"))

    def bar(event_id: str) -> tuple[float, str]:
        m = re.search(
            r'<rect class="mark" x="[^"]+" y="[^"]+" width="([^"]+)" height="[^"]+" ([^/]*)', groups[event_id]
        )
        assert m, event_id
        return float(m.group(1)), m.group(2)

    may, _ = bar("2025-05-petrov-visit")
    week, paint = bar("2025-07-consular-visit")
    assert may / week == pytest.approx(31 / 7, rel=0.01)
    assert "url(#hatch-consular-visit)" in paint
    assert "<rect" not in groups["2025-06-30-petrov-detained"]


def test_html_escapes_text_from_the_data(small_items: list[dict[str, object]], tmp_path: Path) -> None:
    """Markup in a summary or label stays text: it cannot close the data script or inject elements."""
    items = [dict(it) for it in small_items]
    items[0]["summary"] = "</script><script>alert(1)</script>"
    items[0]["label"] = '<b onclick="x">bold</b>'
    page = timeline.render_html(items, tmp_path / "t.html").read_text(encoding="utf-8")
    assert page.count("</script>") == 2  # the data block and the code block, nothing else
    assert "<b onclick" not in page
    assert page_data(page)["items"][0]["summary"] == items[0]["summary"]


def test_html_of_bundled_data_is_self_contained(bundled_tables: dict[str, object], tmp_path: Path) -> None:
    """The page of the repository's data has one element per event and no external address."""
    items = timeline.build(bundled_tables, lang="ru")
    page = timeline.render_html(items, tmp_path / "ru.html").read_text(encoding="utf-8")
    assert_self_contained(page)
    assert set(event_groups(page)) == set(bundled_tables["events"]["id"])
    assert '<html lang="ru">' in page
    assert timeline.RU[("events", "event_type")]["release"] in page


# --------------------------------------------------------------------------- CLI


def test_cli_writes_png_and_html(
    small_package: Path, small_items: list[dict[str, object]], tmp_path: Path
) -> None:
    """`dataset timeline PATH -o x.png|x.html` writes what the library draws."""
    runner = CliRunner()
    png = tmp_path / "out" / "t.png"
    result = runner.invoke(cli, ["timeline", str(small_package), "-o", str(png)])
    assert result.exit_code == 0, result.output
    assert timeline.png_text(png)[timeline.DIGEST_KEY] == timeline.png_digest(
        small_items, "en", "Events by type"
    )
    html_file = tmp_path / "t.html"
    result = runner.invoke(
        cli, ["timeline", str(small_package), "-o", str(html_file), "--person", "petrov-ivan", "--lang", "ru"]
    )
    assert result.exit_code == 0, result.output
    page = html_file.read_text(encoding="utf-8")
    assert list(event_groups(page)) == [
        "2025-05-petrov-visit",
        "2025-06-30-petrov-detained",
        "2025-10-10-petrov-released",
    ]
    assert "События по типам — Иван Петров" in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "t.svg"], "must end in .png, .html"),
        (["-o", "t.png", "--person", "nobody"], "no person matches 'nobody'"),
        (["-o", "t.png", "--lang", "de"], "'de' is not one of"),
    ],
)
def test_cli_rejects_bad_options(small_package: Path, tmp_path: Path, args: list[str], message: str) -> None:
    """A wrong suffix, an unknown person or language is a usage error (exit 2) that says what is wrong."""
    args = [a if not a.startswith("t.") else str(tmp_path / a) for a in args]
    result = CliRunner().invoke(cli, ["timeline", str(small_package), *args])
    assert result.exit_code == 2
    assert message in result.output
    assert not list(tmp_path.glob("t.*"))


def test_cli_refuses_an_invalid_package(small_package: Path, tmp_path: Path) -> None:
    """A package that does not validate is not drawn: exit 1, naming the problem."""
    broken = shutil.copytree(small_package, tmp_path / "broken")
    events = broken / "data" / "events.csv"
    events.write_text(
        events.read_text(encoding="utf-8").replace(",visit,", ",sightseeing,"), encoding="utf-8"
    )
    assert not validate(broken).valid
    result = CliRunner().invoke(cli, ["timeline", str(broken), "-o", str(tmp_path / "t.png")])
    assert result.exit_code == 1
    assert "event_type" in result.output
    assert not (tmp_path / "t.png").exists()


def test_no_events_still_draws_an_empty_timeline(tmp_path: Path) -> None:
    """A person without events gives an empty picture and page that say so, not a crash."""
    png = timeline.render_png([], tmp_path / "empty.png", lang="ru")
    assert timeline.png_text(png)[timeline.DIGEST_KEY] == timeline.png_digest(
        [], "ru", timeline.UI["ru"]["title"]
    )
    page = timeline.render_html([], tmp_path / "empty.html").read_text(encoding="utf-8")
    assert event_groups(page) == {}
    assert timeline.UI["en"]["empty"] in page
