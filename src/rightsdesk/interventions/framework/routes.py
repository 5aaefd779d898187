"""JSON API of the framework room, and its pages (``routes_pages``) under one router.

Reading needs ``Viewer`` (viewers read final assessments only); rating needs ``Analyst``;
finalising ``Editor``. A JSON write with a session cookie must carry the CSRF header
(``web.deps.current_user``); scripts use an API token.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from rightsdesk.core.errors import (
    ConflictError,
    InputError,
    NotFoundError,
    UnknownStateError,
)
from rightsdesk.interventions.framework import service
from rightsdesk.interventions.framework.evidence import parse_evidence
from rightsdesk.interventions.framework.routes_pages import router as pages
from rightsdesk.interventions.framework.schemas import (
    FactorsOut,
    RatingIn,
    RatingOut,
    StateAssessmentOut,
)
from rightsdesk.interventions.framework.views import factors_view, state_view
from rightsdesk.web.deps import Analyst, DbSession, Editor, Viewer
from rightsdesk.web.schemas import error_responses

router = APIRouter()
router.include_router(pages)
API = "/api/v1/interventions/framework"
TAG = "interventions"


@router.get(f"{API}/factors", response_model=FactorsOut, tags=[TAG], responses=error_responses())
def api_factors(user: Viewer) -> dict[str, Any]:
    """The 14 risk factors of the UN Framework of Analysis (2014) and their indicators."""
    return factors_view()


@router.get(
    f"{API}/{{iso3}}",
    response_model=StateAssessmentOut,
    tags=[TAG],
    responses=error_responses(InputError, NotFoundError, UnknownStateError),
)
def api_state(db: DbSession, user: Viewer, iso3: str, version: int | None = None) -> Any:
    """A state's latest assessment (or ``version``), factor by factor, with evidence as the
    caller may see it and the list of versions. Viewers read final versions only."""
    view = state_view(db, iso3, user, version)
    db.commit()  # the audit log's entries for confidential events cited as evidence
    return view


@router.post(
    f"{API}/{{iso3}}/ratings",
    response_model=RatingOut,
    tags=[TAG],
    responses=error_responses(ConflictError, InputError, NotFoundError, UnknownStateError),
)
def api_rate(db: DbSession, user: Analyst, iso3: str, body: RatingIn) -> dict[str, Any]:
    """Rate one indicator on the state's draft (started as a copy of the latest final version
    when there is no draft). Audited."""
    items = None
    if body.evidence is not None:
        items = [parse_evidence(f"{e.kind}:{e.ref}", e.note) for e in body.evidence]
    r = service.rate(
        db,
        user.name,
        iso3,
        body.indicator,
        body.rating,
        body.note,
        items,
        replace_evidence=items is not None,
        writer=user,
    )
    out = {
        "iso3": r.assessment.state_iso3,
        "version": r.assessment.version,
        "indicator": r.indicator,
        "rating": r.rating,
        "note": r.note,
        "evidence": len(r.evidence),
    }
    db.commit()
    return out


@router.post(
    f"{API}/{{iso3}}/finalise",
    response_model=StateAssessmentOut,
    tags=[TAG],
    responses=error_responses(ConflictError, InputError, UnknownStateError),
)
def api_finalise(db: DbSession, user: Editor, iso3: str) -> Any:
    """Make the state's draft final, dated today (editors). Audited."""
    a = service.finalise(db, user.name, iso3)
    db.commit()
    return state_view(db, a.state_iso3, user, a.version)
