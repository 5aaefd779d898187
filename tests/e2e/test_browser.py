"""In real headless Chromium: log in, open a state page, see its treaty table."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ADMIN_PASSWORD

pytestmark = pytest.mark.e2e


def _login(page, server: str) -> None:
    page.goto(server + "/states/NOR")
    assert "/login" in page.url  # pages need a session
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(server + "/states/NOR")


def test_login_state_page_treaty_table(server: str, browser) -> None:
    page = browser.new_page()
    _login(page, server)
    assert page.locator("h1").inner_text().startswith("Norway")
    table = page.locator("table#state-treaties")
    assert table.is_visible()
    row = table.locator("tr", has_text="ICCPR").first
    assert "1972-09-13" in row.inner_text()
    page.close()


def test_wrong_password_is_refused(server: str, browser) -> None:
    page = browser.new_page()
    page.goto(server + "/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "not the password")
    page.click("button[type=submit]")
    assert page.locator(".error").is_visible()
    page.close()


def test_states_search_and_treaties_page(server: str, browser) -> None:
    page = browser.new_page()
    _login(page, server)
    page.goto(server + "/states?q=korea")
    assert page.locator("#state-list a[href='/states/KOR']").count() == 1
    assert page.locator("#state-list a[href='/states/PRK']").count() == 1
    page.goto(server + "/treaties")
    assert page.locator("table").first.is_visible()
    page.close()


def test_treaty_world_map_renders(server: str, browser) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    _login(page, server)
    page.goto(server + "/treaties")
    page.wait_for_selector("#treaty-map.vega-rendered", timeout=20000)
    assert page.locator("#treaty-map svg, #treaty-map canvas").count() >= 1
    page.screenshot(path=str(server_shot_path()), full_page=False)
    assert errors == []
    page.close()


def server_shot_path():
    import os
    import tempfile
    from pathlib import Path

    return Path(os.environ.get("RIGHTSDESK_SCREENSHOTS", tempfile.gettempdir())) / "treaties.png"
