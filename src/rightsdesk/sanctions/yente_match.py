"""yente's matching, answered by rightsdesk's screening: a query entity in FollowTheMoney
form becomes a matcher ``Query``, the screening hits become yente's scored entities.

How a yente query is read (as yente reads it, ``Entity.from_example``): properties the
schema does not have are ignored; names are every name-typed property (``name``, ``alias``,
``previousName``, ...), composed from ``firstName``/``middleName``/``lastName`` when none is
given; countries (``nationality``, ``citizenship``, ``country``, ``jurisdiction``) may be
names or codes; identifiers are every identifier-typed property (passport, IMO, tax number).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from followthemoney import model
from followthemoney.types import registry
from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.sanctions.matching import Explanation, Query
from rightsdesk.sanctions.models import SanctionEntity
from rightsdesk.sanctions.screening import Hit
from rightsdesk.sanctions.yente_schemas import FeatureResult, ScoredEntityResponse

#: yente's algorithm names (and ours): all are answered by rightsdesk's explained matcher
ALGORITHMS = frozenset(
    {
        "best",
        "logic-v1",
        "logic-v2",
        "name-based",
        "name-qualified",
        "regression-v1",
        "regression-v2",
        "rightsdesk",
    }
)
COUNTRY_PROPS = ("nationality", "citizenship", "country", "jurisdiction")
NAME_PARTS = ("firstName", "secondName", "middleName", "fatherName", "lastName")


class QueryError(ValueError):
    """A query entity that cannot be read (yente answers 400 "Cannot parse example
    entity")."""


def _values(raw: str | list[Any]) -> list[str]:
    items: Iterable[Any] = [raw] if isinstance(raw, str) else raw
    out: list[str] = []
    for item in items:
        if isinstance(item, str) and item.strip():
            out.append(item.strip())
        elif isinstance(item, int | float) and not isinstance(item, bool):
            out.append(str(item))
    return out


def to_query(
    schema_name: str, properties: dict[str, str | list[Any]]
) -> tuple[Query, dict[str, list[str]]]:
    """The matcher's query of a yente query entity, and the properties it was read from
    (what the response echoes as ``query``)."""
    schema = model.get(schema_name)
    if schema is None:
        raise QueryError(f"Unknown schema: {schema_name[:40]!r}")
    if not schema.matchable:
        raise QueryError(f"Non-matchable schema for query: {schema.name}")
    kept: dict[str, list[str]] = {}
    for name, raw in properties.items():
        prop = schema.get(name)
        values = _values(raw)
        if prop is not None and values:
            kept[prop.name] = values[:50]
    names: list[str] = []
    identifiers: list[str] = []
    countries: list[str] = []
    for name, values in kept.items():
        prop = schema.get(name)
        if prop is None:
            continue
        if prop.type == registry.name and prop.matchable:
            names += values
        elif prop.type == registry.identifier:
            identifiers += values
        elif prop.type == registry.country and name in COUNTRY_PROPS:
            countries += [c for c in (registry.country.clean(v) for v in values) if c]
    if not names:
        composed = " ".join(v for part in NAME_PARTS for v in kept.get(part, [])[:1])
        if composed.strip():
            names.append(composed)
    if not names:
        raise QueryError("the query entity has no name (name, or firstName and lastName)")
    dates = [d for d in (registry.date.clean(v) for v in kept.get("birthDate", [])) if d]
    genders = [g.lower() for g in kept.get("gender", []) if g.lower() in ("male", "female")]
    query = Query(
        schema=schema.name,
        names=tuple(dict.fromkeys(n[:300] for n in names)),
        birth_dates=tuple(dict.fromkeys(str(d)[:10] for d in dates)),
        nationalities=tuple(dict.fromkeys(countries)),
        gender=genders[0] if len(set(genders)) == 1 else None,
        identifiers=tuple(dict.fromkeys(identifiers)),
    )
    return query, kept


def _stamp(day: dt.date | None) -> str | None:
    """A date as yente writes its timestamps (ISO, seconds, no zone)."""
    return f"{day.isoformat()}T00:00:00" if day is not None else None


def _explanations(why: Explanation) -> tuple[dict[str, FeatureResult], dict[str, float]]:
    """The matcher's reasons as yente's features: ``name`` (the aligned names), then one
    feature per evidence (birth_date, nationality, gender, identifier, ...)."""
    parts = ", ".join(f"{p.query or '-'}~{p.candidate or '-'} ({p.kind})" for p in why.parts)
    found = {
        "name": FeatureResult(
            detail=f"names aligned: {parts}" if parts else "no name aligned",
            score=why.name_score,
            query=why.query_name or None,
            candidate=why.matched_name or None,
        )
    }
    for e in why.evidence:
        key = e.kind if e.kind not in found else f"{e.kind}_{len(found)}"
        found[key] = FeatureResult(detail=f"{e.outcome}: {e.detail}", score=e.effect)
    return found, {k: v.score for k, v in found.items()}


def scored_entities(
    session: Session, hits: Sequence[Hit], threshold: float
) -> list[tuple[ScoredEntityResponse, SanctionEntity]]:
    """yente's scored entities of ``hits`` (the store's entity alongside, for filters), in
    the hits' order; a hit whose entity left the store since the index was built is
    skipped."""
    ids = [h.entity_id for h in hits]
    stored = {
        e.entity_id: e
        for e in session.scalars(select(SanctionEntity).where(SanctionEntity.entity_id.in_(ids)))
    }
    out = []
    for hit in hits:
        entity = stored.get(hit.entity_id)
        if entity is None:
            continue
        explanations, features = _explanations(hit.explanation)
        props = {k: list(v) for k, v in sorted((entity.properties or {}).items()) if v}
        out.append(
            (
                ScoredEntityResponse(
                    id=entity.entity_id,
                    caption=entity.caption,
                    schema=entity.schema,
                    properties=props,
                    datasets=list(entity.datasets or []),
                    referents=[],
                    target=bool(entity.active),
                    first_seen=_stamp(entity.first_seen),
                    last_seen=_stamp(entity.last_seen),
                    last_change=_stamp(entity.last_change),
                    score=round(hit.score, 4),
                    explanations=explanations,
                    features=features,
                    match=hit.score >= threshold,
                ),
                entity,
            )
        )
    return out


def topics_of(entity: SanctionEntity) -> set[str]:
    """An entity's FtM topics: those its list gave, and ``sanction`` while it is listed."""
    topics = set((entity.properties or {}).get("topics", []))
    if entity.active:
        topics.add("sanction")
    return topics
