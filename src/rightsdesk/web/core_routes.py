"""Pages and API of the shared core: home, states, a state's page, datasets, audit log."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.errors import NotFoundError, UnknownStateError
from rightsdesk.core.provenance import (
    TREATY_KINDS,
    VOTE_KINDS,
    Dataset,
    list_datasets,
    provenance_for,
)
from rightsdesk.core.security.audit import recent
from rightsdesk.core.states import State, get_state, search_states, state_groupings
from rightsdesk.forms import FORMS, state_panels
from rightsdesk.web.deps import Admin, DbSession, Viewer, render
from rightsdesk.web.schemas import (
    DatasetOut,
    GroupingOut,
    StateDetail,
    StateOut,
    error_responses,
)

router = APIRouter()


def _dataset(db: Session, dataset_id: int) -> Dataset:
    ds = db.get(Dataset, dataset_id)
    if ds is None:
        raise NotFoundError(f"no dataset #{dataset_id}")
    return ds


@router.get("/", include_in_schema=False)
def home(request: Request, db: DbSession, user: Viewer) -> Response:
    """What is loaded, with the period each dataset covers, and the way into each form."""
    states = db.scalar(select(func.count()).select_from(State))
    return render(
        request,
        "home.html",
        user,
        datasets=list_datasets(db),
        forms=FORMS,
        state_count=states,
        vote_provenance=provenance_for(db, VOTE_KINDS, "votes"),
        treaty_provenance=provenance_for(db, TREATY_KINDS, "treaty actions"),
    )


@router.get("/states", include_in_schema=False)
def states_page(request: Request, db: DbSession, user: Viewer, q: str | None = None) -> Response:
    found, ambiguous = search_states(db, q)
    return render(request, "states.html", user, states=found, ambiguous=ambiguous, q=q or "")


@router.get("/states/{code}", include_in_schema=False)
def state_page(request: Request, db: DbSession, user: Viewer, code: str) -> Response:
    state = get_state(db, code)
    return render(
        request,
        "state.html",
        user,
        state=state,
        groupings=state_groupings(db, state.iso3),
        panels=state_panels(db, state.iso3),
    )


@router.get("/datasets/{dataset_id}", include_in_schema=False)
def dataset_page(request: Request, db: DbSession, user: Viewer, dataset_id: int) -> Response:
    return render(request, "dataset.html", user, ds=_dataset(db, dataset_id))


@router.get("/audit", include_in_schema=False)
def audit_page(request: Request, db: DbSession, user: Admin) -> Response:
    return render(request, "audit.html", user, entries=recent(db, 200))


# --- JSON API -----------------------------------------------------------------------------


@router.get(
    "/api/v1/states",
    tags=["states"],
    response_model=list[StateOut],
    responses=error_responses(),
)
def api_states(db: DbSession, user: Viewer, q: str | None = None) -> list[State]:
    """All states (UN members, observers, historical), optionally filtered by a name search."""
    return search_states(db, q)[0]


@router.get(
    "/api/v1/states/{code}",
    tags=["states"],
    response_model=StateDetail,
    responses=error_responses(UnknownStateError),
)
def api_state(db: DbSession, user: Viewer, code: str) -> StateDetail:
    """One state by ISO3, ISO2, COW code or name, with its groupings."""
    state = get_state(db, code)
    groupings = [GroupingOut.model_validate(g) for g in state_groupings(db, state.iso3)]
    return StateDetail.model_validate(
        {**StateOut.model_validate(state).model_dump(), "groupings": groupings}
    )


@router.get(
    "/api/v1/datasets",
    tags=["provenance"],
    response_model=list[DatasetOut],
    responses=error_responses(),
)
def api_datasets(db: DbSession, user: Viewer) -> list[Dataset]:
    """Every imported dataset with its source, licence, checksum and counts."""
    return list_datasets(db)


@router.get(
    "/api/v1/datasets/{dataset_id}",
    tags=["provenance"],
    response_model=DatasetOut,
    responses=error_responses(NotFoundError),
)
def api_dataset(db: DbSession, user: Viewer, dataset_id: int) -> Dataset:
    """One imported dataset: where its rows came from."""
    return _dataset(db, dataset_id)
