"""Recommendations as the pages and the API show them: one recommendation with its states,
responses, themes, cluster and implementation; a cluster; a search page for the API; the
summary of a state's recommendations (received and made) for the state page.

Searching itself is ``search``; files out are ``exports``; implementation records are the
tracking room's (``monitoring.tracking``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rightsdesk.core.errors import NotFoundError
from rightsdesk.core.provenance import Dataset
from rightsdesk.monitoring.recommendations.models import (
    ACTION_CATEGORIES,
    RELATIONS,
    Cluster,
    ClusterMember,
    Recommendation,
    RecommendationTheme,
    RecommendingState,
    Response,
    Theme,
)
from rightsdesk.monitoring.recommendations.schemas import (
    RecommendationDetail,
    RecommendationOut,
    ResponseOut,
    SearchOut,
    StateRef,
    ThemeOut,
)
from rightsdesk.monitoring.recommendations.search import (
    Order,
    search_recommendations,
    state_names,
    themes_by_taxonomy,
)
from rightsdesk.monitoring.tracking.dashboard import cluster_records, record_view
from rightsdesk.monitoring.tracking.models import ImplementationRecord
from rightsdesk.monitoring.tracking.service import record_for

__all__ = [
    "ClusterPage",
    "RecommendationPage",
    "StateSummary",
    "cluster_page",
    "get_recommendation",
    "recommendation_detail",
    "recommendation_page",
    "recommendation_view",
    "search_view",
    "state_summary",
]


def get_recommendation(session: Session, rec_id: int) -> Recommendation:
    """A recommendation with its states, responses and themes, or NotFoundError."""
    rec = session.scalars(
        select(Recommendation).where(Recommendation.id == rec_id).options(*RELATIONS)
    ).first()
    if rec is None:
        raise NotFoundError(f"no recommendation #{rec_id}")
    return rec


def recommendation_view(session: Session, rec: Recommendation) -> RecommendationOut:
    """The recommendation with the names of its states and its cluster."""
    names = state_names(session)
    cluster_id = session.scalar(
        select(ClusterMember.cluster_id).where(ClusterMember.recommendation_id == rec.id)
    )
    by_taxonomy = themes_by_taxonomy(rec)
    return RecommendationOut(
        id=rec.id,
        mechanism=rec.mechanism,
        document_symbol=rec.document_symbol,
        paragraph=rec.paragraph,
        text=rec.text,
        original_text=rec.original_text,
        language=rec.language,
        type=rec.type,
        state=StateRef(iso3=rec.state_iso3, name=names.get(rec.state_iso3)),
        recommending_states=[
            StateRef(iso3=s.iso3, name=names.get(s.iso3)) for s in rec.recommending_states
        ],
        cycle=rec.cycle,
        session=rec.session,
        date=rec.date,
        responses=[ResponseOut.model_validate(r) for r in rec.responses],
        action_category=rec.action_category,
        action_label=ACTION_CATEGORIES.get(rec.action_category or 0),
        themes=[
            ThemeOut(
                taxonomy=t.theme.taxonomy,
                label=t.theme.label,
                origin=t.origin,
                confidence=t.confidence,
                reviewed_by=t.reviewed_by,
            )
            for t in rec.themes
        ],
        issues=by_taxonomy["upr-info"],
        uhri_themes=by_taxonomy["uhri"],
        sdgs=by_taxonomy["sdg"],
        affected_persons=by_taxonomy["affected-persons"],
        cluster_id=cluster_id,
        dataset_id=rec.dataset_id,
    )


@dataclass
class RecommendationPage:
    rec: RecommendationOut
    record: ImplementationRecord | None
    dataset: Dataset | None


def recommendation_page(session: Session, rec_id: int) -> RecommendationPage:
    """A recommendation, its implementation record and the dataset it came from."""
    rec = get_recommendation(session, rec_id)
    return RecommendationPage(
        rec=recommendation_view(session, rec),
        record=record_for(session, recommendation_id=rec.id),
        dataset=session.get(Dataset, rec.dataset_id) if rec.dataset_id else None,
    )


def recommendation_detail(session: Session, rec_id: int) -> RecommendationDetail:
    """A recommendation with its implementation record, for the JSON API."""
    rec = get_recommendation(session, rec_id)
    record = record_for(session, recommendation_id=rec.id)
    return RecommendationDetail(
        **dict(recommendation_view(session, rec)),
        implementation=record_view(record) if record else None,
    )


@dataclass
class ClusterPage:
    cluster: Cluster
    members: list[Recommendation]
    records: list[ImplementationRecord]  # each state's record of the cluster
    names: dict[str, str]
    states: list[str]  # the states that received a recommendation of the cluster


def cluster_page(session: Session, cluster_id: int) -> ClusterPage:
    """A cluster of identical texts, its recommendations and each state's record of it."""
    cluster = session.get(Cluster, cluster_id)
    if cluster is None:
        raise NotFoundError(f"no cluster #{cluster_id}")
    members = list(
        session.scalars(
            select(Recommendation)
            .join(ClusterMember, ClusterMember.recommendation_id == Recommendation.id)
            .where(ClusterMember.cluster_id == cluster_id)
            .options(selectinload(Recommendation.responses))
            .order_by(Recommendation.session, Recommendation.state_iso3)
        )
    )
    states = sorted({m.state_iso3 for m in members})
    records = cluster_records(session, cluster_id)
    return ClusterPage(cluster, members, records, state_names(session), states)


def search_view(
    session: Session,
    query: str,
    facets: Mapping[str, Any],
    order: Order,
    page: int,
    per_page: int,
) -> SearchOut:
    """One page of a search as the JSON API returns it."""
    result = search_recommendations(session, query, facets, order, page, per_page)
    return SearchOut.model_validate(result)


@dataclass
class StateSummary:
    """A state's recommendations: received (by session and response, main themes) and made."""

    iso3: str
    received: int
    made: int
    by_session: list[dict[str, Any]]  # cycle, session, response, count
    themes: list[tuple[str, int]]
    responses: list[tuple[str, int]]
    made_to: list[tuple[str, str, int]]  # iso3, name, count


def state_summary(session: Session, iso3: str) -> StateSummary | None:
    """What the state page shows of a state's recommendations; None when it has none."""
    received = session.scalar(select(func.count()).where(Recommendation.state_iso3 == iso3)) or 0
    made = (
        session.scalar(
            select(func.count(func.distinct(RecommendingState.recommendation_id))).where(
                RecommendingState.iso3 == iso3
            )
        )
        or 0
    )
    if not received and not made:
        return None
    by_session = session.execute(
        select(Recommendation.cycle, Recommendation.session, Response.response, func.count())
        .outerjoin(Response, Response.recommendation_id == Recommendation.id)
        .where(Recommendation.state_iso3 == iso3)
        .group_by(Recommendation.cycle, Recommendation.session, Response.response)
        .order_by(Recommendation.session)
    ).all()
    themed = func.count(func.distinct(RecommendationTheme.recommendation_id))
    themes = session.execute(
        select(Theme.label, themed)
        .join(RecommendationTheme, RecommendationTheme.theme_id == Theme.id)
        .join(Recommendation, Recommendation.id == RecommendationTheme.recommendation_id)
        .where(Recommendation.state_iso3 == iso3)
        .group_by(Theme.label)
        .order_by(themed.desc())
        .limit(12)
    ).all()
    responses = session.execute(
        select(Response.response, func.count())
        .join(Recommendation, Recommendation.id == Response.recommendation_id)
        .where(Recommendation.state_iso3 == iso3)
        .group_by(Response.response)
    ).all()
    made_to = session.execute(
        select(Recommendation.state_iso3, func.count())
        .join(RecommendingState, RecommendingState.recommendation_id == Recommendation.id)
        .where(RecommendingState.iso3 == iso3)
        .group_by(Recommendation.state_iso3)
        .order_by(func.count().desc())
        .limit(12)
    ).all()
    names = state_names(session)
    return StateSummary(
        iso3=iso3,
        received=received,
        made=made,
        by_session=[
            {"cycle": c, "session": s, "response": r or "none", "count": int(n)}
            for c, s, r, n in by_session
        ],
        themes=[(label, int(n)) for label, n in themes],
        responses=[(r, int(n)) for r, n in responses],
        made_to=[(i, names.get(i, i), int(n)) for i, n in made_to],
    )
