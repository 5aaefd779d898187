"""JSON API of the register of responses.

``GET /api/v1/interventions/register`` (filters ``kind``, ``state``, ``status``, ``year``;
``limit``/``offset``) answers the entries with each source's "data up to";
``GET /api/v1/interventions/register/{id}`` one entry with accused, charges and history.
``POST`` (create) and ``PUT /{id}`` (change the given fields) need ``Editor`` and an API
token (``Authorization: Bearer``): a browser cookie alone never changes the register.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from rightsdesk.core.errors import InputError, NotFoundError, PermissionDenied
from rightsdesk.core.security.models import User
from rightsdesk.interventions.register import editing, listing
from rightsdesk.interventions.register.public import sources_coverage
from rightsdesk.web.deps import DbSession, Editor, Viewer
from rightsdesk.web.schemas import error_responses

router = APIRouter()
TAGS: list[str | Any] = ["interventions"]


def bearer_editor(request: Request, user: Editor) -> User:
    """API writes need a bearer token: a browser cookie alone must not change the register."""
    if not request.headers.get("authorization", "").lower().startswith("bearer "):
        raise PermissionDenied("API changes need an API token (Authorization: Bearer TOKEN)")
    return user


BearerEditor = Annotated[User, Depends(bearer_editor)]


class StateIn(BaseModel):
    iso3: str = Field(description="ISO3 code or a state name")
    role: str = Field(description="situation, applicant, respondent, host, target or party")


class EntryIn(BaseModel):
    """An entry as an editor sends it; on PUT only the fields sent are changed."""

    kind: str | None = Field(None, description="commission-of-inquiry, referral, ...")
    identifier: str | None = Field(None, description='As the body writes it: "A/HRC/RES/S-17/1"')
    title: str | None = None
    mandate_body: str | None = Field(None, description="UNSC, UNGA, HRC, ICC OTP ...")
    mandate_ref: str | None = Field(None, description='"S/RES/1593 (2005)"')
    states: list[StateIn] | None = None
    start: str | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    end: str | None = Field(None, description="YYYY, YYYY-MM or YYYY-MM-DD")
    status: str | None = None
    url: str | None = None
    notes: str | None = None
    source: str | None = Field(None, description="Citation of where the facts come from")
    source_url: str | None = None
    note: str | None = Field(None, description="Why the change (kept in the history)")


def _values(body: EntryIn) -> dict[str, Any]:
    values = body.model_dump(exclude_unset=True)
    if "states" in values and values["states"] is not None:
        values["states"] = [dict(s) for s in values["states"]]
    return values


@router.get(
    "/api/v1/interventions/register",
    tags=TAGS,
    responses=error_responses(InputError),
)
def api_list(
    db: DbSession,
    user: Viewer,
    kind: str | None = None,
    state: Annotated[str | None, Query(description="ISO3 code or name")] = None,
    status: Annotated[str | None, Query(description="words the status contains")] = None,
    year: Annotated[
        int | None, Query(ge=1800, le=2200, description="entries running in this year")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=listing.MAX_LIMIT)] = 200,
    offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
) -> dict[str, Any]:
    """Register entries, newest first, with each source's "data up to"."""
    filters = listing.make_filters(kind, state, status, year)
    return {
        "filters": filters.as_dict(),
        "total": listing.count_entries(db, filters),
        "limit": limit,
        "offset": offset,
        "items": listing.list_entries(db, filters, limit, offset),
        "sources": [
            {**c, "data_up_to": c["data_up_to"].isoformat() if c["data_up_to"] else None}
            for c in _coverage(db)
        ],
    }


def _coverage(db: Any) -> list[dict[str, Any]]:
    return [{k: v for k, v in c.items() if k != "latest_addition"} for c in sources_coverage(db)]


@router.get(
    "/api/v1/interventions/register/{entry_id}",
    tags=TAGS,
    responses=error_responses(NotFoundError),
)
def api_entry(db: DbSession, user: Viewer, entry_id: int) -> dict[str, Any]:
    """One entry: states, sources, ICC accused and charges, the edit history."""
    return listing.detail(listing.get_entry(db, entry_id))


@router.post(
    "/api/v1/interventions/register",
    tags=TAGS,
    status_code=201,
    responses=error_responses(InputError),
)
def api_create(db: DbSession, user: BearerEditor, body: EntryIn) -> dict[str, Any]:
    """Enter a response (kind and title required); a 400 ``input-error`` names the field."""
    data = editing.validate(_values(body))
    entry = editing.create_entry(db, data, user.name)
    db.commit()
    return listing.detail(listing.get_entry(db, entry.id))


@router.put(
    "/api/v1/interventions/register/{entry_id}",
    tags=TAGS,
    responses=error_responses(InputError, NotFoundError),
)
def api_update(db: DbSession, user: BearerEditor, entry_id: int, body: EntryIn) -> dict[str, Any]:
    """Change the fields sent (what happened since the source's cut-off); the changed fields
    become the editor's and later imports leave them alone."""
    stored = listing.get_entry(db, entry_id)
    values = _values(body)
    values.pop("kind", None)  # part of the natural key: not changed
    data = editing.validate(values, partial=True)
    changes = editing.update_entry(db, stored, data, user.name, note=body.note)
    db.commit()
    out = listing.detail(listing.get_entry(db, entry_id))
    out["changed"] = sorted(changes)
    return out
