"""Corrections of recorded votes: what a state later said it meant to vote.

A delegation sometimes tells the Secretariat after a vote that it meant to vote otherwise
(Pakistan on the 2018 death penalty moratorium, A/RES/73/175: recorded yes). The official
record stands and remains what analyses read by default; the stated intention is a fact worth
keeping beside it, with its source and date, so that an analysis may be asked to use it
(``frames.vote_frame(record="corrected")``) and says when it does.

An editor records, changes or removes a correction; each of these is audited in the caller's
transaction (``core.security.audit``), so the audit log's newest entry on ``vote_correction``
also names the state of the corrections (``corrections_version``), which the cache keys of
analyses on the corrected record include.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.errors import InputError, NotFoundError
from rightsdesk.core.security import audit
from rightsdesk.core.security.models import AuditEntry
from rightsdesk.core.states import State, get_state, resolve_state
from rightsdesk.negotiation.votes.frames import Record, parse_record
from rightsdesk.negotiation.votes.models import (
    Resolution,
    RollCall,
    StateVote,
    VoteCorrection,
)
from rightsdesk.negotiation.votes.symbols import find_resolution

__all__ = [
    "ENTITY",
    "INTENDED_VOTES",
    "corrections_version",
    "find_roll_call",
    "list_corrections",
    "parse_stated_on",
    "parse_vote",
    "record_correction",
    "record_key",
    "remove_correction",
]

#: The audit log's entity name of a correction.
ENTITY = "vote_correction"
#: What a state may say it meant: a vote, or not to vote at all.
INTENDED_VOTES: tuple[str, ...] = ("yes", "no", "abstain", "absent")
MAX_SOURCE = 1000


def parse_vote(value: str) -> str:
    """A vote as stored ("Y"/"N"/"A" accepted too), or an InputError naming the choices."""
    raw = value.strip().lower()
    vote = {"y": "yes", "n": "no", "a": "abstain", "abstention": "abstain"}.get(raw, raw)
    if vote not in INTENDED_VOTES:
        raise InputError(
            f"unknown vote {value!r}; choose one of {', '.join(INTENDED_VOTES)}", field="vote"
        )
    return vote


def parse_stated_on(value: str | dt.date) -> dt.date:
    """The statement's date from ``YYYY-MM-DD``, or an InputError."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"malformed date {value!r}; write YYYY-MM-DD", field="date") from None


def find_roll_call(session: Session, ref: str) -> RollCall:
    """The roll call a user names: its id, or a resolution's symbol in any common spelling.

    A symbol voted on more than once (amendments, paragraphs) names the vote on the whole text
    when there is exactly one; otherwise the ids to choose from are listed.
    """
    text = ref.strip()
    if text.isdigit():
        found = session.get(RollCall, int(text))
        if found is None:
            raise NotFoundError(f"no roll call {text}")
        return found
    res = find_resolution(session, text)
    if res is None:
        res = session.scalars(
            select(Resolution).where(func.upper(Resolution.symbol) == text.upper())
        ).first()
    if res is None:
        raise NotFoundError(f"no resolution {text!r}; give its symbol or a roll call id")
    calls = list(
        session.scalars(
            select(RollCall).where(RollCall.resolution_id == res.id).order_by(RollCall.id)
        )
    )
    whole = [rc for rc in calls if not rc.is_amendment and not rc.is_paragraph]
    if len(whole) == 1:
        return whole[0]
    if not calls:
        raise NotFoundError(f"{res.symbol or text} was adopted without a recorded vote")
    ids = ", ".join(str(rc.id) for rc in calls)
    raise InputError(f"{res.symbol or text} has several roll calls ({ids}); give the id")


def _snapshot(c: VoteCorrection) -> dict[str, Any]:
    return {
        "roll_call_id": c.roll_call_id,
        "iso3": c.iso3,
        "recorded_vote": c.recorded_vote,
        "intended_vote": c.intended_vote,
        "source": c.source,
        "stated_on": c.stated_on.isoformat(),
        "note": c.note,
    }


def _recorded_vote(session: Session, rc: RollCall, iso3: str) -> str:
    vote = session.scalar(
        select(StateVote.vote).where(StateVote.roll_call_id == rc.id, StateVote.iso3 == iso3)
    )
    if vote == "non-member":
        raise InputError(f"{iso3} was not a member of {rc.body} at this vote", field="iso3")
    # unvotes leaves absences out: no row is a member that did not vote
    return str(vote) if vote is not None else "absent"


def record_correction(
    session: Session,
    actor: str,
    roll_call_id: int,
    state: str,
    vote: str,
    source: str,
    stated_on: str | dt.date,
    note: str | None = None,
) -> VoteCorrection:
    """Record (or replace) a state's stated vote on a roll call; audited.

    Refused with an InputError: an unknown vote, a malformed date, a statement dated before
    the vote or in the future, an empty source, the vote the record already shows.
    """
    rc = session.get(RollCall, roll_call_id)
    if rc is None:
        raise NotFoundError(f"no roll call {roll_call_id}")
    iso3 = get_state(session, resolve_state(state)).iso3
    intended = parse_vote(vote)
    day = parse_stated_on(stated_on)
    if day < rc.date:
        raise InputError(f"the statement's date {day} is before the vote ({rc.date})", field="date")
    if day > dt.date.today():
        raise InputError(f"the statement's date {day} is in the future", field="date")
    text = " ".join(source.split())
    if not text:
        raise InputError(
            "name the source of the statement (a document symbol or URL)", field="source"
        )
    if len(text) > MAX_SOURCE:
        raise InputError(f"the source is longer than {MAX_SOURCE} characters", field="source")
    recorded = _recorded_vote(session, rc, iso3)
    if recorded == intended:
        raise InputError(f"the record already shows {iso3} voting {recorded}", field="vote")
    audit.lock_chain(session)  # writers of one correction queue here (see audit.lock_chain)
    found = session.scalars(
        select(VoteCorrection).where(
            VoteCorrection.roll_call_id == rc.id, VoteCorrection.iso3 == iso3
        )
    ).first()
    before = None if found is None else _snapshot(found)
    if found is None:
        found = VoteCorrection(roll_call_id=rc.id, iso3=iso3, created_by=actor)
        session.add(found)
    found.recorded_vote = recorded
    found.intended_vote = intended
    found.source = text
    found.stated_on = day
    found.note = (" ".join(note.split()) or None) if note else None
    found.created_by = actor
    session.flush()
    after = _snapshot(found)
    if before != after:
        action = "create" if before is None else "update"
        audit.record(session, actor, action, ENTITY, found.id, before=before, after=after)
    return found


def remove_correction(session: Session, actor: str, correction_id: int) -> None:
    """Remove a correction; audited (the entry keeps what was removed)."""
    found = session.get(VoteCorrection, correction_id)
    if found is None:
        raise NotFoundError(f"no vote correction {correction_id}")
    before = _snapshot(found)
    session.delete(found)
    session.flush()
    audit.record(session, actor, "delete", ENTITY, correction_id, before=before)


def list_corrections(session: Session, roll_call_id: int | None = None) -> list[dict[str, Any]]:
    """Corrections with their roll call and state, newest vote first (one roll call's, or all)."""
    stmt = (
        select(VoteCorrection, RollCall, Resolution.symbol, Resolution.title, State.name)
        .join(RollCall, RollCall.id == VoteCorrection.roll_call_id)
        .join(Resolution, Resolution.id == RollCall.resolution_id)
        .join(State, State.iso3 == VoteCorrection.iso3)
        .order_by(RollCall.date.desc(), RollCall.id.desc(), VoteCorrection.iso3)
    )
    if roll_call_id is not None:
        stmt = stmt.where(VoteCorrection.roll_call_id == roll_call_id)
    return [
        {
            "id": c.id,
            "roll_call_id": rc.id,
            "body": rc.body,
            "symbol": symbol,
            "title": title,
            "vote_date": rc.date,
            "iso3": c.iso3,
            "state": name,
            "recorded_vote": c.recorded_vote,
            "intended_vote": c.intended_vote,
            "source": c.source,
            "stated_on": c.stated_on,
            "note": c.note,
            "created_by": c.created_by,
            "created_at": c.created_at,
        }
        for c, rc, symbol, title, name in session.execute(stmt)
    ]


def corrections_version(session: Session) -> str:
    """A text that changes whenever a correction is added, changed or removed: the newest audit
    entry about corrections (vote analytics otherwise ignore edits; see ``core.cache``)."""
    newest = session.scalar(select(func.max(AuditEntry.id)).where(AuditEntry.entity == ENTITY))
    return f"c{newest or 0}"


def record_key(session: Session, record: str) -> tuple[Record, str]:
    """What a cache key of a vote analysis needs about its record: the record chosen and the
    corrections' version, so that adding, changing or removing a correction changes the key."""
    return parse_record(record), corrections_version(session)
