"""What the monitoring form offers other forms: recommendations and implementation records as
plain values (``rightsdesk.forms.service("monitoring", NAME)``).

Another form (capacity links programmes to recommendations) must not import this form's
packages nor hold its ORM objects: a row it kept would tie it to our tables and sessions.
These functions return frozen dataclasses built from the rows, keyed by the recommendation's
``natural_key`` (stable across re-imports, unlike row ids). They reuse the recommendations and
tracking rooms' own queries, so a recommendation reads the same here as on its page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rightsdesk.monitoring.recommendations.models import (
    RELATIONS,
    ClusterMember,
    Recommendation,
    Response,
)
from rightsdesk.monitoring.recommendations.search import themes_by_taxonomy
from rightsdesk.monitoring.tracking.models import ImplementationRecord

__all__ = [
    "COVERAGE_TAXONOMIES",
    "ImplementationRef",
    "RecommendationRef",
    "implementation_of_state",
    "recommendations_by_ids",
    "recommendations_by_keys",
    "recommendations_of_state",
]

# the taxonomies whose labels count as a recommendation's themes for coverage: subjects, not
# SDG targets or affected groups (those cut across subjects and would count a text twice)
COVERAGE_TAXONOMIES = ("upr-info", "uhri")
# statuses that mean the state is doing something (a record left "not-started" is not)
_ACTING = frozenset({"in-progress", "partially-implemented", "implemented"})
_KEY_BATCH = 500  # natural keys per IN (...) list: well under both engines' parameter limits


@dataclass(frozen=True)
class RecommendationRef:
    """A recommendation as another form sees it: text, themes, response, where it was made."""

    natural_key: str
    id: int
    state_iso3: str  # the state under review
    text: str
    mechanism: str
    response: str | None  # supported, noted, pending or other; None when no source says
    cycle: int | None
    session: int | None
    date: dt.date | None
    recommending_states: tuple[str, ...]
    themes_by_taxonomy: dict[str, list[str]] = field(default_factory=dict)

    @property
    def themes(self) -> list[str]:
        """Subject themes (UPR Info issues, then UHRI themes), each once."""
        out: list[str] = []
        for taxonomy in COVERAGE_TAXONOMIES:
            for label in self.themes_by_taxonomy.get(taxonomy, []):
                if label not in out:
                    out.append(label)
        return out


@dataclass(frozen=True)
class ImplementationRef:
    """How far a state got with one recommendation (its own record or its cluster's)."""

    natural_key: str
    record_id: int
    status: str
    actions: int  # planned actions
    actions_done: int
    reports: int  # progress reports

    @property
    def acting(self) -> bool:
        """Something is being done: a planned action, a progress report, or a status past
        "not-started" (and not "no-longer-relevant")."""
        return bool(self.actions or self.reports or self.status in _ACTING)


def _response(rec: Recommendation) -> str | None:
    """One response per recommendation: "supported" when any source says so (a state that
    supported it in an addendum supported it), else the first source's word."""
    words = [r.response for r in rec.responses]
    if "supported" in words:
        return "supported"
    return words[0] if words else None


def _ref(rec: Recommendation) -> RecommendationRef:
    return RecommendationRef(
        natural_key=rec.natural_key,
        id=rec.id,
        state_iso3=rec.state_iso3,
        text=rec.text,
        mechanism=rec.mechanism,
        response=_response(rec),
        cycle=rec.cycle,
        session=rec.session,
        date=rec.date,
        recommending_states=tuple(sorted(s.iso3 for s in rec.recommending_states)),
        themes_by_taxonomy=themes_by_taxonomy(rec),
    )


def recommendations_of_state(
    session: Session, iso3: str, response: str | None = None
) -> list[RecommendationRef]:
    """The recommendations a state received (only those with ``response``, e.g. "supported",
    when given), oldest session first."""
    stmt = (
        select(Recommendation)
        .where(Recommendation.state_iso3 == iso3.upper())
        .options(*RELATIONS)
        .order_by(Recommendation.session, Recommendation.id)
    )
    if response is not None:
        sub = select(Response.recommendation_id).where(Response.response == response)
        stmt = stmt.where(Recommendation.id.in_(sub))
    return [_ref(rec) for rec in session.scalars(stmt)]


def recommendations_by_keys(session: Session, keys: Iterable[str]) -> dict[str, RecommendationRef]:
    """The recommendations with these natural keys, by key; unknown keys are left out (a
    recommendations file not loaded yet, or a key typed wrong)."""
    wanted = sorted(set(keys))
    out: dict[str, RecommendationRef] = {}
    for start in range(0, len(wanted), _KEY_BATCH):
        batch = wanted[start : start + _KEY_BATCH]
        stmt = select(Recommendation).where(Recommendation.natural_key.in_(batch))
        for rec in session.scalars(stmt.options(*RELATIONS)):
            out[rec.natural_key] = _ref(rec)
    return out


def recommendations_by_ids(session: Session, ids: Iterable[int]) -> dict[int, RecommendationRef]:
    """The recommendations with these row ids, by id (pages show ids: /recommendations/ID)."""
    wanted = sorted(set(ids))
    out: dict[int, RecommendationRef] = {}
    for start in range(0, len(wanted), _KEY_BATCH):
        stmt = select(Recommendation).where(
            Recommendation.id.in_(wanted[start : start + _KEY_BATCH])
        )
        for rec in session.scalars(stmt.options(*RELATIONS)):
            out[rec.id] = _ref(rec)
    return out


def implementation_of_state(session: Session, iso3: str) -> dict[str, ImplementationRef]:
    """The state's recommendations that an implementation record follows, by natural key.

    A record on a cluster covers every recommendation of that cluster the state received (as
    the implementation dashboard counts it); a recommendation's own record wins over its
    cluster's.
    """
    iso3 = iso3.upper()
    records: Sequence[ImplementationRecord] = session.scalars(
        select(ImplementationRecord)
        .where(ImplementationRecord.state_iso3 == iso3)
        .options(
            selectinload(ImplementationRecord.actions),
            selectinload(ImplementationRecord.reports),
        )
    ).all()
    by_rec: dict[int, ImplementationRecord] = {}
    by_cluster = {r.cluster_id: r for r in records if r.cluster_id is not None}
    if by_cluster:
        members = session.execute(
            select(ClusterMember.recommendation_id, ClusterMember.cluster_id)
            .join(Recommendation, Recommendation.id == ClusterMember.recommendation_id)
            .where(ClusterMember.cluster_id.in_(by_cluster), Recommendation.state_iso3 == iso3)
        ).all()
        by_rec.update({rec_id: by_cluster[cl_id] for rec_id, cl_id in members})
    by_rec.update({r.recommendation_id: r for r in records if r.recommendation_id is not None})
    if not by_rec:
        return {}
    keys = dict(
        session.execute(
            select(Recommendation.id, Recommendation.natural_key).where(
                Recommendation.state_iso3 == iso3
            )
        ).all()
    )
    out: dict[str, ImplementationRef] = {}
    for rec_id, record in by_rec.items():
        key = keys.get(rec_id)
        if key is None:
            continue
        out[key] = ImplementationRef(
            natural_key=key,
            record_id=record.id,
            status=record.status,
            actions=len(record.actions),
            actions_done=sum(1 for a in record.actions if a.done),
            reports=len(record.reports),
        )
    return out
