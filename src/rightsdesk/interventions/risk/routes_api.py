"""JSON API of the risk room: the ranking (``/api/v1/interventions/risk?year=``), one state's
risk with its trend and drivers (``/api/v1/interventions/risk/{iso3}``) and the backtest
beside EWP's forecasts (``/api/v1/interventions/backtest``). Reading needs ``Viewer``; the
answers are those of the pages (``risk.public``), with the sources' years."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from rightsdesk.core.errors import NotFoundError, UnknownStateError
from rightsdesk.core.states import get_state
from rightsdesk.interventions.risk import pages, public
from rightsdesk.interventions.risk.routes_pages import YearQuery
from rightsdesk.web.deps import DbSession, Viewer
from rightsdesk.web.schemas import error_responses

router = APIRouter()
TAG = "interventions"


class Driver(BaseModel):
    """A factor that raises the risk, in plain words, and its contribution."""

    label: str
    contribution: float


class CountryRisk(BaseModel):
    """One country's forecast from the data of ``year`` for onsets in ``year+1``..``year+2``."""

    rank: int
    iso3: str | None
    country: str
    risk: float
    level: str
    drivers: list[Driver]


class SourceYears(BaseModel):
    """How far an imported risk source runs."""

    kind: str
    label: str
    first_year: int
    last_year: int
    rows: int


class Ranking(BaseModel):
    """The ranking: ``year`` is the data year; ``predicts`` the two years it forecasts."""

    year: int
    predicts: list[int]
    outcome: str
    n_ranked: int
    countries: list[CountryRisk]
    sources: list[SourceYears]


class TrendPoint(BaseModel):
    year: int
    risk: float
    rank: int
    ewp_risk: float | None


class StateRisk(BaseModel):
    """A state's latest forecast (None when it is not ranked) and its out-of-time history."""

    iso3: str
    name: str
    latest: CountryRisk | None
    year: int | None
    predicts: list[int] | None
    n_ranked: int | None
    trend: list[TrendPoint]


def _country(r: public.RiskSummary) -> CountryRisk:
    return CountryRisk(
        rank=r.rank,
        iso3=r.iso3,
        country=r.country,
        risk=r.risk,
        level=r.level,
        drivers=[Driver(label=lab, contribution=w) for lab, w in r.drivers],
    )


@router.get(
    "/api/v1/interventions/risk",
    tags=[TAG],
    response_model=Ranking,
    responses=error_responses(NotFoundError),
)
def api_ranking(db: DbSession, user: Viewer, year: YearQuery = None) -> Ranking:
    """Every country ranked by its risk of a mass-killing onset in the two years after
    ``year`` (default: the latest data year), with the factors that drive each one."""
    ranked = public.ranking(db, year)
    if not ranked:
        raise NotFoundError(
            f"no risk ranking from the data of {year}"
            if year
            else "no risk ranking: the "
            "Early Warning Project data are not imported (`rightsdesk load`)"
        )
    first = ranked[0]
    return Ranking(
        year=first.year,
        predicts=[first.year + 1, first.year + 2],
        outcome=pages.MASS_KILLING,
        n_ranked=first.n_ranked,
        countries=[_country(r) for r in ranked],
        sources=[
            SourceYears(
                kind=s.kind, label=s.label, first_year=s.first, last_year=s.last, rows=s.rows
            )
            for s in pages.source_reach(db)
        ],
    )


@router.get(
    "/api/v1/interventions/risk/{iso3}",
    tags=[TAG],
    response_model=StateRisk,
    responses=error_responses(UnknownStateError, NotFoundError),
)
def api_state_risk(db: DbSession, user: Viewer, iso3: str) -> StateRisk:
    """A state's latest risk with its drivers, and its forecast risk per data year beside
    EWP's published forecast (``trend``). 404 when the panel has nothing for the state."""
    state = get_state(db, iso3)
    latest = public.latest_risk(db, state.iso3)
    trend = public.risk_trend(db, state.iso3)
    if latest is None and not trend:
        raise NotFoundError(f"no risk forecast for {state.name}")
    return StateRisk(
        iso3=state.iso3,
        name=state.name,
        latest=_country(latest) if latest else None,
        year=latest.year if latest else None,
        predicts=[latest.year + 1, latest.year + 2] if latest else None,
        n_ranked=latest.n_ranked if latest else None,
        trend=[TrendPoint(**row) for row in trend],
    )


@router.get(
    "/api/v1/interventions/backtest",
    tags=[TAG],
    response_model=dict[str, Any],
    responses=error_responses(NotFoundError),
)
def api_backtest(db: DbSession, user: Viewer) -> dict[str, Any]:
    """The out-of-time backtest as ``rightsdesk interventions backtest --format json`` prints
    it: ``model``, ``ewp`` and ``difference`` (auc, average_precision, top10/20/30_recall,
    brier, each with ``<metric>_ci``), ``protocol``, ``calibration``, ``per_year``."""
    try:
        return public.backtest_result(db)
    except ValueError as exc:
        raise NotFoundError(str(exc)) from exc
