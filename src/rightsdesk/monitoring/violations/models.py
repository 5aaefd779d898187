"""Tables of violations documentation, after HURIDOCS' Events Standard Formats.

An ``Event`` is what happened (when, where, what kind); each ``Act`` is one violation done to one
victim within it (a killing, an arbitrary detention), and each ``Involvement`` says which
``Perpetrator`` took part in an act and how. ``Source`` records who reported the event, how, and
how far they are to be believed; ``Attachment`` holds files (by SHA-256) that back a source or
an event; ``EventResponse`` (interventions in the Events Standard Formats' words) records who did
what about it: statements, urgent appeals, démarches, trial monitoring.

Confidentiality is per record (``LEVELS``): events, victims, perpetrators, sources and
attachments each carry a level; a child can be stricter than its event, never looser in effect
(access to a child also needs access to its event). ``created_by`` is the user who entered the
record, so a data collector sees only its own records (``access.py`` decides, nowhere else).

Sensitive fields are ``EncryptedText`` (authenticated encryption with a key held outside the
database): victims' and witnesses' names, identity details and contacts, and the exact place of
an event whose location is flagged. Columns in clear hold only what may be shown, counted and
searched: the country, a coarse area, the act types, dates. Nothing sensitive goes into a
column that is indexed or searched.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from rightsdesk.core.db import Base, utcnow
from rightsdesk.core.security.crypto import EncryptedText

__all__ = [
    "ACT_TYPES",
    "DATE_PRECISIONS",
    "EVENT_STATUSES",
    "INVOLVEMENT_ROLES",
    "LEVELS",
    "PERPETRATOR_KINDS",
    "RESPONSE_KINDS",
    "SANCTIONS_LINK_STATUSES",
    "SOURCE_CREDIBILITY",
    "SOURCE_RELIABILITY",
    "VICTIM_KINDS",
    "Act",
    "ActType",
    "Attachment",
    "Event",
    "Involvement",
    "Perpetrator",
    "PerpetratorSanctionsLink",
    "EventResponse",
    "Source",
    "Victim",
]

# confidentiality levels, least to most restricted (``access.LEVEL_RANK`` orders them)
LEVELS = ("public", "restricted", "confidential", "strictly_confidential")
# how exactly a date is known: "2019-03" is stored as 2019-03-01 with precision "month"
DATE_PRECISIONS = ("day", "month", "year", "unknown")
EVENT_STATUSES = ("reported", "under_review", "verified", "closed")
VICTIM_KINDS = ("person", "group")
PERPETRATOR_KINDS = ("person", "unit", "organisation")
# how a perpetrator took part in an act (Events Standard Formats, degree of involvement)
INVOLVEMENT_ROLES = (
    "direct",
    "ordered",
    "commanded",
    "aided",
    "failed_to_prevent",
    "failed_to_punish",
    "unknown",
)
# Admiralty code: reliability of the source (A completely reliable .. F cannot be judged) and
# credibility of the information (1 confirmed by other sources .. 6 cannot be judged)
SOURCE_RELIABILITY = ("A", "B", "C", "D", "E", "F")
SOURCE_CREDIBILITY = ("1", "2", "3", "4", "5", "6")
RESPONSE_KINDS = (
    "statement",
    "urgent_appeal",
    "demarche",
    "trial_monitoring",
    "communication",
    "visit",
    "sanctions_proposal",
    "other",
)
SANCTIONS_LINK_STATUSES = ("suggested", "confirmed", "rejected")

# the controlled vocabulary of acts, seeded by the migration; an admin can add more
# (code, label, explanation)
ACT_TYPES: tuple[tuple[str, str, str], ...] = (
    ("killing", "Killing", "Arbitrary deprivation of life, including extrajudicial execution."),
    (
        "torture",
        "Torture",
        "Severe pain or suffering inflicted intentionally by or with the "
        "consent of an official, as defined in CAT article 1.",
    ),
    ("ill_treatment", "Cruel, inhuman or degrading treatment", "Ill-treatment short of torture."),
    (
        "arbitrary_detention",
        "Arbitrary detention",
        "Deprivation of liberty without legal basis or due process.",
    ),
    (
        "enforced_disappearance",
        "Enforced disappearance",
        "Deprivation of liberty followed by a "
        "refusal to acknowledge it or to disclose the person's fate (CPED article 2).",
    ),
    (
        "sexual_violence",
        "Sexual violence",
        "Rape and other sexual violence, including in detention and conflict.",
    ),
    (
        "forced_displacement",
        "Forced displacement",
        "Eviction or transfer of people from where they lawfully live.",
    ),
    (
        "destruction_of_property",
        "Destruction of property",
        "Destruction or seizure of homes, land, livestock or places of worship.",
    ),
    ("abduction", "Abduction", "Taking of a person by a non-state actor."),
    (
        "threats_harassment",
        "Threats and harassment",
        "Threats, surveillance and intimidation, notably of defenders and journalists.",
    ),
    ("unfair_trial", "Unfair trial", "Conviction without the guarantees of ICCPR article 14."),
    (
        "restriction_of_expression",
        "Restriction of expression",
        "Censorship, arrests for speech, internet shutdowns.",
    ),
    (
        "restriction_of_assembly",
        "Restriction of assembly",
        "Dispersal or ban of peaceful assemblies.",
    ),
    (
        "child_recruitment",
        "Recruitment of children",
        "Recruitment or use of children by armed forces or groups.",
    ),
    (
        "attack_on_civilians",
        "Attack on civilians",
        "Indiscriminate or direct attacks on civilians or civilian objects.",
    ),
    ("forced_labour", "Forced labour", "Work exacted under menace of penalty."),
    (
        "denial_of_humanitarian_access",
        "Denial of humanitarian access",
        "Blocking relief to people in need.",
    ),
)


def _level_column() -> Mapped[str]:
    return mapped_column(String(24), default="confidential", index=True)


class Documented:
    """Columns every documented record carries: its level and who entered and last changed it."""

    confidentiality: Mapped[str] = _level_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @declared_attr
    def created_by(cls) -> Mapped[int | None]:
        return mapped_column(
            ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True, index=True
        )

    @declared_attr
    def updated_by(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[CheckConstraint, ...]:
        levels = ", ".join(f"'{x}'" for x in LEVELS)
        return (CheckConstraint(f"confidentiality IN ({levels})", name="level"),)


class ActType(Base):
    """One kind of act in the controlled vocabulary (seeded from ``ACT_TYPES``)."""

    __tablename__ = "violation_act_type"

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    explanation: Mapped[str | None] = mapped_column(Text)
    added_by: Mapped[str | None] = mapped_column(String(100))  # null: seeded vocabulary


class Event(Documented, Base):
    """Something that happened, at a time and place, with one or more acts."""

    __tablename__ = "violation_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    # stable key: the import file's ``event_id`` column, or "ev-" + random for entered events
    natural_key: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    start_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    start_precision: Mapped[str] = mapped_column(String(10), default="day")
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    end_precision: Mapped[str] = mapped_column(String(10), default="day")
    state_iso3: Mapped[str | None] = mapped_column(ForeignKey("state.iso3"), index=True)
    # coarse place shown to anyone who may read the event (province, district, town)
    area: Mapped[str | None] = mapped_column(String(300))
    # the exact place in clear, only when the location is not flagged as sensitive
    place: Mapped[str | None] = mapped_column(String(300))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    location_sensitive: Mapped[bool] = mapped_column(Boolean, default=False)
    # flagged locations: JSON {"place", "latitude", "longitude"} encrypted; clear columns null
    exact_location: Mapped[str | None] = mapped_column(EncryptedText)
    status: Mapped[str] = mapped_column(String(20), default="reported", index=True)
    dataset_id: Mapped[int | None] = mapped_column(
        ForeignKey("dataset.id", ondelete="SET NULL"), nullable=True, index=True
    )

    acts: Mapped[list[Act]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Act.id"
    )
    victims: Mapped[list[Victim]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Victim.id"
    )
    sources: Mapped[list[Source]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Source.id"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="Attachment.id"
    )
    responses: Mapped[list[EventResponse]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventResponse.id"
    )


class Victim(Documented, Base):
    """A person or group who suffered an act. Identity fields are encrypted; the descriptive
    ones (sex, age group, occupation, group) stay in clear so they can be counted."""

    __tablename__ = "violation_victim"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("violation_event.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10), default="person")
    name: Mapped[str | None] = mapped_column(EncryptedText)  # sensitive
    # JSON of further identity details: date of birth, identity numbers, address, photo ref
    identity: Mapped[str | None] = mapped_column(EncryptedText)  # sensitive
    contact: Mapped[str | None] = mapped_column(EncryptedText)  # sensitive
    sex: Mapped[str | None] = mapped_column(String(20))
    age_group: Mapped[str | None] = mapped_column(String(20))  # child, adult, older, unknown
    occupation: Mapped[str | None] = mapped_column(String(200))
    group_membership: Mapped[str | None] = mapped_column(String(300))
    group_size: Mapped[int | None] = mapped_column(Integer)  # for a group victim

    event: Mapped[Event] = relationship(back_populates="victims")
    acts: Mapped[list[Act]] = relationship(back_populates="victim")


class Perpetrator(Documented, Base):
    """A person, unit or organisation alleged to have taken part in acts, across events.

    ``commander_id`` is the chain of command (a soldier's unit, a unit's commander), so a
    dossier can show who answered for whom.
    """

    __tablename__ = "violation_perpetrator"

    id: Mapped[int] = mapped_column(primary_key=True)
    natural_key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="person")
    name: Mapped[str] = mapped_column(String(300))
    aliases: Mapped[str | None] = mapped_column(Text)  # one per line
    position: Mapped[str | None] = mapped_column(String(300))  # rank, function
    state_iso3: Mapped[str | None] = mapped_column(ForeignKey("state.iso3"), index=True)
    nationality: Mapped[str | None] = mapped_column(String(3))
    birth_date: Mapped[str | None] = mapped_column(String(10))  # as known: 1961, 1961-05-02
    commander_id: Mapped[int | None] = mapped_column(
        ForeignKey("violation_perpetrator.id", ondelete="SET NULL"), nullable=True
    )
    notes: Mapped[str | None] = mapped_column(Text)

    involvements: Mapped[list[Involvement]] = relationship(
        back_populates="perpetrator", cascade="all, delete-orphan"
    )
    commander: Mapped[Perpetrator | None] = relationship(remote_side="Perpetrator.id")
    sanctions_links: Mapped[list[PerpetratorSanctionsLink]] = relationship(
        back_populates="perpetrator", cascade="all, delete-orphan"
    )


class Act(Base):
    """One violation done to one victim in an event; its level is its event's."""

    __tablename__ = "violation_act"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("violation_event.id", ondelete="CASCADE"), index=True
    )
    act_type: Mapped[str] = mapped_column(ForeignKey("violation_act_type.code"), index=True)
    victim_id: Mapped[int | None] = mapped_column(
        ForeignKey("violation_victim.id", ondelete="SET NULL"), nullable=True, index=True
    )
    date: Mapped[dt.date | None] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(Text)

    event: Mapped[Event] = relationship(back_populates="acts")
    victim: Mapped[Victim | None] = relationship(back_populates="acts")
    involvements: Mapped[list[Involvement]] = relationship(
        back_populates="act", cascade="all, delete-orphan"
    )


class Involvement(Base):
    """A perpetrator's part in an act: role, and whether it is alleged or established."""

    __tablename__ = "violation_involvement"
    __table_args__ = (UniqueConstraint("act_id", "perpetrator_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    act_id: Mapped[int] = mapped_column(
        ForeignKey("violation_act.id", ondelete="CASCADE"), index=True
    )
    perpetrator_id: Mapped[int] = mapped_column(
        ForeignKey("violation_perpetrator.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(30), default="direct")
    established: Mapped[bool] = mapped_column(Boolean, default=False)  # False: alleged

    act: Mapped[Act] = relationship(back_populates="involvements")
    perpetrator: Mapped[Perpetrator] = relationship(back_populates="involvements")


class Source(Documented, Base):
    """Who reported the event, when and how, rated for reliability and credibility.

    A witness's or victim-reporter's identity and contact are encrypted; ``citation`` is for
    published sources (a report, an article) and stays in clear.
    """

    __tablename__ = "violation_source"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("violation_event.id", ondelete="CASCADE"), index=True
    )
    # witness, victim, relative, media, ngo, official, un, other
    source_type: Mapped[str] = mapped_column(String(20), default="other")
    reporter_name: Mapped[str | None] = mapped_column(EncryptedText)  # sensitive
    reporter_contact: Mapped[str | None] = mapped_column(EncryptedText)  # sensitive
    organisation: Mapped[str | None] = mapped_column(String(300))  # a published source's author
    reported_on: Mapped[dt.date | None] = mapped_column(Date)
    method: Mapped[str | None] = mapped_column(String(40))  # interview, phone, document, media
    reliability: Mapped[str] = mapped_column(String(1), default="F")
    credibility: Mapped[str] = mapped_column(String(1), default="6")
    summary: Mapped[str | None] = mapped_column(Text)
    citation: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(1000))

    event: Mapped[Event] = relationship(back_populates="sources")
    attachments: Mapped[list[Attachment]] = relationship(back_populates="source")


class Attachment(Documented, Base):
    """A file backing an event or a source, stored once under its SHA-256 in the data folder
    (``attachments/ab/abcdef...``); the original file name may identify someone, so it is
    encrypted."""

    __tablename__ = "violation_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("violation_event.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("violation_source.id", ondelete="SET NULL"), nullable=True
    )
    filename: Mapped[str | None] = mapped_column(EncryptedText)  # sensitive
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    description: Mapped[str | None] = mapped_column(Text)

    event: Mapped[Event] = relationship(back_populates="attachments")
    source: Mapped[Source | None] = relationship(back_populates="attachments")


class EventResponse(Base):
    """What someone did about the event: a statement, an urgent appeal, a démarche, trial
    monitoring (the Events Standard Formats call these interventions). Level: its event's."""

    __tablename__ = "violation_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("violation_event.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str] = mapped_column(String(300))  # who acted: a mission, a rapporteur, an NGO
    date: Mapped[dt.date | None] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship(back_populates="responses")


class PerpetratorSanctionsLink(Base):
    """A perpetrator matched to a sanctions-list entity (sanctions form), by its entity id:
    suggested by screening with the score and explanation, then confirmed or rejected by a
    person. Entity ids (``unsc-111923``, ``ofac-12345``) outlive list re-imports; row ids may
    not."""

    __tablename__ = "violation_perpetrator_sanctions_link"
    __table_args__ = (UniqueConstraint("perpetrator_id", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    perpetrator_id: Mapped[int] = mapped_column(
        ForeignKey("violation_perpetrator.id", ondelete="CASCADE"), index=True
    )
    entity_id: Mapped[str] = mapped_column(String(200), index=True)
    score: Mapped[float | None] = mapped_column(Float)
    explanation: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="suggested")
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[dt.datetime | None] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    perpetrator: Mapped[Perpetrator] = relationship(back_populates="sanctions_links")
