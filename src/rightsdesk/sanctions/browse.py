"""What the sanctions pages and the JSON API read about lists and programmes: the loaded lists
and their latest changes, the programme registry with designation counts, a programme's
designations over time (entities: ``browse_entities``).

Each function returns the API's models (``browse_schemas``), so a page and its API twin show
the same rows. Counts are computed in SQL (group by), never by loading every entity: the OFAC
list alone holds some 10,000 entities with 20,000 designations.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from rightsdesk.core.errors import NotFoundError
from rightsdesk.core.limits import preview
from rightsdesk.sanctions.browse_schemas import (
    DesignationOut,
    ListOut,
    Overview,
    ProgrammeDetail,
    ProgrammeOut,
    VersionChanges,
    YearCount,
)
from rightsdesk.sanctions.models import (
    Designation,
    SanctionEntity,
    SanctionList,
    SanctionProgram,
)

RECENT_VERSIONS = 12
MAX_PER_PAGE = 200


def page_bounds(page: int, per_page: int) -> tuple[int, int]:
    return max(1, page), max(1, min(MAX_PER_PAGE, per_page))


def page_count(total: int, per_page: int) -> int:
    return math.ceil(total / per_page) if total else 0


# --- lists ------------------------------------------------------------------------------------


def loaded_lists(session: Session) -> list[ListOut]:
    """Every loaded list with its version date and counts, by key."""
    active = dict(
        session.execute(
            select(Designation.list_key, func.count(func.distinct(Designation.entity_pk)))
            .where(Designation.delisted_on.is_(None))
            .group_by(Designation.list_key)
        ).all()
    )
    rows = session.scalars(select(SanctionList).order_by(SanctionList.key)).all()
    return [
        ListOut(
            key=r.key,
            title=r.title,
            authority=r.authority,
            url=r.url,
            version_date=r.version_date,
            entity_count=r.entity_count,
            active_entities=int(active.get(r.key, 0)),
        )
        for r in rows
    ]


def recent_changes(
    session: Session, list_key: str | None = None, limit: int = RECENT_VERSIONS
) -> list[VersionChanges]:
    """Added / removed / changed counts per imported version, newest versions first (H1's
    ``history.list_versions``, the figures ``rightsdesk sanctions changes`` prints)."""
    from dataclasses import asdict

    from rightsdesk.sanctions.history import list_versions

    versions = list_versions(session, list_key)
    versions.sort(key=lambda v: (v.version_date is not None, v.version_date or dt.date.min))
    return [VersionChanges(**asdict(v)) for v in reversed(versions)][:limit]


def overview(session: Session) -> Overview:
    """The landing page's figures."""
    entities = session.scalar(select(func.count(SanctionEntity.id))) or 0
    active = session.scalar(select(func.count(SanctionEntity.id)).where(SanctionEntity.active))
    programmes = session.scalar(select(func.count(SanctionProgram.id))) or 0
    hr = session.scalar(
        select(func.count(SanctionProgram.id)).where(SanctionProgram.human_rights.is_(True))
    )
    return Overview(
        lists=loaded_lists(session),
        entities=int(entities),
        active_entities=int(active or 0),
        programmes=int(programmes),
        human_rights_programmes=int(hr or 0),
        recent_changes=recent_changes(session),
    )


# --- programmes -------------------------------------------------------------------------------


#: issuers of the registry in words; others read as "Country (AGENCY)"
ISSUERS = {
    "eu_council": "Council of the European Union",
    "us_ofac": "US Treasury (OFAC)",
    "us_state": "US State Department",
    "us_bis": "US Commerce Department (BIS)",
    "us_congress": "US Congress",
    "gb_fcdo": "UK Foreign Office (FCDO)",
    "gb_hmt": "UK Treasury (OFSI)",
    "zz_unsc": "UN Security Council",
    "ch_seco": "Switzerland (SECO)",
    "au_dfat": "Australia (DFAT)",
    "ca_mfa": "Canada (Global Affairs)",
}


def issuer_label(code: str | None) -> str | None:
    """An issuer code of the registry (``us_ofac``, ``ch_seco``) in words."""
    if not code:
        return None
    if code in ISSUERS:
        return ISSUERS[code]
    from followthemoney import registry

    country, _, agency = code.partition("_")
    if country == "zz" or not agency:
        return (agency or country).upper()
    name = registry.country.caption(country) if country != "eu" else "European Union"
    if agency == country:
        return name or country.upper()
    return f"{name or country.upper()} ({agency.upper()})"


def _programme_out(p: SanctionProgram, active: int = 0, total: int = 0) -> ProgrammeOut:
    return ProgrammeOut(
        key=p.key,
        title=p.title,
        issuer=p.issuer,
        issuer_label=issuer_label(p.issuer),
        url=p.url,
        summary=p.summary,
        human_rights=bool(p.human_rights),
        aliases=list(p.aliases or []),
        measures=list(p.measures or []),
        active_designations=active,
        designations=total,
    )


def programme_issuers(session: Session) -> list[tuple[str, str]]:
    """Issuers of the registry's programmes (code, words), for the filter."""
    rows = session.scalars(
        select(SanctionProgram.issuer)
        .where(SanctionProgram.issuer.is_not(None))
        .distinct()
        .order_by(SanctionProgram.issuer)
    ).all()
    found = [(str(r), issuer_label(str(r)) or str(r)) for r in rows]
    return sorted(found, key=lambda item: item[1])


def programmes(
    session: Session, human_rights: bool | None = None, issuer: str | None = None
) -> list[ProgrammeOut]:
    """The registry with designations counted (all, and those in force), human-rights
    regimes and the most designations first."""
    counts = {
        key: (int(active or 0), int(total))
        for key, active, total in session.execute(
            select(
                Designation.program_key,
                func.sum(case((Designation.delisted_on.is_(None), 1), else_=0)),
                func.count(Designation.id),
            )
            .where(Designation.program_key.is_not(None))
            .group_by(Designation.program_key)
        ).all()
    }
    query = select(SanctionProgram)
    if human_rights is not None:
        query = query.where(SanctionProgram.human_rights.is_(human_rights))
    if issuer:
        query = query.where(SanctionProgram.issuer == issuer)
    rows = [_programme_out(p, *counts.get(p.key, (0, 0))) for p in session.scalars(query)]
    rows.sort(key=lambda p: (not p.human_rights, -p.active_designations, p.key))
    return rows


def designation_out(d: Designation, programme: SanctionProgram | None = None) -> DesignationOut:
    """A designation for pages and API, with its entity and programme in words."""
    entity = d.entity
    return DesignationOut(
        entity_id=entity.entity_id if entity is not None else None,
        caption=entity.caption if entity is not None else None,
        schema=entity.schema if entity is not None else None,
        list_key=d.list_key,
        authority=d.authority,
        program_code=d.program_code,
        program_key=d.program_key,
        program_title=programme.title if programme is not None else None,
        human_rights=bool(programme.human_rights) if programme is not None else False,
        measure=d.measure,
        listed_on=d.listed_on,
        delisted_on=d.delisted_on,
        reason=d.reason,
        source_document=d.source_document,
        source_ref=d.source_ref,
        first_seen=d.first_seen,
        last_seen=d.last_seen,
        active=d.delisted_on is None,
    )


def per_year(session: Session, *conditions: object) -> list[YearCount]:
    """Designations listed per year and authority, among those meeting ``conditions``."""
    year = func.extract("year", Designation.listed_on)
    query = (
        select(year, Designation.authority, func.count(Designation.id))
        .where(Designation.listed_on.is_not(None), *conditions)  # type: ignore[arg-type]
        .group_by(year, Designation.authority)
        .order_by(year, Designation.authority)
    )
    return [
        YearCount(year=int(y), authority=str(a), count=int(c))
        for y, a, c in session.execute(query).all()
    ]


def undated(session: Session, *conditions: object) -> int:
    """How many designations meeting ``conditions`` carry no listing date (OFAC's legacy
    files give none): pages say so beside a chart by year, which cannot show them."""
    query = select(func.count(Designation.id)).where(
        Designation.listed_on.is_(None),
        *conditions,  # type: ignore[arg-type]
    )
    return int(session.scalar(query) or 0)


def programme_detail(
    session: Session, key: str, page: int = 1, per_page: int = 50
) -> ProgrammeDetail:
    """One programme: designations per year and a page of them, newest listing first."""
    programme = session.scalars(select(SanctionProgram).where(SanctionProgram.key == key)).first()
    if programme is None:
        raise NotFoundError(f"no sanctions programme {preview(key)!r} in the registry")
    page, per_page = page_bounds(page, per_page)
    where = Designation.program_key == key
    total = session.scalar(select(func.count(Designation.id)).where(where)) or 0
    active = session.scalar(
        select(func.count(Designation.id)).where(where, Designation.delisted_on.is_(None))
    )
    rows = session.scalars(
        select(Designation)
        .where(where)
        .order_by(Designation.listed_on.desc().nulls_last(), Designation.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return ProgrammeDetail(
        programme=_programme_out(programme, int(active or 0), int(total)),
        per_year=per_year(session, where),
        undated=undated(session, where),
        designations=[designation_out(d, programme) for d in rows],
        total=int(total),
        page=page,
        pages=page_count(int(total), per_page),
        per_page=per_page,
    )


def programmes_by_key(session: Session, keys: Sequence[str | None]) -> dict[str, SanctionProgram]:
    """Registry entries of the given keys (None and unknown keys skipped)."""
    wanted = {k for k in keys if k}
    if not wanted:
        return {}
    found = session.scalars(select(SanctionProgram).where(SanctionProgram.key.in_(wanted)))
    return {p.key: p for p in found}
