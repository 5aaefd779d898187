"""Building a designation dossier from the documentation, as its reader may see it.

``build_dossier`` reads the perpetrator (READ needed, else "not found"), its chain of command,
the acts it and its commanders and subordinates took part in, and the sources of those acts'
events, keeping only records the reader may read (``access.may``: the one rule). It never
reads a sensitive field: witnesses are shown by source type and organisation, victims by
description, places by area. Each confidential record read is written to the audit log
(``access.audit_read``), and ``audit_export`` records every export with the regime and the
counts (never a value), as every export of the house is.

Each criterion of the regime (``dossier_criteria``) is matched against the acts: by the
perpetrator's role in its own acts, or through the chain of command for the criteria about
leaders, people acting at a superior's direction and associates. An act whose type the regime
does not list is shown apart, not counted. A criterion with no act is a gap.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.db import utcnow
from rightsdesk.core.security import audit
from rightsdesk.core.states import State
from rightsdesk.monitoring.violations import access
from rightsdesk.monitoring.violations.access import Action, Principal
from rightsdesk.monitoring.violations.dossier import (
    AbuseFinding,
    CriterionFinding,
    Dossier,
    DossierAct,
    DossierSource,
    Identity,
    PersonRef,
    Strength,
)
from rightsdesk.monitoring.violations.dossier_criteria import Criterion, Regime, get_regime
from rightsdesk.monitoring.violations.models import (
    Act,
    ActType,
    Event,
    Involvement,
    Perpetrator,
    Source,
    Victim,
)
from rightsdesk.monitoring.violations.sanctions_links import (
    confirmed_designations,
    get_perpetrator,
)

__all__ = ["AUDIT_WHAT", "audit_export", "build_dossier"]

#: the ``entity`` of a dossier export in the audit log
AUDIT_WHAT = "violation_dossier"
MAX_DEPTH = 6  # levels of the chain of command followed up and down


@dataclass(frozen=True)
class _Found:
    """An act with how a perpetrator took part in it, before footnotes are numbered."""

    involvement: Involvement
    act: Act
    event: Event
    perpetrator: Perpetrator
    relation: str


def _commanders(session: Session, who: Principal, perp: Perpetrator) -> list[Perpetrator]:
    """The readable chain of command above ``perp``, nearest first; it stops at the first
    commander the reader may not read, so an unreadable record is never disclosed."""
    out: list[Perpetrator] = []
    seen = {perp.id}
    current = perp
    while current.commander_id is not None and len(out) < MAX_DEPTH:
        boss = session.get(Perpetrator, current.commander_id)
        if boss is None or boss.id in seen or not access.may(who, Action.READ, boss):
            break
        out.append(boss)
        seen.add(boss.id)
        current = boss
    return out


def _subordinates(session: Session, who: Principal, perp: Perpetrator) -> list[Perpetrator]:
    """Readable perpetrators under ``perp``'s command, level by level."""
    out: list[Perpetrator] = []
    seen = {perp.id}
    frontier = [perp.id]
    for _ in range(MAX_DEPTH):
        if not frontier:
            break
        stmt = (
            select(Perpetrator)
            .where(
                Perpetrator.commander_id.in_(frontier),
                access.visible(who, Perpetrator),
            )
            .order_by(Perpetrator.name, Perpetrator.id)
        )
        found = [p for p in session.scalars(stmt) if p.id not in seen]
        found = [p for p in found if access.may(who, Action.READ, p)]
        seen.update(p.id for p in found)
        out.extend(found)
        frontier = [p.id for p in found]
    return out


def _acts(
    session: Session, who: Principal, perps: Iterable[tuple[Perpetrator, str]]
) -> list[_Found]:
    """Acts of readable events in which each perpetrator took part, by date."""
    relation = {p.id: (p, r) for p, r in perps}
    if not relation:
        return []
    stmt = (
        select(Involvement, Act, Event)
        .join(Act, Involvement.act_id == Act.id)
        .join(Event, Act.event_id == Event.id)
        .where(Involvement.perpetrator_id.in_(relation), access.visible(who, Event))
        .order_by(Event.start_date, Event.id, Act.id, Involvement.id)
    )
    out = []
    for inv, act, event in session.execute(stmt):
        if not access.may(who, Action.READ, event):
            continue
        perp, rel = relation[inv.perpetrator_id]
        out.append(_Found(inv, act, event, perp, rel))
    order = {"self": 0, "subordinate": 1, "superior": 2}
    return sorted(
        out,
        key=lambda f: (order[f.relation], f.act.date or f.event.start_date or utcnow().date()),
    )


def _victim(who: Principal, act: Act, event: Event) -> str | None:
    """A victim described, never named; None when the reader may not read the victim."""
    victim: Victim | None = act.victim
    if victim is None or not access.may(who, Action.READ, victim, event):
        return None
    if victim.kind == "group":
        size = f"{victim.group_size} people" if victim.group_size else "a group"
        return ", ".join(x for x in (size, victim.group_membership) if x)
    parts = (victim.sex, victim.age_group, victim.occupation, victim.group_membership)
    return ", ".join(x for x in parts if x) or "a person"


class _Footnotes:
    """Numbers sources in the order the dossier first cites them."""

    def __init__(self, who: Principal) -> None:
        self.who = who
        self.numbers: dict[int, int] = {}
        self.sources: list[DossierSource] = []

    def of(self, event: Event) -> tuple[int, ...]:
        out = []
        for src in event.sources:
            if not access.may(self.who, Action.READ, src, event):
                continue
            if src.id not in self.numbers:
                self.numbers[src.id] = len(self.sources) + 1
                self.sources.append(_source(src, self.numbers[src.id]))
            out.append(self.numbers[src.id])
        return tuple(out)


def _source(src: Source, number: int) -> DossierSource:
    # reporter_name and reporter_contact are never read here: not even for a reader who may
    return DossierSource(
        number=number,
        source_id=src.id,
        event_id=src.event_id,
        source_type=src.source_type,
        organisation=src.organisation,
        reported_on=src.reported_on,
        method=src.method,
        reliability=src.reliability,
        credibility=src.credibility,
        summary=src.summary,
        citation=src.citation,
        url=src.url,
        confidentiality=src.confidentiality,
    )


def _dossier_act(
    found: _Found, regime: Regime, labels: dict[str, str], who: Principal, notes: _Footnotes
) -> DossierAct:
    act, event, inv = found.act, found.event, found.involvement
    abuse = regime.abuse_of(act.act_type)
    return DossierAct(
        act_id=act.id,
        event_id=event.id,
        event_title=event.title,
        date=act.date or event.start_date,
        date_precision="day" if act.date else event.start_precision,
        state_iso3=event.state_iso3,
        area=event.area,
        act_type=act.act_type,
        act_label=labels.get(act.act_type, act.act_type),
        description=act.description,
        victim=_victim(who, act, event),
        perpetrator_id=found.perpetrator.id,
        perpetrator_name=found.perpetrator.name,
        relation=found.relation,
        role=inv.role,
        established=bool(inv.established),
        abuse_key=abuse.key if abuse else None,
        abuse_citation=abuse.citation if abuse else None,
        needs_pattern=bool(abuse and abuse.needs_pattern),
        source_numbers=notes.of(event),
        confidentiality=event.confidentiality,
    )


def _supports(criterion: Criterion, act: DossierAct) -> bool:
    if act.abuse_key is None:
        return False
    if act.relation == "self":
        return act.role in criterion.roles
    if criterion.via == "associates":
        return True
    return (criterion.via, act.relation) in (
        ("subordinates", "subordinate"),
        ("superiors", "superior"),
    )


def _finding(criterion: Criterion, acts: list[DossierAct], perp: Perpetrator) -> CriterionFinding:
    notes = []
    if criterion.persons_only and perp.kind != "person":
        notes.append("applies to natural persons: this perpetrator is a " + perp.kind)
        supporting: tuple[DossierAct, ...] = ()
    else:
        supporting = tuple(a for a in acts if _supports(criterion, a))
    if any(a.needs_pattern for a in supporting):
        notes.append(
            "some acts count only if widespread, systematic or grave enough (shown as such)"
        )
    if criterion.via in ("superiors", "associates") and supporting:
        notes.append("supported through the chain of command: the related person's acts")
    return CriterionFinding(
        key=criterion.key,
        citation=criterion.citation,
        title=criterion.title,
        text=criterion.text,
        acts=supporting,
        note="; ".join(notes) or None,
    )


def _identity(
    session: Session, perp: Perpetrator, bosses: list[Perpetrator], subs: list[Perpetrator]
) -> Identity:
    state = session.get(State, perp.state_iso3) if perp.state_iso3 else None

    def ref(p: Perpetrator) -> PersonRef:
        return PersonRef(p.id, p.name, p.kind, p.position)

    return Identity(
        id=perp.id,
        natural_key=perp.natural_key,
        kind=perp.kind,
        name=perp.name,
        aliases=tuple(a.strip() for a in (perp.aliases or "").splitlines() if a.strip()),
        position=perp.position,
        state_iso3=perp.state_iso3,
        state_name=state.name if state else None,
        nationality=perp.nationality,
        birth_date=perp.birth_date,
        confidentiality=perp.confidentiality,
        commanders=tuple(ref(p) for p in bosses),
        subordinates=tuple(ref(p) for p in subs),
    )


def _audit_reads(
    session: Session, who: Principal, perp: Perpetrator, found: list[_Found], notes: _Footnotes
) -> tuple[str, ...]:
    """Log reads of confidential records; return the levels of every record included."""
    access.audit_read(session, who, "violation_perpetrator", perp)
    levels = {perp.confidentiality}
    events = {f.event.id: f.event for f in found}
    for event in events.values():
        access.audit_read(session, who, "violation_event", event)
        levels.add(event.confidentiality)
    for src in notes.sources:
        levels.add(src.confidentiality)
        if access.LEVEL_RANK.get(src.confidentiality, 3) >= access.AUDITED_READ_RANK:
            audit.record(
                session,
                who.actor,
                "read",
                "violation_source",
                src.source_id,
                after={"confidentiality": src.confidentiality},
            )
    return tuple(sorted(levels, key=lambda x: access.LEVEL_RANK.get(x, 3)))


def build_dossier(session: Session, who: Principal, perpetrator_id: int, regime: str) -> Dossier:
    """The dossier of one perpetrator under one regime (``us-glomag``, ``eu-ghrsr``,
    ``uk-ghr``), holding only what ``who`` may read. Confidential reads are audited (the
    caller commits)."""
    chosen = get_regime(regime)
    perp = get_perpetrator(session, who, perpetrator_id)
    bosses = _commanders(session, who, perp)
    subs = _subordinates(session, who, perp)
    related = [(perp, "self"), *((p, "subordinate") for p in subs)]
    related += [(p, "superior") for p in bosses]
    found = _acts(session, who, related)
    labels = {code: label for code, label in session.execute(select(ActType.code, ActType.label))}
    notes = _Footnotes(who)
    acts = [_dossier_act(f, chosen, labels, who, notes) for f in found]
    own = [a for a in acts if a.relation == "self"]
    in_scope = tuple(a for a in own if a.abuse_key is not None)
    criteria = tuple(_finding(c, acts, perp) for c in chosen.criteria)
    abuses = tuple(
        AbuseFinding(
            key=ab.key,
            citation=ab.citation,
            text=ab.text,
            acts=sum(1 for a in in_scope if a.abuse_key == ab.key),
            needs_pattern=ab.needs_pattern,
        )
        for ab in chosen.abuses
    )
    cited = notes.sources
    strength = Strength(
        acts=len(in_scope),
        acts_established=sum(1 for a in in_scope if a.established),
        acts_alleged=sum(1 for a in in_scope if not a.established),
        events=len({a.event_id for a in acts}),
        sources=len(cited),
        reliable_sources=sum(1 for s in cited if s.reliability in ("A", "B")),
        credible_sources=sum(1 for s in cited if s.credibility in ("1", "2")),
        strong_sources=sum(1 for s in cited if s.strong),
        criteria_met=sum(1 for c in criteria if not c.gap),
        criteria_total=len(criteria),
        out_of_scope_acts=sum(1 for a in own if a.abuse_key is None),
    )
    levels = _audit_reads(session, who, perp, found, notes)
    return Dossier(
        regime=chosen,
        identity=_identity(session, perp, bosses, subs),
        criteria=criteria,
        abuses=abuses,
        acts=in_scope,
        out_of_scope=tuple(a for a in own if a.abuse_key is None),
        evidence=tuple(acts),
        sources=tuple(cited),
        strength=strength,
        designations=confirmed_designations(session, perp, chosen.program_key),
        prepared_at=utcnow(),
        prepared_by=who.actor,
        levels=levels,
    )


def audit_export(session: Session, who: Principal, dossier: Dossier, fmt: str) -> None:
    """Record the export of ``dossier`` as ``fmt`` (html, json, ftm, pdf): the perpetrator's
    id, the regime and the counts, never a value from the records (the caller commits)."""
    s = dossier.strength
    audit.record_export(
        session,
        who.actor,
        AUDIT_WHAT,
        rows=len(dossier.acts) + len(dossier.sources),
        criteria={
            "perpetrator_id": dossier.identity.id,
            "regime": dossier.regime.key,
            "acts": s.acts,
            "sources": s.sources,
            "criteria_met": s.criteria_met,
            "levels": list(dossier.levels),
        },
        fmt=fmt,
    )
