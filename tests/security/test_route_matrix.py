"""Every violations route × every role × every level (and owner), generated from the app's
route table and checked against ``access.may``; and no page or API answer shows a sensitive
value to a role that may not read it.

A route the tables of ``route_table.py`` cannot place fails ``test_every_route_is_placed``, so a
new route is either in the matrix or a red test.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import httpx

from rightsdesk.monitoring.violations.access import Action, may
from tests.security.conftest import Caller, Callers
from tests.security.route_table import (
    SAFE,
    Expect,
    RouteCase,
    Rule,
    Scope,
    classify,
    expect,
    may_read_sensitive,
    target,
    violation_routes,
)
from tests.security.scenario import ALL_SECRETS, Family, Scenario

WITHHELD = "[withheld]"
#: records whose own page shows sensitive values (or ``[withheld]`` in their place)
SHOWS_SENSITIVE = frozenset({"event", "victim", "source"})


@dataclass
class Tally:
    """Failures, and what was checked (for the report)."""

    failures: list[str] = field(default_factory=list)
    checked: Counter[str] = field(default_factory=Counter)

    def fail(self, text: str) -> None:
        self.failures.append(text)

    def summary(self) -> str:
        return ", ".join(f"{k}: {v}" for k, v in sorted(self.checked.items()))


def placed(callers: Callers) -> list[tuple[RouteCase, Rule]]:
    """Every violations route with its rule; fails on one the tables cannot place."""
    problems: list[str] = []
    out: list[tuple[RouteCase, Rule]] = []
    for case in violation_routes(callers.app):
        rule = classify(case)
        problem = case.check_params() or (rule if isinstance(rule, str) else None)
        if problem:
            problems.append(problem)
        elif not isinstance(rule, str):
            out.append((case, rule))
    assert problems == [], "\n".join(problems)
    return out


def check_answer(
    tally: Tally,
    caller: Caller,
    case: RouteCase,
    url: str,
    response: httpx.Response,
    wanted: Expect,
) -> None:
    """Status as expected; an anonymous page goes to the login page."""
    status = response.status_code
    if status not in wanted.statuses:
        tally.fail(
            f"{caller.name:9} {case.method} {url} -> {status}, expected "
            f"{sorted(wanted.statuses)} ({wanted.why})"
        )
    elif caller.role is None and status == 303:
        location = response.headers.get("location", "")
        if not location.startswith("/login"):
            tally.fail(f"anonymous {case.method} {url} -> 303 to {location!r}, not /login")


def check_secrets(
    tally: Tally,
    caller: Caller,
    case: RouteCase,
    url: str,
    response: httpx.Response,
    families: list[Family],
) -> None:
    """No family's sensitive value, in the body or a header (an attachment's file name in
    ``Content-Disposition``), for a role that may not read it; none at all in an export (it is
    pseudonymised for everyone), nor, untagged, for a role that reads no sensitive value."""
    assert caller.who is not None
    text = response.text + "\n" + "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    export = "export" in case.path
    for family in families:
        if may_read_sensitive(caller.who, family) and not export:
            continue
        for secret in family.secrets:
            if secret in text:
                tally.fail(
                    f"{caller.name:9} GET {url}: shows {family.tag}'s sensitive value "
                    f"{secret[:12]}... ({'an export' if export else 'may not read-sensitive'})"
                )
    if not any(may_read_sensitive(caller.who, f) for f in families):
        for secret in ALL_SECRETS:
            if secret in text:
                tally.fail(f"{caller.name:9} GET {url}: shows sensitive value {secret[:12]}...")
    tally.checked["answers searched for secrets"] += 1


def check_download(
    tally: Tally, caller: Caller, case: RouteCase, url: str, response: httpx.Response
) -> None:
    """A file served back is a download the browser does not sniff or render."""
    if response.status_code != 200 or case.tail() != "" or not case.record_params:
        return
    if case.record_params[-1] != "attachment_id":
        return
    tally.checked["downloads checked"] += 1
    disposition = response.headers.get("content-disposition", "")
    if not disposition.startswith("attachment"):
        tally.fail(f"{caller.name:9} GET {url}: Content-Disposition {disposition!r}")
    if response.headers.get("x-content-type-options") != "nosniff":
        tally.fail(f"{caller.name:9} GET {url}: no X-Content-Type-Options: nosniff")


def _get(caller: Caller, url: str) -> httpx.Response:
    response: httpx.Response = caller.client.get(url, follow_redirects=False)
    return response


def test_every_route_is_placed(callers_sqlite: Callers) -> None:
    """Every violations route is known to the matrix; the room has pages and an API."""
    rules = placed(callers_sqlite)
    assert any(c.api for c, _ in rules), "no /api/v1/violations route in the app"
    assert any(not c.api for c, _ in rules), "no /violations page in the app"
    print(f"\n{len(rules)} violations route methods placed:")
    for case, rule in rules:
        print(f"  {case.label:70} {rule.action.value:15} {rule.scope.value}")


def test_read_matrix(scenario: Scenario, callers: Callers) -> None:
    """Every GET route × role (and anonymous) × family: status from ``access.may``, and no
    sensitive value the role may not read, on any answer, errors included."""
    tally = Tally()
    gets = [(c, r) for c, r in placed(callers) if c.method == SAFE]
    for caller in callers.all():
        for case, rule in gets:
            families = scenario.families if case.record_params else scenario.families[:1]
            for family in families:
                url = case.url(family)
                response = _get(caller, url)
                wanted = expect(case, rule, caller.who, family if case.record_params else None)
                check_answer(tally, caller, case, url, response, wanted)
                tally.checked["requests"] += 1
                if caller.who is None:
                    continue
                check_secrets(tally, caller, case, url, response, scenario.families)
                check_download(tally, caller, case, url, response)
                if (
                    response.status_code == 200
                    and rule.scope is Scope.RECORD
                    and rule.action is Action.READ
                    and case.tail() == ""
                ):
                    check_withheld(tally, caller, case, family, url, response.text)
    print(f"\nread matrix: {len(gets)} GET routes; {tally.summary()}")
    assert tally.failures == [], f"{len(tally.failures)} failures:\n" + "\n".join(
        tally.failures[:60]
    )


def check_withheld(
    tally: Tally, caller: Caller, case: RouteCase, family: Family, url: str, body: str
) -> None:
    """A record's own page says ``[withheld]`` where the role may not read its sensitive
    values (rather than leaving them out silently)."""
    assert caller.who is not None
    record, parents = target(case, family)
    if record.kind not in SHOWS_SENSITIVE:
        return
    if may(caller.who, Action.READ_SENSITIVE, record, *parents):
        return
    tally.checked["pages checked for [withheld]"] += 1
    if WITHHELD not in body:
        tally.fail(f"{caller.name:9} GET {url}: sensitive values not marked {WITHHELD}")
