"""The "Capacity building" panel of the state page: human rights related aid against the
state's regional group (OECD CRS), the programmes it receives (IATI) with their main donors,
and how many of its supported recommendations have a programme or an action behind them (the
links room's coverage).

Each part is shown only when there is something to show; a store without CRS files, IATI
files or recommendations gives a smaller panel, and one with none of them no panel at all.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.capacity.models import CrsAid, Programme, Recipient
from rightsdesk.core.errors import RightsdeskError
from rightsdesk.web.panels import Panel

TOP_DONORS = 5


def programmes_received(session: Session, iso3: str) -> tuple[int, list[tuple[str, str, int]]]:
    """How many programmes list ``iso3`` as a recipient, and the reporting organisations with
    the most of them: (ref, name, programmes)."""
    ids = select(Recipient.programme_id).where(Recipient.state_iso3 == iso3)
    count = session.scalar(select(func.count(Programme.id)).where(Programme.id.in_(ids))) or 0
    donors = session.execute(
        select(
            Programme.reporting_org_ref,
            func.max(Programme.reporting_org_name),
            func.count(Programme.id),
        )
        .where(Programme.id.in_(ids), Programme.reporting_org_ref.is_not(None))
        .group_by(Programme.reporting_org_ref)
        .order_by(func.count(Programme.id).desc(), Programme.reporting_org_ref)
        .limit(TOP_DONORS)
    ).all()
    return int(count), [(str(r), str(n or r), int(c)) for r, n, c in donors]


def _coverage(session: Session, iso3: str) -> dict[str, int] | None:
    """The links room's summary of a state's supported recommendations, or None when there
    is none (or the monitoring form holds no recommendation for the state)."""
    try:
        from rightsdesk.capacity.coverage import state_coverage

        cov = state_coverage(session, iso3)
    except (ImportError, RightsdeskError):
        return None
    if not cov.supported:
        return None
    return {
        "supported": cov.supported,
        "with_programme": cov.with_programme,
        "with_action": cov.with_action,
        "gaps": len(cov.gaps),
    }


def capacity_panel(db: Session, iso3: str) -> Panel | None:
    """The capacity section of a state's page, or None when there is nothing to show."""
    from rightsdesk.capacity.aid import state_aid
    from rightsdesk.reports.capacity_charts import state_aid_chart
    from rightsdesk.reports.charts import script_json

    has_aid = db.scalar(select(func.count(CrsAid.id)).where(CrsAid.state_iso3 == iso3)) or 0
    aid = state_aid(db, iso3) if has_aid else None
    count, donors = programmes_received(db, iso3)
    coverage = _coverage(db, iso3)
    if aid is None and not count and coverage is None:
        return None
    context: dict[str, Any] = {
        "iso3": iso3,
        "aid": aid,
        "spec_json": script_json(state_aid_chart(aid)) if aid else None,
        "programmes": count,
        "donors": donors,
        "coverage": coverage,
    }
    return Panel(
        title="Capacity building",
        template="capacity/panel_state.html",
        order=60,
        context=context,
    )
