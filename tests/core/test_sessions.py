"""Server-side sessions, API tokens and CSRF on the JSON API (issue 9, items 5 and 6).

A cookie carries only a session id; the session ends at logout, on a password change or
deactivation, after the idle timeout and 8 hours after login. Tokens expire, are listed and
revoked by id. Cookie-authenticated API writes need the CSRF header and a same-site Origin.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import insert, select, update
from typer.testing import CliRunner

from rightsdesk.cli import app as cli_app
from rightsdesk.core.db import Base, session_scope, utcnow
from rightsdesk.core.security.models import ApiToken, AuditEntry, UserSession
from rightsdesk.core.security.users import create_token, set_active, set_password
from rightsdesk.forms import load_models
from rightsdesk.web.app import create_app
from tests.conftest import PASSWORD, add_user, login

runner = CliRunner()
COOKIE = "rightsdesk_session"


def _client(settings: Any, name: str, role: str = "viewer") -> TestClient:
    add_user(settings, name, role)
    client = TestClient(create_app(settings))
    login(client, name)
    return client


def _csrf(client: TestClient) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/states").text)
    assert match is not None
    return match.group(1)


def _logged_in(client: TestClient) -> bool:
    response = client.get("/states", follow_redirects=False)
    assert response.status_code in (200, 303)
    return bool(response.status_code == 200)


def _sessions(url: str) -> list[UserSession]:
    with session_scope(url) as s:
        return list(s.scalars(select(UserSession)))


# --- sessions ------------------------------------------------------------------------------


def test_the_cookie_carries_only_a_session_id(sqlite_settings: Any) -> None:
    client = _client(sqlite_settings, "ana")
    payload = client.cookies[COOKIE].split(".")[0]
    data = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    assert list(data) == ["sid"]
    (row,) = _sessions(sqlite_settings.database_url)
    assert row.id != data["sid"] and len(row.id) == 64  # the table keeps only its hash


def test_a_cookie_replayed_after_logout_is_refused(sqlite_settings: Any) -> None:
    client = _client(sqlite_settings, "bo")
    stolen = client.cookies[COOKIE]
    assert _logged_in(client)
    out = client.post("/logout", data={"csrf_token": _csrf(client)}, follow_redirects=False)
    assert out.status_code == 303
    replay = TestClient(create_app(sqlite_settings), cookies={COOKIE: stolen})
    assert not _logged_in(replay)
    assert replay.get("/api/v1/states").status_code == 401
    (row,) = _sessions(sqlite_settings.database_url)
    assert row.revoked
    with session_scope(sqlite_settings.database_url) as s:
        actions = [e.action for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[-2:] == ["login", "logout"]


def test_a_password_change_ends_every_session(sqlite_settings: Any) -> None:
    first = _client(sqlite_settings, "cy")
    second = TestClient(create_app(sqlite_settings))
    login(second, "cy")
    assert _logged_in(first) and _logged_in(second)
    with session_scope(sqlite_settings.database_url) as s:
        set_password(s, "cy", "a brand new password", actor="test")
    assert not _logged_in(first) and not _logged_in(second)


def test_deactivation_ends_sessions_and_tokens(sqlite_settings: Any) -> None:
    client = _client(sqlite_settings, "di", "analyst")
    with session_scope(sqlite_settings.database_url) as s:
        _row, token = create_token(s, "di", actor="test")
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/states/FRA", headers=bearer).status_code == 200
    with session_scope(sqlite_settings.database_url) as s:
        set_active(s, "di", False, actor="test")
    assert not _logged_in(client)
    assert client.get("/api/v1/states/FRA", headers=bearer).status_code == 401


@pytest.mark.parametrize(
    ("created_ago", "seen_ago", "valid"),
    [
        (timedelta(minutes=40), timedelta(minutes=29), True),
        (timedelta(minutes=40), timedelta(minutes=31), False),  # idle timeout (30 min default)
        (timedelta(hours=8, minutes=1), timedelta(seconds=5), False),  # absolute maximum
    ],
)
def test_idle_and_absolute_timeouts(
    sqlite_settings: Any, created_ago: timedelta, seen_ago: timedelta, valid: bool
) -> None:
    client = _client(sqlite_settings, "ed")
    now = utcnow()
    with session_scope(sqlite_settings.database_url) as s:
        s.execute(
            update(UserSession).values(created_at=now - created_ago, last_seen=now - seen_ago)
        )
    assert _logged_in(client) is valid


def test_idle_timeout_is_a_setting(sqlite_settings: Any) -> None:
    from dataclasses import replace

    settings = replace(sqlite_settings, session_idle_minutes=5)
    add_user(settings, "fi", "viewer")
    client = TestClient(create_app(settings))
    login(client, "fi")
    with session_scope(settings.database_url) as s:
        s.execute(update(UserSession).values(last_seen=utcnow() - timedelta(minutes=6)))
    assert not _logged_in(client)


def test_use_refreshes_last_seen(sqlite_settings: Any) -> None:
    client = _client(sqlite_settings, "gil")
    old = utcnow() - timedelta(minutes=20)
    with session_scope(sqlite_settings.database_url) as s:
        s.execute(update(UserSession).values(last_seen=old))
    assert _logged_in(client)
    (row,) = _sessions(sqlite_settings.database_url)
    seen = row.last_seen if row.last_seen.tzinfo else row.last_seen.replace(tzinfo=old.tzinfo)
    assert utcnow() - seen < timedelta(minutes=1)


# --- tokens --------------------------------------------------------------------------------


def test_tokens_expire_and_record_their_use(settings: Any) -> None:
    add_user(settings, "hu", "analyst")
    with session_scope(settings.database_url) as s:
        row, token = create_token(s, "hu", actor="test", expires_days=7)
        token_id = row.id
    client = TestClient(create_app(settings))
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/states/FRA", headers=bearer).status_code == 200
    with session_scope(settings.database_url) as s:
        used = s.get(ApiToken, token_id)
        assert used is not None and used.last_used_at is not None and used.expires_at
        s.execute(
            update(ApiToken)
            .where(ApiToken.id == token_id)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    expired = client.get("/api/v1/states/FRA", headers=bearer)
    assert expired.status_code == 401 and "expired" in expired.json()["message"]


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("RIGHTSDESK_DATA_DIR", str(tmp_path / "data"))
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert runner.invoke(cli_app, ["--database", url, "init"]).exit_code == 0
    added = runner.invoke(
        cli_app,
        ["--database", url, "users", "add", "ivo", "--role", "analyst"],
        input=PASSWORD + "\n",
    )
    assert added.exit_code == 0, added.output
    return url


def _cli(url: str, *args: str) -> Any:
    return runner.invoke(cli_app, ["--database", url, *args])


def test_tokens_are_listed_and_revoked_by_id(cli_db: str, tmp_path: Path) -> None:
    first = _cli(cli_db, "users", "token", "ivo", "--expires-days", "30")
    second = _cli(cli_db, "users", "token", "IVO")
    assert first.exit_code == 0 and second.exit_code == 0
    token = second.stdout.strip()
    assert token.startswith("rd_") and "\n" not in token
    assert _cli(cli_db, "users", "token", "ivo", "--expires-days", "0").exit_code == 65

    listing = _cli(cli_db, "users", "tokens", "ivo", "--format", "json")
    assert listing.exit_code == 0, listing.output
    rows = json.loads(listing.stdout)
    assert [r["id"] for r in rows] == [1, 2]
    assert set(rows[0]) >= {"id", "created", "expires", "last_used", "revoked"}
    assert rows[0]["expires"] and rows[1]["expires"] is None
    assert not rows[0]["revoked"] and rows[0]["last_used"] is None

    from rightsdesk.core.config import load_settings

    settings = load_settings(database_url=cli_db)
    client = TestClient(create_app(settings))
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/states/FRA", headers=bearer).status_code == 200
    rows = json.loads(_cli(cli_db, "users", "tokens", "ivo", "--format", "json").stdout)
    assert rows[1]["last_used"] is not None

    revoked = _cli(cli_db, "users", "revoke", "2")
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    assert client.get("/api/v1/states/FRA", headers=bearer).status_code == 401
    rows = json.loads(_cli(cli_db, "users", "tokens", "ivo", "--format", "json").stdout)
    assert [r["revoked"] for r in rows] == [False, True]
    assert _cli(cli_db, "users", "revoke", "99").exit_code == 66
    assert _cli(cli_db, "users", "tokens", "nobody").exit_code == 66

    with session_scope(cli_db) as s:
        trail = [(e.action, e.after) for e in s.scalars(select(AuditEntry))]
    assert ("revoke-token", {"token_id": 2}) in trail
    assert [a for a, _ in trail].count("issue-token") == 2


# --- CSRF on the JSON API ------------------------------------------------------------------


def _suggestions(url: str, n: int) -> list[int]:
    """Recommendations with a pending suggestion each, written straight to the tables."""
    load_models()
    tables = Base.metadata.tables
    ids = []
    with session_scope(url) as s:
        for i in range(n):
            rec = s.execute(
                insert(tables["recommendation"]).returning(tables["recommendation"].c.id),
                {
                    "natural_key": f"csrf-test-{i}",
                    "mechanism": "UPR",
                    "text": "Ratify the Convention against Torture",
                    "text_hash": f"{i:040d}",
                    "state_iso3": "FRA",
                },
            ).scalar_one()
            ids.append(
                s.execute(
                    insert(tables["suggestion"]).returning(tables["suggestion"].c.id),
                    {
                        "recommendation_id": rec,
                        "kind": "theme",
                        "label": "Torture",
                        "confidence": 0.9,
                        "model_version": "t1",
                    },
                ).scalar_one()
            )
    return ids


def test_cookie_api_writes_need_the_csrf_header(sqlite_settings: Any) -> None:
    editor = _client(sqlite_settings, "jan", "editor")
    first, second, third = _suggestions(sqlite_settings.database_url, 3)
    token = _csrf(editor)

    bare = editor.post(f"/api/v1/suggestions/{first}/accept")
    assert bare.status_code == 403 and "X-CSRF-Token" in bare.json()["message"]
    wrong = editor.post(f"/api/v1/suggestions/{first}/accept", headers={"X-CSRF-Token": "x"})
    assert wrong.status_code == 403
    foreign = editor.post(
        f"/api/v1/suggestions/{first}/accept",
        headers={"X-CSRF-Token": token, "Origin": "https://evil.example"},
    )
    assert foreign.status_code == 403 and "Origin" in foreign.json()["message"]

    same_site = {"X-CSRF-Token": token, "Origin": "http://testserver"}
    ok = editor.post(f"/api/v1/suggestions/{first}/accept", headers=same_site)
    assert ok.status_code == 200, ok.text
    ok = editor.post(f"/api/v1/suggestions/{second}/reject", headers={"X-CSRF-Token": token})
    assert ok.status_code == 200, ok.text

    # an API token is not sent by browsers on their own: no CSRF header needed
    with session_scope(sqlite_settings.database_url) as s:
        _row, api_token = create_token(s, "jan", actor="test")
    script = TestClient(create_app(sqlite_settings))
    by_token = script.post(
        f"/api/v1/suggestions/{third}/accept", headers={"Authorization": f"Bearer {api_token}"}
    )
    assert by_token.status_code == 200, by_token.text
    # reading with the cookie needs nothing more
    assert editor.get("/api/v1/suggestions").status_code == 200


def _all_routes(app: Any) -> list[tuple[str, set[str]]]:
    """(path, methods) of every route, through included routers (FastAPI 0.165 keeps them as
    ``_IncludedRouter`` entries in ``app.routes``)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI: app.routes is flat
        return [(r.path, set(r.methods or ())) for r in app.routes if isinstance(r, APIRoute)]
    return [
        (str(ctx.path), set(ctx.methods or ()))
        for ctx in iter_route_contexts(app.routes)
        if isinstance(ctx.original_route, APIRoute) and ctx.path
    ]


def test_every_api_write_refuses_a_cookie_without_the_header(sqlite_settings: Any) -> None:
    """Walks the app: each unsafe API route answers 403 to a bare cookie, before anything."""
    admin = _client(sqlite_settings, "kai", "admin")
    app = create_app(sqlite_settings)
    writes = [
        (method, path)
        for path, methods in _all_routes(app)
        if path.startswith("/api/")
        for method in sorted(methods & {"POST", "PUT", "PATCH", "DELETE"})
    ]
    assert writes, "no API write routes found"
    for method, path in writes:
        url = re.sub(r"\{[^}]+\}", "1", path)
        response = admin.request(method, url, json={})
        assert response.status_code == 403, (method, path, response.status_code)
