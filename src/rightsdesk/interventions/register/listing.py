"""Reading the register for pages, the API and the CLI: filtered lists and one entry in full.

One place for the filters (kind, state, status, year) so the page, ``GET /api/v1/...`` and
``rightsdesk interventions register list`` answer the same question the same way. "Year"
means the entry was running during that year (started by its end, not ended before it).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from rightsdesk.core.errors import InputError, NotFoundError
from rightsdesk.core.labels import state_label
from rightsdesk.core.periods import iso_date
from rightsdesk.core.resolver import lookup_state
from rightsdesk.interventions.register.models import (
    ACCUSED_STATUSES,
    CRIME_TYPES,
    KINDS,
    STATE_ROLES,
    Accused,
    EntryState,
    RegisterEntry,
)
from rightsdesk.interventions.register.origins import origin_label, up_to_text

#: Most rows one list returns (the register holds a few hundred entries).
MAX_LIMIT = 1000


@dataclass(frozen=True)
class Filters:
    """What a list is restricted to (None: no restriction)."""

    kind: str | None = None
    state: str | None = None  # ISO3
    status: str | None = None  # words the status contains
    year: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


def make_filters(
    kind: str | None = None,
    state: str | None = None,
    status: str | None = None,
    year: int | None = None,
) -> Filters:
    """Checked filters: an unknown kind or state is an InputError naming the parameter."""
    kind = (kind or "").strip().lower() or None
    if kind is not None and kind not in KINDS:
        raise InputError(
            f"unknown kind {kind!r} (expected one of {', '.join(KINDS)})", field="kind"
        )
    iso3 = None
    if state and state.strip():
        iso3 = lookup_state(state.strip())
        if iso3 is None:
            raise InputError(f"unknown state {state.strip()!r}", field="state")
    if year is not None and not 1900 <= year <= 2100:
        raise InputError("year must be between 1900 and 2100", field="year")
    return Filters(kind, iso3, (status or "").strip() or None, year)


def _query(filters: Filters) -> Select[RegisterEntry]:
    stmt = select(RegisterEntry)
    if filters.kind:
        stmt = stmt.where(RegisterEntry.kind == filters.kind)
    if filters.state:
        ids = select(EntryState.entry_id).where(EntryState.iso3 == filters.state)
        stmt = stmt.where(RegisterEntry.id.in_(ids))
    if filters.status:
        words = filters.status.lower().replace("%", "").replace("_", "")
        stmt = stmt.where(func.lower(RegisterEntry.status).contains(words))
    if filters.year is not None:
        first, last = dt.date(filters.year, 1, 1), dt.date(filters.year, 12, 31)
        stmt = stmt.where(
            RegisterEntry.start_date.is_not(None),
            RegisterEntry.start_date <= last,
            or_(RegisterEntry.end_date.is_(None), RegisterEntry.end_date >= first),
        )
    return stmt


def count_entries(session: Session, filters: Filters) -> int:
    sub = _query(filters).subquery()
    return int(session.scalar(select(func.count()).select_from(sub)) or 0)


def list_entries(
    session: Session, filters: Filters, limit: int = MAX_LIMIT, offset: int = 0
) -> list[dict[str, Any]]:
    """Rows of a list, newest start first (undated last), as plain dicts."""
    stmt = (
        _query(filters)
        .options(selectinload(RegisterEntry.states), selectinload(RegisterEntry.sources))
        .order_by(
            RegisterEntry.start_date.desc().nulls_last(), RegisterEntry.kind, RegisterEntry.key
        )
        .limit(max(1, min(limit, MAX_LIMIT)))
        .offset(max(0, offset))
    )
    return [row(e) for e in session.scalars(stmt)]


def _when(value: dt.date | None, precision: str) -> str | None:
    if value is None:
        return None
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return value.strftime("%Y-%m")
    return value.isoformat()


def row(entry: RegisterEntry) -> dict[str, Any]:
    """An entry as a list row (and the head of its detail)."""
    return {
        "id": entry.id,
        "kind": entry.kind,
        "kind_label": KINDS.get(entry.kind, entry.kind),
        "identifier": entry.identifier,
        "title": entry.title,
        "mandate_body": entry.mandate_body,
        "mandate_ref": entry.mandate_ref,
        "start": iso_date(entry.start_date),
        "start_text": _when(entry.start_date, entry.start_precision),
        "start_precision": entry.start_precision,
        "end": iso_date(entry.end_date),
        "end_text": _when(entry.end_date, entry.end_precision),
        "end_precision": entry.end_precision,
        "status": entry.status,
        "url": entry.url,
        "states": [
            {
                "iso3": s.iso3,
                "name": state_label(s.iso3) if s.iso3 else s.name,
                "role": s.role,
                "role_label": STATE_ROLES.get(s.role, s.role),
            }
            for s in entry.states
        ],
        "sources": [
            {
                "origin": s.origin,
                "label": origin_label(s.origin),
                "citation": s.citation,
                "url": s.url,
                "data_up_to": up_to_text(s.origin, s.as_of) or None,
                "dataset_id": s.dataset_id,
            }
            for s in entry.sources
        ],
        "page": f"/interventions/register/{entry.id}",
    }


def get_entry(session: Session, entry_id: int) -> RegisterEntry:
    stmt = (
        select(RegisterEntry)
        .where(RegisterEntry.id == entry_id)
        .options(
            selectinload(RegisterEntry.states),
            selectinload(RegisterEntry.sources),
            selectinload(RegisterEntry.edits),
            selectinload(RegisterEntry.accused).selectinload(Accused.charges),
        )
    )
    entry = session.scalar(stmt)
    if entry is None:
        raise NotFoundError(f"no register entry #{entry_id}")
    return entry


def detail(entry: RegisterEntry, with_history: bool = True) -> dict[str, Any]:
    """Everything about an entry: the row, notes, accused and charges, the edit history."""
    out = row(entry)
    out["notes"] = entry.notes
    out["edited_fields"] = sorted(entry.edited())
    out["accused"] = [
        {
            "person": a.person,
            "description": a.description,
            "status": a.status,
            "status_label": ACCUSED_STATUSES.get(a.status, a.status),
            "source_status": a.source_status,
            "charges": [
                {
                    "crime_type": c.crime_type,
                    "crime_type_label": CRIME_TYPES.get(c.crime_type, c.crime_type),
                    "crime": c.crime,
                    "article": c.article,
                }
                for c in a.charges
            ],
        }
        for a in entry.accused
    ]
    if with_history:
        out["history"] = [
            {
                "at": e.at.strftime("%Y-%m-%d %H:%M"),
                "actor": e.actor,
                "action": e.action,
                "changes": json.loads(e.changes or "{}"),
                "note": e.note,
            }
            for e in reversed(entry.edits)
        ]
    return out


def facets(session: Session) -> dict[str, Any]:
    """Choices for the list's filter form: kinds present with counts, years spanned."""
    kinds = dict(
        session.execute(select(RegisterEntry.kind, func.count()).group_by(RegisterEntry.kind)).all()
    )
    low, high = session.execute(
        select(func.min(RegisterEntry.start_date), func.max(RegisterEntry.start_date))
    ).one()
    return {
        "kinds": [(k, label, int(kinds.get(k, 0))) for k, label in KINDS.items()],
        "first_year": low.year if low else None,
        "last_year": high.year if high else None,
    }
