"""Pages and JSON API of aid received (OECD CRS): the recipients' list (/capacity/aid), a
state's human rights related aid against its regional group (/capacity/aid/{iso3}) and
``/api/v1/capacity/aid/{iso3}``. Reading needs ``Viewer``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from rightsdesk.capacity.aid import StateAid, aid_page, aid_recipients, state_aid
from rightsdesk.core.errors import NotFoundError, UnknownStateError
from rightsdesk.web.deps import DbSession, Viewer, render
from rightsdesk.web.schemas import error_responses

router = APIRouter()
TAG = "capacity"


@router.get("/capacity/aid", include_in_schema=False)
def recipients_page(request: Request, db: DbSession, user: Viewer) -> Response:
    """The states in the CRS files with their human rights related aid."""
    return render(request, "capacity/crs_recipients.html", user, rows=aid_recipients(db))


@router.get("/capacity/aid/{iso3}", include_in_schema=False)
def state_aid_page(request: Request, db: DbSession, user: Viewer, iso3: str) -> Response:
    """A state's human rights related aid per year, by sector, against its group's median."""
    return render(request, "capacity/crs_state.html", user, **aid_page(db, iso3))


@router.get(
    "/api/v1/capacity/aid/{iso3}",
    tags=[TAG],
    response_model=StateAid,
    responses=error_responses(UnknownStateError, NotFoundError),
)
def api_state_aid(db: DbSession, user: Viewer, iso3: str) -> StateAid:
    """A state's human rights related aid per CRS year (DAC 15160, 15150, 15170, 15180, with
    all of category 151 and all aid for context), in USD million, and the median and mean
    of its UN regional group's members that year (dated membership)."""
    return state_aid(db, iso3)
