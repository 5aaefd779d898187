"""The negotiation form's warm-up tasks (``core.warmup``): the analyses behind its slow pages,
computed after an import through the rooms' public service functions, so ``/positions``,
``/treaties``, ``/blocs``, ``/votes/integrity``, ``/states/X/votes`` and ``/forecast`` answer
at once.

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
from rightsdesk.negotiation.positions.page import positions_view
from rightsdesk.negotiation.treaties.service import matrix_page
from rightsdesk.negotiation.votes import profile
from rightsdesk.negotiation.votes import service as votes
from rightsdesk.negotiation.votes.integrity import integrity_view


def _positions(session: Session, settings: Settings) -> None:
    """``/positions`` and ``/api/v1/positions`` with their defaults: fits the ideal points
    (or reads the saved fit) and keeps the table of positions the page reads on disk, so a
    fresh worker's first visit neither counts the votes nor loads the whole fit."""
    default = ",".join(positions.DEFAULT_STATES)
    positions_view(session, settings, "unga", "", default, [], [])
    positions.positions_report(session, settings, "unga")


def _treaties(session: Session, settings: Settings) -> None:
    """``/treaties`` and ``/api/v1/treaties/matrix`` with their defaults: the ratification
    matrix and its map."""
    matrix_page(session, None, "status")


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
    WarmTask("treaties", "treaty ratification matrix", _treaties),
    WarmTask("blocs", "bloc cohesion (EU, General Assembly)", _blocs),
    WarmTask("vote-integrity", "vote totals check", _integrity),
    WarmTask("state-votes", "each state's agreement figures", _state_pages, quick=False),
    WarmTask("forecaster", "General Assembly forecast model", _forecaster, quick=False),
]
