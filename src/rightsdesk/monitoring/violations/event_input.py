"""What a person gives for an event (page form or JSON), and the checks it passes.

Both the page form and the JSON API are turned into the same ``EventInput`` by the same checks,
so a rule (an end before the start, an unknown sex) reads the same wherever it is broken. Every
fault is collected and raised together as ``FieldErrors`` (an ``InputError``), each message
keyed by its field, so the form can show them all next to their inputs. A message never
repeats the value it refuses: a typo in a victim's name must not end up in a log line.

Field names (page form; the error keys are the same strings)
-------------------------------------------------------------
Event: ``title``, ``description``, ``start_date``, ``end_date`` (text: ``2019``, ``2019-03`` or
``2019-03-04``; the precision is read from the text), ``state_iso3`` (ISO3, ISO2 or a name,
resolved by ``core.resolver``; ``state`` is accepted too), ``area``, ``place``, ``latitude``,
``longitude``, ``location_sensitive`` (``on``/``true``/``1``/``yes`` when ticked), ``status``,
``confidentiality``. A victim's or source's level looser than the event's is raised to it.

Repeated blocks are numbered from 0: ``victims[0].name`` (``victims-0-name`` is accepted too):

- ``victims[i].``: ``id`` (when editing a stored victim), ``kind``, ``name``, ``identity``,
  ``contact``, ``sex``, ``age_group``, ``occupation``, ``group_membership``, ``group_size``,
  ``confidentiality`` (empty: the event's).
- ``acts[i].``: ``id``, ``act_type``, ``victim_index`` (0-based index of a victims block;
  ``victim`` accepted), ``date``, ``description``, ``perpetrator`` (name or natural key; the
  field may be repeated for several) and ``perpetrator_role`` (``role`` accepted; paired with
  the perpetrators by position, ``direct`` when missing).
- ``sources[i].``: ``id``, ``source_type``, ``reporter_name``, ``reporter_contact``,
  ``organisation``, ``reported_on``, ``method``, ``reliability``, ``credibility``, ``summary``,
  ``citation``, ``url``, ``confidentiality``.

A block whose fields are all empty is skipped (the page offers blank blocks); selects with a
default do not make a block present. A victim is present when it has a name, identity,
contact, occupation, group membership, group size, or a sex or age group other than unknown;
an act when it has an act type; a source when any of its text fields is filled.

JSON: the same names, nested (``{"victims": [{"name": ...}], "acts": [{"act_type": ...,
"victim_index": 0, "perpetrators": [{"perpetrator": "...", "role": "ordered"}]}]}``).

``event_prefill.event_input_of`` gives a stored event as an ``EventInput`` for its edit form.
The literal ``[withheld]`` in a sensitive field of a stored child (one with an ``id``) means
"keep what is stored" (``service.update_event``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rightsdesk.core.errors import InputError, UnknownStateError
from rightsdesk.core.resolver import resolve_state
from rightsdesk.monitoring.violations.access import LEVEL_RANK
from rightsdesk.monitoring.violations.input_checks import (
    Check,
    FieldErrors,
    Raw,
    parse_date_with_precision,
    period_end,
)
from rightsdesk.monitoring.violations.models import (
    EVENT_STATUSES,
    INVOLVEMENT_ROLES,
    LEVELS,
    SOURCE_CREDIBILITY,
    SOURCE_RELIABILITY,
    VICTIM_KINDS,
)
from rightsdesk.monitoring.violations.vocab import AGE_GROUPS, SEXES, SOURCE_METHODS, SOURCE_TYPES

__all__ = [
    "ActInput",
    "EventInput",
    "FieldErrors",
    "SourceInput",
    "VictimInput",
    "parse_date_with_precision",
    "parse_event_form",
    "parse_event_json",
    "period_end",
]

_PERPETRATOR_FIELD = re.compile(r"\.perpetrators\[\d+\]\.(perpetrator|role)$")
MAX_BLOCKS = 200  # victims, acts or sources in one event: beyond, split the event
_BLOCK = re.compile(r"^(victims|acts|sources)(?:\[(\d{1,3})\]\.|-(\d{1,3})-)([a-z_]{1,40})$")


@dataclass
class VictimInput:
    kind: str = "person"
    name: str | None = None
    identity: str | None = None
    contact: str | None = None
    sex: str | None = None
    age_group: str | None = None
    occupation: str | None = None
    group_membership: str | None = None
    group_size: int | None = None
    confidentiality: str | None = None  # None: the event's
    id: int | None = None  # a stored victim being edited


@dataclass
class ActInput:
    act_type: str
    victim_index: int | None = None  # index into EventInput.victims
    date: dt.date | None = None
    description: str | None = None
    perpetrators: list[tuple[str, str]] = field(default_factory=list)  # (key or name, role)
    id: int | None = None


@dataclass
class SourceInput:
    source_type: str = "other"
    reporter_name: str | None = None
    reporter_contact: str | None = None
    organisation: str | None = None
    reported_on: dt.date | None = None
    method: str | None = None
    reliability: str = "F"
    credibility: str = "6"
    summary: str | None = None
    citation: str | None = None
    url: str | None = None
    confidentiality: str | None = None  # None: the event's
    id: int | None = None


@dataclass
class EventInput:
    title: str
    description: str | None = None
    start_date: dt.date | None = None
    start_precision: str = "unknown"
    end_date: dt.date | None = None
    end_precision: str = "unknown"
    state_iso3: str | None = None
    area: str | None = None
    place: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    location_sensitive: bool = False
    status: str = "reported"
    confidentiality: str = "confidential"
    victims: list[VictimInput] = field(default_factory=list)
    acts: list[ActInput] = field(default_factory=list)
    sources: list[SourceInput] = field(default_factory=list)


def parse_event_form(form: Mapping[str, Any]) -> EventInput:
    """An event from the page form's fields (a Starlette ``FormData`` or a plain mapping whose
    values are text or lists of text; see the module docstring for the names)."""
    values: dict[str, list[str]] = {}
    getlist = getattr(form, "getlist", None)
    for key in form:
        got = getlist(key) if getlist is not None else form[key]
        items = got if isinstance(got, list | tuple) else [got]
        values[str(key)] = [x if isinstance(x, str) else "" for x in items]
    top: dict[str, Any] = {}
    blocks: dict[str, dict[int, dict[str, Any]]] = {"victims": {}, "acts": {}, "sources": {}}
    for key, items in values.items():
        match = _BLOCK.match(key)
        if match is None:
            top[key] = items[-1] if items else ""
            continue
        kind, index = match.group(1), int(match.group(2) or match.group(3))
        name = {"victim": "victim_index", "role": "perpetrator_role"}.get(match.group(4))
        name = name or match.group(4)
        row = blocks[kind].setdefault(index, {})
        row[name] = items if name in ("perpetrator", "perpetrator_role") else items[-1]
    data: dict[str, Any] = dict(top)
    for kind, rows in blocks.items():
        data[kind] = [(i, rows[i]) for i in sorted(rows)]
    for _, act in data["acts"]:
        names = act.pop("perpetrator", [])
        roles = act.pop("perpetrator_role", [])
        act["perpetrators"] = [
            {"perpetrator": n, "role": roles[j] if j < len(roles) else ""}
            for j, n in enumerate(names)
            if n.strip()
        ]
    try:
        return _parse(data)
    except FieldErrors as exc:  # name the form's own fields (one perpetrator per act block)
        raise FieldErrors({_form_name(k): why for k, why in exc.errors.items()}) from None


def _form_name(field: str) -> str:
    """``acts[0].perpetrators[1].role`` → ``acts[0].perpetrator_role``, as the form posts it."""
    return _PERPETRATOR_FIELD.sub(
        lambda m: ".perpetrator_role" if m.group(1) == "role" else ".perpetrator", field
    )


def parse_event_json(data: dict[str, Any]) -> EventInput:
    """An event from a JSON object (same names as the form, blocks as lists)."""
    if not isinstance(data, dict):
        raise InputError("the body must be a JSON object")
    out: dict[str, Any] = dict(data)
    for kind in ("victims", "acts", "sources"):
        rows = data.get(kind) or []
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise FieldErrors({kind: "must be a list of objects"})
        out[kind] = list(enumerate(rows))
    return _parse(out)


def _parse(data: dict[str, Any]) -> EventInput:
    check = Check()
    raw = Raw(data, "", check)
    for kind in ("victims", "acts", "sources"):
        if len(data[kind]) > MAX_BLOCKS:
            check.fail(kind, f"at most {MAX_BLOCKS} in one event")
            check.done()
    event = EventInput(title=raw.text("title", 500, required=True) or "")
    event.description = raw.text("description", 20_000)
    event.start_date, event.start_precision = raw.date("start_date")
    event.end_date, event.end_precision = raw.date("end_date")
    if event.start_date and event.end_date:
        if period_end(event.end_date, event.end_precision) < event.start_date:
            check.fail("end_date", "is before the start date")
    elif event.end_date and not event.start_date:
        check.fail("start_date", "is required when an end date is given")
    today = dt.datetime.now(dt.UTC).date()
    if event.start_date and event.start_date > today:
        check.fail("start_date", "is in the future")
    state_key = "state_iso3" if raw.given("state_iso3") else "state"
    state = raw.text(state_key, 200)
    if state:
        try:
            event.state_iso3 = resolve_state(state)
        except UnknownStateError as exc:  # unknown, ambiguous or refused: says which
            check.fail(state_key, exc.message)
    event.area = raw.text("area", 300)
    event.place = raw.text("place", 300)
    event.latitude = raw.number("latitude", -90, 90)
    event.longitude = raw.number("longitude", -180, 180)
    if (event.latitude is None) != (event.longitude is None):
        check.fail("longitude" if event.longitude is None else "latitude", "give both or neither")
    event.location_sensitive = raw.flag("location_sensitive")
    event.status = raw.choice("status", EVENT_STATUSES) or "reported"
    event.confidentiality = raw.choice("confidentiality", LEVELS) or "confidential"
    victim_at: dict[int, int] = {}
    for index, row in data["victims"]:
        victim = _victim(Raw(row, f"victims[{index}].", check), event.confidentiality)
        if victim is not None:
            victim_at[index] = len(event.victims)
            event.victims.append(victim)
    for index, row in data["acts"]:
        act = _act(Raw(row, f"acts[{index}].", check), victim_at)
        if act is not None:
            event.acts.append(act)
    for index, row in data["sources"]:
        source = _source(Raw(row, f"sources[{index}].", check), event.confidentiality)
        if source is not None:
            event.sources.append(source)
    check.done()
    return event


def _level(raw: Raw, event_level: str) -> str | None:
    """A child's level; one looser than its event's is raised to it (``stricter``)."""
    level = raw.choice("confidentiality", LEVELS)
    return None if level is None else stricter(level, event_level)


def stricter(level: str, other: str) -> str:
    """The more restricted of two levels: a child is never less strict than its event (access
    to a child needs access to its event anyway, so a looser level would only mislead)."""
    return level if LEVEL_RANK.get(level, 3) >= LEVEL_RANK.get(other, 3) else other


def _victim(raw: Raw, event_level: str) -> VictimInput | None:
    present = ("name", "identity", "contact", "occupation", "group_membership", "group_size")
    if not raw.any_of(*present, "id") and all(
        raw.value(f).lower() in ("", "unknown") for f in ("sex", "age_group")
    ):
        return None
    victim = VictimInput(
        kind=raw.choice("kind", VICTIM_KINDS) or "person",
        name=raw.text("name", 300),
        identity=raw.text("identity", 5000),
        contact=raw.text("contact", 500),
        sex=raw.choice("sex", SEXES),
        age_group=raw.choice("age_group", AGE_GROUPS),
        occupation=raw.text("occupation", 200),
        group_membership=raw.text("group_membership", 300),
        group_size=raw.integer("group_size", 1, 100_000_000),
        confidentiality=_level(raw, event_level),
        id=raw.integer("id", 1, 2**62),
    )
    if victim.kind == "person" and victim.group_size is not None:
        raw.fail("group_size", "only for a group victim")
    return victim


def _act(raw: Raw, victim_at: dict[int, int]) -> ActInput | None:
    if not raw.any_of("act_type", "id"):
        if raw.any_of("description", "date", "victim_index") or raw.rows("perpetrators"):
            raw.fail("act_type", "is required")
        return None
    act = ActInput(
        act_type=raw.text("act_type", 60, required=True) or "",
        date=raw.day("date"),
        description=raw.text("description", 5000),
        id=raw.integer("id", 1, 2**62),
    )
    index = raw.integer("victim_index", 0, MAX_BLOCKS * 5)
    if index is not None:
        if index not in victim_at:
            raw.fail("victim_index", "names no victim of this event")
        else:
            act.victim_index = victim_at[index]
    for j, item in enumerate(raw.rows("perpetrators")):
        sub = raw.sub(item, f"perpetrators[{j}].") if isinstance(item, dict) else None
        if sub is None:
            raw.fail(f"perpetrators[{j}]", "must be an object")
            continue
        name = sub.text("perpetrator", 300) or sub.text("name", 300)
        role = sub.choice("role", INVOLVEMENT_ROLES) or "direct"
        if not name:
            sub.fail("perpetrator", "is required")
            continue
        act.perpetrators.append((name, role))
    return act


def _source(raw: Raw, event_level: str) -> SourceInput | None:
    texts = ("reporter_name", "reporter_contact", "organisation", "reported_on", "summary")
    if not raw.any_of(*texts, "citation", "url", "id"):
        return None
    source = SourceInput(
        source_type=raw.choice("source_type", SOURCE_TYPES) or "other",
        reporter_name=raw.text("reporter_name", 300),
        reporter_contact=raw.text("reporter_contact", 500),
        organisation=raw.text("organisation", 300),
        reported_on=raw.day("reported_on"),
        method=raw.choice("method", SOURCE_METHODS),
        reliability=raw.choice("reliability", SOURCE_RELIABILITY, upper=True) or "F",
        credibility=raw.choice("credibility", SOURCE_CREDIBILITY) or "6",
        summary=raw.text("summary", 10_000),
        citation=raw.text("citation", 5000),
        url=raw.url("url"),
        confidentiality=_level(raw, event_level),
        id=raw.integer("id", 1, 2**62),
    )
    return source
