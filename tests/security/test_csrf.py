"""Cross-site request forgery: every write of the app, sent by a logged-in admin without the
session's token, with a wrong one or with another session's, is refused and writes nothing.

How the house decides (``web.deps``): a browser form post carries ``csrf_token`` (checked by
``check_csrf``); a JSON API write made with the session cookie carries the token in
``X-CSRF-Token`` and no foreign ``Origin`` (checked by ``current_user``); an API write with an
``Authorization: Bearer`` token carries no cookie, so it cannot be forged cross-site and needs
neither. The routes are taken from the app's route table: the whole app, not only violations,
since a forged post elsewhere (a user's role, a token) is as bad.
"""

from __future__ import annotations

import re

from fastapi.routing import APIRoute, iter_route_contexts

from tests.security.conftest import Callers
from tests.security.route_table import WRITES, RouteCase, violation_routes
from tests.security.scenario import Scenario
from tests.security.store_state import changed, fingerprint

_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")
#: writes anyone may send without a session (the login form has its own pre-login token)
PUBLIC = {("POST", "/login"), ("POST", "/logout")}
FOREIGN_ORIGIN = "https://attacker.example"


def _write_cases(callers: Callers, scenario: Scenario) -> list[tuple[str, str, bool]]:
    """(method, url, api) for every write route; violations routes filled with a seeded
    family's ids (so the write would really happen), others with 1."""
    family = scenario.families[1]  # the editor's restricted event: the admin may do anything
    filled = {
        c.label: c.url(family) for c in violation_routes(callers.app) if c.check_params() is None
    }
    out = []
    for ctx in iter_route_contexts(callers.app.routes):
        route = ctx.route
        if not isinstance(route, APIRoute):
            continue
        for method in sorted((route.methods or set()) & WRITES):
            if (method, route.path) in PUBLIC:
                continue
            label = RouteCase(method, route.path, route).label
            url = filled.get(label) or _PARAM.sub("1", route.path)
            out.append((method, url, route.path.startswith("/api/")))
    return out


def test_writes_without_the_token_are_refused(scenario: Scenario, callers: Callers) -> None:
    admin = callers.by_role["admin"]
    other_session = callers.by_role["editor"].csrf  # a real token, of another session
    cases = _write_cases(callers, scenario)
    before = fingerprint(scenario.settings.database_url)
    failures: list[str] = []
    sent = 0
    for method, url, api in cases:
        if api:
            attempts = [
                ("no header", {}),
                ("wrong token", {"X-CSRF-Token": "x" * 43}),
                ("another session's token", {"X-CSRF-Token": other_session}),
                ("foreign Origin", {"X-CSRF-Token": admin.csrf, "Origin": FOREIGN_ORIGIN}),
            ]
            for what, headers in attempts:
                resp = admin.client.request(method, url, headers=headers, json={})
                sent += 1
                if resp.status_code != 403:
                    failures.append(f"{method} {url} ({what}) -> {resp.status_code}")
        else:
            for what, form in (
                ("no token", {}),
                ("wrong token", {"csrf_token": "x" * 43}),
                ("another session's token", {"csrf_token": other_session}),
            ):
                resp = admin.client.request(method, url, data=form, follow_redirects=False)
                sent += 1
                if resp.status_code != 403:
                    failures.append(f"{method} {url} ({what}) -> {resp.status_code}")
    after = fingerprint(scenario.settings.database_url)
    # the token is derived from the session id: each session has its own, on its pages
    assert len({c.csrf for c in callers.by_role.values()}) == len(callers.by_role)
    assert admin.csrf in admin.client.get("/").text
    n_api = sum(1 for _, _, api in cases if api)
    print(f"\nCSRF: {len(cases)} write routes ({n_api} API), {sent} forged requests")
    assert failures == [], "\n".join(failures[:40])
    assert changed(before, after) == [], "a refused write changed the store"
