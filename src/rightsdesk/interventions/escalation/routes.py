"""Pages and JSON API of the escalation view: ``/interventions/escalation/{iso3}`` and
``GET /api/v1/interventions/escalation/{iso3}``.

Both read (``Viewer``); the count of documented violations in the view is what the logged-in
reader may see. An unknown state is a 404 naming it (``UnknownStateError``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from rightsdesk.core.errors import UnknownStateError
from rightsdesk.interventions.escalation.ladder import EVIDENCE, LADDER, LEVEL_LABELS
from rightsdesk.interventions.escalation.service import STATUS_LABELS, escalation_view
from rightsdesk.web.deps import DbSession, Viewer, render
from rightsdesk.web.schemas import error_responses

router = APIRouter()
TAG = "interventions"


@router.get("/interventions/escalation/{iso3}", include_in_schema=False)
def escalation_page(request: Request, db: DbSession, user: Viewer, iso3: str) -> Response:
    """A state's responses so far, its assessed risk and the proportionate next options."""
    view = escalation_view(db, iso3, user)
    return render(
        request,
        "interventions/escalation_state.html",
        user,
        view=view,
        ladder=LADDER,
        evidence=EVIDENCE,
        levels=LEVEL_LABELS,
        titles={o.key: o.title for o in LADDER},
        status_words=STATUS_LABELS,
    )


@router.get(
    "/api/v1/interventions/escalation/{iso3}",
    tags=[TAG],
    responses=error_responses(UnknownStateError),
)
def api_escalation(db: DbSession, user: Viewer, iso3: str) -> dict[str, Any]:
    """The escalation view of a state as JSON: ``risk`` and ``assessment`` (each with its
    "as of"), ``used`` (responses so far, dated and cited), ``steps`` (the whole ladder with
    each rung's status, ``suggested`` and precedents), ``next_options`` (keys of the suggested
    rungs), ``sources`` (each source's data-up-to date) and ``notes``."""
    return escalation_view(db, iso3, user).to_dict()
