"""Pages and API of state positions and vote forecasts: /positions, /forecast, /api/v1/...

Reading pages use GET (a forecast changes no data, so its form needs no CSRF token). Models are
fitted on first use and cached per store, body and data version (``forecast_service``), so only
the first request after an import pays for the fit.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from rightsdesk.core.config import Settings
from rightsdesk.core.errors import InputError
from rightsdesk.core.states import reference_states, resolve_state
from rightsdesk.negotiation.forecast_service import (
    forecast_draft,
    forecaster_for,
    positions,
)
from rightsdesk.negotiation.votes_data import roll_call_frame
from rightsdesk.web.deps import Analyst, DbSession, Viewer, render

router = APIRouter()

BODIES = ("unga", "hrc", "chr", "hrc+chr")
DEFAULT_STATES = ("USA", "GBR", "BRA", "IND", "ZAF", "CHN", "RUS")


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _body(body: str) -> str:
    value = body.strip().lower()
    if value not in BODIES:
        raise InputError(f"unknown body {body!r}; choose one of {', '.join(BODIES)}", field="body")
    return value


def _state_list(text: str | None) -> list[str]:
    """ISO3 codes from "USA, China ; RUS" (names resolve too; unknown ones say so)."""
    parts = [p.strip() for p in (text or "").replace(";", ",").split(",") if p.strip()]
    return [resolve_state(p) for p in parts]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = json.loads(frame.to_json(orient="records"))
    return out


def positions_chart(frame: pd.DataFrame) -> dict[str, Any]:
    """Ideal points over time with a +-1.96 SE band per state (an Altair spec)."""
    import altair as alt

    data = frame.assign(low=frame["ideal_point"] - 1.96 * frame["se"])
    data = data.assign(high=frame["ideal_point"] + 1.96 * frame["se"])
    base = alt.Chart(data).encode(
        x=alt.X("year:Q", title="year", axis=alt.Axis(format="d")),
        color=alt.Color("iso3:N", title="state"),
    )
    band = base.mark_area(opacity=0.2).encode(y=alt.Y("low:Q", title="ideal point"), y2="high:Q")
    line = base.mark_line().encode(
        y="ideal_point:Q",
        tooltip=["iso3", "session", "year", alt.Tooltip("ideal_point:Q", format=".2f")],
    )
    spec: dict[str, Any] = (band + line).properties(width="container", height=320).to_dict()
    return spec


@router.get("/positions", include_in_schema=False)
def positions_page(
    request: Request,
    db: DbSession,
    user: Viewer,
    body: str = "unga",
    issue: str = "",
    states: str = ",".join(DEFAULT_STATES),
) -> Response:
    chosen = _state_list(states)
    frame = positions(db, _settings(request), _body(body), issue or None)
    shown = frame[frame["iso3"].isin(chosen)].sort_values(["iso3", "session"])
    spec = positions_chart(shown) if not shown.empty else None
    names = {k: v.name for k, v in reference_states().items()}
    return render(
        request,
        "negotiation/positions.html",
        user,
        rows=shown.to_dict(orient="records"),
        spec_json=json.dumps(spec).replace("</", "<\\/") if spec else None,
        filters={"body": body, "issue": issue, "states": ", ".join(chosen)},
        bodies=BODIES,
        names=names,
        missing=[s for s in chosen if s not in set(shown["iso3"])],
    )


@router.get("/api/v1/positions", tags=["negotiation"])
def positions_api(
    request: Request,
    db: DbSession,
    user: Viewer,
    body: str = "unga",
    issue: str | None = None,
    iso3: Annotated[list[str] | None, Query()] = None,
) -> list[dict[str, Any]]:
    """Ideal points per state and session (iso3, session, year, ideal_point, se); United States
    positive. ``iso3`` may repeat or hold a comma-separated list."""
    frame = positions(db, _settings(request), _body(body), issue or None)
    if iso3:
        wanted = _state_list(",".join(iso3))
        frame = frame[frame["iso3"].isin(wanted)]
    return _records(frame)


class ForecastRequest(BaseModel):
    """A draft to forecast: a past text tabled again (``like``) and/or a title and text."""

    body: str = "unga"
    like: str | None = Field(None, description="Symbol or roll call id of a past text.")
    title: str | None = None
    text: str = ""
    sponsors: list[str] = Field(default_factory=list, description="Names or ISO3 codes.")
    session: int | None = None


def _forecast(db: DbSession, request: Request, req: ForecastRequest) -> dict[str, Any]:
    sponsors = [resolve_state(s) for s in req.sponsors if s.strip()]
    model = forecaster_for(db, _settings(request), _body(req.body))
    result = forecast_draft(
        model,
        title=req.title or None,
        like=req.like or None,
        sponsors=sponsors,
        text=req.text,
        session=req.session,
    )
    out: dict[str, Any] = json.loads(json.dumps(result.as_dict(), default=str))
    return out


@router.post("/api/v1/forecast", tags=["negotiation"])
def forecast_api(
    request: Request, db: DbSession, user: Analyst, req: ForecastRequest
) -> dict[str, Any]:
    """Each member's predicted vote with probabilities, expected totals, margin and the swing
    states with reasons. The model is trained on the body's latest sessions (first call slow)."""
    if not (req.like or req.title):
        raise InputError("give 'like' (a past symbol or roll call id) or a 'title'", field="title")
    return _forecast(db, request, req)


@router.get("/forecast", include_in_schema=False)
def forecast_page(
    request: Request,
    db: DbSession,
    user: Analyst,
    body: str = "unga",
    like: str = "",
    title: str = "",
    text: str = "",
    sponsors: str = "",
) -> Response:
    body = _body(body)
    recent = roll_call_frame(db, body)
    recent = (
        recent[recent["symbol"].notna()].sort_values("date").drop_duplicates("symbol", keep="last")
    )
    choices = recent.tail(150).iloc[::-1][["symbol", "title", "session"]].to_dict(orient="records")
    result = None
    if like.strip() or title.strip():
        req = ForecastRequest(
            body=body,
            like=like or None,
            title=title or None,
            text=text,
            sponsors=[s for s in sponsors.replace(";", ",").split(",") if s.strip()],
        )
        result = _forecast(db, request, req)
    return render(
        request,
        "negotiation/forecast.html",
        user,
        result=result,
        choices=choices,
        bodies=BODIES,
        filters={"body": body, "like": like, "title": title, "text": text, "sponsors": sponsors},
    )
