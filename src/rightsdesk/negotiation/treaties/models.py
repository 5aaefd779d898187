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

__all__ = [
    "Competence",
    "Instrument",
    "Ratification",
    "Reservation",
    "ReservationItem",
    "TreatyAction",
]


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
    # ratified | acceded | succeeded | signed | denounced
    status: Mapped[str] = mapped_column(String(12))
    signature_date: Mapped[date | None] = mapped_column(Date)
    consent_date: Mapped[date | None] = mapped_column(Date)
    # ratification | accession | succession | acceptance | approval | formal confirmation
    consent_type: Mapped[str | None] = mapped_column(String(30))
    source_kind: Mapped[str] = mapped_column(String(60))
    # the last denunciation: when the depositary was notified and when it took effect
    denounced_on: Mapped[date | None] = mapped_column(Date)
    denunciation_effective: Mapped[date | None] = mapped_column(Date)
    # a former state (the GDR, Czechoslovakia) was party until it ceased to exist
    party_until: Mapped[date | None] = mapped_column(Date)


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


class TreatyAction(FromDataset, Base):
    """One dated act of a state towards an instrument, as the depositary records it.

    ``action``: signature, ratification, accession, succession, acceptance, approval,
    formal confirmation, denunciation (``effective_date`` = when it took effect) or
    re-accession. The ``Ratification`` row is the summary; these rows are the history that
    lets a count of parties be taken at any date (a denounced state stops counting).
    """

    __tablename__ = "treaty_action"
    __table_args__ = (UniqueConstraint("iso3", "instrument_short", "action", "action_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    iso3: Mapped[str] = mapped_column(ForeignKey("state.iso3"))
    instrument_short: Mapped[str] = mapped_column(ForeignKey("instrument.short"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    action_date: Mapped[date] = mapped_column(Date)
    effective_date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    source_kind: Mapped[str] = mapped_column(String(60))


class Competence(FromDataset, Base):
    """A declaration recognising a treaty body's competence, or an opt-out of a procedure.

    ``procedure``: individual (communications from individuals), inter-state or inquiry;
    ``kind``: acceptance (e.g. ICERD art. 14, CAT arts. 21/22, ICCPR art. 41, OP-ICESCR
    art. 11) or opt-out (CAT art. 28 excluding art. 20, OP-CEDAW art. 10 excluding arts. 8-9,
    OP-CRPD art. 8, OP-CRC-IC art. 13 (7)). ``withdrawn`` is the date the declaration or
    opt-out was withdrawn; a withdrawn opt-out is an acceptance from that date.
    """

    __tablename__ = "treaty_competence"
    __table_args__ = (UniqueConstraint("iso3", "instrument_short", "article", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    iso3: Mapped[str] = mapped_column(ForeignKey("state.iso3"))
    instrument_short: Mapped[str] = mapped_column(ForeignKey("instrument.short"), index=True)
    article: Mapped[str] = mapped_column(String(10))
    procedure: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    declared_on: Mapped[date | None] = mapped_column(Date)
    withdrawn: Mapped[date | None] = mapped_column(Date)
    text: Mapped[str | None] = mapped_column(Text)
    source_kind: Mapped[str] = mapped_column(String(60))


class ReservationItem(FromDataset, Base):
    """One reservation, declaration, understanding or objection, split out of a state's text.

    ``articles`` is a comma-separated list of the article numbers the item names ("" when it
    names none); for an objection ``iso3`` is the objecting state and ``objected_iso3`` the
    state whose reservation it objects to. ``withdrawn`` is full or partial, with its date.
    """

    __tablename__ = "reservation_item"
    __table_args__ = (UniqueConstraint("iso3", "instrument_short", "ordinal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    iso3: Mapped[str] = mapped_column(ForeignKey("state.iso3"))
    instrument_short: Mapped[str] = mapped_column(ForeignKey("instrument.short"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    articles: Mapped[str] = mapped_column(String(200))
    made_on: Mapped[date | None] = mapped_column(Date)
    withdrawn: Mapped[str | None] = mapped_column(String(10))
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    objected_iso3: Mapped[str | None] = mapped_column(String(3))
    text: Mapped[str] = mapped_column(Text)
