"""Shared fixtures: the open data folder, a fresh store per test on SQLite and PostgreSQL,
users and an authenticated web client.

PostgreSQL tests run when RIGHTSDESK_TEST_POSTGRES_URL names a server the tests may create
databases on (``.ci/run`` starts one); otherwise they skip and say how to enable them.

With RIGHTSDESK_REQUIRE_ALL_TESTS=1 (``.ci/run`` sets it) every skip is a failure: a missing
PostgreSQL server, Chromium or data folder, any ``pytest.skip`` or ``skipif``, in a test or at
collection. Expected failures (``xfail``) stay as they are.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings, load_settings
from rightsdesk.core.db import dispose_engine, session_factory
from rightsdesk.core.scratch import scratch_database
from rightsdesk.store import init_store

ROOT = Path(__file__).resolve().parents[1]
PG_ENV = "RIGHTSDESK_TEST_POSTGRES_URL"
PG_HINT = (
    f"PostgreSQL tests skipped: set {PG_ENV}=postgresql+psycopg://USER:PASS@127.0.0.1:5432/DB "
    "(a role allowed to CREATE DATABASE; `bash .ci/run` sets one up)"
)
REQUIRE_ALL_ENV = "RIGHTSDESK_REQUIRE_ALL_TESTS"


def _require_all() -> bool:
    return os.environ.get(REQUIRE_ALL_ENV, "") not in ("", "0")


def _skip_to_failure(report: pytest.TestReport | pytest.CollectReport) -> None:
    if not (report.skipped and _require_all()) or hasattr(report, "wasxfail"):
        return
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    report.outcome = "failed"
    report.longrepr = f"{REQUIRE_ALL_ENV}=1 turns every skip into a failure. {reason}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    _skip_to_failure(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    report = yield
    _skip_to_failure(report)
    return report


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = Path(os.environ.get("RIGHTSDESK_SHARED_DATA", ROOT.parent / "shared" / "data"))
    if not path.is_dir():
        pytest.skip(f"open data folder {path} not found (set RIGHTSDESK_SHARED_DATA)")
    return path


def _pg_database(base_url: str) -> Iterator[str]:
    """A throwaway database on the test server, dropped afterwards."""
    with scratch_database(base_url, "rdtest") as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty store URL, once on SQLite and once on PostgreSQL (the same scenario on both)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
        yield url
        dispose_engine(url)
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(PG_HINT)
    yield from _pg_database(base)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    """An empty SQLite store, for tests that need not run on both backends."""
    url = f"sqlite:///{tmp_path / 'test.db'}"
    yield url
    dispose_engine(url)


TEST_SECRET = "test-secret-key-" + "x" * 32


@pytest.fixture(autouse=True)
def _test_secret(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Commands run by a test (``CliRunner``) use the key its stores were made with, and a
    data folder of the test's own: never the checkout's ``.rightsdesk/secret.key``."""
    monkeypatch.setenv("RIGHTSDESK_SECRET_KEY", TEST_SECRET)
    monkeypatch.setenv("RIGHTSDESK_DATA_DIR", str(tmp_path / "data"))


def make_settings(url: str, tmp_path: Path) -> Settings:
    return load_settings(database_url=url, data_dir=tmp_path / "data", secret_key=TEST_SECRET)


@pytest.fixture
def settings(store_url: str, tmp_path: Path) -> Settings:
    """Settings of an initialised store (states seeded), on both backends."""
    s = make_settings(store_url, tmp_path)
    init_store(s)
    return s


@pytest.fixture
def sqlite_settings(sqlite_url: str, tmp_path: Path) -> Settings:
    s = make_settings(sqlite_url, tmp_path)
    init_store(s)
    return s


@pytest.fixture
def session(settings: Settings) -> Iterator[Session]:
    s = session_factory(settings.database_url)()
    try:
        yield s
    finally:
        s.close()


PASSWORD = "correct horse battery"


def add_user(settings: Settings, name: str, role: str) -> None:
    from rightsdesk.core.db import session_scope
    from rightsdesk.core.security.users import create_user

    with session_scope(settings.database_url) as s:
        create_user(s, name, role, PASSWORD, actor="test")


def login(client: object, name: str) -> None:
    """Log a TestClient in through the real login form (CSRF token included)."""
    import re

    page = client.get("/login")  # type: ignore[attr-defined]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    resp = client.post(  # type: ignore[attr-defined]
        "/login",
        data={"csrf_token": token, "username": name, "password": PASSWORD, "next": "/"},
        follow_redirects=False,
    )
    assert resp.status_code == 303, resp.text


@pytest.fixture
def client_for(sqlite_settings: Settings):
    """A factory of logged-in TestClients, one per role, on a fresh SQLite store."""
    from fastapi.testclient import TestClient

    from rightsdesk.web.app import create_app

    app = create_app(sqlite_settings)
    made: list[TestClient] = []

    def make(role: str) -> TestClient:
        name = f"{role}-{len(made)}"
        add_user(sqlite_settings, name, role)
        client = TestClient(app)
        login(client, name)
        made.append(client)
        return client

    yield make
    for c in made:
        c.close()
