"""Reading the sanctions lists for pages, the API and the command line: one entity with its
names, designations and history; entities matching filters; the lists and what they hold;
and the designations of a state's nationals and entities per year and programme (the state
page's panel and chart).

Functions take a Session and return plain dataclasses (``dataclasses.asdict`` makes JSON), so
the CLI, the pages and the API show the same figures from the same query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from rightsdesk.core.errors import InputError, NotFoundError
from rightsdesk.core.resolver import resolve_state
from rightsdesk.sanctions.history import (
    ChangeRow,
    DesignationSpan,
    designation_spans,
    entity_changes,
)
from rightsdesk.sanctions.models import (
    Designation,
    SanctionCountry,
    SanctionEntity,
    SanctionList,
    SanctionName,
    SanctionProgram,
)

__all__ = [
    "EntityDetail",
    "EntityPage",
    "EntitySummary",
    "NATIONAL_PROPS",
    "ListSummary",
    "StateProgram",
    "YearCount",
    "entity_detail",
    "list_summaries",
    "search_entities",
    "state_designations_by_year",
    "state_programs",
]

#: how an entity is tied to a state for "its nationals and entities": a person's nationality
#: or citizenship, an organisation's country or jurisdiction (a person's address is not)
NATIONAL_PROPS = ("nationality", "citizenship", "jurisdiction")
MAX_LIMIT = 1000


@dataclass(frozen=True)
class ListSummary:
    """A stored list: its latest version and how many of its entities are in force."""

    key: str
    title: str
    authority: str | None
    version_date: dt.date | None
    entities: int
    active: int


@dataclass(frozen=True)
class EntitySummary:
    """One row of an entity listing."""

    entity_id: str
    schema: str
    caption: str
    active: bool
    programs: list[str]
    countries: list[str]
    lists: list[str]
    first_seen: dt.date | None
    last_seen: dt.date | None


@dataclass(frozen=True)
class EntityPage:
    """A page of an entity listing and the count of all that match."""

    total: int
    rows: list[EntitySummary]


@dataclass(frozen=True)
class EntityDetail:
    """Everything the entity page shows: the FtM entity, its names by kind and script, the
    states it is tied to, its designations over time and the changes recorded for it."""

    entity: dict[str, Any]
    active: bool
    names: list[dict[str, str | None]]
    countries: list[dict[str, str]]
    designations: list[DesignationSpan]
    history: list[ChangeRow] = field(default_factory=list)


@dataclass(frozen=True)
class YearCount:
    """Designations of a state's nationals and entities under one programme in one year:
    how many began (``listed``) and how many ended (``delisted``). ``year`` is None for
    designations whose list gives no listing date (OFAC's legacy CSV)."""

    year: int | None
    program: str
    program_key: str | None
    list_key: str
    listed: int
    delisted: int


@dataclass(frozen=True)
class StateProgram:
    """A programme under which a state's nationals or entities are designated."""

    program: str
    program_key: str | None
    title: str | None
    human_rights: bool
    list_key: str
    authority: str
    active: int
    ended: int


def list_summaries(session: Session) -> list[ListSummary]:
    """The stored lists, by key."""
    counts = {
        key: (total, active or 0)
        for key, total, active in session.execute(
            select(
                Designation.list_key,
                func.count(func.distinct(Designation.entity_pk)),
                func.count(func.distinct(Designation.entity_pk)).filter(
                    Designation.delisted_on.is_(None)
                ),
            ).group_by(Designation.list_key)
        )
    }
    return [
        ListSummary(
            key=lst.key,
            title=lst.title,
            authority=lst.authority,
            version_date=lst.version_date,
            entities=counts.get(lst.key, (0, 0))[0],
            active=counts.get(lst.key, (0, 0))[1],
        )
        for lst in session.scalars(select(SanctionList).order_by(SanctionList.key))
    ]


def get_entity(session: Session, entity_id: str) -> SanctionEntity:
    """The stored entity ``entity_id`` or NotFoundError."""
    stmt = (
        select(SanctionEntity)
        .where(SanctionEntity.entity_id == entity_id)
        .options(
            selectinload(SanctionEntity.names),
            selectinload(SanctionEntity.countries),
            selectinload(SanctionEntity.designations),
        )
    )
    found = session.scalars(stmt).first()
    if found is None:
        raise NotFoundError(f"no sanctioned entity {entity_id!r}")
    return found


def entity_detail(session: Session, entity_id: str) -> EntityDetail:
    """The entity page's content for ``entity_id`` (NotFoundError when unknown)."""
    entity = get_entity(session, entity_id)
    return EntityDetail(
        entity=entity.to_ftm(),
        active=entity.active,
        names=[{"kind": n.kind, "name": n.name, "script": n.script} for n in entity.names],
        countries=[{"prop": c.prop, "iso3": c.iso3} for c in entity.countries],
        designations=designation_spans(entity),
        history=entity_changes(session, entity_id),
    )


def _program_match(program: str) -> ColumnElement[bool]:
    return or_(Designation.program_key == program, Designation.program_code == program)


def search_entities(
    session: Session,
    program: str | None = None,
    country: str | None = None,
    schema: str | None = None,
    active: bool | None = True,
    text: str | None = None,
    list_key: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> EntityPage:
    """Entities matching every filter given, by caption.

    ``program`` is a registry key (``US-GLOMAG``) or a list's own code (``GLOMAG``); with
    ``active`` True only designations in force count for it. ``country`` is a state name or
    code (any of the entity's country properties). ``text`` is part of any name, in any
    script, case ignored. ``active`` None lists ended entities too.
    """
    if not 0 < limit <= MAX_LIMIT:
        raise InputError(f"limit must be 1 to {MAX_LIMIT}", field="limit")
    if offset < 0:
        raise InputError("offset must be 0 or more", field="offset")
    where: list[ColumnElement[bool]] = []
    if active is not None:
        where.append(SanctionEntity.active.is_(active))
    if schema:
        where.append(SanctionEntity.schema == schema)
    if program or list_key:
        cond = [Designation.entity_pk == SanctionEntity.id]
        if program:
            cond.append(_program_match(program))
        if list_key:
            cond.append(Designation.list_key == list_key)
        if active:
            cond.append(Designation.delisted_on.is_(None))
        where.append(exists().where(and_(*cond)))
    if country:
        iso3 = resolve_state(country)
        where.append(
            exists().where(
                SanctionCountry.entity_pk == SanctionEntity.id, SanctionCountry.iso3 == iso3
            )
        )
    if text and text.strip():
        pattern = "%" + _escape_like(text.strip().lower()) + "%"
        where.append(
            exists().where(
                SanctionName.entity_pk == SanctionEntity.id,
                func.lower(SanctionName.name).like(pattern, escape="\\"),
            )
        )
    total = session.scalar(select(func.count()).select_from(SanctionEntity).where(*where)) or 0
    stmt = (
        select(SanctionEntity)
        .where(*where)
        .order_by(SanctionEntity.caption, SanctionEntity.entity_id)
        .limit(limit)
        .offset(offset)
        .options(selectinload(SanctionEntity.designations), selectinload(SanctionEntity.countries))
    )
    return EntityPage(total, [_summary(e) for e in session.scalars(stmt)])


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _summary(entity: SanctionEntity) -> EntitySummary:
    in_force = [d for d in entity.designations if d.delisted_on is None] or entity.designations
    programs = sorted({d.program_key or d.program_code for d in in_force if d.program_code})
    return EntitySummary(
        entity_id=entity.entity_id,
        schema=entity.schema,
        caption=entity.caption,
        active=entity.active,
        programs=programs,
        countries=sorted({c.iso3 for c in entity.countries}),
        lists=sorted({d.list_key for d in entity.designations}),
        first_seen=entity.first_seen,
        last_seen=entity.last_seen,
    )


def _nationals(iso3: str) -> ColumnElement[bool]:
    """Designations of entities tied to ``iso3`` as nationals (persons) or by country or
    jurisdiction (organisations, vessels)."""
    return exists().where(
        SanctionCountry.entity_pk == Designation.entity_pk,
        SanctionCountry.iso3 == iso3,
        or_(
            SanctionCountry.prop.in_(NATIONAL_PROPS),
            and_(SanctionCountry.prop == "country", SanctionEntity.schema != "Person"),
        ),
    )


def state_designations_by_year(session: Session, state: str) -> list[YearCount]:
    """Per year and programme, how many designations of the state's nationals and entities
    began and ended: the state page's chart. Undated listings come last (year None)."""
    iso3 = resolve_state(state)
    base = (
        select(Designation)
        .join(SanctionEntity, SanctionEntity.id == Designation.entity_pk)
        .where(_nationals(iso3))
        .subquery()
    )
    program = func.coalesce(base.c.program_key, base.c.program_code)
    listed_year = func.extract("year", base.c.listed_on)
    counts: dict[tuple[int | None, str, str | None, str], list[int]] = {}
    listed = select(
        listed_year, program, base.c.program_key, base.c.list_key, func.count()
    ).group_by(listed_year, program, base.c.program_key, base.c.list_key)
    for year, prog, key, list_key, n in session.execute(listed):
        slot = (None if year is None else int(year), prog, key, list_key)
        counts.setdefault(slot, [0, 0])[0] += n
    ended_year = func.extract("year", base.c.delisted_on)
    ended = (
        select(ended_year, program, base.c.program_key, base.c.list_key, func.count())
        .where(base.c.delisted_on.is_not(None))
        .group_by(ended_year, program, base.c.program_key, base.c.list_key)
    )
    for year, prog, key, list_key, n in session.execute(ended):
        counts.setdefault((int(year), prog, key, list_key), [0, 0])[1] += n
    rows = [
        YearCount(year, prog, key, list_key, c[0], c[1])
        for (year, prog, key, list_key), c in counts.items()
    ]
    return sorted(rows, key=lambda r: (r.year is None, r.year or 0, r.program, r.list_key))


def state_programs(session: Session, state: str) -> list[StateProgram]:
    """The programmes under which the state's nationals and entities are designated, with
    counts in force and ended, human-rights regimes first (the state page's panel)."""
    iso3 = resolve_state(state)
    program = func.coalesce(Designation.program_key, Designation.program_code)
    stmt = (
        select(
            program,
            Designation.program_key,
            Designation.list_key,
            Designation.authority,
            func.count().filter(Designation.delisted_on.is_(None)),
            func.count().filter(Designation.delisted_on.is_not(None)),
        )
        .join(SanctionEntity, SanctionEntity.id == Designation.entity_pk)
        .where(_nationals(iso3))
        .group_by(program, Designation.program_key, Designation.list_key, Designation.authority)
    )
    rows = list(session.execute(stmt))
    keys = {key for _, key, *_ in rows if key}
    registry = {
        p.key: p
        for p in session.scalars(select(SanctionProgram).where(SanctionProgram.key.in_(keys)))
    }
    out = []
    for prog, key, list_key, authority, active, ended in rows:
        known = registry.get(key) if key else None
        out.append(
            StateProgram(
                program=prog,
                program_key=key,
                title=known.title if known else None,
                human_rights=bool(known and known.human_rights),
                list_key=list_key,
                authority=authority,
                active=active or 0,
                ended=ended or 0,
            )
        )
    return sorted(out, key=lambda p: (not p.human_rights, -p.active, p.program))
