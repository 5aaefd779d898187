"""The risk pages: the ranking with its world map (``/interventions``, the form's landing
page) and the model's evaluation beside the Early Warning Project's own forecasts
(``/interventions/evaluation``). Reading needs ``Viewer``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from rightsdesk.core.errors import NotFoundError
from rightsdesk.interventions.risk import pages, public
from rightsdesk.web.deps import DbSession, Viewer, render

router = APIRouter()

#: The years a reader may ask a ranking for (the page says which ones have data).
YearQuery = Annotated[int | None, Query(ge=1900, le=2100)]


@router.get("/interventions", include_in_schema=False)
def ranking_page(request: Request, db: DbSession, user: Viewer, year: YearQuery = None) -> Response:
    """Every country ranked by its risk of a mass-killing onset in the next two years."""
    ranked = public.ranking(db, year)
    rows = pages.ranking_rows(ranked, pages.state_names(db))
    shown = ranked[0].year if ranked else year
    return render(
        request,
        "interventions/risk_ranking.html",
        user,
        rows=rows,
        year=shown,
        asked=year,
        map_spec=pages.ranking_map(rows, shown) if rows and shown is not None else None,
        reach=pages.source_reach(db),
        coverage=pages.risk_coverage(db),
        predicts=pages.MASS_KILLING,
        uses_extras=public.USES_EXTRAS,
    )


@router.get("/interventions/risk", include_in_schema=False)
def ranking_alias(user: Viewer) -> Response:
    """The ranking's other address (the state pages link here): the landing page."""
    return RedirectResponse("/interventions", status_code=307)


@router.get("/interventions/evaluation", include_in_schema=False)
def evaluation_page(request: Request, db: DbSession, user: Viewer) -> Response:
    """The out-of-time backtest beside EWP's published forecasts, with intervals."""
    try:
        report = public.backtest_result(db)
        missing = None
    except NotFoundError as exc:
        report, missing = {}, exc.message
    except ValueError as exc:  # no evaluation rows with onsets (partial data)
        report, missing = {}, str(exc)
    return render(
        request,
        "interventions/risk_evaluation.html",
        user,
        report=report,
        missing=missing,
        metrics=pages.metric_rows(report),
        calibration_spec=pages.calibration_chart(report),
        reach=pages.source_reach(db),
        coverage=pages.risk_coverage(db),
        predicts=pages.MASS_KILLING,
        uses_extras=public.USES_EXTRAS,
    )
