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
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlparse

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from rightsdesk.core.db import utcnow
from rightsdesk.core.errors import ConflictError, InputError, NotFoundError
from rightsdesk.core.security import audit
from rightsdesk.monitoring.recommendations.models import Cluster, Recommendation
from rightsdesk.monitoring.tracking.models import (
    IMPLEMENTATION_STATUSES,
    ImplementationRecord,
    Indicator,
    PlannedAction,
    ProgressReport,
)

__all__ = [
    "add_action",
    "add_indicator",
    "add_report",
    "get_record",
    "normalise_status",
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


def _lock_for_write(session: Session) -> None:
    """SQLite: take the database write lock now (waiting up to ``busy_timeout``), before the
    record is looked up, so two first writes cannot both see "no record". An UPDATE matching no
    row is such a write (see ``audit.lock_chain``). PostgreSQL needs nothing here."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("UPDATE implementation_record SET id = id WHERE 0"))


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
    # Writers of one record queue here (SQLite: the write lock, taken before the read; PostgreSQL:
    # the unique constraint plus the savepoint below), so simultaneous first writes give one
    # record, each later writer updating it, and never a unique-constraint error.
    _lock_for_write(session)
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
            status=status,
        )
        try:
            with session.begin_nested():
                session.add(record)
        except IntegrityError:  # another transaction created it meanwhile: update that one
            record = record_for(
                session,
                recommendation_id=recommendation_id,
                cluster_id=cluster_id,
                state_iso3=state_iso3,
            )
            if record is None:
                raise ConflictError(
                    "a simultaneous change to this implementation record won; try again"
                ) from None
            before = _snapshot(record)
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


Part = TypeVar("Part", PlannedAction, Indicator, ProgressReport)
EditedPart = TypeVar("EditedPart", PlannedAction, Indicator)


def _added(
    session: Session,
    actor: str,
    record: ImplementationRecord,
    part: Part,
    entity: str,
    snapshot: Callable[[Part], dict[str, Any]],
) -> Part:
    """Store a new action, indicator or report of ``record``; audited."""
    session.add(part)
    _touch(record, actor)
    session.flush()
    audit.record(session, actor, "create", entity, part.id, after=snapshot(part))
    return part


def _edited(
    session: Session,
    actor: str,
    part: EditedPart,
    entity: str,
    snapshot: Callable[[EditedPart], dict[str, Any]],
    before: dict[str, Any],
) -> EditedPart:
    """Stamp a changed action or indicator and its record; audited when something changed."""
    part.updated_by = actor
    part.updated_at = utcnow()
    _touch(part.record, actor)
    session.flush()
    after = snapshot(part)
    if before != after:
        audit.record(session, actor, "update", entity, part.id, before=before, after=after)
    return part


def _get(session: Session, model: type[Part], part_id: int, what: str) -> Part:
    part = session.get(model, part_id)
    if part is None:
        raise NotFoundError(f"no {what} #{part_id}")
    return part


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
    return _added(session, actor, record, action, "planned_action", _action_snapshot)


def update_action(
    session: Session,
    actor: str,
    action_id: int,
    *,
    done: bool | None = None,
    description: str | None = None,
    due_date: str | dt.date | None = None,
) -> PlannedAction:
    action = _get(session, PlannedAction, action_id, "planned action")
    before = _action_snapshot(action)
    if done is not None:
        action.done = done
    if description is not None:
        action.description = str(_text(description, "description", required=True))
    if due_date is not None:
        action.due_date = _date(due_date, "due_date")
    return _edited(session, actor, action, "planned_action", _action_snapshot, before)


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
    return _added(session, actor, record, ind, "implementation_indicator", _indicator_snapshot)


def update_indicator(
    session: Session,
    actor: str,
    indicator_id: int,
    *,
    value: str | None = None,
    target: str | None = None,
) -> Indicator:
    ind = _get(session, Indicator, indicator_id, "indicator")
    before = _indicator_snapshot(ind)
    if value is not None:
        ind.value = _text(value, "value", limit=200)
    if target is not None:
        ind.target = _text(target, "target", limit=200)
    return _edited(session, actor, ind, "implementation_indicator", _indicator_snapshot, before)


def _report_snapshot(report: ProgressReport) -> dict[str, Any]:
    return {
        "record_id": report.record_id,
        "date": report.date.isoformat(),
        "text": report.text,
        "evidence_links": report.evidence_links,
    }


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
    return _added(session, actor, record, report, "progress_report", _report_snapshot)
