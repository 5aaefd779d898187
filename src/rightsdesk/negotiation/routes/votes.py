"""UN votes pages and JSON API: resolutions and roll calls, a state's voting profile, blocs.

Pages read without JavaScript (filters are GET forms, every chart has a table beside it);
charts are Vega-Lite specs made with Altair, drawn by the vendored vega-embed through
``/static/charts.js``. Listing and reading votes needs the viewer role; the bloc analysis over
the whole vote history and the agreement/cohesion API (heavier computations) need analyst.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from rightsdesk.core.errors import InputError, NotFoundError
from rightsdesk.core.provenance import Dataset
from rightsdesk.core.states import Grouping, State, get_state, group_members, resolve_state
from rightsdesk.negotiation import agreement as ag
from rightsdesk.negotiation.models.votes import (
    BODIES,
    ISSUES,
    Resolution,
    RollCall,
    RollCallIssue,
    StateVote,
)
from rightsdesk.negotiation.votes_data import BODY_CHOICES, body_codes, vote_frame
from rightsdesk.reports.maps import vote_map_spec
from rightsdesk.web.deps import Analyst, DbSession, Viewer, render
from rightsdesk.web.panels import Panel, register_state_panel

router = APIRouter()

PAGE_SIZE = 50
REGIONAL_GROUPS = ("UN-AFRICA", "UN-APG", "UN-EEG", "UN-GRULAC", "UN-WEOG")
DEFAULT_PARTNERS = ("USA", "CHN", "RUS", "BRA", "IND", "ZAF", "FRA")
VOTE_ORDER = ("yes", "no", "abstain", "absent", "non-member")


def _script_json(data: object) -> str:
    """JSON safe to embed in a ``<script type="application/json">`` element."""
    return json.dumps(data, default=str).replace("</", "<\\/")


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Plain Python values (numpy's and NaN do not serialise to JSON)."""
    out: list[dict[str, Any]] = json.loads(frame.to_json(orient="records", date_format="iso"))
    return out


def _years(first: int | None, last: int | None) -> tuple[int, int] | None:
    if first is None and last is None:
        return None
    low, high = first or 1900, last or 2100
    if low > high:
        raise InputError(f"from_year {low} is after to_year {high}", field="from_year")
    return low, high


def _measure(value: str) -> ag.Measure:
    if value == "voeten":
        return "voeten"
    if value == "coincidence":
        return "coincidence"
    raise InputError(f"unknown measure {value!r}; choose coincidence or voeten", field="measure")


def regional_group_of(session: Session) -> dict[str, str]:
    """ISO3 -> UN regional group code (current membership)."""
    out: dict[str, str] = {}
    for code in REGIONAL_GROUPS:
        for iso3 in group_members(session, code):
            out[iso3] = code
    return out


# --- queries ----------------------------------------------------------------------------------


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


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


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
        "date": _iso(rc.date if rc else res.date),
        "symbol": res.symbol,
        "title": res.title,
        "adoption": res.adoption,
        "is_amendment": bool(rc.is_amendment) if rc else None,
        "is_paragraph": bool(rc.is_paragraph) if rc else None,
        "issues": issues,
        "official": official,
        "recorded": {k: counts.get(k, 0) for k in ("yes", "no", "abstain", "absent")}
        if rc
        else None,
        "dataset_id": rc.dataset_id if rc else res.dataset_id,
    }


def list_votes(
    session: Session,
    body: str = "all",
    session_no: int | None = None,
    issue: str | None = None,
    q: str | None = None,
    page: int = 1,
) -> tuple[list[dict[str, Any]], int]:
    """A page of resolutions/roll calls (newest first) and the number of matches."""
    stmt = _list_query(body, session_no, issue, q)
    total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    page = max(1, page)
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
    issues = _issues(session, ids)
    return [
        roll_call_row(
            res, rc, counts.get(rc.id, {}) if rc else {}, issues.get(rc.id, []) if rc else []
        )
        for res, rc in rows
    ], total


def roll_call_detail(session: Session, roll_call_id: int) -> dict[str, Any]:
    """A roll call with its resolution, every state's vote and counts by regional group."""
    rc = session.get(RollCall, roll_call_id)
    if rc is None:
        raise NotFoundError(f"no roll call {roll_call_id}")
    res = session.get(Resolution, rc.resolution_id)
    assert res is not None  # foreign key
    counts = _totals(session, [rc.id]).get(rc.id, {})
    row = roll_call_row(res, rc, counts, _issues(session, [rc.id]).get(rc.id, []))
    names = {s.iso3: s.name for s in session.scalars(select(State))}
    regions = regional_group_of(session)
    votes = [
        {
            "iso3": v.iso3,
            "state": names.get(v.iso3, v.iso3),
            "vote": v.vote,
            "group": regions.get(v.iso3, "other"),
        }
        for v in session.scalars(select(StateVote).where(StateVote.roll_call_id == rc.id))
    ]
    votes.sort(key=lambda v: (VOTE_ORDER.index(v["vote"]), v["state"]))
    by_group: dict[str, dict[str, int]] = {}
    for v in votes:
        by_group.setdefault(v["group"], {k: 0 for k in VOTE_ORDER})[v["vote"]] += 1
    row.update(
        {
            "description": rc.description,
            "source": rc.source,
            "source_id": rc.source_id,
            "agenda_item": res.agenda_item,
            "agenda_title": res.agenda_title,
            "main_sponsors": res.main_sponsors,
            "url": res.url,
            "votes": votes,
            "by_group": [{"group": g, **c} for g, c in sorted(by_group.items())],
        }
    )
    return row


def group_chart_spec(by_group: list[dict[str, Any]]) -> dict[str, Any]:
    """Stacked bars: how each regional group voted."""
    import altair as alt

    long = pd.DataFrame(
        [
            {"group": g["group"], "vote": k, "states": g[k]}
            for g in by_group
            for k in ("yes", "no", "abstain", "absent")
            if g[k]
        ]
    )
    chart = (
        alt.Chart(long, title="Votes by UN regional group")
        .mark_bar()
        .encode(
            y=alt.Y("group:N", title=None),
            x=alt.X("states:Q", title="states"),
            color=alt.Color(
                "vote:N",
                scale=alt.Scale(
                    domain=["yes", "no", "abstain", "absent"],
                    range=["#2e7d32", "#c62828", "#f9a825", "#9e9e9e"],
                ),
            ),
            tooltip=["group:N", "vote:N", "states:Q"],
        )
        .properties(width="container", height=180)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def line_chart_spec(
    frame: pd.DataFrame, x: str, y: str, color: str | None, title: str
) -> dict[str, Any]:
    """A line chart of ``y`` over ``x`` (one line per ``color``)."""
    import altair as alt

    enc: dict[str, Any] = {
        "x": alt.X(f"{x}:Q", title=x, axis=alt.Axis(format="d")),
        "y": alt.Y(f"{y}:Q", title=y, scale=alt.Scale(domain=[0, 1])),
        "tooltip": [f"{x}:Q", f"{y}:Q"] + ([f"{color}:N"] if color else []),
    }
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=color)
    chart = (
        alt.Chart(frame[[c for c in (x, y, color) if c]], title=title)
        .mark_line(point=True)
        .encode(**enc)
        .properties(width="container", height=280)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


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
        for k in VOTE_ORDER:
            e.setdefault(k, 0)
        e["first"], e["last"] = _iso(e["first"]), _iso(e["last"])
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
            "date": _iso(rc.date),
            "body": rc.body,
            "symbol": res.symbol,
            "title": res.title,
            "is_amendment": rc.is_amendment,
            "vote": vote,
        }
        for rc, res, vote in session.execute(stmt)
    ]


def _partners(with_: list[str] | None, iso3: str) -> list[str]:
    if with_:
        chosen = [resolve_state(p) for raw in with_ for p in raw.split(",") if p.strip()]
    else:
        chosen = list(DEFAULT_PARTNERS)
    return [p for p in dict.fromkeys(chosen) if p != iso3]


def _group_code(session: Session, code: str) -> str:
    codes = {g.code.upper(): g.code for g in session.scalars(select(Grouping))}
    found = codes.get(code.strip().upper())
    if found is None:
        raise NotFoundError(f"unknown group {code!r}; known groups: {', '.join(sorted(codes))}")
    return found


def _datasets(session: Session, ids: list[int | None]) -> list[Dataset]:
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return []
    return list(session.scalars(select(Dataset).where(Dataset.id.in_(wanted))))


# --- pages ------------------------------------------------------------------------------------

BodyQ = Annotated[str, Query(description=f"One of {', '.join(BODY_CHOICES)}")]


@router.get("/votes", include_in_schema=False)
def votes_page(
    request: Request,
    db: DbSession,
    user: Viewer,
    body: BodyQ = "all",
    session: int | None = None,
    issue: str | None = None,
    q: str | None = None,
    page: int = 1,
) -> Response:
    rows, total = list_votes(db, body, session, issue or None, q or None, page)
    return render(
        request,
        "negotiation/votes.html",
        user,
        rows=rows,
        total=total,
        page=max(1, page),
        pages=max(1, -(-total // PAGE_SIZE)),
        filters={"body": body, "session": session, "issue": issue or "", "q": q or ""},
        bodies=BODY_CHOICES,
        body_names=BODIES,
        issues=ISSUES,
    )


@router.get("/votes/{roll_call_id}", include_in_schema=False)
def vote_page(request: Request, db: DbSession, user: Viewer, roll_call_id: int) -> Response:
    detail = roll_call_detail(db, roll_call_id)
    spec = group_chart_spec(detail["by_group"]) if detail["votes"] else None
    map_spec = (
        vote_map_spec(
            {v["iso3"]: v["vote"] for v in detail["votes"]},
            "Votes by state",
            names={v["iso3"]: v["state"] for v in detail["votes"]},
        )
        if detail["votes"]
        else None
    )
    return render(
        request,
        "negotiation/vote.html",
        user,
        map_json=_script_json(map_spec) if map_spec else None,
        rc=detail,
        body_names=BODIES,
        issues=ISSUES,
        spec_json=_script_json(spec) if spec else None,
        datasets=_datasets(db, [detail["dataset_id"]]),
    )


@router.get("/states/{code}/votes", include_in_schema=False)
def state_votes_page(
    request: Request,
    db: DbSession,
    user: Viewer,
    code: str,
    with_: Annotated[list[str] | None, Query(alias="with")] = None,
    body: BodyQ = "unga",
    issue: str | None = None,
    measure: str = "coincidence",
) -> Response:
    state = get_state(db, code)
    partners = _partners(with_, state.iso3)
    frame = vote_frame(db, body=body, issue=issue or None, states=[state.iso3, *partners])
    chosen = _measure(measure)
    over_time = pd.DataFrame()
    if not frame.empty and state.iso3 in set(frame["iso3"]):
        over_time = ag.agreement_over_time(frame, state.iso3, partners, chosen)
    spec = None
    if not over_time.empty:
        spec = line_chart_spec(
            over_time, "year", "agreement", "partner", f"{state.name}: agreement ({chosen})"
        )
    overall = (
        ag.agreement_with(frame, state.iso3, partners, chosen)
        if state.iso3 in set(frame["iso3"])
        else pd.DataFrame()
    )
    return render(
        request,
        "negotiation/vote_state.html",
        user,
        state=state,
        partners=partners,
        filters={"body": body, "issue": issue or "", "measure": chosen, "with": ",".join(partners)},
        bodies=BODY_CHOICES,
        issues=ISSUES,
        summary=state_vote_summary(db, state.iso3),
        overall=_records(overall) if not overall.empty else [],
        over_time=_records(over_time) if not over_time.empty else [],
        spec_json=_script_json(spec) if spec else None,
        hr=hr_votes(db, state.iso3),
    )


@router.get("/blocs", include_in_schema=False)
def blocs_page(
    request: Request,
    db: DbSession,
    user: Analyst,
    group: str = "EU",
    body: BodyQ = "unga",
    issue: str | None = None,
    from_year: int | None = None,
    to_year: int | None = None,
) -> Response:
    code = _group_code(db, group)
    members = group_members(db, code)
    frame = ag.load_votes(db, body, issue or None, _years(from_year, to_year), members)
    per_year = ag.cohesion(frame, members) if not frame.empty else pd.DataFrame()
    defect = ag.defections(frame, members).head(20) if not frame.empty else pd.DataFrame()
    spec = None
    if not per_year.empty:
        spec = line_chart_spec(per_year, "year", "ai", None, f"{code}: cohesion (HNR index)")
    names = {s.iso3: s.name for s in db.scalars(select(State))}
    groups = list(db.scalars(select(Grouping).order_by(Grouping.kind, Grouping.code)))
    return render(
        request,
        "negotiation/blocs.html",
        user,
        group=code,
        groups=groups,
        members=members,
        names=names,
        filters={
            "group": code,
            "body": body,
            "issue": issue or "",
            "from_year": from_year or "",
            "to_year": to_year or "",
        },
        bodies=BODY_CHOICES,
        issues=ISSUES,
        per_year=_records(per_year) if not per_year.empty else [],
        defectors=_records(defect) if not defect.empty else [],
        spec_json=_script_json(spec) if spec else None,
    )


@register_state_panel
def votes_panel(session: Session, iso3: str) -> Panel | None:
    """The state page's UN votes section: how many votes per body, and a link to the profile."""
    return Panel(
        title="UN votes",
        template="negotiation/_state_votes.html",
        context={"iso3": iso3, "summary": state_vote_summary(session, iso3)},
        order=30,
    )


# --- JSON API ---------------------------------------------------------------------------------


@router.get("/api/v1/votes", tags=["votes"])
def api_votes(
    db: DbSession,
    user: Viewer,
    body: BodyQ = "all",
    session: int | None = None,
    issue: str | None = None,
    q: str | None = None,
    page: int = 1,
) -> dict[str, Any]:
    """Resolutions and their roll calls, newest first, 50 a page, with filters."""
    rows, total = list_votes(db, body, session, issue or None, q or None, page)
    return {"total": total, "page": max(1, page), "page_size": PAGE_SIZE, "items": rows}


@router.get("/api/v1/votes/{roll_call_id}", tags=["votes"])
def api_vote(db: DbSession, user: Viewer, roll_call_id: int) -> dict[str, Any]:
    """One roll call: its resolution, official and recorded totals, every state's vote."""
    return roll_call_detail(db, roll_call_id)


@router.get("/api/v1/states/{code}/agreement", tags=["votes"])
def api_state_agreement(
    db: DbSession,
    user: Analyst,
    code: str,
    with_: Annotated[list[str] | None, Query(alias="with")] = None,
    body: BodyQ = "unga",
    issue: str | None = None,
    from_year: int | None = None,
    to_year: int | None = None,
    measure: str = "coincidence",
    min_votes: int = 10,
) -> dict[str, Any]:
    """A state's agreement with partners (all states when ``with`` is absent), highest first."""
    state = get_state(db, code)
    partners = _partners(with_, state.iso3) if with_ else None
    frame = ag.state_agreement(
        db,
        state.iso3,
        partners,
        body,
        issue or None,
        _years(from_year, to_year),
        _measure(measure),
        min_votes,
    )
    return {
        "iso3": state.iso3,
        "measure": measure,
        "body": body,
        "issue": issue,
        "partners": _records(frame),
    }


@router.get("/api/v1/blocs/{group}/cohesion", tags=["votes"])
def api_bloc_cohesion(
    db: DbSession,
    user: Analyst,
    group: str,
    body: BodyQ = "unga",
    issue: str | None = None,
    from_year: int | None = None,
    to_year: int | None = None,
) -> dict[str, Any]:
    """A group's cohesion per year (Hix-Noury-Roland index) and its members' defection rates."""
    code = _group_code(db, group)
    members = group_members(db, code)
    per_year, defect = ag.group_cohesion(
        db, members, body, issue or None, _years(from_year, to_year)
    )
    return {
        "group": code,
        "members": members,
        "cohesion": _records(per_year),
        "defectors": _records(defect),
    }
