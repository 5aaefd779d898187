"""In headless Chromium: an editor links a programme to a recommendation on the programme's
links page; the coverage view (with its chart drawn) and the audit log show it. Real data:
CAFOD's DR Congo programmes and DR Congo's UPR recommendations."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from rightsdesk.capacity.models import Programme
from rightsdesk.core.db import dispose_engine, session_scope
from rightsdesk.forms import service
from rightsdesk.store import init_store
from tests.capacity.conftest import activity_file, import_file
from tests.capacity.links_helpers import load_drc_recommendations
from tests.conftest import PASSWORD, add_user, make_settings
from tests.e2e.conftest import _serve

pytestmark = pytest.mark.e2e
REASON = "Caritas monitors report on this in South Kivu"


@pytest.fixture(scope="module")
def links_server(
    tmp_path_factory: pytest.TempPathFactory, shared_data: Path
) -> Iterator[tuple[str, int, str, int]]:
    """A server on a store with CAFOD's file and DR Congo's recommendations: its URL, a
    programme (id, title) and a supported recommendation's id."""
    root = tmp_path_factory.mktemp("links-e2e")
    url = f"sqlite:///{root / 'links.db'}"
    settings = make_settings(url, root)
    init_store(settings)
    import_file(settings, "iati-activities", activity_file(shared_data, "cafod-drc-v1.00.xml"))
    load_drc_recommendations(settings, shared_data, root)
    add_user(settings, "ed", "editor")
    add_user(settings, "ad", "admin")
    with session_scope(url) as s:
        programme = s.scalars(select(Programme).order_by(Programme.id)).first()
        assert programme is not None
        rec = service("monitoring", "recommendations_of_state")(s, "COD", "supported")[3]
        pid, title, rec_id = programme.id, programme.title, rec.id
    dispose_engine(url)
    env = {
        **os.environ,
        "RIGHTSDESK_DATABASE_URL": url,
        "RIGHTSDESK_DATA_DIR": str(root / "data"),
        "RIGHTSDESK_SECRET_KEY": settings.secret_key,
    }
    with _serve(env, "--workers", "1", "--no-warm") as server:
        yield server, pid, title, rec_id


def _login(page, server: str, name: str) -> None:
    page.goto(server + "/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_a_link_made_in_the_page_shows_in_coverage_and_audit(links_server, browser) -> None:
    server, pid, title, rec_id = links_server
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    _login(page, server, "ed")
    page.goto(f"{server}/capacity/programmes/{pid}/links")
    page.fill("#link-form input[name=recommendation]", str(rec_id))
    page.fill("#link-form textarea[name=reason]", REASON)
    page.click("#link-form button[type=submit]")
    page.wait_for_url(f"{server}/capacity/programmes/{pid}/links")
    assert REASON in page.locator("table#programme-links").inner_text()

    page.goto(f"{server}/capacity/coverage?state=COD")
    covered = page.locator("table#coverage-covered")
    assert title[:40] in covered.inner_text()
    assert covered.locator(f"a[href='/recommendations/{rec_id}']").count() == 1
    assert "1 with a programme" in page.locator("#coverage-summary").inner_text()
    page.wait_for_selector("#coverage-chart.vega-rendered", timeout=60000)
    assert page.locator("#coverage-chart svg, #coverage-chart canvas").count() >= 1
    assert errors == []
    context.close()

    admin = browser.new_context().new_page()
    _login(admin, server, "ad")
    admin.goto(f"{server}/audit?table=capacity_link")
    cells = admin.locator("tr", has_text=REASON).first.locator(":scope > td")
    actor, action = cells.nth(2).inner_text(), cells.nth(3).inner_text()
    assert (actor, action) == ("ed", "link")
    admin.close()
