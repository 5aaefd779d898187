"""Pages of violations documentation: the event list (filters, facet counts, pages), an event,
responses to it, a victim and a perpetrator. The event form is ``routes_event_form``'s, the
timeline and the map ``routes_views``'.

Every route takes a logged-in user with READ (``Viewer``: a collector has it) and asks
``access`` about each record through the service and the view builders: a record the user may
not read is "not found" (404), a readable one the user may not change is "permission denied"
(403). Lists and facets count only what ``access.visible`` lets through, so a number on a page
never reveals a record the reader cannot open. Sensitive values reach the templates already
replaced by ``[withheld]`` where the reader may not see them (``views.py``); the templates
never decide that.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from rightsdesk.core.errors import InputError
from rightsdesk.core.security.models import User
from rightsdesk.monitoring.violations import routes_event_form, service, views
from rightsdesk.monitoring.violations.access import Action, Principal, may
from rightsdesk.monitoring.violations.attachments import attachment_context
from rightsdesk.monitoring.violations.models import EVENT_STATUSES, LEVELS, RESPONSE_KINDS, Event
from rightsdesk.monitoring.violations.pages_filters import (
    ListQuery,
    drop_refused,
    facet_values,
    parse_query,
    url_builder,
)
from rightsdesk.monitoring.violations.pages_words import WORDS, word
from rightsdesk.monitoring.violations.perpetrators import list_perpetrators
from rightsdesk.monitoring.violations.search import EventPage, event_select, search_events
from rightsdesk.monitoring.violations.vocab import act_types, date_text
from rightsdesk.web.deps import CsrfChecked, DbSession, Viewer, render

router = APIRouter()
router.include_router(routes_event_form.router)

PER_PAGE = 50
#: facets of the list: (key in ``EventPage.facets``, URL parameter, heading)
FACETS = (
    ("state", "state", "State"),
    ("act_type", "act_type", "Violation type"),
    ("year", "year", "Year"),
    ("status", "status", "Status"),
    ("confidentiality", "level", "Confidentiality"),
)


def page_context(db: Session, who: Principal, query: ListQuery, path: str) -> dict[str, Any]:
    """What the list, the timeline and the map share: the filter form's choices and values,
    and the links that keep the filters when moving between them."""
    return {
        "query": query,
        "url": url_builder(query, path),
        "act_types": [(a.code, a.label) for a in act_types(db)],
        "perpetrators": [(p.id, p.name) for p in list_perpetrators(db, who)],
        "statuses": EVENT_STATUSES,
        "levels": LEVELS,
        "words": WORDS,
        "word": word,
        "date_text": date_text,
        "can_create": may(who, Action.CREATE),
    }


def searched(db: Session, who: Principal, query: ListQuery, per_page: int) -> EventPage:
    """``search_events`` for the query; a filter the search refuses (an unknown state name,
    say) is said next to its field and left out, rather than failing the page."""
    try:
        return search_events(db, who, query.filters, page=query.page, per_page=per_page)
    except InputError as exc:
        drop_refused(query, exc)
        return search_events(db, who, query.filters, page=query.page, per_page=per_page)


def visible_ids(db: Session, who: Principal, query: ListQuery) -> Select[int]:
    """The ids of the events the query finds and the user may read (``search.event_select``),
    a refused filter left out as ``searched`` does."""
    try:
        return event_select(db, who, query.filters)
    except InputError as exc:
        drop_refused(query, exc)
        return event_select(db, who, query.filters)


def coverage(db: Session, who: Principal, query: ListQuery) -> tuple[Any, Any, int]:
    """The first and last start dates of the events shown, and how many have no date."""
    ids = visible_ids(db, who, query)
    first, last, undated = db.execute(
        select(
            func.min(Event.start_date),
            func.max(Event.start_date),
            func.count(Event.id).filter(Event.start_date.is_(None)),
        ).where(Event.id.in_(ids))
    ).one()
    return first, last, int(undated or 0)


@router.get("/violations", include_in_schema=False)
def events_page(request: Request, db: DbSession, user: Viewer) -> Response:
    """The events the user may read, filtered, with facet counts and numbered pages."""
    who = Principal.of(user)
    query = parse_query(request.query_params)
    result = searched(db, who, query, PER_PAGE)
    facets = [
        (param, title, facet_values(param, result.facets.get(key, []), query))
        for key, param, title in FACETS
    ]
    return render(
        request,
        "violations/events.html",
        user,
        result=result,
        facets=facets,
        coverage=coverage(db, who, query),
        **page_context(db, who, query, "/violations"),
    )


def _event_page(
    request: Request,
    db: Session,
    user: User,
    event_id: int,
    response_form: dict[str, str] | None = None,
    response_errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    who = Principal.of(user)
    event = service.get_event(db, who, event_id)  # 404 unless readable; audits the read
    view = views.event_view(who, event)
    attachments = attachment_context(who, event, request.app.state.settings)
    db.commit()
    response = render(
        request,
        "violations/event.html",
        user,
        v=view,
        response_kinds=RESPONSE_KINDS,
        response_form=response_form or {},
        response_errors=response_errors or {},
        words=WORDS,
        word=word,
        **attachments,
    )
    response.status_code = status_code
    return response


@router.get("/violations/events/{event_id}", include_in_schema=False)
def event_page(request: Request, db: DbSession, user: Viewer, event_id: int) -> Response:
    """One event: what, when, where, acts with victims and perpetrators, sources, responses."""
    return _event_page(request, db, user, event_id)


@router.post("/violations/events/{event_id}/responses", include_in_schema=False)
def post_response(
    request: Request,
    db: DbSession,
    user: Viewer,
    _csrf: CsrfChecked,
    event_id: int,
    kind: Annotated[str, Form()] = "",
    actor: Annotated[str, Form()] = "",
    date: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    outcome: Annotated[str, Form()] = "",
) -> Response:
    """Record a response to the event (needs the right to edit it: the service checks)."""
    who = Principal.of(user)
    typed = {
        "kind": kind,
        "actor": actor,
        "date": date,
        "description": description,
        "outcome": outcome,
    }
    try:
        service.add_response(
            db, who, event_id, kind, actor, date or None, description or None, outcome or None
        )
    except InputError as exc:
        db.rollback()
        errors = routes_event_form.field_errors(exc)
        return _event_page(request, db, user, event_id, typed, errors, status_code=422)
    db.commit()
    return RedirectResponse(f"/violations/events/{event_id}#responses", status_code=303)


@router.get("/violations/victims/{victim_id}", include_in_schema=False)
def victim_page(request: Request, db: DbSession, user: Viewer, victim_id: int) -> Response:
    """A victim and the acts done to them, as far as the user may read."""
    view = views.victim_view(db, Principal.of(user), victim_id)
    db.commit()  # a confidential victim's read is audited
    return render(
        request, "violations/victim.html", user, v=view, words=WORDS, word=word, date_text=date_text
    )


@router.get("/violations/perpetrators/{perpetrator_id}", include_in_schema=False)
def perpetrator_page(
    request: Request, db: DbSession, user: Viewer, perpetrator_id: int
) -> Response:
    """A perpetrator: who they are, their chain of command, their acts across the events the
    user may read."""
    view = views.perpetrator_view(db, Principal.of(user), perpetrator_id)
    db.commit()
    return render(
        request,
        "violations/perpetrator.html",
        user,
        v=view,
        words=WORDS,
        word=word,
        date_text=date_text,
    )
