"""In headless Chromium: the sanctions pages as a practitioner uses them. From the navigation
to the overview, an entity found by a Cyrillic name, its designations and history; the
programme page and the state page draw their charts; a name screened in the form comes back
explained; nothing logs a console error and no page is wider than the window."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, FilePayload, Page

from rightsdesk.core.db import dispose_engine, session_scope
from rightsdesk.store import init_store
from tests.conftest import PASSWORD, add_user, make_settings
from tests.e2e.conftest import _serve
from tests.sanctions import pages_seed as seed

pytestmark = pytest.mark.e2e
CHART_TIMEOUT_MS = 20_000
WIDTH = 1366

_FITS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 2"


@pytest.fixture(scope="module")
def sanctions_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server on a store with the seeded sanctions rows and a viewer account."""
    root = tmp_path_factory.mktemp("sanctions-e2e")
    url = f"sqlite:///{root / 'sanctions.db'}"
    settings = make_settings(url, root)
    init_store(settings)
    with session_scope(url) as s:
        seed.seed(s)
    add_user(settings, "vi", "viewer")
    add_user(settings, "an", "analyst")
    dispose_engine(url)
    env = {
        **os.environ,
        "RIGHTSDESK_DATABASE_URL": url,
        "RIGHTSDESK_DATA_DIR": str(root / "data"),
        "RIGHTSDESK_SECRET_KEY": settings.secret_key,
    }
    with _serve(env, "--workers", "1", "--no-warm") as server:
        yield server


def _page(browser: Browser, server: str, user: str = "vi") -> tuple[Page, list[str]]:
    page = browser.new_page(viewport={"width": WIDTH, "height": 768})
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(server + "/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page, errors


def test_from_the_navigation_to_an_entity_and_its_history(
    sanctions_server: str, browser: Browser
) -> None:
    page, errors = _page(browser, sanctions_server)
    page.click("header nav a[href='/sanctions']")
    page.wait_for_url(sanctions_server + "/sanctions")
    lists = page.locator("table#sanctions-lists")
    assert "2024-05-03" in lists.locator("tr", has_text="OFAC").inner_text()
    page.click("#card-entities a")
    page.fill("input[name=q]", "кадыров")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#sanctions-entities tbody tr").count() == 1
    page.click("#sanctions-entities a")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Ramzan Akhmatovich KADYROV")
    assert page.locator("#entity-names", has_text="Рамзан Ахматович Кадыров").is_visible()
    row = page.locator("#entity-designations tr", has_text="Global Magnitsky")
    assert "2017-12-20" in row.inner_text() and "human rights regime" in row.inner_text()
    assert "UKRAINE-EO13661" in page.locator("#entity-history").inner_text()
    assert page.evaluate(_FITS)
    assert errors == []
    page.close()


def test_programme_and_state_pages_draw_their_charts(
    sanctions_server: str, browser: Browser
) -> None:
    page, errors = _page(browser, sanctions_server)
    page.goto(sanctions_server + "/sanctions/programmes?hr=yes")
    page.click("#sanctions-programmes a[href='/sanctions/programmes/US-GLOMAG']")
    page.wait_for_selector("#programme-years.vega-rendered", timeout=CHART_TIMEOUT_MS)
    assert page.locator("#programme-years svg, #programme-years canvas").count() >= 1
    page.goto(sanctions_server + "/states/RUS")
    page.wait_for_selector(
        "[data-vega-spec='sanctions-state-spec'].vega-rendered", timeout=CHART_TIMEOUT_MS
    )
    regimes = page.locator("#sanctions-state-regimes tbody tr").first.inner_text()
    assert "Global Magnitsky" in regimes and "human rights regime" in regimes
    assert page.evaluate(_FITS)
    assert errors == []
    page.close()


def test_screening_form_explains_its_hit(sanctions_server: str, browser: Browser) -> None:
    page, errors = _page(browser, sanctions_server)
    page.goto(sanctions_server + "/sanctions/screen")
    page.fill("#screen-form input[name=name]", "Рамзан Кадыров")
    page.fill("#screen-form input[name=birth_date]", "1976-10-05")
    page.click("#screen-form button[type=submit]")
    page.wait_for_selector("#hit-1")
    hit = page.locator("#hit-1").inner_text()
    assert "Ramzan Akhmatovich KADYROV" in hit and "transliteration" in hit
    assert "birth date agrees" in hit
    assert (
        "/sanctions/screen" in page.url and "Kadyrov" not in page.url
    )  # a POST: no name in the URL
    # a viewer is told that a file of names needs the analyst role
    assert page.locator("#batch-form").count() == 0
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


@pytest.mark.parametrize(
    "path",
    [
        "/sanctions",
        "/sanctions/programmes",
        "/sanctions/programmes/UN-SC1267",
        "/sanctions/entities?country=SYR",
        f"/sanctions/entities/{seed.ORG}",
        f"/sanctions/entities/{seed.VESSEL}",
        "/sanctions/screen",
        "/states/SYR",
    ],
)
def test_pages_show_words_not_codes(sanctions_server: str, browser: Browser, path: str) -> None:
    """The walk's rule (tests/e2e/raw_codes.py) on pages the walk's store has no data for."""
    from tests.e2e.raw_codes import find_raw_codes

    page, errors = _page(browser, sanctions_server)
    response = page.goto(sanctions_server + path)
    assert response is not None and response.status == 200
    page.wait_for_load_state("networkidle")
    assert find_raw_codes(page.evaluate(_TEXT)) == []
    assert page.evaluate(_FITS)
    assert errors == []
    page.close()


def test_an_analyst_uploads_names_and_downloads_them_screened(
    sanctions_server: str, browser: Browser
) -> None:
    import csv
    import io

    page, errors = _page(browser, sanctions_server, "an")
    page.goto(sanctions_server + "/sanctions/screen")
    rows = "full_name,nationality,ref\nRamzan Kadyrov,Russia,1\nNobody Atall,,2\n"
    upload: FilePayload = {"name": "clients.csv", "mimeType": "text/csv", "buffer": rows.encode()}
    page.set_input_files("#batch-form input[name=file]", files=[upload])
    with page.expect_download() as info:
        page.click("#batch-form button[type=submit]")
    download = info.value
    assert download.suggested_filename == "clients-screened.csv"
    path = download.path()
    out = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert [(r["ref"], r["best_match_id"]) for r in out] == [("1", seed.KADYROV), ("2", "")]
    assert errors == []
    page.close()
