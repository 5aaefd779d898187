"""Writing the events an import file describes: insert or update, never delete.

Why children are matched rather than replaced: an imported event may since have gained
victims, sources or acts entered through the pages, and a re-import of the spreadsheet must not
delete that work. So a victim is the same when its name is (or, unnamed, when its description
is), a source when its type, reporter, date and citation are, an act when its type and victim
are; what the file adds is added, what it no longer lists is kept.

A perpetrator is found by a key made from the normalised name (``perp-`` + the name's letters
and digits), so "Col. A. Example" and "col a example" are one, whether it was imported or
entered through the pages; a new one takes the level of the first event that names it, which
is never looser than what disclosed it.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from rightsdesk.core.importing import ImportContext
from rightsdesk.monitoring.violations.models import (
    Act,
    Event,
    Involvement,
    Perpetrator,
    Source,
    Victim,
)
from rightsdesk.monitoring.violations.sources.events_rows import (
    ParsedAct,
    ParsedEvent,
    ParsedSource,
    ParsedVictim,
)

__all__ = ["perpetrator_key", "store_events"]


def perpetrator_key(name: str) -> str:
    """The natural key of a perpetrator known only by name (accents, case, punctuation and
    spacing do not count)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")
    if not slug or len(slug) > 100:
        slug = hashlib.sha256(" ".join(name.casefold().split()).encode()).hexdigest()[:32]
    return "perp-" + slug


def _event_values(parsed: ParsedEvent) -> dict[str, Any]:
    place = parsed.fields.get("place") or None
    exact: str | None = None
    lat, lon = parsed.latitude, parsed.longitude
    if parsed.sensitive_location:
        if place or lat is not None:
            exact = json.dumps({"place": place, "latitude": lat, "longitude": lon})
        place, lat, lon = None, None, None
    end = parsed.end
    return {
        "title": parsed.title,
        "description": parsed.fields.get("description") or None,
        "start_date": parsed.start[0],
        "start_precision": parsed.start[1],
        "end_date": end[0] if end else None,
        "end_precision": end[1] if end else "day",
        "state_iso3": parsed.iso3,
        "area": parsed.fields.get("area") or None,
        "place": place,
        "latitude": lat,
        "longitude": lon,
        "location_sensitive": parsed.sensitive_location,
        "exact_location": exact,
        "status": parsed.status,
        "confidentiality": parsed.level,
    }


def _same_exact_location(old: str | None, new: str | None) -> bool:
    # compared as data: the stored JSON may have been written with other spacing
    if old is None or new is None:
        return old == new
    try:
        return bool(json.loads(old) == json.loads(new))
    except ValueError:
        return False


def _apply(obj: Any, values: dict[str, Any]) -> bool:
    changed = False
    for name, value in values.items():
        old = getattr(obj, name)
        same = _same_exact_location(old, value) if name == "exact_location" else old == value
        if not same:
            setattr(obj, name, value)
            changed = True
    return changed


def _victim_values(victim: ParsedVictim, level: str) -> dict[str, Any]:
    return {
        "kind": "person",
        "name": victim.name,
        "sex": victim.sex,
        "age_group": victim.age_group,
        "occupation": victim.occupation,
        "group_membership": victim.group,
        "confidentiality": level,
    }


def _find_victim(event: Event, victim: ParsedVictim) -> Victim | None:
    for known in event.victims:
        if victim.name is not None:
            if known.name == victim.name:
                return known
        elif known.name is None and (
            known.sex,
            known.age_group,
            known.occupation,
            known.group_membership,
        ) == (victim.sex, victim.age_group, victim.occupation, victim.group):
            return known
    return None


def _source_values(source: ParsedSource, level: str) -> dict[str, Any]:
    return {
        "source_type": source.source_type,
        "reporter_name": source.name,
        "reliability": source.reliability,
        "credibility": source.credibility,
        "reported_on": source.reported_on,
        "citation": source.citation,
        "confidentiality": level,
    }


def _find_source(event: Event, source: ParsedSource) -> Source | None:
    for known in event.sources:
        if (known.source_type, known.reporter_name, known.reported_on, known.citation) == (
            source.source_type,
            source.name,
            source.reported_on,
            source.citation,
        ):
            return known
    return None


class _Writer:
    def __init__(self, ctx: ImportContext, keys: list[str]) -> None:
        self.ctx = ctx
        session = ctx.session
        self.events = {
            e.natural_key: e
            for e in session.scalars(
                select(Event)
                .where(Event.natural_key.in_(keys))
                .options(
                    selectinload(Event.victims),
                    selectinload(Event.sources),
                    selectinload(Event.acts).selectinload(Act.involvements),
                )
            )
        }
        self.perpetrators: dict[str, Perpetrator] = {}
        self.indexed = False

    def _perpetrator_index(self) -> dict[str, Perpetrator]:
        """Stored perpetrators by natural key and by the key of their name (the oldest wins),
        so a row finds one entered through the pages too (those have random keys)."""
        if not self.indexed:
            self.indexed = True
            for known in self.ctx.session.scalars(select(Perpetrator).order_by(Perpetrator.id)):
                self.perpetrators.setdefault(known.natural_key, known)
                self.perpetrators.setdefault(perpetrator_key(known.name), known)
        return self.perpetrators

    def perpetrator(self, name: str, parsed: ParsedEvent) -> Perpetrator:
        key = perpetrator_key(name)
        index = self._perpetrator_index()
        found = index.get(key)
        if found is None:
            found = Perpetrator(
                natural_key=key,
                kind="person",
                name=name,
                state_iso3=parsed.iso3,
                confidentiality=parsed.level,
                created_by=None,
            )
            self.ctx.session.add(found)
            index[key] = found
        return found

    def event(self, parsed: ParsedEvent) -> None:
        ctx = self.ctx
        values = _event_values(parsed)
        event = self.events.get(parsed.key)
        changed = False
        if event is None:
            event = Event(natural_key=parsed.key, created_by=None, dataset_id=ctx.dataset.id)
            event.victims, event.sources, event.acts = [], [], []
            _apply(event, values)
            ctx.session.add(event)
            outcome = "inserted"
        else:
            changed = _apply(event, values)
            outcome = "updated"
        victims: list[Victim] = []
        for pv in parsed.victims:
            victim = _find_victim(event, pv)
            if victim is None:
                victim = Victim(created_by=None)
                event.victims.append(victim)
                changed = True
            changed |= _apply(victim, _victim_values(pv, parsed.level))
            victims.append(victim)
        for ps in parsed.sources:
            source = _find_source(event, ps)
            if source is None:
                source = Source(created_by=None)
                event.sources.append(source)
                changed = True
            changed |= _apply(source, _source_values(ps, parsed.level))
        for pa in parsed.acts:
            victim = None if pa.victim is None else victims[pa.victim]
            changed |= self.act(event, pa.act_type, victim)
            if pa.perpetrator is not None:
                changed |= self.involvement(event, victims, pa, parsed)
        if outcome == "inserted":
            ctx.report.count("inserted")
        elif changed:
            event.dataset_id = ctx.dataset.id
            ctx.report.count("updated")
        else:
            ctx.report.count("unchanged")

    @staticmethod
    def _find_act(event: Event, act_type: str, victim: Victim | None) -> Act | None:
        for act in event.acts:
            if act.act_type == act_type and act.victim is victim:
                return act
        return None

    def act(self, event: Event, act_type: str, victim: Victim | None) -> bool:
        if self._find_act(event, act_type, victim) is not None:
            return False
        act = Act(act_type=act_type, victim=victim)
        act.involvements = []
        event.acts.append(act)
        return True

    def involvement(
        self, event: Event, victims: list[Victim], pa: ParsedAct, parsed: ParsedEvent
    ) -> bool:
        victim = None if pa.victim is None else victims[pa.victim]
        act = self._find_act(event, pa.act_type, victim)
        if act is None or pa.perpetrator is None:  # pragma: no cover - made just before
            return False
        perpetrator = self.perpetrator(pa.perpetrator, parsed)
        for known in act.involvements:
            if known.perpetrator is perpetrator and known.role == pa.role:
                return False
        act.involvements.append(Involvement(perpetrator=perpetrator, role=pa.role))
        return True


def store_events(ctx: ImportContext, events: list[ParsedEvent]) -> None:
    """Insert or update every parsed event in the import's transaction (counts per event)."""
    writer = _Writer(ctx, [e.key for e in events])
    for parsed in events:
        writer.event(parsed)
    ctx.session.flush()
    stored = sum(len(e.victims) for e in events)
    ctx.warn(f"{len(events)} event(s), {stored} victim row(s) described in the file")
