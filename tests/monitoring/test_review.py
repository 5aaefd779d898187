"""The review queue: suggestions become human labels only through an editor, with an audit entry.

The service runs on both stores; the pages and API on SQLite (the ``client_for`` fixture).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import ConflictError, InputError
from rightsdesk.core.security.models import AuditEntry
from rightsdesk.monitoring.classification.models import Suggestion
from rightsdesk.monitoring.classification.service import (
    QueueFilter,
    accept,
    generate,
    queue,
    reject,
    training_data,
)
from rightsdesk.monitoring.classification.training import fit
from rightsdesk.monitoring.recommendations.models import Recommendation, RecommendationTheme, Theme
from tests.monitoring.conftest import QUICK, read_rows, seed_store, spread, upr_file


def human_themes(session: Session, rec_id: int) -> dict[str, RecommendationTheme]:
    links = session.scalars(
        select(RecommendationTheme).where(RecommendationTheme.recommendation_id == rec_id)
    )
    return {link.theme.label: link for link in links if link.origin == "human"}


def audit_actions(session: Session) -> list[tuple[str, str, str | None]]:
    return [
        (e.actor, e.action, e.entity_id)
        for e in session.scalars(select(AuditEntry).where(AuditEntry.entity == "suggestion"))
    ]


def test_suggest_accept_reject_on_store(session: Session, shared_data: Path) -> None:
    rows = read_rows(upr_file(shared_data, "sessions-1-5.csv"))
    seed_store(session, spread(rows, 300))
    new_ids = seed_store(session, rows[-4:], labelled=False)
    data = training_data(session)
    assert len(data.texts) == 300  # unlabelled rows are not training data
    report = generate(session, fit(data, QUICK), actor="tester")
    assert report.recommendations == 4 and report.action_suggestions == 4
    assert generate(session, fit(data, QUICK), actor="tester").theme_suggestions == 0

    items, total = queue(session, QueueFilter(kind="theme"))
    assert total == report.theme_suggestions and {s.recommendation_id for s in items} <= set(
        new_ids
    )
    assert [s.confidence for s in items] == sorted((s.confidence for s in items), reverse=True)
    theme = items[0]
    accept(session, theme.id, "erin")
    links = human_themes(session, theme.recommendation_id)
    assert links[theme.label].reviewed_by == "erin" and links[theme.label].reviewed_at
    with pytest.raises(ConflictError):
        accept(session, theme.id, "erin")

    action = queue(session, QueueFilter(kind="action"))[0][0]
    accept(session, action.id, "erin")
    accepted = session.get(Recommendation, action.recommendation_id)
    assert accepted is not None and accepted.action_category == int(action.label)
    assert len(items) >= 4  # every recommendation gets at least one theme
    reject(session, items[1].id, "fred")
    rejected = session.get(Suggestion, items[1].id)
    assert rejected is not None and rejected.status == "rejected"
    assert items[1].label not in human_themes(session, items[1].recommendation_id)
    assert ("fred", "reject", str(items[1].id)) in audit_actions(session)
    assert ("erin", "accept", str(theme.id)) in audit_actions(session)
    assert ("erin", "accept", str(action.id)) in audit_actions(session)
    with pytest.raises(InputError):
        queue(session, QueueFilter(kind="colour"))


def make_suggestions(settings: Settings) -> dict[str, int]:
    """Two suggestions for one unlabelled recommendation, written directly (no model)."""
    with session_scope(settings.database_url) as s:
        rec = Recommendation(
            natural_key="k" * 40,
            mechanism="UPR",
            text="Ratify the Convention on the Rights of Persons with Disabilities",
            text_hash="h" * 40,
            state_iso3="NOR",
            session=18,
        )
        s.add(rec)
        s.flush()
        theme = Suggestion(
            recommendation_id=rec.id,
            kind="theme",
            label="Disabilities",
            confidence=0.93,
            model_version="test",
        )
        act = Suggestion(
            recommendation_id=rec.id, kind="action", label="5", confidence=0.71, model_version="t"
        )
        s.add_all([theme, act])
        s.flush()
        return {"rec": rec.id, "theme": theme.id, "action": act.id}


def csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match is not None
    return match.group(1)


def test_viewer_cannot_accept(client_for, sqlite_settings: Settings) -> None:
    ids = make_suggestions(sqlite_settings)
    viewer = client_for("viewer")
    page = viewer.get("/review")
    assert page.status_code == 200 and "Rights of Persons with Disabilities" in page.text
    assert "Accept" not in page.text
    # the page's CSRF token goes along, so what refuses is the role, not a missing token
    same_site = {"X-CSRF-Token": csrf(page.text)}
    refused = viewer.post(f"/api/v1/suggestions/{ids['theme']}/accept", headers=same_site)
    assert refused.status_code == 403 and "viewer" in refused.json()["message"]
    form = {"csrf_token": csrf(page.text), "back": "/review"}
    assert viewer.post(f"/review/{ids['theme']}/accept", data=form).status_code == 403
    with session_scope(sqlite_settings.database_url) as s:
        pending = s.get(Suggestion, ids["theme"])
        assert pending is not None and pending.status == "pending"
        assert human_themes(s, ids["rec"]) == {}
        assert audit_actions(s) == []
    listing = viewer.get("/api/v1/suggestions", params={"kind": "theme"}).json()
    assert listing["total"] == 1 and listing["items"][0]["label"] == "Disabilities"


def test_editor_accepts_through_page_and_api(client_for, sqlite_settings: Settings) -> None:
    ids = make_suggestions(sqlite_settings)
    editor = client_for("editor")
    page = editor.get("/review", params={"kind": "theme", "min_confidence": "0.9"})
    assert page.status_code == 200 and "Accept" in page.text and "93 %" in page.text
    no_token = editor.post(f"/review/{ids['theme']}/accept", data={"back": "/review"})
    assert no_token.status_code == 403
    resp = editor.post(
        f"/review/{ids['theme']}/accept",
        data={"csrf_token": csrf(page.text), "back": "/review?kind=theme"},
        follow_redirects=False,
    )
    assert resp.status_code == 303 and resp.headers["location"] == "/review?kind=theme"
    with session_scope(sqlite_settings.database_url) as s:
        link = human_themes(s, ids["rec"])["Disabilities"]
        assert link.reviewed_by == "editor-0" and link.reviewed_at is not None
        assert link.theme.taxonomy == "upr-info"
        assert ("editor-0", "accept", str(ids["theme"])) in audit_actions(s)
        assert s.scalars(select(Theme).where(Theme.label == "Disabilities")).one()

    # an API write with the session cookie must carry the page's CSRF token (X-CSRF-Token)
    same_site = {"X-CSRF-Token": csrf(page.text)}
    done = editor.post(f"/api/v1/suggestions/{ids['action']}/accept", headers=same_site)
    assert done.status_code == 200 and done.json()["status"] == "accepted"
    assert done.json()["reviewed_by"] == "editor-0"
    again = editor.post(f"/api/v1/suggestions/{ids['action']}/reject", headers=same_site)
    assert again.status_code == 409
    with session_scope(sqlite_settings.database_url) as s:
        rec = s.get(Recommendation, ids["rec"])
        assert rec is not None and rec.action_category == 5
    assert editor.get("/api/v1/suggestions").json()["total"] == 0
    assert editor.get("/api/v1/suggestions", params={"status": "accepted"}).json()["total"] == 2


def test_htmx_reject_returns_the_row(client_for, sqlite_settings: Settings) -> None:
    ids = make_suggestions(sqlite_settings)
    editor = client_for("editor")
    token = csrf(editor.get("/review").text)
    resp = editor.post(
        f"/review/{ids['action']}/reject",
        data={"csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert resp.status_code == 200
    assert f'id="suggestion-{ids["action"]}"' in resp.text and "rejected by editor-0" in resp.text
    assert "<html" not in resp.text
    with session_scope(sqlite_settings.database_url) as s:
        rec = s.get(Recommendation, ids["rec"])
        assert rec is not None and rec.action_category is None
    assert editor.get("/review", params={"min_confidence": "2"}).status_code == 400


def test_empty_queue_says_how_to_fill_it(client_for, sqlite_settings: Settings) -> None:
    viewer = client_for("viewer")
    page = viewer.get("/review").text
    assert "No suggestion matches these filters" not in page
    assert "rightsdesk monitoring train" in page and "rightsdesk monitoring suggest" in page
    assert 'action="/review/training"' not in page  # only admins start a run
    make_suggestions(sqlite_settings)
    filtered = viewer.get("/review", params={"kind": "theme", "min_confidence": "0.99"}).text
    assert "No suggestion matches these filters (2 pending in all)" in filtered


def test_decision_updates_the_count(client_for, sqlite_settings: Settings) -> None:
    ids = make_suggestions(sqlite_settings)
    editor = client_for("editor")
    page = editor.get("/review").text
    assert re.search(r'<small id="review-count">\s*2 pending suggestions', page)
    resp = editor.post(
        f"/review/{ids['theme']}/accept",
        data={"csrf_token": csrf(page), "back": "/review?kind="},
        headers={"HX-Request": "true"},
    )
    assert resp.status_code == 200
    assert '<small id="review-count" hx-swap-oob="true">1 pending suggestion</small>' in resp.text
    resp = editor.post(
        f"/review/{ids['action']}/reject",
        data={"csrf_token": csrf(page), "back": "/review?kind=action"},
        headers={"HX-Request": "true"},
    )
    assert '<small id="review-count" hx-swap-oob="true">0 pending suggestions</small>' in resp.text
    assert "5 — specific action" in resp.text


def test_admin_trains_and_suggests_from_the_page(
    client_for, sqlite_settings: Settings, shared_data: Path
) -> None:
    """An admin starts training and suggestion (CSRF-checked, audited); it runs in the
    background while the page shows progress; the queue then holds the suggestions."""
    import time

    from rightsdesk.monitoring.classification.jobs import job_status

    rows = read_rows(upr_file(shared_data, "sessions-1-5.csv"))
    with session_scope(sqlite_settings.database_url) as s:
        seed_store(s, spread(rows, 250))
        new_ids = seed_store(s, rows[-3:], labelled=False)
    editor, admin = client_for("editor"), client_for("admin")
    token = csrf(admin.get("/review").text)
    assert 'action="/review/training"' in admin.get("/review").text
    assert editor.post("/review/training", data={"csrf_token": token}).status_code == 403
    assert admin.post("/review/training", data={}).status_code == 403  # no CSRF token
    resp = admin.post("/review/training", data={"csrf_token": token}, follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"] == "/review#training"
    progress = admin.get("/review/training").text
    assert 'id="training-status"' in progress
    deadline = time.monotonic() + 240
    while job_status(sqlite_settings.data_dir).state == "running":
        page = admin.get("/review/training").text
        # a page drawn while the job runs polls; the job may finish between the two reads
        finished = job_status(sqlite_settings.data_dir).state != "running"
        assert 'hx-trigger="every 2s"' in page or finished
        assert time.monotonic() < deadline, "training did not finish"
        time.sleep(0.5)
    status = job_status(sqlite_settings.data_dir)
    assert status.state == "done", status.message
    assert status.action_suggestions == 3 and status.actor.startswith("admin")
    done = admin.get("/review/training").text
    assert "hx-trigger" not in done and "3 action suggestions" in done
    queue_page = admin.get("/review", params={"kind": "action"}).text
    assert "3 pending suggestions" in queue_page
    with session_scope(sqlite_settings.database_url) as s:
        entries = s.scalars(
            select(AuditEntry).where(AuditEntry.entity.in_(("classification-model", "suggestion")))
        ).all()
        assert [e.action for e in entries] == ["start-training", "train", "suggest"]
        assert {e.actor for e in entries} == {status.actor}
        assert {x.recommendation_id for x in s.scalars(select(Suggestion))} == set(new_ids)
