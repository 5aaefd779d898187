"""Pages and JSON API of recommendations: search, one recommendation, clusters, exports, and
the "Recommendations" panel of the state page.

Reading needs ``Viewer``; exports ``Analyst`` (the role that may take data away in bulk).
Implementation records shown on these pages are changed through the tracking room's routes.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from rightsdesk.core.coverage import form_coverage
from rightsdesk.core.errors import InputError, NotFoundError
from rightsdesk.monitoring import FORM
from rightsdesk.monitoring.recommendations.compare import compare_context, narrow_bars
from rightsdesk.monitoring.recommendations.exports import audited_export
from rightsdesk.monitoring.recommendations.schemas import RecommendationDetail, SearchOut
from rightsdesk.monitoring.recommendations.search import FILTERS, Order, search_recommendations
from rightsdesk.monitoring.recommendations.service import (
    cluster_page,
    recommendation_detail,
    recommendation_page,
    search_view,
    state_summary,
)
from rightsdesk.monitoring.tracking.routes import render_tracked
from rightsdesk.reports.charts import recommendations_by_session
from rightsdesk.web.deps import Analyst, DbSession, Viewer, render
from rightsdesk.web.panels import Panel
from rightsdesk.web.schemas import error_responses
from rightsdesk.web.urls import search_url_builder

router = APIRouter()

# --- reading the search from the URL ----------------------------------------------------------


def _criteria(request: Request) -> tuple[str, dict[str, list[str]], Order]:
    """The query, the filters given (repeatable parameters) and the order."""
    params = request.query_params
    facets = {name: [v for v in params.getlist(name) if v.strip()] for name in FILTERS}
    order: Order = "date" if params.get("order") == "date" else "relevance"
    return params.get("q", ""), {k: v for k, v in facets.items() if v}, order


def _paging(request: Request, per_page: int = 20) -> tuple[int, int]:
    """Page and page size; anything unreadable falls back to the first page of 20."""
    page = request.query_params.get("page", "1")
    size = request.query_params.get("per_page", str(per_page))
    return (
        int(page) if page.isdecimal() and int(page) > 0 else 1,
        min(200, int(size)) if size.isdecimal() and int(size) > 0 else per_page,
    )


# --- pages ----------------------------------------------------------------------------------


@router.get("/recommendations", include_in_schema=False)
def search_page(request: Request, db: DbSession, user: Viewer) -> Response:
    result = search_recommendations(db, *_criteria(request), *_paging(request))
    template = (
        "monitoring/_results.html"
        if request.headers.get("hx-request") and request.headers.get("hx-target") == "results"
        else "monitoring/recommendations.html"
    )
    return render(
        request,
        template,
        user,
        result=result,
        facet_names=FILTERS,
        url=search_url_builder(request, "/recommendations"),
        q=request.query_params.get("q", ""),
        can_export=user.role in ("analyst", "editor", "admin"),
        coverage=form_coverage(db, FORM),  # what the sources cover (issue 10)
    )


def _download(body: str | bytes, media_type: str, name: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=media_type, headers=headers)


CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file_responses(media_type: str) -> dict[int | str, dict[str, Any]]:
    out = error_responses(InputError)
    out[200] = {"description": "The matching recommendations.", "content": {media_type: {}}}
    return out


@router.get(
    "/recommendations/export.csv",
    tags=["recommendations"],
    response_class=Response,
    responses=_file_responses("text/csv"),
)
def export_csv(request: Request, db: DbSession, user: Analyst) -> Response:
    """Every recommendation matching the search (same parameters as the page) as CSV."""
    body = audited_export(db, user.name, "csv", *_criteria(request))
    return _download(body, CSV_TYPE, "recommendations.csv")


@router.get(
    "/recommendations/export.xlsx",
    tags=["recommendations"],
    response_class=Response,
    responses=_file_responses(XLSX_TYPE),
)
def export_xlsx(request: Request, db: DbSession, user: Analyst) -> Response:
    """Every recommendation matching the search as an Excel workbook."""
    body = audited_export(db, user.name, "xlsx", *_criteria(request))
    return _download(body, XLSX_TYPE, "recommendations.xlsx")


@router.get("/recommendations/clusters/{cluster_id}", include_in_schema=False)
def cluster(request: Request, db: DbSession, user: Viewer, cluster_id: int) -> Response:
    page = cluster_page(db, cluster_id)
    return render_tracked(request, "monitoring/cluster.html", user, **vars(page))


@router.get("/recommendations/{rec_id}", include_in_schema=False)
def recommendation(request: Request, db: DbSession, user: Viewer, rec_id: int) -> Response:
    page = recommendation_page(db, rec_id)
    can_edit = user.role in ("editor", "admin")
    return render_tracked(
        request, "monitoring/recommendation.html", user, **vars(page), can_edit=can_edit
    )


# --- state page panel -------------------------------------------------------------------------


def recommendations_panel(db: Session, iso3: str) -> Panel | None:
    """Recommendations received (by session and response, top themes) and made."""
    summary = state_summary(db, iso3)
    if summary is None:
        return None
    rows = summary.by_session
    spec = recommendations_by_session(rows) if rows else None
    spec = narrow_bars(spec, len({r["session"] for r in rows}))
    return Panel(
        title="Recommendations",
        template="monitoring/_state_panel.html",
        order=40,
        context={
            "iso3": iso3,
            "received": summary.received,
            "made": summary.made,
            "by_session": rows,
            "themes": summary.themes,
            "responses": summary.responses,
            "made_to": summary.made_to,
            "spec_json": json.dumps(spec, sort_keys=True) if spec else None,
            "compare": compare_context(db, iso3),
        },
    )


# --- JSON API -------------------------------------------------------------------------------


@router.get(
    "/api/v1/recommendations",
    tags=["recommendations"],
    response_model=SearchOut,
    responses=error_responses(InputError),
)
def api_search(request: Request, db: DbSession, user: Viewer) -> SearchOut:
    """Full-text search with facets. Parameters: q (words, "phrases", OR, NOT, -term),
    order (relevance|date), page, per_page (max 200), and any of the filters state,
    from_state, group, from_group, session, cycle, response (supported, noted, pending,
    other), issue (UPR Info issues), uhri (UHRI themes), sdg, affected (affected persons),
    theme (a label of any taxonomy), action, mechanism (repeat a parameter for several
    values)."""
    return search_view(db, *_criteria(request), *_paging(request))


@router.get(
    "/api/v1/recommendations/{rec_id}",
    tags=["recommendations"],
    response_model=RecommendationDetail,
    responses=error_responses(NotFoundError),
)
def api_recommendation(db: DbSession, user: Viewer, rec_id: int) -> RecommendationDetail:
    """One recommendation with its states, responses, themes, cluster and implementation."""
    return recommendation_detail(db, rec_id)
