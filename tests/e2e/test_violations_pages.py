"""In headless Chromium: violations documentation as a collector and an editor use it. From
the list to an event, then the "New event" form filled in and submitted, and the event page
showing what was entered; the timeline and the map draw their charts; no console error, no
page wider than the window, words rather than codes."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from rightsdesk.core.db import dispose_engine
from tests.conftest import PASSWORD, make_settings
from tests.e2e.conftest import _serve
from tests.store_templates import INIT, StoreTemplates, ready
from tests.violations.conftest import seed_violations

pytestmark = pytest.mark.e2e
CHART_TIMEOUT_MS = 20_000
WIDTH = 1366
_FITS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 2"


@pytest.fixture(scope="module")
def violations_server(
    tmp_path_factory: pytest.TempPathFactory, store_templates: StoreTemplates
) -> Iterator[str]:
    """A server on a store with the violations scenario (a user per role, named after it)."""
    root = tmp_path_factory.mktemp("violations-e2e")
    url = f"sqlite:///{root / 'violations.db'}"
    store_templates.create(url, INIT)  # a copy of the initialised store: no init run
    settings = make_settings(url, root)
    ready(settings)
    seed_violations(settings)
    dispose_engine(url)
    env = {
        **os.environ,
        "RIGHTSDESK_DATABASE_URL": url,
        "RIGHTSDESK_DATA_DIR": str(root / "data"),
        "RIGHTSDESK_SECRET_KEY": settings.secret_key,
    }
    with _serve(env, "--workers", "1", "--no-warm") as server:
        yield server


def _page(browser: Browser, server: str, user: str) -> tuple[Page, list[str]]:
    page = browser.new_page(viewport={"width": WIDTH, "height": 768})
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(server + "/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page, errors


def test_from_the_list_to_an_event_then_a_new_one_documented(
    violations_server: str, browser: Browser
) -> None:
    page, errors = _page(browser, violations_server, "collector")
    page.goto(violations_server + "/violations")
    assert page.locator("#events tbody tr").count() == 4  # the collector's own events
    page.click("#facet-level a:has-text('Public')")
    page.wait_for_load_state()
    assert page.locator("#events tbody tr").count() == 1
    page.click("#events tbody a")
    page.wait_for_load_state()
    assert "Amina Qadir-Testvictim" in page.locator("#event-victims").inner_text()
    assert page.evaluate(_FITS)
    page.goto(violations_server + "/violations")
    page.click("#new-event")
    page.wait_for_url(violations_server + "/violations/new")
    page.fill("input[name=title]", "Raid on a newsroom in Idlib (browser test)")
    page.fill("input[name=start_date]", "2021-02-14")
    page.fill("input[name=state_iso3]", "SYR")
    page.fill("input[name=area]", "Idlib governorate")
    page.select_option("select[name=confidentiality]", "restricted")
    page.fill("input[name='victims[0].name']", "Browser Testvictim")
    page.select_option("select[name='acts[0].act_type']", "destruction_of_property")
    page.select_option("select[name='acts[0].victim_index']", "0")
    page.fill("input[name='sources[0].organisation']", "Syrian Archive")
    page.select_option("select[name='sources[0].reliability']", "B")
    page.click("#save-event")
    page.wait_for_url("**/violations/events/*")
    assert page.locator("h1").inner_text().startswith("Raid on a newsroom in Idlib")
    assert "14 February 2021" in page.locator("#event-when").inner_text()
    assert "Destruction of property" in page.locator("#event-acts").inner_text()
    assert "Browser Testvictim" in page.locator("#event-victims").inner_text()
    assert "usually reliable" in page.locator("div.source").first.inner_text()
    assert page.evaluate(_FITS)
    assert errors == []
    page.close()


def test_timeline_and_map_are_drawn(violations_server: str, browser: Browser) -> None:
    page, errors = _page(browser, violations_server, "editor")
    page.goto(violations_server + "/violations/timeline")
    page.wait_for_selector("#timeline-chart.vega-rendered", timeout=CHART_TIMEOUT_MS)
    assert page.locator("#timeline-chart svg, #timeline-chart canvas").count() >= 1
    page.click("#views-nav a:has-text('Map')")
    page.wait_for_selector("#events-map.vega-rendered", timeout=CHART_TIMEOUT_MS)
    assert page.locator("#events-map svg, #events-map canvas").count() >= 1
    assert page.evaluate(_FITS)
    assert errors == []
    page.close()


_TEXT = """() => {
  const SKIP = "code, kbd, samp, script, style, noscript, template, textarea";
  const parts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (el && n.textContent.trim() && !el.closest(SKIP)) parts.push(n.textContent);
  }
  return parts.join("\\n");
}"""


def test_pages_show_words_not_codes(violations_server: str, browser: Browser) -> None:
    """The walk's rule (tests/e2e/raw_codes.py) on every kind of violations page."""
    from tests.e2e.raw_codes import find_raw_codes

    page, errors = _page(browser, violations_server, "admin")
    for path in (
        "/violations?from=2019&level=restricted",
        "/violations/events/1",
        "/violations/events/1/edit",
        "/violations/new",
        "/violations/victims/1",
        "/violations/perpetrators/1",
    ):
        response = page.goto(violations_server + path)
        assert response is not None and response.status == 200, path
        assert find_raw_codes(page.evaluate(_TEXT)) == [], path
        assert page.evaluate(_FITS), path
    assert errors == []
    page.close()
