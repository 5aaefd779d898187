"""Editors enter and change programmes, and add activities within them.

Why here and not in the importer: a desk's own programmes (a training it funds, an embassy's
small grants) are in no IATI file. An entered programme gets the natural key ``rd-`` plus a
random id and ``created_by``; ``iati_version`` stays empty (it came from no file). Every write
is checked field by field (``FieldErrors`` lists each faulty field with its message, so the form
can show them next to the fields) and goes to the audit log with the values before and after.

What IATI 2.03 requires is required here too, so an entered programme always exports: the
reporting organisation (identifier and type), a status, one date at least, one participating
organisation (the reporting organisation as funder when none is given). Percentages of
recipients and of the sectors of one vocabulary must add up to 100 when given, as IATI asks.

A save restates the programme's participants, recipient states, sectors and budget lines (the
form shows them all); recipient regions, transactions, results and documents come from IATI
files and are kept. An imported programme changed here is restated again by its publisher's
next file (IATI publishers restate an activity whole).

Permissions are the callers' business (routes require ``Editor``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy.orm import Session

from rightsdesk.capacity.edit_input import (
    DIGITS,
    ORG_REF,
    ActivityIn,
    BudgetIn,
    Check,
    FieldErrors,
    ParticipantIn,
    ProgrammeIn,
    RecipientIn,
    SectorIn,
    currency_code,
    parse_budgets,
    parse_participants,
    parse_recipients,
    parse_sectors,
)
from rightsdesk.capacity.models import Activity, Participant, Programme
from rightsdesk.core.db import utcnow
from rightsdesk.core.errors import NotFoundError
from rightsdesk.core.security import audit

__all__ = [
    "ActivityIn",
    "FieldErrors",
    "ProgrammeIn",
    "add_activity",
    "create_programme",
    "get_programme",
    "programme_input",
    "snapshot",
    "update_activity",
    "update_programme",
]


def _apply(session: Session, programme: Programme, data: ProgrammeIn) -> None:
    """Check ``data`` whole, then write it onto ``programme`` (nothing is written on error)."""
    check = Check(session)
    fields: dict[str, Any] = {
        "title": check.text(data.title, "title", required=True, limit=2000),
        "description": check.text(data.description, "description", limit=20000),
        "reporting_org_ref": check.text(
            data.reporting_org_ref, "reporting_org_ref", required=True, limit=100
        ),
        "reporting_org_name": check.text(data.reporting_org_name, "reporting_org_name", limit=300),
        "reporting_org_type": check.code(
            data.reporting_org_type, "OrganisationType", "reporting_org_type", DIGITS
        ),
        "status_code": check.code(data.status_code, "ActivityStatus", "status_code", DIGITS),
        "default_currency": currency_code(check, data.default_currency, "default_currency"),
    }
    ref = fields["reporting_org_ref"]
    if ref and not ORG_REF.match(ref):
        check.fail("reporting_org_ref", "an organisation identifier has no spaces (e.g. GB-GOV-1)")
    if not data.reporting_org_type.strip():
        check.fail("reporting_org_type", "is required (IATI OrganisationType, e.g. 10 government)")
    if not data.status_code.strip():
        check.fail("status_code", "is required (IATI ActivityStatus, e.g. 2 implementation)")
    for name in ("planned_start", "actual_start", "planned_end", "actual_end"):
        fields[name] = check.date(getattr(data, name), name)
    if not any(fields[n] for n in ("planned_start", "actual_start", "planned_end", "actual_end")):
        check.fail("planned_start", "give one date at least (IATI requires one)")
    check.order(fields["planned_start"], fields["planned_end"], "planned_end")
    check.order(fields["actual_start"], fields["actual_end"], "actual_end")
    participants = parse_participants(check, data)
    recipients = parse_recipients(check, data)
    sectors = parse_sectors(check, data)
    budgets = parse_budgets(check, data, fields["default_currency"])
    check.done()
    for name, value in fields.items():
        setattr(programme, name, value)
    if not participants:  # IATI needs one: the reporting organisation funds its programme
        participants = [
            Participant(
                role="1",  # OrganisationRole 1: funding
                org_ref=programme.reporting_org_ref,
                org_type=programme.reporting_org_type,
                name=programme.reporting_org_name,
            )
        ]
    programme.participants = participants
    programme.recipients = [r for r in programme.recipients if not r.state_iso3] + recipients
    programme.sectors = sectors
    programme.budgets = budgets
    programme.last_updated = utcnow()


def snapshot(programme: Programme) -> dict[str, Any]:
    """What the audit log keeps of a programme: its fields and the parts an editor changes."""

    def day(value: dt.date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "natural_key": programme.natural_key,
        "title": programme.title,
        "description": programme.description,
        "reporting_org": [
            programme.reporting_org_ref,
            programme.reporting_org_name,
            programme.reporting_org_type,
        ],
        "status_code": programme.status_code,
        "dates": [
            day(programme.planned_start),
            day(programme.actual_start),
            day(programme.planned_end),
            day(programme.actual_end),
        ],
        "default_currency": programme.default_currency,
        "participants": [[p.role, p.org_ref, p.org_type, p.name] for p in programme.participants],
        "recipients": [[r.state_iso3 or r.region_code, r.percentage] for r in programme.recipients],
        "sectors": [[s.vocabulary, s.code, s.name, s.percentage] for s in programme.sectors],
        "budgets": [
            [b.kind, b.status, day(b.period_start), day(b.period_end), str(b.value), b.currency]
            for b in programme.budgets
        ],
    }


def get_programme(session: Session, programme_id: int) -> Programme:
    programme = session.get(Programme, programme_id)
    if programme is None:
        raise NotFoundError(f"no programme #{programme_id}")
    return programme


def create_programme(session: Session, actor: str, data: ProgrammeIn) -> Programme:
    """Store a new programme entered by ``actor``; audited."""
    programme = Programme(
        natural_key=f"rd-{uuid.uuid4()}",
        title="",
        created_by=actor[:100],
        language="en",
        hierarchy=1,
    )
    _apply(session, programme, data)
    session.add(programme)
    session.flush()
    audit.record(
        session, actor, "create", "capacity_programme", programme.id, after=snapshot(programme)
    )
    return programme


def update_programme(
    session: Session, actor: str, programme_id: int, data: ProgrammeIn
) -> Programme:
    """Restate a programme's fields and editable parts; audited when something changed."""
    programme = get_programme(session, programme_id)
    before = snapshot(programme)
    _apply(session, programme, data)
    session.flush()
    after = snapshot(programme)
    if before != after:
        audit.record(
            session, actor, "update", "capacity_programme", programme.id, before=before, after=after
        )
    return programme


def programme_input(programme: Programme) -> ProgrammeIn:
    """The stored programme as the form shows it (the edit page's first values)."""

    def day(value: dt.date | None) -> str:
        return value.isoformat() if value else ""

    def share(value: float | None) -> str:
        return "" if value is None else f"{value:g}"

    return ProgrammeIn(
        title=programme.title,
        description=programme.description or "",
        reporting_org_ref=programme.reporting_org_ref or "",
        reporting_org_name=programme.reporting_org_name or "",
        reporting_org_type=programme.reporting_org_type or "",
        status_code=programme.status_code or "",
        planned_start=day(programme.planned_start),
        actual_start=day(programme.actual_start),
        planned_end=day(programme.planned_end),
        actual_end=day(programme.actual_end),
        default_currency=programme.default_currency or "",
        participants=[
            ParticipantIn(
                role=p.role, name=p.name or "", ref=p.org_ref or "", type=p.org_type or ""
            )
            for p in programme.participants
        ],
        recipients=[
            RecipientIn(state=r.state_iso3, percentage=share(r.percentage))
            for r in programme.recipients
            if r.state_iso3
        ],
        sectors=[
            SectorIn(
                code=s.code or "",
                vocabulary=s.vocabulary,
                name=s.name or "",
                percentage=share(s.percentage),
            )
            for s in programme.sectors
        ],
        budgets=[
            BudgetIn(
                kind=b.kind,
                status=b.status or "",
                period_start=day(b.period_start),
                period_end=day(b.period_end),
                value=str(b.value),
                currency=b.currency or "",
                value_date=day(b.value_date),
            )
            for b in programme.budgets
        ],
    )


def _activity_fields(session: Session, data: ActivityIn) -> dict[str, Any]:
    check = Check(session)
    fields: dict[str, Any] = {
        "title": check.text(data.title, "title", required=True, limit=2000),
        "description": check.text(data.description, "description", limit=20000),
        "start_date": check.date(data.start_date, "start_date"),
        "end_date": check.date(data.end_date, "end_date"),
        "status_code": check.code(data.status_code, "ActivityStatus", "status_code", DIGITS),
    }
    check.order(fields["start_date"], fields["end_date"], "end_date")
    check.done()
    return fields


def _activity_snapshot(activity: Activity) -> dict[str, Any]:
    return {
        "programme_id": activity.programme_id,
        "title": activity.title,
        "description": activity.description,
        "start_date": activity.start_date.isoformat() if activity.start_date else None,
        "end_date": activity.end_date.isoformat() if activity.end_date else None,
        "status_code": activity.status_code,
    }


def add_activity(session: Session, actor: str, programme_id: int, data: ActivityIn) -> Activity:
    """Add an activity (a training, a mission, a grant) to a programme; audited."""
    programme = get_programme(session, programme_id)
    activity = Activity(
        programme_id=programme.id, created_by=actor[:100], **_activity_fields(session, data)
    )
    session.add(activity)
    session.flush()
    audit.record(
        session,
        actor,
        "create",
        "capacity_activity",
        activity.id,
        after=_activity_snapshot(activity),
    )
    return activity


def update_activity(session: Session, actor: str, activity_id: int, data: ActivityIn) -> Activity:
    """Restate an activity; audited when something changed."""
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise NotFoundError(f"no activity #{activity_id}")
    before = _activity_snapshot(activity)
    for name, value in _activity_fields(session, data).items():
        setattr(activity, name, value)
    session.flush()
    after = _activity_snapshot(activity)
    if before != after:
        audit.record(
            session, actor, "update", "capacity_activity", activity.id, before=before, after=after
        )
    return activity
