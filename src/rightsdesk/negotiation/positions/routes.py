"""Pages and API of state positions and vote forecasts: /positions, /forecast, /api/v1/...

Reading pages use GET (a forecast changes no data, so its form needs no CSRF token). Positions
are fitted on first use and cached per store, body and data version (``service``); the
forecaster is the model saved in the data folder for the current votes (``model_store``), the
one the CLI uses. Without one, the page says "training the model, about N s" and refreshes
itself, and the API answers 503 ``model-training``: no request waits a minute silently.
Every answer carries the provenance of the votes it used.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from rightsdesk.core.errors import InputError, NotFoundError, UnknownStateError
from rightsdesk.negotiation.positions import service as svc
from rightsdesk.negotiation.positions.model_store import ModelTrainingError
from rightsdesk.negotiation.positions.page import positions_view
from rightsdesk.negotiation.positions.schemas import ForecastOut, ForecastRequest, PositionOut
from rightsdesk.reports.charts import script_json
from rightsdesk.web.deps import Analyst, DbSession, SettingsDep, Viewer, render
from rightsdesk.web.schemas import error_responses

router = APIRouter()


@router.get("/positions", include_in_schema=False)
def positions_page(
    request: Request,
    db: DbSession,
    settings: SettingsDep,
    user: Viewer,
    body: str = "unga",
    issue: str = "",
    states: str | None = None,
    iso3: Annotated[list[str] | None, Query()] = None,
    group: Annotated[list[str] | None, Query()] = None,
) -> Response:
    if states is None and not iso3 and not group:
        states = ",".join(svc.DEFAULT_STATES)  # a first visit shows a few states
    context = positions_view(db, settings, body, issue, states or "", iso3 or [], group or [])
    spec_json = script_json(context.pop("spec"))
    return render(request, "negotiation/positions.html", user, spec_json=spec_json, **context)


@router.get(
    "/api/v1/positions",
    tags=["negotiation"],
    response_model=list[PositionOut],
    responses=error_responses(InputError, UnknownStateError, NotFoundError),
)
def positions_api(
    db: DbSession,
    settings: SettingsDep,
    user: Viewer,
    body: str = "unga",
    issue: str | None = None,
    iso3: Annotated[list[str] | None, Query()] = None,
) -> list[PositionOut]:
    """Ideal points per state and session (iso3, session, year, ideal_point, se); United States
    positive. ``iso3`` may repeat or hold a comma-separated list."""
    rows = svc.positions_report(db, settings, body, issue, iso3)
    return [PositionOut.model_validate(row) for row in rows]


@router.post(
    "/api/v1/forecast",
    tags=["negotiation"],
    response_model=ForecastOut,
    responses=error_responses(InputError, UnknownStateError, NotFoundError, ModelTrainingError),
)
def forecast_api(
    db: DbSession, settings: SettingsDep, user: Analyst, req: ForecastRequest
) -> ForecastOut:
    """Each member's predicted vote (or absence) with probabilities, expected totals, margin
    and the swing states with reasons. The model is trained once per import of votes; while
    it trains the answer is 503 ``model-training`` with the expected time: ask again."""
    result = svc.forecast_report(
        db, settings, req.body, req.like, req.title, req.text, req.sponsors, req.session
    )
    return ForecastOut.model_validate(result)


@router.get("/forecast", include_in_schema=False)
def forecast_page(
    request: Request,
    db: DbSession,
    settings: SettingsDep,
    user: Analyst,
    body: str = "unga",
    like: str = "",
    title: str = "",
    text: str = "",
    sponsors: str = "",
) -> Response:
    context = svc.forecast_page(db, settings, body, like, title, text, sponsors)
    return render(request, "negotiation/forecast.html", user, **context)
