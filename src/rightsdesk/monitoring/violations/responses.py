"""Responses to an event (the Events Standard Formats' interventions): who did what about it,
a statement, an urgent appeal, a démarche, trial monitoring.

A response changes what the record says was done, so it needs the right to edit the event;
it takes the event's level, and it is audited like every other write.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from rightsdesk.core.errors import NotFoundError
from rightsdesk.core.security import audit
from rightsdesk.monitoring.violations import access
from rightsdesk.monitoring.violations.access import Action, Principal
from rightsdesk.monitoring.violations.input_checks import Check, Raw
from rightsdesk.monitoring.violations.models import RESPONSE_KINDS, Event, EventResponse

__all__ = ["add_response"]


def add_response(
    session: Session,
    who: Principal,
    event_id: int,
    kind: str,
    actor: str,
    date: dt.date | str | None = None,
    description: str | None = None,
    outcome: str | None = None,
) -> EventResponse:
    """Record what someone did about the event (a statement, an urgent appeal...): a change
    to the event, so it needs the right to edit it. The caller commits."""
    event = session.get(Event, event_id)
    if event is None:
        raise NotFoundError("no such record")
    access.require(who, Action.EDIT, event)
    check = Check()
    raw = Raw(
        {
            "kind": kind,
            "actor": actor,
            "date": date.isoformat() if isinstance(date, dt.date) else date,
            "description": description,
            "outcome": outcome,
        },
        "",
        check,
    )
    response = EventResponse(
        event_id=event.id,
        kind=raw.choice("kind", RESPONSE_KINDS) or "",
        actor=raw.text("actor", 300, required=True) or "",
        date=raw.day("date"),
        description=raw.text("description", 10_000),
        outcome=raw.text("outcome", 10_000),
        created_by=who.user_id,
    )
    if not response.kind:
        check.fail("kind", "one of " + ", ".join(RESPONSE_KINDS))
    check.done()
    session.add(response)
    session.flush()
    audit.record(
        session,
        who.actor,
        "create",
        "violation_response",
        response.id,
        after={
            "event_id": event.id,
            "kind": response.kind,
            "actor": response.actor,
            "date": response.date.isoformat() if response.date else None,
        },
    )
    return response
