"""The one writer of sanctions lists: a parsed version of a list becomes rows and history.

Every list importer (UN XML, OFAC CSV, EU journal CSV, FtM JSON lines) parses its file into a
``ParsedList`` and hands it here, so designation history is kept the same way whatever the
format. The rules:

- entities are upserted by ``entity_id`` (stable across versions of a list); the file's
  properties replace the stored ones, names and countries are rebuilt from them;
- designations are upserted by (entity, list, programme code, source reference); one the file
  no longer holds is *ended* (``delisted_on`` = the file's version date), never deleted, and an
  entity whose designations all ended is kept, inactive;
- each entity the version added, removed or changed is written to ``SanctionChange`` dated by
  the file's version date (not the day of the import), with the previous version's date, so
  "who did OFAC add under GLOMAG between 2021 and 2024" is a query;
- a version that would end more than half of the list's entities in force is refused unless
  imported with ``--replace`` (a cut or wrong file, not the list's own change);
- a file *older* than the stored version adds what it knows (entities, first-seen dates moved
  earlier, designations the newer version no longer held, ended by its date) but ends nothing
  and records no changes: history runs forward only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from rightsdesk.core.importing import ImportContext
from rightsdesk.sanctions.models import (
    Designation,
    SanctionEntity,
    SanctionList,
)
from rightsdesk.sanctions.sources.ftm_clean import clean_properties
from rightsdesk.sanctions.sources.parsed import ParsedDesignation, ParsedEntity, ParsedList
from rightsdesk.sanctions.sources.store_guards import analyze, check_plausible, merge_duplicates
from rightsdesk.sanctions.sources.store_rows import (
    COUNTRY_PROPS,
    Children,
    NewRows,
    caption_of,
    change_row,
    datasets_of,
    designation_values,
    detect_script,
    program_resolver,
    unique_designations,
    wanted_countries,
    wanted_names,
    write_changes,
)

__all__ = ["COUNTRY_PROPS", "detect_script", "program_resolver", "store_version"]

DesignationKey = tuple[str, str]  # (program_code, source_ref) within one entity and list
_CHUNK = 500  # ids per IN (...) query


def store_version(ctx: ImportContext, parsed: ParsedList) -> None:
    """Write one version of a list: entities, names, countries, designations and history.

    Counts each entity in ``ctx.report`` (inserted / updated / unchanged) and adds the number
    of entities to ``rows_read``. Runs inside the import's transaction: an error anywhere
    leaves the store as it was.
    """
    session = ctx.session
    version = parsed.version_date
    ctx.report.rows_read += len(parsed.entities)
    lst = session.scalars(select(SanctionList).where(SanctionList.key == parsed.list_key)).first()
    previous = lst.version_date if lst is not None else None
    older = previous is not None and version is not None and version < previous
    if lst is None:
        lst = SanctionList(key=parsed.list_key, title=parsed.title)
        session.add(lst)
    if older:
        ctx.warn(
            f"this file's version ({version}) is older than the stored one ({previous}): its "
            "entities were added and first-seen dates moved earlier, but nothing was ended and "
            "no changes were recorded (import versions oldest first to keep their history)"
        )
    else:
        lst.title = parsed.title
        lst.authority = parsed.authority
        lst.url = parsed.url or lst.url
        lst.version_date = version
        lst.last_dataset_id = ctx.dataset.id
        lst.entity_count = len({e.entity_id for e in parsed.entities})
    if version is None:
        ctx.warn(f"the file names no version date: ended designations dated {dt.date.today()}")

    entities = merge_duplicates(ctx, parsed.entities)
    stored = _load_entities(session, parsed.list_key, [e.entity_id for e in entities])
    if not older:
        check_plausible(ctx, parsed, stored, {e.entity_id for e in entities})
    resolver = program_resolver(session, parsed.list_key)
    children = Children.load(session, [e.id for e in stored.values()])
    writer = _Writer(ctx, parsed, previous, older, resolver, children)
    seen: set[str] = set()
    for pe in entities:
        seen.add(pe.entity_id)
        writer.write(pe, stored.get(pe.entity_id))
    if not older:
        for entity_id, entity in stored.items():
            if entity_id not in seen:
                writer.end_absent(entity)
    children.flush(session)
    if not older:
        writer.mark_seen(session)
    changes = writer.new.flush(session) + writer.changes
    if not older:
        write_changes(session, changes, version, previous, ctx.dataset.id)
    analyze(session)


def _load_entities(session: Session, list_key: str, ids: list[str]) -> dict[str, SanctionEntity]:
    """The stored entities this version touches: those the file names, and those holding a
    designation of this list (which may now be absent), with their designations loaded
    (names and countries are compared as plain rows: ``Children``)."""
    options = (selectinload(SanctionEntity.designations),)
    found: dict[str, SanctionEntity] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        stmt = select(SanctionEntity).where(SanctionEntity.entity_id.in_(chunk)).options(*options)
        for entity in session.scalars(stmt):
            found[entity.entity_id] = entity
    holders = select(SanctionEntity.id, SanctionEntity.entity_id).where(
        SanctionEntity.id.in_(select(Designation.entity_pk).where(Designation.list_key == list_key))
    )
    missing = [pk for pk, entity_id in session.execute(holders) if entity_id not in found]
    for start in range(0, len(missing), _CHUNK):
        chunk_pks = missing[start : start + _CHUNK]
        stmt = select(SanctionEntity).where(SanctionEntity.id.in_(chunk_pks)).options(*options)
        for entity in session.scalars(stmt):
            found[entity.entity_id] = entity
    return found


def _clean_properties(schema: str, properties: dict[str, list[str]]) -> dict[str, list[str]]:
    """The values in the form FollowTheMoney holds them (phones E.164, URLs with a scheme,
    names without stray quotes), so the store, the FtM export and any FtM reader agree; a
    value FtM rejects is kept as text in ``notes``, never dropped."""
    cleaned, rejected = clean_properties(schema, properties)
    if rejected:
        notes = cleaned.setdefault("notes", [])
        notes += [text for text in rejected if text not in notes]
    return {k: list(v) for k, v in sorted(cleaned.items()) if v}


class _Writer:
    """Writes the entities of one parsed version (state shared across entities)."""

    def __init__(
        self,
        ctx: ImportContext,
        parsed: ParsedList,
        previous: dt.date | None,
        older: bool,
        program_key: Callable[[str, str], str | None],
        children: Children,
    ) -> None:
        self.ctx = ctx
        self.children = children
        self.list_key = parsed.list_key
        self.version = parsed.version_date
        self.end = parsed.version_date or dt.date.today()
        self.older = older
        self.program_key = program_key
        self.new = NewRows(
            parsed.list_key,
            parsed.version_date,
            ctx.dataset.id,
            program_key,
            ended_by=previous if older else None,
        )
        self.changes: list[dict[str, Any]] = []
        # rows the file shows again, whose last_seen is set in bulk (``mark_seen``)
        self.seen_entities: list[int] = []
        self.seen_designations: list[int] = []

    def mark_seen(self, session: Session) -> None:
        """Set ``last_seen`` to this version on every stored entity and designation the
        file shows again: two UPDATEs, rather than an ORM change on each row."""
        for model, pks in (
            (SanctionEntity, self.seen_entities),
            (Designation, self.seen_designations),
        ):
            for start in range(0, len(pks), _CHUNK):
                chunk = pks[start : start + _CHUNK]
                session.execute(
                    update(model)
                    .where(model.id.in_(chunk))
                    .values(last_seen=self.version)
                    .execution_options(synchronize_session=False)
                )

    def write(self, pe: ParsedEntity, entity: SanctionEntity | None) -> None:
        """One entity of the file: new ones are gathered for the bulk insert."""
        properties = _clean_properties(pe.schema, pe.properties)
        if entity is None:
            self.new.add(pe, properties)
            self.ctx.report.count("inserted")
            return
        if self.older:
            self._write_older(pe, entity)
            return
        was_active = self._active_here(entity)
        old_properties = dict(entity.properties or {})
        changed = self._set(entity, "schema", pe.schema)
        changed |= self._set(entity, "caption", caption_of(pe))
        changed |= self._set(entity, "properties", properties)
        changed |= self._set(entity, "datasets", datasets_of(entity.datasets, self.list_key, pe))
        if self.version is not None:
            if entity.first_seen is None or self.version < entity.first_seen:
                entity.first_seen = self.version
            if entity.last_seen != self.version:
                self.seen_entities.append(entity.id)
        changed |= self._sync_names(entity, properties)
        changed |= self._sync_countries(entity, properties)
        changed |= self._sync_designations(entity, pe)
        changed |= self._set(
            entity, "active", any(d.delisted_on is None for d in entity.designations)
        )
        if changed:
            entity.dataset_id = self.ctx.dataset.id
        self.ctx.report.count("updated" if changed else "unchanged")
        self._record(entity, was_active, old_properties)

    def _write_older(self, pe: ParsedEntity, entity: SanctionEntity) -> None:
        """A known entity in an older file: move first-seen dates earlier, add designations
        the newer version no longer held as ended (at the latest by the stored version)."""
        changed = False
        version = self.version
        if version is not None and (entity.first_seen is None or version < entity.first_seen):
            entity.first_seen = version
            changed = True
        by_key = self._designations_here(entity)
        for pd in unique_designations(pe):
            d = by_key.get((pd.program_code, pd.source_ref))
            if d is None:
                d = self._new_designation(entity, pd)
                d.delisted_on = pd.delisted_on or self.new.ended_by
                changed = True
            elif version is not None and (d.first_seen is None or version < d.first_seen):
                d.first_seen = version
                changed = True
        self.ctx.report.count("updated" if changed else "unchanged")

    @staticmethod
    def _set(entity: SanctionEntity, attr: str, value: object) -> bool:
        if getattr(entity, attr) == value:
            return False
        setattr(entity, attr, value)
        return True

    def _designations_here(self, entity: SanctionEntity) -> dict[DesignationKey, Designation]:
        return {
            (d.program_code, d.source_ref): d
            for d in entity.designations
            if d.list_key == self.list_key
        }

    def _active_here(self, entity: SanctionEntity) -> set[DesignationKey]:
        return {k for k, d in self._designations_here(entity).items() if d.delisted_on is None}

    def _sync_names(self, entity: SanctionEntity, properties: dict[str, list[str]]) -> bool:
        return self.children.set_names(entity.id, wanted_names(properties))

    def _sync_countries(self, entity: SanctionEntity, properties: dict[str, list[str]]) -> bool:
        return self.children.set_countries(entity.id, wanted_countries(properties))

    def _new_designation(self, entity: SanctionEntity, pd: ParsedDesignation) -> Designation:
        d = Designation(
            **designation_values(pd, self.program_key),
            list_key=self.list_key,
            first_seen=self.version,
            last_seen=self.version,
            dataset_id=self.ctx.dataset.id,
        )
        entity.designations.append(d)
        return d

    def _sync_designations(self, entity: SanctionEntity, pe: ParsedEntity) -> bool:
        by_key = self._designations_here(entity)
        changed = False
        in_file: set[DesignationKey] = set()
        for pd in unique_designations(pe):
            key = (pd.program_code, pd.source_ref)
            in_file.add(key)
            d = by_key.get(key)
            if d is None:
                self._new_designation(entity, pd)
                changed = True
                continue
            values = designation_values(pd, self.program_key)
            values["program_key"] = values["program_key"] or d.program_key
            touched = False
            for attr, value in values.items():
                if getattr(d, attr) != value:
                    setattr(d, attr, value)
                    touched = True
            if touched:
                d.dataset_id = self.ctx.dataset.id
                changed = True
            if d.last_seen != self.version:
                self.seen_designations.append(d.id)
        for key, d in by_key.items():
            if key not in in_file and d.delisted_on is None:
                d.delisted_on = self.end
                d.dataset_id = self.ctx.dataset.id
                changed = True
        return changed

    def end_absent(self, entity: SanctionEntity) -> None:
        """End the designations of this list an absent entity still had; recompute active."""
        was_active = self._active_here(entity)
        if not was_active:
            return
        for d in self._designations_here(entity).values():
            if d.delisted_on is None:
                d.delisted_on = self.end
                d.dataset_id = self.ctx.dataset.id
        entity.active = any(d.delisted_on is None for d in entity.designations)
        self.ctx.report.count("updated")
        self._record(entity, was_active, dict(entity.properties or {}))

    def _record(
        self, entity: SanctionEntity, was: set[DesignationKey], old: dict[str, list[str]]
    ) -> None:
        """A change row if this version added, removed or changed the entity."""
        now = self._active_here(entity)
        if not was and now:
            change = "added"
            detail = "programmes: " + ", ".join(sorted({c or "?" for c, _ in now}))
        elif was and not now:
            change, detail = "removed", "ended: " + ", ".join(sorted({c or "?" for c, _ in was}))
        elif not now:
            return  # in force neither before nor now (e.g. listed as already delisted)
        else:
            parts: list[str] = []
            plus = sorted({c or "?" for c, _ in now - was})
            minus = sorted({c or "?" for c, _ in was - now})
            if plus or minus:
                signed = [f"+{c}" for c in plus] + [f"-{c}" for c in minus]
                parts.append("programmes: " + " ".join(signed))
            props = _changed_props(old, entity.properties)
            if props:
                parts.append("properties: " + ", ".join(props))
            if not parts:
                return
            change, detail = "changed", "; ".join(parts)
        entity.last_change = self.version
        self.changes.append(
            change_row(self.list_key, entity.entity_id, entity.caption, change, detail)
        )


def _changed_props(old: dict[str, list[str]], new: dict[str, list[str]]) -> list[str]:
    """Names of the properties whose values differ (order of values ignored)."""
    keys = sorted(set(old) | set(new))
    return [k for k in keys if set(old.get(k, [])) != set(new.get(k, []))]
