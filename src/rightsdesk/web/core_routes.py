"""Pages and API of the shared core: home, states, a state's page, datasets, audit log."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import func, or_, select

from rightsdesk.core.errors import NotFoundError
from rightsdesk.core.provenance import Dataset, list_datasets
from rightsdesk.core.security.audit import recent
from rightsdesk.core.states import State, get_state, state_groupings
from rightsdesk.web.deps import Admin, DbSession, Viewer, render
from rightsdesk.web.panels import state_panels

router = APIRouter()

FORMS = [
    ("Negotiations", "/treaties", "Treaties and ratifications; UN votes, blocs and forecasts."),
    (
        "Monitoring and reporting",
        "/recommendations",
        "Recommendations of the UN mechanisms, responses, themes, implementation.",
    ),
    ("Advocacy", None, "Country briefs, recommendations from evidence, campaigns."),
    ("Sanctions and rewards", None, "Sanctions lists, screening, dossiers, GSP+."),
    ("Capacity building", None, "Programmes, funding and activities (IATI)."),
    ("Interventions", None, "Early warning, escalation, cases, missions."),
]


def state_dict(state: State) -> dict[str, Any]:
    return {
        "iso3": state.iso3,
        "iso2": state.iso2,
        "name": state.name,
        "official_name": state.official_name,
        "status": state.status,
        "cow_code": state.cow_code,
        "un_member_from": state.un_member_from,
        "un_member_to": state.un_member_to,
        "successor_iso3": state.successor_iso3,
        "continent": state.continent,
        "un_subregion": state.un_subregion,
    }


def dataset_dict(ds: Dataset) -> dict[str, Any]:
    return {
        "id": ds.id,
        "kind": ds.kind,
        "source": ds.source,
        "source_url": ds.source_url,
        "licence": ds.licence,
        "file_name": ds.file_name,
        "sha256": ds.sha256,
        "imported_at": ds.imported_at.isoformat(),
        "rows_read": ds.rows_read,
        "inserted": ds.inserted,
        "updated": ds.updated,
        "unchanged": ds.unchanged,
        "rejected": ds.rejected,
    }


def _search_states(db: DbSession, q: str | None) -> list[State]:
    stmt = select(State).order_by(State.name)
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(
            or_(
                State.name.ilike(like),
                State.official_name.ilike(like),
                State.iso3.ilike(q.strip()),
                State.iso2.ilike(q.strip()),
            )
        )
    return list(db.scalars(stmt))


@router.get("/", include_in_schema=False)
def home(request: Request, db: DbSession, user: Viewer) -> Response:
    states = db.scalar(select(func.count()).select_from(State))
    return render(
        request, "home.html", user, datasets=list_datasets(db), forms=FORMS, state_count=states
    )


@router.get("/states", include_in_schema=False)
def states_page(request: Request, db: DbSession, user: Viewer, q: str | None = None) -> Response:
    return render(request, "states.html", user, states=_search_states(db, q), q=q or "")


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
    ds = db.get(Dataset, dataset_id)
    if ds is None:
        raise NotFoundError(f"no dataset #{dataset_id}")
    return render(request, "dataset.html", user, ds=ds)


@router.get("/audit", include_in_schema=False)
def audit_page(request: Request, db: DbSession, user: Admin) -> Response:
    return render(request, "audit.html", user, entries=recent(db, 200))


# --- JSON API -----------------------------------------------------------------------------


@router.get("/api/v1/states", tags=["states"])
def api_states(db: DbSession, user: Viewer, q: str | None = None) -> list[dict[str, Any]]:
    """All states (UN members, observers, historical), optionally filtered by a name search."""
    return [state_dict(s) for s in _search_states(db, q)]


@router.get("/api/v1/states/{code}", tags=["states"])
def api_state(db: DbSession, user: Viewer, code: str) -> dict[str, Any]:
    """One state by ISO3, ISO2, COW code or name, with its groupings."""
    state = get_state(db, code)
    out = state_dict(state)
    out["groupings"] = [
        {"code": g.code, "name": g.name, "kind": g.kind} for g in state_groupings(db, state.iso3)
    ]
    return out


@router.get("/api/v1/datasets", tags=["provenance"])
def api_datasets(db: DbSession, user: Viewer) -> list[dict[str, Any]]:
    """Every imported dataset with its source, licence, checksum and counts."""
    return [dataset_dict(d) for d in list_datasets(db)]


@router.get("/api/v1/datasets/{dataset_id}", tags=["provenance"])
def api_dataset(db: DbSession, user: Viewer, dataset_id: int) -> dict[str, Any]:
    ds = db.get(Dataset, dataset_id)
    if ds is None:
        raise NotFoundError(f"no dataset #{dataset_id}")
    return dataset_dict(ds)
