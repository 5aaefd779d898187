"""Pages and API of the shared core: home, states, a state's page, datasets, audit log."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.coverage import Coverage, all_sources, build_coverage, coverage
from rightsdesk.core.errors import InputError, NotFoundError, UnknownStateError
from rightsdesk.core.forms import Form, load_ref
from rightsdesk.core.provenance import (
    TREATY_KINDS,
    VOTE_KINDS,
    Dataset,
    list_datasets,
    provenance_for,
)
from rightsdesk.core.security.audit_query import AuditFilter, audit_page
from rightsdesk.core.states import State, get_state, search_states, state_groupings
from rightsdesk.forms import FORMS, built_forms, state_panels
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


def forms_coverage(db: Session) -> list[tuple[Form, Coverage]]:
    """Each built form with the reach of its sources (the home page's "What is loaded").

    A file is a form's when its rows are in the form's tables (``core.coverage``); a file
    none of whose rows is its own (nothing read, or every row taken over by a newer file)
    is placed by its importer's form, loading the importers only in that rare case."""
    forms = [form for form in built_forms() if form.importers]
    names = {form.name for form in forms}
    items = list(all_sources(db))
    if any(i.form not in names for i in items):
        owners = {imp.kind: f.name for f in forms for ref in f.importers for imp in load_ref(ref)}
        items = [i if i.form in names else replace(i, form=owners.get(i.kind)) for i in items]
    out = [(f, build_coverage([i for i in items if i.form == f.name], "Data")) for f in forms]
    other = [i for i in items if i.form not in names]
    if other:  # still listed, never hidden
        out.append((Form("other", "Other files", ""), build_coverage(other, "Data")))
    return out


@router.get("/", include_in_schema=False)
def home(request: Request, db: DbSession, user: Viewer) -> Response:
    """What is loaded, per form: each source's reach (period, sessions or cycles, rows) and
    import date, files that added nothing listed apart; and the way into each form."""
    states = db.scalar(select(func.count()).select_from(State))
    return render(
        request,
        "home.html",
        user,
        datasets=list_datasets(db),
        forms=FORMS,
        coverages=forms_coverage(db),
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
        panels=state_panels(db, state.iso3, reader=user),
        coverages=forms_coverage(db),
    )


@router.get("/datasets/{dataset_id}", include_in_schema=False)
def dataset_page(request: Request, db: DbSession, user: Viewer, dataset_id: int) -> Response:
    ds = _dataset(db, dataset_id)
    reach = next((c for c in coverage(db).all if c.id == ds.id), None)
    return render(request, "dataset.html", user, ds=ds, reach=reach)


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(
            f"{name}: expected a date as YYYY-MM-DD, got {value!r}", field=name
        ) from None


@router.get("/audit", include_in_schema=False)
def audit_log_page(
    request: Request,
    db: DbSession,
    user: Admin,
    actor: str = "",
    action: str = "",
    table: str = "",
    since: str | None = None,
    until: str | None = None,
    page: int = 1,
) -> Response:
    """The audit log as a table of changes (before → after), filtered by user, action,
    table and date range, in numbered pages."""
    filters = AuditFilter(actor, action, table, _day(since, "since"), _day(until, "until"))
    return render(request, "audit.html", user, log=audit_page(db, filters, page), filters=filters)


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
