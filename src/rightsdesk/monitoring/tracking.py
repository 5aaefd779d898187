"""Implementation tracking of recommendations (what NRTD and IMPACT OSS do for governments).

A state follows either one recommendation or a cluster of identical ones through an
``ImplementationRecord``: a status, the responsible institutions, planned actions with due
dates, indicators and dated progress reports with evidence links. Every change goes through
this module, which validates it and writes an audit entry with the values before and after,
so the history of who said what about a state's progress can be shown and verified.

Permissions are the callers' business (routes require ``Editor``); these functions trust the
actor name they are given.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rightsdesk.core.db import utcnow
from rightsdesk.core.errors import InputError, NotFoundError
from rightsdesk.core.security import audit
from rightsdesk.monitoring.models import (
    IMPLEMENTATION_STATUSES,
    Cluster,
    ClusterMember,
    ImplementationRecord,
    Indicator,
    PlannedAction,
    ProgressReport,
    Recommendation,
)

__all__ = [
    "Dashboard",
    "TimelineEvent",
    "add_action",
    "add_indicator",
    "add_report",
    "dashboard",
    "get_record",
    "normalise_status",
    "overdue_actions",
    "record_dict",
    "record_for",
    "set_status",
    "update_action",
    "update_indicator",
]


def normalise_status(value: str) -> str:
    """'In progress', 'in_progress' and 'in-progress' are the same status."""
    status = "-".join(value.strip().casefold().replace("_", " ").replace("-", " ").split())
    if status not in IMPLEMENTATION_STATUSES:
        raise InputError(
            f"unknown status {value!r}; one of: {', '.join(IMPLEMENTATION_STATUSES)}",
            field="status",
        )
    return status


def _text(value: str | None, name: str, required: bool = False, limit: int = 5000) -> str | None:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise InputError(f"{name} is required", field=name)
    if len(cleaned) > limit:
        raise InputError(f"{name} is longer than {limit} characters", field=name)
    return cleaned or None


def _date(value: str | dt.date | None, name: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise InputError(f"malformed date {value!r} (expected YYYY-MM-DD)", field=name) from exc


def _links(value: str | None) -> str | None:
    """Evidence links, one per line; only http(s) URLs (no javascript: or file: links)."""
    links = [line.strip() for line in (value or "").splitlines() if line.strip()]
    for link in links:
        parsed = urlparse(link)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise InputError(f"not a web link: {link!r}", field="evidence_links")
    return "\n".join(links) or None


def _snapshot(record: ImplementationRecord) -> dict[str, Any]:
    return {
        "state_iso3": record.state_iso3,
        "recommendation_id": record.recommendation_id,
        "cluster_id": record.cluster_id,
        "status": record.status,
        "responsible_institutions": record.responsible_institutions,
        "notes": record.notes,
    }


def get_record(session: Session, record_id: int) -> ImplementationRecord:
    record = session.get(ImplementationRecord, record_id)
    if record is None:
        raise NotFoundError(f"no implementation record #{record_id}")
    return record


def record_for(
    session: Session,
    *,
    recommendation_id: int | None = None,
    cluster_id: int | None = None,
    state_iso3: str | None = None,
) -> ImplementationRecord | None:
    """The record following a recommendation (its state) or a cluster (for ``state_iso3``)."""
    if (recommendation_id is None) == (cluster_id is None):
        raise InputError("name either a recommendation or a cluster", field="recommendation_id")
    stmt = select(ImplementationRecord)
    if recommendation_id is not None:
        rec = session.get(Recommendation, recommendation_id)
        if rec is None:
            raise NotFoundError(f"no recommendation #{recommendation_id}")
        stmt = stmt.where(
            ImplementationRecord.recommendation_id == recommendation_id,
            ImplementationRecord.state_iso3 == rec.state_iso3,
        )
    else:
        if session.get(Cluster, cluster_id) is None:
            raise NotFoundError(f"no cluster #{cluster_id}")
        if not state_iso3:
            raise InputError("a cluster record needs the implementing state", field="state_iso3")
        stmt = stmt.where(
            ImplementationRecord.cluster_id == cluster_id,
            ImplementationRecord.state_iso3 == state_iso3,
        )
    return session.scalars(stmt).first()


def set_status(
    session: Session,
    actor: str,
    status: str,
    *,
    recommendation_id: int | None = None,
    cluster_id: int | None = None,
    state_iso3: str | None = None,
    responsible_institutions: str | None = None,
    notes: str | None = None,
) -> ImplementationRecord:
    """Create or update the record of a recommendation or cluster; audited."""
    status = normalise_status(status)
    record = record_for(
        session, recommendation_id=recommendation_id, cluster_id=cluster_id, state_iso3=state_iso3
    )
    before = None if record is None else _snapshot(record)
    if record is None:
        if recommendation_id is not None:
            rec = session.get(Recommendation, recommendation_id)
            assert rec is not None
            state_iso3 = rec.state_iso3
        assert state_iso3 is not None
        record = ImplementationRecord(
            state_iso3=state_iso3,
            recommendation_id=recommendation_id,
            cluster_id=cluster_id,
            updated_by=actor,
        )
        session.add(record)
    record.status = status
    if responsible_institutions is not None:
        record.responsible_institutions = _text(
            responsible_institutions, "responsible_institutions"
        )
    if notes is not None:
        record.notes = _text(notes, "notes")
    record.updated_by = actor
    record.updated_at = utcnow()
    session.flush()
    after = _snapshot(record)
    if before != after:
        action = "create" if before is None else "update"
        audit.record(
            session, actor, action, "implementation_record", record.id, before=before, after=after
        )
    return record


def _touch(record: ImplementationRecord, actor: str) -> None:
    record.updated_by = actor
    record.updated_at = utcnow()


def _action_snapshot(action: PlannedAction) -> dict[str, Any]:
    return {
        "record_id": action.record_id,
        "description": action.description,
        "due_date": action.due_date.isoformat() if action.due_date else None,
        "done": action.done,
    }


def add_action(
    session: Session,
    actor: str,
    record_id: int,
    description: str,
    due_date: str | dt.date | None = None,
) -> PlannedAction:
    record = get_record(session, record_id)
    action = PlannedAction(
        record_id=record.id,
        description=_text(description, "description", required=True),
        due_date=_date(due_date, "due_date"),
        done=False,
        updated_by=actor,
    )
    session.add(action)
    _touch(record, actor)
    session.flush()
    audit.record(
        session, actor, "create", "planned_action", action.id, after=_action_snapshot(action)
    )
    return action


def update_action(
    session: Session,
    actor: str,
    action_id: int,
    *,
    done: bool | None = None,
    description: str | None = None,
    due_date: str | dt.date | None = None,
) -> PlannedAction:
    action = session.get(PlannedAction, action_id)
    if action is None:
        raise NotFoundError(f"no planned action #{action_id}")
    before = _action_snapshot(action)
    if done is not None:
        action.done = done
    if description is not None:
        action.description = str(_text(description, "description", required=True))
    if due_date is not None:
        action.due_date = _date(due_date, "due_date")
    action.updated_by = actor
    action.updated_at = utcnow()
    _touch(action.record, actor)
    session.flush()
    after = _action_snapshot(action)
    if before != after:
        audit.record(
            session, actor, "update", "planned_action", action.id, before=before, after=after
        )
    return action


def _indicator_snapshot(ind: Indicator) -> dict[str, Any]:
    return {"record_id": ind.record_id, "name": ind.name, "target": ind.target, "value": ind.value}


def add_indicator(
    session: Session,
    actor: str,
    record_id: int,
    name: str,
    target: str | None = None,
    value: str | None = None,
) -> Indicator:
    record = get_record(session, record_id)
    ind = Indicator(
        record_id=record.id,
        name=_text(name, "name", required=True, limit=300),
        target=_text(target, "target", limit=200),
        value=_text(value, "value", limit=200),
        updated_by=actor,
    )
    session.add(ind)
    _touch(record, actor)
    session.flush()
    audit.record(
        session,
        actor,
        "create",
        "implementation_indicator",
        ind.id,
        after=_indicator_snapshot(ind),
    )
    return ind


def update_indicator(
    session: Session,
    actor: str,
    indicator_id: int,
    *,
    value: str | None = None,
    target: str | None = None,
) -> Indicator:
    ind = session.get(Indicator, indicator_id)
    if ind is None:
        raise NotFoundError(f"no indicator #{indicator_id}")
    before = _indicator_snapshot(ind)
    if value is not None:
        ind.value = _text(value, "value", limit=200)
    if target is not None:
        ind.target = _text(target, "target", limit=200)
    ind.updated_by = actor
    ind.updated_at = utcnow()
    _touch(ind.record, actor)
    session.flush()
    after = _indicator_snapshot(ind)
    if before != after:
        audit.record(
            session,
            actor,
            "update",
            "implementation_indicator",
            ind.id,
            before=before,
            after=after,
        )
    return ind


def add_report(
    session: Session,
    actor: str,
    record_id: int,
    text: str,
    date: str | dt.date | None = None,
    evidence_links: str | None = None,
) -> ProgressReport:
    record = get_record(session, record_id)
    report = ProgressReport(
        record_id=record.id,
        date=_date(date, "date") or dt.date.today(),
        text=_text(text, "text", required=True),
        evidence_links=_links(evidence_links),
        author=actor,
    )
    session.add(report)
    _touch(record, actor)
    session.flush()
    audit.record(
        session,
        actor,
        "create",
        "progress_report",
        report.id,
        after={
            "record_id": record.id,
            "date": report.date.isoformat(),
            "text": report.text,
            "evidence_links": report.evidence_links,
        },
    )
    return report


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
            .options(
                selectinload(ImplementationRecord.actions),
                selectinload(ImplementationRecord.indicators),
                selectinload(ImplementationRecord.reports),
            )
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


def record_dict(record: ImplementationRecord, today: dt.date | None = None) -> dict[str, Any]:
    """The record with its actions, indicators and reports, for the JSON API."""
    today = today or dt.date.today()
    return {
        "id": record.id,
        **_snapshot(record),
        "updated_by": record.updated_by,
        "updated_at": record.updated_at.isoformat(),
        "actions": [
            {
                "id": a.id,
                "description": a.description,
                "due_date": a.due_date.isoformat() if a.due_date else None,
                "done": a.done,
                "overdue": bool(not a.done and a.due_date and a.due_date < today),
            }
            for a in record.actions
        ],
        "indicators": [
            {"id": i.id, "name": i.name, "target": i.target, "value": i.value}
            for i in record.indicators
        ],
        "reports": [
            {
                "id": r.id,
                "date": r.date.isoformat(),
                "text": r.text,
                "evidence_links": (r.evidence_links or "").splitlines(),
                "author": r.author,
            }
            for r in record.reports
        ],
    }
