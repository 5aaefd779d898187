"""The "Atrocity risk" panel of the house state page: the state's latest statistical risk,
the date of its Framework of Analysis assessment and its register entries, in three lines, with
the way to the state risk page where the whole picture is.

The panel is a summary, so it shows only what exists: a state outside the risk panel, never
assessed and absent from the register gets no panel at all.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from rightsdesk.interventions.framework.public import latest_assessment
from rightsdesk.interventions.register.public import entries_for_state
from rightsdesk.interventions.risk.public import latest_risk
from rightsdesk.web.panels import Panel


def interventions_panel(session: Session, iso3: str) -> Panel | None:
    """The panel, or None when the interventions form knows nothing about the state."""
    risk = latest_risk(session, iso3)
    assessment = latest_assessment(session, iso3)
    entries = entries_for_state(session, iso3)
    if risk is None and assessment is None and not entries:
        return None
    kinds: dict[str, int] = {}
    for entry in entries:
        kinds[entry.kind] = kinds.get(entry.kind, 0) + 1
    return Panel(
        title="Atrocity risk and responses",
        template="interventions/panel_state.html",
        context={"iso3": iso3, "risk": risk, "assessment": assessment, "kinds": kinds},
        order=70,
    )
