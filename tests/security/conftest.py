"""Fixtures of the security tests: the seeded scenario on both stores, and one logged-in client
per role (plus an anonymous one) on the app built for it.

One client per role serves every request of a test: the matrix sends hundreds of requests, and
logging in (argon2id) per request would cost more than the requests themselves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from rightsdesk.core.config import Settings
from rightsdesk.monitoring.violations.access import Principal
from rightsdesk.web.app import create_app
from tests.conftest import login
from tests.security.scenario import Scenario, build_scenario
from tests.violations.conftest import ROLES

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Caller:
    """A client of one role (``role`` None: anonymous) with its session's CSRF token."""

    role: str | None
    client: TestClient
    who: Principal | None
    csrf: str = ""

    @property
    def name(self) -> str:
        return self.role or "anonymous"

    def api_headers(self) -> dict[str, str]:
        """Headers of a same-site API write with the session cookie."""
        return {"X-CSRF-Token": self.csrf} if self.csrf else {}


@dataclass
class Callers:
    """Every role's caller on one app, anonymous last."""

    app: FastAPI
    by_role: dict[str, Caller] = field(default_factory=dict)
    anonymous: Caller | None = None

    def all(self) -> list[Caller]:
        out = list(self.by_role.values())
        if self.anonymous is not None:
            out.append(self.anonymous)
        return out


def csrf_of(client: TestClient) -> str:
    """The CSRF token of the client's session, read from a page's logout form."""
    page = client.get("/")
    found = _CSRF.search(page.text)
    assert found, f"no CSRF token on the home page ({page.status_code})"
    return found.group(1)


def make_callers(scenario: Scenario) -> Callers:
    """Log in one client per role; the users are named after their role."""
    app = create_app(scenario.settings)
    callers = Callers(app)
    for role in ROLES:
        client = TestClient(app, raise_server_exceptions=False)  # a 500 is a finding, not a crash
        login(client, role)
        who = Principal(user_id=scenario.users[role], name=role, role=role)
        callers.by_role[role] = Caller(role, client, who, csrf_of(client))
    callers.anonymous = Caller(None, TestClient(app, raise_server_exceptions=False), None)
    return callers


def close_callers(callers: Callers) -> None:
    for caller in callers.all():
        caller.client.close()


@pytest.fixture
def scenario(settings: Settings) -> Scenario:
    """The scenario on SQLite and PostgreSQL."""
    return build_scenario(settings)


@pytest.fixture
def scenario_sqlite(sqlite_settings: Settings) -> Scenario:
    """The scenario on SQLite only (checks that do not depend on the store)."""
    return build_scenario(sqlite_settings)


@pytest.fixture
def callers(scenario: Scenario) -> Iterator[Callers]:
    made = make_callers(scenario)
    yield made
    close_callers(made)


@pytest.fixture
def callers_sqlite(scenario_sqlite: Scenario) -> Iterator[Callers]:
    made = make_callers(scenario_sqlite)
    yield made
    close_callers(made)
