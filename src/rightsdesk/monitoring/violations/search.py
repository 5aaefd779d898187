"""Finding events: filters, facet counts and pages, all under ``access.visible``.

Every number shown next to a filter is computed with the reader's visibility clause, so a count
never reveals that records exist which the reader may not see. Each facet is counted under
every filter except its own (the usual "drill-down" behaviour: choosing a state still shows how
many events the other states have), and the free-text search ``q`` looks only at the title,
description and area, which are stored in clear and hold nothing sensitive: a victim's name is
never searchable, so it cannot be confirmed by guessing.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, fields, replace
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, or_, select, true
from sqlalchemy.orm import Session

from rightsdesk.core.errors import InputError, UnknownStateError
from rightsdesk.core.resolver import resolve_state
from rightsdesk.core.states import State
from rightsdesk.monitoring.violations import access
from rightsdesk.monitoring.violations.access import Action, Principal
from rightsdesk.monitoring.violations.models import (
    EVENT_STATUSES,
    LEVELS,
    Act,
    ActType,
    Event,
    Involvement,
    Perpetrator,
    Victim,
)
from rightsdesk.monitoring.violations.vocab import STATUS_LABELS, date_text

__all__ = [
    "EventFilters",
    "EventPage",
    "EventRow",
    "FacetValue",
    "event_select",
    "search_events",
]

MAX_PER_PAGE = 500
MAX_Q = 200


@dataclass
class EventFilters:
    """What a list asks for; every filter given must hold (None: not filtered)."""

    state: str | None = None  # ISO3 or a name (resolved)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    act_type: str | None = None
    perpetrator: int | None = None
    status: str | None = None
    confidentiality: str | None = None
    q: str | None = None  # title, description and area only


class FacetValue(NamedTuple):
    value: str
    label: str
    number: int  # events


@dataclass
class EventRow:
    id: int
    title: str
    start_date: dt.date | None
    start_precision: str
    when: str
    state_iso3: str | None
    state_name: str | None
    area: str | None
    act_types: list[str]
    act_labels: list[str]
    victims: int
    status: str
    confidentiality: str


@dataclass
class EventPage:
    rows: list[EventRow]
    total: int
    page: int
    per_page: int
    pages: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)


def _escape(text: str) -> str:
    """``text`` as a LIKE pattern matching itself anywhere (``%`` and ``_`` taken literally)."""
    plain = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{plain}%"


def _checked(filters: EventFilters) -> EventFilters:
    """The filters with the state resolved and every value checked (``InputError`` naming the
    filter otherwise)."""
    out = replace(filters)
    if out.state:
        try:
            out.state = resolve_state(out.state)
        except UnknownStateError as exc:
            raise InputError(exc.message, field="state") from None
    if out.status and out.status not in EVENT_STATUSES:
        raise InputError("one of " + ", ".join(EVENT_STATUSES), field="status")
    if out.confidentiality and out.confidentiality not in LEVELS:
        raise InputError("one of " + ", ".join(LEVELS), field="confidentiality")
    if out.q is not None:
        out.q = out.q.strip() or None
        if out.q and (len(out.q) > MAX_Q or "\x00" in out.q):
            raise InputError(f"at most {MAX_Q} characters", field="q")
    if out.act_type is not None and len(out.act_type) > 60:
        raise InputError("not an act type", field="act_type")
    if out.date_from and out.date_to and out.date_to < out.date_from:
        raise InputError("is before the start of the period", field="date_to")
    return out


def _clauses(
    session: Session, who: Principal, filters: EventFilters, skip: str | None = None
) -> list[ColumnElement[bool]]:
    """The WHERE clauses of ``filters`` (less the one named ``skip``), visibility first."""
    out: list[ColumnElement[bool]] = [access.visible(who, Event)]
    if filters.state and skip != "state":
        out.append(Event.state_iso3 == filters.state)
    if filters.status and skip != "status":
        out.append(Event.status == filters.status)
    if filters.confidentiality and skip != "confidentiality":
        out.append(Event.confidentiality == filters.confidentiality)
    if skip != "year":
        if filters.date_from:
            out.append(func.coalesce(Event.end_date, Event.start_date) >= filters.date_from)
        if filters.date_to:
            out.append(Event.start_date <= filters.date_to)
    if filters.act_type and skip != "act_type":
        out.append(exists().where(Act.event_id == Event.id, Act.act_type == filters.act_type))
    if filters.perpetrator is not None:
        perp = session.get(Perpetrator, filters.perpetrator)
        if perp is None or not access.may(who, Action.READ, perp):
            out.append(false())  # a hidden perpetrator's links are not disclosed
        else:
            out.append(
                exists().where(
                    Act.event_id == Event.id,
                    Involvement.act_id == Act.id,
                    Involvement.perpetrator_id == perp.id,
                )
            )
    if filters.q:
        pattern = _escape(filters.q)
        out.append(
            or_(
                Event.title.ilike(pattern, escape="\\"),
                Event.description.ilike(pattern, escape="\\"),
                Event.area.ilike(pattern, escape="\\"),
            )
        )
    return out


def event_select(session: Session, who: Principal, filters: EventFilters) -> Select[int]:
    """The ids of the events matching ``filters`` that ``who`` may read (for charts and
    exports that aggregate under exactly the list's filters)."""
    return select(Event.id).where(and_(true(), *_clauses(session, who, _checked(filters))))


def _year() -> ColumnElement[Any]:
    return func.extract("year", Event.start_date)


def _facets(session: Session, who: Principal, filters: EventFilters) -> dict[str, list[FacetValue]]:
    def where(skip: str) -> ColumnElement[bool]:
        return and_(true(), *_clauses(session, who, filters, skip))

    count = func.count(Event.id.distinct())
    facets: dict[str, list[FacetValue]] = {}
    states = session.execute(
        select(Event.state_iso3, State.name, count)
        .outerjoin(State, State.iso3 == Event.state_iso3)
        .where(where("state"), Event.state_iso3.is_not(None))
        .group_by(Event.state_iso3, State.name)
        .order_by(count.desc(), State.name)
    )
    facets["state"] = [FacetValue(str(iso3), name or str(iso3), n) for iso3, name, n in states]
    types = session.execute(
        select(Act.act_type, ActType.label, count)
        .join(Event, Event.id == Act.event_id)
        .join(ActType, ActType.code == Act.act_type)
        .where(where("act_type"))
        .group_by(Act.act_type, ActType.label)
        .order_by(count.desc(), ActType.label)
    )
    facets["act_type"] = [FacetValue(code, label, n) for code, label, n in types]
    statuses: dict[str, int] = {
        status: n
        for status, n in session.execute(
            select(Event.status, count).where(where("status")).group_by(Event.status)
        )
    }
    facets["status"] = [
        FacetValue(s, STATUS_LABELS.get(s, s), statuses[s]) for s in EVENT_STATUSES if s in statuses
    ]
    levels: dict[str, int] = {
        level: n
        for level, n in session.execute(
            select(Event.confidentiality, count)
            .where(where("confidentiality"))
            .group_by(Event.confidentiality)
        )
    }
    facets["confidentiality"] = [
        FacetValue(level, access.level_label(level), levels[level])
        for level in LEVELS
        if level in levels
    ]
    year = _year()
    years = session.execute(
        select(year, count)
        .where(where("year"), Event.start_date.is_not(None))
        .group_by(year)
        .order_by(year)
    )
    facets["year"] = [FacetValue(str(int(y)), str(int(y)), n) for y, n in years if y is not None]
    return facets


def search_events(
    session: Session,
    who: Principal,
    filters: EventFilters,
    page: int = 1,
    per_page: int = 50,
    facets: bool = True,
) -> EventPage:
    """One page of the events ``who`` may read that match ``filters``, newest first, with the
    total and (unless ``facets`` is False: five more queries) the facet counts. Raises
    ``InputError`` naming a bad filter."""
    filters = _checked(filters)
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise InputError(f"from 1 to {MAX_PER_PAGE}", field="per_page")
    if page < 1:
        raise InputError("from 1", field="page")
    where = and_(true(), *_clauses(session, who, filters))
    total = session.scalar(select(func.count(Event.id)).where(where)) or 0
    stmt = (
        select(Event, State.name)
        .outerjoin(State, State.iso3 == Event.state_iso3)
        .where(where)
        .order_by(Event.start_date.desc().nulls_last(), Event.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    found = list(session.execute(stmt))
    ids = [event.id for event, _ in found]
    acts: dict[int, list[tuple[str, str]]] = {i: [] for i in ids}
    victims: dict[int, int] = dict.fromkeys(ids, 0)
    if ids:
        for event_id, code, label in session.execute(
            select(Act.event_id, Act.act_type, ActType.label)
            .join(ActType, ActType.code == Act.act_type)
            .where(Act.event_id.in_(ids))
            .distinct()
            .order_by(ActType.label)
        ):
            acts[event_id].append((code, label))
        for event_id, number in session.execute(
            select(Victim.event_id, func.count(Victim.id))
            .where(Victim.event_id.in_(ids))
            .group_by(Victim.event_id)
        ):
            victims[event_id] = number
    rows = [
        EventRow(
            id=event.id,
            title=event.title,
            start_date=event.start_date,
            start_precision=event.start_precision,
            when=date_text(event.start_date, event.start_precision),
            state_iso3=event.state_iso3,
            state_name=state_name,
            area=event.area,
            act_types=[code for code, _ in acts[event.id]],
            act_labels=[label for _, label in acts[event.id]],
            victims=victims[event.id],
            status=event.status,
            confidentiality=event.confidentiality,
        )
        for event, state_name in found
    ]
    return EventPage(
        rows=rows,
        total=total,
        page=page,
        per_page=per_page,
        pages=max(1, math.ceil(total / per_page)),
        facets=_facets(session, who, filters) if facets else {},
    )


def filter_names() -> list[str]:
    """The filters' names, for messages and the API's documentation."""
    return [f.name for f in fields(EventFilters)]
