"""The HTML timeline in a real headless browser (Debian's chromium, driven by Playwright).

Loaded from a file:// URL with every other request refused, as a reader would open it offline.
Assertions are on the DOM, not on pixels; a screenshot is left in the test's tmp directory.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import dataset
from dataset import timeline

#: Debian's chromium; the Playwright download of its own browser is not used (and cannot be here).
CHROMIUM = os.environ.get("DATASET_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
#: Flags for a closed network: no background requests, no component updates, no sync.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not Path(CHROMIUM).is_file(),
        reason=f"chromium not found at {CHROMIUM} (apt-get install chromium; CI installs it)",
    ),
]


def normal(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def events(repo_root: Path) -> Any:
    """The events of the repository's package, as the page should show them."""
    return dataset.load(repo_root)["events"]


@pytest.fixture
def page_file(repo_root: Path, tmp_path: Path) -> Path:
    """The HTML timeline of the repository's package, written as `dataset timeline -o x.html` does."""
    tables = dataset.load(repo_root, validate=False)
    return timeline.render_html(
        timeline.build(tables), tmp_path / "timeline.html", heading=timeline.title(tables)
    )


@contextmanager
def offline_page(profile: Path, width: int, height: int) -> Iterator[tuple[Any, list[str], list[str]]]:
    """A chromium page that refuses every request except file:// ones; (page, blocked URLs, errors)."""
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    errors: list[str] = []
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": width, "height": height},
            offline=True,
        )

        def route(r: Any) -> None:
            if r.request.url.startswith("file:"):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        try:
            yield page, blocked, errors
        finally:
            context.close()


@pytest.fixture
def browser_page(tmp_path: Path) -> Iterator[tuple[Any, list[str], list[str]]]:
    """A fresh chromium profile and page that refuses every request except file:// ones."""
    with offline_page(tmp_path / "profile", 1600, 1000) as opened:
        yield opened


def test_page_shows_every_event_and_its_evidence_on_hover_and_click(
    browser_page: Any, page_file: Path, events: Any, tmp_path: Path
) -> None:
    """Offline, the page has one event element per row of events.csv; hovering shows an event's
    evidence excerpt, clicking pins another's; nothing but the file itself is requested."""
    page, blocked, errors = browser_page
    page.goto(page_file.as_uri())
    marks = page.locator("#chart .event")
    assert marks.count() == len(events)
    assert sorted(marks.evaluate_all("nodes => nodes.map(n => n.dataset.id)")) == sorted(events["id"])

    evidence = dict(zip(events["id"], events["evidence"], strict=True))
    released = events[events["event_type"] == "release"]["id"].tolist()
    first = released[0] if released else events["id"].iloc[0]
    page.hover(f'#chart .event[data-id="{first}"]')
    assert normal(page.locator("#details .evidence").inner_text()) == normal(evidence[first])
    assert page.locator("#details").get_attribute("data-id") == first

    visits = events[events["event_type"] == "consular-visit"]["id"].tolist()
    second = visits[-1] if visits else events["id"].iloc[-1]
    page.click(f'#chart .event[data-id="{second}"]')
    page.hover("h1")  # leaving the event keeps the clicked one shown
    assert page.locator("#details").get_attribute("data-id") == second
    assert normal(page.locator("#details .evidence").inner_text()) == normal(evidence[second])
    assert page.locator("#chart .event.selected").evaluate_all("nodes => nodes.map(n => n.dataset.id)") == [
        second
    ]

    shot = tmp_path / "timeline-screenshot.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert blocked == []
    assert errors == []


def test_keyboard_focus_shows_the_summary(browser_page: Any, page_file: Path, events: Any) -> None:
    """An event reached with the keyboard shows its summary and sources, as a hover does."""
    page, blocked, errors = browser_page
    page.goto(page_file.as_uri())
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.dataset.id")
    row = events[events["id"] == focused].iloc[0]
    assert normal(page.locator("#details .summary").inner_text()) == normal(row["summary"])
    sources = page.locator("#details .sources li").all_inner_texts()
    assert [s.rsplit("[", 1)[1].rstrip("]") for s in sources] == row["source_ids"].split(";")
    assert blocked == [] and errors == []
