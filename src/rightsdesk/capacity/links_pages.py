"""What the links and coverage pages show, assembled in one call each so the routes stay thin:
the coverage view of a state (with its chart), the review queue of suggested links, a
programme's links with the form to add one, and a donor's portfolio."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.capacity.coverage import (
    DonorPortfolio,
    StateCoverage,
    donor_portfolio,
    donors,
    state_coverage,
)
from rightsdesk.capacity.coverage_chart import coverage_chart_spec
from rightsdesk.capacity.links import (
    LinkView,
    add_link,
    get_programme,
    links_for_programme,
    list_links,
    recommendation_key,
    set_status,
)
from rightsdesk.capacity.models import LINK_STATUSES, Programme, ProgrammeLink, Recipient
from rightsdesk.core.states import State
from rightsdesk.reports.charts import script_json

__all__ = [
    "CoveragePage",
    "LinksPage",
    "PortfolioPage",
    "ProgrammeLinksPage",
    "coverage_page",
    "decide_link",
    "link_from_form",
    "links_page",
    "portfolio_page",
    "programme_links_page",
]

PAGE_SIZE = 50


def recipient_states(session: Session) -> list[tuple[str, str]]:
    """The states some programme serves (ISO3, name), for the state chooser."""
    rows = session.execute(
        select(State.iso3, State.name)
        .join(Recipient, Recipient.state_iso3 == State.iso3)
        .distinct()
        .order_by(State.name)
    ).all()
    return [(str(i), str(n)) for i, n in rows]


@dataclass
class CoveragePage:
    states: list[tuple[str, str]]
    coverage: StateCoverage | None = None
    spec_json: str | None = None


def coverage_page(session: Session, state: str | None) -> CoveragePage:
    """The chooser, and the chosen state's coverage with its chart."""
    page = CoveragePage(recipient_states(session))
    if state:
        page.coverage = state_coverage(session, state)
        page.spec_json = script_json(coverage_chart_spec(page.coverage))
    return page


@dataclass
class LinksPage:
    links: list[LinkView]
    total: int
    status: str
    state: str | None
    programme_id: int | None
    page: int
    pages: int
    statuses: tuple[str, ...] = LINK_STATUSES
    states: list[tuple[str, str]] = field(default_factory=list)


def links_page(
    session: Session,
    status: str = "suggested",
    state: str | None = None,
    programme_id: int | None = None,
    page: int = 1,
) -> LinksPage:
    """The review queue: suggested links (or those of another status), best score first."""
    state = state.upper() if state else None
    views, total = list_links(
        session, programme_id, status, state, PAGE_SIZE, (max(1, page) - 1) * PAGE_SIZE
    )
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    return LinksPage(
        views, total, status, state, programme_id, page, pages, states=recipient_states(session)
    )


def decide_link(session: Session, link_id: int, decision: str, actor: str, reason: str) -> None:
    """Confirm or reject from the review page (``decision``: confirm or reject)."""
    status = {"confirm": "confirmed", "reject": "rejected"}.get(decision, decision)
    set_status(session, link_id, status, actor, reason or None)


@dataclass
class ProgrammeLinksPage:
    programme: Programme
    links: list[LinkView]
    recipients: list[str]


def programme_links_page(session: Session, programme_id: int) -> ProgrammeLinksPage:
    programme = get_programme(session, programme_id)
    recipients = [r.state_iso3 for r in programme.recipients if r.state_iso3]
    return ProgrammeLinksPage(programme, links_for_programme(session, programme_id), recipients)


def link_from_form(
    session: Session, programme_id: int, recommendation: str, reason: str, actor: str
) -> ProgrammeLink:
    """A person's link from the programme page: the recommendation by id or key."""
    get_programme(session, programme_id)
    key = recommendation_key(session, recommendation)
    return add_link(session, programme_id, key, actor, reason)


@dataclass
class PortfolioPage:
    donors: list[tuple[str, str, int]]
    portfolio: DonorPortfolio | None


def portfolio_page(session: Session, org: str | None) -> PortfolioPage:
    return PortfolioPage(donors(session), donor_portfolio(session, org) if org else None)
