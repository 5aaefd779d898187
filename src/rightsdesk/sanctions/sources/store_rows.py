"""The row-level pieces of ``store_version``: what names and countries an entity's properties
give, the script of a name, programme keys, and the bulk insert of entities a list version
adds (most of a first import: thousands of entities, written as a few multi-row INSERTs rather
than one ORM object graph each)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from rightsdesk.sanctions.models import (
    NAME_KINDS,
    Designation,
    SanctionChange,
    SanctionCountry,
    SanctionEntity,
    SanctionName,
)
from rightsdesk.sanctions.sources.ftm_values import iso3_of_code
from rightsdesk.sanctions.sources.parsed import ParsedDesignation, ParsedEntity

__all__ = [
    "COUNTRY_PROPS",
    "Children",
    "NewRows",
    "caption_of",
    "detect_script",
    "program_resolver",
    "wanted_countries",
    "wanted_names",
]

#: FtM properties that tie an entity to a state (the state page reads them)
COUNTRY_PROPS = ("nationality", "citizenship", "country", "jurisdiction", "birthCountry")

#: first word of a letter's Unicode name -> the script stored with a name
_CHUNK = 500  # ids per IN (...) query
_SCRIPTS = {"CJK": "Han", "HIRAGANA": "Japanese", "KATAKANA": "Japanese", "HANGUL": "Hangul"}


def detect_script(text: str) -> str | None:
    """The script most letters of ``text`` are written in ("Latin", "Arabic", "Cyrillic",
    "Han", ...), or None when it has no letters. Screening transliterates by it and pages
    label original-script names with it."""
    if text.isascii():
        return "Latin" if any(ch.isalpha() for ch in text) else None
    counts: dict[str, int] = {}
    for ch in text:
        if not ch.isalpha():
            continue
        try:
            word = unicodedata.name(ch).split(" ", 1)[0]
        except ValueError:
            continue
        script = _SCRIPTS.get(word, word.title())
        counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    return max(counts.items(), key=lambda item: item[1])[0]


def program_resolver(session: Session, list_key: str) -> Callable[[str, str], str | None]:
    """A cached ``(code, authority) -> registry key`` function over the programme registry
    (``sanctions.programs``): the list's key decides between programmes that share a code
    (OFAC's and the UK's "DPRK"), then the authority's name; None while the registry is not
    loaded (its import re-maps stored designations)."""
    from rightsdesk.sanctions.programs import program_resolver as registry

    resolver = registry(session)
    cache: dict[tuple[str, str], str | None] = {}

    def lookup(code: str, authority: str) -> str | None:
        if (code, authority) not in cache:
            key = resolver.resolve(code, list_key) if code else None
            if key is None and code:
                key = resolver.resolve(code, authority)
            cache[(code, authority)] = key
        return cache[(code, authority)]

    return lookup


def caption_of(pe: ParsedEntity) -> str:
    """The name shown for an entity: its first name of the strongest kind, else its id."""
    for prop in NAME_KINDS:
        values = pe.properties.get(prop)
        if values:
            return values[0]
    return pe.entity_id


def wanted_names(properties: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(kind, name) of every name property, once each, in property order."""
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for kind in NAME_KINDS:
        for name in properties.get(kind, []):
            if (kind, name) not in seen:
                seen.add((kind, name))
                out.append((kind, name))
    return out


def wanted_countries(properties: dict[str, list[str]]) -> list[tuple[str, str]]:
    """(prop, ISO3) of every country property rightsdesk knows the state of, once each."""
    out: list[tuple[str, str]] = []
    for prop in COUNTRY_PROPS:
        for value in properties.get(prop, []):
            iso3 = iso3_of_code(value)
            if iso3 is not None and (prop, iso3) not in out:
                out.append((prop, iso3))
    return out


def designation_values(
    pd: ParsedDesignation, program_key: Callable[[str, str], str | None]
) -> dict[str, Any]:
    """The columns of a designation row the file states."""
    return {
        "authority": pd.authority,
        "program_code": pd.program_code,
        "program_key": pd.program_key or program_key(pd.program_code, pd.authority),
        "measure": pd.measure,
        "listed_on": pd.listed_on,
        "delisted_on": pd.delisted_on,
        "reason": pd.reason,
        "source_document": pd.source_document,
        "source_ref": pd.source_ref,
    }


@dataclass
class NewRows:
    """Entities a version adds, gathered and then written in bulk (``flush``)."""

    list_key: str
    version: dt.date | None
    dataset_id: int
    program_key: Callable[[str, str], str | None]
    ended_by: dt.date | None = None  # an older file: its designations end by the stored date
    entities: list[tuple[ParsedEntity, dict[str, list[str]]]] = field(default_factory=list)

    def add(self, pe: ParsedEntity, properties: dict[str, list[str]]) -> None:
        self.entities.append((pe, properties))

    def flush(self, session: Session) -> list[dict[str, Any]]:
        """Insert the gathered entities with their names, countries and designations; the
        change rows ("added") to record, one per entity in force."""
        if not self.entities:
            return []
        entity_rows = []
        for pe, properties in self.entities:
            active = self.ended_by is None and any(d.delisted_on is None for d in pe.designations)
            entity_rows.append(
                {
                    "entity_id": pe.entity_id,
                    "schema": pe.schema,
                    "caption": caption_of(pe),
                    "properties": properties,
                    "datasets": datasets_of([], self.list_key, pe),
                    "first_seen": self.version,
                    "last_seen": self.version,
                    "last_change": None if self.ended_by else self.version,
                    "active": active,
                    "dataset_id": self.dataset_id,
                }
            )
        pks: dict[str, int] = {}
        for start in range(0, len(entity_rows), 1000):
            chunk = entity_rows[start : start + 1000]
            stmt = insert(SanctionEntity).returning(SanctionEntity.id, SanctionEntity.entity_id)
            for pk, entity_id in session.execute(stmt, chunk):
                pks[entity_id] = pk
        names: list[dict[str, Any]] = []
        countries: list[dict[str, Any]] = []
        designations: list[dict[str, Any]] = []
        changes: list[dict[str, Any]] = []
        for (pe, properties), row in zip(self.entities, entity_rows, strict=True):
            pk = pks[pe.entity_id]
            names += [
                {"entity_pk": pk, "kind": kind, "name": name, "script": detect_script(name)}
                for kind, name in wanted_names(properties)
            ]
            countries += [
                {"entity_pk": pk, "prop": prop, "iso3": iso3}
                for prop, iso3 in wanted_countries(properties)
            ]
            codes: set[str] = set()
            for pd in unique_designations(pe):
                values = designation_values(pd, self.program_key)
                if self.ended_by is not None and values["delisted_on"] is None:
                    values["delisted_on"] = self.ended_by
                if values["delisted_on"] is None:
                    codes.add(pd.program_code or "?")
                designations.append(
                    {
                        **values,
                        "entity_pk": pk,
                        "list_key": self.list_key,
                        "first_seen": self.version,
                        "last_seen": self.version,
                        "dataset_id": self.dataset_id,
                    }
                )
            if codes and self.ended_by is None:
                changes.append(
                    change_row(
                        self.list_key,
                        pe.entity_id,
                        str(row["caption"]),
                        "added",
                        "programmes: " + ", ".join(sorted(codes)),
                    )
                )
        for model, rows in ((SanctionName, names), (SanctionCountry, countries)):
            if rows:
                session.execute(insert(model), rows)
        if designations:
            session.execute(insert(Designation), designations)
        self.entities = []
        return changes


@dataclass
class Children:
    """The names and countries of the stored entities a version touches, as plain rows: the
    rows of an entity whose names (countries) the file changes are replaced in bulk at the
    end (``flush``), so an unchanged entity costs two tuple comparisons, not ORM objects."""

    names: dict[int, list[tuple[str, str]]]
    countries: dict[int, list[tuple[str, str]]]
    new_names: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    new_countries: dict[int, list[tuple[str, str]]] = field(default_factory=dict)

    @classmethod
    def load(cls, session: Session, pks: list[int]) -> Children:
        names: dict[int, list[tuple[str, str]]] = {pk: [] for pk in pks}
        countries: dict[int, list[tuple[str, str]]] = {pk: [] for pk in pks}
        for start in range(0, len(pks), _CHUNK):
            chunk = pks[start : start + _CHUNK]
            for pk, kind, name in session.execute(
                select(SanctionName.entity_pk, SanctionName.kind, SanctionName.name)
                .where(SanctionName.entity_pk.in_(chunk))
                .order_by(SanctionName.id)
            ):
                names[pk].append((kind, name))
            for pk, prop, iso3 in session.execute(
                select(SanctionCountry.entity_pk, SanctionCountry.prop, SanctionCountry.iso3)
                .where(SanctionCountry.entity_pk.in_(chunk))
                .order_by(SanctionCountry.id)
            ):
                countries[pk].append((prop, iso3))
        return cls(names, countries)

    def set_names(self, pk: int, wanted: list[tuple[str, str]]) -> bool:
        """Whether the entity's names change to ``wanted`` (then written by ``flush``)."""
        if self.names.get(pk, []) == wanted:
            return False
        self.new_names[pk] = wanted
        return True

    def set_countries(self, pk: int, wanted: list[tuple[str, str]]) -> bool:
        if self.countries.get(pk, []) == wanted:
            return False
        self.new_countries[pk] = wanted
        return True

    def flush(self, session: Session) -> None:
        """Replace the names and countries of the entities whose rows changed."""
        for model, table, rows in (
            (SanctionName, self.new_names, self._name_rows()),
            (SanctionCountry, self.new_countries, self._country_rows()),
        ):
            pks = list(table)
            for start in range(0, len(pks), _CHUNK):
                chunk = pks[start : start + _CHUNK]
                session.execute(delete(model).where(model.entity_pk.in_(chunk)))
            if rows:
                session.execute(insert(model), rows)
        self.new_names, self.new_countries = {}, {}

    def _name_rows(self) -> list[dict[str, Any]]:
        return [
            {"entity_pk": pk, "kind": kind, "name": name, "script": detect_script(name)}
            for pk, wanted in self.new_names.items()
            for kind, name in wanted
        ]

    def _country_rows(self) -> list[dict[str, Any]]:
        return [
            {"entity_pk": pk, "prop": prop, "iso3": iso3}
            for pk, wanted in self.new_countries.items()
            for prop, iso3 in wanted
        ]


def unique_designations(pe: ParsedEntity) -> list[ParsedDesignation]:
    """The entity's designations, one per (programme code, source reference)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for pd in pe.designations:
        key = (pd.program_code, pd.source_ref)
        if key not in seen:
            seen.add(key)
            out.append(pd)
    return out


def datasets_of(current: list[str], list_key: str, pe: ParsedEntity) -> list[str]:
    """The entity's dataset keys: those it had, this list, and any the parser names."""
    extra: list[str] = list(getattr(pe, "datasets", None) or [])
    out = list(current or [])
    for key in [list_key, *extra]:
        if key not in out:
            out.append(key)
    return out


def change_row(
    list_key: str, entity_id: str, caption: str, change: str, detail: str
) -> dict[str, Any]:
    """A SanctionChange row without its dates (``write_changes`` adds them)."""
    return {
        "list_key": list_key,
        "entity_id": entity_id,
        "caption": caption,
        "change": change,
        "detail": detail[:2000],
    }


def write_changes(
    session: Session,
    rows: list[dict[str, Any]],
    version: dt.date | None,
    previous: dt.date | None,
    dataset_id: int,
) -> None:
    """Insert the change rows of one version, dated by the file's version."""
    if not rows:
        return
    extra = {"version_date": version, "previous_version": previous, "dataset_id": dataset_id}
    session.execute(insert(SanctionChange), [{**row, **extra} for row in rows])
