"""Linking a documented perpetrator to a sanctions-list entity: screening suggests, a person
decides, and the dossier says where the person is already designated.

Suggestions come from the sanctions form's explained screening, called through that form's
public services (``rightsdesk.forms.service("sanctions", ...)``: ``screen_request``,
``screen``, ``entity_detail``), never by importing it. Each of the perpetrator's names (name
and aliases) is screened with the birth date and nationality on record; the best hit per
listed entity is kept as a ``suggested`` link with its score and the matcher's explanation.
The screening itself is audited by the sanctions form (a query says someone took an
interest in a person); the suggestion, and every confirmation or rejection, by this module.

A suggestion is never a finding: only a person with EDIT on the perpetrator (``access``)
confirms or rejects it, and only confirmed links count as "already designated". Re-running the
suggestion updates scores of open suggestions and never brings back a rejected link or
touches a confirmed one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.db import utcnow
from rightsdesk.core.errors import ConfigError, InputError, NotFoundError
from rightsdesk.core.security import audit
from rightsdesk.forms import service
from rightsdesk.monitoring.violations import access
from rightsdesk.monitoring.violations.access import Action, Principal
from rightsdesk.monitoring.violations.dossier import DesignationRow
from rightsdesk.monitoring.violations.models import Perpetrator, PerpetratorSanctionsLink

__all__ = [
    "AUDIT_ENTITY",
    "LinkView",
    "decide_link",
    "designations_of",
    "get_perpetrator",
    "link_views",
    "suggest_links",
]

#: the audit log's name for these links
AUDIT_ENTITY = "violation_perpetrator_sanctions_link"
#: the channel the sanctions form's screening audit entry names
SCREEN_CHANNEL = "violations-link"
MAX_NAMES = 10  # name and aliases screened per suggestion run
MAX_ENTITY_ID = 200

Decision = Literal["confirm", "reject"]


@dataclass(frozen=True)
class LinkView:
    """A link as pages, the API and the CLI show it."""

    id: int
    perpetrator_id: int
    entity_id: str
    caption: str | None  # None: the entity is not in the loaded lists (any more)
    score: float | None
    explanation: str | None
    status: str
    decided_by: str | None
    decided_at: dt.datetime | None
    created_at: dt.datetime
    designations: tuple[DesignationRow, ...]  # confirmed links only


def get_perpetrator(
    session: Session, who: Principal, perpetrator_id: int, action: Action = Action.READ
) -> Perpetrator:
    """The perpetrator if ``who`` may do ``action`` on it; NotFoundError when it does not
    exist or may not be read (its existence is not disclosed), PermissionDenied otherwise."""
    perp = session.get(Perpetrator, perpetrator_id)
    if perp is None:
        raise NotFoundError(f"no perpetrator {perpetrator_id}")
    access.require(who, action, perp)
    return perp


def _sanctions(name: str) -> Any:
    """A public service of the sanctions form; a clear error if this installation lacks it."""
    try:
        return service("sanctions", name)
    except LookupError as exc:
        raise ConfigError(f"sanctions links need the sanctions form's services: {exc}") from None


def _names(perp: Perpetrator) -> list[str]:
    aliases = [a.strip() for a in (perp.aliases or "").splitlines() if a.strip()]
    return list(dict.fromkeys([perp.name.strip(), *aliases]))[:MAX_NAMES]


def _explanation(hit: Any, name: str) -> str:
    """One paragraph a reviewer can check: which of our names met which listed name, how,
    and where the entity is listed."""
    lists = ", ".join(hit.lists) or "no list"
    programs = ", ".join(p.key or p.code for p in hit.programs) or "no programme"
    return (
        f"Screened name {name!r} matched listed name {hit.matched_name!r} "
        f"({hit.schema_}, {lists}; {programs}). {hit.summary}"
    )


def _screen(
    session: Session, who: Principal, perp: Perpetrator, threshold: float | None, limit: int
) -> dict[str, tuple[float, str]]:
    """Best (score, explanation) per listed entity over the perpetrator's names."""
    make_request = _sanctions("screen_request")
    run = _sanctions("screen")
    schema = "Person" if perp.kind == "person" else "Organization"
    best: dict[str, tuple[float, str]] = {}
    for name in _names(perp):
        options: dict[str, Any] = {"limit": limit}
        if threshold is not None:
            options["threshold"] = threshold
        request = make_request(
            name=name,
            birth_date=perp.birth_date or None,
            nationality=perp.nationality or None,
            schema=schema,
            **options,
        )
        response = run(session, who.actor, request, SCREEN_CHANNEL)
        for hit in response.hits:
            if hit.score > best.get(hit.entity_id, (-1.0, ""))[0]:
                best[hit.entity_id] = (float(hit.score), _explanation(hit, name))
    return best


def suggest_links(
    session: Session,
    who: Principal,
    perpetrator_id: int,
    threshold: float | None = None,
    limit: int = 10,
) -> list[PerpetratorSanctionsLink]:
    """Screen the perpetrator's names and store the hits as suggested links (the caller
    commits; the screening's own audit entries are committed by the sanctions form).

    Needs EDIT on the perpetrator: it writes. Returns every link of the perpetrator."""
    if threshold is not None and not 0.0 <= threshold <= 1.0:
        raise InputError("threshold must be between 0 and 1", field="threshold")
    if not 1 <= limit <= 100:
        raise InputError("limit must be 1 to 100", field="limit")
    perp = get_perpetrator(session, who, perpetrator_id, Action.EDIT)
    found = _screen(session, who, perp, threshold, limit)
    existing = {link.entity_id: link for link in perp.sanctions_links}
    added: list[str] = []
    updated: list[str] = []
    for entity_id, (score, why) in sorted(found.items(), key=lambda kv: -kv[1][0]):
        link = existing.get(entity_id)
        if link is None:
            link = PerpetratorSanctionsLink(
                perpetrator_id=perp.id, entity_id=entity_id, score=score, explanation=why
            )
            session.add(link)
            perp.sanctions_links.append(link)
            added.append(entity_id)
        elif link.status == "suggested":
            link.score, link.explanation = score, why
            updated.append(entity_id)
    audit.record(
        session,
        who.actor,
        "suggest",
        AUDIT_ENTITY,
        perp.id,
        after={"perpetrator_id": perp.id, "added": added, "updated": updated},
    )
    session.flush()
    return sorted(perp.sanctions_links, key=lambda k: (-(k.score or 0.0), k.entity_id))


def _entity_detail(session: Session, entity_id: str) -> Any | None:
    try:
        return _sanctions("entity_detail")(session, entity_id)
    except NotFoundError:
        return None


def decide_link(
    session: Session, who: Principal, perpetrator_id: int, entity_id: str, decision: str
) -> PerpetratorSanctionsLink:
    """Confirm or reject the link of the perpetrator to ``entity_id`` (caller commits).

    Confirming an entity that was never suggested links it by hand, once the sanctions form
    knows the entity; rejecting needs a link. Audited with the status before and after."""
    if decision not in ("confirm", "reject"):
        raise InputError(f"unknown decision {decision!r} (confirm or reject)", field="decision")
    entity_id = (entity_id or "").strip()
    if not entity_id or len(entity_id) > MAX_ENTITY_ID:
        raise InputError("a sanctions entity id is needed", field="entity_id")
    perp = get_perpetrator(session, who, perpetrator_id, Action.EDIT)
    link = session.scalars(
        select(PerpetratorSanctionsLink).where(
            PerpetratorSanctionsLink.perpetrator_id == perp.id,
            PerpetratorSanctionsLink.entity_id == entity_id,
        )
    ).first()
    if link is None:
        if decision == "reject":
            raise NotFoundError(f"no link of perpetrator {perp.id} to {entity_id!r}")
        if _entity_detail(session, entity_id) is None:
            raise NotFoundError(f"no sanctions entity {entity_id!r} in the loaded lists")
        link = PerpetratorSanctionsLink(
            perpetrator_id=perp.id, entity_id=entity_id, explanation="Linked by a person."
        )
        session.add(link)
        session.flush()
    before = link.status
    link.status = "confirmed" if decision == "confirm" else "rejected"
    link.decided_by = who.actor
    link.decided_at = utcnow()
    audit.record(
        session,
        who.actor,
        decision,
        AUDIT_ENTITY,
        link.id,
        before={"status": before},
        after={"status": link.status, "perpetrator_id": perp.id, "entity_id": entity_id},
    )
    session.flush()
    return link


def designations_of(
    session: Session, entity_id: str, program_key: str | None = None
) -> tuple[str | None, tuple[DesignationRow, ...]]:
    """(caption, designations) of a listed entity from the sanctions form; (None, ()) when
    the loaded lists no longer hold it. ``program_key`` marks designations under a regime."""
    detail = _entity_detail(session, entity_id)
    if detail is None:
        return None, ()
    caption = str(detail.entity.get("caption") or entity_id)
    rows = tuple(
        DesignationRow(
            entity_id=entity_id,
            caption=caption,
            list_key=d.list_key,
            authority=d.authority,
            program=d.program_key or d.program_code,
            program_key=d.program_key,
            listed_on=d.listed_on,
            delisted_on=d.delisted_on,
            active=d.active,
            under_this_regime=program_key is not None and d.program_key == program_key,
        )
        for d in detail.designations
    )
    return caption, rows


def link_views(session: Session, who: Principal, perpetrator_id: int) -> list[LinkView]:
    """The perpetrator's links (READ on it), confirmed first, then by score; confirmed links
    carry their designations ("already designated where")."""
    perp = get_perpetrator(session, who, perpetrator_id)
    order = {"confirmed": 0, "suggested": 1, "rejected": 2}
    links = sorted(
        perp.sanctions_links,
        key=lambda k: (order.get(k.status, 3), -(k.score or 0.0), k.entity_id),
    )
    out = []
    for link in links:
        caption, rows = designations_of(session, link.entity_id)
        out.append(
            LinkView(
                id=link.id,
                perpetrator_id=perp.id,
                entity_id=link.entity_id,
                caption=caption,
                score=link.score,
                explanation=link.explanation,
                status=link.status,
                decided_by=link.decided_by,
                decided_at=link.decided_at,
                created_at=link.created_at,
                designations=rows if link.status == "confirmed" else (),
            )
        )
    return out


def confirmed_designations(
    session: Session, perp: Perpetrator, program_key: str | None = None
) -> tuple[DesignationRow, ...]:
    """Designations of every confirmed link of ``perp``, in force first (the dossier's
    "already designated where"); the caller has checked READ on ``perp``."""
    rows: list[DesignationRow] = []
    for link in perp.sanctions_links:
        if link.status == "confirmed":
            rows.extend(designations_of(session, link.entity_id, program_key)[1])
    return tuple(sorted(rows, key=lambda d: (not d.active, d.list_key, d.program)))
