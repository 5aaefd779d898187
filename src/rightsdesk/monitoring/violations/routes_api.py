"""The JSON API of violations documentation: ``/api/v1/violations/...``.

Every route takes a logged-in reader (``Viewer``) and then asks ``access`` about the record
itself, because a collector, who holds no general edit permission, may still create events and
change its own. Writes from a browser session must carry the page's CSRF token in
``X-CSRF-Token`` (``web.deps.current_user`` checks every unsafe API call); scripts use an API
token (``Authorization: Bearer``), which needs none. A route that writes, or that reads a
confidential record (an audited read), commits before answering.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from rightsdesk.core.errors import ConflictError, InputError, NotFoundError, UnknownStateError
from rightsdesk.core.security.models import User
from rightsdesk.monitoring.violations import service
from rightsdesk.monitoring.violations.access import Principal
from rightsdesk.monitoring.violations.event_input import parse_event_json
from rightsdesk.monitoring.violations.schemas import (
    ActTypeOut,
    EventIn,
    EventOut,
    EventPageOut,
    EventRowOut,
    FacetOut,
    PerpetratorOut,
    PerpetratorSummaryOut,
    ResponseIn,
    ResponseOut,
    VictimOut,
)
from rightsdesk.monitoring.violations.search import MAX_PER_PAGE, EventFilters, search_events
from rightsdesk.monitoring.violations.views import event_view, perpetrator_view, victim_view
from rightsdesk.monitoring.violations.vocab import words
from rightsdesk.web.deps import DbSession, Viewer
from rightsdesk.web.schemas import error_responses

router = APIRouter(prefix="/api/v1/violations", tags=["violations"])

RecordId = Annotated[int, Path(ge=1, le=2**53, description="The record's number.")]
READ_ERRORS = error_responses(NotFoundError)
WRITE_ERRORS = error_responses(NotFoundError, InputError, ConflictError)


def _who(user: User) -> Principal:
    return Principal.of(user)


@router.get(
    "/events",
    response_model=EventPageOut,
    responses=error_responses(InputError, UnknownStateError),
)
def api_events(
    db: DbSession,
    user: Viewer,
    state: Annotated[str | None, Query(max_length=200, description="ISO3 or name.")] = None,
    date_from: Annotated[dt.date | None, Query(alias="from")] = None,
    date_to: Annotated[dt.date | None, Query(alias="to")] = None,
    act_type: Annotated[str | None, Query(max_length=60)] = None,
    perpetrator: Annotated[int | None, Query(ge=1, le=2**53)] = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    level: Annotated[str | None, Query(max_length=30, description="Confidentiality.")] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="In title, description and area.")
    ] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 50,
) -> EventPageOut:
    """Events the caller may read matching every filter given, newest first, with the total
    and facet counts (counted among what the caller may read only)."""
    filters = EventFilters(
        state=state,
        date_from=date_from,
        date_to=date_to,
        act_type=act_type,
        perpetrator=perpetrator,
        status=status,
        confidentiality=level,
        q=q,
    )
    found = search_events(db, _who(user), filters, page=page, per_page=per_page)
    return EventPageOut(
        rows=[EventRowOut.model_validate(r) for r in found.rows],
        total=found.total,
        page=found.page,
        per_page=found.per_page,
        pages=found.pages,
        facets={
            name: [FacetOut(value=v, label=label, count=n) for v, label, n in values]
            for name, values in found.facets.items()
        },
    )


@router.post("/events", status_code=201, response_model=EventOut, responses=WRITE_ERRORS)
def api_create_event(db: DbSession, user: Viewer, body: EventIn) -> EventOut:
    """Enter an event with its victims, acts and sources (collectors, editors, admins).
    A 400 ``input-error`` lists every faulty field in ``fields``."""
    who = _who(user)
    event = service.create_event(db, who, parse_event_json(body.model_dump()))
    db.commit()
    return EventOut.model_validate(event_view(who, event))


@router.get("/events/{event_id}", response_model=EventOut, responses=READ_ERRORS)
def api_event(db: DbSession, user: Viewer, event_id: RecordId) -> EventOut:
    """One event as the caller may see it; sensitive fields are ``[withheld]`` unless the
    caller may read them. Reading a confidential event is recorded in the audit log."""
    who = _who(user)
    out = EventOut.model_validate(event_view(who, service.get_event(db, who, event_id)))
    db.commit()
    return out


@router.put("/events/{event_id}", response_model=EventOut, responses=WRITE_ERRORS)
def api_update_event(db: DbSession, user: Viewer, event_id: RecordId, body: EventIn) -> EventOut:
    """Restate an event (stored victims and sources by their ``id``); children the caller
    may not read are kept."""
    who = _who(user)
    event = service.update_event(db, who, event_id, parse_event_json(body.model_dump()))
    db.commit()
    return EventOut.model_validate(event_view(who, event))


@router.delete(
    "/events/{event_id}", status_code=204, response_class=Response, responses=READ_ERRORS
)
def api_delete_event(db: DbSession, user: Viewer, event_id: RecordId) -> Response:
    """Delete an event and all documented in it (admins only; audited)."""
    service.delete_event(db, _who(user), event_id)
    db.commit()
    return Response(status_code=204)


@router.post(
    "/events/{event_id}/responses",
    status_code=201,
    response_model=ResponseOut,
    responses=WRITE_ERRORS,
)
def api_add_response(
    db: DbSession, user: Viewer, event_id: RecordId, body: ResponseIn
) -> ResponseOut:
    """Record a response to the event (statement, urgent appeal, démarche...): needs the
    right to edit the event."""
    response = service.add_response(
        db,
        _who(user),
        event_id,
        body.kind,
        body.actor,
        body.date,
        body.description,
        body.outcome,
    )
    db.commit()
    return ResponseOut(
        id=response.id,
        kind=response.kind,
        kind_label=words(response.kind),
        actor=response.actor,
        date=response.date,
        description=response.description,
        outcome=response.outcome,
    )


@router.get("/act-types", response_model=list[ActTypeOut], responses=error_responses())
def api_act_types(db: DbSession, user: Viewer) -> list[ActTypeOut]:
    """The act vocabulary (codes for ``acts[].act_type``)."""
    return [ActTypeOut.model_validate(a) for a in service.act_types(db)]


@router.get(
    "/perpetrators", response_model=list[PerpetratorSummaryOut], responses=error_responses()
)
def api_perpetrators(db: DbSession, user: Viewer) -> list[PerpetratorSummaryOut]:
    """The perpetrators the caller may read, by name."""
    found = service.list_perpetrators(db, _who(user))
    return [PerpetratorSummaryOut.model_validate(p) for p in found]


@router.get("/perpetrators/{perpetrator_id}", response_model=PerpetratorOut, responses=READ_ERRORS)
def api_perpetrator(db: DbSession, user: Viewer, perpetrator_id: RecordId) -> PerpetratorOut:
    """A perpetrator with its acts across the events the caller may read."""
    out = PerpetratorOut.model_validate(perpetrator_view(db, _who(user), perpetrator_id))
    db.commit()
    return out


@router.get("/victims/{victim_id}", response_model=VictimOut, responses=READ_ERRORS)
def api_victim(db: DbSession, user: Viewer, victim_id: RecordId) -> VictimOut:
    """One victim (identity ``[withheld]`` unless the caller may read it)."""
    out = VictimOut.model_validate(victim_view(db, _who(user), victim_id))
    db.commit()
    return out
