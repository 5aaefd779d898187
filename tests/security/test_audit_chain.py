"""The audit log of violations documentation: reads of confidential records are in it, and an
entry edited in the database behind the application's back makes ``rightsdesk audit verify``
fail, naming the entry.

The edit is what an attacker with raw database access does: drop the append-only trigger, then
UPDATE the entry that shows a read (to hide who looked at a victim's record).
"""

from __future__ import annotations

from sqlalchemy import select, text
from typer.testing import CliRunner

from rightsdesk.cli import app as cli_app
from rightsdesk.core.db import get_engine, session_scope
from rightsdesk.core.security.models import AuditEntry
from rightsdesk.monitoring.violations.access import AUDITED_READ_RANK, LEVEL_RANK
from tests.security.conftest import Callers
from tests.security.route_table import has_route
from tests.security.scenario import Scenario

runner = CliRunner()
READ_PAGES = ("/violations/events/{event_id}", "/api/v1/violations/events/{event_id}")


def _reads(url: str) -> list[AuditEntry]:
    with session_scope(url) as s:
        rows = list(s.scalars(select(AuditEntry).where(AuditEntry.action == "read")))
        s.expunge_all()
        return rows


def test_confidential_reads_are_logged(scenario: Scenario, callers: Callers) -> None:
    """Each read of a confidential or strictly confidential event through its page or the API
    writes one entry naming the reader and the event; reads of lower levels write none."""
    routes = [p for p in READ_PAGES if has_route(callers.app, "GET", p)]
    assert routes, f"none of {READ_PAGES} in the app"
    admin = callers.by_role["admin"]
    url = scenario.settings.database_url
    for route in routes:
        for family in scenario.families:
            before = len(_reads(url))
            resp = admin.client.get(route.format(event_id=family.event.id))
            assert resp.status_code == 200, (route, family.tag, resp.status_code)
            new = _reads(url)[before:]
            audited = LEVEL_RANK[family.level] >= AUDITED_READ_RANK
            if not audited:
                assert new == [], (route, family.tag, "a public/restricted read was logged")
                continue
            assert any(e.actor == "admin" and e.entity_id == str(family.event.id) for e in new), (
                route,
                family.tag,
                "a confidential read is missing from the audit log",
            )


def test_an_edited_entry_fails_verify(scenario: Scenario, callers: Callers) -> None:
    url = scenario.settings.database_url
    admin = callers.by_role["admin"]
    strict = next(f for f in scenario.families if f.level == "strictly_confidential")
    for route in READ_PAGES:
        admin.client.get(route.format(event_id=strict.event.id))
    intact = runner.invoke(cli_app, ["--database", url, "audit", "verify"])
    assert intact.exit_code == 0, intact.output
    reads = [e for e in _reads(url) if e.entity_id == str(strict.event.id)]
    engine = get_engine(url)
    with session_scope(url) as s:
        last = s.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
    bad_id = reads[0].id if reads else last  # no read logged yet: tamper with the newest entry
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER audit_entry_no_update"))
        else:
            conn.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only"))
        conn.execute(
            text("UPDATE audit_entry SET actor = 'someone-else' WHERE id = :i"), {"i": bad_id}
        )
    result = runner.invoke(cli_app, ["--database", url, "audit", "verify"])
    assert result.exit_code == 1, result.output
    assert f"#{bad_id}" in result.output and "tampered" in result.output
    assert reads, "the read of a strictly confidential event was not logged"
