"""The history of the sanctions lists, read back: which versions of each list were imported
and what each added, removed or changed; the changes of a list between two dates; the
designations of one entity over time.

Everything is dated by the *version of the file* that showed it (the UN's ``dateGenerated``,
the date of an OFAC file), never by the day of the import, so two imports of an old and a
new file give the history between their dates (see ``sources/store_version.py``). Used by the
CLI (``sanctions lists``, ``sanctions changes``), the entity page and the API.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from rightsdesk.core.errors import InputError, NotFoundError
from rightsdesk.sanctions.models import Designation, SanctionChange, SanctionEntity, SanctionList

__all__ = [
    "ChangeRow",
    "DesignationSpan",
    "ListVersion",
    "date_bound",
    "designation_spans",
    "entity_changes",
    "get_list",
    "list_changes",
    "list_versions",
]

_BOUND = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def date_bound(text: str | None, end: bool = False, field: str = "from") -> dt.date | None:
    """A date a user typed as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: the first day of the
    year or month it names, or with ``end`` the last, so ``--from 2021 --to 2024`` spans both
    whole years. None for no bound; InputError naming ``field`` when malformed."""
    if text is None or not text.strip():
        return None
    m = _BOUND.match(text.strip())
    try:
        if m is None:
            raise ValueError
        year = int(m.group(1))
        if m.group(3):
            return dt.date(year, int(m.group(2)), int(m.group(3)))
        if m.group(2):
            month = int(m.group(2))
            first = dt.date(year, month, 1)
            if not end:
                return first
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    except ValueError:
        raise InputError(
            f"malformed date {text!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)", field=field
        ) from None


@dataclass(frozen=True)
class ListVersion:
    """One imported version of a list and what it changed against the version before."""

    list_key: str
    version_date: dt.date | None
    previous_version: dt.date | None
    added: int
    removed: int
    changed: int


@dataclass(frozen=True)
class ChangeRow:
    """One entity added, removed or changed by one version of a list."""

    list_key: str
    version_date: dt.date | None
    previous_version: dt.date | None
    change: str
    entity_id: str
    caption: str
    detail: str | None


@dataclass(frozen=True)
class DesignationSpan:
    """One designation of an entity, from its listing (or first sighting) to its end."""

    list_key: str
    authority: str
    program_code: str
    program_key: str | None
    listed_on: dt.date | None
    delisted_on: dt.date | None
    first_seen: dt.date | None
    last_seen: dt.date | None
    measure: str | None
    reason: str | None
    source_ref: str
    active: bool


def get_list(session: Session, key: str) -> SanctionList:
    """The stored list ``key`` (``us_ofac_sdn``, ``un_sc_sanctions``, ...) or NotFoundError
    naming the lists there are."""
    found = session.scalars(select(SanctionList).where(SanctionList.key == key)).first()
    if found is None:
        keys = ", ".join(session.scalars(select(SanctionList.key).order_by(SanctionList.key)))
        raise NotFoundError(f"no sanctions list {key!r}; stored lists: {keys or 'none'}")
    return found


def list_versions(session: Session, list_key: str | None = None) -> list[ListVersion]:
    """Every version of every list (or of one) with its counts of changes, oldest first."""
    counts: dict[tuple[str, dt.date | None], dict[str, int]] = {}
    previous: dict[tuple[str, dt.date | None], dt.date | None] = {}
    stmt = select(
        SanctionChange.list_key,
        SanctionChange.version_date,
        SanctionChange.previous_version,
        SanctionChange.change,
        func.count(),
    ).group_by(
        SanctionChange.list_key,
        SanctionChange.version_date,
        SanctionChange.previous_version,
        SanctionChange.change,
    )
    if list_key is not None:
        stmt = stmt.where(SanctionChange.list_key == list_key)
    for key, version, prev, change, n in session.execute(stmt):
        slot = counts.setdefault((key, version), {"added": 0, "removed": 0, "changed": 0})
        slot[change] += n
        if prev is not None:
            previous[(key, version)] = prev
    out = [
        ListVersion(
            key, version, previous.get((key, version)), c["added"], c["removed"], c["changed"]
        )
        for (key, version), c in counts.items()
    ]
    return sorted(out, key=lambda v: (v.list_key, v.version_date or dt.date.min))


def list_changes(
    session: Session,
    list_key: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    change: str | None = None,
    program: str | None = None,
) -> list[ChangeRow]:
    """The changes of one list recorded by versions dated ``start`` to ``end`` (inclusive),
    of one kind (``added``, ``removed``, ``changed``) and for entities designated under
    ``program`` (registry key or the list's code) when given, by version then entity."""
    get_list(session, list_key)
    if change is not None and change not in ("added", "removed", "changed"):
        raise InputError(f"unknown change {change!r} (added, removed or changed)", field="change")
    stmt = select(SanctionChange).where(SanctionChange.list_key == list_key)
    if start is not None:
        stmt = stmt.where(SanctionChange.version_date >= start)
    if end is not None:
        stmt = stmt.where(SanctionChange.version_date <= end)
    if change is not None:
        stmt = stmt.where(SanctionChange.change == change)
    if program is not None:
        under = (
            select(SanctionEntity.entity_id)
            .join(Designation, Designation.entity_pk == SanctionEntity.id)
            .where(
                and_(
                    Designation.list_key == list_key,
                    or_(Designation.program_key == program, Designation.program_code == program),
                )
            )
        )
        stmt = stmt.where(SanctionChange.entity_id.in_(under))
    stmt = stmt.order_by(SanctionChange.version_date, SanctionChange.entity_id, SanctionChange.id)
    return [_change_row(c) for c in session.scalars(stmt)]


def entity_changes(session: Session, entity_id: str) -> list[ChangeRow]:
    """Every change recorded for one entity, in any list, oldest first."""
    stmt = (
        select(SanctionChange)
        .where(SanctionChange.entity_id == entity_id)
        .order_by(SanctionChange.version_date, SanctionChange.id)
    )
    return [_change_row(c) for c in session.scalars(stmt)]


def designation_spans(entity: SanctionEntity) -> list[DesignationSpan]:
    """The entity's designations over time: in force first, then by listing date."""
    spans = [
        DesignationSpan(
            list_key=d.list_key,
            authority=d.authority,
            program_code=d.program_code,
            program_key=d.program_key,
            listed_on=d.listed_on,
            delisted_on=d.delisted_on,
            first_seen=d.first_seen,
            last_seen=d.last_seen,
            measure=d.measure,
            reason=d.reason,
            source_ref=d.source_ref,
            active=d.delisted_on is None,
        )
        for d in entity.designations
    ]
    return sorted(
        spans,
        key=lambda s: (not s.active, s.listed_on or s.first_seen or dt.date.min, s.program_code),
    )


def _change_row(c: SanctionChange) -> ChangeRow:
    return ChangeRow(
        list_key=c.list_key,
        version_date=c.version_date,
        previous_version=c.previous_version,
        change=c.change,
        entity_id=c.entity_id,
        caption=c.caption,
        detail=c.detail,
    )
