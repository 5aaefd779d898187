"""Treaty pages and JSON API: the ratification matrix, instrument pages, the state-page panel.

Pages read without JavaScript (the group filter is a GET form, the chart has a table beside
it); charts come from ``reports``. Every fact is shown with a link to the Dataset it came from.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from rightsdesk.core.coverage import coverage
from rightsdesk.core.errors import InputError, NotFoundError, UnknownStateError
from rightsdesk.core.provenance import TREATY_KINDS, provenance_for
from rightsdesk.negotiation.treaties import actions as acts
from rightsdesk.negotiation.treaties import service as svc
from rightsdesk.negotiation.treaties.matrix import matrix_data
from rightsdesk.negotiation.treaties.schemas import (
    DeclarationOut,
    InstrumentDetail,
    InstrumentOut,
    MatrixOut,
    StateTreatiesOut,
    TreatyStatusOut,
)
from rightsdesk.reports.charts import parties_chart_spec, script_json
from rightsdesk.web.deps import DbSession, Viewer, render
from rightsdesk.web.panels import Panel
from rightsdesk.web.schemas import error_responses

router = APIRouter()


# --- pages -----------------------------------------------------------------------------------


@router.get("/treaties", include_in_schema=False)
def treaties_page(
    request: Request,
    db: DbSession,
    user: Viewer,
    group: str | None = None,
    layer: str = "status",
) -> Response:
    page = svc.matrix_page(db, group or None, layer or "status")
    return render(
        request,
        "negotiation/treaties.html",
        user,
        **page,
        provenance=provenance_for(db, TREATY_KINDS, "treaty actions"),
        coverage=coverage(db, TREATY_KINDS, "Treaty status from treaty actions"),
    )


@router.get("/treaties/{short}", include_in_schema=False)
def instrument_page(request: Request, db: DbSession, user: Viewer, short: str) -> Response:
    page = svc.instrument_page(db, short)
    spec = parties_chart_spec(page["over_time"], page["inst"].short)
    return render(
        request,
        "negotiation/treaties_instrument.html",
        user,
        spec_json=script_json(spec),
        **page,
    )


def treaties_panel(session: Session, iso3: str) -> Panel | None:
    """The state page's treaty section: standing, gaps, reservations and their sources."""
    return Panel(
        title="Core human rights treaties",
        template="negotiation/_state_treaties.html",
        context=svc.state_panel(session, iso3),
        order=20,
    )


# --- JSON API --------------------------------------------------------------------------------


@router.get(
    "/api/v1/treaties",
    tags=["treaties"],
    response_model=list[InstrumentOut],
    responses=error_responses(),
)
def api_instruments(db: DbSession, user: Viewer) -> list[InstrumentOut]:
    """The 18 core instruments with their number of states parties and of signatories."""
    return [InstrumentOut.model_validate(row) for row in svc.instrument_list(db)]


@router.get(
    "/api/v1/treaties/matrix",
    tags=["treaties"],
    response_model=MatrixOut,
    responses=error_responses(NotFoundError, InputError),
)
def api_matrix(
    db: DbSession, user: Viewer, group: str | None = None, layer: str = "status"
) -> MatrixOut:
    """State x instrument status with dates; ``group`` limits it to a grouping's members;
    ``layer`` (status, competence, complaints, reservations) sets each cell's ``value``."""
    return MatrixOut.model_validate(matrix_data(db, group or None, layer))


@router.get(
    "/api/v1/treaties/declarations",
    tags=["treaties"],
    response_model=list[DeclarationOut],
    responses=error_responses(NotFoundError),
)
def api_declarations(
    db: DbSession, user: Viewer, instrument: str | None = None
) -> list[DeclarationOut]:
    """Every declaration recognising a committee's competence or accepting a procedure."""
    return [DeclarationOut.model_validate(r) for r in acts.declaration_rows(db, instrument)]


@router.get(
    "/api/v1/treaties/status/{code}",
    tags=["treaties"],
    response_model=list[TreatyStatusOut],
    responses=error_responses(UnknownStateError),
)
def api_state_status(db: DbSession, user: Viewer, code: str) -> list[TreatyStatusOut]:
    """A state's standing per instrument: status (denunciations included), dates, competence
    declarations in force and reservations (as ``treaties status ISO3 --format json``)."""
    return [TreatyStatusOut.model_validate(r) for r in acts.state_status(db, code)]


@router.get(
    "/api/v1/treaties/{short}",
    tags=["treaties"],
    response_model=InstrumentDetail,
    responses=error_responses(NotFoundError),
)
def api_instrument(db: DbSession, user: Viewer, short: str) -> InstrumentDetail:
    """One instrument: its facts, parties (with dates), signatories and parties per year."""
    return InstrumentDetail.model_validate(svc.instrument_report(db, short))


@router.get(
    "/api/v1/states/{code}/treaties",
    tags=["treaties"],
    response_model=StateTreatiesOut,
    responses=error_responses(UnknownStateError),
)
def api_state_treaties(db: DbSession, user: Viewer, code: str) -> StateTreatiesOut:
    """A state's standing towards the 18 instruments, its gaps and reservations, with sources."""
    return StateTreatiesOut.model_validate(svc.state_report(db, code))
