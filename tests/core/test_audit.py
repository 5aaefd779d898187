"""The audit log is append-only and tamper-evident, on both stores."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from rightsdesk.core.db import get_engine, session_scope
from rightsdesk.core.security import audit


def _write(url: str, n: int) -> None:
    with session_scope(url) as s:
        for i in range(n):
            audit.record(s, "tester", "update", "thing", i, before={"v": i}, after={"v": i + 1})


def test_chain_verifies(settings) -> None:
    _write(settings.database_url, 5)
    with session_scope(settings.database_url) as s:
        report = audit.verify_chain(s)
    assert report.ok and report.checked >= 6  # init wrote one entry too


def test_update_and_delete_are_refused(settings) -> None:
    _write(settings.database_url, 2)
    engine = get_engine(settings.database_url)
    for stmt in ("UPDATE audit_entry SET actor = 'mallory'", "DELETE FROM audit_entry"):
        with pytest.raises(DBAPIError), engine.begin() as conn:
            conn.execute(text(stmt))


def test_tampering_is_found(settings) -> None:
    """An attacker with raw database access drops the trigger and edits an entry."""
    _write(settings.database_url, 4)
    engine = get_engine(settings.database_url)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER audit_entry_no_update"))
        else:
            conn.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only"))
        target = conn.execute(text("SELECT id FROM audit_entry ORDER BY id LIMIT 1 OFFSET 2"))
        bad_id = target.scalar_one()
        conn.execute(text("UPDATE audit_entry SET actor = 'mallory' WHERE id = :i"), {"i": bad_id})
    with session_scope(settings.database_url) as s:
        report = audit.verify_chain(s)
    assert not report.ok and report.first_bad_id == bad_id


def test_changes_read_as_before_and_after() -> None:
    from rightsdesk.core.security.audit_query import Change, changes

    edit = changes({"status": "planned", "note": "x"}, {"status": "done", "note": "x"})
    assert edit == (Change("status", "planned", "done"),)  # unchanged fields left out
    created = changes(None, {"rows": 3, "criteria": {"state": "NOR", "themes": ["a"]}})
    assert Change("criteria.state", "", "NOR") in created
    assert Change("criteria.themes", "", '["a"]') in created
    assert changes(None, None) == ()


def test_audit_query_filters_and_pages(settings) -> None:
    from datetime import date, timedelta

    from rightsdesk.core.security.audit_query import AuditFilter, audit_page

    _write(settings.database_url, 7)
    with session_scope(settings.database_url) as s:
        audit.record(s, "ana", "create", "recommendation", 1, after={"text": "t"})
        mine = audit_page(s, AuditFilter(actor="tester"), page=2, per_page=3)
        assert (mine.total, mine.pages, mine.page, len(mine.rows)) == (7, 3, 2, 3)
        assert [r.id for r in mine.rows] == sorted((r.id for r in mine.rows), reverse=True)
        assert "ana" in mine.actors and "recommendation" in mine.entities
        both = audit_page(s, AuditFilter(action="create", entity="recommendation"))
        assert both.total == 1 and both.rows[0].changes[0].after == "t"
        today = date.today()
        assert audit_page(s, AuditFilter(since=today - timedelta(days=1), until=today)).total >= 8
        assert audit_page(s, AuditFilter(until=today - timedelta(days=2))).total == 0
        assert audit_page(s, AuditFilter(actor="tester"), page=99, per_page=3).page == 3
