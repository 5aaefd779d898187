"""Every route of the app checks a role, and every form POST checks a CSRF token.

Walks the assembled application, so a route added later without a role alias fails here.
"""

from __future__ import annotations

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from rightsdesk.web.app import create_app
from rightsdesk.web.deps import check_csrf, current_user

PUBLIC = {("GET", "/login"), ("POST", "/login"), ("POST", "/logout")}


def _calls(dep: Dependant) -> set[object]:
    found: set[object] = {dep.call}
    for sub in dep.dependencies:
        found |= _calls(sub)
    return found


def _routes(sqlite_settings) -> list[APIRoute]:
    """Every route of the assembled app, included routers' routes too (FastAPI keeps those
    behind ``_IncludedRouter`` entries in ``app.routes``)."""
    app = create_app(sqlite_settings)
    routes = [c.route for c in iter_route_contexts(app.routes) if isinstance(c.route, APIRoute)]
    assert len(routes) > 50, "the walk must see the forms' routes"
    return routes


def test_every_route_requires_a_user(sqlite_settings) -> None:
    unguarded = [
        (method, route.path)
        for route in _routes(sqlite_settings)
        for method in route.methods or ()
        if (method, route.path) not in PUBLIC and current_user not in _calls(route.dependant)
    ]
    assert unguarded == []


def test_form_posts_check_csrf(sqlite_settings) -> None:
    """Browser form posts (non-API) must carry the CSRF token; API writes use bearer tokens."""
    missing = [
        route.path
        for route in _routes(sqlite_settings)
        if (route.methods or set()) & {"POST", "PUT", "PATCH", "DELETE"}
        and not route.path.startswith("/api/")
        and check_csrf not in _calls(route.dependant)
    ]
    assert missing == []


def test_anonymous_requests_are_refused(sqlite_settings) -> None:
    from fastapi.testclient import TestClient

    app = create_app(sqlite_settings)
    client = TestClient(app)
    for route in _routes(sqlite_settings):
        methods = route.methods or set()
        if "GET" not in methods or ("GET", route.path) in PUBLIC or "{" in route.path:
            continue
        resp = client.get(route.path, follow_redirects=False)
        assert resp.status_code in (303, 401), (route.path, resp.status_code)
