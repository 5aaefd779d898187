"""What the framework room offers the rest of the interventions form (the state risk page, the
register's escalation view): the latest final assessment in brief, and the state section.

Only final assessments are offered here: a draft is work in progress and must not drive an
escalation view or sit beside the statistical risk as if it were a judgement.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from rightsdesk.core.security.models import User
from rightsdesk.interventions.framework.reference import framework
from rightsdesk.interventions.framework.service import assessment
from rightsdesk.interventions.framework.views import factor_summary

__all__ = ["AssessmentSummary", "latest_assessment", "state_section"]


@dataclass(frozen=True)
class AssessmentSummary:
    """The latest final assessment of a state, in brief."""

    iso3: str
    version: int
    assessed_on: dt.date
    author: str
    factors_rated: int  # risk factors with at least one indicator rated
    high_factors: list[str]  # "7: Enabling circumstances or preparatory action", rated high


def latest_assessment(session: Session, iso3: str) -> AssessmentSummary | None:
    """The state's latest final assessment, or None when it has none."""
    a = assessment(session, iso3.upper(), include_drafts=False)
    if a is None:
        return None
    ratings = {r.indicator: r for r in a.ratings}
    summaries = [(f, factor_summary(f, ratings)) for f in framework().factors]
    return AssessmentSummary(
        iso3=a.state_iso3,
        version=a.version,
        assessed_on=a.assessed_on,
        author=a.author,
        factors_rated=sum(1 for _, s in summaries if s["rated"]),
        high_factors=[f"{f.number}: {f.title}" for f, s in summaries if s["counts"]["high"]],
    )


def state_section(session: Session, iso3: str, reader: User | None) -> dict[str, Any] | None:
    """Context of ``interventions/_framework_state.html`` (read there as ``sec``): each risk
    factor's strongest indicator rating in the latest final assessment. None: no final
    assessment (the partial then says nothing)."""
    a = assessment(session, iso3.upper(), include_drafts=False)
    if a is None:
        return None
    ratings = {r.indicator: r for r in a.ratings}
    factors = [
        {"number": f.number, "title": f.title, "crime": f.crime, **factor_summary(f, ratings)}
        for f in framework().factors
    ]
    return {
        "iso3": a.state_iso3,
        "version": a.version,
        "assessed_on": a.assessed_on,
        "period_start": a.period_start,
        "period_end": a.period_end,
        "author": a.author,
        "summary": a.summary,
        "factors": factors,
        "high": [f for f in factors if f["counts"]["high"]],
        "url": f"/interventions/framework/{a.state_iso3}",
        "source": framework().short,
        "can_edit": reader is not None and reader.role in ("analyst", "editor", "admin"),
    }
