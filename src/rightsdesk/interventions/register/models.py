"""Tables of the register of responses: what the international system did about a situation.

One ``RegisterEntry`` is one response: a peacekeeping operation, an ICC situation or case, an
ICJ case, a commission of inquiry, a fact-finding mission, a referral. ``key`` is its natural
key within its ``kind`` (the mission acronym, the ABA ICC project's slug, the ICJ case number,
the CSV identifier), so re-importing a file updates instead of duplicating; ``identifier`` is
how the body itself writes it ("MINUSMA", "ICC-01/04-01/06", "ICJ 178") and may be empty where
the body gave none (an ICC preliminary examination has no situation number).

Imported sources stop at a date (the ABA ICC project in 2021); editors add what happened since.
A field an editor set is listed in ``edited_fields`` and a later import leaves it alone, so a
re-import of the old file never undoes a newer fact. Every change is kept in ``RegisterEdit``.

States are kept with the role they play (``STATE_ROLES``) and the name the source wrote, so a
party without a current ISO3 code (Yugoslavia, Serbia and Montenegro) still shows.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rightsdesk.core.db import Base, utcnow
from rightsdesk.core.provenance import FromDataset

__all__ = [
    "ACCUSED_STATUSES",
    "CRIME_TYPES",
    "KINDS",
    "PRECISIONS",
    "STATE_ROLES",
    "Accused",
    "Charge",
    "EntryState",
    "RegisterEdit",
    "RegisterEntry",
    "RegisterSource",
]

#: Kinds of response, and the plain label a page shows for each.
KINDS: dict[str, str] = {
    "peacekeeping": "Peacekeeping operation",
    "icc-situation": "ICC situation or preliminary examination",
    "icc-case": "ICC case",
    "icj-case": "ICJ case",
    "commission-of-inquiry": "Commission of inquiry",
    "fact-finding-mission": "Fact-finding mission",
    "referral": "Referral (UNSC to the ICC, HRC special session ...)",
    "other": "Other response",
}
#: Kinds editors enter or import from the ``responses-csv`` format.
EDITOR_KINDS = ("commission-of-inquiry", "fact-finding-mission", "referral", "other")

#: Roles a state plays in an entry.
STATE_ROLES: dict[str, str] = {
    "situation": "situation country",
    "applicant": "applicant",
    "respondent": "respondent",
    "host": "host state",
    "target": "target",
    "party": "party (case by special agreement)",
}

#: How exact a date is: "1993" is stored as 1993-01-01 with precision "year".
PRECISIONS = ("day", "month", "year")

#: Crime types of ICC charges (Rome Statute articles 6, 7, 8, 70).
CRIME_TYPES: dict[str, str] = {
    "genocide": "genocide",
    "crimes-against-humanity": "crimes against humanity",
    "war-crimes": "war crimes",
    "administration-of-justice": "offences against the administration of justice",
}

#: Where an ICC accused person stands.
ACCUSED_STATUSES: dict[str, str] = {
    "at-large": "at large",
    "in-custody": "in custody or appearing",
    "convicted": "convicted",
    "acquitted": "acquitted",
    "deceased": "deceased (proceedings ended)",
    "withdrawn": "charges withdrawn or case terminated",
    "not-confirmed": "charges not confirmed",
    "other": "other (see the source's words)",
}


class RegisterEntry(FromDataset, Base):
    """One response of the international system (see the module docstring)."""

    __tablename__ = "int_register_entry"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    key: Mapped[str] = mapped_column(String(300))
    identifier: Mapped[str | None] = mapped_column(String(200), index=True)
    title: Mapped[str] = mapped_column(String(500))
    mandate_body: Mapped[str | None] = mapped_column(String(100))
    mandate_ref: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    start_precision: Mapped[str] = mapped_column(String(5), default="day")
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    end_precision: Mapped[str] = mapped_column(String(5), default="day")
    status: Mapped[str] = mapped_column(String(120), default="")
    url: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str | None] = mapped_column(Text)
    # comma-separated field names an editor set; imports leave them alone
    edited_fields: Mapped[str] = mapped_column(String(300), default="")
    created_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    states: Mapped[list[EntryState]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="EntryState.id"
    )
    accused: Mapped[list[Accused]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="Accused.id"
    )
    sources: Mapped[list[RegisterSource]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="RegisterSource.id"
    )
    edits: Mapped[list[RegisterEdit]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="RegisterEdit.id"
    )

    def edited(self) -> set[str]:
        """Names of the fields an editor set (imports keep their hands off them)."""
        return {f for f in self.edited_fields.split(",") if f}


class EntryState(Base):
    """A state in an entry, with its role; ``iso3`` empty for a party with no current code."""

    __tablename__ = "int_register_state"
    __table_args__ = (UniqueConstraint("entry_id", "role", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("int_register_entry.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    iso3: Mapped[str | None] = mapped_column(String(3), index=True)
    name: Mapped[str] = mapped_column(String(200))  # as the source wrote it

    entry: Mapped[RegisterEntry] = relationship(back_populates="states")


class Accused(Base):
    """A person accused in an ICC case, with where they stand (``ACCUSED_STATUSES``)."""

    __tablename__ = "int_register_accused"
    __table_args__ = (UniqueConstraint("entry_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("int_register_entry.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(200))  # the source's slug of the person
    person: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    source_status: Mapped[str | None] = mapped_column(String(200))  # the source's own words

    entry: Mapped[RegisterEntry] = relationship(back_populates="accused")
    charges: Mapped[list[Charge]] = relationship(
        back_populates="accused", cascade="all, delete-orphan", order_by="Charge.id"
    )


class Charge(Base):
    """One charge against an accused: crime type (``CRIME_TYPES``), the crime, the article."""

    __tablename__ = "int_register_charge"

    id: Mapped[int] = mapped_column(primary_key=True)
    accused_id: Mapped[int] = mapped_column(
        ForeignKey("int_register_accused.id", ondelete="CASCADE"), index=True
    )
    crime_type: Mapped[str] = mapped_column(String(40))
    crime: Mapped[str] = mapped_column(String(300))
    article: Mapped[str | None] = mapped_column(String(100))

    accused: Mapped[Accused] = relationship(back_populates="charges")


class RegisterSource(FromDataset, Base):
    """Where an entry's facts come from: an imported dataset (``origin`` its import kind) or a
    citation an editor gave (``origin`` "editor"), and up to when that source runs."""

    __tablename__ = "int_register_source"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("int_register_entry.id", ondelete="CASCADE"), index=True
    )
    origin: Mapped[str] = mapped_column(String(60))
    citation: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(500))
    as_of: Mapped[dt.date | None] = mapped_column(Date)
    added_by: Mapped[str | None] = mapped_column(String(100))
    added_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    entry: Mapped[RegisterEntry] = relationship(back_populates="sources")


class RegisterEdit(Base):
    """One change by a person (or an import) to an entry: who, when, what changed (JSON)."""

    __tablename__ = "int_register_edit"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("int_register_entry.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))  # create | update | import
    changes: Mapped[str] = mapped_column(Text, default="{}")
    note: Mapped[str | None] = mapped_column(Text)
    count: Mapped[int] = mapped_column(Integer, default=0)  # fields changed

    entry: Mapped[RegisterEntry] = relationship(back_populates="edits")
