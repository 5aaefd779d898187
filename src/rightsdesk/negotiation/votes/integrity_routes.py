"""Pages and JSON API of vote-record integrity and vote corrections.

``/votes/integrity`` lists the roll calls whose official totals and recorded votes disagree or
exceed the membership, with the likely cause of each (analyst: it reads every roll call). The
roll call page shows its own finding and corrections (``integrity.roll_call_integrity``) and,
for editors, a form to record one. Recording or removing a correction needs the editor role;
API writes with a session cookie carry the CSRF token (``web.deps.current_user`` checks it),
page forms their hidden token.

This router is included before the votes router: ``/votes/integrity`` and
``/api/v1/votes/corrections`` would otherwise be taken for roll call ids.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from rightsdesk.core.errors import InputError, NotFoundError, UnknownStateError
from rightsdesk.core.security.models import User
from rightsdesk.negotiation.votes import corrections as corr
from rightsdesk.negotiation.votes.frames import BODY_CHOICES
from rightsdesk.negotiation.votes.integrity import integrity_view
from rightsdesk.negotiation.votes.integrity_schemas import (
    CorrectionIn,
    CorrectionOut,
    IntegrityOut,
)
from rightsdesk.negotiation.votes.models import BODIES
from rightsdesk.web.deps import Analyst, CsrfChecked, DbSession, Editor, Viewer, render
from rightsdesk.web.schemas import error_responses

router = APIRouter()

BodyQ = Annotated[str, Query(description=f"One of {', '.join(BODY_CHOICES)}")]
PageQ = Annotated[int, Query(ge=1, le=1_000_000)]
#: Rows per page of the findings and of the corrections (the shared pagination macro).
PAGE_SIZE = 100
T = TypeVar("T")


def page_of(rows: list[T], page: int, per_page: int) -> dict[str, Any]:
    """One page of a list, for ``_pagination.html``: the rows, the page (a number past the
    end shows the last page), the number of pages and the total."""
    pages = max(1, math.ceil(len(rows) / per_page))
    page = min(page, pages)
    start = (page - 1) * per_page
    return {
        "rows": rows[start : start + per_page],
        "page": page,
        "pages": pages,
        "total": len(rows),
        "per_page": per_page,
    }


def form_editor(user: Editor, _csrf: CsrfChecked) -> User:
    """An editor posting the roll call page's form (role first, then the CSRF token)."""
    return user


FormEditor = Annotated[User, Depends(form_editor)]


# --- pages ------------------------------------------------------------------------------------


@router.get("/votes/integrity", include_in_schema=False)
def integrity_page(
    request: Request,
    db: DbSession,
    user: Analyst,
    body: BodyQ = "all",
    page: PageQ = 1,
    corrections_page: PageQ = 1,
) -> Response:
    context = integrity_view(db, body)
    return render(
        request,
        "negotiation/votes_integrity.html",
        user,
        bodies=BODY_CHOICES,
        body_names=BODIES,
        body=context["body"],
        mismatches=context["mismatches"],
        impossible=context["impossible"],
        findings=page_of(context["findings"], page, PAGE_SIZE),
        corrections=page_of(corr.list_corrections(db), corrections_page, PAGE_SIZE),
    )


@router.post("/votes/{roll_call_id}/corrections", include_in_schema=False)
def correction_form(
    db: DbSession,
    user: FormEditor,
    roll_call_id: int,
    state: Annotated[str, Form()],
    vote: Annotated[str, Form()],
    source: Annotated[str, Form()],
    date: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
) -> Response:
    corr.record_correction(db, user.name, roll_call_id, state, vote, source, date, note or None)
    db.commit()
    return RedirectResponse(f"/votes/{roll_call_id}#corrections", status_code=303)


@router.post("/votes/corrections/{correction_id}/delete", include_in_schema=False)
def correction_delete_form(db: DbSession, user: FormEditor, correction_id: int) -> Response:
    rows = [c for c in corr.list_corrections(db) if c["id"] == correction_id]
    corr.remove_correction(db, user.name, correction_id)
    db.commit()
    target = f"/votes/{rows[0]['roll_call_id']}#corrections" if rows else "/votes/integrity"
    return RedirectResponse(target, status_code=303)


# --- JSON API ---------------------------------------------------------------------------------


@router.get(
    "/api/v1/votes/integrity",
    tags=["votes"],
    response_model=IntegrityOut,
    responses=error_responses(InputError),
)
def api_integrity(db: DbSession, user: Analyst, body: BodyQ = "all") -> IntegrityOut:
    """Roll calls whose official totals and recorded votes disagree, or exceed the membership
    of the body at the date, with the likely cause of each."""
    return IntegrityOut.model_validate(integrity_view(db, body))


@router.get(
    "/api/v1/votes/corrections",
    tags=["votes"],
    response_model=list[CorrectionOut],
)
def api_corrections(
    db: DbSession,
    user: Viewer,
    roll_call_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> list[CorrectionOut]:
    """Votes states later said they meant differently (all, or one roll call's)."""
    return [CorrectionOut.model_validate(c) for c in corr.list_corrections(db, roll_call_id)]


@router.post(
    "/api/v1/votes/{roll_call_id}/corrections",
    tags=["votes"],
    response_model=CorrectionOut,
    status_code=201,
    responses=error_responses(InputError, NotFoundError, UnknownStateError),
)
def api_add_correction(
    db: DbSession, user: Editor, roll_call_id: int, body: CorrectionIn
) -> CorrectionOut:
    """Record (or replace) a state's stated vote on a roll call; audited. The official record
    stands; analyses use the correction only when asked (``record=corrected``)."""
    found = corr.record_correction(
        db, user.name, roll_call_id, body.state, body.vote, body.source, body.date, body.note
    )
    db.commit()
    rows = [c for c in corr.list_corrections(db, roll_call_id) if c["id"] == found.id]
    return CorrectionOut.model_validate(rows[0])


@router.delete(
    "/api/v1/votes/corrections/{correction_id}",
    tags=["votes"],
    status_code=204,
    responses=error_responses(NotFoundError),
)
def api_remove_correction(db: DbSession, user: Editor, correction_id: int) -> Response:
    """Remove a correction; audited."""
    corr.remove_correction(db, user.name, correction_id)
    db.commit()
    return Response(status_code=204)
