"""Pages and JSON API of the events room: ``/interventions/events`` (what is ingested, the
states with the most coercion and assault last month), ``/interventions/events/{iso3}`` (a
state's chart and monthly figures) and ``GET /api/v1/interventions/events/{iso3}``.

Reading needs ``Viewer``; nothing here writes (ingest is a command: it reads files on the
server's disk).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from rightsdesk.core.errors import InputError, NotFoundError, UnknownStateError
from rightsdesk.core.states import resolve_state
from rightsdesk.interventions.events import public
from rightsdesk.interventions.events.schema import PERSPECTIVES, ROOTS
from rightsdesk.web.deps import DbSession, Viewer, render
from rightsdesk.web.schemas import error_responses

router = APIRouter()
TAG = "interventions"


@router.get("/interventions/events", include_in_schema=False)
def events_overview(request: Request, db: DbSession, user: Viewer) -> Response:
    """What is ingested, and the states with the highest share of coercion and assault."""
    month = public.latest_month(db)
    return render(
        request,
        "interventions/events_overview.html",
        user,
        coverage=public.coverage(db),
        month=month,
        top=public.top_states(db, month),
        roots=ROOTS,
    )


@router.get("/interventions/events/{iso3}", include_in_schema=False)
def events_state(
    request: Request,
    db: DbSession,
    user: Viewer,
    iso3: str,
    months: Annotated[int, Query(ge=1, le=600)] = 24,
) -> Response:
    """A state's chart of shares per kind of event and its monthly figures."""
    code = resolve_state(iso3)
    sec = public.state_section(db, code, user)
    rows = public.monthly_pressure(db, code, months)
    return render(
        request,
        "interventions/events_state.html",
        user,
        iso3=code,
        sec=sec,
        rows=rows,
        coverage=public.coverage(db),
        roots=ROOTS,
    )


@router.get(
    "/api/v1/interventions/events/{iso3}",
    tags=[TAG],
    responses=error_responses(UnknownStateError, InputError, NotFoundError),
)
def api_events_state(
    db: DbSession,
    user: Viewer,
    iso3: str,
    months: Annotated[int, Query(ge=1, le=600)] = 24,
    perspective: Annotated[
        str, Query(description="action (where), actor1 or actor2 (either side's country)")
    ] = "action",
) -> dict[str, Any]:
    """A state's events per month and CAMEO root (root events, deduplicated): ``events``,
    ``share`` of all its events that month, mean ``goldstein``; with the coverage."""
    if perspective not in PERSPECTIVES:
        raise InputError(
            f"unknown perspective {perspective!r} (expected {', '.join(PERSPECTIVES)})",
            field="perspective",
        )
    code = resolve_state(iso3)
    cov = public.coverage(db)
    return {
        "iso3": code,
        "perspective": perspective,
        "source": cov["source"],
        "data_up_to": cov["last_date"].isoformat() if cov["last_date"] else None,
        "added_up_to": cov["added_up_to"].isoformat() if cov["added_up_to"] else None,
        "pending_exports": cov["pending"],
        "rows": public.monthly_pressure(db, code, months, perspective),
    }
