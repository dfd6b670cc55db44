"""The reader's website (`dataset site`): escaping, determinism, highlighted evidence, links.

Assertions are on content computed from the data at test time, never on today's counts.
Browser checks (console errors, scrolling, search) are in test_site_browser.py.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from dataset.citation import read_cff, zenodo_json, zenodo_metadata
from dataset.cli import cli
from dataset.integrity import refresh_hashes
from dataset.site import MARKER, build_site
from dataset.site.highlight import ArticleIndex, Ref, merge, render_article
from dataset.site.i18n import LANGS, date_words
from dataset.site.model import build_model
from dataset.site.pages import View, held_now
from dataset.whitespace import normalise_whitespace

HOSTILE = "<img src=x onerror=alert(1)>"


class Page(HTMLParser):
    """The ids, links, <mark> texts, lang attributes and JSON-LD of one HTML page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.marks: dict[str, str] = {}
        self.langs: list[tuple[str, str]] = []
        self.jsonld: list[str] = []
        self.tags: list[str] = []
        self._mark: str | None = None
        self._script = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        for key in ("href", "src"):
            if a.get(key):
                self.links.append(a[key] or "")
        if a.get("lang"):
            self.langs.append((tag, a["lang"] or ""))
        if tag == "mark":
            self._mark = a.get("data-passage") or ""
            # a passage split over paragraphs continues after a break: count it as whitespace
            self.marks[self._mark] = self.marks.get(self._mark, "") + " "
        self._script = tag == "script" and a.get("type") == "application/ld+json"

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._mark = None
        if tag == "script":
            self._script = False

    def handle_data(self, data: str) -> None:
        if self._mark is not None:
            self.marks[self._mark] += data
        if self._script:
            self.jsonld.append(data)


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> tuple[Path, Path]:
    """The repository's package built twice, into two folders."""
    base = tmp_path_factory.mktemp("site")
    return build_site(repo_root, base / "one"), build_site(repo_root, base / "two")


@pytest.fixture(scope="module")
def site(sites: tuple[Path, Path]) -> Path:
    return sites[0]


@pytest.fixture(scope="module")
def model(repo_root: Path, frames: dict, desc: object) -> object:
    return build_model(frames, desc)


def pages(root: Path) -> dict[Path, Page]:
    return {p: Page(p.read_text(encoding="utf-8")) for p in sorted(root.rglob("*.html"))}


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- the build


def test_two_builds_are_byte_identical(sites: tuple[Path, Path]) -> None:
    one, two = (files(s) for s in sites)
    assert sorted(one) == sorted(two)
    different = [name for name in one if one[name] != two[name]]
    assert different == []
    assert any(name.endswith(".xlsx") for name in one) and any(name.endswith(".sqlite") for name in one)


def test_every_page_exists_in_both_languages_with_its_lang(site: Path, frames: dict) -> None:
    for lang in LANGS:
        for pid in frames["persons"]["id"]:
            assert (site / lang / "persons" / f"{pid}.html").is_file()
        for sid in frames["sources"]["id"]:
            assert (site / lang / "sources" / f"{sid}.html").is_file()
    for page in (site / "en").rglob("*.html"):
        twin = site / "ru" / page.relative_to(site / "en")
        assert twin.is_file()
        assert '<html lang="en">' in page.read_text(encoding="utf-8")
        assert '<html lang="ru">' in twin.read_text(encoding="utf-8")


def test_every_link_resolves_to_a_file_and_anchor(site: Path) -> None:
    parsed = {file.resolve(): page for file, page in pages(site).items()}
    broken = []
    for file, page in parsed.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto"):
                continue
            assert not parts.scheme and not parts.netloc, f"{file}: {link} leaves the site"
            target = (file.parent / unquote(parts.path)).resolve() if parts.path else file
            if not target.is_file() or site.resolve() not in target.parents:
                broken.append(f"{file.relative_to(site.resolve())}: {link}")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in parsed[target].ids:
                broken.append(f"{file.relative_to(site.resolve())}: {link} (no such anchor)")
    assert broken == []


def test_nothing_is_loaded_from_the_network(site: Path) -> None:
    """Scripts, styles and images come from the site folder; CSS and JS fetch nothing themselves."""
    for file in site.rglob("*.html"):
        text = file.read_text(encoding="utf-8")
        loads = re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)=\"([^\"]+)\"", text)
        assert loads, file
        for link in loads:
            assert not urlsplit(link).scheme and not link.startswith("//"), f"{file}: {link}"
    for file in (site / "static").iterdir():
        text = file.read_text(encoding="utf-8")
        assert not re.search(r"url\(|@import|fetch\(|XMLHttpRequest|https?:", text), file


# --------------------------------------------------------------------------- evidence


def test_every_quoted_passage_is_highlighted_on_its_source_page(
    site: Path, model: object, frames: dict
) -> None:
    """Each events/figures evidence and statements quote/excerpt is found, and the <mark> it links to
    holds its text (whitespace runs compared as the validator compares them)."""
    assert model.missing == []
    checked = 0
    for table, fields in (
        ("events", ("evidence",)),
        ("figures", ("evidence",)),
        ("statements", ("quote", "excerpt")),
    ):
        for row in frames[table].to_dict("records"):
            for field in fields:
                value = row.get(field)
                if not isinstance(value, str) or not value:
                    continue
                href = model.passage_href(table, row["id"], field)
                assert href, f"{table} {row['id']} {field}: no passage"
                path, anchor = href.split("#")
                page = Page((site / "en" / path).read_text(encoding="utf-8"))
                assert anchor in page.ids
                assert normalise_whitespace(value) in normalise_whitespace(page.marks[anchor])
                checked += 1
    assert checked


def test_each_passage_links_back_to_the_rows_that_quote_it(site: Path, model: object) -> None:
    for sid, source in model.sources.items():
        text = (site / "en" / "sources" / f"{sid}.html").read_text(encoding="utf-8")
        page = Page(text)
        for passage in source.passages:
            assert f"refs-{passage.id}" in page.ids
            for ref in passage.refs:
                assert f'href="../{ref.href}"' in text


def test_article_text_is_kept_whole_and_escaped() -> None:
    text = "Title <b>\n\nFirst  line\nsecond line &amp; more.\n\n  Another\tparagraph, quoted here.\n"
    index = ArticleIndex(text)
    span = index.locate("line second line &amp;")
    assert span and text[span[0] : span[1]] == "line\nsecond line &amp;"
    cross = index.locate("more. Another paragraph")
    assert cross
    passages = merge(
        [(*span, Ref("events", "a", "evidence", "x")), (*cross, Ref("events", "b", "evidence", "y"))]
    )
    html = str(render_article(index.text, passages))
    assert html.count("<p>") == 3 and "&lt;b&gt;" in html and "&amp;amp;" in html
    assert html.count('id="p1"') == 1 and "<br>" in html
    # the passage over a paragraph break is one <mark> per paragraph, the id on the first only
    assert len(passages) == 2 and html.count('data-passage="p2"') == 2 and html.count('id="p2"') == 1
    assert index.locate("not in the text") is None


def test_overlapping_quotes_become_one_passage_with_both_rows() -> None:
    a, b = Ref("statements", "s", "excerpt", "h1"), Ref("statements", "s", "quote", "h1")
    passages = merge([(0, 20, a), (5, 10, b), (30, 40, a)])
    assert [(p.start, p.end) for p in passages] == [(0, 20), (30, 40)]
    assert passages[0].refs == [a, b]


# --------------------------------------------------------------------------- words


@pytest.mark.parametrize(
    ("args", "lang", "expected"),
    [
        (("2025-05", "month", "", "on"), "en", "May 2025"),
        (("2025-11-21", "day", "", "not-after"), "en", "not after 21 Nov 2025"),
        (("2025-06-30", "day", "2025-07-01", "between"), "en", "between 30 Jun 2025 and 1 Jul 2025"),
        (("2025-06", "month", "2025-08", "between"), "en", "between June 2025 and August 2025"),
        (("2025", "year", "", "around"), "en", "around 2025"),
        (("2025-05", "month", "", "on"), "ru", "май 2025"),
        (("2025-11-21", "day", "", "not-after"), "ru", "не позднее 21 ноября 2025"),
        (("2025-06", "month", "2025-08", "between"), "ru", "между июнем 2025 и августом 2025"),
        (("2025-05", "month", "2025-07", "span"), "ru", "с мая 2025 по июль 2025"),
        (("2025-05", "month", "", "not-before"), "ru", "не ранее мая 2025"),
        (("2025-06-30", "day", "2025-07-01", "span"), "ru", "с 30 июня 2025 по 1 июля 2025"),
    ],
)
def test_dates_are_shown_as_published(args: tuple[str, ...], lang: str, expected: str) -> None:
    assert date_words(*args, lang=lang) == expected


def test_russian_summary_is_used_when_present_else_english_marked(model: object) -> None:
    ru = View(model, "ru")
    assert ru.summary({"summary": "Raid.", "summary_ru": "Рейд."}) == {"text": "Рейд.", "lang": ""}
    assert ru.summary({"summary": "Raid.", "summary_ru": ""}) == {"text": "Raid.", "lang": "en"}
    assert View(model, "en").summary({"summary": "Raid.", "summary_ru": "Рейд."}) == {
        "text": "Raid.",
        "lang": "",
    }


def test_story_names_the_latest_held_count_and_its_source(site: Path, frames: dict, model: object) -> None:
    figures, sources = frames["figures"], frames["sources"].set_index("id")
    held = figures[figures["measure"] == "held"]
    if held.empty:
        pytest.skip("no figure counts the people held")
    latest_published = max(
        str(sources.loc[s, "published"])
        for s in held["source_id"]
        if str(sources.loc[s, "published"]) != "<NA>"
    )
    expected = held[[str(sources.loc[s, "published"]) == latest_published for s in held["source_id"]]]
    assert held_now(model)["latest"]["id"] in set(expected["id"])
    text = (site / "en" / "index.html").read_text(encoding="utf-8")
    block = text[text.index('class="held-now"') : text.index("</div>", text.index('class="held-now"'))]
    latest = held_now(model)["latest"]
    assert f"sources/{latest['source_id']}.html" in block
    assert str(latest["value"]) in block and model.passage_href("figures", latest["id"], "evidence") in block


def test_statements_show_our_translation_marked(site: Path, frames: dict) -> None:
    st = frames["statements"]
    ours = st[(st["quote_en_origin"] == "our-translation") & st["quote_en"].notna()]
    if ours.empty:
        pytest.skip("no statement has our translation")
    row = ours.iloc[0]
    text = (site / "en" / "sources" / f"{row['source_id']}.html").read_text(encoding="utf-8")
    item = text[text.index(f'id="st-{row["id"]}"') :]
    item = item[: item.index("</li>")]
    assert f'lang="{row["language"]}"' in item and 'class="quote translation" lang="en"' in item
    assert "our translation" in item


# --------------------------------------------------------------------------- hostile input


def test_a_hostile_summary_is_shown_as_text(package_copy: Path, tmp_path: Path) -> None:
    events = package_copy / "data" / "events.csv"
    with events.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("summary")
    rows[1][column] = f"{HOSTILE} <script>alert(2)</script>"
    with events.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    refresh_hashes(package_copy)
    out = build_site(package_copy, tmp_path / "site")
    seen = 0
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "<img" not in text and "<script>alert" not in text, page
        seen += "&lt;img src=x onerror=alert(1)&gt;" in text
    assert seen >= 2  # at least the story and the timeline, in both languages


# --------------------------------------------------------------------------- downloads, citation


def test_downloads_are_listed_with_their_sha256_and_version(site: Path, desc: object) -> None:
    folder = site / "downloads"
    sums = dict(line.split("  ")[::-1] for line in (folder / "SHA256SUMS").read_text().splitlines())
    assert {p.suffix for p in folder.iterdir() if p.name != "SHA256SUMS"} >= {".zip", ".xlsx", ".sqlite"}
    page = (site / "en" / "downloads.html").read_text(encoding="utf-8")
    assert desc.version in page
    for name, digest in sums.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
        assert name in page and digest in page


def test_package_zip_is_a_valid_package(site: Path, tmp_path: Path) -> None:
    import zipfile

    from dataset.validation import validate

    archive = next((site / "downloads").glob("*-datapackage.zip"))
    with zipfile.ZipFile(archive) as z:
        assert [i.date_time for i in z.infolist()] == [(1980, 1, 1, 0, 0, 0)] * len(z.infolist())
        assert [i.filename for i in z.infolist()] == sorted(i.filename for i in z.infolist())
        z.extractall(tmp_path / "pkg")
    assert validate(tmp_path / "pkg").valid


@pytest.mark.parametrize("page", ["index.html", "en/index.html", "ru/index.html"])
def test_jsonld_describes_the_dataset_and_its_downloads(site: Path, desc: object, page: str) -> None:
    data = json.loads("".join(Page((site / page).read_text(encoding="utf-8")).jsonld))
    assert data["@type"] == "Dataset" and data["version"] == desc.version
    assert data["license"] == desc.raw["licenses"][0]["path"] and data["citation"]
    assert {d["name"] for d in data["distribution"]} == {
        p.name for p in (site / "downloads").iterdir() if p.name != "SHA256SUMS"
    }
    for item in data["distribution"]:
        assert item["@type"] == "DataDownload"
        file = (site / page).parent / item["contentUrl"]  # relative to the page, as a browser reads it
        assert hashlib.sha256(file.read_bytes()).hexdigest() == item["sha256"]


def test_jsonld_download_urls_are_absolute_with_a_base_url(repo_root: Path, tmp_path: Path) -> None:
    out = build_site(repo_root, tmp_path / "site", base_url="https://example.org/crisis")
    for page in ("index.html", "en/index.html"):
        data = json.loads("".join(Page((out / page).read_text(encoding="utf-8")).jsonld))
        assert all(
            d["contentUrl"].startswith("https://example.org/crisis/downloads/") for d in data["distribution"]
        )


def test_every_page_shows_version_licence_and_citation(site: Path, desc: object) -> None:
    for page in (site / "ru").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert desc.version in text and desc.raw["licenses"][0]["name"] in text
        assert 'class="citation"' in text and 'class="skip"' in text


def test_zenodo_json_is_generated_from_citation_cff(repo_root: Path) -> None:
    cff = read_cff(repo_root / "CITATION.cff")
    assert (repo_root / ".zenodo.json").read_text(encoding="utf-8") == zenodo_json(repo_root / "CITATION.cff")
    meta = zenodo_metadata(cff)
    assert meta["title"] == cff["title"] and meta["version"] == str(cff["version"])
    assert meta["upload_type"] == "dataset" and meta["publication_date"] == str(cff["date-released"])
    people = zenodo_metadata(
        {
            "title": "t",
            "authors": [
                {
                    "given-names": "Ann",
                    "family-names": "Lee",
                    "orcid": "https://orcid.org/0000-0002-1825-0097",
                }
            ],
            "license": "CC-BY-4.0",
        }
    )
    assert people["creators"] == [{"name": "Lee, Ann", "orcid": "0000-0002-1825-0097"}]
    assert people["license"] == "cc-by-4.0"


# --------------------------------------------------------------------------- the command


def test_command_refuses_a_folder_it_did_not_write(repo_root: Path, tmp_path: Path) -> None:
    mine = tmp_path / "notes"
    mine.mkdir()
    (mine / "draft.txt").write_text("keep me")
    result = CliRunner().invoke(cli, ["site", str(repo_root), "-o", str(mine)])
    assert result.exit_code == 2 and "not written by `dataset site`" in result.output
    assert "Traceback" not in result.output
    assert [p.name for p in mine.iterdir()] == ["draft.txt"]


def test_command_exits_1_naming_the_fault_of_an_invalid_package(package_copy: Path, tmp_path: Path) -> None:
    events = package_copy / "data" / "events.csv"
    events.write_text(
        events.read_text(encoding="utf-8").replace(",summary,", ",summary_of,", 1), encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["site", str(package_copy), "-o", str(tmp_path / "site")])
    assert result.exit_code == 1 and "events.csv" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "site").exists()


def test_a_javascript_url_never_becomes_a_link() -> None:
    from dataset.site.pages import web_url

    assert web_url("javascript:alert(1)") == "" and web_url("JAVASCRIPT:x") == ""
    assert web_url("https://example.org/a") == "https://example.org/a"


def test_command_replaces_its_own_previous_build(repo_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = CliRunner().invoke(cli, ["site", str(repo_root), "-o", str(out)])
    assert first.exit_code == 0, first.output
    (out / "en" / "stale.html").write_text("old")
    again = CliRunner().invoke(cli, ["site", str(repo_root), "-o", str(out)])
    assert again.exit_code == 0 and (out / MARKER).is_file() and not (out / "en" / "stale.html").exists()


@pytest.mark.slow
def test_templates_and_static_files_travel_in_the_wheel(repo_root: Path, tmp_path: Path) -> None:
    import subprocess
    import sys
    import zipfile

    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(repo_root),
        ],
        check=True,
        capture_output=True,
    )
    names = set(zipfile.ZipFile(next(tmp_path.glob("*.whl"))).namelist())
    source = repo_root / "src" / "dataset" / "site"
    needed = [p for folder in ("templates", "static") for p in (source / folder).iterdir() if p.is_file()]
    assert needed
    for file in needed:
        assert f"dataset/site/{file.parent.name}/{file.name}" in names
    assert "dataset/_package/CITATION.cff" in names


def test_a_person_page_says_where_the_person_stands(site: Path, frames: dict) -> None:
    """Each person the status view covers gets it on their page, in both languages, from dataset.status."""
    from dataset.status import person_status

    words = {"released": ("Released", "Освобождён"), "dead": ("Died in custody", "Умер под стражей")}
    standings = [s for s in person_status(frames) if s.status in words]
    assert standings
    for standing in standings:
        for lang, word in zip(("en", "ru"), words[standing.status], strict=True):
            page = (site / lang / "persons" / f"{standing.id}.html").read_text(encoding="utf-8")
            section = page[page.index('id="standing-h"') :]
            assert f"<strong>{word}</strong>" in section[:400], (standing.id, lang)
            for sid in standing.source_ids:
                assert f"sources/{sid}.html" in section[: section.index("</section>")]
