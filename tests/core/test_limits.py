"""Bounded input (issue 9, item 1): a long or odd state name is refused before any resolver
runs, on every path (API, pages, CLI, importers); request bodies and query values have size
limits; and every parameter of every route answers a 100 kB value with a fast 4xx."""

from __future__ import annotations

import asyncio
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rightsdesk.core import resolver, states
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError, UnknownStateError
from rightsdesk.core.importing import resolve_or_fail
from rightsdesk.core.limits import (
    MAX_BODY,
    MAX_NAME,
    MAX_PARAM,
    StateNameError,
    check_name,
    safe_cache_name,
    unanchored,
)
from rightsdesk.core.security.users import create_user, issue_token
from rightsdesk.web.app import create_app

HUGE = 100_000
LONG_NAMES = ["x" * HUGE, "Norway " * (HUGE // 7), "(" * HUGE, "republic of the " * 6000]


@pytest.fixture
def no_matching(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if the regular expressions or the fuzzy matcher run at all."""

    def boom(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError("the resolver ran on a refused name")

    states.get_resolver()  # built before the guards go in
    monkeypatch.setattr(resolver, "_regex_lookup", boom)
    monkeypatch.setattr(states.Resolver, "candidates", boom)


# --- the resolver ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", LONG_NAMES, ids=["x", "norway", "parens", "republic"])
def test_long_name_is_refused_before_any_matching(name: str, no_matching: None) -> None:
    started = time.perf_counter()
    with pytest.raises(StateNameError) as caught:
        states.resolve_state(name)
    assert time.perf_counter() - started < 0.1  # before: 20 kB took minutes
    err = caught.value
    assert isinstance(err, UnknownStateError)  # what callers already catch
    assert err.http_status == 422 and err.exit_code == 65
    assert f"longer than {MAX_NAME} characters" in err.message
    assert len(err.message) < 200  # the message does not repeat the input
    with pytest.raises(StateNameError):
        states.get_resolver().resolve(name)
    assert states.lookup_state(name) is None  # the lenient form says "no state", also fast


@pytest.mark.parametrize("name", ["Nor\x00way", "Norway\x1b[31m", "Fr\nance", "\ud800"])
def test_control_characters_are_refused(name: str, no_matching: None) -> None:
    with pytest.raises(StateNameError, match="control characters"):
        states.resolve_state(name)
    assert states.lookup_state(name) is None


def test_names_at_the_limit_still_resolve() -> None:
    assert states.resolve_state(" Norway\n") == "NOR"  # surrounding white space is fine
    assert states.resolve_state("Iran (Islamic Republic of)") == "IRN"
    with pytest.raises(UnknownStateError) as caught:
        states.resolve_state("x" * MAX_NAME)  # allowed length, no such state: 404 as before
    assert not isinstance(caught.value, StateNameError)
    assert caught.value.http_status == 404


def test_get_state_refuses_first(session, no_matching: None) -> None:
    with pytest.raises(StateNameError):
        states.get_state(session, "y" * HUGE)


def test_importers_report_the_file_and_line(no_matching: None) -> None:
    with pytest.raises(InputError) as caught:
        resolve_or_fail("z" * HUGE, Path("votes.csv"), 7, "country")
    assert caught.value.location.line == 7 and "longer than" in caught.value.message


def test_the_worst_name_under_the_limit_is_cheap() -> None:
    """Within the limit the cost is bounded too: the regular expressions that began with
    ``.*`` (quadratic under ``search``) are run without it."""
    states.resolve_state("Norway")
    states.lookup_state("warm up the regular expressions")
    worst = 0.0
    for text in ["x" * MAX_NAME, "a " * (MAX_NAME // 2), "italy " * 33, "(" * MAX_NAME]:
        started = time.perf_counter()
        states.lookup_state(text[:MAX_NAME])
        worst = max(worst, time.perf_counter() - started)
    assert worst < 0.5


def test_unanchored_patterns_find_the_same_states() -> None:
    assert unanchored(".*italy|.*italia.*") == "italy|italia.*"
    assert unanchored(r"^(?=.*rep).*czech.*|.*czech.*") == r"^(?=.*rep).*czech.*|czech.*"
    assert unanchored(r"[|.*]x|.*(a|.*b)") == r"[|.*]x|(a|.*b)"  # only top-level alternatives
    assert unanchored(r"\|.*y") == r"\|.*y"
    expected = {
        "Italy": "ITA",
        "Repubblica Italiana": "ITA",
        "Czech Republic": "CZE",
        "United Kingdom": "GBR",
        "Great Britain": "GBR",
        "England": "GBR",
        "Côte d'Ivoire": "CIV",
        "Ivory Coast": "CIV",
        "Taiwan": "TWN",
        "Chinese Taipei": "TWN",
        "North Korea": "PRK",
        "Democratic People's Republic of Korea": "PRK",
        "DPR Korea": "PRK",
        "USSR": "SUN",
    }
    assert {name: states.lookup_state(name) for name in expected} == expected


def test_cli_exit_code_65(sqlite_settings) -> None:
    from rightsdesk.cli import app

    result = CliRunner().invoke(
        app, ["--database", sqlite_settings.database_url, "states", "resolve", "q" * HUGE]
    )
    assert result.exit_code == 65, result.output
    assert "longer than 200 characters" in result.output and "Traceback" not in result.output


# --- helpers ----------------------------------------------------------------------------------


def test_check_name() -> None:
    assert check_name("UN-WEOG", "group") == "UN-WEOG"
    with pytest.raises(InputError, match="group refused"):
        check_name("g" * 201, "group")


def test_safe_cache_name_keeps_user_values_out_of_file_names() -> None:
    hostile = ["../../etc/passwd", "a/b", "x" * 5000, "nul\x00", "", None, "ÄÖ"]
    names = {
        safe_cache_name("positions", "unga", issue, "sig", prefix="positions", suffix=".csv")
        for issue in hostile
    }
    assert len(names) == len(hostile)  # distinct parts, distinct names
    for name in names:
        assert name.startswith("positions-") and name.endswith(".csv")
        assert len(name) < 64 and "/" not in name and ".." not in name and "\x00" not in name
    assert safe_cache_name("a", "b") == safe_cache_name("a", "b")
    assert safe_cache_name("ab", "") != safe_cache_name("a", "b")  # parts are delimited
    with pytest.raises(ValueError):
        safe_cache_name("x", prefix="../up")
    with pytest.raises(ValueError):
        safe_cache_name("x", suffix="/.csv")


# --- the request guard ---------------------------------------------------------------------


@pytest.fixture
def api(sqlite_settings) -> TestClient:
    with session_scope(sqlite_settings.database_url) as s:
        create_user(s, "limits-admin", "admin", "a long limits password", actor="test")
        token = issue_token(s, "limits-admin", actor="test")
    client = TestClient(create_app(sqlite_settings))
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def test_long_state_in_the_api_is_a_fast_422(api: TestClient) -> None:
    started = time.perf_counter()
    resp = api.get("/api/v1/states/" + "x" * 500)
    assert resp.status_code == 422 and resp.json()["error"] == "input-out-of-bounds"
    page = api.get("/states/" + "x" * 500)
    assert page.status_code == 422 and "longer than 200 characters" in page.text
    assert time.perf_counter() - started < 1


def test_query_values_are_capped(api: TestClient) -> None:
    resp = api.get("/api/v1/states", params={"q": "a" * (MAX_PARAM + 1)})
    assert resp.status_code == 422
    assert resp.json() == {
        "error": "input-out-of-bounds",
        "message": resp.json()["message"],
        "file": None,
        "line": None,
        "field": "q",
    }
    assert "longer than 2,000 characters" in resp.json()["message"]
    assert api.get("/api/v1/states", params={"q": "a" * MAX_PARAM}).status_code == 200
    assert api.get("/api/v1/states", params={"q": "nor\x00way"}).status_code == 422
    assert api.get("/api/v1/states?" + "&".join(["q=a"] * 5000)).status_code == 422  # total
    page = api.get("/states", params={"q": "b" * 50_000}, headers={"accept": "text/html"})
    assert page.status_code == 422 and "<html" in page.text  # the error page for pages
    status, body = call(api.app, "GET", "/api/v1/states", {"q": "c" * HUGE}, "no-token-needed")
    assert status == 422 and b"input-out-of-bounds" in body  # refused before authentication


def test_bodies_are_capped(api: TestClient) -> None:
    big = b'{"x": "' + b"a" * MAX_BODY + b'"}'
    resp = api.post("/api/v1/states", content=big, headers={"content-type": "application/json"})
    assert resp.status_code == 413 and resp.json()["error"] == "too-large"

    def chunks():  # no Content-Length: counted while read
        for _ in range(40):
            yield b"a" * 65536

    streamed = api.post(
        "/login", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert streamed.status_code == 413
    upload = api.post(
        "/login",
        files={"file": ("a.csv", b"a" * 2_000_000)},
        data={"username": "u", "password": "p"},
    )
    assert upload.status_code != 413  # uploads may be larger (10 MB)


# --- every route --------------------------------------------------------------------------


def call(app: Any, method: str, path: str, params: dict[str, str], token: str) -> tuple[int, bytes]:
    """One request straight to the ASGI app: httpx refuses URLs over 64 kB, servers may not."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 50000),
        "root_path": "",
        "path": path,
        "raw_path": quote(path).encode(),
        "query_string": urlencode(params).encode(),
        "headers": [(b"host", b"testserver"), (b"authorization", f"Bearer {token}".encode())],
    }
    sent: list[dict[str, Any]] = []
    requested = False

    async def receive() -> dict[str, Any]:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    # in a thread of its own: a session-wide Playwright (tests/e2e) may hold this thread's loop
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body


def _parameters(route: APIRoute) -> tuple[list[Any], list[Any]]:
    """Path and query parameters of a route and of all its dependencies, once each."""
    found: dict[tuple[str, str], Any] = {}

    def walk(dep: Dependant) -> None:
        for kind, params in (("path", dep.path_params), ("query", dep.query_params)):
            for param in params:
                found.setdefault((kind, param.alias), param)
        for sub in dep.dependencies:
            walk(sub)

    walk(route.dependant)
    return (
        [p for (kind, _), p in found.items() if kind == "path"],
        [p for (kind, _), p in found.items() if kind == "query"],
    )


def _value(param: Any, size: int) -> str:
    kind = getattr(param.field_info, "annotation", None) or param.type_
    return "9" * size if kind in (int, float, int | None, float | None) else "x" * size


def api_routes(app: Any) -> list[tuple[str, APIRoute]]:
    """(path, route) of every route, also inside included routers: FastAPI 0.165 keeps those
    as ``_IncludedRouter`` entries, so ``app.routes`` alone lists almost none of them."""
    from fastapi import routing

    contexts = getattr(routing, "iter_route_contexts", None)
    if contexts is None:  # older FastAPI: the routes are flat
        found = [(r.path, r) for r in app.routes if isinstance(r, APIRoute)]
    else:
        found = [(c.path, c.route) for c in contexts(app.routes) if isinstance(c.route, APIRoute)]
    # ``{symbol:path}``: the converter is not part of the name ``str.format`` fills in
    return [(re.sub(r"\{(\w+):\w+\}", r"{\1}", path), route) for path, route in found]


def _base(path_params: list[Any]) -> dict[str, str]:
    return {p.alias: "1" if _value(p, 1) == "9" else "NOR" for p in path_params}


def _plain_requests(app: Any) -> list[tuple[str, str]]:
    """Every route and method once, with plain path values."""
    return [
        (method, route_path.format(**_base(_parameters(route)[0])))
        for route_path, route in api_routes(app)
        for method in sorted(route.methods or ())
    ]


def _requests(app: Any, size: int) -> list[tuple[str, str, dict[str, str]]]:
    """Every route, method and parameter: that parameter ``size`` long, the others plain."""
    out: list[tuple[str, str, dict[str, str]]] = []
    for route_path, route in api_routes(app):
        path_params, query_params = _parameters(route)
        base = _base(path_params)
        for method in sorted(route.methods or ()):
            for param in path_params:
                values = {**base, param.alias: _value(param, size)}
                out.append((method, route_path.format(**values), {}))
            for param in query_params:
                path = route_path.format(**base)
                out.append((method, path, {param.alias: _value(param, size)}))
    return out


def test_every_parameter_of_every_route_refuses_100_kb_fast(api: TestClient) -> None:
    requests = _requests(api.app, HUGE)
    assert len(requests) > 50  # the whole app, every form
    token = api.headers["Authorization"][7:]
    slow, accepted = [], []
    for method, path, params in requests:
        started = time.perf_counter()
        status, _body = call(api.app, method, path, params, token)
        took = time.perf_counter() - started
        if took >= 1:
            slow.append((method, path[:60], list(params), round(took, 2)))
        if not 400 <= status < 500:
            accepted.append((method, path[:60], list(params), status))
    assert slow == [] and accepted == []


def test_every_parameter_just_under_the_cap_is_answered_fast(api: TestClient) -> None:
    """A value the guard lets through (MAX_PARAM - 1 characters) reaches the routes, their
    resolvers and queries: still an answer within a second, and never a 5xx. (Every route is
    called once with plain values first: a first call may import a charting library.)"""
    token = api.headers["Authorization"][7:]
    for method, path in _plain_requests(api.app):
        call(api.app, method, path, {}, token)
    slow, crashed = [], []
    for method, path, params in _requests(api.app, MAX_PARAM - 1):
        started = time.perf_counter()
        status, _body = call(api.app, method, path, params, token)
        took = time.perf_counter() - started
        if took >= 1:
            slow.append((method, path[:60], list(params), round(took, 2)))
        if status >= 500:
            crashed.append((method, path[:60], list(params), status))
    assert slow == [] and crashed == []
