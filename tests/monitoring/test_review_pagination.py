"""The review queue pages with the shared pagination macro (numbered pages, "1–2 of 5"),
keeping its filters in every link (issue 10, item 5)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.monitoring.classification import routes as review_routes
from rightsdesk.monitoring.classification.models import Suggestion
from rightsdesk.monitoring.recommendations.models import Recommendation


def _suggestions(settings: Settings, n: int) -> None:
    with session_scope(settings.database_url) as s:
        for i in range(n):
            rec = Recommendation(
                natural_key=f"{i:040d}",
                mechanism="UPR",
                text=f"Recommendation number {i} on the rights of the child",
                text_hash=f"{i:040d}",
                state_iso3="NOR",
                session=18,
            )
            s.add(rec)
            s.flush()
            s.add(
                Suggestion(
                    recommendation_id=rec.id,
                    kind="theme",
                    label="Children",
                    confidence=0.9 - i / 100,
                    model_version="test",
                )
            )


def test_review_queue_uses_the_pagination_macro(
    client_for: Any, sqlite_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(review_routes, "PAGE_SIZE", 2)
    _suggestions(sqlite_settings, 5)
    viewer = client_for("viewer")
    first = viewer.get("/review", params={"kind": "theme"}).text
    pager = re.search(r'<nav class="pager" aria-label="Pages">.*?</nav>', first, re.S)
    assert pager is not None
    text = re.sub(r"<[^>]+>", "", pager.group(0))
    assert "1–2 of 5 suggestions" in text and "page 1 of 3" in text
    links = dict(re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', pager.group(0)))
    last = next(href for href, label in links.items() if label == "3")
    assert "kind=theme" in last and "offset=4" in last  # the filter stays, page 3 = row 5
    assert first.count('<tr id="suggestion-') == 2
    third = viewer.get(last.replace("&amp;", "&")).text
    assert third.count('<tr id="suggestion-') == 1
    assert 'aria-current="page">3<' in third
    assert "5–5 of 5 suggestions" in re.sub(r"<[^>]+>", "", third)
