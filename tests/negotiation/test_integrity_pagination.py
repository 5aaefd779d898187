"""The vote-integrity lists page with the shared pagination macro: findings and corrections
each with their page size and total, the other list's page kept in every link (issue 10)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.negotiation.votes import integrity_routes
from rightsdesk.negotiation.votes.integrity import integrity_report
from rightsdesk.negotiation.votes.integrity_routes import page_of
from tests.conftest import add_user, login


def test_page_of() -> None:
    rows = list(range(7))
    assert page_of(rows, 1, 3) == {
        "rows": [0, 1, 2],
        "page": 1,
        "pages": 3,
        "total": 7,
        "per_page": 3,
    }
    assert page_of(rows, 3, 3)["rows"] == [6]
    assert page_of(rows, 99, 3)["page"] == 3  # past the end: the last page
    assert page_of([], 1, 3) == {"rows": [], "page": 1, "pages": 1, "total": 0, "per_page": 3}


@pytest.fixture(scope="module")
def analyst(hrc_store: Settings) -> Iterator[TestClient]:
    from rightsdesk.web.app import create_app

    add_user(hrc_store, "pages-analyst", "analyst")
    client = TestClient(create_app(hrc_store))
    login(client, "pages-analyst")
    yield client
    client.close()


def _pager(html: str, after: str) -> str:
    part = html[html.index(after) :]
    found = re.search(r'<nav class="pager" aria-label="Pages">.*?</nav>', part, re.S)
    assert found is not None
    return found.group(0)


def test_integrity_findings_are_paged(
    analyst: TestClient, hrc_store: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(integrity_routes, "PAGE_SIZE", 2)
    with session_scope(hrc_store.database_url) as s:
        total = len(integrity_report(s, "hrc"))
    assert total > 2
    pages = -(-total // 2)
    first = analyst.get("/votes/integrity", params={"body": "hrc"})
    assert first.status_code == 200
    shown = re.findall(r'<a href="/votes/\d+">', first.text.split('id="corrections-list"')[0])
    assert len(shown) == 2
    pager = _pager(first.text, 'id="integrity-list"')
    words = re.sub(r"<[^>]+>", "", pager)
    assert f"1–2 of {total} roll calls" in words and f"page 1 of {pages}" in words
    hrefs = re.findall(r'<a href="([^"]+)" rel="next"', pager)
    assert hrefs and "body=hrc" in hrefs[0] and "page=2" in hrefs[0]
    assert "corrections_page=1" in hrefs[0]  # the other list stays where it was
    last = analyst.get(
        "/votes/integrity", params={"body": "hrc", "page": pages, "corrections_page": 1}
    )
    rows = re.findall(r'<a href="/votes/\d+">', last.text.split('id="corrections-list"')[0])
    assert len(rows) == total - 2 * (pages - 1)
    assert f'aria-current="page">{pages}<' in last.text
    # the corrections list has its own pager with its total
    corrections = _pager(last.text, 'id="corrections-list"')
    assert "corrections" in re.sub(r"<[^>]+>", "", corrections)
    assert analyst.get("/votes/integrity", params={"page": 0}).status_code == 422
