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


_STICKY = """() => {
  const box = document.querySelector('.table-scroll');
  box.scrollIntoView();
  box.scrollTop = 1500; box.scrollLeft = 300;
  const b = box.getBoundingClientRect();
  const th = document.querySelector('#treaty-matrix thead th:nth-child(6)').getBoundingClientRect();
  const row = document.querySelectorAll('#treaty-matrix tbody tr')[80];
  const first = row.querySelector('td').getBoundingClientRect();
  const hit = document.elementFromPoint(first.left + 5, first.top + first.height / 2);
  return {boxTop: b.top, thTop: th.top, boxLeft: b.left, firstLeft: first.left,
          scrolledDown: box.scrollTop, scrolledRight: box.scrollLeft,
          firstOnTop: row.querySelector('td').contains(hit)};
}"""


def test_matrix_header_and_first_column_stay_in_view(server: str, browser) -> None:
    """Issue 10: the treaty matrix (18 instruments, ~200 states) keeps its header row and the
    state names in view while one scrolls down and right."""
    page = browser.new_page(viewport={"width": 700, "height": 700})
    _login(page, server)
    page.goto(server + "/treaties")
    at = page.evaluate(_STICKY)
    assert at["scrolledDown"] > 1000 and at["scrolledRight"] > 0, at  # it did scroll
    assert abs(at["thTop"] - at["boxTop"]) <= 2, at  # header row at the top of the box
    assert abs(at["firstLeft"] - at["boxLeft"]) <= 2, at  # state names at its left edge
    assert at["firstOnTop"], at  # and drawn above the cells scrolled under them
    page.close()


def test_long_table_header_sticks_to_the_window(server: str, browser) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    _login(page, server)
    page.goto(server + "/treaties/ICCPR")
    table = page.locator("table#instrument-parties")
    assert table.locator("tbody tr").count() > 100
    top = page.evaluate(
        """() => {
          const t = document.querySelector('table#instrument-parties');
          window.scrollTo(0, t.getBoundingClientRect().top + window.scrollY + 1500);
          return [window.scrollY, t.querySelector('thead th').getBoundingClientRect().top];
        }"""
    )
    assert top[0] > 1000 and abs(top[1]) <= 1, top
    page.close()


def _walk_login(page, url: str, role: str = "viewer") -> None:
    from tests.e2e.conftest import WALK_PASSWORD

    page.goto(url + "/login")
    page.fill("input[name=username]", role)
    page.fill("input[name=password]", WALK_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_positions_chart_with_group_and_table_toggle(walk_server: str, browser) -> None:
    """Issue 10: /positions is a chart (not a 14,500-pixel table) with a state and group
    picker; the table is behind a toggle."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    _walk_login(page, walk_server)
    page.goto(walk_server + "/positions?body=hrc&group=UN-GRULAC", timeout=120000)
    page.wait_for_selector("#positions-chart.vega-rendered", timeout=60000)
    assert page.locator("#positions-chart svg, #positions-chart canvas").count() >= 1
    assert page.locator("#positions-groups option:checked").inner_text().strip()
    table = page.locator("table#positions")
    assert not table.is_visible()  # behind the toggle
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height < 3000, height
    page.click("#positions-table summary")
    assert table.is_visible() and table.locator("tbody tr").count() > 10
    assert errors == []
    page.close()


def test_facet_filter_box_and_show_all(walk_server: str, browser) -> None:
    """Issue 10: a long facet has a filter box and "show all" instead of "… N more"."""
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    _walk_login(page, walk_server)
    page.goto(walk_server + "/recommendations")
    facet = page.locator("#facet-state")
    if facet.get_attribute("open") is None:
        facet.locator("summary").click()
    visible = facet.locator("li:visible:not(.more):not(.none)")
    assert visible.count() == 25
    box = facet.locator("input.facet-filter")
    assert box.is_visible()
    box.fill("slove")
    page.wait_for_timeout(100)
    assert visible.count() == 1 and "Slovenia" in visible.first.inner_text()
    box.fill("")
    facet.locator("a[data-facet-all]").click()
    assert visible.count() > 25
    assert "/recommendations" in page.url and "all=" not in page.url  # opened in place
    page.close()
