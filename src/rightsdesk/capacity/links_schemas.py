"""What the links and coverage API takes and returns (``/api/v1/capacity/links``, ``gaps``,
``coverage``, ``portfolio``), and the functions that build it from the services' values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from rightsdesk.web.schemas import ApiModel

if TYPE_CHECKING:
    from rightsdesk.capacity.coverage import DonorPortfolio, PortfolioLine, StateCoverage
    from rightsdesk.capacity.links import LinkView

__all__ = [
    "CoverageOut",
    "GapOut",
    "GapsOut",
    "LinkIn",
    "LinkList",
    "LinkOut",
    "LinkStatusIn",
    "PortfolioOut",
    "coverage_out",
    "gaps_out",
    "link_out",
    "portfolio_out",
]


class LinkOut(ApiModel):
    """A link between a programme and a recommendation, with who made it and why."""

    id: int
    programme_id: int
    programme_key: str = Field(description="The programme's iati-identifier.")
    programme_title: str
    activity_id: int | None
    recommendation_key: str = Field(description="The recommendation's natural key.")
    recommendation_id: int | None = Field(description="None: not in this store.")
    recommendation_text: str | None
    recommendation_state: str | None = Field(description="ISO3 of the state under review.")
    themes: list[str]
    status: str = Field(description="suggested, confirmed or rejected")
    score: float | None = Field(description="The matcher's score (suggestions).")
    reason: str | None = Field(description="Why: the matcher's evidence or a person's words.")
    created_by: str
    created_at: dt.datetime | None
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    implementation_record_id: int | None = Field(
        default=None,
        description="The implementation record (monitoring) following the recommendation "
        "when the link was confirmed: the programme answers its actions too.",
    )


class LinkList(ApiModel):
    total: int
    links: list[LinkOut]


class LinkIn(BaseModel):
    """A person's link: confirmed at once, with the reason required."""

    programme_id: int
    recommendation_key: str | None = Field(
        default=None, description="The recommendation's natural key (or give its id)."
    )
    recommendation_id: int | None = Field(default=None, description="Or the row id.")
    reason: str = Field(min_length=1, max_length=2000)
    activity_id: int | None = None


class LinkStatusIn(BaseModel):
    status: Literal["confirmed", "rejected"]
    reason: str | None = Field(default=None, max_length=2000)


class GapOut(ApiModel):
    """A supported recommendation with neither programme nor action behind it."""

    recommendation_key: str
    recommendation_id: int
    session: int | None
    cycle: int | None
    date: dt.date | None
    mechanism: str
    recommending_states: list[str]
    themes: list[str]
    implementation_status: str | None = Field(
        description="The record's status when one exists but shows nothing being done."
    )
    text: str


class GapsOut(ApiModel):
    iso3: str
    name: str
    supported: int = Field(description="Supported recommendations in the store.")
    gaps: list[GapOut]


class ThemeOut(ApiModel):
    theme: str
    supported: int
    with_programme: int
    with_action: int
    uncovered: int
    programmes: int
    crs_aid_usd_m: float | None = Field(
        description="CRS aid to the state in the DAC sectors serving the theme, all years "
        "loaded (USD million); None when no CRS figure is loaded for the state."
    )


class CoverageOut(ApiModel):
    iso3: str
    name: str
    supported: int
    with_programme: int
    with_action: int
    uncovered: int
    crs_years: list[int]
    hr_aid_usd_m: float | None = Field(description="CRS aid in 15160/15150/15170/15180.")
    themes: list[ThemeOut]
    mismatches: list[str] = Field(description="Themes where many recommendations meet little aid.")


class LineOut(ApiModel):
    key: str
    label: str
    programmes: int
    budget: dict[str, Decimal] = Field(description="Budgets by currency, as published.")
    recommendations: int


class PortfolioOut(ApiModel):
    org_ref: str
    name: str | None
    programmes: int
    by_recipient: list[LineOut]
    by_sector_theme: list[LineOut]
    by_linked_theme: list[LineOut]


def link_out(view: LinkView) -> LinkOut:
    return LinkOut.model_validate(view)


def gaps_out(coverage: StateCoverage) -> GapsOut:
    return GapsOut(
        iso3=coverage.iso3,
        name=coverage.name,
        supported=coverage.supported,
        gaps=[
            GapOut(
                recommendation_key=g.rec.natural_key,
                recommendation_id=g.rec.id,
                session=g.rec.session,
                cycle=g.rec.cycle,
                date=g.rec.date,
                mechanism=g.rec.mechanism,
                recommending_states=list(g.rec.recommending_states),
                themes=g.rec.themes,
                implementation_status=g.implementation.status if g.implementation else None,
                text=g.rec.text,
            )
            for g in coverage.gaps
        ],
    )


def coverage_out(coverage: StateCoverage) -> CoverageOut:
    return CoverageOut(
        iso3=coverage.iso3,
        name=coverage.name,
        supported=coverage.supported,
        with_programme=coverage.with_programme,
        with_action=coverage.with_action,
        uncovered=len(coverage.gaps),
        crs_years=coverage.crs_years,
        hr_aid_usd_m=coverage.hr_aid_usd_m,
        themes=[ThemeOut.model_validate(t) for t in coverage.themes],
        mismatches=[t.theme for t in coverage.mismatches],
    )


def _line(line: PortfolioLine) -> LineOut:
    return LineOut.model_validate(line)


def portfolio_out(p: DonorPortfolio) -> PortfolioOut:
    return PortfolioOut(
        org_ref=p.org_ref,
        name=p.name,
        programmes=p.programmes,
        by_recipient=[_line(x) for x in p.by_recipient],
        by_sector_theme=[_line(x) for x in p.by_sector_theme],
        by_linked_theme=[_line(x) for x in p.by_linked_theme],
    )
