"""The state risk page: everything the interventions form knows about one state, on one page.

A desk officer preparing for a crisis meeting needs the statistical risk, the analysts'
Framework of Analysis assessment, what the event data shows, what has been done already
(the register) and what could be done next (the escalation view) side by side, each with its
"as of" date. Each room renders its own section (``<room>.public.state_section`` and the
partial ``interventions/_<room>_state.html``); this page only places them, so a room can change
what it shows without touching the others.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from rightsdesk.core.forms import load_callable
from rightsdesk.core.security.models import User
from rightsdesk.core.states import get_state
from rightsdesk.web.deps import DbSession, Viewer, render

#: The rooms whose sections the page shows, in reading order: the risk and the analysts'
#: assessment first, then the evidence of the moment, then what was and could be done.
ROOMS: tuple[str, ...] = ("risk", "framework", "events", "register", "escalation")

router = APIRouter()


def state_sections(session: Session, iso3: str, reader: User | None) -> dict[str, Any]:
    """Each room's section context (None where the room has nothing to show for the state)."""
    out: dict[str, Any] = {}
    for room in ROOMS:
        section = load_callable(f"rightsdesk.interventions.{room}.public:state_section")
        out[room] = section(session, iso3, reader)
    return out


@router.get("/interventions/states/{code}", include_in_schema=False)
def state_risk_page(request: Request, db: DbSession, user: Viewer, code: str) -> Response:
    """The state risk page; an unknown state code answers 404 like a missing page."""
    state = get_state(db, code)
    sections = state_sections(db, state.iso3, user)
    return render(
        request,
        "interventions/state.html",
        user,
        state=state,
        sections=sections,
        rooms=ROOMS,
    )
