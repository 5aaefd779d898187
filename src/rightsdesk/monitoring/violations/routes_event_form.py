"""The event form: ``/violations/new`` and ``/violations/events/{id}/edit`` (GET the form, POST
it). Included by ``routes_pages``.

Who may open it is ``access.may`` (CREATE for a new event; EDIT for a stored one), and the
service checks again when it writes. A form with mistakes comes back (422) with every message
next to its field and what was typed kept: the person typed the victim's name, so showing it
back to them discloses nothing. A stored child the user may not read is not in the form at
all (the service keeps it), and a sensitive value the user may not read is posted back as the
literal ``[withheld]``, which the service reads as "keep what is stored". An act whose victim
is hidden, and a perpetrator the user may not read, are left out of the form and kept
(``event_prefill`` decides what the form starts with).

Repeated blocks (victims, acts, sources) are numbered ``victims[0].name``; the form offers one
blank block of each under the filled ones, and "add another" re-renders the form with one more
(no JavaScript needed; ``?blocks=N`` on the new form offers N blank blocks of each).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.errors import InputError, PermissionDenied
from rightsdesk.core.security.models import User
from rightsdesk.core.states import State
from rightsdesk.monitoring.violations import service
from rightsdesk.monitoring.violations.access import Action, Principal, may, visible
from rightsdesk.monitoring.violations.event_input import parse_event_form
from rightsdesk.monitoring.violations.event_prefill import event_input_of
from rightsdesk.monitoring.violations.input_checks import FieldErrors
from rightsdesk.monitoring.violations.models import (
    EVENT_STATUSES,
    INVOLVEMENT_ROLES,
    LEVELS,
    SOURCE_CREDIBILITY,
    SOURCE_RELIABILITY,
    VICTIM_KINDS,
    Event,
    Perpetrator,
)
from rightsdesk.monitoring.violations.pages_words import WORDS
from rightsdesk.monitoring.violations.vocab import (
    AGE_GROUPS,
    SEXES,
    SOURCE_METHODS,
    SOURCE_TYPES,
    act_types,
)
from rightsdesk.web.deps import CsrfChecked, DbSession, Viewer, render

router = APIRouter()

BLOCKS = ("victims", "acts", "sources")
BLANK = 1  # blank blocks offered under the filled ones
MAX_SHOWN = 200  # blocks of one kind the form shows (the service's limit too)
PERPETRATOR_ROWS = 2  # perpetrator rows of a blank act block
_FIELD = re.compile(r"^(victims|acts|sources)\[(\d{1,3})\]\.([a-z_]{1,40})$")

Form = dict[str, Any]  # {"event": {...}, "victims": [{...}], "acts": [...], "sources": [...]}


async def posted(request: Request) -> Form:
    """The posted form as the template shows it: event fields, then each block's fields by
    index (a perpetrator's name and role as lists, paired by position)."""
    data = await request.form()
    form: Form = {"event": {}, "victims": [], "acts": [], "sources": [], "more": ""}
    for key in data:
        values = [v for v in data.getlist(key) if isinstance(v, str)]
        found = _FIELD.match(key)
        if found is None:
            if key in ("_more",):
                form["more"] = values[-1] if values else ""
            elif key != "csrf_token":
                form["event"][key] = values[-1] if values else ""
            continue
        kind, index, name = found.group(1), int(found.group(2)), found.group(3)
        if index >= MAX_SHOWN:
            continue
        rows: list[dict[str, Any]] = form[kind]
        while len(rows) <= index:
            rows.append({})
        if kind == "acts" and name in ("perpetrator", "perpetrator_role"):
            rows[index][name] = values
        else:
            rows[index][name] = values[-1] if values else ""
    return form


Posted = Annotated[Form, Depends(posted)]


def form_of(who: Principal, event: Event) -> Form:
    """A stored event as the edit form shows it (``event_prefill``: children the user may read
    only, sensitive values they may not read as ``[withheld]``)."""
    data = event_input_of(who, event)
    fields = {
        name: _text(getattr(data, name))
        for name in ("title", "description", "state_iso3", "area", "place", "status")
    }
    fields.update(
        start_date=_date_text(data.start_date, data.start_precision),
        end_date=_date_text(data.end_date, data.end_precision),
        latitude=_text(data.latitude),
        longitude=_text(data.longitude),
        location_sensitive="on" if data.location_sensitive else "",
        confidentiality=data.confidentiality,
    )
    acts: list[dict[str, str | list[str]]] = []
    for act in data.acts:
        row: dict[str, str | list[str]] = {
            k: _text(v) for k, v in vars(act).items() if k != "perpetrators"
        }
        row["perpetrator"] = [name for name, _ in act.perpetrators]
        row["perpetrator_role"] = [role for _, role in act.perpetrators]
        acts.append(row)
    return {
        "event": fields,
        "victims": [{k: _text(v) for k, v in vars(x).items()} for x in data.victims],
        "acts": acts,
        "sources": [{k: _text(v) for k, v in vars(x).items()} for x in data.sources],
        "more": "",
    }


def hidden_parts(who: Principal, event: Event | None) -> dict[str, Any]:
    """What the edit form leaves out because the user may not read it, counted so the form
    can say it stays as it is: victims, sources, and each act's perpetrators (by act id)."""
    if event is None:
        return {"victims": 0, "sources": 0, "perpetrators": {}}
    perpetrators = {
        str(act.id): n
        for act in event.acts
        if (n := sum(not may(who, Action.READ, i.perpetrator) for i in act.involvements))
    }
    return {
        "victims": sum(not may(who, Action.READ, v, event) for v in event.victims),
        "sources": sum(not may(who, Action.READ, x, event) for x in event.sources),
        "perpetrators": perpetrators,
    }


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value.isoformat()) if hasattr(value, "isoformat") else str(value)


def _date_text(value: dt.date | None, precision: str) -> str:
    """A stored date back as typed: "2019" (year known), "2019-03" (month), a day."""
    if value is None or precision == "unknown":
        return ""
    shown = {"year": "%Y", "month": "%Y-%m"}.get(precision, "%Y-%m-%d")
    return value.strftime(shown)


def _with_blanks(form: Form, blank: int, more: str = "") -> Form:
    """The form with ``blank`` empty blocks of each kind (one more of ``more``)."""
    out = dict(form)
    for kind in BLOCKS:
        extra = blank + (1 if more == kind else 0)
        rows = list(form[kind])[:MAX_SHOWN]
        out[kind] = rows + [{} for _ in range(max(0, min(extra, MAX_SHOWN - len(rows))))]
    return out


def _choices(db: Session, who: Principal) -> dict[str, Any]:
    """What the form's selects and suggestion lists offer."""
    perpetrators = db.execute(
        select(Perpetrator.natural_key, Perpetrator.name)
        .where(visible(who, Perpetrator))
        .order_by(Perpetrator.name)
        .limit(2000)
    ).all()
    return {
        "act_types": [(a.code, a.label) for a in act_types(db)],
        "states": db.execute(select(State.iso3, State.name).order_by(State.name)).all(),
        "perpetrators": perpetrators,
        "statuses": EVENT_STATUSES,
        "levels": LEVELS,
        "victim_kinds": VICTIM_KINDS,
        "sexes": SEXES,
        "age_groups": AGE_GROUPS,
        "source_types": SOURCE_TYPES,
        "methods": SOURCE_METHODS,
        "reliability": SOURCE_RELIABILITY,
        "credibility": SOURCE_CREDIBILITY,
        "roles": INVOLVEMENT_ROLES,
        "words": WORDS,
    }


def _page(
    request: Request,
    db: Session,
    user: User,
    form: Form,
    event: Event | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    who = Principal.of(user)
    response = render(
        request,
        "violations/event_form.html",
        user,
        form=form,
        event=event,
        errors=errors or {},
        perpetrator_rows=PERPETRATOR_ROWS,
        hidden=hidden_parts(who, event),
        action="/violations/new" if event is None else f"/violations/events/{event.id}/edit",
        **_choices(db, who),
    )
    response.status_code = status_code
    return response


def _blank_count(request: Request) -> int:
    text = request.query_params.get("blocks", "")
    return min(int(text), 20) if text.isdecimal() and int(text) > 0 else BLANK


def _editable(db: Session, who: Principal, event_id: int) -> Event:
    """The stored event, if the user may read it (404 otherwise) and edit it (403), and see
    every sensitive value of it that the form would show."""
    event = service.get_event(db, who, event_id)
    if not (may(who, Action.EDIT, event) and may(who, Action.READ_SENSITIVE, event)):
        raise PermissionDenied(f"your role ({who.role}) does not allow editing this event")
    return event


def field_errors(exc: InputError) -> dict[str, str]:
    """Field name -> message of a refused input (one message for a single ``InputError``)."""
    if isinstance(exc, FieldErrors):
        return exc.errors
    return {exc.location.field or "form": exc.reason}


def _form_data(request_form: Form) -> dict[str, Any]:
    """The posted fields back as the flat names ``parse_event_form`` reads."""
    flat: dict[str, Any] = dict(request_form["event"])
    for kind in BLOCKS:
        for i, row in enumerate(request_form[kind]):
            for name, value in row.items():
                flat[f"{kind}[{i}].{name}"] = value
    return flat


@router.get("/violations/new", include_in_schema=False)
def new_event_page(request: Request, db: DbSession, user: Viewer) -> Response:
    """The blank event form (roles that may create events: collector, editor, admin)."""
    who = Principal.of(user)
    if not may(who, Action.CREATE):
        raise PermissionDenied(f"your role ({who.role}) does not allow documenting events")
    blank: Form = {"event": {}, "victims": [], "acts": [], "sources": [], "more": ""}
    return _page(request, db, user, _with_blanks(blank, _blank_count(request)))


@router.post("/violations/new", include_in_schema=False)
def post_new_event(
    request: Request, db: DbSession, user: Viewer, _csrf: CsrfChecked, form: Posted
) -> Response:
    who = Principal.of(user)
    if not may(who, Action.CREATE):
        raise PermissionDenied(f"your role ({who.role}) does not allow documenting events")
    if form["more"]:
        return _page(request, db, user, _with_blanks(form, 0, form["more"]))
    try:
        event = service.create_event(db, who, parse_event_form(_form_data(form)))
    except InputError as exc:
        db.rollback()
        page = _with_blanks(form, 0)
        return _page(request, db, user, page, errors=field_errors(exc), status_code=422)
    db.commit()
    return RedirectResponse(f"/violations/events/{event.id}", status_code=303)


@router.get("/violations/events/{event_id}/edit", include_in_schema=False)
def edit_event_page(request: Request, db: DbSession, user: Viewer, event_id: int) -> Response:
    who = Principal.of(user)
    event = _editable(db, who, event_id)
    form = _with_blanks(form_of(who, event), BLANK)
    db.commit()  # the audited read of a confidential event
    return _page(request, db, user, form, event)


@router.post("/violations/events/{event_id}/edit", include_in_schema=False)
def post_edit_event(
    request: Request,
    db: DbSession,
    user: Viewer,
    _csrf: CsrfChecked,
    form: Posted,
    event_id: int,
) -> Response:
    who = Principal.of(user)
    event = _editable(db, who, event_id)
    if form["more"]:
        db.commit()  # the audited read
        return _page(request, db, user, _with_blanks(form, 0, form["more"]), event)
    try:
        service.update_event(db, who, event_id, parse_event_form(_form_data(form)))
    except InputError as exc:
        db.rollback()
        event = _editable(db, who, event_id)
        db.commit()  # the audited read (the refused change was rolled back)
        page = _with_blanks(form, 0)
        return _page(request, db, user, page, event, field_errors(exc), status_code=422)
    db.commit()
    return RedirectResponse(f"/violations/events/{event_id}", status_code=303)
