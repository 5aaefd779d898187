"""Every violations write route (POST, PUT, DELETE) × every role (and anonymous) × every family,
with a valid body and the session's CSRF token, checked against ``access.may``.

The refused requests go first, all of them, and must leave the store exactly as it was; then the
allowed ones, deletions last (children before their event), must succeed or be answered as a
validation error, never refused or crashed.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.security.conftest import Caller, Callers
from tests.security.route_table import WRITES, Expect, RouteCase, expect
from tests.security.scenario import Family, Scenario
from tests.security.store_state import changed, fingerprint
from tests.security.test_route_matrix import Tally, check_answer, placed
from tests.security.write_bodies import WRITE_BODIES


@dataclass(frozen=True)
class Planned:
    caller: Caller
    case: RouteCase
    family: Family
    wanted: Expect

    def send(self, tally: Tally) -> None:
        body = WRITE_BODIES[(self.case.method, self.case.path)](self.family, self.caller.csrf)
        headers = self.caller.api_headers() if self.case.api else {}
        url = self.case.url(self.family)
        response = self.caller.client.request(
            self.case.method, url, headers=headers, follow_redirects=False, **body
        )
        check_answer(tally, self.caller, self.case, url, response, self.wanted)
        tally.checked["allowed writes" if self.wanted.allowed else "refused writes"] += 1


def _order(p: Planned) -> tuple[bool, int]:
    """Deletions last, deepest paths (children) first."""
    return p.case.method == "DELETE", -p.case.path.count("/")


def test_write_matrix(scenario: Scenario, callers: Callers) -> None:
    writes = [(c, r) for c, r in placed(callers) if c.method in WRITES]
    missing = [c.label for c, _ in writes if (c.method, c.path) not in WRITE_BODIES]
    assert missing == [], "add a body to WRITE_BODIES (tests/security/write_bodies.py) for:\n" + (
        "\n".join(missing)
    )
    plan: list[Planned] = []
    for caller in callers.all():
        for case, rule in writes:
            families = scenario.families if case.record_params else scenario.families[:1]
            for family in families:
                scoped = family if case.record_params else None
                plan.append(Planned(caller, case, family, expect(case, rule, caller.who, scoped)))
    tally = Tally()
    url = scenario.settings.database_url
    before = fingerprint(url)
    for planned in (p for p in plan if not p.wanted.allowed):
        planned.send(tally)
    touched = changed(before, fingerprint(url))
    if touched:
        tally.fail(f"refused writes changed the store: tables {touched}")
    for planned in sorted((p for p in plan if p.wanted.allowed), key=_order):
        planned.send(tally)
    print(f"\nwrite matrix: {len(writes)} write routes; {tally.summary()}")
    assert tally.failures == [], f"{len(tally.failures)} failures:\n" + "\n".join(
        tally.failures[:60]
    )
