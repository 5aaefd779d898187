"""Pages and JSON API of links and coverage: the coverage view (/capacity/coverage), the review
queue of suggested links (/capacity/links), a programme's links and the form to add one, a
donor's portfolio (/capacity/donors), and ``/api/v1/capacity/{gaps,coverage,links,portfolio}``.

Reading needs ``Viewer``; confirming, rejecting and adding links ``Editor``, as in the
monitoring review queue. Page forms carry the CSRF token; API writes with a session cookie
need the ``X-CSRF-Token`` header (``web.deps``), scripts an API token.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from rightsdesk.capacity import links as link_service
from rightsdesk.capacity.coverage import donor_portfolio, state_coverage
from rightsdesk.capacity.links_pages import (
    coverage_page,
    decide_link,
    link_from_form,
    links_page,
    portfolio_page,
    programme_links_page,
)
from rightsdesk.capacity.links_schemas import (
    CoverageOut,
    GapsOut,
    LinkIn,
    LinkList,
    LinkOut,
    LinkStatusIn,
    PortfolioOut,
    coverage_out,
    gaps_out,
    link_out,
    portfolio_out,
)
from rightsdesk.core.errors import ConflictError, InputError, NotFoundError, UnknownStateError
from rightsdesk.core.security.roles import Permission, allows
from rightsdesk.web.deps import CsrfChecked, DbSession, Editor, Viewer, render, safe_next
from rightsdesk.web.schemas import error_responses

# the largest number a store's integer column holds everywhere: a larger page, offset or id is a
# 422 naming the parameter, not an overflow deep in the driver
INT_MAX = 2**31 - 1

router = APIRouter()
TAG = "capacity"


# --- pages ------------------------------------------------------------------------------------


@router.get("/capacity/coverage", include_in_schema=False)
def coverage_view(
    request: Request, db: DbSession, user: Viewer, state: str | None = None
) -> Response:
    """A state's supported recommendations by theme: with a programme, an action, nothing."""
    page = coverage_page(db, state)
    return render(request, "capacity/links_coverage.html", user, page=page, chosen=state or "")


@router.get("/capacity/links", include_in_schema=False)
def review_queue(
    request: Request,
    db: DbSession,
    user: Viewer,
    status: str = "suggested",
    state: str | None = None,
    programme: Annotated[int | None, Query(ge=1, le=INT_MAX)] = None,
    page: Annotated[int, Query(ge=1, le=INT_MAX)] = 1,
) -> Response:
    """Suggested links with their reasons, best first; editors confirm or reject them."""
    data = links_page(db, status, state or None, programme, page)
    return render(
        request,
        "capacity/links_review.html",
        user,
        page=data,
        query=request.url.query,
        can_review=allows(user.role, Permission.EDIT),
    )


@router.post("/capacity/links/{link_id}/{decision}", include_in_schema=False)
def review_decision(
    db: DbSession,
    user: Editor,
    _csrf: CsrfChecked,
    link_id: int,
    decision: Literal["confirm", "reject"],
    reason: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "/capacity/links",
) -> Response:
    decide_link(db, link_id, decision, user.name, reason)
    db.commit()
    target = safe_next(back if back.startswith("/capacity/") else None, "/capacity/links")
    return RedirectResponse(target, status_code=303)


@router.get("/capacity/programmes/{programme_id}/links", include_in_schema=False)
def programme_links(request: Request, db: DbSession, user: Viewer, programme_id: int) -> Response:
    """A programme's links (confirmed, suggested, rejected) and the form to add one."""
    page = programme_links_page(db, programme_id)
    can_edit = allows(user.role, Permission.EDIT)
    return render(request, "capacity/links_programme.html", user, page=page, can_edit=can_edit)


@router.post("/capacity/programmes/{programme_id}/links", include_in_schema=False)
def programme_link_add(
    db: DbSession,
    user: Editor,
    _csrf: CsrfChecked,
    programme_id: int,
    recommendation: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "",
) -> Response:
    """Link the programme to a recommendation (its id or key), with the person's reason."""
    link_from_form(db, programme_id, recommendation, reason, user.name)
    db.commit()
    default = f"/capacity/programmes/{programme_id}/links"
    target = safe_next(back if back.startswith("/capacity/") else None, default)
    return RedirectResponse(target, status_code=303)


@router.get("/capacity/donors", include_in_schema=False)
def donors_page(request: Request, db: DbSession, user: Viewer, org: str | None = None) -> Response:
    """A donor's portfolio: by recipient, by the themes its sectors and its links serve."""
    page = portfolio_page(db, org or None)
    return render(request, "capacity/links_donors.html", user, page=page, chosen=org or "")


# --- JSON API ---------------------------------------------------------------------------------


@router.get(
    "/api/v1/capacity/gaps/{iso3}",
    tags=[TAG],
    response_model=GapsOut,
    responses=error_responses(UnknownStateError),
)
def api_gaps(db: DbSession, user: Viewer, iso3: str) -> GapsOut:
    """Supported recommendations of a state with no programme (confirmed link) and no
    implementation action behind them, with their themes (as ``rightsdesk capacity gaps``)."""
    return gaps_out(state_coverage(db, iso3))


@router.get(
    "/api/v1/capacity/coverage/{iso3}",
    tags=[TAG],
    response_model=CoverageOut,
    responses=error_responses(UnknownStateError),
)
def api_coverage(db: DbSession, user: Viewer, iso3: str) -> CoverageOut:
    """A state's supported recommendations by theme with and without a programme or action,
    and the CRS aid that could serve each theme."""
    return coverage_out(state_coverage(db, iso3))


@router.get(
    "/api/v1/capacity/links",
    tags=[TAG],
    response_model=LinkList,
    responses=error_responses(InputError),
)
def api_links(
    db: DbSession,
    user: Viewer,
    programme_id: Annotated[int | None, Query(ge=1, le=INT_MAX)] = None,
    status: Annotated[str | None, Query(description="suggested, confirmed or rejected")] = None,
    state: Annotated[str | None, Query(description="Recipient state (ISO3).")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=INT_MAX)] = 0,
) -> LinkList:
    """Links between programmes and recommendations, best score first."""
    views, total = link_service.list_links(db, programme_id, status, state, limit, offset)
    return LinkList(total=total, links=[link_out(v) for v in views])


@router.post(
    "/api/v1/capacity/links",
    tags=[TAG],
    status_code=201,
    response_model=LinkOut,
    responses=error_responses(NotFoundError, InputError, ConflictError),
)
def api_add_link(db: DbSession, user: Editor, body: LinkIn) -> LinkOut:
    """A person's link, confirmed at once, with their reason (editors)."""
    ref = body.recommendation_key or (str(body.recommendation_id) if body.recommendation_id else "")
    key = link_service.recommendation_key(db, ref)
    link = link_service.add_link(
        db, body.programme_id, key, user.name, body.reason, body.activity_id
    )
    db.commit()
    return link_out(link_service.link_view_of(db, link.id))


@router.patch(
    "/api/v1/capacity/links/{link_id}",
    tags=[TAG],
    response_model=LinkOut,
    responses=error_responses(NotFoundError, InputError, ConflictError),
)
def api_link_status(db: DbSession, user: Editor, link_id: int, body: LinkStatusIn) -> LinkOut:
    """Confirm or reject a link (editors); a rejected suggestion is not proposed again."""
    link_service.set_status(db, link_id, body.status, user.name, body.reason)
    db.commit()
    return link_out(link_service.link_view_of(db, link_id))


@router.get(
    "/api/v1/capacity/portfolio",
    tags=[TAG],
    response_model=PortfolioOut,
    responses=error_responses(NotFoundError),
)
def api_portfolio(
    db: DbSession,
    user: Viewer,
    org: Annotated[str, Query(description="IATI organisation identifier, e.g. GB-1.")],
) -> PortfolioOut:
    """A donor's programmes by recipient, by sector theme and by linked recommendation theme."""
    return portfolio_out(donor_portfolio(db, org))
