"""Pages of the register of responses: the list (``/interventions/register``, filters by kind,
state, status and year, each source's "data up to"), one entry (``/interventions/register/{id}``
with states, accused and charges, sources, edit history and, for editors, the edit form) and
the form for a new entry (``/interventions/register/new``).

Reading needs ``Viewer``; every change needs ``Editor`` and the page's CSRF token. A form with
mistakes comes back (422) with the message next to its field and what was typed kept. The JSON
API is in ``routes_api``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from rightsdesk.core.errors import InputError
from rightsdesk.core.security.models import User
from rightsdesk.core.security.roles import Permission, allows
from rightsdesk.interventions.register import editing, listing
from rightsdesk.interventions.register.models import KINDS, PRECISIONS, STATE_ROLES
from rightsdesk.interventions.register.public import sources_coverage
from rightsdesk.interventions.register.routes_api import router as api_router
from rightsdesk.web.deps import CsrfChecked, DbSession, Editor, Viewer, render

router = APIRouter()
router.include_router(api_router)

#: Form fields of the entry form (names as ``editing.validate`` reads them).
FORM_FIELDS = (*editing.FIELDS, "source", "source_url", "note")


def form_editor(user: Editor, _csrf: CsrfChecked) -> User:
    """An editor posting one of the register's page forms (role first, then CSRF)."""
    return user


FormEditor = Annotated[User, Depends(form_editor)]


async def posted(request: Request) -> dict[str, str]:
    """The entry form's fields as text (absent ones left out, so an edit changes only what
    the form sent)."""
    form = await request.form()
    out: dict[str, str] = {}
    for name in FORM_FIELDS:
        value = form.get(name)
        if isinstance(value, str):
            out[name] = value
    return out


Posted = Annotated[dict[str, str], Depends(posted)]


@router.get("/interventions/register", include_in_schema=False)
def register_page(
    request: Request,
    db: DbSession,
    user: Viewer,
    kind: str | None = None,
    state: str | None = None,
    status: str | None = None,
    year: int | None = None,
) -> Response:
    try:
        filters = listing.make_filters(kind, state, status, year)
        error = None
    except InputError as exc:
        filters, error = listing.Filters(), exc.reason
    rows = listing.list_entries(db, filters)
    return render(
        request,
        "interventions/register_list.html",
        user,
        rows=rows,
        total=listing.count_entries(db, filters),
        filters=filters,
        asked={"kind": kind or "", "state": state or "", "status": status or "", "year": year},
        error=error,
        facets=listing.facets(db),
        coverage=sources_coverage(db),
        can_edit=allows(user.role, Permission.EDIT),
    )


def _form_page(
    request: Request,
    db: Session,
    user: User,
    values: dict[str, Any],
    entry: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    template = (
        "interventions/register_form.html"
        if entry is None
        else "interventions/register_detail.html"
    )
    response = render(
        request,
        template,
        user,
        entry=entry,
        form=values,
        errors=errors or {},
        kinds=KINDS,
        roles=STATE_ROLES,
        precisions=PRECISIONS,
        coverage=sources_coverage(db),
        can_edit=allows(user.role, Permission.EDIT),
    )
    response.status_code = status_code
    return response


def _form_values(entry: dict[str, Any]) -> dict[str, str]:
    """An entry's stored values as the form shows them."""
    return {
        "kind": entry["kind"],
        "identifier": entry["identifier"] or "",
        "title": entry["title"],
        "mandate_body": entry["mandate_body"] or "",
        "mandate_ref": entry["mandate_ref"] or "",
        "states": "; ".join(f"{s['iso3']}:{s['role']}" for s in entry["states"] if s["iso3"]),
        "start": entry["start_text"] or "",
        "end": entry["end_text"] or "",
        "status": entry["status"] or "",
        "url": entry["url"] or "",
        "notes": entry["notes"] or "",
        "source": "",
        "source_url": "",
        "note": "",
    }


@router.get("/interventions/register/new", include_in_schema=False)
def new_entry_page(request: Request, db: DbSession, user: Editor, kind: str = "") -> Response:
    values = {name: "" for name in FORM_FIELDS}
    values["kind"] = kind if kind in KINDS else "commission-of-inquiry"
    return _form_page(request, db, user, values)


@router.post("/interventions/register/new", include_in_schema=False)
def post_new_entry(request: Request, db: DbSession, user: FormEditor, values: Posted) -> Response:
    try:
        data = editing.validate(values)
        entry = editing.create_entry(db, data, user.name)
    except InputError as exc:
        db.rollback()
        errors = {exc.location.field or "form": exc.reason}
        return _form_page(request, db, user, values, errors=errors, status_code=422)
    db.commit()
    return RedirectResponse(f"/interventions/register/{entry.id}", status_code=303)


@router.get("/interventions/register/{entry_id}", include_in_schema=False)
def entry_page(request: Request, db: DbSession, user: Viewer, entry_id: int) -> Response:
    entry = listing.detail(listing.get_entry(db, entry_id))
    return _form_page(request, db, user, _form_values(entry), entry)


@router.post("/interventions/register/{entry_id}", include_in_schema=False)
def post_entry_edit(
    request: Request, db: DbSession, user: FormEditor, entry_id: int, values: Posted
) -> Response:
    stored = listing.get_entry(db, entry_id)
    values = {**values, "kind": stored.kind}  # the kind is part of the natural key: kept
    try:
        data = editing.validate(values, partial=True)
        editing.update_entry(db, stored, data, user.name, note=values.get("note") or None)
    except InputError as exc:
        db.rollback()
        entry = listing.detail(listing.get_entry(db, entry_id))
        errors = {exc.location.field or "form": exc.reason}
        return _form_page(request, db, user, values, entry, errors, 422)
    db.commit()
    return RedirectResponse(f"/interventions/register/{entry_id}#history", status_code=303)
