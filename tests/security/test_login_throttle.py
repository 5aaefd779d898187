"""Login rate limiting on the real login route (``POST /login``), as the house does it
(``core.security.users.authenticate``): after ``login_rate_limit`` failures in 15 minutes an
account is locked, even for the right password and from another address; after
``ADDRESS_FACTOR`` times as many failures from one address over any names (password spraying),
that address is refused. Each failure is audited with the name and address, never the password.
"""

from __future__ import annotations

import re
from dataclasses import replace

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.security.models import AuditEntry
from rightsdesk.core.security.users import ADDRESS_FACTOR
from rightsdesk.web.app import create_app
from tests.conftest import PASSWORD, add_user

GUESS = "Guessed-Password-123"
#: a low limit keeps the test short (each attempt costs an argon2id hash); the rule is the same
LIMIT = 2


def _client(app: FastAPI, address: str) -> tuple[TestClient, str]:
    client = TestClient(app, client=(address, 40000))
    page = client.get("/login").text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    return client, found.group(1)


def _try(client: TestClient, token: str, name: str, password: str) -> tuple[int, str]:
    resp = client.post(
        "/login",
        data={"csrf_token": token, "username": name, "password": password, "next": "/"},
        follow_redirects=False,
    )
    return resp.status_code, resp.text


def test_an_account_locks_after_repeated_failures(settings: Settings) -> None:
    settings = replace(settings, login_rate_limit=LIMIT)
    limit = LIMIT
    add_user(settings, "target", "editor")
    add_user(settings, "bystander", "viewer")
    app = create_app(settings)
    attacker, token = _client(app, "198.51.100.20")
    for _ in range(limit):
        status, text = _try(attacker, token, "target", GUESS)
        assert status == 401 and "wrong user name or password" in text
    # the right password no longer opens the account, from this address or another
    assert _try(attacker, token, "target", PASSWORD)[0] == 401
    owner, owner_token = _client(app, "203.0.113.5")
    status, text = _try(owner, owner_token, "target", PASSWORD)
    assert status == 401 and "locked" in text
    # other accounts are not affected by one account's lockout
    assert _try(attacker, token, "bystander", PASSWORD)[0] == 303
    with session_scope(settings.database_url) as s:
        failed = s.scalars(select(AuditEntry).where(AuditEntry.action == "login-failed")).all()
        assert len(failed) >= limit
        assert all(GUESS not in repr((e.before, e.after, e.note)) for e in failed)
        assert any(e.after and e.after.get("locked") for e in failed)


def test_an_address_is_refused_after_password_spraying(settings: Settings) -> None:
    settings = replace(settings, login_rate_limit=LIMIT)
    limit = LIMIT
    add_user(settings, "victim", "viewer")
    app = create_app(settings)
    sprayer, token = _client(app, "198.51.100.66")
    # as many failures as the address may have, each on a different name (no account locks)
    for i in range(ADDRESS_FACTOR * limit):
        assert _try(sprayer, token, f"guess-{i}", GUESS)[0] == 401
    status, text = _try(sprayer, token, "victim", PASSWORD)
    assert status == 401 and "address" in text
    # the account itself is not locked: its owner logs in from elsewhere
    owner, owner_token = _client(app, "203.0.113.77")
    assert _try(owner, owner_token, "victim", PASSWORD)[0] == 303
