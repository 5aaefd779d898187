"""What the vote pages and the JSON API ask of the store: lists of resolutions and roll calls,
one roll call with every state's vote, a bloc's cohesion (a state's votes are in ``profile``).

Pure functions over the session; they return plain data (dicts of JSON values) that the routes
render as pages or return through the API's response models, and the analyses of ``agreement``
over ``frames.vote_frame``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from rightsdesk.core.cache import NOT_VOTES, cached
from rightsdesk.core.errors import NotFoundError
from rightsdesk.core.periods import iso_date, year_range
from rightsdesk.core.provenance import Dataset
from rightsdesk.core.states import (
    State,
    group_members,
    list_groupings,
    membership_frame,
    regional_group_map,
    resolve_group,
)
from rightsdesk.negotiation.votes import agreement as ag
from rightsdesk.negotiation.votes.frames import (
    BODY_CHOICES,
    body_codes,
    frame_records,
)
from rightsdesk.negotiation.votes.models import (
    BODIES,
    ISSUES,
    VOTE_VALUES,
    Resolution,
    RollCall,
    RollCallIssue,
    StateVote,
    VoteSession,
)
from rightsdesk.negotiation.votes.showing import absent_members, coverage, members_at
from rightsdesk.negotiation.votes.symbols import find_resolution, lookup_keys

__all__ = ["find_resolution"]  # the forecast's ``--like`` lookup uses it too

PAGE_SIZE = 50
COUNTED = ("yes", "no", "abstain", "absent")


@dataclass(frozen=True)
class VoteQuery:
    """Filters of the list of resolutions and roll calls (``/votes``, ``/api/v1/votes``)."""

    body: str = "all"
    session: int | None = None
    issue: str | None = None
    q: str | None = None
    page: int = 1


@dataclass(frozen=True)
class VoteScope:
    """Which votes an agreement or cohesion figure is computed on."""

    body: str = "unga"
    issue: str | None = None
    from_year: int | None = None
    to_year: int | None = None

    def years(self) -> tuple[int, int] | None:
        return year_range(self.from_year, self.to_year)

    def votes(self, session: Session, states: list[str] | None = None) -> pd.DataFrame:
        return ag.load_votes(session, self.body, self.issue or None, self.years(), states)


def _state_names(session: Session) -> dict[str, str]:
    return {s.iso3: s.name for s in session.scalars(select(State))}


def _datasets(session: Session, ids: list[int | None]) -> list[Dataset]:
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return []
    return list(session.scalars(select(Dataset).where(Dataset.id.in_(wanted))))


# --- resolutions and roll calls ----------------------------------------------------------------


def _list_query(
    body: str, session_no: int | None, issue: str | None, q: str | None
) -> Select[*tuple[Any, ...]]:
    stmt = (
        select(Resolution, RollCall)
        .outerjoin(RollCall, RollCall.resolution_id == Resolution.id)
        .where(Resolution.body.in_(body_codes(body)))
    )
    if session_no is not None:
        stmt = stmt.where(RollCall.session == session_no)
    if issue:
        tagged = select(RollCallIssue.roll_call_id).where(RollCallIssue.issue == issue.lower())
        stmt = stmt.where(RollCall.id.in_(tagged))
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(
            or_(
                Resolution.symbol_key.in_(lookup_keys(q)),
                Resolution.title.ilike(like),
                Resolution.symbol.ilike(like),
                Resolution.main_sponsors.ilike(like),
                RollCall.description.ilike(like),
            )
        )
    return stmt


def _totals(session: Session, ids: list[int]) -> dict[int, dict[str, int]]:
    """Recorded vote counts per roll call id."""
    if not ids:
        return {}
    stmt = (
        select(StateVote.roll_call_id, StateVote.vote, func.count())
        .where(StateVote.roll_call_id.in_(ids))
        .group_by(StateVote.roll_call_id, StateVote.vote)
    )
    out: dict[int, dict[str, int]] = {}
    for rc, vote, n in session.execute(stmt):
        out.setdefault(int(rc), {})[str(vote)] = int(n)
    return out


def _issues(session: Session, ids: list[int]) -> dict[int, list[str]]:
    if not ids:
        return {}
    stmt = select(RollCallIssue.roll_call_id, RollCallIssue.issue).where(
        RollCallIssue.roll_call_id.in_(ids)
    )
    out: dict[int, list[str]] = {}
    for rc, issue in session.execute(stmt):
        out.setdefault(int(rc), []).append(str(issue))
    return {k: sorted(v) for k, v in out.items()}


def _add_absent(session: Session, rc: RollCall, counts: dict[str, int]) -> None:
    """Members at the date who cast no recorded vote count as absent (GA: unvotes drops them)."""
    if not counts:
        return
    members = members_at(session, rc.body, rc.date)
    if members is not None:
        voted = sum(counts.get(k, 0) for k in COUNTED)
        counts["absent"] = counts.get("absent", 0) + max(0, len(members) - voted)


def roll_call_row(
    res: Resolution, rc: RollCall | None, counts: dict[str, int], issues: list[str]
) -> dict[str, Any]:
    """One row of the list: the resolution, and its roll call where there was one."""
    official = None
    if rc is not None and rc.yes_official is not None:
        official = {"yes": rc.yes_official, "no": rc.no_official, "abstain": rc.abstain_official}
    elif res.yes_official is not None:
        official = {
            "yes": res.yes_official,
            "no": res.no_official,
            "abstain": res.abstain_official,
        }
    return {
        "roll_call_id": rc.id if rc else None,
        "resolution_id": res.id,
        "body": res.body,
        "session": rc.session if rc else None,
        "date": iso_date(rc.date if rc else res.date),
        "symbol": res.symbol,
        "title": res.title,
        "adoption": res.adoption,
        "is_amendment": bool(rc.is_amendment) if rc else None,
        "is_paragraph": bool(rc.is_paragraph) if rc else None,
        "issues": issues,
        "official": official,
        "recorded": {k: counts.get(k, 0) for k in COUNTED} if rc else None,
        "dataset_id": rc.dataset_id if rc else res.dataset_id,
    }


def list_votes(session: Session, query: VoteQuery) -> dict[str, Any]:
    """A page of resolutions/roll calls, newest first: ``{total, page, page_size, items}``."""
    stmt = _list_query(query.body, query.session, query.issue or None, query.q or None)
    total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    page = max(1, query.page)
    rows = session.execute(
        stmt.order_by(
            func.coalesce(RollCall.date, Resolution.date).desc(),
            Resolution.id.desc(),
            RollCall.id.desc(),
        )
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    ids = [rc.id for _res, rc in rows if rc is not None]
    counts = _totals(session, ids)
    for _res, rc in rows:
        if rc is not None:
            _add_absent(session, rc, counts.setdefault(rc.id, {}))
    issues = _issues(session, ids)
    items = [
        roll_call_row(
            res, rc, counts.get(rc.id, {}) if rc else {}, issues.get(rc.id, []) if rc else []
        )
        for res, rc in rows
    ]
    _label_sessions_without_roll_call(session, rows, items)
    return {"total": total, "page": page, "page_size": PAGE_SIZE, "items": items}


def _label_sessions_without_roll_call(
    session: Session, rows: Any, items: list[dict[str, Any]]
) -> None:
    """Texts adopted without a vote have no roll call, so no roll-call session: show their
    resolution's session label instead of a blank cell (issue 10)."""
    wanted = {res.session_id for res, rc in rows if rc is None and res.session_id is not None}
    if not wanted:
        return
    stmt = select(VoteSession.id, VoteSession.label).where(VoteSession.id.in_(wanted))
    labels = {sid: label for sid, label in session.execute(stmt)}
    for (res, rc), item in zip(rows, items, strict=True):
        if rc is None and item["session"] is None:  # a label ("S-38"), so not the API's int
            item["session_label"] = labels.get(res.session_id)


def votes_page(session: Session, query: VoteQuery) -> dict[str, Any]:
    """What ``/votes`` shows: a page of the list, the filters and their choices."""
    found = list_votes(session, query)
    return {
        "rows": found["items"],
        "total": found["total"],
        "page": found["page"],
        "pages": max(1, -(-found["total"] // PAGE_SIZE)),
        "filters": {
            "body": query.body,
            "session": query.session,
            "issue": query.issue or "",
            "q": query.q or "",
        },
        "bodies": BODY_CHOICES,
        "body_names": BODIES,
        "issues": ISSUES,
        "coverage": coverage(session),
    }


def roll_call_detail(session: Session, roll_call_id: int) -> dict[str, Any]:
    """A roll call with its resolution, every state's vote and counts by regional group."""
    rc = session.get(RollCall, roll_call_id)
    if rc is None:
        raise NotFoundError(f"no roll call {roll_call_id}")
    res = session.get(Resolution, rc.resolution_id)
    assert res is not None  # foreign key
    counts = _totals(session, [rc.id]).get(rc.id, {})
    names = _state_names(session)
    regions = regional_group_map(session)
    recorded = {
        v.iso3: v.vote
        for v in session.scalars(select(StateVote).where(StateVote.roll_call_id == rc.id))
    }
    if recorded:
        for iso3 in absent_members(session, rc, set(recorded)):
            recorded[iso3] = "absent"
            counts["absent"] = counts.get("absent", 0) + 1
    row = roll_call_row(res, rc, counts, _issues(session, [rc.id]).get(rc.id, []))
    votes = [
        {
            "iso3": iso3,
            "state": names.get(iso3, iso3),
            "vote": vote,
            "group": regions.get(iso3, "other"),
        }
        for iso3, vote in recorded.items()
    ]
    votes.sort(key=lambda v: (VOTE_VALUES.index(v["vote"]), v["state"]))
    by_group: dict[str, dict[str, int]] = {}
    for v in votes:
        by_group.setdefault(v["group"], {k: 0 for k in VOTE_VALUES})[v["vote"]] += 1
    row.update(
        {
            "description": rc.description,
            "source": rc.source,
            "source_id": rc.source_id,
            "agenda_item": res.agenda_item,
            "agenda_title": res.agenda_title,
            "main_sponsors": res.main_sponsors,
            "subject": res.subject,
            "url": res.url,
            "votes": votes,
            "by_group": [{"group": g, **c} for g, c in sorted(by_group.items())],
        }
    )
    return row


def roll_call_page(session: Session, roll_call_id: int) -> dict[str, Any]:
    """What ``/votes/ID`` shows: the roll call, the names of bodies and issues, its source."""
    detail = roll_call_detail(session, roll_call_id)
    return {
        "rc": detail,
        "body_names": BODIES,
        "issues": ISSUES,
        "datasets": _datasets(session, [detail["dataset_id"]]),
    }


# --- blocs -----------------------------------------------------------------------------------


def _bloc(
    session: Session, group: str, scope: VoteScope
) -> tuple[str, list[str], pd.DataFrame, pd.DataFrame]:
    """A group's code, its members today, its membership periods, and the votes its members
    cast while members (``core.groups``: each vote checked against the roll call's date)."""
    code = resolve_group(session, group).code
    periods = membership_frame(session, code)
    ever = sorted(set(periods["iso3"]))
    frame = scope.votes(session, ever)
    if not frame.empty:
        frame = ag.at_membership(frame, periods)
    return code, group_members(session, code), periods, frame


def cohesion_report(session: Session, group: str, scope: VoteScope) -> dict[str, Any]:
    """A group's cohesion per year (Hix-Noury-Roland index, with the number of members at the
    dates of the year's votes) and its members' defection rates while members."""
    code, members, periods, frame = _bloc(session, group, scope)
    per_year, defect = ag.cohesion_and_defections(frame, periods)
    return {
        "group": code,
        "members": members,
        "cohesion": frame_records(per_year),
        "defectors": frame_records(defect),
    }


def bloc_page(session: Session, group: str, scope: VoteScope) -> dict[str, Any]:
    """What ``/blocs`` shows: a group's cohesion per year and its top 20 defectors; an empty
    table (not an error) when the group cast no vote in the chosen roll calls. Computed once
    per data version (``core.cache``)."""
    return cached(
        session,
        "bloc_page",
        (group, scope),
        lambda: _bloc_page(session, group, scope),
        edits=False,
        ignore=NOT_VOTES,
    )


def _bloc_page(session: Session, group: str, scope: VoteScope) -> dict[str, Any]:
    code, members, periods, frame = _bloc(session, group, scope)
    ever = sorted(set(periods["iso3"]))
    per_year = ag.cohesion(frame, ever, "year", periods) if not frame.empty else pd.DataFrame()
    defect = ag.defections(frame, ever).head(20) if not frame.empty else pd.DataFrame()
    return {
        "group": code,
        "groups": list_groupings(session),
        "members": members,
        "names": _state_names(session),
        "filters": {
            "group": code,
            "body": scope.body,
            "issue": scope.issue or "",
            "from_year": scope.from_year or "",
            "to_year": scope.to_year or "",
        },
        "bodies": BODY_CHOICES,
        "issues": ISSUES,
        "per_year": frame_records(per_year) if not per_year.empty else [],
        "defectors": frame_records(defect) if not defect.empty else [],
    }
