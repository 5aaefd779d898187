"""A stored event as an ``EventInput``: what the edit form shows before a change.

The edit form restates the whole event, so it is filled from what the editor may see: stored
children come with their ids (``update_event`` matches them), children the editor may not read
are left out (and kept by ``update_event``), and a sensitive value the editor may not read is
``[withheld]``, which ``update_event`` takes as "keep what is stored".
"""

from __future__ import annotations

import json

from rightsdesk.monitoring.violations import access
from rightsdesk.monitoring.violations.access import Action, Principal
from rightsdesk.monitoring.violations.event_input import (
    ActInput,
    EventInput,
    SourceInput,
    VictimInput,
)
from rightsdesk.monitoring.violations.models import Event
from rightsdesk.monitoring.violations.vocab import WITHHELD

__all__ = ["event_input_of"]


def _shown(allowed: bool, value: str | None) -> str | None:
    return value if allowed else WITHHELD


def event_input_of(who: Principal, event: Event) -> EventInput:
    """The event as its edit form starts (raises "not found" if ``who`` may not read it)."""
    access.require(who, Action.READ, event)
    sensitive = access.may(who, Action.READ_SENSITIVE, event)
    place, lat, lon = event.place, event.latitude, event.longitude
    if event.location_sensitive:
        place = WITHHELD
        if sensitive and event.exact_location:
            try:
                exact = json.loads(event.exact_location)
                place, lat, lon = exact.get("place"), exact.get("latitude"), exact.get("longitude")
            except ValueError:
                place = WITHHELD
    data = EventInput(
        title=event.title,
        description=event.description,
        start_date=event.start_date,
        start_precision=event.start_precision,
        end_date=event.end_date,
        end_precision=event.end_precision,
        state_iso3=event.state_iso3,
        area=event.area,
        place=place,
        latitude=lat,
        longitude=lon,
        location_sensitive=event.location_sensitive,
        status=event.status,
        confidentiality=event.confidentiality,
    )
    index: dict[int, int] = {}
    for victim in event.victims:
        if not access.may(who, Action.READ, victim, event):
            continue
        own = access.may(who, Action.READ_SENSITIVE, victim, event)
        index[victim.id] = len(data.victims)
        data.victims.append(
            VictimInput(
                kind=victim.kind,
                name=_shown(own, victim.name),
                identity=_shown(own, victim.identity),
                contact=_shown(own, victim.contact),
                sex=victim.sex,
                age_group=victim.age_group,
                occupation=victim.occupation,
                group_membership=victim.group_membership,
                group_size=victim.group_size,
                confidentiality=victim.confidentiality,
                id=victim.id,
            )
        )
    for act in event.acts:
        if act.victim_id is not None and act.victim_id not in index:
            continue  # its victim is hidden: the act is kept as it is
        data.acts.append(
            ActInput(
                act_type=act.act_type,
                victim_index=None if act.victim_id is None else index[act.victim_id],
                date=act.date,
                description=act.description,
                perpetrators=[
                    (i.perpetrator.natural_key, i.role)
                    for i in act.involvements
                    if access.may(who, Action.READ, i.perpetrator)
                ],
                id=act.id,
            )
        )
    for source in event.sources:
        if not access.may(who, Action.READ, source, event):
            continue
        own = access.may(who, Action.READ_SENSITIVE, source, event)
        data.sources.append(
            SourceInput(
                source_type=source.source_type,
                reporter_name=_shown(own, source.reporter_name),
                reporter_contact=_shown(own, source.reporter_contact),
                organisation=source.organisation,
                reported_on=source.reported_on,
                method=source.method,
                reliability=source.reliability,
                credibility=source.credibility,
                summary=source.summary,
                citation=source.citation,
                url=source.url,
                confidentiality=source.confidentiality,
                id=source.id,
            )
        )
    return data
