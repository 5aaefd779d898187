"""Tables of implementation tracking: how far a state has got with a recommendation or with a
cluster of identical ones (status, planned actions, indicators, progress reports).

The records point at ``recommendation`` and ``recommendation_cluster`` rows (tables of the
recommendations room) by foreign key only; no relationship is loaded across rooms.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from rightsdesk.core.db import Base, utcnow

__all__ = [
    "IMPLEMENTATION_STATUSES",
    "ImplementationRecord",
    "Indicator",
    "PlannedAction",
    "ProgressReport",
]

IMPLEMENTATION_STATUSES = (
    "not-started",
    "in-progress",
    "partially-implemented",
    "implemented",
    "no-longer-relevant",
)


class Edited:
    """Who changed the row last, and when (columns after the row's own)."""

    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ImplementationRecord(Edited, Base):
    """How far a state has got in implementing one recommendation or one cluster of them."""

    __tablename__ = "implementation_record"
    __table_args__ = (
        UniqueConstraint("state_iso3", "recommendation_id"),
        UniqueConstraint("state_iso3", "cluster_id", name="uq_implementation_record_cluster"),
        CheckConstraint("(recommendation_id IS NULL) <> (cluster_id IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state_iso3: Mapped[str] = mapped_column(ForeignKey("state.iso3"), index=True)
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendation.id", ondelete="CASCADE")
    )
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendation_cluster.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(30), default="not-started")
    responsible_institutions: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    actions: Mapped[list[PlannedAction]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="PlannedAction.due_date"
    )
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="Indicator.id"
    )
    reports: Mapped[list[ProgressReport]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="ProgressReport.date"
    )


class PartOfRecord:
    """A row belonging to one implementation record (its id and record come first)."""

    record_side: ClassVar[str]  # the record's relationship holding these rows

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-2)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("implementation_record.id", ondelete="CASCADE"), index=True, sort_order=-1
    )

    @declared_attr
    def record(cls) -> Mapped[ImplementationRecord]:
        return relationship(ImplementationRecord, back_populates=cls.record_side)


class PlannedAction(PartOfRecord, Edited, Base):
    """A step the state plans, with a due date; overdue when not done by then."""

    __tablename__ = "planned_action"
    record_side = "actions"

    description: Mapped[str] = mapped_column(Text)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)


class Indicator(PartOfRecord, Edited, Base):
    """A measure of progress: a name, the target and the latest value."""

    __tablename__ = "implementation_indicator"
    record_side = "indicators"

    name: Mapped[str] = mapped_column(String(300))
    target: Mapped[str | None] = mapped_column(String(200))
    value: Mapped[str | None] = mapped_column(String(200))


class ProgressReport(PartOfRecord, Base):
    """A dated account of what was done, with links to the evidence (one URL per line)."""

    __tablename__ = "progress_report"
    record_side = "reports"

    date: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    evidence_links: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
