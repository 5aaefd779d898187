"""The web core: login, CSRF, roles, rate limiting, state pages and API."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from rightsdesk.core.db import session_scope
from rightsdesk.core.security.users import issue_token
from rightsdesk.web.app import create_app
from tests.conftest import PASSWORD, add_user


def test_pages_need_login(sqlite_settings) -> None:
    client = TestClient(create_app(sqlite_settings))
    resp = client.get("/states", follow_redirects=False)
    assert resp.status_code == 303 and resp.headers["location"].startswith("/login")
    assert client.get("/api/v1/states").status_code == 401


def test_login_requires_csrf(sqlite_settings) -> None:
    add_user(sqlite_settings, "ana", "viewer")
    client = TestClient(create_app(sqlite_settings))
    client.get("/login")
    resp = client.post("/login", data={"username": "ana", "password": PASSWORD})
    assert resp.status_code == 403


def test_login_rate_limited(sqlite_settings) -> None:
    add_user(sqlite_settings, "bob", "viewer")
    client = TestClient(create_app(sqlite_settings))
    page = client.get("/login").text
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match is not None
    token = match.group(1)
    for _ in range(5):
        r = client.post("/login", data={"csrf_token": token, "username": "bob", "password": "x"})
        assert r.status_code == 401
    r = client.post("/login", data={"csrf_token": token, "username": "bob", "password": PASSWORD})
    assert r.status_code == 401 and "too many" in r.text


def test_session_cookie_flags(sqlite_settings) -> None:
    add_user(sqlite_settings, "cy", "viewer")
    client = TestClient(create_app(sqlite_settings))
    page = client.get("/login")
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie


def test_state_page_and_api(client_for) -> None:
    client = client_for("viewer")
    page = client.get("/states/NOR")
    assert page.status_code == 200 and "Norway" in page.text
    assert "Western European and Others Group" in page.text
    assert client.get("/states/Iran (Islamic Republic of)").status_code == 200
    assert client.get("/states/Narnia").status_code == 404
    data = client.get("/api/v1/states/NO").json()
    assert data["iso3"] == "NOR"
    assert any(g["code"] == "UN-WEOG" for g in data["groupings"])
    listing = client.get("/api/v1/states", params={"q": "korea"}).json()
    assert {s["iso3"] for s in listing} >= {"KOR", "PRK"}


def test_bearer_token(sqlite_settings) -> None:
    add_user(sqlite_settings, "api", "analyst")
    with session_scope(sqlite_settings.database_url) as s:
        token = issue_token(s, "api", actor="test")
    client = TestClient(create_app(sqlite_settings))
    ok = client.get("/api/v1/states/FRA", headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200
    bad = client.get("/api/v1/states/FRA", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401


def test_audit_page_admin_only(client_for) -> None:
    assert client_for("viewer").get("/audit").status_code == 403
    assert client_for("admin").get("/audit").status_code == 200


def test_audit_page_is_a_table_of_changes_with_filters_and_pages(
    client_for, sqlite_settings
) -> None:
    from rightsdesk.core.security import audit

    with session_scope(sqlite_settings.database_url) as s:
        for i in range(60):
            audit.record(
                s,
                "ed",
                "update",
                "implementation_record",
                i,
                {"status": "planned"},
                {"status": f"done {i}"},
            )
    admin = client_for("admin")
    page = admin.get("/audit", params={"actor": "ed"})
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page.text))
    assert "60 entries matching the filters" in text
    assert "status planned → done 59" in text and "implementation records" in text
    assert '{"status"' not in page.text  # no raw JSON
    assert 'rel="next"' in page.text and "actor=ed" in page.text and "page=2" in page.text
    second = admin.get("/audit", params={"actor": "ed", "page": 2})
    assert "done 9" in second.text and "done 59" not in second.text
    none = admin.get("/audit", params={"table": "dataset", "actor": "ed"})
    assert "No entry matches these filters" in none.text
    bad = admin.get("/audit", params={"since": "2026-13-01"})
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.text
