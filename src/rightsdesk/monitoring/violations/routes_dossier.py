"""Pages and JSON API of designation dossiers and sanctions links.

Pages: ``/violations/perpetrators/{id}/dossier?regime=`` (HTML), ``.../dossier.pdf?regime=``
and ``/violations/perpetrators/{id}/sanctions`` (suggested links with their explanation;
confirm and reject forms carry the CSRF token). API: ``/api/v1/violations/perpetrators/{id}/
dossier?regime=&format=json|ftm`` and ``.../sanctions`` (GET; POST ``suggest``, ``confirm``,
``reject``).

Every route needs a logged-in user with READ (``Viewer``; a collector has it) and then asks
``access`` about the perpetrator and each record: what the reader may not read is "not found"
or left out, and writing a link needs EDIT on the perpetrator. Every dossier shown or
downloaded is an export, audited with the regime and counts.
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from rightsdesk.core.errors import ConflictError, InputError, NotFoundError
from rightsdesk.monitoring.violations import access, sanctions_links
from rightsdesk.monitoring.violations.access import Action, Principal
from rightsdesk.monitoring.violations.dossier_build import audit_export, build_dossier
from rightsdesk.monitoring.violations.dossier_criteria import REGIMES
from rightsdesk.monitoring.violations.dossier_ftm import dossier_entities
from rightsdesk.monitoring.violations.dossier_pdf import render_pdf, template_context
from rightsdesk.monitoring.violations.dossier_schemas import (
    DecisionIn,
    DossierOut,
    LinksOut,
    SuggestIn,
    dossier_out,
    links_out,
)
from rightsdesk.web.deps import CsrfChecked, DbSession, Viewer, render
from rightsdesk.web.schemas import error_responses

router = APIRouter()
TAG = "violations"
INT_MAX = 2**31 - 1
FTM_MEDIA = "application/x-ndjson; charset=utf-8"

PerpId = Annotated[int, Path(ge=1, le=INT_MAX, description="Perpetrator id.")]
RegimeKey = Annotated[str, Query(max_length=20, description="us-glomag, eu-ghrsr or uk-ghr.")]


def _filename(perpetrator_id: int, regime: str, suffix: str) -> str:
    return f"dossier-{perpetrator_id}-{regime}.{suffix}"


# --- pages ------------------------------------------------------------------------------------


@router.get("/violations/perpetrators/{perpetrator_id}/dossier", include_in_schema=False)
def dossier_page(
    request: Request,
    db: DbSession,
    user: Viewer,
    perpetrator_id: PerpId,
    regime: RegimeKey = "us-glomag",
) -> Response:
    """The dossier as a page, with the regime chooser and the downloads."""
    who = Principal.of(user)
    dossier = build_dossier(db, who, perpetrator_id, regime)
    audit_export(db, who, dossier, "html")
    db.commit()
    return render(
        request,
        "violations/dossier.html",
        user,
        regimes=list(REGIMES.values()),
        **template_context(dossier, pdf=False),
    )


@router.get("/violations/perpetrators/{perpetrator_id}/dossier.pdf", include_in_schema=False)
def dossier_pdf(
    db: DbSession, user: Viewer, perpetrator_id: PerpId, regime: RegimeKey = "us-glomag"
) -> Response:
    """The dossier as PDF, each source a numbered footnote."""
    who = Principal.of(user)
    dossier = build_dossier(db, who, perpetrator_id, regime)
    body = render_pdf(dossier)
    audit_export(db, who, dossier, "pdf")
    db.commit()
    name = _filename(perpetrator_id, dossier.regime.key, "pdf")
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/violations/perpetrators/{perpetrator_id}/sanctions", include_in_schema=False)
def links_page(request: Request, db: DbSession, user: Viewer, perpetrator_id: PerpId) -> Response:
    """Suggested, confirmed and rejected links with their explanations and designations."""
    who = Principal.of(user)
    views = sanctions_links.link_views(db, who, perpetrator_id)
    perp = sanctions_links.get_perpetrator(db, who, perpetrator_id)
    return render(
        request,
        "violations/sanctions_link.html",
        user,
        perp=perp,
        links=views,
        can_edit=access.may(who, Action.EDIT, perp),
    )


@router.post("/violations/perpetrators/{perpetrator_id}/sanctions/suggest", include_in_schema=False)
def links_suggest_form(
    db: DbSession, user: Viewer, _csrf: CsrfChecked, perpetrator_id: PerpId
) -> Response:
    """Screen the perpetrator's names now (needs EDIT on the perpetrator)."""
    sanctions_links.suggest_links(db, Principal.of(user), perpetrator_id)
    db.commit()
    return RedirectResponse(f"/violations/perpetrators/{perpetrator_id}/sanctions", 303)


@router.post("/violations/perpetrators/{perpetrator_id}/sanctions/decide", include_in_schema=False)
def links_decide_form(
    db: DbSession,
    user: Viewer,
    _csrf: CsrfChecked,
    perpetrator_id: PerpId,
    entity_id: Annotated[str, Form(max_length=200)],
    decision: Annotated[Literal["confirm", "reject"], Form()],
) -> Response:
    """Confirm or reject one link (or link an entity by its id), audited."""
    sanctions_links.decide_link(db, Principal.of(user), perpetrator_id, entity_id, decision)
    db.commit()
    return RedirectResponse(f"/violations/perpetrators/{perpetrator_id}/sanctions", 303)


# --- JSON API ---------------------------------------------------------------------------------


@router.get(
    "/api/v1/violations/perpetrators/{perpetrator_id}/dossier",
    tags=[TAG],
    response_model=DossierOut,
    responses={
        **error_responses(NotFoundError, InputError),
        200: {
            "description": "format=json: the dossier; format=ftm: FollowTheMoney JSON lines",
            "content": {"application/x-ndjson": {}},
        },
    },
)
def api_dossier(
    db: DbSession,
    user: Viewer,
    perpetrator_id: PerpId,
    regime: RegimeKey = "us-glomag",
    format: Annotated[Literal["json", "ftm"], Query(description="json or ftm")] = "json",
) -> DossierOut | Response:
    """A designation proposal for the perpetrator under a regime, with only the records the
    caller may read; ``format=ftm`` gives FollowTheMoney entities (validated), one a line.
    Audited as an export."""
    who = Principal.of(user)
    dossier = build_dossier(db, who, perpetrator_id, regime)
    if format == "ftm":
        lines = [
            json.dumps(e, ensure_ascii=False, sort_keys=True) for e in dossier_entities(dossier)
        ]
        audit_export(db, who, dossier, "ftm")
        db.commit()
        name = _filename(perpetrator_id, dossier.regime.key, "ftm.json")
        return Response(
            "\n".join(lines) + "\n",
            media_type=FTM_MEDIA,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
    out = dossier_out(dossier)
    audit_export(db, who, dossier, "json")
    db.commit()
    return out


@router.get(
    "/api/v1/violations/perpetrators/{perpetrator_id}/sanctions",
    tags=[TAG],
    response_model=LinksOut,
    responses=error_responses(NotFoundError),
)
def api_links(db: DbSession, user: Viewer, perpetrator_id: PerpId) -> LinksOut:
    """The perpetrator's links to sanctions-list entities; confirmed ones with their
    designations (authority, programme, listed, in force or ended)."""
    views = sanctions_links.link_views(db, Principal.of(user), perpetrator_id)
    return links_out(perpetrator_id, views)


@router.post(
    "/api/v1/violations/perpetrators/{perpetrator_id}/sanctions/suggest",
    tags=[TAG],
    response_model=LinksOut,
    responses=error_responses(NotFoundError, InputError),
)
def api_suggest(
    db: DbSession, user: Viewer, perpetrator_id: PerpId, body: SuggestIn | None = None
) -> LinksOut:
    """Screen the perpetrator's name and aliases (with birth date and nationality) against
    the loaded lists and store the hits as suggested links (EDIT on the perpetrator)."""
    who = Principal.of(user)
    req = body or SuggestIn(threshold=None, limit=10)
    sanctions_links.suggest_links(db, who, perpetrator_id, req.threshold, req.limit)
    db.commit()
    return links_out(perpetrator_id, sanctions_links.link_views(db, who, perpetrator_id))


@router.post(
    "/api/v1/violations/perpetrators/{perpetrator_id}/sanctions/{decision}",
    tags=[TAG],
    response_model=LinksOut,
    responses=error_responses(NotFoundError, InputError, ConflictError),
)
def api_decide(
    db: DbSession,
    user: Viewer,
    perpetrator_id: PerpId,
    decision: Literal["confirm", "reject"],
    body: DecisionIn,
) -> LinksOut:
    """Confirm or reject the link to ``entity_id`` (EDIT on the perpetrator); confirming an
    entity never suggested links it by hand. Audited."""
    who = Principal.of(user)
    sanctions_links.decide_link(db, who, perpetrator_id, body.entity_id, decision)
    db.commit()
    return links_out(perpetrator_id, sanctions_links.link_views(db, who, perpetrator_id))
