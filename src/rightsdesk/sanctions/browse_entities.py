"""Entity search and one entity's page for the sanctions pages and the JSON API: names in
any script, filters with facet counts, and an entity with its designations and history.

Split from ``browse`` (lists and programmes) to keep each module about one thing; both
return the API's models (``browse_schemas``).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from rightsdesk.core.errors import InputError, NotFoundError
from rightsdesk.core.labels import state_label
from rightsdesk.core.limits import preview
from rightsdesk.sanctions.browse import (
    designation_out,
    page_bounds,
    page_count,
    programmes_by_key,
)
from rightsdesk.sanctions.browse_schemas import (
    ChangeOut,
    EntityDetail,
    EntityRow,
    EntitySearch,
    FacetValue,
    NameOut,
    PropertyOut,
)
from rightsdesk.sanctions.models import (
    Designation,
    SanctionChange,
    SanctionCountry,
    SanctionEntity,
    SanctionList,
    SanctionName,
    SanctionProgram,
)

#: filters of the entity search; each may repeat in the URL (``?schema=Person&schema=Vessel``)
ENTITY_FILTERS = ("schema", "list", "programme", "country", "status", "hr")


def _entity_conditions(q: str, filters: dict[str, list[str]]) -> list[object]:
    conds: list[object] = []
    if q.strip():
        text = q.strip()
        # SQLite's lower() folds ASCII only: also try the usual cases of other scripts
        forms = {text, text.lower(), text.upper(), text.title()}
        names = select(SanctionName.entity_pk).where(
            or_(
                SanctionName.name.icontains(text, autoescape=True),
                *(SanctionName.name.contains(f, autoescape=True) for f in sorted(forms)),
            )
        )
        conds.append(or_(SanctionEntity.id.in_(names), SanctionEntity.entity_id == q.strip()))
    if filters.get("schema"):
        conds.append(SanctionEntity.schema.in_(filters["schema"]))
    if filters.get("list"):
        lists = select(Designation.entity_pk).where(Designation.list_key.in_(filters["list"]))
        conds.append(SanctionEntity.id.in_(lists))
    if filters.get("programme"):
        codes = filters["programme"]
        progs = select(Designation.entity_pk).where(
            or_(Designation.program_key.in_(codes), Designation.program_code.in_(codes))
        )
        conds.append(SanctionEntity.id.in_(progs))
    if filters.get("country"):
        wanted = [c.upper() for c in filters["country"]]
        tied = select(SanctionCountry.entity_pk).where(SanctionCountry.iso3.in_(wanted))
        conds.append(SanctionEntity.id.in_(tied))
    if filters.get("hr") == ["yes"]:
        regimes = select(SanctionProgram.key).where(SanctionProgram.human_rights.is_(True))
        under = select(Designation.entity_pk).where(Designation.program_key.in_(regimes))
        conds.append(SanctionEntity.id.in_(under))
    status = set(filters.get("status", []))
    if status == {"active"}:
        conds.append(SanctionEntity.active.is_(True))
    elif status == {"delisted"}:
        conds.append(SanctionEntity.active.is_(False))
    return conds


def schema_label(name: str) -> str:
    """An FtM schema in words ("Legal entity", "Vessel")."""
    from followthemoney import model

    schema = model.get(name)
    return str(schema.label) if schema is not None else name


def _facet(
    session: Session, stmt: Select[str, int], name: str, filters: dict[str, list[str]]
) -> list[FacetValue]:
    rows = [(v, c) for v, c in session.execute(stmt).all() if v is not None]
    words: dict[str, str] = {}
    if name == "list":
        found = select(SanctionList.key, SanctionList.title)
        words = {
            k: t
            for k, t in session.execute(found.where(SanctionList.key.in_([v for v, _ in rows])))
        }
    elif name == "programme":
        found = select(SanctionProgram.key, SanctionProgram.title)
        words = {
            k: t
            for k, t in session.execute(found.where(SanctionProgram.key.in_([v for v, _ in rows])))
        }
    chosen = set(filters.get(name, []))
    out = []
    for value, count in rows:
        label = words.get(str(value), str(value))
        if name == "country":
            label = state_label(str(value))
        elif name == "schema":
            label = schema_label(str(value))
        out.append(
            FacetValue(
                value=str(value),
                label=label,
                count=int(count),
                selected=label in chosen or str(value) in chosen,
            )
        )
    out.sort(key=lambda f: (-f.count, f.label))
    return out


def clean_filters(filters: dict[str, list[str]] | None) -> dict[str, list[str]]:
    """The known, non-empty filters; a status other than active/delisted is refused."""
    out = {k: [v for v in (filters or {}).get(k, []) if v] for k in ENTITY_FILTERS}
    out = {k: v for k, v in out.items() if v}
    if out.get("hr", ["yes"]) != ["yes"]:
        raise InputError("hr must be yes (designated under a human rights regime)", field="hr")
    for status in out.get("status", []):
        if status not in ("active", "delisted"):
            raise InputError(
                f"status must be active or delisted, not {preview(status)!r}", field="status"
            )
    return out


def entities_matching(
    session: Session, q: str, filters: dict[str, list[str]] | None, limit: int
) -> list[int]:
    """Primary keys of every entity a search finds (up to ``limit``), by entity id: what an
    export takes."""
    conds = _entity_conditions(q, clean_filters(filters))
    query = select(SanctionEntity.id).where(*conds)  # type: ignore[arg-type]
    return list(session.scalars(query.order_by(SanctionEntity.entity_id).limit(limit)))


def search_entities(
    session: Session,
    q: str = "",
    filters: dict[str, list[str]] | None = None,
    page: int = 1,
    per_page: int = 50,
) -> EntitySearch:
    """Entities whose names contain ``q`` (any script, case-insensitive) or whose id is
    ``q``, narrowed by the filters (schema, list, programme key or code, country ISO3,
    status active/delisted), with facet counts over the matching set."""
    filters = clean_filters(filters)
    page, per_page = page_bounds(page, per_page)
    conds = _entity_conditions(q, filters)
    ids = select(SanctionEntity.id).where(*conds)  # type: ignore[arg-type]
    total = int(session.scalar(select(func.count()).select_from(ids.subquery())) or 0)
    rows = session.scalars(
        select(SanctionEntity)
        .where(*conds)  # type: ignore[arg-type]
        .order_by(SanctionEntity.active.desc(), SanctionEntity.caption, SanctionEntity.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    items = _rows(session, rows)
    matching = SanctionEntity.id.in_(ids)
    facets = {
        "schema": _facet(
            session,
            select(SanctionEntity.schema, func.count(SanctionEntity.id))
            .where(matching)
            .group_by(SanctionEntity.schema),
            "schema",
            filters,
        ),
        "list": _facet(
            session,
            select(Designation.list_key, func.count(func.distinct(Designation.entity_pk)))
            .where(Designation.entity_pk.in_(ids))
            .group_by(Designation.list_key),
            "list",
            filters,
        ),
        "programme": _facet(
            session,
            select(
                func.coalesce(Designation.program_key, Designation.program_code),
                func.count(func.distinct(Designation.entity_pk)),
            )
            .where(Designation.entity_pk.in_(ids), Designation.program_code != "")
            .group_by(func.coalesce(Designation.program_key, Designation.program_code)),
            "programme",
            filters,
        ),
        "country": _facet(
            session,
            select(SanctionCountry.iso3, func.count(func.distinct(SanctionCountry.entity_pk)))
            .where(SanctionCountry.entity_pk.in_(ids))
            .group_by(SanctionCountry.iso3),
            "country",
            filters,
        ),
    }
    return EntitySearch(
        items=items,
        total=total,
        page=page,
        pages=page_count(total, per_page),
        per_page=per_page,
        filters=filters,
        facets=facets,
    )


def _rows(session: Session, entities: Sequence[SanctionEntity]) -> list[EntityRow]:
    """Search rows, with countries and programmes read in two queries for the whole page."""
    pks = [e.id for e in entities]
    countries: dict[int, list[str]] = {}
    progs: dict[int, list[str]] = {}
    if pks:
        for pk, iso3 in session.execute(
            select(SanctionCountry.entity_pk, SanctionCountry.iso3)
            .where(SanctionCountry.entity_pk.in_(pks))
            .distinct()
            .order_by(SanctionCountry.iso3)
        ).all():
            countries.setdefault(pk, []).append(iso3)
        for pk, key in session.execute(
            select(
                Designation.entity_pk,
                func.coalesce(Designation.program_key, Designation.program_code),
            )
            .where(
                Designation.entity_pk.in_(pks),
                Designation.delisted_on.is_(None),
                Designation.program_code != "",
            )
            .distinct()
        ).all():
            progs.setdefault(pk, []).append(str(key))
    return [
        EntityRow(
            entity_id=e.entity_id,
            schema=e.schema,
            schema_label=schema_label(e.schema),
            caption=e.caption,
            datasets=list(e.datasets or []),
            countries=countries.get(e.id, []),
            programmes=sorted(set(progs.get(e.id, []))),
            active=bool(e.active),
            last_change=e.last_change,
        )
        for e in entities
    ]


def _properties(schema_name: str, props: dict[str, list[str]]) -> list[PropertyOut]:
    """FtM properties labelled in words; countries by name, in the schema's order."""
    from followthemoney import model

    schema = model.get(schema_name)
    out = []
    for name, values in props.items():
        if not values:
            continue
        prop = schema.get(name) if schema is not None else None
        label = prop.label if prop is not None else name
        shown = list(values)
        if prop is not None and prop.type.name == "country":
            shown = [prop.type.caption(v) or v for v in values]
        out.append(PropertyOut(name=name, label=str(label), values=shown, raw=list(values)))
    return out


def entity_detail(session: Session, entity_id: str) -> EntityDetail:
    """One entity: names, properties, ties to states, designations and history."""
    from followthemoney import model

    entity = session.scalars(
        select(SanctionEntity).where(SanctionEntity.entity_id == entity_id)
    ).first()
    if entity is None:
        raise NotFoundError(f"no sanctioned entity {preview(entity_id)!r} in this store")
    progs = programmes_by_key(session, [d.program_key for d in entity.designations])
    designations = sorted(
        entity.designations,
        key=lambda d: (d.delisted_on is not None, str(d.listed_on or ""), d.id),
    )
    history = session.scalars(
        select(SanctionChange)
        .where(SanctionChange.entity_id == entity.entity_id)
        .order_by(SanctionChange.version_date.desc().nulls_last(), SanctionChange.id.desc())
    ).all()
    schema = model.get(entity.schema)
    return EntityDetail(
        id=entity.entity_id,
        entity_id=entity.entity_id,
        schema=entity.schema,
        schema_label=str(schema.label) if schema is not None else entity.schema,
        caption=entity.caption,
        properties={k: list(v) for k, v in sorted((entity.properties or {}).items()) if v},
        datasets=list(entity.datasets or []),
        target=bool(entity.active),
        active=bool(entity.active),
        first_seen=entity.first_seen,
        last_seen=entity.last_seen,
        last_change=entity.last_change,
        names=[NameOut(kind=n.kind, name=n.name, script=n.script) for n in entity.names],
        facts=_properties(entity.schema, dict(entity.properties or {})),
        countries=[(c.iso3, c.prop) for c in entity.countries],
        designations=[designation_out(d, progs.get(d.program_key or "")) for d in designations],
        history=[
            ChangeOut(
                list_key=h.list_key,
                change=h.change,
                version_date=h.version_date,
                previous_version=h.previous_version,
                detail=h.detail,
            )
            for h in history
        ],
    )
