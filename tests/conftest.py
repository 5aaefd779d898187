"""Shared fixtures: the open data folder, a fresh store per test on SQLite and PostgreSQL,
users and an authenticated web client.

A module whose tests all start from the same imported data declares a ``store_template``
fixture, ``(name, build)``: its tests' ``settings`` stores are then copies of that template,
built once per test process and backend by ``build`` (tests/store_templates.py), instead of
each test importing the data again.

PostgreSQL tests run when RIGHTSDESK_TEST_POSTGRES_URL names a server the tests may create
databases on (``.ci/run`` starts one); otherwise they skip and say how to enable them.

With RIGHTSDESK_REQUIRE_ALL_TESTS=1 (``.ci/run`` sets it) every skip is a failure: a missing
PostgreSQL server, Chromium or data folder, any ``pytest.skip`` or ``skipif``, in a test or at
collection. Expected failures (``xfail``) stay as they are.
"""

from __future__ import annotations

import os
import uuid
from collections import Counter
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings, load_settings
from rightsdesk.core.db import dispose_engine, session_factory
from rightsdesk.store import init_store
from tests.store_templates import INIT, Build, StoreTemplates, pg_create, pg_drop, ready

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


#: Test files that take minutes, longest first, run before all others. ``--dist loadfile``
#: hands each file whole to a worker, in the order of the queue, to whichever worker is free;
#: a long file handed out late runs alone at the end while the other worker idles. Started
#: first, the short files fill in beside it. Measured with ``--durations`` (the e2e files
#: with Chromium, in CI).
SLOW_FIRST = (
    "tests/negotiation/test_votes_unvotes.py",
    "tests/e2e/test_walk.py",
    "tests/core/test_api_fuzz.py",
    "tests/negotiation/test_backtest.py",
    "tests/e2e/test_browser.py",
    "tests/capacity/test_iati_export.py",
    "tests/negotiation/test_forecast.py",
    "tests/negotiation/test_votes_import.py",
    "tests/negotiation/test_vote_corrections.py",
    "tests/negotiation/test_votes_show.py",
    "tests/negotiation/test_forecast_persisted.py",
    "tests/e2e/test_capacity_links.py",
    "tests/interventions/events/test_spark.py",
    "tests/negotiation/test_votes_web.py",
    "tests/negotiation/test_ideal_points.py",
)


def pytest_configure(config: pytest.Config) -> None:
    """Keep the order ``pytest_collection_modifyitems`` makes. pytest-xdist (3.6 and later)
    otherwise re-sorts the files of ``--dist loadfile`` by their number of tests, which sends
    the long files with few tests (the API fuzz, the backtest, the browser tests) last, where
    they run alone at the end while the other worker idles."""
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files of ``SLOW_FIRST`` first, in its order; then the other files, those with the
    most tests (a fair guess at the longest) first. A stable sort: the order of the tests
    within a file, and of files of the same size, stays as collected."""
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    files = Counter(item.nodeid.split("::")[0] for item in items)

    def key(item: pytest.Item) -> tuple[int, int]:
        name = item.nodeid.split("::")[0]
        return rank.get(name, len(rank)), -files[name] if name not in rank else 0

    items.sort(key=key)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = Path(os.environ.get("RIGHTSDESK_SHARED_DATA", ROOT.parent / "shared" / "data"))
    if not path.is_dir():
        pytest.skip(f"open data folder {path} not found (set RIGHTSDESK_SHARED_DATA)")
    return path


TEST_SECRET = "test-secret-key-" + "x" * 32

#: the stores made as copies of the initialised template (``settings`` skips ``init_store``)
_INITIALISED: set[str] = set()


@pytest.fixture(scope="session")
def store_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreTemplates]:
    """This test process's template stores (tests/store_templates.py): the initialised empty
    store on each backend, and whatever data fixtures import more than once."""
    templates = StoreTemplates(tmp_path_factory.mktemp("templates"), TEST_SECRET)
    yield templates
    templates.close()


#: what a module's ``store_template`` fixture returns: a template's name and how to build it
#: (``(INIT, None)``: the initialised store, as without the fixture)
StoreTemplate = tuple[str, Build | None]


def _template(request: pytest.FixtureRequest) -> tuple[str, Build | None]:
    """The template the test's stores start from: the initialised store, or what the test's
    ``store_template`` fixture names (data imported once per test process, not per test)."""
    if "store_template" not in request.fixturenames:
        return INIT, None
    template: StoreTemplate = request.getfixturevalue("store_template")
    return template


def _sqlite_store(
    request: pytest.FixtureRequest, tmp_path: Path, templates: StoreTemplates, user: str
) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'test.db'}"
    if user in request.fixturenames:  # the test will ask for it initialised: copy the template
        templates.create(url, *_template(request))
        _INITIALISED.add(url)
    yield url
    _INITIALISED.discard(url)
    dispose_engine(url)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(
    request: pytest.FixtureRequest, tmp_path: Path, store_templates: StoreTemplates
) -> Iterator[str]:
    """An empty store URL, once on SQLite and once on PostgreSQL (the same scenario on both).
    Where the test also asks for ``settings``, the store is already a copy of the initialised
    template (or of the module's ``store_template``), which ``settings`` then only opens."""
    if request.param == "sqlite":
        yield from _sqlite_store(request, tmp_path, store_templates, "settings")
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(PG_HINT)
    url = make_url(base).set(database=f"rdtest_{uuid.uuid4().hex[:12]}")
    url_text = url.render_as_string(hide_password=False)
    if "settings" in request.fixturenames:
        store_templates.create(url_text, *_template(request))
        _INITIALISED.add(url_text)
    else:
        pg_create(base, str(url.database))
    try:
        yield url_text
    finally:
        _INITIALISED.discard(url_text)
        pg_drop(url_text)


@pytest.fixture
def sqlite_url(
    request: pytest.FixtureRequest, tmp_path: Path, store_templates: StoreTemplates
) -> Iterator[str]:
    """An empty SQLite store, for tests that need not run on both backends."""
    yield from _sqlite_store(request, tmp_path, store_templates, "sqlite_settings")


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
    if store_url in _INITIALISED:
        ready(s)
    else:
        init_store(s)
    return s


@pytest.fixture
def sqlite_settings(sqlite_url: str, tmp_path: Path) -> Settings:
    s = make_settings(sqlite_url, tmp_path)
    if sqlite_url in _INITIALISED:
        ready(s)
    else:
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
