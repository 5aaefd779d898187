"""Coverage: which supported recommendations have a programme or an action behind them, what
a donor's portfolio addresses, and where many recommendations meet little aid.

"Behind it" means, for a recommendation the state supported:
- a **programme**: a *confirmed* link (a suggestion is not yet evidence);
- an **action**: the monitoring form's implementation record follows it (itself or its
  cluster) and shows something being done: a planned action, a progress report, or a status
  past "not-started" (``ImplementationRef.acting``).
A recommendation with neither is a gap (``rightsdesk capacity gaps``).

Aid per theme comes from the OECD CRS aggregates: the state's aid in the DAC sectors that serve
the theme (``sector_themes``), summed over the years loaded, in USD million. A sector serving
two themes counts toward both: the figure is "aid that could serve this theme", not a share.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from rightsdesk.capacity.models import (
    CrsAid,
    Participant,
    Programme,
    ProgrammeLink,
)
from rightsdesk.capacity.sector_themes import HUMAN_RIGHTS_SECTORS, sector_themes, theme_sectors
from rightsdesk.core.errors import NotFoundError
from rightsdesk.core.states import State, get_state
from rightsdesk.forms import service

if TYPE_CHECKING:
    from rightsdesk.monitoring.public import ImplementationRef, RecommendationRef

__all__ = [
    "NO_THEME",
    "DonorPortfolio",
    "RecCoverage",
    "StateCoverage",
    "ThemeCoverage",
    "donor_portfolio",
    "donors",
    "state_coverage",
]

NO_THEME = "(no theme)"


@dataclass
class ProgrammeRef:
    id: int
    title: str


@dataclass
class RecCoverage:
    """One supported recommendation and what stands behind it."""

    rec: RecommendationRef
    programmes: list[ProgrammeRef] = field(default_factory=list)
    implementation: ImplementationRef | None = None

    @property
    def has_programme(self) -> bool:
        return bool(self.programmes)

    @property
    def has_action(self) -> bool:
        return self.implementation is not None and self.implementation.acting

    @property
    def covered(self) -> bool:
        return self.has_programme or self.has_action

    @property
    def themes(self) -> list[str]:
        return self.rec.themes or [NO_THEME]


@dataclass
class ThemeCoverage:
    """A theme of a state's supported recommendations: how many, how many with something
    behind them, and the aid that could serve it."""

    theme: str
    supported: int = 0
    with_programme: int = 0
    with_action: int = 0
    uncovered: int = 0
    programmes: int = 0  # distinct programmes confirmed-linked to the theme's recommendations
    crs_aid_usd_m: float | None = None  # None: no CRS figure for this state, or no sector

    @property
    def covered(self) -> int:
        return self.supported - self.uncovered

    @property
    def aid_per_recommendation(self) -> float | None:
        if self.crs_aid_usd_m is None or not self.supported:
            return None
        return self.crs_aid_usd_m / self.supported


@dataclass
class StateCoverage:
    iso3: str
    name: str
    recommendations: list[RecCoverage]
    themes: list[ThemeCoverage]
    crs_years: list[int]
    hr_aid_usd_m: float | None  # CRS aid in 15160/15150/15170/15180, all years loaded

    @property
    def supported(self) -> int:
        return len(self.recommendations)

    @property
    def with_programme(self) -> int:
        return sum(1 for r in self.recommendations if r.has_programme)

    @property
    def with_action(self) -> int:
        return sum(1 for r in self.recommendations if r.has_action)

    @property
    def gaps(self) -> list[RecCoverage]:
        """Supported recommendations with neither a programme nor an action behind them."""
        return [r for r in self.recommendations if not r.covered]

    @property
    def mismatches(self) -> list[ThemeCoverage]:
        """Themes where many recommendations meet little aid: at least three supported
        recommendations, half or more uncovered, ordered by aid per recommendation (least
        first; themes no aided sector serves come first)."""
        out = [t for t in self.themes if t.supported >= 3 and t.uncovered * 2 >= t.supported]
        return sorted(out, key=lambda t: (t.aid_per_recommendation or 0.0, -t.uncovered, t.theme))


def _confirmed_programmes(session: Session, keys: list[str]) -> dict[str, list[ProgrammeRef]]:
    out: dict[str, list[ProgrammeRef]] = defaultdict(list)
    if not keys:
        return out
    for start in range(0, len(keys), 500):
        rows = session.execute(
            select(ProgrammeLink.recommendation_key, Programme.id, Programme.title)
            .join(Programme, Programme.id == ProgrammeLink.programme_id)
            .where(
                ProgrammeLink.status == "confirmed",
                ProgrammeLink.recommendation_key.in_(keys[start : start + 500]),
            )
            .order_by(Programme.id)
        ).all()
        for key, pid, title in rows:
            if all(p.id != pid for p in out[key]):
                out[key].append(ProgrammeRef(pid, title))
    return out


def crs_by_sector(session: Session, iso3: str) -> tuple[dict[str, float], list[int]]:
    """The state's CRS aid per DAC sector (USD million, all years loaded) and the years."""
    rows = session.execute(
        select(CrsAid.sector_code, func.sum(CrsAid.amount_usd_m))
        .where(CrsAid.state_iso3 == iso3)
        .group_by(CrsAid.sector_code)
    ).all()
    years = session.scalars(
        select(CrsAid.year).where(CrsAid.state_iso3 == iso3).distinct().order_by(CrsAid.year)
    ).all()
    return {str(code): float(total or 0.0) for code, total in rows}, [int(y) for y in years]


def state_coverage(session: Session, iso3: str) -> StateCoverage:
    """A state's supported recommendations by theme, with and without a programme or an
    action behind them, and the CRS aid that could serve each theme."""
    state = get_state(session, iso3)
    recs: list[RecommendationRef] = service("monitoring", "recommendations_of_state")(
        session, state.iso3, "supported"
    )
    implementation: dict[str, ImplementationRef] = service("monitoring", "implementation_of_state")(
        session, state.iso3
    )
    linked = _confirmed_programmes(session, [r.natural_key for r in recs])
    rows = [
        RecCoverage(r, linked.get(r.natural_key, []), implementation.get(r.natural_key))
        for r in recs
    ]
    aid, years = crs_by_sector(session, state.iso3)
    themes: dict[str, ThemeCoverage] = {}
    programmes: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        for theme in row.themes:
            t = themes.setdefault(theme, ThemeCoverage(theme))
            t.supported += 1
            t.with_programme += row.has_programme
            t.with_action += row.has_action
            t.uncovered += not row.covered
            programmes[theme].update(p.id for p in row.programmes)
    for theme, t in themes.items():
        t.programmes = len(programmes[theme])
        sectors = [s for s in theme_sectors(theme) if s in aid]
        if years and sectors:
            t.crs_aid_usd_m = round(sum(aid[s] for s in sectors), 3)
        elif years:
            t.crs_aid_usd_m = 0.0
    hr = round(sum(aid.get(s, 0.0) for s in HUMAN_RIGHTS_SECTORS), 3) if years else None
    ordered = sorted(themes.values(), key=lambda t: (-t.supported, t.theme))
    return StateCoverage(state.iso3, state.name, rows, ordered, years, hr)


# --- donors ----------------------------------------------------------------------------------


@dataclass
class PortfolioLine:
    """One line of a portfolio (a recipient or a theme): programmes and their budgets."""

    key: str
    label: str
    programmes: int = 0
    budget: dict[str, Decimal] = field(default_factory=dict)  # by currency, as published
    recommendations: int = 0  # confirmed-linked recommendations (themes only)


@dataclass
class DonorPortfolio:
    org_ref: str
    name: str | None
    programmes: int
    by_recipient: list[PortfolioLine]
    by_sector_theme: list[PortfolioLine]  # themes the programmes' DAC sectors serve
    by_linked_theme: list[PortfolioLine]  # themes of the recommendations confirmed-linked


def donors(session: Session) -> list[tuple[str, str, int]]:
    """Publishing organisations with their programme counts (org ref, name, programmes)."""
    rows = session.execute(
        select(Programme.reporting_org_ref, func.max(Programme.reporting_org_name), func.count())
        .where(Programme.reporting_org_ref.is_not(None))
        .group_by(Programme.reporting_org_ref)
        .order_by(func.count().desc(), Programme.reporting_org_ref)
    ).all()
    return [(str(ref), str(name or ref), int(n)) for ref, name, n in rows]


def _add_budget(line: PortfolioLine, p: Programme) -> None:
    line.programmes += 1
    for b in p.budgets:
        if b.kind != "budget":
            continue
        currency = b.currency or p.default_currency or "?"
        line.budget[currency] = line.budget.get(currency, Decimal(0)) + b.value


def donor_portfolio(session: Session, org_ref: str) -> DonorPortfolio:
    """What a donor's programmes address: by recipient state, by the themes their sectors
    serve, and by the themes of the recommendations confirmed-linked to them. A programme
    counts when the donor published it or funds it (participating role "funding")."""
    funded = select(Participant.programme_id).where(
        Participant.org_ref == org_ref, Participant.role.in_(("1", "funding"))
    )
    programmes = list(
        session.scalars(
            select(Programme)
            .where(or_(Programme.reporting_org_ref == org_ref, Programme.id.in_(funded)))
            .options(
                selectinload(Programme.recipients),
                selectinload(Programme.sectors),
                selectinload(Programme.budgets),
            )
            .order_by(Programme.id)
        )
    )
    if not programmes:
        raise NotFoundError(f"no programme published or funded by {org_ref!r}")
    name = next((p.reporting_org_name for p in programmes if p.reporting_org_ref == org_ref), None)
    names = dict(session.execute(select(State.iso3, State.name)).all())
    recipients: dict[str, PortfolioLine] = {}
    sector_lines: dict[str, PortfolioLine] = {}
    for p in programmes:
        seen = {r.state_iso3 or r.region_code or "" for r in p.recipients} or {""}
        for key in sorted(seen):
            label = names.get(key) or key or "(no recipient stated)"
            _add_budget(recipients.setdefault(key, PortfolioLine(key, label)), p)
        themes = {t for s in p.sectors for t in sector_themes(s.code)}
        for theme in sorted(themes):
            _add_budget(sector_lines.setdefault(theme, PortfolioLine(theme, theme)), p)
    links = session.execute(
        select(ProgrammeLink.programme_id, ProgrammeLink.recommendation_key).where(
            ProgrammeLink.status == "confirmed",
            ProgrammeLink.programme_id.in_([p.id for p in programmes]),
        )
    ).all()
    recs = service("monitoring", "recommendations_by_keys")(session, {k for _, k in links})
    by_id = {p.id: p for p in programmes}
    linked: dict[str, PortfolioLine] = {}
    linked_programmes: dict[str, set[int]] = defaultdict(set)
    for pid, key in links:
        rec = recs.get(key)
        for theme in (rec.themes or [NO_THEME]) if rec else [NO_THEME]:
            line = linked.setdefault(theme, PortfolioLine(theme, theme))
            line.recommendations += 1
            if pid not in linked_programmes[theme]:
                linked_programmes[theme].add(pid)
                _add_budget(line, by_id[pid])

    def ordered(lines: dict[str, PortfolioLine]) -> list[PortfolioLine]:
        return sorted(lines.values(), key=lambda x: (-x.programmes, x.label))

    return DonorPortfolio(
        org_ref,
        name,
        len(programmes),
        ordered(recipients),
        ordered(sector_lines),
        ordered(linked),
    )
