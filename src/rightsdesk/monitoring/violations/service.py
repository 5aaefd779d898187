"""Writing and reading documented events: the one service pages, the API, the command line
and the importer go through.

Every write asks ``access`` first, checks the input against the store (act vocabulary, states),
sets who entered and changed the record, and appends an audit entry in the caller's
transaction: the caller commits, so the write and its trace land together or not at all.
Reads of a single event ask ``access`` too and log reads of confidential records.

Editing restates the event as the editor sees it. Children the editor may not read (a victim
at a stricter level entered by someone else, an involvement of a perpetrator they cannot see)
are not in what they see, so they are kept as they are rather than taken as deleted.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.errors import ConflictError, NotFoundError, PermissionDenied
from rightsdesk.core.security import audit
from rightsdesk.core.states import State
from rightsdesk.monitoring.violations import access
from rightsdesk.monitoring.violations.access import Action, Principal
from rightsdesk.monitoring.violations.event_input import (
    ActInput,
    EventInput,
    SourceInput,
    VictimInput,
    stricter,
)
from rightsdesk.monitoring.violations.input_checks import Check
from rightsdesk.monitoring.violations.models import (
    EVENT_STATUSES,
    INVOLVEMENT_ROLES,
    LEVELS,
    Act,
    Event,
    Involvement,
    Source,
    Victim,
)
from rightsdesk.monitoring.violations.perpetrators import (
    get_or_create_perpetrator,
    list_perpetrators,
)
from rightsdesk.monitoring.violations.records_audit import (
    changes,
    event_snapshot,
    sensitive_values,
)
from rightsdesk.monitoring.violations.responses import add_response
from rightsdesk.monitoring.violations.vocab import WITHHELD, act_type_codes, act_types, add_act_type

__all__ = [
    "ENTITY",
    "act_types",
    "add_act_type",
    "add_response",
    "create_event",
    "delete_event",
    "get_event",
    "get_or_create_perpetrator",
    "list_perpetrators",
    "update_event",
]

ENTITY = "violation_event"  # the audit log's name for events
T = TypeVar("T", Victim, Source)


@dataclass(frozen=True)
class _Level:
    """A record as it would be after a change of level (for ``access.may``)."""

    confidentiality: str
    created_by: int | None


def _load(session: Session, event_id: int) -> Event:
    event = session.get(Event, event_id)
    if event is None:  # the same words as for a record the user may not read
        raise NotFoundError("no such record")
    return event


def get_event(session: Session, who: Principal, event_id: int) -> Event:
    """The event, if ``who`` may read it (else "not found"); a read of a confidential one is
    audited in the caller's transaction (commit after)."""
    event = _load(session, event_id)
    access.require(who, Action.READ, event)
    access.audit_read(session, who, ENTITY, event)
    return event


def _check_store(session: Session, data: EventInput) -> None:
    """What only the store can tell (the act types and the state exist), and the closed
    lists again for an ``EventInput`` built in code rather than parsed (an importer's)."""
    check = Check()
    codes = act_type_codes(session)
    if data.confidentiality not in LEVELS:
        check.fail("confidentiality", "one of " + ", ".join(LEVELS))
    if data.status not in EVENT_STATUSES:
        check.fail("status", "one of " + ", ".join(EVENT_STATUSES))
    for i, act in enumerate(data.acts):
        if act.act_type not in codes:
            check.fail(f"acts[{i}].act_type", "is not in the act vocabulary (see act-types)")
        if act.victim_index is not None and not 0 <= act.victim_index < len(data.victims):
            check.fail(f"acts[{i}].victim_index", "names no victim of this event")
        for j, (_, role) in enumerate(act.perpetrators):
            if role not in INVOLVEMENT_ROLES:
                check.fail(f"acts[{i}].perpetrators[{j}].role", "not a role of involvement")
    if data.state_iso3 and session.get(State, data.state_iso3) is None:
        check.fail("state_iso3", "is not a state of this store (run rightsdesk init)")
    check.done()


def _keep(new: str | None, old: str | None) -> str | None:
    """``[withheld]`` in an edited field: keep what is stored."""
    return old if new == WITHHELD else new


def _apply_event(event: Event, data: EventInput) -> None:
    for name in (
        "title",
        "description",
        "start_date",
        "start_precision",
        "end_date",
        "end_precision",
        "state_iso3",
        "area",
        "status",
        "confidentiality",
    ):
        setattr(event, name, getattr(data, name))
    event.location_sensitive = data.location_sensitive
    if data.location_sensitive:
        if data.place == WITHHELD:
            pass  # an edit that did not show the exact place keeps it
        elif data.place or data.latitude is not None:
            exact = {"place": data.place, "latitude": data.latitude, "longitude": data.longitude}
            event.exact_location = json.dumps(exact)
        else:
            event.exact_location = None
        event.place = event.latitude = event.longitude = None
    elif data.place == WITHHELD:  # un-flagged without being shown: the stored place, in clear
        stored = _exact(event)
        event.place = stored.get("place")
        event.latitude, event.longitude = stored.get("latitude"), stored.get("longitude")
        event.exact_location = None
    else:
        event.place, event.latitude, event.longitude = data.place, data.latitude, data.longitude
        event.exact_location = None


def _exact(event: Event) -> dict[str, Any]:
    """The flagged location as stored (empty when none or unreadable)."""
    try:
        found = json.loads(event.exact_location or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _apply_victim(victim: Victim, data: VictimInput, event: Event, who: Principal) -> None:
    victim.kind = data.kind
    victim.name = _keep(data.name, victim.name)
    victim.identity = _keep(data.identity, victim.identity)
    victim.contact = _keep(data.contact, victim.contact)
    for name in ("sex", "age_group", "occupation", "group_membership", "group_size"):
        setattr(victim, name, getattr(data, name))
    victim.confidentiality = stricter(data.confidentiality or "public", event.confidentiality)
    victim.updated_by = who.user_id


def _apply_source(source: Source, data: SourceInput, event: Event, who: Principal) -> None:
    source.reporter_name = _keep(data.reporter_name, source.reporter_name)
    source.reporter_contact = _keep(data.reporter_contact, source.reporter_contact)
    for name in (
        "source_type",
        "organisation",
        "reported_on",
        "method",
        "reliability",
        "credibility",
        "summary",
        "citation",
        "url",
    ):
        setattr(source, name, getattr(data, name))
    source.confidentiality = stricter(data.confidentiality or "public", event.confidentiality)
    source.updated_by = who.user_id


def _children(
    who: Principal,
    event: Event,
    stored: list[T],
    given: list[Any],
    kind: str,
    make: type[T],
) -> list[T]:
    """Match the given blocks to stored children by id (new ones have none); stored children
    ``who`` cannot read are kept after those given."""
    readable = {c.id: c for c in stored if access.may(who, Action.READ, c, event)}
    hidden = [c for c in stored if c.id not in readable]
    out: list[T] = []
    check = Check()
    for i, item in enumerate(given):
        if item.id is None:
            child = make(created_by=who.user_id)
        elif item.id in readable:
            child = readable[item.id]
            if not access.may(who, Action.EDIT, child, event):
                raise PermissionDenied(f"{kind}[{i}]: you may read but not edit this record")
        else:
            check.fail(f"{kind}[{i}].id", f"names no {kind[:-1]} of this event")
            continue
        out.append(child)
    check.done()
    return out + hidden


def _apply_acts(
    session: Session, who: Principal, event: Event, data: EventInput, victims: list[Victim]
) -> None:
    """Restate the acts ``who`` can see (their victim readable); keep the others."""
    readable_victims = {v.id for v in victims if access.may(who, Action.READ, v, event)}
    visible = {
        a.id: a for a in event.acts if a.victim_id is None or a.victim_id in readable_victims
    }
    kept = [a for a in event.acts if a.id not in visible]
    acts: list[Act] = []
    check = Check()
    for i, item in enumerate(data.acts):
        act = Act(event=event) if item.id is None else visible.get(item.id)
        if act is not None and item.id is None:
            session.add(act)  # before a perpetrator lookup flushes
        if act is None:
            check.fail(f"acts[{i}].id", "names no act of this event")
            continue
        _apply_act(session, who, event, act, item, victims)
        acts.append(act)
    check.done()
    event.acts = acts + kept


def _apply_act(
    session: Session,
    who: Principal,
    event: Event,
    act: Act,
    data: ActInput,
    victims: list[Victim],
) -> None:
    act.act_type = data.act_type
    act.victim = None if data.victim_index is None else victims[data.victim_index]
    act.date = data.date
    act.description = data.description
    wanted: list[tuple[int, str]] = []
    for name, role in data.perpetrators:
        perpetrator = get_or_create_perpetrator(
            session, who, name, confidentiality=event.confidentiality
        )
        if (perpetrator.id, role) not in wanted:
            wanted.append((perpetrator.id, role))
    keep: list[Involvement] = []
    for inv in act.involvements:
        if (inv.perpetrator_id, inv.role) in wanted:
            wanted.remove((inv.perpetrator_id, inv.role))
            keep.append(inv)
        elif not access.may(who, Action.READ, inv.perpetrator):
            keep.append(inv)  # not shown to this editor: not theirs to remove
    act.involvements = keep + [Involvement(perpetrator_id=p, role=r) for p, r in wanted]


def _write(session: Session, who: Principal, event: Event, data: EventInput) -> None:
    _apply_event(event, data)
    event.updated_by = who.user_id
    victims = _children(who, event, list(event.victims), data.victims, "victims", Victim)
    for child, item in zip(victims, data.victims, strict=False):
        _apply_victim(child, item, event, who)
    event.victims = victims
    sources = _children(who, event, list(event.sources), data.sources, "sources", Source)
    for source, given in zip(sources, data.sources, strict=False):
        _apply_source(source, given, event, who)
    event.sources = sources
    session.flush()  # new victims get their ids before acts point at them
    _apply_acts(session, who, event, data, victims)
    session.flush()


def create_event(
    session: Session,
    who: Principal,
    data: EventInput,
    natural_key: str | None = None,
    dataset_id: int | None = None,
) -> Event:
    """Enter an event with its victims, acts (and their perpetrators) and sources.

    ``natural_key`` is the import file's ``event_id`` (a new random ``ev-...`` otherwise);
    a key already stored is a conflict. The caller commits.
    """
    access.require(who, Action.CREATE)
    _check_store(session, data)
    key = natural_key or f"ev-{secrets.token_hex(8)}"
    if session.scalars(select(Event.id).where(Event.natural_key == key)).first() is not None:
        raise ConflictError(f"an event with the key {key!r} exists already")
    event = Event(natural_key=key, created_by=who.user_id, dataset_id=dataset_id, title=data.title)
    session.add(event)
    _write(session, who, event, data)
    _, after = changes(None, event_snapshot(event), None, sensitive_values(event))
    audit.record(session, who.actor, "create", ENTITY, event.id, after=after)
    return event


def update_event(session: Session, who: Principal, event_id: int, data: EventInput) -> Event:
    """Restate an event as ``who`` sees it (see the module docstring). The caller commits."""
    event = _load(session, event_id)
    access.require(who, Action.EDIT, event)
    _check_store(session, data)
    if not access.may(who, Action.EDIT, _Level(data.confidentiality, event.created_by)):
        raise PermissionDenied(  # else the editor would lock themselves out of the record
            f"your role ({who.role}) cannot classify this event {data.confidentiality}"
        )
    before, secrets_before = event_snapshot(event), sensitive_values(event)
    _write(session, who, event, data)
    session.refresh(event)
    old, new = changes(before, event_snapshot(event), secrets_before, sensitive_values(event))
    audit.record(session, who.actor, "update", ENTITY, event.id, before=old, after=new)
    return event


def delete_event(session: Session, who: Principal, event_id: int) -> None:
    """Delete an event and everything documented in it (admins only). The caller commits."""
    event = _load(session, event_id)
    access.require(who, Action.DELETE, event)
    before = event_snapshot(event)
    session.delete(event)
    session.flush()
    audit.record(session, who.actor, "delete", ENTITY, event_id, before=before)
