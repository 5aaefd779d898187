"""The authorisation rules of ``access.py`` on the seeded scenario: the table of its docstring,
checked record by record, and the SQL filter agreeing with the per-record answer."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.security.models import AuditEntry, User
from rightsdesk.monitoring.violations.access import (
    Action,
    Principal,
    audit_read,
    may,
    readable_levels,
    visible,
)
from rightsdesk.monitoring.violations.models import Event
from tests.violations.conftest import ROLES, Seeded

EXPECTED_READ = {
    "viewer": {"public"},
    "collector": set(),
    "analyst": {"public", "restricted"},
    "editor": {"public", "restricted", "confidential"},
    "admin": {"public", "restricted", "confidential", "strictly_confidential"},
}


def _principal(session: Session, role: str) -> Principal:
    user = session.scalars(select(User).where(User.name == role)).one()
    return Principal.of(user)


def test_role_by_level_matrix(violations_settings: tuple[Settings, Seeded]) -> None:
    settings, seeded = violations_settings
    with session_scope(settings.database_url) as session:
        for role in ROLES:
            who = _principal(session, role)
            for level, event_id in seeded.events.items():
                event = session.get(Event, event_id)
                assert event is not None
                # the editor entered these events: its own records, readable at every level
                owner = role == "editor"
                expected = owner or level in EXPECTED_READ[role]
                assert may(who, Action.READ, event) is expected, (role, level)
                sensitive = may(who, Action.READ_SENSITIVE, event)
                assert sensitive is (role == "admin" or owner), (role, level)
                assert may(who, Action.DELETE, event) is (role == "admin")
            # the collector reads and edits its own records at every level, nothing else
            for level, event_id in seeded.collector_events.items():
                event = session.get(Event, event_id)
                assert event is not None
                own = role == "collector"
                assert may(who, Action.READ, event) is (own or level in EXPECTED_READ[role])
                assert may(who, Action.EDIT, event) is (
                    own or role == "admin" or role == "editor" and level != "strictly_confidential"
                )
                if own:
                    assert may(who, Action.READ_SENSITIVE, event)
            assert set(readable_levels(who)) == EXPECTED_READ[role]
            assert may(who, Action.CREATE) is (role in ("collector", "editor", "admin"))


def test_viewer_never_reads_sensitive(violations_settings: tuple[Settings, Seeded]) -> None:
    settings, seeded = violations_settings
    with session_scope(settings.database_url) as session:
        who = _principal(session, "viewer")
        for event_id in [*seeded.events.values(), *seeded.collector_events.values()]:
            event = session.get(Event, event_id)
            assert not may(who, Action.READ_SENSITIVE, event)


def test_visible_filter_agrees_with_may(violations_settings: tuple[Settings, Seeded]) -> None:
    settings, _ = violations_settings
    with session_scope(settings.database_url) as session:
        events = session.scalars(select(Event)).all()
        for role in ROLES:
            who = _principal(session, role)
            listed = set(session.scalars(select(Event.id).where(visible(who, Event))))
            assert listed == {e.id for e in events if may(who, Action.READ, e)}, role


def test_unknown_role_and_unknown_level_fail_closed() -> None:
    stranger = Principal(user_id=99, name="x", role="superuser")
    event = Event(natural_key="k", title="t", confidentiality="public", created_by=1)
    assert not may(stranger, Action.READ, event)
    odd = Event(natural_key="k2", title="t", confidentiality="secret", created_by=1)
    assert not may(Principal(user_id=2, name="e", role="editor"), Action.READ, odd)


def test_confidential_reads_are_audited(violations_settings: tuple[Settings, Seeded]) -> None:
    settings, seeded = violations_settings
    with session_scope(settings.database_url) as session:
        before = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        who = _principal(session, "admin")
        for event_id in seeded.events.values():
            audit_read(session, who, "violation_event", session.get(Event, event_id))
        after = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        assert after - before == 2  # confidential and strictly confidential only
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last is not None and last.action == "read" and last.actor == "admin"
