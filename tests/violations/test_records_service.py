"""The records service on both stores: writes checked by ``access``, audited without any
sensitive value, edits that keep what the editor cannot see, reads that 404 and are logged."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import ConflictError, NotFoundError, PermissionDenied
from rightsdesk.core.security.models import AuditEntry, User
from rightsdesk.monitoring.violations import service
from rightsdesk.monitoring.violations.access import Principal
from rightsdesk.monitoring.violations.event_input import FieldErrors, parse_event_json
from rightsdesk.monitoring.violations.event_prefill import event_input_of as input_of
from rightsdesk.monitoring.violations.models import Event, Perpetrator, Victim
from rightsdesk.monitoring.violations.views import event_view
from rightsdesk.monitoring.violations.vocab import WITHHELD
from tests.violations.conftest import SECRETS, Seeded, seeded_template

NEW_SECRETS = {
    "name": "Layla Newvictim-Sample",
    "contact": "layla.sample@example.invalid",
    "reporter": "Omar Reporter-Sample",
    "place": "Basement of Building 9 sampleplace",
}


@pytest.fixture
def store_template() -> tuple[str, Callable[[Settings], None]]:
    return seeded_template()


def who(session: Session, role: str) -> Principal:
    return Principal.of(session.scalars(select(User).where(User.name == role)).one())


def sample(**over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Arrest of a journalist in Homs",
        "description": "Taken from home at night.",
        "start_date": "2020-05",
        "state_iso3": "Syria",
        "area": "Homs governorate",
        "place": NEW_SECRETS["place"],
        "latitude": 34.73,
        "longitude": 36.71,
        "location_sensitive": True,
        "status": "under_review",
        "confidentiality": "confidential",
        "victims": [
            {"name": NEW_SECRETS["name"], "contact": NEW_SECRETS["contact"], "sex": "female"}
        ],
        "acts": [
            {
                "act_type": "arbitrary_detention",
                "victim_index": 0,
                "perpetrators": [{"perpetrator": "Air Force Intelligence", "role": "direct"}],
            }
        ],
        "sources": [{"reporter_name": NEW_SECRETS["reporter"], "reliability": "B"}],
    }
    data.update(over)
    return data


def audit_text(session: Session) -> str:
    entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    return json.dumps([[e.action, e.entity, e.before, e.after] for e in entries])


def last_entry(session: Session) -> AuditEntry:
    return session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()


def test_create_stores_encrypts_and_audits_without_secrets(
    seeded_copy: tuple[Settings, Seeded],
) -> None:
    settings, seeded = seeded_copy
    with session_scope(settings.database_url) as session:
        collector = who(session, "collector")
        event = service.create_event(session, collector, parse_event_json(sample()))
        event_id = event.id
        assert event.created_by == seeded.users["collector"]
        assert event.state_iso3 == "SYR" and event.start_precision == "month"
        assert event.place is None and event.latitude is None  # flagged: only encrypted
        assert json.loads(event.exact_location or "")["place"] == NEW_SECRETS["place"]
        assert event.acts[0].victim is event.victims[0]
        perp = event.acts[0].involvements[0].perpetrator
        assert perp.name == "Air Force Intelligence" and perp.created_by == collector.user_id
        assert perp.confidentiality == "confidential"
        entry = last_entry(session)
        assert (entry.action, entry.entity, entry.entity_id) == (
            "create",
            "violation_event",
            str(event_id),
        )
        assert entry.after is not None
        assert entry.after["victims.name"] == "changed"
        assert entry.after["exact_location"] == "changed"
        assert entry.after["title"] == "Arrest of a journalist in Homs"
    with session_scope(settings.database_url) as session:
        raw = session.execute(
            text("SELECT exact_location FROM violation_event WHERE id = :i"), {"i": event_id}
        ).scalar_one()
        assert NEW_SECRETS["place"] not in raw
        dumped = audit_text(session)
        for secret in [*NEW_SECRETS.values(), *SECRETS.values()]:
            assert secret not in dumped


def test_update_marks_changed_sensitive_fields_and_keeps_hidden_children(
    seeded_copy: tuple[Settings, Seeded],
) -> None:
    settings, seeded = seeded_copy
    event_id = seeded.events["confidential"]
    with session_scope(settings.database_url) as session:
        admin = who(session, "admin")
        # a strictly confidential victim, entered by the admin: the editor cannot read it
        session.add(
            Victim(
                event_id=event_id,
                name="Hidden Person Testname",
                confidentiality="strictly_confidential",
                created_by=admin.user_id,
            )
        )
    with session_scope(settings.database_url) as session:
        editor = who(session, "editor")
        event = service.get_event(session, editor, event_id)
        data = input_of(editor, event)
        assert len(data.victims) == 1 and data.victims[0].name == SECRETS["victim_name"]
        data.victims[0].name = "Renamed Victim-Sample"
        data.title = "Detention and torture in Aleppo (revised)"
        service.update_event(session, editor, event_id, data)
        entry = last_entry(session)
        assert entry.action == "update" and entry.after is not None and entry.before is not None
        assert entry.after["victims.name"] == "changed"
        assert "victims.contact" not in entry.after  # unchanged
        assert str(entry.before["title"]).endswith("(editor, confidential)")
    with session_scope(settings.database_url) as session:
        stored = session.get(Event, event_id)
        assert stored is not None and stored.title.endswith("(revised)")
        names = sorted(v.name or "" for v in stored.victims)
        assert names == ["Hidden Person Testname", "Renamed Victim-Sample"]
        assert len(stored.acts) == 1 and stored.acts[0].involvements  # act and link kept
        dumped = audit_text(session)
        assert "Renamed Victim-Sample" not in dumped and "Hidden Person" not in dumped


def test_withheld_keeps_stored_values_and_edit_rights(
    seeded_copy: tuple[Settings, Seeded],
) -> None:
    settings, seeded = seeded_copy
    with session_scope(settings.database_url) as session:
        editor = who(session, "editor")
        analyst = who(session, "analyst")
        event = service.get_event(session, editor, seeded.events["restricted"])
        data = input_of(editor, event)
        data.victims[0].contact = WITHHELD
        data.sources[0].reporter_name = WITHHELD
        service.update_event(session, editor, event.id, data)
        assert event.victims[0].contact == SECRETS["victim_contact"]
        assert event.sources[0].reporter_name == SECRETS["reporter_name"]
        with pytest.raises(PermissionDenied):  # the analyst reads it but may not change it
            service.update_event(session, analyst, event.id, data)
        strict = service.get_event(session, editor, seeded.events["strictly_confidential"])
        unflagged = input_of(editor, strict)
        unflagged.place, unflagged.location_sensitive = WITHHELD, False
        service.update_event(session, editor, strict.id, unflagged)
        assert (strict.place, strict.latitude, strict.exact_location) == (
            SECRETS["exact_place"],
            36.21,
            None,
        )
        theirs = service.get_event(session, editor, seeded.collector_events["confidential"])
        locked = input_of(editor, theirs)
        locked.confidentiality = "strictly_confidential"  # beyond what the editor edits
        with pytest.raises(PermissionDenied, match="cannot classify"):
            service.update_event(session, editor, theirs.id, locked)
        with pytest.raises(NotFoundError):  # the collector does not even see it
            service.update_event(session, who(session, "collector"), event.id, data)


def test_delete_is_for_admins_and_audited(seeded_copy: tuple[Settings, Seeded]) -> None:
    settings, seeded = seeded_copy
    event_id = seeded.collector_events["public"]
    with session_scope(settings.database_url) as session:
        with pytest.raises(PermissionDenied):
            service.delete_event(session, who(session, "collector"), event_id)
        service.delete_event(session, who(session, "admin"), event_id)
        entry = last_entry(session)
        assert (entry.action, entry.entity_id, entry.after) == ("delete", str(event_id), None)
    with session_scope(settings.database_url) as session:
        assert session.get(Event, event_id) is None
        assert SECRETS["victim_name"] not in audit_text(session)
        with pytest.raises(NotFoundError, match="no such record"):
            service.get_event(session, who(session, "admin"), event_id)


def test_reads_are_checked_and_confidential_ones_logged(
    seeded_copy: tuple[Settings, Seeded],
) -> None:
    settings, seeded = seeded_copy
    with session_scope(settings.database_url) as session:
        with pytest.raises(NotFoundError, match="no such record"):
            service.get_event(session, who(session, "viewer"), seeded.events["restricted"])
        before = session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
        service.get_event(session, who(session, "analyst"), seeded.events["restricted"])
        after = session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
        assert before == after  # restricted reads are not logged
        service.get_event(session, who(session, "editor"), seeded.events["confidential"])
        entry = last_entry(session)
        assert (entry.action, entry.actor) == ("read", "editor")


def test_views_withhold_by_role(seeded_copy: tuple[Settings, Seeded]) -> None:
    settings, seeded = seeded_copy
    with session_scope(settings.database_url) as session:
        viewer = who(session, "viewer")
        shown = event_view(viewer, service.get_event(session, viewer, seeded.events["public"]))
        assert shown.victims[0].name == WITHHELD and shown.sources[0].reporter_name == WITHHELD
        assert not shown.may_edit and not shown.may_read_sensitive
        assert shown.acts[0].act_label == "Torture"
        # the perpetrator is restricted: the viewer sees the act but not who did it
        assert shown.acts[0].involvements == [] and shown.acts[0].hidden_perpetrators == 1
        admin = who(session, "admin")
        strict = service.get_event(session, admin, seeded.events["strictly_confidential"])
        full = event_view(admin, strict)
        assert full.place == SECRETS["exact_place"] and full.latitude == 36.21
        assert full.victims[0].name == SECRETS["victim_name"]
        editor = who(session, "editor")
        own = event_view(editor, strict)  # the editor entered it: its own record
        assert own.place == SECRETS["exact_place"]
        collector_strict = session.get(Event, seeded.collector_events["strictly_confidential"])
        assert collector_strict is not None
        with pytest.raises(NotFoundError):
            event_view(editor, collector_strict)


def test_bad_input_names_the_field_and_never_the_value(
    seeded_copy: tuple[Settings, Seeded],
) -> None:
    settings, _ = seeded_copy
    secret = "Very Secret Name " * 30  # too long
    with session_scope(settings.database_url) as session:
        collector = who(session, "collector")
        data = sample(
            victims=[{"name": secret, "sex": "femme"}],
            acts=[{"act_type": "no_such_act"}],
        )
        with pytest.raises(FieldErrors) as caught:
            service.create_event(session, collector, parse_event_json(data))
        assert caught.value.errors == {
            "victims[0].name": "at most 300 characters",
            "victims[0].sex": "one of female, male, other, unknown",
        }
        assert "Very Secret" not in str(caught.value)
        with pytest.raises(FieldErrors) as caught:
            service.create_event(
                session, collector, parse_event_json(sample(acts=[{"act_type": "no_such_act"}]))
            )
        assert list(caught.value.errors) == ["acts[0].act_type"]
        with pytest.raises(PermissionDenied):
            service.create_event(session, who(session, "analyst"), parse_event_json(sample()))
        event = service.create_event(
            session, collector, parse_event_json(sample()), natural_key="ev-x"
        )
        with pytest.raises(ConflictError):
            service.create_event(session, collector, parse_event_json(sample()), "ev-x")
        assert event.natural_key == "ev-x"


def test_perpetrators_and_responses_and_vocabulary(
    seeded_copy: tuple[Settings, Seeded],
) -> None:
    settings, seeded = seeded_copy
    with session_scope(settings.database_url) as session:
        collector, analyst = who(session, "collector"), who(session, "analyst")
        # the seeded perpetrator is restricted and the editor's: hidden from the collector,
        # who gets a new record of the same name instead of a link to the hidden one
        mine = service.get_or_create_perpetrator(session, collector, "Colonel Test Perpetrator")
        assert mine.id != seeded.perpetrator and mine.created_by == collector.user_id
        theirs = service.get_or_create_perpetrator(session, analyst, "perp-test-1")
        assert theirs.id == seeded.perpetrator
        assert [p.id for p in service.list_perpetrators(session, collector)] == [mine.id]
        response = service.add_response(
            session,
            collector,
            seeded.collector_events["confidential"],
            "urgent_appeal",
            "Special Rapporteur on torture",
            "2019-05-02",
        )
        assert response.date is not None and response.date.isoformat() == "2019-05-02"
        with pytest.raises(FieldErrors):
            service.add_response(session, collector, seeded.collector_events["public"], "tweet", "")
        with pytest.raises(NotFoundError):
            service.add_response(session, collector, seeded.events["public"], "visit", "X")
        with pytest.raises(PermissionDenied):
            service.add_act_type(session, who(session, "editor"), "reprisal", "Reprisal")
        added = service.add_act_type(
            session, who(session, "admin"), "reprisal", "Reprisal", "Against cooperation."
        )
        assert added.added_by == "admin"
        assert "reprisal" in {a.code for a in service.act_types(session)}
        assert session.scalars(select(Perpetrator).where(Perpetrator.name == "x")).first() is None
