"""The negotiation form's warm-up tasks (``core.warmup``): the analyses behind its slow pages,
computed after an import through the rooms' public service functions, so ``/positions``,
``/blocs``, ``/votes/integrity``, ``/states/X/votes`` and ``/forecast`` answer at once.

Each call below is the one the page makes with its default filters; its result is kept per
data version (``core.cache``, on disk) or in ``DATA/models`` (positions fits, forecaster).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.coverage import warm_coverage
from rightsdesk.core.states import State
from rightsdesk.core.warmup import WarmTask
from rightsdesk.negotiation.positions import service as positions
from rightsdesk.negotiation.votes import profile
from rightsdesk.negotiation.votes import service as votes
from rightsdesk.negotiation.votes.integrity import integrity_view
from rightsdesk.reports.charts import positions_chart_spec


def _positions(session: Session, settings: Settings) -> None:
    """``/positions`` and ``/api/v1/positions`` with their defaults (fits the ideal points),
    and the page's chart: in the server's process that also loads the chart library and the
    state names once, the rest of a first visit's cost."""
    page = positions.positions_page(
        session, settings, "unga", "", ",".join(positions.DEFAULT_STATES)
    )
    positions.positions_report(session, settings, "unga")
    positions_chart_spec(page["rows"])


def _blocs(session: Session, settings: Settings) -> None:
    """``/blocs`` with its default group and scope."""
    votes.bloc_page(session, "EU", votes.VoteScope("unga"))


def _integrity(session: Session, settings: Settings) -> None:
    """``/votes/integrity``: every body's findings."""
    integrity_view(session, "all")


def _state_pages(session: Session, settings: Settings) -> None:
    """``/states/X/votes`` with its defaults, for every UN member state."""
    members = session.scalars(
        select(State.iso3).where(State.status == "member").order_by(State.iso3)
    )
    for iso3 in list(members):
        profile.state_profile(session, iso3, None, "unga", None, "coincidence")


def _forecaster(session: Session, settings: Settings) -> None:
    """The General Assembly forecaster ``/forecast`` uses (trained once per import)."""
    positions.forecaster_for(session, settings, "unga")


TASKS = [
    # what every source covers (home, landing pages, state panels): core's, run once here
    WarmTask("coverage", "what each source covers", warm_coverage),
    WarmTask("positions", "UN General Assembly positions (ideal points)", _positions),
    WarmTask("blocs", "bloc cohesion (EU, General Assembly)", _blocs),
    WarmTask("vote-integrity", "vote totals check", _integrity),
    WarmTask("state-votes", "each state's agreement figures", _state_pages, quick=False),
    WarmTask("forecaster", "General Assembly forecast model", _forecaster, quick=False),
]
