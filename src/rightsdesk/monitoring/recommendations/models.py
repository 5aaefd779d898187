"""Tables of recommendations: recommendations, responses, themes, clusters and pledges.

A UPR recommendation is counted the way UPR Info counts it: one ``Recommendation`` per
recommending state and text (OHCHR lists may name several states for one paragraph, hence the
``RecommendingState`` link table). ``natural_key`` is a SHA-1 of what identifies a
recommendation in its source, so a re-import updates instead of duplicating. ``text_hash`` is
the hash of the normalised text alone: it is what groups identical recommendations made to
different states or in different sessions into a ``Cluster``, the unit that national
implementation trackers (NRTD, IMPACT OSS) usually follow.

Full-text search lives outside these models, in the migration: an FTS5 table kept in sync by
triggers on SQLite, a generated ``tsvector`` column with a GIN index on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import (
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship, selectinload

from rightsdesk.core.db import Base
from rightsdesk.core.provenance import FromDataset

__all__ = [
    "ACTION_CATEGORIES",
    "RELATIONS",
    "RESPONSES",
    "TAXONOMIES",
    "Cluster",
    "ClusterMember",
    "Recommendation",
    "RecommendationTheme",
    "RecommendingState",
    "Response",
    "Theme",
    "VoluntaryPledge",
]

# UPR Info's action categories (Edward McMahon's scale), the label shown next to the number.
ACTION_CATEGORIES: dict[int, str] = {
    1: "minimal action (addressed to other states or asking for assistance)",
    2: "continuing action",
    3: "considering action",
    4: "general action",
    5: "specific action",
}
# the common vocabulary of responses (``sources.cleaning``); the source's own word is kept
RESPONSES = ("supported", "noted", "pending", "other")
# each taxonomy with what the pages call it; they are kept apart (one facet, one field each)
TAXONOMIES: dict[str, str] = {
    "upr-info": "UPR Info issues",
    "uhri": "UHRI themes",
    "sdg": "SDG targets",
    "affected-persons": "Affected persons",
}


class Recommendation(FromDataset, Base):
    """One recommendation (or observation) of a UN mechanism to the state under review."""

    __tablename__ = "recommendation"
    __table_args__ = (
        CheckConstraint(
            "action_category IS NULL OR (action_category BETWEEN 1 AND 5)", name="action_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    natural_key: Mapped[str] = mapped_column(String(40), unique=True)
    # 'UPR', a treaty body code ('CEDAW', 'CRC', ...) or a special procedure's name
    mechanism: Mapped[str] = mapped_column(String(60), index=True)
    document_symbol: Mapped[str | None] = mapped_column(String(100))
    paragraph: Mapped[str | None] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    # the text as the source wrote it, when the import repaired it (``sources.cleaning``)
    original_text: Mapped[str | None] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(40), index=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    state_iso3: Mapped[str] = mapped_column(ForeignKey("state.iso3"), index=True)
    cycle: Mapped[int | None] = mapped_column(Integer)
    session: Mapped[int | None] = mapped_column(Integer, index=True)
    date: Mapped[dt.date | None] = mapped_column(Date)
    # 'recommendation' | 'observation'
    type: Mapped[str] = mapped_column(String(20), default="recommendation")
    action_category: Mapped[int | None] = mapped_column(Integer)

    recommending_states: Mapped[list[RecommendingState]] = relationship(
        back_populates="recommendation", cascade="all, delete-orphan"
    )
    responses: Mapped[list[Response]] = relationship(
        back_populates="recommendation", cascade="all, delete-orphan"
    )
    themes: Mapped[list[RecommendationTheme]] = relationship(
        back_populates="recommendation", cascade="all, delete-orphan"
    )


class PartOfRecommendation:
    """A row belonging to one recommendation (its id and recommendation come first); removed
    with it."""

    recommendation_side: ClassVar[str]  # the recommendation's relationship holding these rows

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-2)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), sort_order=-1
    )

    @declared_attr
    def recommendation(cls) -> Mapped[Recommendation]:
        return relationship(Recommendation, back_populates=cls.recommendation_side)


class RecommendingState(PartOfRecommendation, Base):
    """A state that made (or co-made) a recommendation."""

    __tablename__ = "recommending_state"
    __table_args__ = (UniqueConstraint("recommendation_id", "iso3"),)
    recommendation_side = "recommending_states"

    iso3: Mapped[str] = mapped_column(ForeignKey("state.iso3"), index=True)


class Response(PartOfRecommendation, Base):
    """The position of the state under review, as one source records it."""

    __tablename__ = "recommendation_response"
    __table_args__ = (UniqueConstraint("recommendation_id", "source"),)
    recommendation_side = "responses"

    # 'supported' | 'noted' | 'pending' | 'other' (``RESPONSES``)
    response: Mapped[str] = mapped_column(String(20), index=True)
    # the source's own word, casefolded ('accepted', 'supported', 'rejected', ...)
    source_word: Mapped[str | None] = mapped_column(String(40))
    # 'UPR Info' or the symbol of the addendum that states the position
    source: Mapped[str] = mapped_column(String(120))


class Theme(Base):
    """A label of one taxonomy (UPR Info issues, UHRI themes, affected persons, SDGs)."""

    __tablename__ = "theme"
    __table_args__ = (UniqueConstraint("taxonomy", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    taxonomy: Mapped[str] = mapped_column(String(30))
    label: Mapped[str] = mapped_column(String(200))


class RecommendationTheme(PartOfRecommendation, Base):
    """A theme given to a recommendation, by a human (imports, review) or by a model."""

    __tablename__ = "recommendation_theme"
    __table_args__ = (UniqueConstraint("recommendation_id", "theme_id"),)
    recommendation_side = "themes"

    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id"), index=True)
    # 'human' | 'model'
    origin: Mapped[str] = mapped_column(String(10), default="human")
    confidence: Mapped[float | None] = mapped_column(Float)
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column()

    theme: Mapped[Theme] = relationship()


class Cluster(Base):
    """Recommendations with the same normalised text, across states and sessions."""

    __tablename__ = "recommendation_cluster"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(300))

    members: Mapped[list[ClusterMember]] = relationship(
        back_populates="cluster", cascade="all, delete-orphan"
    )


class ClusterMember(Base):
    """A recommendation's place in its cluster (at most one cluster per recommendation)."""

    __tablename__ = "cluster_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation_cluster.id", ondelete="CASCADE"), index=True
    )
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), unique=True
    )

    cluster: Mapped[Cluster] = relationship(back_populates="members")


class VoluntaryPledge(FromDataset, Base):
    """A commitment a state under review made of its own accord during its review."""

    __tablename__ = "voluntary_pledge"

    id: Mapped[int] = mapped_column(primary_key=True)
    natural_key: Mapped[str] = mapped_column(String(40), unique=True)
    state_iso3: Mapped[str] = mapped_column(ForeignKey("state.iso3"), index=True)
    session: Mapped[int | None] = mapped_column(Integer)
    cycle: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    issues: Mapped[str | None] = mapped_column(Text)  # comma separated, as UPR Info writes them
    action_category: Mapped[int | None] = mapped_column(Integer)


# How every query that shows a recommendation loads it: its states, responses and themes in
# three extra statements, whatever the number of recommendations.
RELATIONS = (
    selectinload(Recommendation.recommending_states),
    selectinload(Recommendation.responses),
    selectinload(Recommendation.themes).selectinload(RecommendationTheme.theme),
)
