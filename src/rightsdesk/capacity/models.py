"""Tables of capacity building: programmes (IATI activities), their parts, OECD CRS aggregates,
and the links from programmes to the recommendations they serve.

A ``Programme`` is one IATI activity, or one entered by an editor; ``natural_key`` is its
``iati-identifier`` (or ``rd-`` plus a random id for entered ones), so importing the same file
again updates instead of duplicating. Its parts (participating organisations, recipient states,
sectors, budgets, transactions, result indicators, documents) are replaced whole on each
re-import of the programme: IATI publishers restate an activity completely in every file.

Money is kept as the source wrote it: value, currency, value date. Nothing is converted when
stored; conversion happens on display only, with the rate and its source named (``Rate``).

``ProgrammeLink`` points at a recommendation by its ``natural_key`` (monitoring form), not by
row id: a recommendations re-import may renumber rows but keeps natural keys, and a link must
outlive that. The monitoring form's public services resolve the key.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from rightsdesk.core.db import Base, utcnow
from rightsdesk.core.provenance import FromDataset

__all__ = [
    "LINK_STATUSES",
    "PARTICIPANT_ROLES",
    "Activity",
    "Budget",
    "CodelistItem",
    "CrsAid",
    "Document",
    "Participant",
    "Programme",
    "ProgrammeLink",
    "Rate",
    "Recipient",
    "ResultIndicator",
    "Sector",
    "Transaction",
]

# IATI 2.0x organisation roles (OrganisationRole codelist); 1.0x words map onto them
PARTICIPANT_ROLES: dict[str, str] = {
    "1": "funding",
    "2": "accountable",
    "3": "extending",
    "4": "implementing",
}
# a link is suggested by the text matcher, then confirmed or rejected by a person
LINK_STATUSES = ("suggested", "confirmed", "rejected")


class CodelistItem(FromDataset, Base):
    """One code of an IATI codelist (Sector, OrganisationType, ActivityStatus, ...), loaded as
    reference data so pages show words and imports can check codes."""

    __tablename__ = "iati_codelist_item"
    __table_args__ = (UniqueConstraint("codelist", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    codelist: Mapped[str] = mapped_column(String(60), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(20))  # e.g. the DAC 3-digit of a sector
    withdrawn: Mapped[bool] = mapped_column(default=False)


class Programme(FromDataset, Base):
    """A programme or project of technical assistance or funding (one IATI activity)."""

    __tablename__ = "capacity_programme"

    id: Mapped[int] = mapped_column(primary_key=True)
    natural_key: Mapped[str] = mapped_column(String(200), unique=True)  # iati-identifier
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    reporting_org_ref: Mapped[str | None] = mapped_column(String(100), index=True)
    reporting_org_name: Mapped[str | None] = mapped_column(String(300))
    reporting_org_type: Mapped[str | None] = mapped_column(String(10))
    status_code: Mapped[str | None] = mapped_column(String(10))  # ActivityStatus codelist
    planned_start: Mapped[dt.date | None] = mapped_column(Date)
    actual_start: Mapped[dt.date | None] = mapped_column(Date)
    planned_end: Mapped[dt.date | None] = mapped_column(Date)
    actual_end: Mapped[dt.date | None] = mapped_column(Date)
    default_currency: Mapped[str | None] = mapped_column(String(3))
    language: Mapped[str | None] = mapped_column(String(8))
    hierarchy: Mapped[int | None] = mapped_column(Integer)
    parent_key: Mapped[str | None] = mapped_column(String(200))  # related-activity type 1
    iati_version: Mapped[str | None] = mapped_column(String(10))  # None: entered by an editor
    last_updated: Mapped[dt.datetime | None] = mapped_column()
    created_by: Mapped[str | None] = mapped_column(String(100))  # an editor, for entered ones

    participants: Mapped[list[Participant]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="Participant.id"
    )
    recipients: Mapped[list[Recipient]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="Recipient.id"
    )
    sectors: Mapped[list[Sector]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="Sector.id"
    )
    budgets: Mapped[list[Budget]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="Budget.id"
    )
    transactions: Mapped[list[Transaction]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="Transaction.id"
    )
    indicators: Mapped[list[ResultIndicator]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="ResultIndicator.id"
    )
    documents: Mapped[list[Document]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="Document.id"
    )
    activities: Mapped[list[Activity]] = relationship(
        back_populates="programme", cascade="all, delete-orphan", order_by="Activity.id"
    )


class PartOfProgramme:
    """Columns every part of a programme shares: the programme it belongs to."""

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-2)

    @declared_attr
    def programme_id(cls) -> Mapped[int]:
        return mapped_column(
            ForeignKey("capacity_programme.id", ondelete="CASCADE"), index=True, sort_order=-1
        )


class Participant(PartOfProgramme, Base):
    """An organisation taking part: funder, accountable, extending or implementing partner."""

    __tablename__ = "capacity_participant"

    role: Mapped[str] = mapped_column(String(20))  # a key of PARTICIPANT_ROLES ("1".."4")
    org_ref: Mapped[str | None] = mapped_column(String(100), index=True)  # IATI org identifier
    org_type: Mapped[str | None] = mapped_column(String(10))  # OrganisationType codelist
    name: Mapped[str | None] = mapped_column(String(300))
    programme: Mapped[Programme] = relationship(back_populates="participants")


class Recipient(PartOfProgramme, Base):
    """A recipient state (ISO3) or region, with the share of the programme it receives."""

    __tablename__ = "capacity_recipient"

    state_iso3: Mapped[str | None] = mapped_column(ForeignKey("state.iso3"), index=True)
    region_code: Mapped[str | None] = mapped_column(String(20))
    name: Mapped[str | None] = mapped_column(String(200))  # as the source wrote it
    percentage: Mapped[float | None] = mapped_column(Float)
    programme: Mapped[Programme] = relationship(back_populates="recipients")


class Sector(PartOfProgramme, Base):
    """A sector with its share. ``vocabulary`` "1" is the DAC 5-digit list (15160 human
    rights), "2" the DAC 3-digit; others (a publisher's own words) keep a name and no code."""

    __tablename__ = "capacity_sector"

    vocabulary: Mapped[str] = mapped_column(String(10), default="1")
    code: Mapped[str | None] = mapped_column(String(20), index=True)
    name: Mapped[str | None] = mapped_column(String(300))
    percentage: Mapped[float | None] = mapped_column(Float)
    programme: Mapped[Programme] = relationship(back_populates="sectors")


class Budget(PartOfProgramme, Base):
    """A budget or planned disbursement for a period, in the currency the source used."""

    __tablename__ = "capacity_budget"

    kind: Mapped[str] = mapped_column(String(30), default="budget")  # or planned-disbursement
    status: Mapped[str | None] = mapped_column(String(10))  # 1 indicative, 2 committed
    period_start: Mapped[dt.date | None] = mapped_column(Date)
    period_end: Mapped[dt.date | None] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(Numeric(20, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    value_date: Mapped[dt.date | None] = mapped_column(Date)
    programme: Mapped[Programme] = relationship(back_populates="budgets")


class Transaction(PartOfProgramme, Base):
    """A transaction (IATI TransactionType: 1 incoming funds, 2 commitment, 3 disbursement,
    4 expenditure, ...); 1.0x letter codes (IF, C, D, E, ...) are mapped on import."""

    __tablename__ = "capacity_transaction"

    type_code: Mapped[str] = mapped_column(String(10))
    date: Mapped[dt.date | None] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(Numeric(20, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    value_date: Mapped[dt.date | None] = mapped_column(Date)
    provider: Mapped[str | None] = mapped_column(String(300))
    receiver: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    programme: Mapped[Programme] = relationship(back_populates="transactions")


class ResultIndicator(PartOfProgramme, Base):
    """A results indicator with its baseline, target and actual value."""

    __tablename__ = "capacity_result_indicator"

    result_title: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    measure: Mapped[str | None] = mapped_column(String(10))  # 1 unit, 2 percentage, ...
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    baseline_value: Mapped[str | None] = mapped_column(String(100))
    target_year: Mapped[int | None] = mapped_column(Integer)
    target_value: Mapped[str | None] = mapped_column(String(100))
    actual_value: Mapped[str | None] = mapped_column(String(100))
    programme: Mapped[Programme] = relationship(back_populates="indicators")


class Document(PartOfProgramme, Base):
    """A document or web page about the programme (IATI document-link)."""

    __tablename__ = "capacity_document"

    url: Mapped[str] = mapped_column(String(1000))
    title: Mapped[str | None] = mapped_column(Text)
    format: Mapped[str | None] = mapped_column(String(100))
    category: Mapped[str | None] = mapped_column(String(10))
    programme: Mapped[Programme] = relationship(back_populates="documents")


class Activity(PartOfProgramme, Base):
    """An activity within a programme (a training, a mission, a grant), entered by an editor."""

    __tablename__ = "capacity_activity"

    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    status_code: Mapped[str | None] = mapped_column(String(10))
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    programme: Mapped[Programme] = relationship(back_populates="activities")


class ProgrammeLink(Base):
    """ "This programme (or activity) addresses that recommendation", with who said so and why.

    ``status`` moves from suggested to confirmed or rejected; a rejected suggestion is kept, so
    the matcher does not propose it again.
    """

    __tablename__ = "capacity_link"
    __table_args__ = (
        UniqueConstraint("programme_id", "activity_id", "recommendation_key"),
        CheckConstraint(
            "status IN ('suggested', 'confirmed', 'rejected')", name="capacity_link_status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("capacity_programme.id", ondelete="CASCADE"), index=True
    )
    activity_id: Mapped[int | None] = mapped_column(
        ForeignKey("capacity_activity.id", ondelete="CASCADE"), index=True
    )
    recommendation_key: Mapped[str] = mapped_column(String(40), index=True)
    implementation_record_id: Mapped[int | None] = mapped_column(Integer)  # monitoring tracking
    status: Mapped[str] = mapped_column(String(12), default="suggested", index=True)
    score: Mapped[float | None] = mapped_column(Float)  # the matcher's, for suggestions
    reason: Mapped[str | None] = mapped_column(Text)  # why: the matcher's evidence or a person's
    created_by: Mapped[str] = mapped_column(String(100))  # a user name, or "matcher"
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column()


class CrsAid(FromDataset, Base):
    """OECD CRS aid to one recipient in one DAC sector in one year, as the aggregate file
    gives it (USD million). ``recipient`` keeps the file's label; ``state_iso3`` is set when the
    label is a state (regional and "unspecified" rows have none)."""

    __tablename__ = "crs_aid"
    __table_args__ = (UniqueConstraint("year", "recipient", "sector_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True, info={"period": "year"})
    recipient: Mapped[str] = mapped_column(String(200))
    state_iso3: Mapped[str | None] = mapped_column(ForeignKey("state.iso3"), index=True)
    sector_code: Mapped[str] = mapped_column(String(10), index=True)
    amount_usd_m: Mapped[float] = mapped_column(Float)


class Rate(FromDataset, Base):
    """An exchange rate used for display only: units of ``currency`` per US dollar on
    ``date`` (or the yearly average when ``date`` is the year's 1 January), with its source."""

    __tablename__ = "capacity_rate"
    __table_args__ = (UniqueConstraint("currency", "date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    date: Mapped[dt.date] = mapped_column(Date)
    per_usd: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(300))
