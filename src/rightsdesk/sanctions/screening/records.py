"""What the screening index keeps of each stored entity, read from the store in three queries.

A hit must say which list and programme an entity is on and which designations are in force,
without a store round trip per hit (a batch of a million names cannot afford one). So the index
keeps, beside each entity's prepared names, a small frozen record: caption, schema, lists,
programmes (registry key when known, the list's own code otherwise, with the human-rights
flag), active designations and weak aliases (shown, never matched). The records are plain
values: they pickle to the data folder with the index and travel to Spark executors.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from followthemoney import model as ftm_model
from followthemoney.types import registry
from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.sanctions.matching import Query
from rightsdesk.sanctions.matching.entity import SINGLE_ID_PROPS
from rightsdesk.sanctions.models import Designation, SanctionEntity, SanctionName, SanctionProgram

__all__ = [
    "DesignationRef",
    "EntityRecord",
    "ProgramRef",
    "entity_query",
    "read_entities",
]

#: Name kinds that are matched; weak aliases ("Abu Ali") are shown with a hit, never matched.
MATCHED_KINDS = ("name", "alias", "previousName")
#: Country properties compared with a query's nationality, by kind of entity: a person's
#: nationality, an organisation's country of registration or operation.
PERSON_COUNTRIES = ("nationality", "citizenship")
OTHER_COUNTRIES = ("jurisdiction", "country", "nationality")


@dataclass(frozen=True, slots=True)
class ProgramRef:
    """A programme an entity is designated under: the registry key when the registry knows
    the list's code (``US-GLOMAG``), the code as the list writes it, and whether it is a
    human-rights regime."""

    code: str
    key: str | None = None
    title: str | None = None
    human_rights: bool = False

    @property
    def label(self) -> str:
        """What a CSV cell or a table shows: the registry key, else the list's code."""
        return self.key or self.code


@dataclass(frozen=True, slots=True)
class DesignationRef:
    """One designation in force: who listed the entity, under what, since when."""

    list_key: str
    authority: str
    program: str
    measure: str | None = None
    listed_on: str | None = None  # ISO date
    source_ref: str = ""


@dataclass(frozen=True, slots=True)
class EntityRecord:
    """What a hit shows about a listed entity (no store object: it pickles and travels)."""

    entity_id: str
    caption: str
    schema: str
    active: bool
    lists: tuple[str, ...] = ()
    programs: tuple[ProgramRef, ...] = ()
    designations: tuple[DesignationRef, ...] = ()
    weak_aliases: tuple[str, ...] = ()
    query: Query = field(default_factory=lambda: Query(schema="Thing", names=()))


@lru_cache(maxsize=64)
def identifier_props(schema: str) -> tuple[str, ...]:
    """The FtM properties of ``schema`` that hold identifiers (passport, IMO, tax number...):
    read from the FtM model so a schema's new identifier property is compared without a
    change here."""
    found = ftm_model.get(schema)
    if found is None:
        return ()
    return tuple(
        sorted(name for name, prop in found.properties.items() if prop.type == registry.identifier)
    )


def _values(props: dict[str, list[str]], names: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for name in names:
        for value in props.get(name) or ():
            if value and value.strip():
                seen.setdefault(value.strip(), None)
    return tuple(seen)


def entity_query(schema: str, names: Sequence[str], props: dict[str, list[str]]) -> Query:
    """The matcher's view of a stored entity: its matched names and comparable properties."""
    found = ftm_model.get(schema)
    person = found is not None and found.is_a("Person")
    countries = PERSON_COUNTRIES if person else OTHER_COUNTRIES
    genders = _values(props, ("gender",))
    return Query(
        schema=schema,
        names=tuple(names),
        birth_dates=_values(props, ("birthDate",)),
        nationalities=tuple(c.lower() for c in _values(props, countries)),
        gender=genders[0].lower() if len(genders) == 1 else None,
        identifiers=_values(props, identifier_props(schema)),
        # a different passport or tax number counts against; a shared address a little for
        typed_identifiers=tuple((p, v) for p in SINGLE_ID_PROPS for v in _values(props, (p,))),
        addresses=_values(props, ("address",)),
    )


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def read_entities(session: Session, lists: Sequence[str] | None = None) -> list[EntityRecord]:
    """Every stored entity (or those designated on ``lists``), in entity-id order.

    Three bulk reads (entities, names, designations) instead of one per entity: building the
    index over ~25,000 entities takes seconds, not minutes.
    """
    programs = {
        key: (title, bool(hr))
        for key, title, hr in session.execute(
            select(SanctionProgram.key, SanctionProgram.title, SanctionProgram.human_rights)
        )
    }
    names: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for pk, kind, name in session.execute(
        select(SanctionName.entity_pk, SanctionName.kind, SanctionName.name).order_by(
            SanctionName.id
        )
    ):
        names[pk].append((kind, name))
    designations: dict[int, list[Any]] = defaultdict(list)
    for row in session.execute(
        select(
            Designation.entity_pk,
            Designation.list_key,
            Designation.authority,
            Designation.program_code,
            Designation.program_key,
            Designation.measure,
            Designation.listed_on,
            Designation.delisted_on,
            Designation.source_ref,
        ).order_by(Designation.id)
    ):
        designations[row.entity_pk].append(row)
    wanted = set(lists) if lists is not None else None
    records: list[EntityRecord] = []
    stmt = select(
        SanctionEntity.id,
        SanctionEntity.entity_id,
        SanctionEntity.schema,
        SanctionEntity.caption,
        SanctionEntity.properties,
        SanctionEntity.datasets,
        SanctionEntity.active,
    ).order_by(SanctionEntity.entity_id)
    for pk, entity_id, schema, caption, props, datasets, active in session.execute(stmt):
        rows = designations.get(pk, [])
        list_keys = tuple(dict.fromkeys([*(r.list_key for r in rows), *(datasets or [])]))
        if wanted is not None and not wanted.intersection(list_keys):
            continue
        matched = [n for k, n in names.get(pk, []) if k in MATCHED_KINDS]
        weak = tuple(n for k, n in names.get(pk, []) if k == "weakAlias")
        if not matched:  # only weak aliases: the caption (the list's main name) still counts
            matched = [caption]
        in_force = [r for r in rows if r.delisted_on is None]
        refs: dict[str, ProgramRef] = {}
        for r in in_force:
            code = r.program_code or ""
            if not code and not r.program_key:
                continue
            title, human_rights = programs.get(r.program_key or "", (None, False))
            ref = ProgramRef(code=code, key=r.program_key, title=title, human_rights=human_rights)
            refs.setdefault(ref.label, ref)
        records.append(
            EntityRecord(
                entity_id=entity_id,
                caption=caption,
                schema=schema,
                active=bool(active),
                lists=list_keys,
                programs=tuple(refs.values()),
                designations=tuple(
                    DesignationRef(
                        list_key=r.list_key,
                        authority=r.authority,
                        program=r.program_key or r.program_code or "",
                        measure=r.measure,
                        listed_on=_iso(r.listed_on),
                        source_ref=r.source_ref or "",
                    )
                    for r in in_force
                ),
                weak_aliases=weak,
                query=entity_query(schema, matched, props or {}),
            )
        )
    return records
