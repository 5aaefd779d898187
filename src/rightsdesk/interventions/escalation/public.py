"""What the escalation view offers the state risk page (``/interventions/states/{iso3}``): a
short section with the assessed level, the responses so far by kind and the next options,
linking to the full view. The lead's page includes ``interventions/_escalation_state.html``
with this dict as ``sec``."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy.orm import Session

from rightsdesk.core.errors import UnknownStateError
from rightsdesk.core.security.models import User
from rightsdesk.interventions.escalation.inputs import Inputs
from rightsdesk.interventions.escalation.service import escalation_view

__all__ = ["CATEGORY_LABELS", "state_section"]

CATEGORY_LABELS = {
    "register": "register entries",
    "sanctions": "human-rights designations of its nationals and entities",
    "sanctions-regime": "sanctions regimes aimed at the state",
    "un-decision": "UN resolutions naming the state",
    "veto": "vetoed Security Council drafts",
    "recommendations": "groups of recommendations",
}
#: how many of the latest responses and of each option's precedents the section shows
LATEST = 5
PRECEDENTS = 2


def state_section(
    session: Session, iso3: str, reader: User | None, inputs: Inputs | None = None
) -> dict[str, Any] | None:
    """Context ``sec`` of ``interventions/_escalation_state.html``; None for an unknown
    state (the page then shows no section)."""
    try:
        view = escalation_view(session, iso3, reader, inputs=inputs)
    except UnknownStateError:
        return None
    counts = Counter(u.category for u in view.used)
    return {
        "iso3": view.iso3,
        "name": view.name,
        "risk": view.risk,
        "assessment": view.assessment,
        "level_note": view.level_note,
        "notes": view.notes,
        "counts": [(CATEGORY_LABELS.get(k, k), n) for k, n in sorted(counts.items())],
        "latest": [u for u in view.used if u.date is not None][-LATEST:][::-1],
        "next": [
            {"title": s.title, "why": s.why, "precedents": s.precedents[:PRECEDENTS]}
            for s in view.next_options
        ],
        "url": f"/interventions/escalation/{view.iso3}",
    }
