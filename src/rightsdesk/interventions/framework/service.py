"""Assessments: the current draft, ratings, finalising, versions and their differences.

One rule carries the versioning: a final assessment is never changed. Rating a state whose
latest version is final starts version N+1 as a copy of it (ratings, notes, evidence), so the
published judgement stays as it was read, and the difference between two versions is exactly
what the analysts changed. Every write goes to the audit log in the same transaction.

Every input is checked before anything is written: an unknown state, indicator, rating or
evidence reference raises a user-facing error and leaves the store as it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rightsdesk.core.db import utcnow
from rightsdesk.core.errors import ConflictError, InputError, NotFoundError
from rightsdesk.core.security import audit
from rightsdesk.core.security.models import User
from rightsdesk.core.states import State, get_state
from rightsdesk.interventions.framework.evidence import EvidenceIn, check_evidence, show_evidence
from rightsdesk.interventions.framework.models import Assessment, Evidence, Rating
from rightsdesk.interventions.framework.reference import check_rating, indicator

__all__ = [
    "Change",
    "assessment",
    "current_draft",
    "diff",
    "finalise",
    "history",
    "rate",
    "set_details",
    "states_assessed",
]

ENTITY = "framework-assessment"
_LOAD = selectinload(Assessment.ratings).selectinload(Rating.evidence)


def _state(session: Session, query: str) -> State:
    return get_state(session, query)


def history(session: Session, iso3: str, include_drafts: bool = True) -> list[Assessment]:
    """Every version of a state's assessment, newest first (drafts only when asked)."""
    stmt = select(Assessment).where(Assessment.state_iso3 == iso3).options(_LOAD)
    if not include_drafts:
        stmt = stmt.where(Assessment.status == "final")
    return list(session.scalars(stmt.order_by(Assessment.version.desc())))


def assessment(
    session: Session, iso3: str, version: int | None = None, include_drafts: bool = False
) -> Assessment | None:
    """Version ``version`` of the state's assessment, or the latest one the reader may see
    (the latest final one unless ``include_drafts``). NotFoundError for a version that does not
    exist or is a draft the reader may not see; None when there is no assessment at all."""
    versions = history(session, iso3, include_drafts)
    if version is None:
        return versions[0] if versions else None
    for a in versions:
        if a.version == version:
            return a
    raise NotFoundError(f"no assessment version {version} for {iso3}")


def states_assessed(session: Session, include_drafts: bool = False) -> list[dict[str, object]]:
    """The states with an assessment: latest version, its date and status, by state name."""
    stmt = select(
        Assessment.state_iso3, State.name, func.max(Assessment.version), func.count()
    ).join(State, State.iso3 == Assessment.state_iso3)
    if not include_drafts:
        stmt = stmt.where(Assessment.status == "final")
    rows = session.execute(stmt.group_by(Assessment.state_iso3, State.name).order_by(State.name))
    out: list[dict[str, object]] = []
    for iso3, name, latest, count in rows:
        a = session.scalars(
            select(Assessment).where(Assessment.state_iso3 == iso3, Assessment.version == latest)
        ).one()
        out.append(
            {
                "iso3": iso3,
                "state": name,
                "version": latest,
                "versions": count,
                "status": a.status,
                "assessed_on": a.assessed_on,
                "author": a.author,
            }
        )
    return out


def _copy(source: Assessment, target: Assessment) -> None:
    for r in source.ratings:
        copy = Rating(indicator=r.indicator, rating=r.rating, note=r.note, updated_by=r.updated_by)
        copy.updated_at = r.updated_at
        copy.evidence = [Evidence(kind=e.kind, ref=e.ref, note=e.note) for e in r.evidence]
        target.ratings.append(copy)


def current_draft(session: Session, actor: str, iso3: str) -> Assessment:
    """The state's draft: the latest version when it is a draft, else a new version copying
    the latest final one (or an empty version 1). Creating one is audited."""
    state = _state(session, iso3)
    versions = history(session, state.iso3)
    if versions and versions[0].status == "draft":
        return versions[0]
    previous = versions[0] if versions else None
    draft = Assessment(
        state_iso3=state.iso3,
        version=(previous.version + 1) if previous else 1,
        status="draft",
        assessed_on=dt.date.today(),
        period_start=previous.period_start if previous else None,
        period_end=previous.period_end if previous else None,
        author=actor,
        summary=previous.summary if previous else None,
    )
    if previous is not None:
        _copy(previous, draft)
    session.add(draft)
    session.flush()
    audit.record(
        session,
        actor,
        "create",
        ENTITY,
        draft.id,
        after={"state": state.iso3, "version": draft.version, "from_version": draft.version - 1},
    )
    return draft


def rate(
    session: Session,
    actor: str,
    iso3: str,
    code: str,
    rating: str,
    note: str | None = None,
    evidence: list[EvidenceIn] | None = None,
    replace_evidence: bool = False,
    writer: User | None = None,
) -> Rating:
    """Rate indicator ``code`` on the state's draft (started if needed). ``note`` None keeps
    the stored note; ``evidence`` is added to what is there, or replaces it with
    ``replace_evidence``. ``writer``: the web user, whose access decides which violation events
    may be cited (None: the command line's operator). The caller commits."""
    state = _state(session, iso3)
    item = indicator(code)
    word = check_rating(rating)
    _text(note, "note")
    checked = [check_evidence(session, state.iso3, e, writer) for e in evidence or []]
    draft = current_draft(session, actor, state.iso3)
    found = next((r for r in draft.ratings if r.indicator == item.code), None)
    before = None
    if found is None:
        found = Rating(indicator=item.code, rating=word, updated_by=actor)
        draft.ratings.append(found)
    else:
        before = {"rating": found.rating, "note": found.note, "evidence": _refs(found)}
    found.rating, found.updated_by, found.updated_at = word, actor, utcnow()
    if note is not None:
        found.note = note.strip() or None
    if replace_evidence:
        _replace_evidence(session, found, checked, writer)
    have = {(e.kind, e.ref) for e in found.evidence}
    for e in checked:
        if (e.kind, e.ref) not in have:
            found.evidence.append(Evidence(kind=e.kind, ref=e.ref, note=e.note))
            have.add((e.kind, e.ref))
    session.flush()
    after = {"indicator": item.code, "rating": word, "note": found.note, "evidence": _refs(found)}
    audit.record(session, actor, "rate", ENTITY, draft.id, before=before, after=after)
    return found


def _replace_evidence(
    session: Session, rating: Rating, wanted: list[EvidenceIn], writer: User | None
) -> None:
    """Drop the stored evidence not in ``wanted``, except links ``writer`` may not read (they
    were not in the list it edited, so it cannot mean to remove them). Links kept are updated in
    place: deleting and re-adding one would trip the unique key within one flush."""
    by_key = {(e.kind, e.ref): e for e in wanted}
    hidden: set[int] = set()
    if writer is not None and rating.evidence:
        views = show_evidence(session, rating.assessment.state_iso3, rating.evidence, writer)
        hidden = {id(e) for e, v in zip(rating.evidence, views, strict=True) if not v.visible}
    kept = []
    for e in rating.evidence:
        if (e.kind, e.ref) in by_key:
            e.note = by_key[(e.kind, e.ref)].note
            kept.append(e)
        elif id(e) in hidden:
            kept.append(e)
    rating.evidence = kept


def _refs(r: Rating) -> list[str]:
    return [f"{e.kind}:{e.ref}" for e in r.evidence]


def _text(value: str | None, name: str) -> None:
    """Refuse what no store keeps as text (PostgreSQL refuses NUL bytes)."""
    if value is not None and "\x00" in value:
        raise InputError(f"{name} contains a NUL byte", field=name)


def _date(value: str | dt.date | None, name: str) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{name} {value!r} is not a date (YYYY-MM-DD)", field=name) from None


def set_details(
    session: Session,
    actor: str,
    iso3: str,
    summary: str | None,
    period_start: str | dt.date | None = None,
    period_end: str | dt.date | None = None,
) -> Assessment:
    """Set the draft's summary and the period its evidence covers (audited)."""
    _text(summary, "summary")
    start, end = _date(period_start, "period_start"), _date(period_end, "period_end")
    if start and end and start > end:
        raise InputError("the period ends before it starts", field="period_end")
    draft = current_draft(session, actor, iso3)
    before = {"summary": draft.summary, "period": [draft.period_start, draft.period_end]}
    draft.summary = (summary or "").strip() or None
    draft.period_start, draft.period_end = start, end
    after = {"summary": draft.summary, "period": [start, end]}
    audit.record(session, actor, "edit", ENTITY, draft.id, before=before, after=after)
    return draft


def finalise(session: Session, actor: str, iso3: str) -> Assessment:
    """Make the state's draft final, dated today: it is never changed again (audited)."""
    state = _state(session, iso3)
    versions = history(session, state.iso3)
    if not versions or versions[0].status != "draft":
        raise ConflictError(f"{state.name} has no draft assessment to finalise")
    draft = versions[0]
    if not any(r.rating != "not-assessed" for r in draft.ratings):
        raise InputError("rate at least one indicator before finalising", field="ratings")
    draft.status, draft.assessed_on = "final", dt.date.today()
    draft.finalised_at, draft.finalised_by = utcnow(), actor
    after = {"state": state.iso3, "version": draft.version, "assessed_on": draft.assessed_on}
    audit.record(session, actor, "finalise", ENTITY, draft.id, after=after)
    return draft


@dataclass(frozen=True)
class Change:
    """How one indicator differs between two versions."""

    indicator: str
    before: str | None  # rating; None when the indicator was not rated
    after: str | None
    note_changed: bool
    added: list[Evidence] = field(default_factory=list)
    removed: list[Evidence] = field(default_factory=list)


def diff(old: Assessment | None, new: Assessment) -> list[Change]:
    """What changed from ``old`` to ``new``, indicator by indicator, in framework order."""
    before = {r.indicator: r for r in old.ratings} if old else {}
    after = {r.indicator: r for r in new.ratings}
    out: list[Change] = []
    codes = sorted(set(before) | set(after), key=lambda c: tuple(int(p) for p in c.split(".")))
    for code in codes:
        a, b = before.get(code), after.get(code)
        old_ev = {(e.kind, e.ref): e for e in a.evidence} if a else {}
        new_ev = {(e.kind, e.ref): e for e in b.evidence} if b else {}
        change = Change(
            indicator=code,
            before=a.rating if a else None,
            after=b.rating if b else None,
            note_changed=(a.note if a else None) != (b.note if b else None),
            added=[e for k, e in new_ev.items() if k not in old_ev],
            removed=[e for k, e in old_ev.items() if k not in new_ev],
        )
        if change.before != change.after or change.note_changed or change.added or change.removed:
            out.append(change)
    return out
