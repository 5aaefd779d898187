"""What other rooms may read from the register (the escalation view, the state risk page).

Plain frozen dataclasses and dicts, no ORM rows, so callers cannot change the register by
accident and do not depend on its tables. Every list says up to when its sources run
(``sources_coverage``): a register that stops in 2021 must not read as "nothing since".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rightsdesk.core.security.models import User
from rightsdesk.core.security.roles import Permission, allows
from rightsdesk.interventions.register import models as m
from rightsdesk.interventions.register.origins import origin_label, up_to_text

__all__ = [
    "RegisterEntry",
    "entries_for_state",
    "precedents",
    "sources_coverage",
    "state_section",
    "summarise",
]


@dataclass(frozen=True)
class RegisterEntry:
    """One response, as other rooms see it."""

    id: int
    kind: str  # a key of models.KINDS
    identifier: str | None  # as the body writes it: "UNMISS", "ICC-01/04", "ICJ 178"
    title: str
    states: list[tuple[str, str]]  # (role, iso3): "situation", "applicant", "respondent" ...
    start: dt.date | None
    end: dt.date | None
    status: str
    source: str  # the source's label and up to when it runs
    url: str | None


def _source_text(entry: m.RegisterEntry) -> str:
    """ "<label> (data up to YYYY-MM-DD)" for each source of the entry, joined."""
    parts = []
    for src in entry.sources:
        text = origin_label(src.origin) if src.origin != "editor" else src.citation
        if src.as_of is not None:
            text += f" (data up to {up_to_text(src.origin, src.as_of)})"
        parts.append(text)
    return "; ".join(parts) or "no source recorded"


def summarise(entry: m.RegisterEntry) -> RegisterEntry:
    """The public view of a stored entry."""
    return RegisterEntry(
        id=entry.id,
        kind=entry.kind,
        identifier=entry.identifier,
        title=entry.title,
        states=[(s.role, s.iso3) for s in entry.states if s.iso3],
        start=entry.start_date,
        end=entry.end_date,
        status=entry.status,
        source=_source_text(entry),
        url=entry.url,
    )


def _loaded() -> Any:
    return select(m.RegisterEntry).options(
        selectinload(m.RegisterEntry.states), selectinload(m.RegisterEntry.sources)
    )


def _order_key(entry: m.RegisterEntry) -> tuple[dt.date, int]:
    return (entry.start_date or dt.date.min, entry.id)


def entries_for_state(session: Session, iso3: str) -> list[RegisterEntry]:
    """Every entry a state takes part in (any role), newest first."""
    ids = select(m.EntryState.entry_id).where(m.EntryState.iso3 == iso3.upper())
    rows = session.scalars(_loaded().where(m.RegisterEntry.id.in_(ids))).all()
    return [summarise(e) for e in sorted(rows, key=_order_key, reverse=True)]


def precedents(session: Session, kind: str, limit: int = 5) -> list[RegisterEntry]:
    """The most recent entries of a kind, as precedents for an option of that kind."""
    stmt = (
        _loaded()
        .where(m.RegisterEntry.kind == kind)
        .order_by(m.RegisterEntry.start_date.desc().nulls_last(), m.RegisterEntry.id.desc())
        .limit(max(0, limit))
    )
    return [summarise(e) for e in session.scalars(stmt)]


def sources_coverage(session: Session) -> list[dict[str, Any]]:
    """Each source of the register with up to when it runs: ``kind`` (import kind or
    "editor"), ``source`` (label), ``data_up_to`` (date or None), ``data_up_to_text`` ("2022-04-05",
    or "2025" for a source dated by year), ``entries``, ``latest_addition`` (date).

    "Data up to" is the source's own cut-off as the importer recorded it (the latest dated fact
    of the ABA ICC files, the ``last_update`` of the peacekeeping list), not the import date.
    """
    stmt = (
        select(
            m.RegisterSource.origin,
            func.max(m.RegisterSource.as_of),
            func.count(func.distinct(m.RegisterSource.entry_id)),
            func.max(m.RegisterSource.added_at),
        )
        .group_by(m.RegisterSource.origin)
        .order_by(m.RegisterSource.origin)
    )
    out = []
    for origin, as_of, count, added in session.execute(stmt):
        out.append(
            {
                "kind": origin,
                "source": origin_label(origin),
                "data_up_to": as_of,
                "data_up_to_text": up_to_text(origin, as_of) or "not stated",
                "entries": int(count),
                "latest_addition": added.date() if added is not None else None,
            }
        )
    return out


def _when(value: dt.date | None, precision: str) -> str | None:
    """A date as precisely as it is known: "1999", "2011-08", "2011-08-22"."""
    if value is None:
        return None
    return {"year": str(value.year), "month": value.strftime("%Y-%m")}.get(
        precision, value.isoformat()
    )


def state_section(session: Session, iso3: str, reader: User | None) -> dict[str, Any] | None:
    """Context ``sec`` of ``interventions/_register_state.html``: the state's entries grouped
    by kind (dates, status, role) and the data-up-to notes. None when the register is empty."""
    coverage = sources_coverage(session)
    if not coverage:
        return None
    entries = entries_for_state(session, iso3)
    precision = {
        i: (a, b)
        for i, a, b in session.execute(
            select(
                m.RegisterEntry.id, m.RegisterEntry.start_precision, m.RegisterEntry.end_precision
            ).where(m.RegisterEntry.id.in_([e.id for e in entries]))
        )
    }
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in entries:
        roles = sorted({m.STATE_ROLES.get(r, r) for r, code in entry.states if code == iso3})
        groups[entry.kind].append(
            {
                "id": entry.id,
                "identifier": entry.identifier,
                "title": entry.title,
                "start": _when(entry.start, precision.get(entry.id, ("day", "day"))[0]),
                "end": _when(entry.end, precision.get(entry.id, ("day", "day"))[1]),
                "status": entry.status,
                "roles": roles,
                "url": f"/interventions/register/{entry.id}",
            }
        )
    ordered = [
        {"kind": kind, "label": label, "entries": groups[kind]}
        for kind, label in m.KINDS.items()
        if groups.get(kind)
    ]
    return {
        "iso3": iso3.upper(),
        "groups": ordered,
        "total": len(entries),
        "coverage": coverage,
        "list_url": f"/interventions/register?state={iso3.upper()}",
        "can_edit": reader is not None and allows(reader.role, Permission.EDIT),
    }
