"""Tables of treaties, ratifications and reservations.

One ``Ratification`` row per state x instrument (the natural key), holding what the depositary
records: the signature date and the date and type of the consent to be bound. The status code
shown everywhere (ratified / acceded / succeeded / signed) is stored with the row so that the
matrix is one indexed query, and ``source_kind`` says which importer's facts the row holds,
because the newer UNTC table must win over the 2015 scrape whichever is imported first.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from rightsdesk.core.db import Base
from rightsdesk.core.provenance import FromDataset

__all__ = ["Instrument", "Ratification", "Reservation"]


class Instrument(Base):
    """One of the 18 core human rights instruments (seeded from ``treaties.instruments``)."""

    __tablename__ = "instrument"

    short: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    parent_short: Mapped[str | None] = mapped_column(ForeignKey("instrument.short"))
    mtdsg_no: Mapped[str] = mapped_column(String(20), unique=True)
    untc_id: Mapped[str] = mapped_column(String(30), unique=True)
    body: Mapped[str] = mapped_column(String(20))
    adopted: Mapped[date] = mapped_column(Date)
    entry_into_force: Mapped[date | None] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer)


class Ratification(FromDataset, Base):
    """A state's standing towards one instrument: signature and consent to be bound."""

    __tablename__ = "ratification"
    __table_args__ = (UniqueConstraint("iso3", "instrument_short"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    iso3: Mapped[str] = mapped_column(ForeignKey("state.iso3"))
    instrument_short: Mapped[str] = mapped_column(ForeignKey("instrument.short"), index=True)
    # ratified | acceded | succeeded | signed
    status: Mapped[str] = mapped_column(String(12))
    signature_date: Mapped[date | None] = mapped_column(Date)
    consent_date: Mapped[date | None] = mapped_column(Date)
    # ratification | accession | succession | acceptance | approval | formal confirmation
    consent_type: Mapped[str | None] = mapped_column(String(30))
    source_kind: Mapped[str] = mapped_column(String(60))


class Reservation(FromDataset, Base):
    """The reservations and declarations text a state made to an instrument."""

    __tablename__ = "reservation"
    __table_args__ = (UniqueConstraint("iso3", "instrument_short", "ordinal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    iso3: Mapped[str] = mapped_column(ForeignKey("state.iso3"))
    instrument_short: Mapped[str] = mapped_column(ForeignKey("instrument.short"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64))
    # "See chapter IV.3." entries point at another instrument's MTDSG number
    refers_to: Mapped[str | None] = mapped_column(String(20))
