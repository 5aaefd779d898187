"""What pages, the JSON API and the command line show of an assessment: plain dicts built once
here, so the three read the same factor summaries, evidence links and differences.

Evidence is resolved for the reader (``evidence.show_evidence``): the same assessment shows a
confidential violation event's title to an editor and nothing about it to a viewer.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy.orm import Session

from rightsdesk.core.security.models import User
from rightsdesk.core.states import get_state
from rightsdesk.interventions.framework.evidence import show_evidence
from rightsdesk.interventions.framework.models import Assessment, Evidence, Rating
from rightsdesk.interventions.framework.reference import RATING_LABELS, Factor, framework
from rightsdesk.interventions.framework.service import assessment, diff, history

__all__ = [
    "RATING_ORDER",
    "assessment_view",
    "factor_summary",
    "factors_view",
    "may_see_drafts",
    "state_view",
]

#: ratings from strongest to weakest ("not-assessed" says nothing about risk)
RATING_ORDER = ("high", "moderate", "low", "not-present")


def may_see_drafts(reader: User | None) -> bool:
    """Viewers (and collectors) read final assessments; analysts, editors and admins also see
    the draft in progress. None: the command line's operator."""
    return reader is None or reader.role in ("analyst", "editor", "admin")


def factors_view() -> dict[str, Any]:
    """The reference: citation and every factor with its indicators."""
    fw = framework()
    return {
        "citation": fw.citation,
        "short": fw.short,
        "url": fw.url,
        "wording_checked_against_pdf": fw.wording_checked,
        "factors": [
            {
                "number": f.number,
                "group": f.group,
                "crime": f.crime,
                "title": f.title,
                "description": f.description,
                "indicators": [
                    {"code": i.code, "text": i.text, "check": i.check} for i in f.indicators
                ],
            }
            for f in fw.factors
        ],
    }


def factor_summary(factor: Factor, ratings: dict[str, Rating]) -> dict[str, Any]:
    """A factor's counts per rating and its strongest indicator rating (None: none rated)."""
    counts = {word: 0 for word in RATING_ORDER}
    for item in factor.indicators:
        r = ratings.get(item.code)
        if r is not None and r.rating in counts:
            counts[r.rating] += 1
    strongest = next((w for w in RATING_ORDER if counts[w]), None)
    return {
        "counts": counts,
        "rated": sum(counts.values()),
        "strongest": strongest,
        "strongest_label": RATING_LABELS[strongest] if strongest else "not assessed",
    }


def _evidence(session: Session, a: Assessment, items: list[Evidence], reader: User | None) -> Any:
    return [asdict(v) for v in show_evidence(session, a.state_iso3, items, reader)]


def _factors(session: Session, a: Assessment, reader: User | None) -> list[dict[str, Any]]:
    ratings = {r.indicator: r for r in a.ratings}
    out = []
    for f in framework().factors:
        indicators = []
        for item in f.indicators:
            r = ratings.get(item.code)
            word = r.rating if r else "not-assessed"
            indicators.append(
                {
                    "code": item.code,
                    "text": item.text,
                    "rating": word,
                    "rating_label": RATING_LABELS[word],
                    "note": r.note if r else None,
                    "evidence": _evidence(session, a, r.evidence, reader) if r else [],
                    "updated_by": r.updated_by if r else None,
                }
            )
        summary = factor_summary(f, ratings)
        out.append({"number": f.number, "title": f.title, "group": f.group, "crime": f.crime,
                    **summary, "indicators": indicators})  # fmt: skip
    return out


def _changes(
    session: Session, old: Assessment | None, new: Assessment, reader: User | None
) -> list[dict[str, Any]]:
    return [
        {
            "indicator": c.indicator,
            "before": RATING_LABELS[c.before] if c.before else None,
            "after": RATING_LABELS[c.after] if c.after else None,
            "note_changed": c.note_changed,
            "added": _evidence(session, new, c.added, reader),
            "removed": _evidence(session, new, c.removed, reader),
        }
        for c in diff(old, new)
    ]


def assessment_view(
    session: Session, a: Assessment, reader: User | None, previous: Assessment | None = None
) -> dict[str, Any]:
    """One version: its facts, factor by factor, and what changed since ``previous``."""
    state = get_state(session, a.state_iso3)
    factors = _factors(session, a, reader)
    return {
        "iso3": a.state_iso3,
        "state": state.name,
        "version": a.version,
        "status": a.status,
        "assessed_on": a.assessed_on,
        "period_start": a.period_start,
        "period_end": a.period_end,
        "author": a.author,
        "summary": a.summary,
        "finalised_at": a.finalised_at,
        "finalised_by": a.finalised_by,
        "factors_rated": sum(1 for f in factors if f["rated"]),
        "indicators_rated": sum(f["rated"] for f in factors),
        "high_factors": [f"{f['number']}: {f['title']}" for f in factors if f["counts"]["high"]],
        "factors": factors,
        "changes": _changes(session, previous, a, reader),
        "previous_version": previous.version if previous else None,
    }


def state_view(
    session: Session, iso3: str, reader: User | None, version: int | None = None
) -> dict[str, Any]:
    """A state's assessment as ``reader`` may see it, with the list of its versions. The
    ``assessment`` key is None when there is none to show."""
    state = get_state(session, iso3)
    drafts = may_see_drafts(reader)
    shown = assessment(session, state.iso3, version, include_drafts=drafts)
    versions = history(session, state.iso3, include_drafts=drafts)
    previous = None
    if shown is not None:
        older = [v for v in versions if v.version < shown.version]
        previous = older[0] if older else None
    return {
        "iso3": state.iso3,
        "state": state.name,
        "assessment": None if shown is None else assessment_view(session, shown, reader, previous),
        "history": [
            {
                "version": v.version,
                "status": v.status,
                "assessed_on": v.assessed_on,
                "author": v.author,
                "finalised_by": v.finalised_by,
                "indicators_rated": sum(1 for r in v.ratings if r.rating != "not-assessed"),
            }
            for v in versions
        ],
        "source": framework().short,
    }
