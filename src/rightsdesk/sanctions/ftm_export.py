"""Any set of stored sanctions entities as FollowTheMoney JSON lines, the format OpenSanctions
publishes and most screening tools read.

Each entity is written as stored (id, schema, properties, datasets, first/last seen), followed
by one ``Sanction`` entity per designation, linked by its ``entity`` property, as
OpenSanctions does. The mapping is the inverse of the FtM importer's, so a file written
here and imported again (``rightsdesk import ftm-jsonl``) gives back the same entities and
designations:

================  ==============================================================
Designation        Sanction property
================  ==============================================================
authority          ``authority``
program_code       ``program``
program_key        ``programId`` (the registry key)
measure            ``provisions``
listed_on          ``listingDate`` and ``startDate``
delisted_on        ``endDate``
reason             ``reason``
source_document    ``sourceUrl`` when it is a URL, else ``description``
source_ref         ``authorityId``
list_key           the Sanction's ``datasets``
================  ==============================================================

Every line is built through the followthemoney model (``make_entity``), so a property
the schema does not have cannot slip into the file: a stored property a schema lacks is
counted in the report and left out (it would make the line invalid for every FtM reader).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from followthemoney import model
from followthemoney.types import registry
from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session, selectinload

from rightsdesk.core.errors import NotFoundError
from rightsdesk.sanctions.models import Designation, SanctionCountry, SanctionEntity

__all__ = ["ExportReport", "entity_lines", "select_entities", "write_ftm"]

_BATCH = 500


@dataclass
class ExportReport:
    """What an export wrote: entities, Sanction entities, and what it had to leave out."""

    entities: int = 0
    sanctions: int = 0
    dropped: Counter[str] = field(default_factory=Counter)


def select_entities(
    session: Session,
    program: str | None = None,
    country: str | None = None,
    list_key: str | None = None,
    entity_ids: Sequence[str] = (),
) -> list[int]:
    """Primary keys of the entities matching every filter given (all entities when none):
    a designation under registry key ``program`` (or the list's own code), a tie to the state
    ``country`` (ISO3), membership of list ``list_key`` (a designation there or the list among
    its datasets), or one of ``entity_ids``.
    An entity id that does not exist raises NotFoundError."""
    stmt = select(SanctionEntity.id).order_by(SanctionEntity.entity_id)
    if program:
        stmt = stmt.where(
            SanctionEntity.id.in_(
                select(Designation.entity_pk).where(
                    (Designation.program_key == program) | (Designation.program_code == program)
                )
            )
        )
    if list_key:
        # designated in the list, or listed there without a designation (an FtM dataset's
        # related persons): the datasets column is JSON text on every backend
        in_datasets = cast(SanctionEntity.datasets, String).contains(
            json.dumps(list_key), autoescape=True
        )
        stmt = stmt.where(
            SanctionEntity.id.in_(
                select(Designation.entity_pk).where(Designation.list_key == list_key)
            )
            | in_datasets
        )
    if country:
        stmt = stmt.where(
            SanctionEntity.id.in_(
                select(SanctionCountry.entity_pk).where(SanctionCountry.iso3 == country.upper())
            )
        )
    if entity_ids:
        wanted = list(dict.fromkeys(entity_ids))
        found = set(
            session.scalars(
                select(SanctionEntity.entity_id).where(SanctionEntity.entity_id.in_(wanted))
            )
        )
        missing = [e for e in wanted if e not in found]
        if missing:
            raise NotFoundError(f"no sanctions entity {', '.join(map(repr, missing[:5]))}")
        stmt = stmt.where(SanctionEntity.entity_id.in_(wanted))
    return list(session.scalars(stmt))


def _sanction_id(entity_id: str, d: Designation) -> str:
    digest = hashlib.sha1(f"{d.list_key}\x1f{d.program_code}\x1f{d.source_ref}".encode())
    return f"{entity_id}-sanction-{digest.hexdigest()[:16]}"


def _dates(entity: SanctionEntity) -> dict[str, Any]:
    return {
        "first_seen": entity.first_seen.isoformat() if entity.first_seen else None,
        "last_seen": entity.last_seen.isoformat() if entity.last_seen else None,
        "last_change": entity.last_change.isoformat() if entity.last_change else None,
    }


def entity_lines(entity: SanctionEntity, report: ExportReport) -> Iterator[dict[str, Any]]:
    """The FtM objects of one entity: itself, then a Sanction per designation."""
    proxy = model.make_entity(entity.schema)
    proxy.id = entity.entity_id
    for prop, values in sorted((entity.properties or {}).items()):
        if proxy.schema.get(prop) is None:
            report.dropped[f"{entity.schema}.{prop} (not a property of the schema)"] += 1
            continue
        proxy.add(prop, values, quiet=True)
    data = proxy.to_dict()
    data.update(
        caption=entity.caption,
        datasets=list(entity.datasets or []),
        target=bool(entity.designations),
        **_dates(entity),
    )
    report.entities += 1
    yield data
    for d in entity.designations:
        sanction = model.make_entity("Sanction")
        sanction.id = _sanction_id(entity.entity_id, d)
        sanction.add("entity", entity.entity_id)
        sanction.add("authority", d.authority)
        sanction.add("program", d.program_code or None)
        sanction.add("programId", d.program_key)
        sanction.add("provisions", d.measure)
        if d.listed_on is not None:
            sanction.add("listingDate", d.listed_on.isoformat())
            sanction.add("startDate", d.listed_on.isoformat())
        if d.delisted_on is not None:
            sanction.add("endDate", d.delisted_on.isoformat())
        sanction.add("reason", d.reason)
        if d.source_document and registry.url.clean(d.source_document) == d.source_document:
            sanction.add("sourceUrl", d.source_document)
        else:
            sanction.add("description", d.source_document)
        sanction.add("authorityId", d.source_ref or None)
        line = sanction.to_dict()
        line.update(
            caption=sanction.caption,
            datasets=[d.list_key],
            first_seen=d.first_seen.isoformat() if d.first_seen else None,
            last_seen=d.last_seen.isoformat() if d.last_seen else None,
        )
        report.sanctions += 1
        yield line


def write_ftm(session: Session, entity_pks: Sequence[int], out: TextIO) -> ExportReport:
    """Write the entities ``entity_pks`` (from ``select_entities``) to ``out``, one JSON
    object per line, loading them in batches so a whole store fits in little memory."""
    report = ExportReport()
    for start in range(0, len(entity_pks), _BATCH):
        chunk = list(entity_pks[start : start + _BATCH])
        stmt = (
            select(SanctionEntity)
            .where(SanctionEntity.id.in_(chunk))
            .options(selectinload(SanctionEntity.designations))
            .order_by(SanctionEntity.entity_id)
        )
        for entity in session.scalars(stmt):
            for line in entity_lines(entity, report):
                out.write(json.dumps(line, ensure_ascii=False, sort_keys=True))
                out.write("\n")
        session.expunge_all()  # keep memory flat on a large store
    return report


def export_file(session: Session, entity_pks: Sequence[int], path: Path) -> ExportReport:
    """``write_ftm`` to a file, written whole or not at all (a temporary file renamed)."""
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="\n") as out:
            report = write_ftm(session, entity_pks, out)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return report
