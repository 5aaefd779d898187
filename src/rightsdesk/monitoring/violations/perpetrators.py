"""Perpetrators: found by their key or exact name, created when new, listed under access.

A perpetrator is a documented record of its own (a level and a creator), shared across events:
the same colonel appears in many. So linking an act to one goes through ``access`` like any
read, and one the user may not read is never matched (a new record is made instead, which
discloses nothing about the hidden one).
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rightsdesk.core.errors import InputError
from rightsdesk.core.security import audit
from rightsdesk.monitoring.violations import access
from rightsdesk.monitoring.violations.access import Action, Principal
from rightsdesk.monitoring.violations.models import LEVELS, PERPETRATOR_KINDS, Perpetrator

__all__ = ["find_perpetrator", "get_or_create_perpetrator", "list_perpetrators"]

_FIELDS = (
    "kind",
    "aliases",
    "position",
    "state_iso3",
    "nationality",
    "birth_date",
    "commander_id",
    "notes",
    "confidentiality",
    "natural_key",
)


def find_perpetrator(session: Session, who: Principal, name_or_key: str) -> Perpetrator | None:
    """The perpetrator ``who`` may read whose natural key, else whose name, is exactly this."""
    text = name_or_key.strip()
    for column in (Perpetrator.natural_key, Perpetrator.name):
        stmt = (
            select(Perpetrator)
            .where(column == text, access.visible(who, Perpetrator))
            .order_by(Perpetrator.id)
            .limit(1)
        )
        found = session.scalars(stmt).first()
        if found is not None:
            return found
    return None


def get_or_create_perpetrator(
    session: Session, who: Principal, name_or_key: str, **fields: Any
) -> Perpetrator:
    """The readable perpetrator with this key or name, or a new one named so.

    ``fields`` (``kind``, ``position``, ``state_iso3``, ``confidentiality``, ``natural_key``...)
    are used only for a new record. The caller commits; a creation is audited.
    """
    name = name_or_key.strip()
    if not name or len(name) > 300 or "\x00" in name:
        raise InputError("a perpetrator's name: 1 to 300 characters", field="perpetrator")
    found = find_perpetrator(session, who, name)
    if found is not None:
        return found
    unknown = set(fields) - set(_FIELDS)
    if unknown:
        raise TypeError(f"unknown perpetrator fields: {sorted(unknown)}")
    access.require(who, Action.CREATE)
    kind = fields.get("kind") or "person"
    level = fields.get("confidentiality") or "confidential"
    if kind not in PERPETRATOR_KINDS:
        raise InputError("one of " + ", ".join(PERPETRATOR_KINDS), field="perpetrator.kind")
    if level not in LEVELS:
        raise InputError("one of " + ", ".join(LEVELS), field="perpetrator.confidentiality")
    key = fields.get("natural_key") or f"perp-{secrets.token_hex(8)}"
    if session.scalars(select(Perpetrator.id).where(Perpetrator.natural_key == key)).first():
        key = f"perp-{secrets.token_hex(8)}"  # taken by a record this user may not read
    perpetrator = Perpetrator(
        **{**fields, "kind": kind, "confidentiality": level, "natural_key": key},
        name=name,
        created_by=who.user_id,
        updated_by=who.user_id,
    )
    session.add(perpetrator)
    session.flush()
    audit.record(
        session,
        who.actor,
        "create",
        "violation_perpetrator",
        perpetrator.id,
        after={"natural_key": key, "name": name, "kind": kind, "confidentiality": level},
    )
    return perpetrator


def list_perpetrators(session: Session, who: Principal, limit: int = 1000) -> list[Perpetrator]:
    """The perpetrators ``who`` may read, by name."""
    stmt = (
        select(Perpetrator)
        .where(access.visible(who, Perpetrator))
        .order_by(Perpetrator.name, Perpetrator.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))
