"""The audit log as a person reads it: filtered, paged, each entry as a list of changes.

An entry stores ``before`` and ``after`` as JSON objects (that is what the hash chain covers);
a reviewer asks "who changed what, from what to what, between these dates". ``audit_page``
answers with one page of entries matching a user, action, table (``entity``) and date range,
the total, and the choices for each filter; ``changes`` turns an entry's two objects into
field-by-field lines ("status: planned → done"), nested objects flattened to dotted names.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from rightsdesk.core.security.models import AuditEntry

#: Entries per page of the audit log.
PER_PAGE = 50
#: A value longer than this is cut in the table (the full value is in its tooltip).
MAX_VALUE = 120


@dataclass(frozen=True)
class AuditFilter:
    """What the reader asked for; empty fields match everything."""

    actor: str = ""
    action: str = ""
    entity: str = ""
    since: date | None = None
    until: date | None = None  # inclusive

    def conditions(self) -> list[ColumnElement[bool]]:
        out: list[ColumnElement[bool]] = []
        if self.actor:
            out.append(AuditEntry.actor == self.actor)
        if self.action:
            out.append(AuditEntry.action == self.action)
        if self.entity:
            out.append(AuditEntry.entity == self.entity)
        if self.since:
            out.append(AuditEntry.at >= datetime.combine(self.since, time.min))
        if self.until:
            out.append(AuditEntry.at < datetime.combine(self.until + timedelta(days=1), time.min))
        return out

    def query(self) -> dict[str, str]:
        """The filters as URL parameters (for the paging links)."""
        values = {
            "actor": self.actor,
            "action": self.action,
            "table": self.entity,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        return {k: v for k, v in values.items() if v}


@dataclass(frozen=True)
class Change:
    """One field of an entry: its value before and after ("" = not set on that side)."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: str | None
    note: str | None
    hash: str
    scheme: int
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class AuditPage:
    rows: tuple[AuditRow, ...]
    total: int
    page: int
    pages: int
    per_page: int
    actors: tuple[str, ...]
    actions: tuple[str, ...]
    entities: tuple[str, ...]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _flatten(obj: Any, prefix: str = "") -> dict[str, str]:
    if not isinstance(obj, dict):
        return {} if obj is None else {prefix or "value": _text(obj)}
    out: dict[str, str] = {}
    for key, value in obj.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and value:
            out.update(_flatten(value, name))
        else:
            out[name] = _text(value)
    return out


def changes(before: Any, after: Any) -> tuple[Change, ...]:
    """Field-by-field lines of an entry, in the order the fields first appear; a field equal
    on both sides is left out when the entry has both sides (an edit shows what it changed)."""
    old, new = _flatten(before), _flatten(after)
    both = bool(old) and bool(new)
    out = []
    for name in dict.fromkeys([*old, *new]):
        was, now = old.get(name, ""), new.get(name, "")
        if both and was == now:
            continue
        out.append(Change(name, was, now))
    return tuple(out)


def _distinct(session: Session, column: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in session.scalars(select(column).distinct().order_by(column)) if v)


def audit_page(
    session: Session, filters: AuditFilter, page: int = 1, per_page: int = PER_PAGE
) -> AuditPage:
    """One page of the entries matching ``filters``, newest first, with the total."""
    conditions = filters.conditions()
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*conditions)) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    stmt = (
        select(AuditEntry)
        .where(*conditions)
        .order_by(AuditEntry.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    rows = tuple(
        AuditRow(
            id=e.id,
            at=e.at,
            actor=e.actor,
            action=e.action,
            entity=e.entity,
            entity_id=e.entity_id,
            note=e.note,
            hash=e.hash,
            scheme=e.scheme,
            changes=changes(e.before, e.after),
        )
        for e in session.scalars(stmt)
    )
    return AuditPage(
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        per_page=per_page,
        actors=_distinct(session, AuditEntry.actor),
        actions=_distinct(session, AuditEntry.action),
        entities=_distinct(session, AuditEntry.entity),
    )
