"""What every register importer does the same way: upsert an entry on its natural key (kind,
key) without touching the fields an editor set, replace its states, record its source and
up to when that source runs, and note the change in the entry's history.

Why the editor rule: the imported sources stop (the ABA ICC project in 2021); an editor who
records a conviction of 2024 must not see it undone by the next ``rightsdesk load``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from rightsdesk.core.db import utcnow
from rightsdesk.core.importing import ImportContext
from rightsdesk.interventions.register.models import (
    Accused,
    EntryState,
    RegisterEdit,
    RegisterEntry,
    RegisterSource,
)

#: Entry fields an import may set (and an editor may take over).
ENTRY_FIELDS = (
    "identifier",
    "title",
    "mandate_body",
    "mandate_ref",
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "status",
    "url",
    "notes",
)


@dataclass
class StateRole:
    """A state in an entry as a source names it; ``iso3`` None when it has no current code."""

    role: str
    iso3: str | None
    name: str


@dataclass
class EntryData:
    """One entry as an importer read it, before it is stored."""

    kind: str
    key: str
    values: dict[str, Any]
    states: list[StateRole] = field(default_factory=list)
    line: int | None = None  # where in the file, for messages


def load_stored(ctx: ImportContext, kinds: Sequence[str]) -> dict[tuple[str, str], RegisterEntry]:
    """The stored entries of some kinds, by natural key, with states, sources and accused."""
    stmt = (
        select(RegisterEntry)
        .where(RegisterEntry.kind.in_(kinds))
        .options(
            selectinload(RegisterEntry.states),
            selectinload(RegisterEntry.sources),
            selectinload(RegisterEntry.accused).selectinload(Accused.charges),
        )
    )
    return {(e.kind, e.key): e for e in ctx.session.scalars(stmt)}


def _state_set(states: Iterable[StateRole | EntryState]) -> set[tuple[str, str | None, str]]:
    return {(s.role, s.iso3, s.name) for s in states}


def store_entry(
    ctx: ImportContext,
    stored: dict[tuple[str, str], RegisterEntry],
    data: EntryData,
    origin: str,
    citation: str,
    as_of: dt.date | None,
    url: str | None = None,
) -> tuple[RegisterEntry, bool]:
    """Insert or update one entry with its states and source row; returns it and whether
    anything changed. Fields an editor set are left alone (and the report says so)."""
    entry = stored.get((data.kind, data.key))
    changes: dict[str, Any] = {}
    new = entry is None
    if entry is None:
        entry = RegisterEntry(kind=data.kind, key=data.key, created_by=ctx.dataset.imported_by)
        entry.edited_fields = ""
        entry.status = ""
        ctx.session.add(entry)
        stored[(data.kind, data.key)] = entry
    kept = entry.edited()
    for name, value in data.values.items():
        if name in kept:
            continue
        if getattr(entry, name) != value:
            changes[name] = _jsonable(value)
            setattr(entry, name, value)
    if "states" not in kept and _state_set(entry.states) != _state_set(data.states):
        entry.states.clear()
        for s in data.states:
            entry.states.append(EntryState(role=s.role, iso3=s.iso3, name=s.name[:200]))
        changes["states"] = sorted(f"{s.role}:{s.iso3 or s.name}" for s in data.states)
    taken = sorted(kept & set(data.values))
    if taken:
        ctx.report.messages.append(f"{data.kind} {data.key}: kept the editor's {', '.join(taken)}")
    source_changed = _store_source(ctx, entry, origin, citation, as_of, url)
    changed = bool(changes) or source_changed
    if new or changes:
        entry.dataset_id = ctx.dataset.id
        entry.updated_at = utcnow()
        entry.edits.append(
            RegisterEdit(
                actor=ctx.dataset.imported_by or "import",
                action="import",
                changes=json.dumps(changes, sort_keys=True),
                note=f"{origin} import, dataset #{ctx.dataset.id}",
                count=len(changes),
            )
        )
    ctx.report.count("inserted" if new else "updated" if changed else "unchanged")
    return entry, new or changed


def _store_source(
    ctx: ImportContext,
    entry: RegisterEntry,
    origin: str,
    citation: str,
    as_of: dt.date | None,
    url: str | None,
) -> bool:
    """Add or refresh the entry's source row of this origin; whether it changed."""
    for src in entry.sources:
        if src.origin == origin:
            if (src.citation, src.as_of, src.url) == (citation, as_of, url):
                return False
            src.citation, src.as_of, src.url = citation, as_of, url
            src.dataset_id = ctx.dataset.id
            return True
    entry.sources.append(
        RegisterSource(
            origin=origin,
            citation=citation,
            url=url,
            as_of=as_of,
            dataset_id=ctx.dataset.id,
            added_by=ctx.dataset.imported_by,
        )
    )
    return True


def drop_unlisted(
    ctx: ImportContext,
    stored: dict[tuple[str, str], RegisterEntry],
    listed: set[tuple[str, str]],
    origin: str,
    what: str,
) -> None:
    """With ``--replace``: delete the entries of this origin the file no longer lists (never
    an entry an editor touched). Without it the kept entries are only noted."""
    ours = [
        e
        for k, e in stored.items()
        if k not in listed
        and e.id is not None
        and any(s.origin == origin for s in e.sources)
        and not e.edited()
    ]
    total = sum(1 for e in stored.values() if any(s.origin == origin for s in e.sources))
    if ctx.may_delete(what, len(ours), total):
        for entry in ours:
            ctx.session.delete(entry)
            ctx.report.deleted += 1


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def year_date(year: Any) -> dt.date | None:
    """1 January of a year given as int or text, None when empty."""
    if year in (None, ""):
        return None
    return dt.date(int(year), 1, 1)
