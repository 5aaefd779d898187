"""A state's votes: how many per body, its human rights votes, its agreement with partners.

Pure functions over the session, for the state page's panel, the voting profile page and the
agreement API; the measures themselves are in ``agreement``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.cache import NOT_VOTES, cached
from rightsdesk.core.periods import iso_date
from rightsdesk.core.states import get_state, resolve_state
from rightsdesk.negotiation.votes import agreement as ag
from rightsdesk.negotiation.votes.frames import BODY_CHOICES, frame_records, vote_frame
from rightsdesk.negotiation.votes.models import (
    BODIES,
    ISSUES,
    VOTE_VALUES,
    Resolution,
    RollCall,
    RollCallIssue,
    StateVote,
)
from rightsdesk.negotiation.votes.service import VoteScope

DEFAULT_PARTNERS = ("USA", "CHN", "RUS", "BRA", "IND", "ZAF", "FRA")


def state_vote_summary(session: Session, iso3: str) -> list[dict[str, Any]]:
    """Counts of a state's votes per body and vote (one grouped query on the iso3 index)."""
    stmt = (
        select(
            RollCall.body,
            StateVote.vote,
            func.count(),
            func.min(RollCall.date),
            func.max(RollCall.date),
        )
        .join(RollCall, RollCall.id == StateVote.roll_call_id)
        .where(StateVote.iso3 == iso3)
        .group_by(RollCall.body, StateVote.vote)
    )
    out: dict[str, dict[str, Any]] = {}
    for body, vote, n, first, last in session.execute(stmt):
        entry = out.setdefault(
            str(body),
            {
                "body": str(body),
                "name": BODIES.get(str(body), str(body)),
                "first": first,
                "last": last,
            },
        )
        entry[str(vote)] = int(n)
        entry["first"] = min(entry["first"], first)
        entry["last"] = max(entry["last"], last)
    rows = sorted(out.values(), key=lambda e: e["body"])
    for e in rows:
        for k in VOTE_VALUES:
            e.setdefault(k, 0)
        e["first"], e["last"] = iso_date(e["first"]), iso_date(e["last"])
    return rows


def hr_votes(session: Session, iso3: str, limit: int = 100) -> list[dict[str, Any]]:
    """A state's most recent votes on human-rights roll calls (all bodies)."""
    stmt = (
        select(RollCall, Resolution, StateVote.vote)
        .join(StateVote, StateVote.roll_call_id == RollCall.id)
        .join(Resolution, Resolution.id == RollCall.resolution_id)
        .where(
            StateVote.iso3 == iso3,
            RollCall.id.in_(select(RollCallIssue.roll_call_id).where(RollCallIssue.issue == "hr")),
        )
        .order_by(RollCall.date.desc(), RollCall.id.desc())
        .limit(limit)
    )
    return [
        {
            "roll_call_id": rc.id,
            "date": iso_date(rc.date),
            "body": rc.body,
            "symbol": res.symbol,
            "title": res.title,
            "is_amendment": rc.is_amendment,
            "vote": vote,
        }
        for rc, res, vote in session.execute(stmt)
    ]


def partners(with_: list[str] | None, iso3: str) -> list[str]:
    """Partner ISO3s from repeated and/or comma-separated names (the usual few by default)."""
    if with_:
        chosen = [resolve_state(p) for raw in with_ for p in raw.split(",") if p.strip()]
    else:
        chosen = list(DEFAULT_PARTNERS)
    return [p for p in dict.fromkeys(chosen) if p != iso3]


def state_profile(
    session: Session, code: str, with_: list[str] | None, body: str, issue: str | None, measure: str
) -> dict[str, Any]:
    """What ``/states/ISO3/votes`` shows: votes per body, agreement with partners overall and
    per year, and the latest human rights votes."""
    state = get_state(session, code)
    args = (state.iso3, tuple(with_ or ()), body, issue or "", measure)
    rest = cached(
        session,
        "state_profile",
        args,
        lambda: _profile_figures(session, state.iso3, with_, body, issue, measure),
        edits=False,
        ignore=NOT_VOTES,
    )
    return {"state": state, **rest}


def _profile_figures(
    session: Session, iso3: str, with_: list[str] | None, body: str, issue: str | None, measure: str
) -> dict[str, Any]:
    """The figures of ``state_profile`` (all but the state), computed once per data version."""
    state = get_state(session, iso3)
    chosen_partners = partners(with_, state.iso3)
    frame = vote_frame(
        session, body=body, issue=issue or None, states=[state.iso3, *chosen_partners]
    )
    chosen = ag.parse_measure(measure)
    voted = not frame.empty and state.iso3 in set(frame["iso3"])
    over_time = (
        ag.agreement_over_time(frame, state.iso3, chosen_partners, chosen) if voted else None
    )
    overall = ag.agreement_with(frame, state.iso3, chosen_partners, chosen) if voted else None
    return {
        "partners": chosen_partners,
        "filters": {
            "body": body,
            "issue": issue or "",
            "measure": chosen,
            "with": ",".join(chosen_partners),
        },
        "bodies": BODY_CHOICES,
        "issues": ISSUES,
        "summary": state_vote_summary(session, state.iso3),
        "overall": frame_records(overall) if overall is not None else [],
        "over_time": frame_records(over_time) if over_time is not None else [],
        "hr": hr_votes(session, state.iso3),
    }


def state_agreement_report(
    session: Session,
    code: str,
    with_: list[str] | None,
    scope: VoteScope,
    measure: str,
    min_votes: int,
    record: str = "official",
) -> dict[str, Any]:
    """A state's agreement with partners (all states when ``with_`` is empty), highest first,
    on the official or the corrected vote record (``record``, returned with the result)."""
    state = get_state(session, code)
    others = partners(with_, state.iso3) if with_ else None
    years = scope.years()
    frame = ag.state_agreement(
        session,
        state.iso3,
        others,
        scope.body,
        scope.issue or None,
        years,
        ag.parse_measure(measure),
        min_votes,
        record,
    )
    return {
        "iso3": state.iso3,
        "record": record,
        "measure": measure,
        "body": scope.body,
        "issue": scope.issue,
        "partners": frame_records(frame),
    }
