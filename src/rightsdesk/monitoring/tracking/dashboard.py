"""Reading implementation tracking: a state's dashboard, overdue actions, a record as the API
shows it. Changes go through ``tracking.service``."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rightsdesk.core.states import State, get_state
from rightsdesk.monitoring.recommendations.models import Cluster, ClusterMember, Recommendation
from rightsdesk.monitoring.tracking.models import (
    IMPLEMENTATION_STATUSES,
    ImplementationRecord,
    PlannedAction,
)
from rightsdesk.monitoring.tracking.schemas import (
    ActionOut,
    DashboardOut,
    IndicatorOut,
    OverdueOut,
    RecordOut,
    ReportOut,
    StateRef,
    TimelineOut,
)
from rightsdesk.monitoring.tracking.service import get_record

__all__ = [
    "Dashboard",
    "ImplementationPage",
    "TimelineEvent",
    "cluster_records",
    "dashboard",
    "dashboard_view",
    "implementation_page",
    "overdue_actions",
    "record_view",
    "saved_record",
]

# A record with everything the pages and the API show of it, in three extra statements.
RECORD_PARTS = (
    selectinload(ImplementationRecord.actions),
    selectinload(ImplementationRecord.indicators),
    selectinload(ImplementationRecord.reports),
)


def overdue_actions(
    session: Session, state_iso3: str | None = None, today: dt.date | None = None
) -> list[PlannedAction]:
    """Planned actions past their due date and not done, oldest first."""
    today = today or dt.date.today()
    stmt = (
        select(PlannedAction)
        .join(ImplementationRecord)
        .where(
            PlannedAction.done.is_(False),
            PlannedAction.due_date.is_not(None),
            PlannedAction.due_date < today,
        )
        .order_by(PlannedAction.due_date, PlannedAction.id)
    )
    if state_iso3:
        stmt = stmt.where(ImplementationRecord.state_iso3 == state_iso3)
    return list(session.scalars(stmt))


@dataclass
class TimelineEvent:
    date: dt.date
    kind: str  # 'report' | 'due' | 'done' | 'status'
    text: str
    record_id: int
    overdue: bool = False


@dataclass
class Dashboard:
    """One state's implementation picture."""

    state_iso3: str
    received: int  # recommendations the state received
    status_counts: dict[str, int] = field(default_factory=dict)
    untracked: int = 0
    overdue: list[PlannedAction] = field(default_factory=list)
    records: list[ImplementationRecord] = field(default_factory=list)
    timeline: list[TimelineEvent] = field(default_factory=list)


def dashboard(session: Session, state_iso3: str, today: dt.date | None = None) -> Dashboard:
    """Status counts (with the recommendations not yet tracked), overdue actions, timeline."""
    today = today or dt.date.today()
    received = int(
        session.scalar(select(func.count()).where(Recommendation.state_iso3 == state_iso3)) or 0
    )
    records = list(
        session.scalars(
            select(ImplementationRecord)
            .where(ImplementationRecord.state_iso3 == state_iso3)
            .options(*RECORD_PARTS)
            .order_by(ImplementationRecord.updated_at.desc())
        )
    )
    counts = Counter(r.status for r in records)
    covered: set[int] = {r.recommendation_id for r in records if r.recommendation_id}
    cluster_ids = [r.cluster_id for r in records if r.cluster_id]
    if cluster_ids:
        covered |= set(
            session.scalars(
                select(ClusterMember.recommendation_id)
                .join(Recommendation, Recommendation.id == ClusterMember.recommendation_id)
                .where(
                    ClusterMember.cluster_id.in_(cluster_ids),
                    Recommendation.state_iso3 == state_iso3,
                )
            )
        )
    timeline: list[TimelineEvent] = []
    for record in records:
        timeline.append(TimelineEvent(record.updated_at.date(), "status", record.status, record.id))
        for report in record.reports:
            timeline.append(TimelineEvent(report.date, "report", report.text, record.id))
        for action in record.actions:
            if action.due_date is not None:
                late = not action.done and action.due_date < today
                kind = "done" if action.done else "due"
                timeline.append(
                    TimelineEvent(action.due_date, kind, action.description, record.id, late)
                )
    timeline.sort(key=lambda e: (e.date, e.record_id), reverse=True)
    return Dashboard(
        state_iso3=state_iso3,
        received=received,
        status_counts={s: counts.get(s, 0) for s in IMPLEMENTATION_STATUSES},
        untracked=max(0, received - len(covered)),
        overdue=overdue_actions(session, state_iso3, today),
        records=records,
        timeline=timeline,
    )


def record_view(record: ImplementationRecord, today: dt.date | None = None) -> RecordOut:
    """The record with its actions, indicators and reports, as the JSON API returns it."""
    today = today or dt.date.today()
    return RecordOut(
        id=record.id,
        state_iso3=record.state_iso3,
        recommendation_id=record.recommendation_id,
        cluster_id=record.cluster_id,
        status=record.status,
        responsible_institutions=record.responsible_institutions,
        notes=record.notes,
        updated_by=record.updated_by,
        updated_at=record.updated_at.isoformat(),
        actions=[
            ActionOut(
                id=a.id,
                description=a.description,
                due_date=a.due_date,
                done=a.done,
                overdue=bool(not a.done and a.due_date and a.due_date < today),
            )
            for a in record.actions
        ],
        indicators=[IndicatorOut.model_validate(i) for i in record.indicators],
        reports=[
            ReportOut(
                id=r.id,
                date=r.date,
                text=r.text,
                evidence_links=(r.evidence_links or "").splitlines(),
                author=r.author,
            )
            for r in record.reports
        ],
    )


def saved_record(session: Session, record_id: int) -> RecordOut:
    """Commit the caller's change, then the record as it now stands (API writes)."""
    session.commit()
    record = get_record(session, record_id)
    session.refresh(record)
    return record_view(record)


def dashboard_view(session: Session, code: str) -> DashboardOut:
    """A state's dashboard (``code``: a name or code the resolver knows) for the JSON API."""
    state = get_state(session, code)
    board = dashboard(session, state.iso3)
    return DashboardOut(
        state=StateRef(iso3=state.iso3, name=state.name),
        received=board.received,
        status_counts=board.status_counts,
        untracked=board.untracked,
        overdue=[OverdueOut.model_validate(a) for a in board.overdue],
        records=[record_view(r) for r in board.records],
        timeline=[TimelineOut.model_validate(e) for e in board.timeline],
    )


@dataclass
class ImplementationPage:
    """What the implementation page of a state shows."""

    state: State
    board: Dashboard
    labels: dict[int, str]  # record id -> the beginning of its text


def implementation_page(session: Session, code: str) -> ImplementationPage:
    state = get_state(session, code)
    board = dashboard(session, state.iso3)
    return ImplementationPage(state, board, _record_labels(session, board.records))


def _record_labels(session: Session, records: list[ImplementationRecord]) -> dict[int, str]:
    """A short text per record: the recommendation's or the cluster's beginning."""
    rec_ids = [r.recommendation_id for r in records if r.recommendation_id]
    cl_ids = [r.cluster_id for r in records if r.cluster_id]
    texts = (
        dict(
            session.execute(
                select(Recommendation.id, Recommendation.text).where(Recommendation.id.in_(rec_ids))
            ).all()
        )
        if rec_ids
        else {}
    )
    labels = (
        dict(session.execute(select(Cluster.id, Cluster.label).where(Cluster.id.in_(cl_ids))).all())
        if cl_ids
        else {}
    )
    out = {}
    for r in records:
        raw = texts.get(r.recommendation_id or 0) or labels.get(r.cluster_id or 0) or ""
        out[r.id] = raw if len(raw) <= 140 else raw[:137] + "…"
    return out


def cluster_records(session: Session, cluster_id: int) -> list[ImplementationRecord]:
    """Every state's record of a cluster, with their actions, indicators and reports."""
    stmt = (
        select(ImplementationRecord)
        .where(ImplementationRecord.cluster_id == cluster_id)
        .options(*RECORD_PARTS)
    )
    return list(session.scalars(stmt))
