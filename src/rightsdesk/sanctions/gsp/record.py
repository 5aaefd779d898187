"""Recording one state's status towards one GSP+ convention by hand (web form or CLI).

An editor who read a depositary page or an ILO NORMLEX profile records what it says, with
the source named: one row per (state, convention, source), so a second source never
overwrites the first and the table can say when sources disagree. Every change goes to the
audit log with the values before and after. Recording "unknown" removes that source's row
(the absence of a record is what unknown means; it is never stored).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.errors import InputError, UnknownStateError
from rightsdesk.core.resolver import resolve_state
from rightsdesk.core.security import audit
from rightsdesk.core.states import State
from rightsdesk.sanctions.gsp.conventions import resolve_convention
from rightsdesk.sanctions.models import CONVENTION_STATUSES, ConventionStatus

__all__ = ["StatusInput", "parse_date", "parse_status", "set_status"]

MAX_SOURCE = 200
MAX_NOTE = 2000
_WORDS = {
    "ratified": "ratified",
    "party": "ratified",
    "acceded": "ratified",
    "accession": "ratified",
    "ratification": "ratified",
    "succession": "ratified",
    "yes": "ratified",
    "signed": "signed",
    "signature": "signed",
    "not-ratified": "not-ratified",
    "not ratified": "not-ratified",
    "notratified": "not-ratified",
    "no": "not-ratified",
    "denounced": "denounced",
    "denunciation": "denounced",
    "unknown": "unknown",
}


def parse_status(text: str, file: str | None = None, line: int | None = None) -> str:
    """One of ``CONVENTION_STATUSES`` or "unknown", from the words files and users write
    ("Ratification", "accession", "Yes", "No", ...)."""
    word = _WORDS.get(text.strip().lower())
    if word is None:
        raise InputError(
            f"unknown status {text!r}; use one of {', '.join(CONVENTION_STATUSES)} or unknown",
            file=file,
            line=line,
            field="status",
        )
    return word


def parse_date(
    text: str | None, name: str, file: str | None = None, line: int | None = None
) -> dt.date | None:
    """A date as ``YYYY-MM-DD`` or a bare year ``YYYY`` (31 December of it: what a yearly
    report speaks for), or None when empty."""
    value = (text or "").strip()
    if not value:
        return None
    try:
        if len(value) == 4 and value.isdigit():
            return dt.date(int(value), 12, 31)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"malformed date {value!r} (expected YYYY-MM-DD or YYYY)",
            file=file,
            line=line,
            field=name,
        ) from None


@dataclass(frozen=True)
class StatusInput:
    """One status as typed: resolved and checked by ``set_status``."""

    state: str
    convention: str
    status: str
    source: str
    date: str | None = None
    as_of: str | None = None
    note: str | None = None


def _values(row: ConventionStatus | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {
        "iso3": row.iso3,
        "convention": row.convention,
        "status": row.status,
        "date": row.date,
        "as_of": row.as_of,
        "source": row.source,
        "note": row.note,
    }


def set_status(session: Session, actor: str, data: StatusInput) -> ConventionStatus | None:
    """Record (or with status "unknown", remove) one source's status of a state towards a
    convention; audited. Returns the row, or None when removed. The caller commits."""
    iso3 = resolve_state(data.state)
    if session.get(State, iso3) is None:
        raise UnknownStateError(data.state)
    key = resolve_convention(data.convention)
    status = parse_status(data.status)
    source = data.source.strip()
    if not source:
        raise InputError(
            "name the source of this status (a status is only shown with it)", field="source"
        )
    if len(source) > MAX_SOURCE:
        raise InputError(f"the source is longer than {MAX_SOURCE} characters", field="source")
    note = (data.note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE:
        raise InputError(f"the note is longer than {MAX_NOTE} characters", field="note")
    today = dt.date.today()
    day = parse_date(data.date, "date")
    as_of = parse_date(data.as_of, "as_of") or today
    for name, value in (("date", day), ("as_of", as_of)):
        if value is not None and value > today:
            raise InputError(f"{name} {value} is in the future", field=name)
    if day is not None and day > as_of:
        raise InputError(f"date {day} is after as_of {as_of}", field="date")
    row = session.scalars(
        select(ConventionStatus).where(
            ConventionStatus.iso3 == iso3,
            ConventionStatus.convention == key,
            ConventionStatus.source == source,
        )
    ).first()
    before = _values(row)
    if status == "unknown":
        if row is None:
            return None
        session.delete(row)
        audit.record(session, actor, "delete", "gsp_convention_status", row.id, before=before)
        return None
    if row is None:
        row = ConventionStatus(iso3=iso3, convention=key, source=source)
        session.add(row)
    row.status = status
    row.date = day
    row.as_of = as_of
    row.note = note
    row.entered_by = actor
    row.dataset_id = None  # an editor's word, not an import's
    session.flush()
    after = _values(row)
    if before != after:
        action = "create" if before is None else "update"
        audit.record(
            session, actor, action, "gsp_convention_status", row.id, before=before, after=after
        )
    return row
