"""Pages of the framework room: the reference and the states assessed
(/interventions/framework), a state's assessment with its versions (/interventions/framework/
ISO3), and the draft's edit form with its posts (rate, details, finalise).

Viewers read final assessments; analysts and editors also see and rate the draft; editors
finalise. Every form post checks the role first, then the CSRF token.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from rightsdesk.core.security.models import User
from rightsdesk.core.states import get_state
from rightsdesk.interventions.framework import service
from rightsdesk.interventions.framework.evidence import EVIDENCE_LABELS, parse_evidence
from rightsdesk.interventions.framework.reference import RATING_LABELS, RATINGS
from rightsdesk.interventions.framework.views import (
    factors_view,
    may_see_drafts,
    state_view,
)
from rightsdesk.web.deps import Analyst, CsrfChecked, DbSession, Editor, Viewer, render

router = APIRouter()
PAGE = "/interventions/framework"


def form_analyst(user: Analyst, _csrf: CsrfChecked) -> User:
    """An analyst (or editor) posting one of our forms: role first, then the CSRF token."""
    return user


def form_editor(user: Editor, _csrf: CsrfChecked) -> User:
    """An editor posting the finalise form."""
    return user


FormAnalyst = Annotated[User, Depends(form_analyst)]
FormEditor = Annotated[User, Depends(form_editor)]


@router.get(PAGE, include_in_schema=False)
def index_page(
    request: Request, db: DbSession, user: Viewer, assess: str | None = None
) -> Response:
    """The framework's factors and indicators, and the states with an assessment.
    ``?assess=NAME`` (the "assess a state" box): to that state's edit form."""
    if assess and may_see_drafts(user):
        iso3 = get_state(db, assess[:120]).iso3
        return RedirectResponse(f"{PAGE}/{iso3}/edit", status_code=303)
    states = service.states_assessed(db, include_drafts=may_see_drafts(user))
    return render(
        request,
        "interventions/framework_index.html",
        user,
        fw=factors_view(),
        states=states,
        can_edit=may_see_drafts(user),
    )


@router.get(f"{PAGE}/{{iso3}}", include_in_schema=False)
def state_page(
    request: Request, db: DbSession, user: Viewer, iso3: str, version: int | None = None
) -> Response:
    """A state's latest assessment (or ``?version=N``) factor by factor, with its versions and
    what changed since the one before."""
    view = state_view(db, iso3, user, version)
    db.commit()  # the audit log's entries for confidential events cited as evidence
    return render(
        request,
        "interventions/framework_state.html",
        user,
        view=view,
        a=view["assessment"],
        can_edit=may_see_drafts(user),
        can_finalise=user.role in ("editor", "admin"),
    )


@router.get(f"{PAGE}/{{iso3}}/edit", include_in_schema=False)
def edit_page(request: Request, db: DbSession, user: Analyst, iso3: str) -> Response:
    """The draft to rate: the draft in progress, or the latest final version it would start
    from (nothing is written until the first rating is saved)."""
    view = state_view(db, iso3, user)
    db.commit()  # the audit log's entries for confidential events cited as evidence
    return render(
        request,
        "interventions/framework_edit.html",
        user,
        view=view,
        a=view["assessment"],
        fw=factors_view(),
        ratings=[(r, RATING_LABELS[r]) for r in RATINGS],
        kinds=EVIDENCE_LABELS,
        can_finalise=user.role in ("editor", "admin"),
    )


@router.post(f"{PAGE}/{{iso3}}/rate", include_in_schema=False)
def post_rate(
    db: DbSession,
    user: FormAnalyst,
    iso3: str,
    indicator: Annotated[str, Form(max_length=8)],
    rating: Annotated[str, Form(max_length=20)],
    note: Annotated[str, Form(max_length=5000)] = "",
    evidence: Annotated[str, Form(max_length=20000)] = "",
) -> Response:
    """Save one indicator: rating, note, and the evidence lines (``KIND:REF`` one a line,
    optionally `` | note``), which replace the stored ones."""
    items = []
    for line in evidence.splitlines():
        if line.strip():
            ref, _, note_part = line.partition(" | ")
            items.append(parse_evidence(ref, note_part))
    r = service.rate(
        db, user.name, iso3, indicator, rating, note, items, replace_evidence=True, writer=user
    )
    target = f"{PAGE}/{r.assessment.state_iso3}/edit#i{r.indicator.replace('.', '-')}"
    db.commit()
    return RedirectResponse(target, status_code=303)


@router.post(f"{PAGE}/{{iso3}}/details", include_in_schema=False)
def post_details(
    db: DbSession,
    user: FormAnalyst,
    iso3: str,
    summary: Annotated[str, Form(max_length=20000)] = "",
    period_start: Annotated[str, Form(max_length=10)] = "",
    period_end: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """The draft's summary and the period its evidence covers."""
    a = service.set_details(db, user.name, iso3, summary, period_start, period_end)
    target = f"{PAGE}/{a.state_iso3}/edit"
    db.commit()
    return RedirectResponse(target, status_code=303)


@router.post(f"{PAGE}/{{iso3}}/finalise", include_in_schema=False)
def post_finalise(db: DbSession, user: FormEditor, iso3: str) -> Response:
    """Make the draft final; the page then shows it as the latest assessment."""
    a = service.finalise(db, user.name, iso3)
    target = f"{PAGE}/{a.state_iso3}"
    db.commit()
    return RedirectResponse(target, status_code=303)
