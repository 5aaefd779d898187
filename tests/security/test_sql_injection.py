"""SQL injection in every search and filter parameter is harmless.

The parameters are taken from the app: for the API from its OpenAPI document
(``app.openapi()``), for pages from the routes' declared query parameters (pages are left out
of the OpenAPI document), and the two are checked to agree for the API. Each parameter of each
GET route of the room gets classic payloads; the answer is 200, 400, 404 or 422, never a server
error, and never lists an event or perpetrator the caller may not read (each seeded record's
title names its owner and level, so a leaked row is recognised in any page or JSON answer).
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from rightsdesk.monitoring.violations.access import Action, Principal, may
from tests.security.conftest import Caller, Callers
from tests.security.route_table import SAFE, RouteCase, violation_routes
from tests.security.scenario import Family, Scenario

PAYLOADS = (
    "' OR 1=1 --",
    '" OR ""="',
    "1; DROP TABLE violation_event",
    "%' UNION SELECT name, password_hash FROM user_account --",
    "%",
    "_",
    "\x00",
    "1' AND 1=(SELECT COUNT(*) FROM violation_victim) --",
)
ALLOWED = frozenset({200, 400, 404, 422})
#: the collector sees least (its own records only): an injected OR shows at once; the admin
#: reaches every code path (a 500 anywhere)
ROLES = ("collector", "admin")


def openapi_query_params(schema: dict[str, Any], path: str) -> set[str]:
    """The query parameters the OpenAPI document declares for ``GET path``."""
    operation = schema.get("paths", {}).get(path, {}).get("get", {})
    return {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}


def declared_query_params(case: RouteCase) -> set[str]:
    names: set[str] = set()

    def walk(dep: Any) -> None:
        names.update(p.alias for p in dep.query_params)
        for sub in dep.dependencies:
            walk(sub)

    walk(case.route.dependant)
    return names


_GET_FORM = re.compile(r"<form\b[^>]*method=\"get\"[^>]*>(.*?)</form>", re.DOTALL | re.IGNORECASE)
_NAME = re.compile(r"\bname=\"([^\"]+)\"")
_HREF = re.compile(r"href=\"([^\"]*\?[^\"]*)\"")


#: filter links of a page followed to find what its other links (an export) carry
FOLLOW = 4
_ACTION = re.compile(r"\baction=\"([^\"]*)\"")


def offered_params(page: str, path: str) -> dict[str, set[str]]:
    """Path -> the query parameters a page offers for it: the fields of its GET forms
    (filters) and the query keys of its links (facets, pagination, "export these rows").
    Pages read their filters from the query string themselves, so the route table does not
    declare them."""
    offered: dict[str, set[str]] = {}
    for match in _GET_FORM.finditer(page):
        action = _ACTION.search(match.group(0).split(">", 1)[0])
        form_path = urlsplit(html.unescape(action.group(1))).path if action else ""
        names = set(_NAME.findall(match.group(1))) - {"csrf_token"}
        offered.setdefault(form_path or path, set()).update(names)
    for href in _HREF.findall(page):
        link = urlsplit(html.unescape(href))
        keys = parse_qs(link.query, keep_blank_values=True)
        offered.setdefault(link.path or path, set()).update(keys)
    return offered


def page_offers(admin: Caller, cases: list[RouteCase], family: Family) -> dict[str, set[str]]:
    """What every page of the room offers (read as the admin, on ``family``'s records)."""
    offered: dict[str, set[str]] = {}
    for case in cases:
        if case.api:
            continue
        url = case.url(family)
        path = urlsplit(url).path
        queue = [url]  # then the page's own filter links (facets), followed once
        for target in queue:
            page = admin.client.get(target, follow_redirects=False)
            if "html" not in page.headers.get("content-type", ""):
                continue
            for found, names in offered_params(page.text, path).items():
                offered.setdefault(found, set()).update(names)
            if target == url:
                links = [html.unescape(h) for h in _HREF.findall(page.text)]
                queue += [h for h in links if urlsplit(h).path == path][:FOLLOW]
    return offered


def route_params(case: RouteCase, offered: dict[str, set[str]], family: Family) -> set[str]:
    """Declared query parameters, and those the pages offer for the route."""
    return declared_query_params(case) | offered.get(urlsplit(case.url(family)).path, set())


def markers(family: Family) -> tuple[str, str]:
    """Texts that appear wherever the family's event or perpetrator is listed."""
    return f"({family.owner}, {family.level})", f"Test Unit {family.owner} {family.level}"


def leaked(who: Principal, body: str, families: list[Family]) -> list[str]:
    out = []
    for family in families:
        event_mark, perp_mark = markers(family)
        if event_mark in body and not may(who, Action.READ, family.event):
            out.append(f"event {family.tag}")
        if perp_mark in body and not may(who, Action.READ, family.perpetrator):
            out.append(f"perpetrator {family.tag}")
    return out


def test_injection_in_every_query_parameter(scenario: Scenario, callers: Callers) -> None:
    schema = callers.app.openapi()
    failures: list[str] = []
    fuzzed: dict[str, set[str]] = {}
    sent = 0
    gets = [
        c for c in violation_routes(callers.app) if c.method == SAFE and c.check_params() is None
    ]  # test_route_matrix names the others
    first = scenario.families[0]
    offered = page_offers(callers.by_role["admin"], gets, first)
    for case in gets:
        params = route_params(case, offered, first)
        if case.api:
            documented = openapi_query_params(schema, case.path)
            declared = declared_query_params(case)
            assert documented == declared, f"{case.label}: OpenAPI {documented} != {declared}"
        if not params:
            continue
        fuzzed[case.label] = params
        for role in ROLES:
            caller = callers.by_role[role]
            assert caller.who is not None
            family = next(f for f in scenario.families if may(caller.who, Action.READ, f.event))
            base = re.sub(r"\?.*$", "", case.url(family))
            for name in sorted(params):
                for payload in PAYLOADS:
                    resp = caller.client.get(base, params={name: payload}, follow_redirects=False)
                    sent += 1
                    shown = f"{role} GET {base}?{name}={payload!r}"
                    if resp.status_code not in ALLOWED:
                        failures.append(f"{shown} -> {resp.status_code}")
                        continue
                    extra = leaked(caller.who, resp.text, scenario.families)
                    if extra:
                        failures.append(f"{shown} lists records it may not read: {extra}")
    total = sum(len(p) for p in fuzzed.values())
    print(f"\nSQL injection: {total} parameters of {len(fuzzed)} routes, {sent} requests")
    for label, params in sorted(fuzzed.items()):
        print(f"  {label}: {', '.join(sorted(params))}")
    assert failures == [], "\n".join(failures[:40])


#: parts of the scenario's sensitive values (victim, witness, contact, hidden place)
SENSITIVE_QUERIES = ("Qadir-Testvictim", "Witnessname", "testcontact", "Safehouse Street")


def test_search_is_no_oracle_for_sensitive_values(scenario: Scenario, callers: Callers) -> None:
    """Free-text search looks at titles, descriptions and areas only: searching for a victim's
    or a witness's name finds nothing, even for the admin (else any reader could learn which
    events involve a named person from the count alone)."""
    admin = callers.by_role["admin"]
    assert admin.who is not None
    searched = []
    gets = [c for c in violation_routes(callers.app) if c.method == SAFE and not c.params]
    offered = page_offers(admin, gets, scenario.families[0])
    for case in gets:
        if "q" not in route_params(case, offered, scenario.families[0]):
            continue
        found = admin.client.get(case.path, params={"q": "Detention"})
        assert found.status_code == 200
        if not any(markers(f)[0] in found.text for f in scenario.families):
            continue  # a chart: counts only, from the same search as the list
        searched.append(case.label)
        for query in SENSITIVE_QUERIES:
            resp = admin.client.get(case.path, params={"q": query})
            assert resp.status_code == 200, (case.label, query)
            hits = [f.tag for f in scenario.families if markers(f)[0] in resp.text]
            assert hits == [], f"{case.label}?q={query} finds events by a sensitive value: {hits}"
    print(f"\nsearch oracle: {searched}")
    assert searched, "no violations route with a free-text parameter q"
