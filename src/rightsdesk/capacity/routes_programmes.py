"""Pages and JSON API of programmes: the form's landing page (/capacity), the list with
facets (/capacity/programmes), its CSV and JSON exports, and one programme's page.

Reading needs ``Viewer``; the exports ``Analyst`` (the role that may take data away in bulk,
as for recommendations).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from rightsdesk.capacity.programmes import (
    FILTERS,
    audited_programmes_export,
    overview,
    programme_detail,
    search_programmes,
)
from rightsdesk.capacity.programmes_schemas import ProgrammeDetail, ProgrammeSearch
from rightsdesk.core.errors import InputError, NotFoundError
from rightsdesk.web.deps import Analyst, DbSession, Viewer, render
from rightsdesk.web.schemas import error_responses
from rightsdesk.web.urls import search_url_builder

router = APIRouter()
TAG = "capacity"
FACET_NAMES = {
    "donor": "Donor (reporting organisation)",
    "recipient": "Recipient",
    "sector": "Sector",
    "status": "Status",
}


def _search(request: Request, db: DbSession, everything: bool = False) -> ProgrammeSearch:
    """The search the URL asks for (repeatable filters, start/end, page, per_page)."""
    params = request.query_params
    page, size = params.get("page", "1"), params.get("per_page", "50")
    return search_programmes(
        db,
        **{name: params.getlist(name) for name in FILTERS},
        start=params.get("start"),
        end=params.get("end"),
        page=int(page) if page.isdecimal() and int(page) > 0 else 1,
        per_page=int(size) if size.isdecimal() and int(size) > 0 else 50,
        everything=everything,
    )


@router.get("/capacity", include_in_schema=False)
def landing(request: Request, db: DbSession, user: Viewer) -> Response:
    """What the form holds, with links to programmes, aid, coverage and links."""
    return render(request, "capacity/programmes_landing.html", user, counts=overview(db))


@router.get("/capacity/programmes", include_in_schema=False)
def programmes_page(request: Request, db: DbSession, user: Viewer) -> Response:
    result = _search(request, db)
    return render(
        request,
        "capacity/programmes_list.html",
        user,
        result=result,
        facet_names=FACET_NAMES,
        url=search_url_builder(request, "/capacity/programmes"),
        start=request.query_params.get("start", ""),
        end=request.query_params.get("end", ""),
        can_export=user.role in ("analyst", "editor", "admin"),
    )


def _export(request: Request, db: DbSession, user: Analyst, fmt: str) -> Response:
    body, media, name = audited_programmes_export(db, user.name, fmt, _search(request, db, True))
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(body, media_type=media, headers=headers)


@router.get(
    "/capacity/programmes/export.csv",
    tags=[TAG],
    response_class=Response,
    responses=error_responses(InputError),
)
def export_csv(request: Request, db: DbSession, user: Analyst) -> Response:
    """Every programme matching the list's filters (same parameters as the page) as CSV."""
    return _export(request, db, user, "csv")


@router.get(
    "/capacity/programmes/export.json",
    tags=[TAG],
    response_class=Response,
    responses=error_responses(InputError),
)
def export_json(request: Request, db: DbSession, user: Analyst) -> Response:
    """Every programme matching the list's filters as a JSON array."""
    return _export(request, db, user, "json")


@router.get("/capacity/programmes/{programme_id:int}", include_in_schema=False)
def programme_page(request: Request, db: DbSession, user: Viewer, programme_id: int) -> Response:
    detail = programme_detail(db, programme_id)
    return render(request, "capacity/programmes_detail.html", user, p=detail)


@router.get(
    "/api/v1/capacity/programmes",
    tags=[TAG],
    response_model=ProgrammeSearch,
    responses=error_responses(InputError),
)
def api_programmes(request: Request, db: DbSession, user: Viewer) -> ProgrammeSearch:
    """Programmes with facet counts. Filters (repeatable): donor (reporting organisation
    identifier), recipient (ISO3), sector (DAC code), status (IATI activity status code);
    start and end (YYYY or YYYY-MM-DD) keep programmes whose period overlaps; page,
    per_page (max 200)."""
    return _search(request, db)


@router.get(
    "/api/v1/capacity/programmes/{programme_id}",
    tags=[TAG],
    response_model=ProgrammeDetail,
    responses=error_responses(NotFoundError),
)
def api_programme(db: DbSession, user: Viewer, programme_id: int) -> ProgrammeDetail:
    """Everything stored about one programme: organisations, recipients, sectors, money in
    its own currency (with a USD equivalent only where a rate is stored), indicators,
    documents, activities and its links to recommendations."""
    return programme_detail(db, programme_id)
