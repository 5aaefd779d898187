"""The review queue: a page (/review) and the JSON API (/api/v1/suggestions).

Anyone who may read may see the queue; only editors accept or reject, and every decision is
written with the reviewer's name and an audit entry (see ``monitoring.suggestions``). The page
works without JavaScript (plain forms, redirect back to the same filters); with htmx a
decision replaces just its row.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from rightsdesk.core.errors import InputError
from rightsdesk.core.security.models import User
from rightsdesk.core.security.roles import Permission, allows
from rightsdesk.monitoring.models import ACTION_CATEGORIES
from rightsdesk.monitoring.suggestions import (
    QueueFilter,
    accept,
    queue,
    queue_labels,
    reject,
    suggestion_dict,
)
from rightsdesk.web.deps import CsrfChecked, DbSession, Editor, Viewer, render

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


def _page_url(request: Request, offset: int) -> str:
    params = {k: v for k, v in request.query_params.items() if k != "offset"}
    params["offset"] = str(max(0, offset))
    return "/review?" + urlencode(params)


@router.get("/review", include_in_schema=False)
def review_page(
    request: Request,
    db: DbSession,
    user: Viewer,
    kind: str | None = None,
    label: str | None = None,
    min_confidence: str | None = None,
    max_confidence: str | None = None,
    status: str = "pending",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    filters = _filters(
        kind, label, _optional_float(min_confidence), _optional_float(max_confidence), status
    )
    items, total = queue(db, filters, limit=PAGE_SIZE, offset=offset)
    return render(
        request,
        "monitoring/review.html",
        user,
        items=items,
        total=total,
        filters=filters,
        labels=queue_labels(db),
        offset=offset,
        page_size=PAGE_SIZE,
        query=request.url.query,
        prev_url=_page_url(request, offset - PAGE_SIZE) if offset > 0 else None,
        next_url=_page_url(request, offset + PAGE_SIZE) if offset + PAGE_SIZE < total else None,
        can_review=allows(user.role, Permission.EDIT),
        actions=ACTION_CATEGORIES,
    )


def _decided(
    request: Request, db: DbSession, user: User, suggestion_id: int, verb: str, back: str
) -> Response:
    s = (
        accept(db, suggestion_id, user.name)
        if verb == "accept"
        else reject(db, suggestion_id, user.name)
    )
    db.commit()
    if request.headers.get("hx-request"):
        return render(
            request,
            "monitoring/review_row.html",
            user,
            s=s,
            can_review=True,
            query="",
            actions=ACTION_CATEGORIES,
        )
    target = back if back.startswith("/review") and not back.startswith("//") else "/review"
    return RedirectResponse(target, status_code=303)


@router.post("/review/{suggestion_id}/accept", include_in_schema=False)
def review_accept(
    request: Request,
    db: DbSession,
    user: Editor,
    _csrf: CsrfChecked,
    suggestion_id: int,
    back: Annotated[str, Form()] = "/review",
) -> Response:
    return _decided(request, db, user, suggestion_id, "accept", back)


@router.post("/review/{suggestion_id}/reject", include_in_schema=False)
def review_reject(
    request: Request,
    db: DbSession,
    user: Editor,
    _csrf: CsrfChecked,
    suggestion_id: int,
    back: Annotated[str, Form()] = "/review",
) -> Response:
    return _decided(request, db, user, suggestion_id, "reject", back)


# --- JSON API -----------------------------------------------------------------------------


@router.get("/api/v1/suggestions", tags=["monitoring"])
def api_suggestions(
    db: DbSession,
    user: Viewer,
    kind: Annotated[str | None, Query(description="'theme' or 'action'")] = None,
    label: Annotated[str | None, Query(description="theme label or action '1'..'5'")] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    max_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    status: Annotated[str, Query(description="pending, accepted or rejected")] = "pending",
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Model suggestions (most confident first) with the recommendation text."""
    items, total = queue(
        db, _filters(kind, label, min_confidence, max_confidence, status), limit, offset
    )
    return {"total": total, "offset": offset, "items": [suggestion_dict(s) for s in items]}


@router.post("/api/v1/suggestions/{suggestion_id}/accept", tags=["monitoring"])
def api_accept(db: DbSession, user: Editor, suggestion_id: int) -> dict[str, Any]:
    """Accept: the label becomes a human label, with the reviewer's name (editors only)."""
    out = suggestion_dict(accept(db, suggestion_id, user.name))
    db.commit()
    return out


@router.post("/api/v1/suggestions/{suggestion_id}/reject", tags=["monitoring"])
def api_reject(db: DbSession, user: Editor, suggestion_id: int) -> dict[str, Any]:
    """Reject: the suggestion is kept as rejected and not proposed again (editors only)."""
    out = suggestion_dict(reject(db, suggestion_id, user.name))
    db.commit()
    return out
