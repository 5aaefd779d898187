"""What the sanctions form offers other forms about one state: the designations of its
nationals and entities under human-rights regimes, and the regimes aimed at the state
itself, as plain values (``rightsdesk.forms.service("sanctions", NAME)``).

The interventions form's escalation view lists them among the responses a state has drawn.
It must not import this form nor hold its ORM rows, so these functions return frozen
dataclasses. Dates are what the stored lists say: ``first_listed`` is the earliest listing
date the lists give (OFAC's legacy files give none), so "first listed in 2021" means "in the
lists as loaded", and ``lists_coverage`` says up to when each list runs.

"The state's nationals and entities" is read as the state page reads it
(``queries.NATIONAL_PROPS``): a person by nationality, citizenship or jurisdiction, an
organisation, vessel, ... also by its country. A regime "aimed at the state" is one whose
registry entry names the state among its target territories (OpenSanctions' FtM codes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from rightsdesk.core.resolver import reference_states
from rightsdesk.sanctions.models import (
    Designation,
    SanctionCountry,
    SanctionEntity,
    SanctionList,
    SanctionProgram,
)
from rightsdesk.sanctions.queries import NATIONAL_PROPS

__all__ = [
    "HumanRightsDesignations",
    "ListCoverage",
    "RegimeOnState",
    "human_rights_designations",
    "lists_coverage",
    "regimes_on_state",
]

#: words of a programme's measures that mean arms are embargoed or restricted
ARMS_MEASURES = ("arms embargo", "arms restrictions")
#: the issuer code of the UN Security Council in OpenSanctions' registry
UN_ISSUER = "zz_unsc"


@dataclass(frozen=True)
class HumanRightsDesignations:
    """Designations of the state's nationals and entities under one human-rights regime on
    one list: how many in force and ended, and the listing dates the list gives."""

    program: str  # registry key, or the list's own code when the registry has none
    title: str | None
    authority: str
    list_key: str
    active: int
    ended: int
    first_listed: dt.date | None
    last_listed: dt.date | None


@dataclass(frozen=True)
class RegimeOnState:
    """A sanctions programme whose registry entry targets the state, and what the stored
    lists hold under it (anyone designated, whatever their nationality)."""

    key: str
    title: str
    issuer: str | None
    measures: tuple[str, ...]
    url: str | None
    human_rights: bool
    arms: bool  # an arms embargo or arms restrictions among its measures
    security_council: bool  # adopted by the UN Security Council
    designations: int
    active: int
    first_listed: dt.date | None
    last_listed: dt.date | None


@dataclass(frozen=True)
class ListCoverage:
    """A stored list and the date of its latest version (what "data up to" means here)."""

    key: str
    title: str
    authority: str | None
    version_date: dt.date | None


def _nationals(iso3: str) -> ColumnElement[bool]:
    """The designation's entity is tied to ``iso3`` as a national or by its country."""
    return exists().where(
        SanctionCountry.entity_pk == Designation.entity_pk,
        SanctionCountry.iso3 == iso3,
        or_(
            SanctionCountry.prop.in_(NATIONAL_PROPS),
            and_(SanctionCountry.prop == "country", SanctionEntity.schema != "Person"),
        ),
    )


def human_rights_designations(session: Session, iso3: str) -> list[HumanRightsDesignations]:
    """Designations of the state's nationals and entities under programmes the registry marks
    as human-rights regimes (Global Magnitsky, the EU and UK global regimes, ...), most in
    force first."""
    code = iso3.upper()
    hr_keys = select(SanctionProgram.key).where(SanctionProgram.human_rights.is_(True))
    stmt = (
        select(
            Designation.program_key,
            Designation.authority,
            Designation.list_key,
            func.count().filter(Designation.delisted_on.is_(None)),
            func.count().filter(Designation.delisted_on.is_not(None)),
            func.min(Designation.listed_on),
            func.max(Designation.listed_on),
        )
        .join(SanctionEntity, SanctionEntity.id == Designation.entity_pk)
        .where(Designation.program_key.in_(hr_keys), _nationals(code))
        .group_by(Designation.program_key, Designation.authority, Designation.list_key)
    )
    rows = list(session.execute(stmt))
    keys = {r[0] for r in rows}
    titles: dict[str, str] = {
        key: title
        for key, title in session.execute(
            select(SanctionProgram.key, SanctionProgram.title).where(SanctionProgram.key.in_(keys))
        )
    }
    out = [
        HumanRightsDesignations(
            program=key or "",
            title=titles.get(key or ""),
            authority=authority,
            list_key=list_key,
            active=active or 0,
            ended=ended or 0,
            first_listed=first,
            last_listed=last,
        )
        for key, authority, list_key, active, ended, first, last in rows
    ]
    return sorted(out, key=lambda r: (-r.active, -r.ended, r.program, r.list_key))


def regimes_on_state(session: Session, iso3: str) -> list[RegimeOnState]:
    """The programmes whose registry entry names the state as a target territory, with the
    designations the stored lists hold under each; Security Council regimes first."""
    ref = reference_states().get(iso3.upper())
    if ref is None or not ref.iso2:
        return []
    territory = ref.iso2.lower()
    programs = [
        p
        for p in session.scalars(select(SanctionProgram).order_by(SanctionProgram.key))
        if territory in [t.lower() for t in (p.target_territories or [])]
    ]
    if not programs:
        return []
    counts = {
        key: (total, active or 0, first, last)
        for key, total, active, first, last in session.execute(
            select(
                Designation.program_key,
                func.count(),
                func.count().filter(Designation.delisted_on.is_(None)),
                func.min(Designation.listed_on),
                func.max(Designation.listed_on),
            )
            .where(Designation.program_key.in_([p.key for p in programs]))
            .group_by(Designation.program_key)
        )
    }
    out = []
    for p in programs:
        total, active, first, last = counts.get(p.key, (0, 0, None, None))
        measures = tuple(p.measures or ())
        out.append(
            RegimeOnState(
                key=p.key,
                title=p.title,
                issuer=p.issuer,
                measures=measures,
                url=p.url,
                human_rights=p.human_rights,
                arms=any(m.lower() in ARMS_MEASURES for m in measures),
                security_council=p.issuer == UN_ISSUER,
                designations=total,
                active=active,
                first_listed=first,
                last_listed=last,
            )
        )
    return sorted(out, key=lambda r: (not r.security_council, r.key))


def lists_coverage(session: Session) -> list[ListCoverage]:
    """The stored lists and the date of the latest version imported of each."""
    return [
        ListCoverage(
            key=lst.key, title=lst.title, authority=lst.authority, version_date=lst.version_date
        )
        for lst in session.scalars(select(SanctionList).order_by(SanctionList.key))
    ]
