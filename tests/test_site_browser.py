"""The website in a real headless browser (Debian's chromium, driven by Playwright), from file://.

Every request other than a file:// one is refused and recorded, as a reader offline would see it.
Assertions are on the DOM; screenshots are left in the test's tmp directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dataset.site import build_site
from test_browser import (  # the same browser, flags and offline routing as the timeline test
    CHROMIUM,
    offline_page,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(CHROMIUM).is_file(),
        reason=f"chromium not found at {CHROMIUM} (apt-get install chromium; CI installs it)",
    ),
]

WIDTHS = (1366, 390)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, repo_root: Path) -> Path:
    return build_site(repo_root, tmp_path_factory.mktemp("site") / "site")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One chromium context that refuses every request except file:// ones; records errors."""
    with offline_page(tmp_path_factory.mktemp("profile"), WIDTHS[0], 900) as opened:
        yield opened


def test_every_page_loads_offline_without_errors(browser: Any, site: Path) -> None:
    page, blocked, errors = browser
    page.goto((site / "index.html").as_uri())
    page.wait_for_url("**/en/index.html")  # the root page sends the reader to the English story
    for file in sorted((site / "en").rglob("*.html")) + sorted((site / "ru").rglob("*.html")):
        page.goto(file.as_uri())
        assert page.title() and page.locator("main h1").count() == 1, file
    assert blocked == [] and errors == []


def test_evidence_link_lands_on_the_highlighted_passage(browser: Any, site: Path, frames: dict) -> None:
    page, blocked, errors = browser
    events = frames["events"]
    for lang in ("en", "ru"):
        page.goto((site / lang / "timeline.html").as_uri())
        link = page.locator(f"#ev-{events['id'].iloc[-1]} a.passage-link").first
        href = link.get_attribute("href")
        link.click()
        page.wait_for_load_state()
        assert page.url.endswith(href.split("/", 1)[-1])
        target = page.locator(":target")
        assert target.evaluate("e => e.tagName") == "MARK"
        evidence = events["evidence"].iloc[-1]
        words = " ".join(evidence.split())
        marked = " ".join(
            page.locator(f"mark[data-passage='{page.url.rsplit('#', 1)[1]}']").all_inner_texts()
        )
        assert words in " ".join(marked.split())
        box = target.bounding_box()
        assert box and 0 <= box["y"] < page.viewport_size["height"]  # scrolled into view
    page.screenshot(path=str(site.parent / "passage.png"))
    assert blocked == [] and errors == []


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_table_search_finds_russian_and_english_words(
    browser: Any, site: Path, frames: dict, lang: str
) -> None:
    page, blocked, errors = browser
    page.goto((site / lang / "tables.html").as_uri())
    persons = frames["persons"].dropna(subset=["name_cyrillic"]).iloc[0]
    section = page.locator("section[data-table='persons']")
    rows = section.locator("tbody tr")
    total = rows.count()
    for word in (persons["name_cyrillic"].split()[-1].upper(), persons["name_latin"].split()[-1].lower()):
        section.locator("input.search").fill(word)
        visible = section.locator("tbody tr:not([hidden])")
        assert 0 < visible.count() < total, word
        assert persons["id"] in visible.locator("td:first-child").all_inner_texts()
    section.locator("input.search").fill("")
    assert section.locator("tbody tr:not([hidden])").count() == total
    assert blocked == [] and errors == []


def test_table_sorts_and_filters(browser: Any, site: Path, frames: dict) -> None:
    page, blocked, errors = browser
    page.goto((site / "en" / "tables.html").as_uri())
    section = page.locator("section[data-table='events']")
    button = section.locator("th button").first  # the id column
    button.click()
    ascending = section.locator("tbody tr td:first-child").all_inner_texts()
    assert section.locator("th[aria-sort='ascending']").count() == 1
    button.click()
    descending = section.locator("tbody tr td:first-child").all_inner_texts()
    assert descending == ascending[::-1] and sorted(ascending) == sorted(frames["events"]["id"])
    kind = frames["events"]["event_type"].iloc[0]
    column = list(frames["events"].columns).index("event_type")
    section.locator(f"select.filter[data-column='{column}']").select_option(kind)
    shown = section.locator("tbody tr:not([hidden])")
    assert shown.count() == int((frames["events"]["event_type"] == kind).sum())
    assert blocked == [] and errors == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["index.html", "timeline.html"])
def test_story_and_timeline_fit_the_width(browser: Any, site: Path, width: int, name: str) -> None:
    page, blocked, errors = browser
    page.set_viewport_size({"width": width, "height": 900})
    try:
        for lang in ("en", "ru"):
            page.goto((site / lang / name).as_uri())
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{lang}/{name} is {scroll}px wide at {width}px"
            page.screenshot(path=str(site.parent / f"{lang}-{name}-{width}.png"), full_page=True)
    finally:
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    assert blocked == [] and errors == []


def test_keyboard_reaches_the_skip_link_first(browser: Any, site: Path) -> None:
    page, _, _ = browser
    page.goto((site / "en" / "index.html").as_uri())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


CONTRAST = """(selectors) => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const [r, g, b] = rgb(c).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (e) => {
    for (; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (!c.startsWith("rgba(0, 0, 0, 0)") && c !== "transparent") { return c; }
    }
    return "rgb(255, 255, 255)";
  };
  return selectors.map((s) => {
    const e = document.querySelector(s);
    if (!e) { return [s, null]; }
    const [a, b] = [lum(getComputedStyle(e).color), lum(background(e))];
    return [s, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
  });
}"""


def test_text_has_enough_contrast(browser: Any, site: Path, frames: dict) -> None:
    """WCAG AA: at least 4.5:1 for the body text, the muted notes, links, labels and highlighted passages."""
    page, _, _ = browser
    checks = {
        "en/index.html": ["main p", ".meta", "main a", "footer.site p"],
        "ru/timeline.html": [".type", ".when", "blockquote footer a"],
        f"en/sources/{frames['sources']['id'].iloc[0]}.html": [
            "mark.passage a",
            "article.archived p",
            "blockquote p",
        ],
        "en/tables.html": [".controls label", "th button", "td"],
    }
    for name, selectors in checks.items():
        page.goto((site / name).as_uri())
        for selector, ratio in page.evaluate(CONTRAST, selectors):
            assert ratio is not None and ratio >= 4.5, f"{name} {selector}: contrast {ratio}"


def test_print_leaves_out_the_menu_and_controls(browser: Any, site: Path) -> None:
    page, _, _ = browser
    page.goto((site / "en" / "tables.html").as_uri())
    page.emulate_media(media="print")
    try:
        assert page.locator("header.site nav").is_hidden() and page.locator(".controls").first.is_hidden()
        assert page.locator("main h1").is_visible()
    finally:
        page.emulate_media(media="screen")
