"""The "Documented violations" panel of the state page: what the reader may see of the events
documented in the state, by act type, with the latest ones.

Unlike the other panels its content depends on who reads it, so it takes the reader and counts
through ``search.search_events`` (under ``access.visible``): a viewer sees public events only,
a collector its own, and nobody learns from a count that records exist which they may not read.
Without a reader (a page built outside a request) there is no panel.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from rightsdesk.core.security.models import User
from rightsdesk.monitoring.violations.access import Principal
from rightsdesk.monitoring.violations.search import EventFilters, search_events
from rightsdesk.web.panels import Panel

LATEST = 5


def violations_panel(session: Session, iso3: str, reader: User | None = None) -> Panel | None:
    """The panel, or None when the reader may see no event documented in the state."""
    if reader is None:
        return None
    found = search_events(
        session, Principal.of(reader), EventFilters(state=iso3), page=1, per_page=LATEST
    )
    if not found.total:
        return None
    return Panel(
        title="Documented violations",
        template="violations/panel_state.html",
        context={
            "iso3": iso3,
            "total": found.total,
            "latest": found.rows,
            "act_types": found.facets.get("act_type", []),
            "years": found.facets.get("year", []),
        },
        order=65,
    )
