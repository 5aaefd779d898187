"""Entering and changing register entries by hand (page form, JSON API, ``responses-csv``).

One validation for all three, so a rule holds everywhere: the kind is known, the title is
there, states are "ISO3:role" pairs of known states and roles, dates are YYYY, YYYY-MM or
YYYY-MM-DD (stored with their precision), the end is not before the start, URLs are http(s).
Every change is kept (``RegisterEdit`` and the audit log), and a field an editor sets on an
imported entry is marked so the next import leaves it alone.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.db import utcnow
from rightsdesk.core.errors import InputError
from rightsdesk.core.labels import state_label
from rightsdesk.core.resolver import lookup_state
from rightsdesk.core.security import audit
from rightsdesk.interventions.register.models import (
    KINDS,
    STATE_ROLES,
    EntryState,
    RegisterEdit,
    RegisterEntry,
    RegisterSource,
)

#: Fields a person may set, in form order.
FIELDS = (
    "kind",
    "identifier",
    "title",
    "mandate_body",
    "mandate_ref",
    "states",
    "start",
    "end",
    "status",
    "url",
    "notes",
)
MAX = {"identifier": 200, "title": 500, "mandate_body": 100, "mandate_ref": 200, "status": 120}


@dataclass
class EntryInput:
    """Validated values of one entry as a person gave them."""

    kind: str
    title: str
    identifier: str | None = None
    mandate_body: str | None = None
    mandate_ref: str | None = None
    states: list[tuple[str, str]] = field(default_factory=list)  # (iso3, role)
    start: tuple[dt.date, str] | None = None  # (date, precision)
    end: tuple[dt.date, str] | None = None
    status: str = ""
    url: str | None = None
    notes: str | None = None
    source: str | None = None  # a citation: where the facts come from
    source_url: str | None = None
    given: frozenset[str] = frozenset()  # the fields present in the request


def parse_date(value: str, name: str, **where: Any) -> tuple[dt.date, str] | None:
    """ "2011" -> (2011-01-01, "year"), "2011-08" -> month, "2011-08-22" -> day."""
    value = value.strip()
    if not value:
        return None
    try:
        if len(value) == 4:
            return dt.date(int(value), 1, 1), "year"
        if len(value) == 7:
            return dt.date(int(value[:4]), int(value[5:7]), 1), "month"
        return dt.date.fromisoformat(value), "day"
    except ValueError:
        raise InputError(
            f"malformed date {value!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)", field=name, **where
        ) from None


def parse_states(value: str, name: str = "states", **where: Any) -> list[tuple[str, str]]:
    """ "SYR:situation;TUR:host" -> [("SYR", "situation"), ("TUR", "host")]."""
    out: list[tuple[str, str]] = []
    for part in (p.strip() for p in value.replace(",", ";").split(";")):
        if not part:
            continue
        code, _, role = part.partition(":")
        role = (role or "situation").strip().lower()
        if role not in STATE_ROLES:
            raise InputError(
                f"unknown role {role!r} in {part!r} (expected one of {', '.join(STATE_ROLES)})",
                field=name,
                **where,
            )
        iso3 = lookup_state(code.strip())
        if iso3 is None:
            raise InputError(f"unknown state {code.strip()!r} in {part!r}", field=name, **where)
        if (iso3, role) not in out:
            out.append((iso3, role))
    return out


def _text(values: Mapping[str, Any], name: str, **where: Any) -> str | None:
    raw = values.get(name)
    value = "" if raw is None else str(raw).replace("\r\n", "\n").strip()
    if name in MAX and len(value) > MAX[name]:
        raise InputError(f"longer than {MAX[name]} characters", field=name, **where)
    return value or None


def validate(values: Mapping[str, Any], partial: bool = False, **where: Any) -> EntryInput:
    """Check a request's values (strings; ``states`` as text or a list of {iso3, role});
    with ``partial`` only the given fields are required to be valid (an update)."""
    kind = (_text(values, "kind", **where) or "").lower()
    if (not partial or "kind" in values) and kind not in KINDS:
        raise InputError(
            f"unknown kind {kind!r} (expected one of {', '.join(KINDS)})", field="kind", **where
        )
    title = _text(values, "title", **where)
    if (not partial or "title" in values) and not title:
        raise InputError("a title is needed", field="title", **where)
    raw_states = values.get("states") or ""
    if isinstance(raw_states, list):
        raw_states = ";".join(
            f"{s.get('iso3', '')}:{s.get('role', '')}" if isinstance(s, dict) else str(s)
            for s in raw_states
        )
    start = parse_date(str(values.get("start") or ""), "start", **where)
    end = parse_date(str(values.get("end") or ""), "end", **where)
    if start and end and end[0] < start[0]:
        raise InputError("the end is before the start", field="end", **where)
    url = _text(values, "url", **where)
    source_url = _text(values, "source_url", **where)
    for name, link in (("url", url), ("source_url", source_url)):
        if link and not link.startswith(("https://", "http://")):
            raise InputError("a link must start with https:// or http://", field=name, **where)
    return EntryInput(
        kind=kind,
        title=title or "",
        identifier=_text(values, "identifier", **where),
        mandate_body=_text(values, "mandate_body", **where),
        mandate_ref=_text(values, "mandate_ref", **where),
        states=parse_states(str(raw_states), **where),
        start=start,
        end=end,
        status=_text(values, "status", **where) or "",
        url=url,
        notes=_text(values, "notes", **where),
        source=_text(values, "source", **where),
        source_url=source_url,
        given=frozenset(k for k in values if k in (*FIELDS, "source", "source_url")),
    )


def natural_key(data: EntryInput) -> str:
    """The entry's key within its kind: the identifier, else the title."""
    return (data.identifier or data.title)[:300]


def _columns(data: EntryInput) -> dict[str, Any]:
    return {
        "identifier": data.identifier,
        "title": data.title,
        "mandate_body": data.mandate_body,
        "mandate_ref": data.mandate_ref,
        "start_date": data.start[0] if data.start else None,
        "start_precision": data.start[1] if data.start else "day",
        "end_date": data.end[0] if data.end else None,
        "end_precision": data.end[1] if data.end else "day",
        "status": data.status,
        "url": data.url,
        "notes": data.notes,
    }


#: Request field -> the entry columns it sets.
_SETS = {
    "identifier": ("identifier",),
    "title": ("title",),
    "mandate_body": ("mandate_body",),
    "mandate_ref": ("mandate_ref",),
    "start": ("start_date", "start_precision"),
    "end": ("end_date", "end_precision"),
    "status": ("status",),
    "url": ("url",),
    "notes": ("notes",),
}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _set_states(entry: RegisterEntry, states: list[tuple[str, str]]) -> bool:
    """Make the entry's coded states these; parties kept by name only (no current code, such
    as Yugoslavia) cannot be typed in the form and stay as they are."""
    wanted = {(role, iso3) for iso3, role in states}
    if {(s.role, s.iso3) for s in entry.states if s.iso3} == wanted:
        return False
    for state in [s for s in entry.states if s.iso3]:
        entry.states.remove(state)
    for iso3, role in states:
        entry.states.append(EntryState(role=role, iso3=iso3, name=state_label(iso3)))
    return True


def _add_source(entry: RegisterEntry, data: EntryInput, actor: str) -> None:
    if data.source:
        entry.sources.append(
            RegisterSource(
                origin="editor",
                citation=data.source,
                url=data.source_url,
                as_of=dt.date.today(),
                added_by=actor,
            )
        )


def create_entry(session: Session, data: EntryInput, actor: str) -> RegisterEntry:
    """A new entry entered by a person; an InputError if its kind and key exist already."""
    key = natural_key(data)
    found = session.scalar(
        select(RegisterEntry).where(RegisterEntry.kind == data.kind, RegisterEntry.key == key)
    )
    if found is not None:
        raise InputError(
            f"entry #{found.id} already has this kind and identifier (or title); edit it instead",
            field="identifier",
        )
    entry = RegisterEntry(kind=data.kind, key=key, created_by=actor, edited_fields="")
    for name, value in _columns(data).items():
        setattr(entry, name, value)
    _set_states(entry, data.states)
    _add_source(entry, data, actor)
    snapshot = {k: _plain(v) for k, v in _columns(data).items()}
    snapshot["states"] = [f"{iso3}:{role}" for iso3, role in data.states]
    entry.edits.append(
        RegisterEdit(actor=actor, action="create", changes=json.dumps(snapshot), count=0)
    )
    session.add(entry)
    session.flush()
    audit.record(session, actor, "create", "int_register_entry", entry.id, after=snapshot)
    return entry


def update_entry(
    session: Session, entry: RegisterEntry, data: EntryInput, actor: str, note: str | None = None
) -> dict[str, Any]:
    """Apply the given fields to an entry; returns {field: [before, after]} (empty: nothing
    changed). Changed fields become the editor's (``edited_fields``)."""
    changes: dict[str, Any] = {}
    columns = _columns(data)
    start = columns["start_date"] if "start" in data.given else entry.start_date
    end = columns["end_date"] if "end" in data.given else entry.end_date
    if start and end and end < start:
        field_name = "end" if "end" in data.given else "start"
        raise InputError(f"the end ({end}) is before the start ({start})", field=field_name)
    for given, names in _SETS.items():
        if given not in data.given:
            continue
        for name in names:
            before, after = getattr(entry, name), columns[name]
            if before != after:
                changes[name] = [_plain(before), _plain(after)]
                setattr(entry, name, after)
    if "states" in data.given:
        before_states = sorted(f"{s.iso3}:{s.role}" for s in entry.states if s.iso3)
        if _set_states(entry, data.states):
            changes["states"] = [before_states, [f"{i}:{r}" for i, r in data.states]]
    if "source" in data.given:
        _add_source(entry, data, actor)
        if data.source:
            changes["source"] = [None, data.source]
    if not changes:
        return changes
    edited = entry.edited() | {k for k in changes if k not in ("source",)}
    entry.edited_fields = ",".join(sorted(edited))[:300]
    entry.updated_at = utcnow()
    entry.edits.append(
        RegisterEdit(
            actor=actor,
            action="update",
            changes=json.dumps(changes, sort_keys=True),
            note=note,
            count=len(changes),
        )
    )
    session.flush()
    audit.record(session, actor, "update", "int_register_entry", entry.id, after=changes)
    return changes
