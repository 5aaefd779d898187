"""What a reader is shown of an event, a victim or a perpetrator: plain dataclasses that pages,
the JSON API and the command line all render, built under ``access``.

Building the view is where access turns into content: a sensitive value the reader may not see
is replaced by ``[withheld]`` here (so no template or serialiser can leak it by accident), the
exact place of a flagged location is given only with the right to read sensitive fields, and
children the reader may not read are left out, their number kept (``hidden_victims``) so the
reader knows the record is incomplete for them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from rightsdesk.core.errors import NotFoundError
from rightsdesk.core.security.models import User
from rightsdesk.core.states import State
from rightsdesk.monitoring.violations import access
from rightsdesk.monitoring.violations.access import Action, Principal
from rightsdesk.monitoring.violations.models import (
    Act,
    Event,
    Involvement,
    Source,
    Victim,
)
from rightsdesk.monitoring.violations.views_people import (
    PerpetratorActRow,
    PerpetratorView,
    perpetrator_view,
)
from rightsdesk.monitoring.violations.vocab import (
    CREDIBILITY_LABELS,
    RELIABILITY_LABELS,
    STATUS_LABELS,
    WITHHELD,
    act_type_labels,
    date_text,
    words,
)

__all__ = [
    "ActView",
    "EventView",
    "InvolvementView",
    "PerpetratorActRow",
    "PerpetratorView",
    "ResponseView",
    "SourceView",
    "VictimView",
    "date_text",
    "event_view",
    "perpetrator_view",
    "victim_view",
]


@dataclass
class VictimView:
    id: int
    kind: str
    name: str | None  # WITHHELD without the right to read sensitive fields
    identity: str | None
    contact: str | None
    sex: str | None
    age_group: str | None
    occupation: str | None
    group_membership: str | None
    group_size: int | None
    confidentiality: str
    level_label: str
    act_types: list[str] = field(default_factory=list)
    event_id: int = 0
    event_title: str = ""


@dataclass
class InvolvementView:
    perpetrator_id: int
    perpetrator_name: str
    role: str
    established: bool


@dataclass
class ActView:
    id: int
    act_type: str
    act_label: str
    victim_id: int | None  # None: no victim, or one the reader may not read
    victim_hidden: bool
    date: dt.date | None
    description: str | None
    involvements: list[InvolvementView] = field(default_factory=list)
    hidden_perpetrators: int = 0


@dataclass
class SourceView:
    id: int
    source_type: str
    reporter_name: str | None  # WITHHELD without the right to read sensitive fields
    reporter_contact: str | None
    organisation: str | None
    reported_on: dt.date | None
    method: str | None
    reliability: str
    credibility: str
    reliability_label: str
    credibility_label: str
    summary: str | None
    citation: str | None
    url: str | None
    confidentiality: str
    level_label: str


@dataclass
class ResponseView:
    id: int
    kind: str
    kind_label: str
    actor: str
    date: dt.date | None
    description: str | None
    outcome: str | None


@dataclass
class EventView:
    id: int
    natural_key: str
    title: str
    description: str | None
    start_date: dt.date | None
    start_precision: str
    end_date: dt.date | None
    end_precision: str
    when: str  # "March 2019", "4 March 2019 – 2020"
    state_iso3: str | None
    state_name: str | None
    area: str | None
    place: str | None  # the exact place; WITHHELD when flagged and not readable
    latitude: float | None
    longitude: float | None
    location_sensitive: bool
    status: str
    status_label: str
    confidentiality: str
    level_label: str
    created_by: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    may_edit: bool
    may_delete: bool
    may_read_sensitive: bool
    victims: list[VictimView] = field(default_factory=list)
    acts: list[ActView] = field(default_factory=list)
    sources: list[SourceView] = field(default_factory=list)
    responses: list[ResponseView] = field(default_factory=list)
    hidden_victims: int = 0
    hidden_sources: int = 0


def _withheld(allowed: bool, value: str | None) -> str | None:
    return value if allowed else WITHHELD


def _victim(who: Principal, victim: Victim, event: Event, labels: dict[str, str]) -> VictimView:
    sensitive = access.may(who, Action.READ_SENSITIVE, victim, event)
    return VictimView(
        id=victim.id,
        kind=victim.kind,
        name=_withheld(sensitive, victim.name),
        identity=_withheld(sensitive, victim.identity),
        contact=_withheld(sensitive, victim.contact),
        sex=victim.sex,
        age_group=victim.age_group,
        occupation=victim.occupation,
        group_membership=victim.group_membership,
        group_size=victim.group_size,
        confidentiality=victim.confidentiality,
        level_label=access.level_label(victim.confidentiality),
        act_types=sorted({labels.get(a.act_type, a.act_type) for a in victim.acts}),
        event_id=event.id,
        event_title=event.title,
    )


def _source(who: Principal, source: Source, event: Event) -> SourceView:
    sensitive = access.may(who, Action.READ_SENSITIVE, source, event)
    return SourceView(
        id=source.id,
        source_type=source.source_type,
        reporter_name=_withheld(sensitive, source.reporter_name),
        reporter_contact=_withheld(sensitive, source.reporter_contact),
        organisation=source.organisation,
        reported_on=source.reported_on,
        method=source.method,
        reliability=source.reliability,
        credibility=source.credibility,
        reliability_label=RELIABILITY_LABELS.get(source.reliability, source.reliability),
        credibility_label=CREDIBILITY_LABELS.get(source.credibility, source.credibility),
        summary=source.summary,
        citation=source.citation,
        url=source.url,
        confidentiality=source.confidentiality,
        level_label=access.level_label(source.confidentiality),
    )


def _act(who: Principal, act: Act, readable: set[int], labels: dict[str, str]) -> ActView:
    shown = [i for i in act.involvements if access.may(who, Action.READ, i.perpetrator)]
    return ActView(
        id=act.id,
        act_type=act.act_type,
        act_label=labels.get(act.act_type, act.act_type),
        victim_id=act.victim_id if act.victim_id in readable else None,
        victim_hidden=act.victim_id is not None and act.victim_id not in readable,
        date=act.date,
        description=act.description,
        involvements=[_involvement(i) for i in shown],
        hidden_perpetrators=len(act.involvements) - len(shown),
    )


def _involvement(inv: Involvement) -> InvolvementView:
    return InvolvementView(
        perpetrator_id=inv.perpetrator_id,
        perpetrator_name=inv.perpetrator.name,
        role=inv.role,
        established=inv.established,
    )


def _location(who: Principal, event: Event) -> tuple[str | None, float | None, float | None]:
    if not event.location_sensitive:
        return event.place, event.latitude, event.longitude
    if not access.may(who, Action.READ_SENSITIVE, event):
        return WITHHELD, None, None
    try:
        exact = json.loads(event.exact_location or "{}")
    except ValueError:  # "[encrypted with another key]": say so rather than fail
        return event.exact_location, None, None
    lat, lon = exact.get("latitude"), exact.get("longitude")
    return exact.get("place"), lat, lon


def _labels(session: Session | None) -> dict[str, str]:
    return act_type_labels(session) if session is not None else {}


def event_view(who: Principal, event: Event) -> EventView:
    """The event as ``who`` may see it (raises "not found" if they may not read it)."""
    access.require(who, Action.READ, event)
    session = Session.object_session(event)
    labels = _labels(session)
    victims = [v for v in event.victims if access.may(who, Action.READ, v, event)]
    sources = [s for s in event.sources if access.may(who, Action.READ, s, event)]
    readable = {v.id for v in victims}
    place, lat, lon = _location(who, event)
    state = session.get(State, event.state_iso3) if session and event.state_iso3 else None
    creator = session.get(User, event.created_by) if session and event.created_by else None
    when = date_text(event.start_date, event.start_precision)
    if event.end_date is not None:
        when += " – " + date_text(event.end_date, event.end_precision)
    return EventView(
        id=event.id,
        natural_key=event.natural_key,
        title=event.title,
        description=event.description,
        start_date=event.start_date,
        start_precision=event.start_precision,
        end_date=event.end_date,
        end_precision=event.end_precision,
        when=when,
        state_iso3=event.state_iso3,
        state_name=state.name if state else None,
        area=event.area,
        place=place,
        latitude=lat,
        longitude=lon,
        location_sensitive=event.location_sensitive,
        status=event.status,
        status_label=STATUS_LABELS.get(event.status, words(event.status)),
        confidentiality=event.confidentiality,
        level_label=access.level_label(event.confidentiality),
        created_by=creator.name if creator else None,
        created_at=event.created_at,
        updated_at=event.updated_at,
        may_edit=access.may(who, Action.EDIT, event),
        may_delete=access.may(who, Action.DELETE, event),
        may_read_sensitive=access.may(who, Action.READ_SENSITIVE, event),
        victims=[_victim(who, v, event, labels) for v in victims],
        acts=[_act(who, a, readable, labels) for a in event.acts],
        sources=[_source(who, s, event) for s in sources],
        responses=[
            ResponseView(r.id, r.kind, words(r.kind), r.actor, r.date, r.description, r.outcome)
            for r in event.responses
        ],
        hidden_victims=len(event.victims) - len(victims),
        hidden_sources=len(event.sources) - len(sources),
    )


def victim_view(session: Session, who: Principal, victim_id: int) -> VictimView:
    """One victim with its event and act types, if ``who`` may read both (else "not found");
    a read of a confidential victim is audited (the caller commits)."""
    victim = session.get(Victim, victim_id)
    if victim is None:
        raise NotFoundError("no such record")
    access.require(who, Action.READ, victim, victim.event)
    access.audit_read(session, who, "violation_victim", victim)
    return _victim(who, victim, victim.event, _labels(session))
