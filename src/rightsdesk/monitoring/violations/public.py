"""What the violations room offers other forms: documented events as the reader may see them
(``rightsdesk.forms.service("monitoring", "violation_events_by_ids")``).

Another form (the interventions framework cites events as evidence) must not import this
room nor decide access itself: ``access.visible`` decides here, once, and reads of confidential
events are audited like any other read (the caller commits).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.security.models import User
from rightsdesk.monitoring.violations.access import Principal, audit_read, visible
from rightsdesk.monitoring.violations.models import Event

__all__ = ["ViolationEventRef", "violation_events_by_ids", "violations_count_of_state"]

_BATCH = 500


@dataclass(frozen=True)
class ViolationEventRef:
    """A documented event as another form may show it: never victims, sources or places."""

    id: int
    title: str
    state_iso3: str | None
    start_date: dt.date | None
    confidentiality: str


def violation_events_by_ids(
    session: Session, ids: Iterable[int], reader: User | None
) -> dict[int, ViolationEventRef]:
    """The events with these ids that ``reader`` may read, by id (None: the store's operator
    at the command line). An id the reader may not read is left out exactly like one that
    does not exist, so the answer discloses nothing."""
    who = Principal.cli() if reader is None else Principal.of(reader)
    wanted = sorted(set(ids))
    out: dict[int, ViolationEventRef] = {}
    for start in range(0, len(wanted), _BATCH):
        stmt = select(Event).where(
            Event.id.in_(wanted[start : start + _BATCH]), visible(who, Event)
        )
        for event in session.scalars(stmt):
            audit_read(session, who, "violation_event", event)
            out[event.id] = ViolationEventRef(
                event.id, event.title, event.state_iso3, event.start_date, event.confidentiality
            )
    return out


def violations_count_of_state(session: Session, iso3: str, reader: User | None) -> int | None:
    """How many events documented in ``iso3`` the reader may see (None without a reader: a
    count built outside a request must not reveal what exists)."""
    if reader is None:
        return None
    from rightsdesk.monitoring.violations.search import EventFilters, search_events

    found = search_events(
        session, Principal.of(reader), EventFilters(state=iso3), page=1, per_page=1
    )
    return int(found.total)
