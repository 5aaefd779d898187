"""The review queue: a page (/review) and the JSON API (/api/v1/suggestions).

Anyone who may read may see the queue; only editors accept or reject, and every decision is
written with the reviewer's name and an audit entry (see ``classification.service``). The page
works without JavaScript (plain forms, redirect back to the same filters); with htmx a
decision replaces just its row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from rightsdesk.core.errors import ConflictError, InputError, NotFoundError
from rightsdesk.core.security.models import User
from rightsdesk.core.security.roles import Permission, allows
from rightsdesk.monitoring.classification.jobs import job_status, request_refresh
from rightsdesk.monitoring.classification.scale import ACTION_SCALE, SCALE_URL, scale_in_data
from rightsdesk.monitoring.classification.schemas import SuggestionList, SuggestionOut
from rightsdesk.monitoring.classification.service import (
    Decision,
    QueueFilter,
    decide,
    queue_count,
    queue_view,
    review_queue,
    suggestion_view,
)
from rightsdesk.web.deps import (
    Admin,
    CsrfChecked,
    DbSession,
    Editor,
    SettingsDep,
    Viewer,
    render,
    safe_next,
)
from rightsdesk.web.schemas import error_responses

router = APIRouter()
PAGE_SIZE = 50


def _filters(
    kind: str | None,
    label: str | None,
    min_confidence: float | None,
    max_confidence: float | None,
    status: str,
) -> QueueFilter:
    return QueueFilter(
        kind=kind or None,
        label=label or None,
        min_confidence=min_confidence,
        max_confidence=max_confidence,
        status=status,
    )


def _optional_float(value: str | None) -> float | None:
    """Empty form fields mean "no bound" (a browser sends min_confidence= when left blank)."""
    if value is None or not value.strip():
        return None
    try:
        return float(value)
    except ValueError:
        raise InputError(f"not a number: {value!r}", field="confidence") from None


def _back_filters(query: str) -> QueueFilter:
    """The filters of the page a decision came from (its ``back`` URL), to recount them."""
    params = {k: v[-1] for k, v in parse_qs(query).items()}
    try:
        return _filters(
            params.get("kind"),
            params.get("label"),
            _optional_float(params.get("min_confidence")),
            _optional_float(params.get("max_confidence")),
            params.get("status", "pending"),
        )
    except InputError:
        return QueueFilter()


@router.get("/review", include_in_schema=False)
def review_page(
    request: Request,
    db: DbSession,
    settings: SettingsDep,
    user: Viewer,
    kind: str | None = None,
    label: str | None = None,
    min_confidence: str | None = None,
    max_confidence: str | None = None,
    status: str = "pending",
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> Response:
    filters = _filters(
        kind, label, _optional_float(min_confidence), _optional_float(max_confidence), status
    )
    page = review_queue(db, filters, PAGE_SIZE, offset)
    return render(
        request,
        "monitoring/review.html",
        user,
        items=page.items,
        total=page.total,
        filters=filters,
        labels=page.labels,
        offset=offset,
        page_size=PAGE_SIZE,
        query=request.url.query,
        can_review=allows(user.role, Permission.EDIT),
        can_train=allows(user.role, Permission.ADMIN),
        job=job_status(settings.data_dir),
        pending_anywhere=page.pending_anywhere,
        scale=ACTION_SCALE,
        scale_url=SCALE_URL,
    )


@router.post("/review/{suggestion_id}/{decision}", include_in_schema=False)
def review_decision(
    request: Request,
    db: DbSession,
    user: Editor,
    _csrf: CsrfChecked,
    suggestion_id: int,
    decision: Decision,
    back: Annotated[str, Form()] = "/review",
) -> Response:
    """Accept or reject from the page: back to the same filters, or the row alone (htmx),
    with the queue's new count (an out-of-band swap) so the heading stays true."""
    s = decide(db, suggestion_id, user.name, decision)
    db.commit()
    if request.headers.get("hx-request"):
        query = urlsplit(back).query
        live = _back_filters(query)
        return render(
            request,
            "monitoring/review_row.html",
            user,
            s=s,
            can_review=True,
            query=query,
            scale=ACTION_SCALE,
            scale_url=SCALE_URL,
            live_total=queue_count(db, live),
            live_status=live.status,
        )
    target = safe_next(back if back.startswith("/review") else None, "/review")
    return RedirectResponse(target, status_code=303)


@router.post("/review/training", include_in_schema=False)
def review_training_start(
    request: Request, db: DbSession, settings: SettingsDep, user: Admin, _csrf: CsrfChecked
) -> Response:
    """Start training and suggestion in the background (admins): the page shows progress."""
    job = request_refresh(db, settings, user.name)
    if request.headers.get("hx-request"):
        return render(request, "monitoring/_review_training.html", user, job=job, can_train=True)
    return RedirectResponse("/review#training", status_code=303)


@router.get("/review/training", include_in_schema=False)
def review_training_status(request: Request, settings: SettingsDep, user: Viewer) -> Response:
    """The progress of the background run, polled by the review page while it runs."""
    return render(
        request,
        "monitoring/_review_training.html",
        user,
        job=job_status(settings.data_dir),
        can_train=allows(user.role, Permission.ADMIN),
    )


@router.get(SCALE_URL, include_in_schema=False)
def action_categories_page(request: Request, db: DbSession, user: Viewer) -> Response:
    """What the 1-5 action category means, one line each, with examples from the store."""
    return render(
        request,
        "monitoring/action_categories.html",
        user,
        categories=scale_in_data(db),
    )


# --- JSON API -----------------------------------------------------------------------------


@router.get(
    "/api/v1/suggestions",
    tags=["monitoring"],
    response_model=SuggestionList,
    responses=error_responses(InputError),
)
def api_suggestions(
    db: DbSession,
    user: Viewer,
    kind: Annotated[str | None, Query(description="'theme' or 'action'")] = None,
    label: Annotated[str | None, Query(description="theme label or action '1'..'5'")] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    max_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    status: Annotated[str, Query(description="pending, accepted or rejected")] = "pending",
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> SuggestionList:
    """Model suggestions (most confident first) with the recommendation text."""
    filters = _filters(kind, label, min_confidence, max_confidence, status)
    return queue_view(db, filters, limit, offset)


def _api_decision(decision: Decision) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return router.post(
        f"/api/v1/suggestions/{{suggestion_id}}/{decision}",
        tags=["monitoring"],
        response_model=SuggestionOut,
        responses=error_responses(NotFoundError, ConflictError),
    )


def _decided(db: Session, user: User, suggestion_id: int, decision: Decision) -> SuggestionOut:
    out = suggestion_view(decide(db, suggestion_id, user.name, decision))
    db.commit()
    return out


@_api_decision("accept")
def api_accept(db: DbSession, user: Editor, suggestion_id: int) -> SuggestionOut:
    """Accept: the label becomes a human label, with the reviewer's name (editors only)."""
    return _decided(db, user, suggestion_id, "accept")


@_api_decision("reject")
def api_reject(db: DbSession, user: Editor, suggestion_id: int) -> SuggestionOut:
    """Reject: the suggestion is kept as rejected and not proposed again (editors only)."""
    return _decided(db, user, suggestion_id, "reject")
