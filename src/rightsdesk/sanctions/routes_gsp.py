"""Pages and JSON API of the GSP+ conformity table.

- ``/sanctions/gsp``: every state x the 27 conventions (filter by name, by standing), each
  cell's status, date, source and as-of date in its tooltip;
- ``/sanctions/gsp/{iso3}``: one state's 27 conventions with every source, and for editors a
  form to record a status (CSRF-checked, audited; ``gsp.record``);
- ``/api/v1/sanctions/gsp`` and ``/api/v1/sanctions/gsp/{iso3}``: the same as JSON.

Reading needs ``Viewer`` (ratification status is public); recording needs ``Editor``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from rightsdesk.core.errors import (
    InputError,
    PermissionDenied,
    RightsdeskError,
    UnknownStateError,
)
from rightsdesk.core.resolver import resolve_state
from rightsdesk.core.security.models import User
from rightsdesk.sanctions.gsp import (
    CONVENTIONS,
    GROUPS,
    REGULATION,
    StateConformity,
    StatusInput,
    conformity,
    incentives_of,
    set_status,
    state_conformity,
)
from rightsdesk.sanctions.gsp.schemas import GspTableOut, StateConformityOut, StatusIn
from rightsdesk.sanctions.models import CONVENTION_STATUSES
from rightsdesk.web.deps import CsrfChecked, DbSession, Editor, Viewer, render
from rightsdesk.web.schemas import error_responses

router = APIRouter()
TAG = "sanctions"
#: the table's filters (``show``)
SHOWS = {
    "all": "all states",
    "qualify": "all 27 ratified",
    "missing": "some convention not ratified",
    "unknown": "some status unknown",
}


def form_editor(user: Editor, _csrf: CsrfChecked) -> User:
    """An editor posting the record form (role first, then the CSRF token)."""
    return user


FormEditor = Annotated[User, Depends(form_editor)]


def bearer_editor(request: Request, user: Editor) -> User:
    """API writes need a bearer token: a browser cookie alone must not change a status."""
    if not request.headers.get("authorization", "").lower().startswith("bearer "):
        raise PermissionDenied("API changes need an API token (Authorization: Bearer TOKEN)")
    return user


BearerEditor = Annotated[User, Depends(bearer_editor)]


def _iso3(text: str) -> str:
    code = resolve_state(text)
    return code


def _filtered(rows: list[StateConformity], q: str, show: str) -> list[StateConformity]:
    needle = q.strip().lower()
    if needle:
        rows = [r for r in rows if needle in r.name.lower() or needle == r.iso3.lower()]
    if show == "qualify":
        rows = [r for r in rows if r.could_qualify]
    elif show == "missing":
        rows = [r for r in rows if r.missing]
    elif show == "unknown":
        rows = [r for r in rows if r.unknown]
    return rows


def _conventions() -> list[dict[str, Any]]:
    return [
        {
            "item": c.item,
            "key": c.key,
            "short": c.short,
            "title": c.title,
            "part": c.part,
            "group": c.group,
            "adopted": c.adopted,
            "known_from": c.known_from,
            "importers": list(c.importers),
        }
        for c in CONVENTIONS
    ]


@router.get("/sanctions/gsp", include_in_schema=False)
def gsp_page(request: Request, db: DbSession, user: Viewer) -> Response:
    params = request.query_params
    q = params.get("q", "")[:100]
    show = params.get("show", "all")
    if show not in SHOWS:
        show = "all"
    rows = conformity(db)
    shown = _filtered(rows, q, show)
    return render(
        request,
        "sanctions/gsp.html",
        user,
        rows=shown,
        total=len(rows),
        conventions=CONVENTIONS,
        groups=GROUPS,
        regulation=REGULATION,
        q=q,
        show=show,
        shows=SHOWS,
    )


def _state_page(
    request: Request,
    db: Session,
    user: User,
    iso3: str,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    row = state_conformity(db, iso3)
    response = render(
        request,
        "sanctions/gsp_state.html",
        user,
        row=row,
        conventions=CONVENTIONS,
        groups=GROUPS,
        regulation=REGULATION,
        incentives=incentives_of(db, iso3),
        statuses=(*CONVENTION_STATUSES, "unknown"),
        can_edit=user.role in ("editor", "admin"),
        errors=errors or {},
        form=form or {},
    )
    response.status_code = status_code
    return response


@router.get("/sanctions/gsp/{iso3}", include_in_schema=False)
def gsp_state_page(request: Request, db: DbSession, user: Viewer, iso3: str) -> Response:
    code = _iso3(iso3)
    if code != iso3:
        return RedirectResponse(f"/sanctions/gsp/{code}", status_code=307)
    return _state_page(request, db, user, code)


@router.post("/sanctions/gsp/{iso3}", include_in_schema=False)
def gsp_record(
    request: Request,
    db: DbSession,
    user: FormEditor,
    iso3: str,
    convention: Annotated[str, Form()] = "",
    status: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "",
    date: Annotated[str, Form()] = "",
    as_of: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    code = _iso3(iso3)
    form = {
        "convention": convention,
        "status": status,
        "source": source,
        "date": date,
        "as_of": as_of,
        "note": note,
    }
    try:
        set_status(db, user.name, StatusInput(code, convention, status, source, date, as_of, note))
    except UnknownStateError:
        raise
    except RightsdeskError as exc:
        db.rollback()
        field = exc.location.field if isinstance(exc, InputError) else None
        message = exc.reason if isinstance(exc, InputError) else exc.message
        errors = {field or "form": message}
        return _state_page(request, db, user, code, errors, form, status_code=422)
    db.commit()
    return RedirectResponse(f"/sanctions/gsp/{code}#gsp-{convention.upper()}", status_code=303)


# --- JSON API ---------------------------------------------------------------------------------


@router.get(
    "/api/v1/sanctions/gsp",
    tags=[TAG],
    response_model=GspTableOut,
    responses=error_responses(InputError),
)
def api_gsp(request: Request, db: DbSession, user: Viewer) -> GspTableOut:
    """Every state's standing towards the 27 GSP+ conventions (Regulation (EU) No 978/2012,
    Annex VIII): per cell the status (``unknown`` when no source records it; never read as
    "not ratified"), date, the date the source speaks for, and the source. ``q`` filters by
    state name or code, ``show`` by standing (all, qualify, missing, unknown)."""
    params = request.query_params
    show = params.get("show", "all")
    if show not in SHOWS:
        raise InputError(f"unknown show {show!r}; use {', '.join(SHOWS)}", field="show")
    rows = _filtered(conformity(db), params.get("q", "")[:100], show)
    return GspTableOut.model_validate(
        {
            "regulation": REGULATION,
            "conventions": _conventions(),
            "states": [r.to_dict() for r in rows],
        }
    )


@router.get(
    "/api/v1/sanctions/gsp/{iso3}",
    tags=[TAG],
    response_model=StateConformityOut,
    responses=error_responses(UnknownStateError),
)
def api_gsp_state(db: DbSession, user: Viewer, iso3: str) -> StateConformityOut:
    """One state's 27 cells, each with every source that records it (``other_sources``)."""
    return StateConformityOut.model_validate(state_conformity(db, _iso3(iso3)).to_dict())


@router.put(
    "/api/v1/sanctions/gsp/{iso3}",
    tags=[TAG],
    response_model=StateConformityOut,
    responses=error_responses(UnknownStateError, InputError),
)
def api_gsp_record(
    db: DbSession, user: BearerEditor, iso3: str, body: StatusIn
) -> StateConformityOut:
    """Record one source's status of the state towards a convention (as ``sanctions
    gsp-set`` and the state page's form do; audited); ``status: unknown`` removes that
    source's record. Needs an editor's API token. Returns the state's 27 cells."""
    code = _iso3(iso3)
    data = StatusInput(
        code, body.convention, body.status, body.source, body.date, body.as_of, body.note
    )
    set_status(db, user.name, data)
    db.commit()
    return StateConformityOut.model_validate(state_conformity(db, code).to_dict())
