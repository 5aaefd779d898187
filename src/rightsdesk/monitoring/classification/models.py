"""Tables of model suggestions (themes, action category) and their review.

Why a separate table rather than ``RecommendationTheme`` rows with origin 'model': a
suggestion is a question put to a person, with its own life (pending, accepted, rejected, by
whom, when) and it may concern the action category, which is not a theme. Keeping rejected
suggestions stops the next ``suggest`` run from asking the same question again, and lets the
benchmark of the review queue count how often reviewers agree with the model.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rightsdesk.core.db import Base, utcnow
from rightsdesk.monitoring.recommendations.models import Recommendation

SUGGESTION_KINDS = ("theme", "action")
SUGGESTION_STATUSES = ("pending", "accepted", "rejected")


class Suggestion(Base):
    """A label proposed by the classifier for one recommendation, awaiting a person's review.

    ``label`` is a UPR Info theme spelled as in the training data (kind 'theme') or the
    action category '1'..'5' (kind 'action').
    """

    __tablename__ = "suggestion"
    __table_args__ = (
        UniqueConstraint("recommendation_id", "kind", "label"),
        CheckConstraint("kind IN ('theme', 'action')", name="kind"),
        CheckConstraint("status IN ('pending', 'accepted', 'rejected')", name="status"),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(200))
    confidence: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    model_version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column()

    recommendation: Mapped[Recommendation] = relationship()
