"""Entering and editing programmes and their activities: the form pages
(``/capacity/programmes/new``, ``/capacity/programmes/{id}/edit``) and the JSON API
(``POST/PUT /api/v1/capacity/programmes...``, ``/api/v1/capacity/activities/{id}``).

Every change needs ``Editor``. Page forms carry the CSRF token; a form with mistakes comes back
(422) with each message next to its field and what was typed kept. API writes need an API token
(``Authorization: Bearer``), as implementation tracking's do: a browser cookie alone never
changes a programme. The programme page itself is the programmes room's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.capacity import edit
from rightsdesk.capacity.edit import ActivityIn, FieldErrors, ProgrammeIn
from rightsdesk.capacity.edit_input import BudgetIn, ParticipantIn, RecipientIn, SectorIn
from rightsdesk.capacity.models import PARTICIPANT_ROLES, Activity, CodelistItem, Programme
from rightsdesk.core.errors import InputError, NotFoundError, PermissionDenied
from rightsdesk.core.security.models import User
from rightsdesk.web.deps import CsrfChecked, DbSession, Editor, render
from rightsdesk.web.schemas import ApiModel, error_responses

router = APIRouter()
Route = Callable[[Callable[..., Any]], Callable[..., Any]]
BLANK_ROWS = 2  # empty rows the form offers under the stored ones


def form_editor(user: Editor, _csrf: CsrfChecked) -> User:
    """An editor posting one of our page forms (role first, then the CSRF token)."""
    return user


FormEditor = Annotated[User, Depends(form_editor)]


def _rows(form: Any, prefix: str, names: tuple[str, ...]) -> list[dict[str, str]]:
    """Repeated form fields (``sector_code`` ... once per row) as one dict per row."""
    columns = {name: [str(v) for v in form.getlist(f"{prefix}_{name}")] for name in names}
    count = max((len(values) for values in columns.values()), default=0)
    return [
        {name: values[i] if i < len(values) else "" for name, values in columns.items()}
        for i in range(count)
    ]


async def programme_form(request: Request) -> ProgrammeIn:
    """The programme form's fields as a ``ProgrammeIn`` (checked by ``edit``, not here)."""
    form = await request.form()

    def one(name: str) -> str:
        value = form.get(name)
        return value if isinstance(value, str) else ""

    return ProgrammeIn(
        title=one("title"),
        description=one("description"),
        reporting_org_ref=one("reporting_org_ref"),
        reporting_org_name=one("reporting_org_name"),
        reporting_org_type=one("reporting_org_type"),
        status_code=one("status_code"),
        planned_start=one("planned_start"),
        actual_start=one("actual_start"),
        planned_end=one("planned_end"),
        actual_end=one("actual_end"),
        default_currency=one("default_currency"),
        participants=[
            ParticipantIn(**row)
            for row in _rows(form, "participant", ("role", "name", "ref", "type"))
        ],
        recipients=[
            RecipientIn(**row) for row in _rows(form, "recipient", ("state", "percentage"))
        ],
        sectors=[
            SectorIn(**row)
            for row in _rows(form, "sector", ("vocabulary", "code", "name", "percentage"))
        ],
        budgets=[
            BudgetIn(**row)
            for row in _rows(
                form,
                "budget",
                ("kind", "status", "period_start", "period_end", "value", "currency", "value_date"),
            )
        ],
    )


async def activity_form(request: Request) -> ActivityIn:
    form = await request.form()
    fields = ("title", "description", "start_date", "end_date", "status_code")
    values = {name: form.get(name) for name in fields}
    return ActivityIn(**{k: v if isinstance(v, str) else "" for k, v in values.items()})


ProgrammeForm = Annotated[ProgrammeIn, Depends(programme_form)]
ActivityForm = Annotated[ActivityIn, Depends(activity_form)]


def _codes(db: Session, codelist: str) -> list[tuple[str, str]]:
    stmt = (
        select(CodelistItem.code, CodelistItem.name)
        .where(CodelistItem.codelist == codelist, CodelistItem.withdrawn.is_(False))
        .order_by(CodelistItem.code)
    )
    return [(code, name) for code, name in db.execute(stmt)]


def _page(
    request: Request,
    db: Session,
    user: User,
    data: ProgrammeIn,
    programme: Programme | None = None,
    errors: dict[str, str] | None = None,
    activity_errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    """The programme form, with ``BLANK_ROWS`` empty rows under each list of parts."""
    shown = data.model_copy(
        update={
            "participants": data.participants + [ParticipantIn(role="")] * BLANK_ROWS,
            "recipients": data.recipients + [RecipientIn(state="")] * BLANK_ROWS,
            "sectors": data.sectors + [SectorIn()] * BLANK_ROWS,
            "budgets": data.budgets
            + [BudgetIn(period_start="", period_end="", value="")] * BLANK_ROWS,
        }
    )
    response = render(
        request,
        "capacity/edit_programme.html",
        user,
        form=shown,
        programme=programme,
        errors=errors or {},
        activity_errors=activity_errors or {},
        roles=PARTICIPANT_ROLES,
        statuses=_codes(db, "ActivityStatus"),
        org_types=_codes(db, "OrganisationType"),
        action="/capacity/programmes/new"
        if programme is None
        else f"/capacity/programmes/{programme.id}/edit",
    )
    response.status_code = status_code
    return response


def _saved(db: Session, programme_id: int, anchor: str = "") -> RedirectResponse:
    db.commit()
    return RedirectResponse(f"/capacity/programmes/{programme_id}{anchor}", status_code=303)


# --- page forms ------------------------------------------------------------------------------


@router.get("/capacity/programmes/new", include_in_schema=False)
def new_programme_page(request: Request, db: DbSession, user: Editor) -> Response:
    return _page(request, db, user, ProgrammeIn(title="", status_code="2"))


@router.post("/capacity/programmes/new", include_in_schema=False)
def post_new_programme(
    request: Request, db: DbSession, user: FormEditor, data: ProgrammeForm
) -> Response:
    try:
        programme = edit.create_programme(db, user.name, data)
    except FieldErrors as exc:
        db.rollback()
        return _page(request, db, user, data, errors=exc.errors, status_code=422)
    return _saved(db, programme.id)


@router.get("/capacity/programmes/{programme_id}/edit", include_in_schema=False)
def edit_programme_page(
    request: Request, db: DbSession, user: Editor, programme_id: int
) -> Response:
    programme = edit.get_programme(db, programme_id)
    return _page(request, db, user, edit.programme_input(programme), programme)


@router.post("/capacity/programmes/{programme_id}/edit", include_in_schema=False)
def post_edit_programme(
    request: Request, db: DbSession, user: FormEditor, programme_id: int, data: ProgrammeForm
) -> Response:
    try:
        edit.update_programme(db, user.name, programme_id, data)
    except FieldErrors as exc:
        db.rollback()
        programme = edit.get_programme(db, programme_id)
        return _page(request, db, user, data, programme, exc.errors, status_code=422)
    return _saved(db, programme_id)


@router.post("/capacity/programmes/{programme_id}/activities", include_in_schema=False)
def post_activity(
    request: Request, db: DbSession, user: FormEditor, programme_id: int, data: ActivityForm
) -> Response:
    try:
        edit.add_activity(db, user.name, programme_id, data)
    except FieldErrors as exc:
        db.rollback()
        programme = edit.get_programme(db, programme_id)
        current = edit.programme_input(programme)
        return _page(request, db, user, current, programme, None, exc.errors, 422)
    return _saved(db, programme_id, "#activities")


# --- JSON API ------------------------------------------------------------------------------


def bearer_editor(request: Request, user: Editor) -> User:
    """API writes need a bearer token: a browser cookie alone must not change programmes."""
    if not request.headers.get("authorization", "").lower().startswith("bearer "):
        raise PermissionDenied("API changes need an API token (Authorization: Bearer TOKEN)")
    return user


BearerEditor = Annotated[User, Depends(bearer_editor)]


class ActivityOut(ApiModel):
    id: int
    programme_id: int
    title: str
    description: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    status_code: str | None
    created_by: str | None


class SavedProgramme(ApiModel):
    """A programme as saved: its id and key, where its page is, and what an editor set."""

    id: int
    natural_key: str = Field(description="rd-<uuid> for entered programmes; else iati-identifier.")
    url: str
    created_by: str | None
    values: ProgrammeIn
    activities: list[ActivityOut]


def _saved_programme(db: Session, programme_id: int) -> SavedProgramme:
    db.commit()
    programme = edit.get_programme(db, programme_id)
    return SavedProgramme(
        id=programme.id,
        natural_key=programme.natural_key,
        url=f"/capacity/programmes/{programme.id}",
        created_by=programme.created_by,
        values=edit.programme_input(programme),
        activities=[ActivityOut.model_validate(a) for a in programme.activities],
    )


def _api_write(method: str, path: str, status_code: int = 200) -> Route:
    return router.api_route(
        path,
        methods=[method],
        tags=["capacity"],
        status_code=status_code,
        response_model=SavedProgramme,
        responses=error_responses(NotFoundError, InputError),
    )


@_api_write("POST", "/api/v1/capacity/programmes", 201)
def api_create_programme(db: DbSession, user: BearerEditor, body: ProgrammeIn) -> SavedProgramme:
    """Enter a programme; a 400 ``input-error`` lists every faulty field in ``fields``."""
    programme = edit.create_programme(db, user.name, body)
    return _saved_programme(db, programme.id)


@_api_write("PUT", "/api/v1/capacity/programmes/{programme_id}")
def api_update_programme(
    db: DbSession, user: BearerEditor, programme_id: int, body: ProgrammeIn
) -> SavedProgramme:
    """Restate a programme: its fields, participants, recipient states, sectors and budget
    lines (transactions, results, documents and regions from IATI files are kept)."""
    edit.update_programme(db, user.name, programme_id, body)
    return _saved_programme(db, programme_id)


@_api_write("POST", "/api/v1/capacity/programmes/{programme_id}/activities", 201)
def api_add_activity(
    db: DbSession, user: BearerEditor, programme_id: int, body: ActivityIn
) -> SavedProgramme:
    """Add an activity (a training, a mission, a grant) within a programme."""
    edit.add_activity(db, user.name, programme_id, body)
    return _saved_programme(db, programme_id)


@_api_write("PUT", "/api/v1/capacity/activities/{activity_id}")
def api_update_activity(
    db: DbSession, user: BearerEditor, activity_id: int, body: ActivityIn
) -> SavedProgramme:
    activity: Activity = edit.update_activity(db, user.name, activity_id, body)
    return _saved_programme(db, activity.programme_id)
