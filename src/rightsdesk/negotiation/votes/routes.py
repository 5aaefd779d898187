"""UN votes pages and JSON API: resolutions and roll calls, a state's voting profile, blocs.

Pages read without JavaScript (filters are GET forms, every chart has a table beside it);
charts come from ``reports``, drawn by the vendored vega-embed through ``/static/charts.js``.
Listing and reading votes needs the viewer role; the bloc analysis over the whole vote history
and the agreement/cohesion API (heavier computations) need analyst.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from rightsdesk.core.errors import InputError, NotFoundError, UnknownStateError
from rightsdesk.core.provenance import VOTE_KINDS, provenance_for, vote_provenance
from rightsdesk.negotiation.votes import profile, showing
from rightsdesk.negotiation.votes import service as svc
from rightsdesk.negotiation.votes.frames import BODY_CHOICES
from rightsdesk.negotiation.votes.integrity import roll_call_integrity
from rightsdesk.negotiation.votes.schemas import (
    AgreementOut,
    CohesionOut,
    CouncilOut,
    ResolutionOut,
    RollCallDetail,
    VotePage,
)
from rightsdesk.reports.charts import (
    cohesion_chart_spec,
    group_chart_spec,
    line_chart_spec,
    script_json,
)
from rightsdesk.reports.maps import vote_map_spec
from rightsdesk.web.deps import Analyst, DbSession, Viewer, render
from rightsdesk.web.panels import Panel
from rightsdesk.web.schemas import error_responses

router = APIRouter()
RecordQ = Annotated[
    Literal["official", "corrected"],
    Query(description="official (default) or corrected: states' later stated votes applied"),
]

BodyQ = Annotated[str, Query(description=f"One of {', '.join(BODY_CHOICES)}")]
WithQ = Annotated[
    list[str] | None, Query(alias="with", description="Partner states (names or codes).")
]


def vote_query(
    body: BodyQ = "all",
    session: Annotated[int | None, Query(ge=1, le=10_000, description="Session number.")] = None,
    issue: str | None = None,
    q: str | None = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> svc.VoteQuery:
    """The filters of the list of resolutions and roll calls."""
    return svc.VoteQuery(body, session, issue, q, page)


def vote_scope(
    body: BodyQ = "unga",
    issue: str | None = None,
    from_year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
    to_year: Annotated[int | None, Query(ge=1900, le=2200)] = None,
) -> svc.VoteScope:
    """Which votes a figure is computed on: a body, an issue, a range of years."""
    return svc.VoteScope(body, issue, from_year, to_year)


VoteQueryDep = Annotated[svc.VoteQuery, Depends(vote_query)]
VoteScopeDep = Annotated[svc.VoteScope, Depends(vote_scope)]


# --- pages ------------------------------------------------------------------------------------


@router.get("/votes", include_in_schema=False)
def votes_page(request: Request, db: DbSession, user: Viewer, query: VoteQueryDep) -> Response:
    context = svc.votes_page(db, query)
    return render(request, "negotiation/votes.html", user, **context)


@router.get("/security-council", include_in_schema=False)
def council_page(request: Request, db: DbSession, user: Viewer) -> Response:
    return render(request, "negotiation/council.html", user, **showing.council_page(db))


@router.get("/votes/{roll_call_id}", include_in_schema=False)
def vote_page(request: Request, db: DbSession, user: Viewer, roll_call_id: int) -> Response:
    context = {**svc.roll_call_page(db, roll_call_id), **roll_call_integrity(db, roll_call_id)}
    votes = context["rc"]["votes"]
    map_spec = (
        vote_map_spec(
            {v["iso3"]: v["vote"] for v in votes},
            "Votes by state",
            names={v["iso3"]: v["state"] for v in votes},
        )
        if votes
        else None
    )
    return render(
        request,
        "negotiation/vote.html",
        user,
        map_json=script_json(map_spec),
        spec_json=script_json(group_chart_spec(context["rc"]["by_group"])),
        **context,
    )


@router.get("/states/{code}/votes", include_in_schema=False)
def state_votes_page(
    request: Request,
    db: DbSession,
    user: Viewer,
    code: str,
    with_: WithQ = None,
    body: BodyQ = "unga",
    issue: str | None = None,
    measure: str = "coincidence",
) -> Response:
    context = profile.state_profile(db, code, with_, body, issue, measure)
    title = f"{context['state'].name}: agreement ({context['filters']['measure']})"
    spec = line_chart_spec(context["over_time"], "year", "agreement", "partner", title)
    return render(
        request,
        "negotiation/vote_state.html",
        user,
        spec_json=script_json(spec),
        **context,
        provenance=provenance_for(db, VOTE_KINDS, "UN votes"),
    )


@router.get("/blocs", include_in_schema=False)
def blocs_page(
    request: Request, db: DbSession, user: Analyst, scope: VoteScopeDep, group: str = "EU"
) -> Response:
    context = svc.bloc_page(db, group, scope)
    spec = cohesion_chart_spec(context["per_year"], f"{context['group']}: voting cohesion")
    return render(
        request,
        "negotiation/blocs.html",
        user,
        spec_json=script_json(spec),
        **context,
        provenance=provenance_for(db, VOTE_KINDS, "UN votes"),
    )


def votes_panel(session: Session, iso3: str) -> Panel | None:
    """The state page's UN votes section: how many votes per body, and a link to the profile."""
    return Panel(
        title="UN votes",
        template="negotiation/_state_votes.html",
        context={"iso3": iso3, "summary": profile.state_vote_summary(session, iso3)},
        order=30,
    )


# --- JSON API ---------------------------------------------------------------------------------


@router.get(
    "/api/v1/votes",
    tags=["votes"],
    response_model=VotePage,
    responses=error_responses(InputError),
)
def api_votes(db: DbSession, user: Viewer, query: VoteQueryDep) -> VotePage:
    """Resolutions and their roll calls, newest first, 50 a page, with filters."""
    return VotePage.model_validate(svc.list_votes(db, query))


@router.get(
    "/api/v1/resolutions/{symbol:path}",
    tags=["votes"],
    response_model=ResolutionOut,
    responses=error_responses(NotFoundError),
)
def api_resolution(db: DbSession, user: Viewer, symbol: str) -> ResolutionOut:
    """One resolution by its symbol in any common spelling (``A/RES/68/262``, ``68/262``,
    ``S/RES/2334``): totals with absences, every member's vote, provenance."""
    return ResolutionOut.model_validate(showing.show_resolution(db, symbol))


@router.get("/api/v1/security-council/vetoes", tags=["votes"], response_model=CouncilOut)
def api_vetoes(db: DbSession, user: Viewer) -> CouncilOut:
    """Security Council vetoes the data shows, per permanent member."""
    page = showing.council_page(db)
    return CouncilOut.model_validate({"per_member": page["per_member"], "vetoes": page["vetoes"]})


@router.get(
    "/api/v1/votes/{roll_call_id}",
    tags=["votes"],
    response_model=RollCallDetail,
    responses=error_responses(NotFoundError),
)
def api_vote(db: DbSession, user: Viewer, roll_call_id: int) -> RollCallDetail:
    """One roll call: its resolution, official and recorded totals, every state's vote."""
    return RollCallDetail.model_validate(svc.roll_call_detail(db, roll_call_id))


@router.get(
    "/api/v1/states/{code}/agreement",
    tags=["votes"],
    response_model=AgreementOut,
    responses=error_responses(InputError, UnknownStateError, NotFoundError),
)
def api_state_agreement(
    db: DbSession,
    user: Analyst,
    code: str,
    scope: VoteScopeDep,
    with_: WithQ = None,
    measure: str = "coincidence",
    min_votes: int = 10,
    record: RecordQ = "official",
) -> AgreementOut:
    """A state's agreement with partners (all states when ``with`` is absent), highest first,
    on the official vote record or, with ``record=corrected``, the states' stated votes."""
    report = profile.state_agreement_report(db, code, with_, scope, measure, min_votes, record)
    return AgreementOut.model_validate({**report, "provenance": vote_provenance(db)})


@router.get(
    "/api/v1/blocs/{group}/cohesion",
    tags=["votes"],
    response_model=CohesionOut,
    responses=error_responses(InputError, NotFoundError),
)
def api_bloc_cohesion(db: DbSession, user: Analyst, group: str, scope: VoteScopeDep) -> CohesionOut:
    """A group's cohesion per year (Hix-Noury-Roland index) and its members' defection rates."""
    report = svc.cohesion_report(db, group, scope)
    return CohesionOut.model_validate({**report, "provenance": vote_provenance(db)})
