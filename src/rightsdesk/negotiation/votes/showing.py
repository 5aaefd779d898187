"""One resolution as a desk officer cites it (``votes show``), absences computed from
membership, how far each body's data reaches, and the Security Council page with its vetoes.

Absences: unvotes drops the members that did not vote, so for the General Assembly a member at
the vote's date without a recorded vote is "absent / non-voting" (distinct from a state that
was not a member). Membership comes from ``members_at``, the one function to switch when exact
admission dates land in core.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.errors import NotFoundError
from rightsdesk.core.periods import iso_date
from rightsdesk.core.provenance import Dataset
from rightsdesk.negotiation.votes.models import BODIES, Resolution, RollCall, StateVote, VoteReading
from rightsdesk.negotiation.votes.symbols import find_resolution

#: Bodies whose sources leave absences out, so absences are computed from membership.
COMPUTED_ABSENCE = ("unga", "unga-c3")
#: The permanent members of the Security Council (the USSR's seat passed to Russia in 1991).
PERMANENT = ("CHN", "FRA", "GBR", "RUS", "SUN", "USA")


def members_at(session: Session, body: str, day: dt.date) -> set[str] | None:
    """Members of ``body`` on ``day``, or None where the store cannot say (then only recorded
    absences count). The General Assembly: the UN's members on that day (``core.groups``)."""
    if body not in COMPUTED_ABSENCE:
        return None
    from rightsdesk.core.groups import members_at as grouping_members_at

    return set(grouping_members_at(session, "UN", day))


def absent_members(session: Session, rc: RollCall, voted: set[str]) -> list[str]:
    """Members on the roll call's date with no recorded vote (sorted)."""
    members = members_at(session, rc.body, rc.date)
    return sorted(members - voted) if members is not None else []


def _roll_call_of(session: Session, res: Resolution) -> RollCall | None:
    calls = list(session.scalars(select(RollCall).where(RollCall.resolution_id == res.id)))
    whole = [c for c in calls if not c.is_paragraph and not c.is_amendment] or calls
    return max(whole, key=lambda c: (c.date, c.id)) if whole else None


def show_resolution(session: Session, text: str) -> dict[str, Any]:
    """The ``votes show`` object: symbol, title, date, body, session, totals (yes, no,
    abstain, absent), every member's vote (absences included) and provenance."""
    res = find_resolution(session, text)
    if res is None:
        raise NotFoundError(
            f"no resolution {text!r} in the store (try the UN symbol, e.g. A/RES/68/262, "
            "A/HRC/RES/46/1 or S/RES/2334 (2016))"
        )
    rc = _roll_call_of(session, res)
    votes: dict[str, str] = {}
    if rc is not None:
        rows = session.execute(
            select(StateVote.iso3, StateVote.vote).where(StateVote.roll_call_id == rc.id)
        )
        votes = {str(i): str(v) for i, v in rows if v != "non-member"}
        for iso3 in absent_members(session, rc, set(votes)):
            votes[iso3] = "absent"
    totals = {k: sum(1 for v in votes.values() if v == k) for k in ("yes", "no", "abstain")}
    totals["absent"] = sum(1 for v in votes.values() if v == "absent")
    session_label = None
    if rc is not None:
        session_label = rc.session
    return {
        "symbol": res.symbol,
        "title": res.title,
        "date": iso_date(rc.date if rc is not None else res.date),
        "body": res.body,
        "session": session_label,
        "totals": totals,
        "votes": [{"iso3": k, "vote": votes[k]} for k in sorted(votes)],
        "provenance": _provenance(session, res, rc),
    }


def _provenance(session: Session, res: Resolution, rc: RollCall | None) -> dict[str, Any]:
    """The datasets behind this resolution's row and readings, and the latest date they hold."""
    ids = {res.dataset_id, rc.dataset_id if rc else None}
    if rc is not None:
        ids |= set(
            session.scalars(
                select(VoteReading.dataset_id).where(VoteReading.roll_call_id == rc.id).distinct()
            )
        )
        ids |= set(
            session.scalars(
                select(StateVote.dataset_id).where(StateVote.roll_call_id == rc.id).distinct()
            )
        )
    wanted = sorted(i for i in ids if i)
    found = list(session.scalars(select(Dataset).where(Dataset.id.in_(wanted)))) if wanted else []
    ends = [d.period_end for d in found if d.period_end]
    return {
        "datasets": [
            {"kind": d.kind, "file": d.file_name, "imported": f"{d.imported_at:%Y-%m-%d}"}
            for d in found
        ],
        "latest": iso_date(max(ends)) if ends else None,
    }


def coverage(session: Session) -> list[dict[str, Any]]:
    """Per body, the first and last roll-call dates and the count: what the list page's
    header says ("General Assembly: 1946-01-.. to 2021-12-30")."""
    stmt = select(RollCall.body, func.min(RollCall.date), func.max(RollCall.date), func.count())
    rows = session.execute(stmt.group_by(RollCall.body)).all()
    return [
        {
            "body": str(body),
            "name": BODIES.get(str(body), str(body)),
            "first": iso_date(first),
            "last": iso_date(last),
            "roll_calls": int(n),
        }
        for body, first, last, n in sorted(rows, key=lambda r: str(r[0]))
    ]


def vetoes(session: Session) -> list[dict[str, Any]]:
    """Security Council drafts not adopted on which a permanent member voted no."""
    stmt = (
        select(Resolution.symbol, Resolution.title, RollCall.date, RollCall.id, StateVote.iso3)
        .join(RollCall, RollCall.resolution_id == Resolution.id)
        .join(StateVote, StateVote.roll_call_id == RollCall.id)
        .where(
            Resolution.body == "unsc",
            Resolution.adoption == "not-adopted",
            StateVote.vote == "no",
            StateVote.iso3.in_(PERMANENT),
        )
        .order_by(RollCall.date.desc())
    )
    out: dict[int, dict[str, Any]] = {}
    for symbol, title, day, rc, iso3 in session.execute(stmt):
        row = out.setdefault(
            int(rc),
            {
                "roll_call_id": int(rc),
                "symbol": symbol,
                "title": title,
                "date": iso_date(day),
                "vetoed_by": [],
            },
        )
        row["vetoed_by"].append(str(iso3))
    from rightsdesk.negotiation.votes.veto_list import merge_listed_vetoes

    return merge_listed_vetoes(session, list(out.values()))


def council_page(session: Session) -> dict[str, Any]:
    """What ``/votes/security-council`` shows: coverage, vetoes per permanent member (where
    the data holds failed drafts) and the latest resolutions."""
    found = vetoes(session)
    per_member = {p: 0 for p in PERMANENT}
    for v in found:
        for p in v["vetoed_by"]:
            per_member[p] += 1
    latest = session.execute(
        select(Resolution, RollCall)
        .outerjoin(RollCall, RollCall.resolution_id == Resolution.id)
        .where(Resolution.body == "unsc")
        .order_by(func.coalesce(RollCall.date, Resolution.date).desc(), Resolution.id.desc())
        .limit(50)
    ).all()
    return {
        "coverage": [c for c in coverage(session) if c["body"] == "unsc"],
        "vetoes": found,
        "per_member": per_member,
        "resolutions": [
            {
                "roll_call_id": rc.id if rc else None,
                "symbol": res.symbol,
                "title": res.title,
                "date": iso_date(rc.date if rc else res.date),
                "adoption": res.adoption,
                "totals": [rc.yes_official, rc.no_official, rc.abstain_official] if rc else None,
            }
            for res, rc in latest
        ],
    }
