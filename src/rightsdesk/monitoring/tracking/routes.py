"""Pages and JSON API of implementation tracking: the forms on recommendation and cluster pages,
a state's implementation page (/implementation/ISO3) and ``/api/v1/implementation/...``.

Reading needs ``Viewer``; every change ``Editor``. Page forms carry the CSRF token
(``FormEditor``); API writes must come with a bearer token, so a browser session cookie alone
can never change a record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from rightsdesk.core.errors import (
    InputError,
    NotFoundError,
    PermissionDenied,
    RightsdeskError,
    UnknownStateError,
)
from rightsdesk.core.security.models import User
from rightsdesk.core.states import get_state
from rightsdesk.monitoring.tracking import service as tracking
from rightsdesk.monitoring.tracking.dashboard import (
    dashboard_view,
    implementation_page,
    record_view,
    saved_record,
)
from rightsdesk.monitoring.tracking.models import IMPLEMENTATION_STATUSES, ImplementationRecord
from rightsdesk.monitoring.tracking.schemas import (
    ActionIn,
    ActionUpdate,
    ClusterStatusIn,
    DashboardOut,
    IndicatorIn,
    IndicatorUpdate,
    RecordOut,
    ReportIn,
    StatusIn,
)
from rightsdesk.web.deps import CsrfChecked, DbSession, Editor, Viewer, render, safe_next
from rightsdesk.web.schemas import error_responses

router = APIRouter()
Route = Callable[[Callable[..., Any]], Callable[..., Any]]


def form_editor(user: Editor, _csrf: CsrfChecked) -> User:
    """An editor posting one of our page forms (role first, then the CSRF token)."""
    return user


FormEditor = Annotated[User, Depends(form_editor)]


def _form_post(path: str) -> Route:
    """The target of a page form (not part of the API document)."""
    return router.post(path, include_in_schema=False)


# --- page forms -----------------------------------------------------------------------------


@_form_post("/recommendations/{rec_id}/implementation")
def post_status(
    db: DbSession,
    user: FormEditor,
    rec_id: int,
    status: Annotated[str, Form()],
    responsible_institutions: Annotated[str, Form()] = "",
    notes: Annotated[str, Form()] = "",
) -> Response:
    tracking.set_status(
        db,
        user.name,
        status,
        recommendation_id=rec_id,
        responsible_institutions=responsible_institutions,
        notes=notes,
    )
    db.commit()
    return RedirectResponse(f"/recommendations/{rec_id}#implementation", status_code=303)


@_form_post("/recommendations/clusters/{cluster_id}/implementation")
def post_cluster_status(
    db: DbSession,
    user: FormEditor,
    cluster_id: int,
    status: Annotated[str, Form()],
    state_iso3: Annotated[str, Form()],
    responsible_institutions: Annotated[str, Form()] = "",
    notes: Annotated[str, Form()] = "",
) -> Response:
    tracking.set_status(
        db,
        user.name,
        status,
        cluster_id=cluster_id,
        state_iso3=get_state(db, state_iso3).iso3,
        responsible_institutions=responsible_institutions,
        notes=notes,
    )
    db.commit()
    return RedirectResponse(f"/recommendations/clusters/{cluster_id}", status_code=303)


def _back(db: Session, record: ImplementationRecord, next_url: str) -> RedirectResponse:
    """Commit, then back to the page the form came from (same site only)."""
    db.commit()
    default = (
        f"/recommendations/{record.recommendation_id}#implementation"
        if record.recommendation_id
        else f"/recommendations/clusters/{record.cluster_id}"
    )
    return RedirectResponse(safe_next(next_url, default), status_code=303)


@_form_post("/implementation/records/{record_id}/actions")
def post_action(
    db: DbSession,
    user: FormEditor,
    record_id: int,
    description: Annotated[str, Form()],
    due_date: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    action = tracking.add_action(db, user.name, record_id, description, due_date or None)
    return _back(db, action.record, next)


@_form_post("/implementation/actions/{action_id}/done")
def post_action_done(
    db: DbSession,
    user: FormEditor,
    action_id: int,
    done: Annotated[str, Form()] = "1",
    next: Annotated[str, Form()] = "",
) -> Response:
    action = tracking.update_action(db, user.name, action_id, done=done == "1")
    return _back(db, action.record, next)


@_form_post("/implementation/records/{record_id}/indicators")
def post_indicator(
    db: DbSession,
    user: FormEditor,
    record_id: int,
    name: Annotated[str, Form()],
    target: Annotated[str, Form()] = "",
    value: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    indicator = tracking.add_indicator(db, user.name, record_id, name, target, value)
    return _back(db, indicator.record, next)


@_form_post("/implementation/indicators/{indicator_id}/value")
def post_indicator_value(
    db: DbSession,
    user: FormEditor,
    indicator_id: int,
    value: Annotated[str, Form()],
    next: Annotated[str, Form()] = "",
) -> Response:
    indicator = tracking.update_indicator(db, user.name, indicator_id, value=value)
    return _back(db, indicator.record, next)


@_form_post("/implementation/records/{record_id}/reports")
def post_report(
    db: DbSession,
    user: FormEditor,
    record_id: int,
    text: Annotated[str, Form()],
    date: Annotated[str, Form()] = "",
    evidence_links: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
) -> Response:
    report = tracking.add_report(db, user.name, record_id, text, date or None, evidence_links)
    return _back(db, report.record, next)


def render_tracked(request: Request, template: str, user: User, **context: Any) -> Response:
    """A page showing implementation records (``monitoring/_implementation.html``)."""
    today = dt.date.today()
    return render(request, template, user, statuses=IMPLEMENTATION_STATUSES, today=today, **context)


@router.get("/implementation/{code}", include_in_schema=False)
def state_implementation_page(request: Request, db: DbSession, user: Viewer, code: str) -> Response:
    page = implementation_page(db, code)
    return render_tracked(request, "monitoring/implementation.html", user, **vars(page))


# --- JSON API -------------------------------------------------------------------------------


def bearer_editor(request: Request, user: Editor) -> User:
    """API writes need a bearer token: a browser cookie alone must not change records."""
    if not request.headers.get("authorization", "").lower().startswith("bearer "):
        raise PermissionDenied("API changes need an API token (Authorization: Bearer TOKEN)")
    return user


BearerEditor = Annotated[User, Depends(bearer_editor)]


def _api_write(method: str, path: str, *errors: type[RightsdeskError]) -> Route:
    """An API route that changes a record and returns it (callers: ``BearerEditor``)."""
    return router.api_route(
        path,
        methods=[method],
        tags=["implementation"],
        response_model=RecordOut,
        responses=error_responses(NotFoundError, InputError, *errors),
    )


@router.get(
    "/api/v1/implementation/records/{record_id}",
    tags=["implementation"],
    response_model=RecordOut,
    responses=error_responses(NotFoundError),
)
def api_record(db: DbSession, user: Viewer, record_id: int) -> RecordOut:
    """One implementation record with its actions, indicators and progress reports."""
    return record_view(tracking.get_record(db, record_id))


@_api_write("PUT", "/api/v1/implementation/recommendations/{rec_id}")
def api_set_status(db: DbSession, user: BearerEditor, rec_id: int, body: StatusIn) -> RecordOut:
    """Create or update the implementation record of a recommendation."""
    record = tracking.set_status(
        db,
        user.name,
        body.status,
        recommendation_id=rec_id,
        responsible_institutions=body.responsible_institutions,
        notes=body.notes,
    )
    return saved_record(db, record.id)


@_api_write("PUT", "/api/v1/implementation/clusters/{cluster_id}", UnknownStateError)
def api_set_cluster_status(
    db: DbSession, user: BearerEditor, cluster_id: int, body: ClusterStatusIn
) -> RecordOut:
    """Create or update a state's implementation record of a cluster of recommendations."""
    record = tracking.set_status(
        db,
        user.name,
        body.status,
        cluster_id=cluster_id,
        state_iso3=get_state(db, body.state_iso3).iso3,
        responsible_institutions=body.responsible_institutions,
        notes=body.notes,
    )
    return saved_record(db, record.id)


@_api_write("POST", "/api/v1/implementation/records/{record_id}/actions")
def api_add_action(db: DbSession, user: BearerEditor, record_id: int, body: ActionIn) -> RecordOut:
    tracking.add_action(db, user.name, record_id, body.description, body.due_date)
    return saved_record(db, record_id)


@_api_write("PUT", "/api/v1/implementation/actions/{action_id}")
def api_update_action(
    db: DbSession, user: BearerEditor, action_id: int, body: ActionUpdate
) -> RecordOut:
    action = tracking.update_action(
        db,
        user.name,
        action_id,
        done=body.done,
        description=body.description,
        due_date=body.due_date,
    )
    return saved_record(db, action.record_id)


@_api_write("POST", "/api/v1/implementation/records/{record_id}/indicators")
def api_add_indicator(
    db: DbSession, user: BearerEditor, record_id: int, body: IndicatorIn
) -> RecordOut:
    tracking.add_indicator(db, user.name, record_id, body.name, body.target, body.value)
    return saved_record(db, record_id)


@_api_write("PUT", "/api/v1/implementation/indicators/{indicator_id}")
def api_update_indicator(
    db: DbSession, user: BearerEditor, indicator_id: int, body: IndicatorUpdate
) -> RecordOut:
    indicator = tracking.update_indicator(
        db, user.name, indicator_id, value=body.value, target=body.target
    )
    return saved_record(db, indicator.record_id)


@_api_write("POST", "/api/v1/implementation/records/{record_id}/reports")
def api_add_report(db: DbSession, user: BearerEditor, record_id: int, body: ReportIn) -> RecordOut:
    tracking.add_report(
        db, user.name, record_id, body.text, body.date, "\n".join(body.evidence_links)
    )
    return saved_record(db, record_id)


@router.get(
    "/api/v1/implementation/{code}",
    tags=["implementation"],
    response_model=DashboardOut,
    responses=error_responses(UnknownStateError),
)
def api_dashboard(db: DbSession, user: Viewer, code: str) -> DashboardOut:
    """A state's implementation dashboard: status counts, untracked, overdue, timeline."""
    return dashboard_view(db, code)
