"""Tables of UN bodies, sessions, resolutions, roll calls and state votes.

The shape follows how the UN records a decision: a *resolution or decision* is adopted by a
*body* at a *session*, either without a vote or after one or more *roll calls* (a recorded vote
on the whole text, on a paragraph or on an amendment); each roll call has one *vote* per state.
Analyses read roll calls and votes only (``frames.vote_frame``), so the roll call carries a
few copies of its resolution's facts (body, session number, date) that make those reads one
indexed query. Each roll call keeps the identifier its source gave it (unvotes ``rcid``, the
OHCHR library ``record_id``) so that re-imports find it again.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from rightsdesk.core.db import Base
from rightsdesk.core.provenance import FromDataset

__all__ = [
    "ADOPTIONS",
    "BODIES",
    "ISSUES",
    "READING_PRIORITY",
    "VOTE_VALUES",
    "Resolution",
    "RollCall",
    "RollCallIssue",
    "RollCallReading",
    "StateVote",
    "VoteReading",
    "VoteBody",
    "VoteSession",
]

#: The bodies whose votes rightsdesk holds (code -> name); seeded by the migration.
BODIES: dict[str, str] = {
    "unga": "General Assembly (plenary)",
    "unga-c3": "General Assembly, Third Committee",
    "hrc": "Human Rights Council",
    "chr": "Commission on Human Rights",
    "unsc": "Security Council",
}

#: Which source's reading of a roll call analyses use when several sources hold it: the UN
#: Digital Library's own export first, then UN_DATA (derived from it), then the older sets.
READING_PRIORITY: dict[str, int] = {"undl": 3, "undata": 2, "unvotes": 1, "hrc": 1}

#: Issue codes of Voeten's UN votes data (``un_roll_call_issues``); HRC/CHR roll calls are "hr".
ISSUES: dict[str, str] = {
    "hr": "Human rights",
    "me": "Palestinian conflict",
    "di": "Arms control and disarmament",
    "co": "Colonialism",
    "nu": "Nuclear weapons and nuclear material",
    "ec": "Economic development",
}

#: What a state did on a roll call. ``absent``: a member that did not vote;
#: ``non-member``: not a member of the body at the time (HRC/CHR have rotating membership).
VOTE_VALUES: tuple[str, ...] = ("yes", "no", "abstain", "absent", "non-member")

#: How a resolution or decision was adopted (or not).
ADOPTIONS: tuple[str, ...] = (
    "recorded",
    "without-vote",
    "non-recorded",
    "withdrawn",
    "not-adopted",
    "not-considered",
    "unknown",
)


class VoteBody(Base):
    """A UN organ that adopts resolutions (reference data, seeded by the migration)."""

    __tablename__ = "vote_body"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))


class VoteSession(FromDataset, Base):
    """A session of a body: regular (number) or special ("S-4"); label is the natural key."""

    __tablename__ = "vote_session"
    __table_args__ = (UniqueConstraint("body", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(ForeignKey("vote_body.code"))
    label: Mapped[str] = mapped_column(String(20))
    # regular session number; for a special session, the regular session it fell within
    number: Mapped[int] = mapped_column(Integer)
    special: Mapped[bool] = mapped_column(Boolean, default=False)
    year: Mapped[int | None] = mapped_column(Integer)


class Resolution(FromDataset, Base):
    """A resolution or decision (or an amendment record) of a body, with how it was adopted."""

    __tablename__ = "resolution"
    __table_args__ = (UniqueConstraint("body", "source_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(ForeignKey("vote_body.code"))
    # the source's own key within the body: unvotes' resolution symbol, the OHCHR record_id
    source_key: Mapped[str] = mapped_column(String(60))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("vote_session.id"), index=True)
    symbol: Mapped[str | None] = mapped_column(String(80), index=True)
    # ``symbols.symbol_key(symbol)``: what lookups from any spelling and other sources match
    symbol_key: Mapped[str | None] = mapped_column(String(80), index=True)
    title: Mapped[str] = mapped_column(Text)
    date: Mapped[dt.date | None] = mapped_column(Date)
    agenda_item: Mapped[str | None] = mapped_column(String(40))
    agenda_title: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(String(300))
    main_sponsors: Mapped[str | None] = mapped_column(Text)
    adoption: Mapped[str] = mapped_column(String(20))
    url: Mapped[str | None] = mapped_column(String(300))
    # official totals as published, also for votes without a roll call (show of hands)
    yes_official: Mapped[int | None] = mapped_column(Integer)
    no_official: Mapped[int | None] = mapped_column(Integer)
    abstain_official: Mapped[int | None] = mapped_column(Integer)
    nonvoting_official: Mapped[int | None] = mapped_column(Integer)


class RollCall(FromDataset, Base):
    """One recorded vote: on a whole text, a separate paragraph or an amendment."""

    __tablename__ = "roll_call"
    __table_args__ = (UniqueConstraint("source", "source_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resolution_id: Mapped[int] = mapped_column(
        ForeignKey("resolution.id", ondelete="CASCADE"), index=True
    )
    # unvotes | hrc: with source_id (rcid, record_id) the natural key
    source: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(ForeignKey("vote_body.code"), index=True)
    session: Mapped[int] = mapped_column(Integer, index=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    is_amendment: Mapped[bool] = mapped_column(Boolean, default=False)
    is_paragraph: Mapped[bool] = mapped_column(Boolean, default=False)
    important: Mapped[bool | None] = mapped_column(Boolean)
    description: Mapped[str | None] = mapped_column(Text)
    # official totals as published; None where the source gives none (unvotes)
    yes_official: Mapped[int | None] = mapped_column(Integer)
    no_official: Mapped[int | None] = mapped_column(Integer)
    abstain_official: Mapped[int | None] = mapped_column(Integer)
    nonvoting_official: Mapped[int | None] = mapped_column(Integer)
    # the source whose reading ``state_vote`` holds (``READING_PRIORITY``); None: ``source``
    reading: Mapped[str | None] = mapped_column(String(20))


class RollCallIssue(Base):
    """An issue code of a roll call (a roll call may have several)."""

    __tablename__ = "roll_call_issue"

    roll_call_id: Mapped[int] = mapped_column(
        ForeignKey("roll_call.id", ondelete="CASCADE"), primary_key=True
    )
    issue: Mapped[str] = mapped_column(String(10), primary_key=True, index=True)


class StateVote(FromDataset, Base):
    """What one state did on one roll call (``VOTE_VALUES``)."""

    __tablename__ = "state_vote"

    roll_call_id: Mapped[int] = mapped_column(
        ForeignKey("roll_call.id", ondelete="CASCADE"), primary_key=True
    )
    iso3: Mapped[str] = mapped_column(ForeignKey("state.iso3"), primary_key=True, index=True)
    vote: Mapped[str] = mapped_column(String(10))


class VoteReading(FromDataset, Base):
    """One source's reading of a state's vote, kept where two sources hold the same roll call
    (``state_vote`` holds the reading that wins); disagreements are the conflicts listed by
    ``rightsdesk negotiation votes conflicts``."""

    __tablename__ = "vote_reading"

    roll_call_id: Mapped[int] = mapped_column(
        ForeignKey("roll_call.id", ondelete="CASCADE"), primary_key=True
    )
    source: Mapped[str] = mapped_column(String(20), primary_key=True)
    iso3: Mapped[str] = mapped_column(ForeignKey("state.iso3"), primary_key=True)
    vote: Mapped[str] = mapped_column(String(10))


class RollCallReading(FromDataset, Base):
    """One source's official totals of a roll call (yes, no, abstain, non-voting), so totals
    that two sources give differently are both kept."""

    __tablename__ = "roll_call_reading"

    roll_call_id: Mapped[int] = mapped_column(
        ForeignKey("roll_call.id", ondelete="CASCADE"), primary_key=True
    )
    source: Mapped[str] = mapped_column(String(20), primary_key=True)
    yes: Mapped[int | None] = mapped_column(Integer)
    no: Mapped[int | None] = mapped_column(Integer)
    abstain: Mapped[int | None] = mapped_column(Integer)
    nonvoting: Mapped[int | None] = mapped_column(Integer)


class VoteCorrection(Base):
    """A vote a state later said it meant differently: the official record stands, and this is
    the state's stated intention beside it, with where and when it said so.

    An editor's fact, not an import (no dataset); one per state and roll call. ``recorded_vote``
    is what the record showed when the correction was entered, so a later re-import that
    changes the record does not silently change what was corrected.
    """

    __tablename__ = "vote_correction"
    __table_args__ = (UniqueConstraint("roll_call_id", "iso3"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    roll_call_id: Mapped[int] = mapped_column(
        ForeignKey("roll_call.id", ondelete="CASCADE"), index=True
    )
    iso3: Mapped[str] = mapped_column(ForeignKey("state.iso3"), index=True)
    recorded_vote: Mapped[str] = mapped_column(String(10))
    intended_vote: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(Text)
    stated_on: Mapped[dt.date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(default=lambda: dt.datetime.now(dt.UTC))


__all__ += ["VoteCorrection"]


class CouncilVeto(FromDataset, Base):
    """A draft resolution of the Security Council that failed on a permanent member's veto,
    as the vetoes dataset lists it (``sources/vetoes.py``).

    Kept apart from roll calls because the dataset records who vetoed, not how every member
    voted; the Security Council page merges it with the failed drafts of the UN Digital
    Library export. ``seq`` tells apart the early vetoes cast on one meeting record and day
    (1946 to 1955: several membership applications under one ``S/PV`` symbol); it counts
    the rows of one draft and date in file order. ``vetoed_by`` holds ISO3 codes, comma-
    separated (the Soviet Union as ``SUN``, the Russian Federation as ``RUS``).
    """

    __tablename__ = "council_veto"
    __table_args__ = (UniqueConstraint("draft", "date", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    draft: Mapped[str] = mapped_column(String(40), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    meeting: Mapped[str | None] = mapped_column(String(40))
    agenda_item: Mapped[str | None] = mapped_column(Text)
    topic: Mapped[str | None] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(100))
    vetoed_by: Mapped[str] = mapped_column(String(40))


__all__ += ["CouncilVeto"]
