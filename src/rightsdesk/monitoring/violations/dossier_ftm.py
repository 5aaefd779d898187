"""A designation dossier as FollowTheMoney entities, the format sanctions teams and
OpenSanctions exchange.

The mapping (every entity built through the followthemoney model and validated before it
leaves, so a property a schema lacks or a value its type refuses stops the export):

=====================  ======================================================================
dossier                FtM
=====================  ======================================================================
perpetrator            ``Person`` (kind person) or ``Organization`` (unit, organisation)
chain of command       ``UnknownLink`` subject → object, role "under the command of"
proposal               ``Sanction`` (status "proposed") on the perpetrator, ``programId`` the
                       regime's registry key, ``reason`` the criteria met with citations
already designated     ``Sanction`` (status "in force" or "ended") per designation of a
                       confirmed link, from the sanctions form
criterion              ``Note`` on the perpetrator: citation, text, finding or gap
act                    ``Event`` with the perpetrator (or a related one) ``involved``
source                 ``Article`` (a Document needing no file: type, organisation, date,
                       rating, summary; never the reporter)
source of an act       ``Documentation`` document → event, role "source"
=====================  ======================================================================

Ids are stable and carry no personal value: ``rd-perp-12``, ``rd-act-40``, ``rd-src-7``,
``rd-proposal-12-us-glomag``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from followthemoney import model
from followthemoney.exc import InvalidData
from followthemoney.proxy import EntityProxy
from followthemoney.schema import ValidationData
from followthemoney.types import registry

from rightsdesk.core.errors import InputError
from rightsdesk.monitoring.violations.dossier import Dossier, DossierAct, DossierSource

__all__ = ["dossier_entities", "validate_entities"]

PREFIX = "rd"


def _perp_id(perp_id: int) -> str:
    return f"{PREFIX}-perp-{perp_id}"


def _country(code: str | None) -> str | None:
    """FtM country code (ISO2 lower case) of an ISO3 code, or None."""
    if not code:
        return None
    cleaned = registry.country.clean(code)
    return str(cleaned) if cleaned else None


def _make(schema: str, entity_id: str, **props: Any) -> EntityProxy:
    proxy = model.make_entity(schema)
    proxy.id = entity_id
    for prop, value in props.items():
        if value is None or value == "" or value == []:
            continue
        proxy.add(prop, value)
    return proxy


def _person(
    perp_id: int, kind: str, name: str, position: str | None, state: str | None
) -> EntityProxy:
    schema = "Person" if kind == "person" else "Organization"
    extra: dict[str, Any] = {"position": position} if schema == "Person" else {}
    if schema == "Organization" and position:
        extra["description"] = position
    return _make(schema, _perp_id(perp_id), name=name, country=_country(state), **extra)


def _subject(dossier: Dossier) -> EntityProxy:
    ident = dossier.identity
    proxy = _person(ident.id, ident.kind, ident.name, ident.position, ident.state_iso3)
    proxy.add("alias", list(ident.aliases))
    if proxy.schema.name == "Person":
        proxy.add("birthDate", ident.birth_date)
        proxy.add("nationality", _country(ident.nationality))
    proxy.add("notes", f"rightsdesk perpetrator {ident.natural_key}")
    # "sanction": designated now (a confirmed link shows it); "poi": a person of interest
    proxy.add("topics", "sanction" if dossier.already_designated else "poi")
    return proxy


def _chain(dossier: Dossier) -> list[EntityProxy]:
    out = []
    ident = dossier.identity
    below = ident.id
    for boss in ident.commanders:
        out.append(_person(boss.id, boss.kind, boss.name, boss.position, None))
        out.append(
            _make(
                "UnknownLink",
                f"{PREFIX}-command-{below}-{boss.id}",
                subject=_perp_id(below),
                object=_perp_id(boss.id),
                role="under the command of",
            )
        )
        below = boss.id
    for sub in ident.subordinates:
        out.append(_person(sub.id, sub.kind, sub.name, sub.position, None))
    return out


def _event(act: DossierAct) -> EntityProxy:
    summary = (
        f"{act.act_label}; {act.perpetrator_name}: {act.role.replace('_', ' ')} ({act.standing})"
    )
    summary += f"; {act.abuse_citation or 'outside the listed abuses of this regime'}"
    return _make(
        "Event",
        f"{PREFIX}-act-{act.act_id}",
        name=f"{act.act_label}: {act.event_title}",
        date=act.date_text,
        country=_country(act.state_iso3),
        location=act.area,
        summary=summary,
        description=act.description,
        involved=_perp_id(act.perpetrator_id),
    )


def _document(src: DossierSource) -> EntityProxy:
    who = src.organisation or src.source_type
    return _make(
        "Article",
        f"{PREFIX}-src-{src.source_id}",
        title=f"[{src.number}] {src.source_type} source: {who}",
        publisher=src.organisation,
        date=src.reported_on.isoformat() if src.reported_on else None,
        summary=src.summary,
        description=(
            f"reliability {src.reliability}, credibility {src.credibility}"
            + (f"; method {src.method}" if src.method else "")
            + (f"; {src.citation}" if src.citation else "")
        ),
        sourceUrl=src.url if src.url and registry.url.clean(src.url) == src.url else None,
    )


def _proposal(dossier: Dossier) -> list[EntityProxy]:
    regime = dossier.regime
    perp = _perp_id(dossier.identity.id)
    met = [c for c in dossier.criteria if not c.gap]
    reason = "; ".join(f"{c.citation}: {c.title} ({len(c.acts)} acts)" for c in met)
    sanction = _make(
        "Sanction",
        f"{PREFIX}-proposal-{dossier.identity.id}-{regime.key}",
        entity=perp,
        authority=regime.authority,
        program=regime.title,
        programId=regime.program_key,
        programUrl=regime.url,
        status="proposed",
        reason=reason or "no criterion supported by the documentation yet",
        summary=f"Designation proposal under {regime.instrument}",
        date=dossier.prepared_at.date().isoformat(),
    )
    notes = [
        _make(
            "Note",
            f"{PREFIX}-criterion-{dossier.identity.id}-{regime.key}-{c.key}",
            entity=perp,
            name=f"{c.citation}: {c.title}",
            description=c.text,
            summary=(
                "gap: no documented act supports this criterion"
                if c.gap
                else f"supported by {len(c.acts)} acts; sources {', '.join(map(str, c.sources))}"
            ),
        )
        for c in dossier.criteria
    ]
    return [sanction, *notes]


def _designations(dossier: Dossier) -> list[EntityProxy]:
    """The designations of confirmed links, as ``Sanction`` entities on the perpetrator (the
    listed entity's own id is named in ``description``: it belongs to the sanctions list)."""
    out = []
    perp = _perp_id(dossier.identity.id)
    for i, d in enumerate(dossier.designations, start=1):
        out.append(
            _make(
                "Sanction",
                f"{PREFIX}-designation-{dossier.identity.id}-{i}",
                entity=perp,
                authority=d.authority,
                program=d.program,
                programId=d.program_key,
                listingDate=d.listed_on.isoformat() if d.listed_on else None,
                startDate=d.listed_on.isoformat() if d.listed_on else None,
                endDate=d.delisted_on.isoformat() if d.delisted_on else None,
                status="in force" if d.active else "ended",
                description=f"{d.list_key}: listed entity {d.entity_id} ({d.caption})",
            )
        )
    return out


def dossier_entities(dossier: Dossier) -> list[dict[str, Any]]:
    """The dossier's FtM entities as dicts (``id``, ``schema``, ``properties``), validated."""
    proxies: list[EntityProxy] = [
        _subject(dossier),
        *_chain(dossier),
        *_proposal(dossier),
        *_designations(dossier),
    ]
    seen: set[str] = {p.id for p in proxies if p.id}
    for act in dossier.evidence:
        if _perp_id(act.perpetrator_id) not in seen:
            proxies.append(_person(act.perpetrator_id, "person", act.perpetrator_name, None, None))
            seen.add(_perp_id(act.perpetrator_id))
        proxies.append(_event(act))
        for number in act.source_numbers:
            src = dossier.source(number)
            proxies.append(
                _make(
                    "Documentation",
                    f"{PREFIX}-doc-{src.source_id}-{act.act_id}",
                    document=f"{PREFIX}-src-{src.source_id}",
                    entity=f"{PREFIX}-act-{act.act_id}",
                    role="source",
                )
            )
    proxies.extend(_document(s) for s in dossier.sources)
    unique: dict[str, dict[str, Any]] = {}
    for proxy in proxies:
        if proxy.id is not None and proxy.id not in unique:
            unique[proxy.id] = proxy.to_dict()
    entities = list(unique.values())
    validate_entities(entities)
    return entities


def validate_entities(entities: Iterable[dict[str, Any]]) -> None:
    """Check every entity against the FtM model: a concrete schema, known properties, values
    its types accept unchanged, required properties present, and entity references that
    resolve within the set. An InputError names the entity and property otherwise."""
    items = list(entities)
    schemata = {e.get("id"): model.get(str(e.get("schema"))) for e in items}
    for entity in items:
        where = str(entity.get("id"))
        schema = model.get(str(entity.get("schema")))
        if schema is None or schema.abstract:
            raise InputError(f"not a concrete FtM schema: {entity.get('schema')!r}", field=where)
        props: dict[str, list[str]] = entity.get("properties", {})
        for name, values in props.items():
            prop = schema.get(name)
            if prop is None:
                raise InputError(f"{schema.name} has no property {name!r}", field=where)
            if prop.type == registry.entity:
                targets = [schemata.get(v) for v in values]
                if any(t is None for t in targets):
                    raise InputError(f"{name} refers to no exported entity", field=where)
                if prop.range is not None and not all(t and t.is_a(prop.range) for t in targets):
                    raise InputError(f"{name} must refer to a {prop.range.name}", field=where)
        for name in schema.required:
            if not props.get(name):
                raise InputError(f"{schema.name} needs {name!r}", field=where)
        try:
            schema.validate(cast(ValidationData, entity))
        except InvalidData as exc:
            problems = getattr(exc, "errors", {}).get("properties", {})
            named = ", ".join(f"{k}: {v}" for k, v in problems.items()) or str(exc)
            raise InputError(f"invalid FtM entity ({named})", field=where) from None
        proxy = model.get_proxy(entity, cleaned=False)
        if proxy.to_dict()["properties"] != props:
            raise InputError("a value changes when FtM cleans it", field=where)
