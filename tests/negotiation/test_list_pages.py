"""Lists (issue 10): numbered pagination with totals, sessions shown for texts adopted without
a vote, dates that do not wrap; the shared pagination macro itself."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.importing import run_import
from rightsdesk.forms import get_importer
from rightsdesk.negotiation.votes.models import Resolution, RollCall

Client = Callable[[str], TestClient]
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "rightsdesk" / "web" / "templates"


def _macro(page: int, pages: int, total: int, href: object, **kw: object) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    template = env.from_string(
        '{% from "_pagination.html" import pagination %}'
        "{{ pagination(page, pages, total, href, **kw) }}"
    )
    return template.render(page=page, pages=pages, total=total, href=href, kw=kw)


def test_pagination_numbers_pages_around_the_current_one() -> None:
    html = _macro(5, 20, 688, "/votes?body=hrc", per_page=35, noun="resolutions")
    assert "141–175 of <strong>688</strong> resolutions · page 5 of 20" in html
    numbers = re.findall(r'page=(\d+)">(\d+)</a>', html)
    assert [int(n) for _href, n in numbers] == [1, 3, 4, 6, 7, 20]
    assert '<span class="current" aria-current="page">5</span>' in html
    assert html.count('<span class="gap">…</span>') == 2
    assert 'href="/votes?body=hrc&amp;page=4" rel="prev"' in html
    assert 'href="/votes?body=hrc&amp;page=6" rel="next"' in html
    # a callable builds the links, htmx attributes when asked; one page: the total only
    built = _macro(1, 2, 30, lambda page: f"/r?page={page}", hx_target="#results")
    assert 'href="/r?page=2" rel="next" hx-get="/r?page=2" hx-target="#results"' in built
    assert "rel=" not in _macro(1, 1, 3, "/x") and "<strong>3</strong> rows" in _macro(
        1, 1, 3, "/x"
    )
    assert "?page=2" in _macro(1, 2, 60, "/x")


@pytest.fixture
def hrc_votes(sqlite_settings: Settings, shared_data: Path) -> Settings:
    hrc = shared_data / "negotiation" / "hrc"
    with session_scope(sqlite_settings.database_url) as s:
        for kind, name in (("hrc-resolutions", "resolutions.csv"), ("hrc-votes", "votes_long.csv")):
            run_import(s, get_importer(kind), hrc / name, actor="test")
    return sqlite_settings


def test_votes_list_pages_and_sessions(client_for: Client, hrc_votes: Settings) -> None:
    with session_scope(hrc_votes.database_url) as s:
        no_vote = (
            select(Resolution)
            .outerjoin(RollCall, RollCall.resolution_id == Resolution.id)
            .where(Resolution.body == "hrc", RollCall.id.is_(None))
        )
        count_no_vote = s.scalar(select(func.count()).select_from(no_vote.subquery()))
        assert count_no_vote, "the HRC data has texts adopted without a vote"
    viewer = client_for("viewer")
    page = viewer.get("/votes", params={"body": "hrc", "page": 3})
    assert page.status_code == 200, page.text
    pager = page.text.split('<nav class="pager"')[1].split("</nav>")[0]
    assert re.search(r"101–150 of <strong>[\d,]+</strong>", pager)
    assert '<span class="current" aria-current="page">3</span>' in pager
    for n in (1, 2, 4):
        assert f'page={n}">{n}</a>' in pager
    assert 'rel="prev"' in pager and 'rel="next"' in pager
    table = page.text.split('id="votes-list"')[1].split("</table>")[0]
    rows = re.findall(r"<tr>\s*<td class=\"date\">[^<]*</td><td>[^<]*</td><td>([^<]*)</td>", table)
    assert len(rows) == 50
    assert all(cell.strip() for cell in rows)  # no blank session cell
    # a text adopted without a vote shows its session, not a blank
    unvoted = [
        r
        for r in re.findall(r"<tr>(.*?)</tr>", table, re.S)
        if "/votes/" not in r and "without" in r.lower()
    ]
    if unvoted:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", unvoted[0], re.S)
        assert cells[2].strip() not in ("", "—"), cells


def test_states_list_is_paged_with_a_total(client_for: Client) -> None:
    viewer = client_for("viewer")
    first = viewer.get("/states")
    assert first.status_code == 200
    total = re.search(r"1–100 of <strong>(\d+)</strong> states", first.text)
    assert total is not None and int(total.group(1)) > 190
    second = viewer.get("/states", params={"page": 2})
    codes = set(re.findall(r'<a href="/states/([A-Z]{3})"', first.text))
    later = set(re.findall(r'<a href="/states/([A-Z]{3})"', second.text))
    assert len(codes) == 100 and later and not codes & later
    assert '<span class="current" aria-current="page">2</span>' in second.text
    assert "page=1" in second.text and viewer.get("/states?page=x").status_code == 200
