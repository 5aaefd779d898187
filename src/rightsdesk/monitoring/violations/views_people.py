"""What a reader is shown of a perpetrator: the record and the acts it is alleged to have
taken part in, across the events the reader may read (``views`` for the rest)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.errors import NotFoundError
from rightsdesk.monitoring.violations import access
from rightsdesk.monitoring.violations.access import Action, Principal
from rightsdesk.monitoring.violations.models import Act, Event, Involvement, Perpetrator
from rightsdesk.monitoring.violations.vocab import act_type_labels, date_text

__all__ = ["PerpetratorActRow", "PerpetratorView", "Subordinate", "perpetrator_view"]


class Subordinate(NamedTuple):
    id: int
    name: str


@dataclass
class PerpetratorActRow:
    event_id: int
    event_title: str
    event_when: str
    state_iso3: str | None
    act_id: int
    act_type: str
    act_label: str
    role: str
    established: bool


@dataclass
class PerpetratorView:
    id: int
    natural_key: str
    kind: str
    name: str
    aliases: list[str]
    position: str | None
    state_iso3: str | None
    nationality: str | None
    birth_date: str | None
    commander_id: int | None  # None also when the commander is not readable
    commander_name: str | None
    subordinates: list[Subordinate]
    notes: str | None
    confidentiality: str
    level_label: str
    may_edit: bool
    acts: list[PerpetratorActRow] = field(default_factory=list)
    hidden_acts: int = 0  # acts in events the reader may not read


def perpetrator_view(session: Session, who: Principal, perpetrator_id: int) -> PerpetratorView:
    """A perpetrator with the acts it is alleged to have taken part in, across the events
    ``who`` may read (else "not found"); a read of a confidential one is audited."""
    perp = session.get(Perpetrator, perpetrator_id)
    if perp is None:
        raise NotFoundError("no such record")
    access.require(who, Action.READ, perp)
    access.audit_read(session, who, "violation_perpetrator", perp)
    labels = act_type_labels(session)
    stmt = (
        select(Involvement, Act, Event)
        .join(Act, Involvement.act_id == Act.id)
        .join(Event, Act.event_id == Event.id)
        .where(Involvement.perpetrator_id == perp.id)
        .order_by(Event.start_date, Act.id)
    )
    rows: list[PerpetratorActRow] = []
    hidden = 0
    for inv, act, event in session.execute(stmt):
        if not access.may(who, Action.READ, event):
            hidden += 1
            continue
        rows.append(
            PerpetratorActRow(
                event_id=event.id,
                event_title=event.title,
                event_when=date_text(event.start_date, event.start_precision),
                state_iso3=event.state_iso3,
                act_id=act.id,
                act_type=act.act_type,
                act_label=labels.get(act.act_type, act.act_type),
                role=inv.role,
                established=inv.established,
            )
        )
    commander = perp.commander
    if commander is not None and not access.may(who, Action.READ, commander):
        commander = None
    subs = session.scalars(
        select(Perpetrator)
        .where(Perpetrator.commander_id == perp.id, access.visible(who, Perpetrator))
        .order_by(Perpetrator.name)
    )
    return PerpetratorView(
        id=perp.id,
        natural_key=perp.natural_key,
        kind=perp.kind,
        name=perp.name,
        aliases=[a.strip() for a in (perp.aliases or "").splitlines() if a.strip()],
        position=perp.position,
        state_iso3=perp.state_iso3,
        nationality=perp.nationality,
        birth_date=perp.birth_date,
        commander_id=commander.id if commander else None,
        commander_name=commander.name if commander else None,
        subordinates=[Subordinate(s.id, s.name) for s in subs],
        notes=perp.notes,
        confidentiality=perp.confidentiality,
        level_label=access.level_label(perp.confidentiality),
        may_edit=access.may(who, Action.EDIT, perp),
        acts=rows,
        hidden_acts=hidden,
    )
