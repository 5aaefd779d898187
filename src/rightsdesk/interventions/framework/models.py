"""Tables of the framework room: assessments of a state against the UN Framework of Analysis,
one rating per indicator, and the evidence behind each rating.

An assessment is a numbered version per state. While it is a ``draft`` analysts change it in
place; once ``final`` it is never changed again: the next edit starts version N+1 as a copy, so
every published judgement stays readable, dated and comparable with the next one.

Evidence points at records of other forms (violation events, recommendations, votes) and at
this form's own data (GDELT months, register entries) by kind and reference, never by foreign
key: a re-import elsewhere must not delete an analyst's judgement, and the link is resolved,
with the reader's permissions, each time it is shown (``evidence.py``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rightsdesk.core.db import Base, utcnow

__all__ = ["EVIDENCE_KINDS", "STATUSES", "Assessment", "Evidence", "Rating"]

STATUSES = ("draft", "final")
#: what evidence may point at: another form's record, this form's data, or a web page
EVIDENCE_KINDS = (
    "violation-event",
    "recommendation",
    "vote",
    "gdelt-month",
    "register-entry",
    "url",
)


class Assessment(Base):
    """One version of a state's assessment: who made it, when, for which period."""

    __tablename__ = "int_fw_assessment"
    __table_args__ = (
        UniqueConstraint("state_iso3", "version"),
        CheckConstraint("status IN ('draft', 'final')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state_iso3: Mapped[str] = mapped_column(ForeignKey("state.iso3"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    # the date the judgement is made as of (set again when the draft is finalised)
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    # the period the evidence covers ("as of"): both optional
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    author: Mapped[str] = mapped_column(String(100))
    summary: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finalised_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    finalised_by: Mapped[str | None] = mapped_column(String(100))

    ratings: Mapped[list[Rating]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="Rating.id"
    )


class Rating(Base):
    """The analyst's rating of one indicator ("7.14") in one assessment version."""

    __tablename__ = "int_fw_rating"
    __table_args__ = (
        UniqueConstraint("assessment_id", "indicator"),
        CheckConstraint(
            "rating IN ('not-present', 'low', 'moderate', 'high', 'not-assessed')", name="rating"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("int_fw_assessment.id", ondelete="CASCADE"), index=True
    )
    indicator: Mapped[str] = mapped_column(String(8))
    rating: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="ratings")
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="rating", cascade="all, delete-orphan", order_by="Evidence.id"
    )


class Evidence(Base):
    """One piece of evidence behind a rating: a kind and the record's id or key."""

    __tablename__ = "int_fw_evidence"
    __table_args__ = (UniqueConstraint("rating_id", "kind", "ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rating_id: Mapped[int] = mapped_column(
        ForeignKey("int_fw_rating.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    ref: Mapped[str] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(Text)

    rating: Mapped[Rating] = relationship(back_populates="evidence")
