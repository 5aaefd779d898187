"""Links from programmes to the recommendations they serve: made, confirmed and rejected.

A link is "programme P addresses recommendation R", with who said so and why. The matcher
(``suggest``) proposes links as ``suggested``; a person confirms or rejects them, as in the
monitoring review queue, or adds a link directly with a reason (confirmed at once: a person
said so). A rejected link is kept, so the matcher never proposes it again. Every write here
goes into the audit log, in the caller's transaction, with the values before and after.

Recommendations belong to the monitoring form: they are named by natural key and read only
through its public services (``rightsdesk.forms.service``), never by importing it.

Permissions are the callers' business (pages and API require ``Editor`` to write).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.capacity.models import LINK_STATUSES, Programme, ProgrammeLink, Recipient
from rightsdesk.core.db import utcnow
from rightsdesk.core.errors import ConflictError, InputError, NotFoundError
from rightsdesk.core.security import audit
from rightsdesk.forms import service

if TYPE_CHECKING:
    from rightsdesk.monitoring.public import RecommendationRef

__all__ = [
    "ENTITY",
    "LinkView",
    "add_link",
    "get_link",
    "link_view",
    "link_view_of",
    "links_for_programme",
    "links_for_recommendation",
    "list_links",
    "recommendation_key",
    "recommendations_by_keys",
    "set_status",
]

ENTITY = "capacity_link"  # the audit log's name for these rows
MATCHER = "matcher"  # created_by of the matcher's suggestions
REASON_LIMIT = 2000
Decision = Literal["confirmed", "rejected"]


def recommendations_by_keys(session: Session, keys: Iterable[str]) -> dict[str, RecommendationRef]:
    """The monitoring form's recommendations by natural key (its public service)."""
    found: dict[str, RecommendationRef] = service("monitoring", "recommendations_by_keys")(
        session, keys
    )
    return found


@dataclass
class LinkView:
    """A link as pages, API and commands show it: both ends named, who and why."""

    id: int
    programme_id: int
    programme_key: str
    programme_title: str
    activity_id: int | None
    recommendation_key: str
    recommendation_id: int | None  # None: the recommendation is not in this store
    recommendation_text: str | None
    recommendation_state: str | None
    recommendation_response: str | None
    themes: list[str] = field(default_factory=list)
    status: str = "suggested"
    score: float | None = None
    reason: str | None = None
    created_by: str = MATCHER
    created_at: dt.datetime | None = None
    reviewed_by: str | None = None
    reviewed_at: dt.datetime | None = None
    implementation_record_id: int | None = None  # the monitoring record following the rec.


def implementation_record(session: Session, key: str) -> int | None:
    """The implementation record (monitoring form) that follows this recommendation, if any:
    a confirmed link names it, so the programme is tied to the actions as well as to the
    recommendation they answer."""
    rec = recommendations_by_keys(session, [key]).get(key)
    if rec is None:
        return None
    found = service("monitoring", "implementation_of_state")(session, rec.state_iso3).get(key)
    return int(found.record_id) if found is not None else None


def link_view(link: ProgrammeLink, programme: Programme, rec: RecommendationRef | None) -> LinkView:
    return LinkView(
        id=link.id,
        programme_id=link.programme_id,
        programme_key=programme.natural_key,
        programme_title=programme.title,
        activity_id=link.activity_id,
        recommendation_key=link.recommendation_key,
        recommendation_id=rec.id if rec else None,
        recommendation_text=rec.text if rec else None,
        recommendation_state=rec.state_iso3 if rec else None,
        recommendation_response=rec.response if rec else None,
        themes=rec.themes if rec else [],
        status=link.status,
        score=link.score,
        reason=link.reason,
        created_by=link.created_by,
        created_at=link.created_at,
        reviewed_by=link.reviewed_by,
        reviewed_at=link.reviewed_at,
        implementation_record_id=link.implementation_record_id,
    )


def _views(session: Session, links: list[ProgrammeLink]) -> list[LinkView]:
    recs = recommendations_by_keys(session, {link.recommendation_key for link in links})
    ids = {link.programme_id for link in links}
    programmes = (
        {p.id: p for p in session.scalars(select(Programme).where(Programme.id.in_(ids)))}
        if ids
        else {}
    )
    return [
        link_view(link, programmes[link.programme_id], recs.get(link.recommendation_key))
        for link in links
    ]


def link_view_of(session: Session, link_id: int) -> LinkView:
    """One link as shown (after a write: both ends named)."""
    return _views(session, [get_link(session, link_id)])[0]


def _snapshot(link: ProgrammeLink) -> dict[str, Any]:
    return {
        "programme_id": link.programme_id,
        "activity_id": link.activity_id,
        "recommendation_key": link.recommendation_key,
        "status": link.status,
        "score": link.score,
        "reason": link.reason,
        "implementation_record_id": link.implementation_record_id,
    }


def _reason(value: str | None, required: bool) -> str | None:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise InputError("say why the programme addresses the recommendation", field="reason")
    if len(cleaned) > REASON_LIMIT:
        raise InputError(f"reason is longer than {REASON_LIMIT} characters", field="reason")
    return cleaned or None


def get_programme(session: Session, programme_id: int) -> Programme:
    programme = session.get(Programme, programme_id)
    if programme is None:
        raise NotFoundError(f"no programme #{programme_id}")
    return programme


def get_link(session: Session, link_id: int) -> ProgrammeLink:
    link = session.get(ProgrammeLink, link_id)
    if link is None:
        raise NotFoundError(f"no link #{link_id}")
    return link


def find_link(
    session: Session, programme_id: int, recommendation_key: str, activity_id: int | None = None
) -> ProgrammeLink | None:
    """The link between these two, whatever its status (NULL activity ids compare as equal
    here, which the unique constraint alone does not guarantee)."""
    stmt = select(ProgrammeLink).where(
        ProgrammeLink.programme_id == programme_id,
        ProgrammeLink.recommendation_key == recommendation_key,
    )
    if activity_id is None:
        stmt = stmt.where(ProgrammeLink.activity_id.is_(None))
    else:
        stmt = stmt.where(ProgrammeLink.activity_id == activity_id)
    return session.scalars(stmt.order_by(ProgrammeLink.id)).first()


def recommendation_key(session: Session, ref: str) -> str:
    """The natural key of the recommendation a person named by its id (as pages show it,
    /recommendations/ID) or by its key; NotFoundError when the store has no such one."""
    ref = (ref or "").strip().removeprefix("/recommendations/").strip("/")
    if not ref:
        raise InputError("name the recommendation (its id or key)", field="recommendation")
    if ref.isdecimal():
        by_id: dict[int, RecommendationRef] = service("monitoring", "recommendations_by_ids")(
            session, [int(ref)]
        )
        if int(ref) not in by_id:
            raise NotFoundError(f"no recommendation #{ref}")
        return by_id[int(ref)].natural_key
    if ref not in recommendations_by_keys(session, [ref]):
        raise NotFoundError(f"no recommendation with key {ref!r}")
    return ref


def add_link(
    session: Session,
    programme_id: int,
    recommendation_key: str,
    actor: str,
    reason: str | None,
    activity_id: int | None = None,
) -> ProgrammeLink:
    """A person's link, confirmed at once, with their reason (required).

    A suggestion or a rejected link between the same two becomes this confirmed link (the
    person's word overrides the matcher's and an earlier rejection); an already confirmed link
    is a conflict.
    """
    programme = get_programme(session, programme_id)
    key = (recommendation_key or "").strip()
    if not key:
        raise InputError("name the recommendation (its key)", field="recommendation_key")
    why = _reason(reason, required=True)
    if key not in recommendations_by_keys(session, [key]):
        raise NotFoundError(f"no recommendation with key {key!r}")
    if activity_id is not None and activity_id not in {a.id for a in programme.activities}:
        raise NotFoundError(f"programme #{programme_id} has no activity #{activity_id}")
    now = utcnow()
    link = find_link(session, programme_id, key, activity_id)
    before = _snapshot(link) if link is not None else None
    if link is not None and link.status == "confirmed":
        raise ConflictError(
            f"programme #{programme_id} is already linked to that recommendation "
            f"(link #{link.id}, confirmed by {link.reviewed_by or link.created_by})"
        )
    if link is None:
        link = ProgrammeLink(
            programme_id=programme_id,
            activity_id=activity_id,
            recommendation_key=key,
            created_by=actor,
            created_at=now,
        )
        session.add(link)
    link.status, link.reason = "confirmed", why
    link.reviewed_by, link.reviewed_at = actor, now
    link.implementation_record_id = implementation_record(session, key)
    session.flush()
    audit.record(
        session, actor, "link", ENTITY, link.id, before=before, after=_snapshot(link), note=why
    )
    return link


def set_status(
    session: Session, link_id: int, status: str, actor: str, reason: str | None = None
) -> ProgrammeLink:
    """Confirm or reject a link (a suggestion, or reverse an earlier decision), audited.

    Setting the status a link already has is a conflict: two reviewers deciding the same
    suggestion learn that the other was first.
    """
    if status not in ("confirmed", "rejected"):
        raise InputError(
            f"status must be confirmed or rejected (links are one of {', '.join(LINK_STATUSES)})",
            field="status",
        )
    link = get_link(session, link_id)
    if link.status == status:
        raise ConflictError(f"link #{link_id} was already {status} by {link.reviewed_by}")
    before = _snapshot(link)
    why = _reason(reason, required=False)
    link.status, link.reviewed_by, link.reviewed_at = status, actor, utcnow()
    if status == "confirmed":
        link.implementation_record_id = implementation_record(session, link.recommendation_key)
    if why:
        link.reason = why if link.created_by != MATCHER else f"{link.reason}; {actor}: {why}"
    session.flush()
    action = "confirm" if status == "confirmed" else "reject"
    audit.record(
        session, actor, action, ENTITY, link.id, before=before, after=_snapshot(link), note=why
    )
    return link


def links_for_programme(
    session: Session, programme_id: int, status: str | None = None
) -> list[LinkView]:
    """A programme's links with each recommendation's text (confirmed first, then by score)."""
    get_programme(session, programme_id)
    stmt = select(ProgrammeLink).where(ProgrammeLink.programme_id == programme_id)
    if status:
        stmt = stmt.where(ProgrammeLink.status == status)
    links = list(session.scalars(stmt.order_by(ProgrammeLink.id)))
    order = {"confirmed": 0, "suggested": 1, "rejected": 2}
    links.sort(key=lambda k: (order.get(k.status, 3), -(k.score or 0.0), k.id))
    return _views(session, links)


def links_for_recommendation(
    session: Session, key: str, status: str | None = None
) -> list[LinkView]:
    """The programmes linked to a recommendation (by natural key)."""
    stmt = select(ProgrammeLink).where(ProgrammeLink.recommendation_key == key)
    if status:
        stmt = stmt.where(ProgrammeLink.status == status)
    return _views(session, list(session.scalars(stmt.order_by(ProgrammeLink.id))))


def list_links(
    session: Session,
    programme_id: int | None = None,
    status: str | None = None,
    state: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[LinkView], int]:
    """A page of links (the review queue: ``status="suggested"``, best score first) and the
    total; ``state`` keeps programmes with that recipient state."""
    if status is not None and status not in LINK_STATUSES:
        raise InputError(f"status is one of {', '.join(LINK_STATUSES)}", field="status")
    stmt = select(ProgrammeLink)
    if programme_id is not None:
        stmt = stmt.where(ProgrammeLink.programme_id == programme_id)
    if status:
        stmt = stmt.where(ProgrammeLink.status == status)
    if state:
        sub = select(Recipient.programme_id).where(Recipient.state_iso3 == state.upper())
        stmt = stmt.where(ProgrammeLink.programme_id.in_(sub))
    total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    ordered = stmt.order_by(ProgrammeLink.score.desc().nulls_last(), ProgrammeLink.id)
    links = list(session.scalars(ordered.limit(limit).offset(offset)))
    return _views(session, links), total
