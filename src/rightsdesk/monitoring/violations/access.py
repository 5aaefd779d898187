"""Who may do what to which documented record: the one place that decides.

Every page, API route, CLI command and export of violations data asks ``may`` (or ``require``)
for a single record and ``visible`` for lists, so a rule changes in one place and a forgotten
check shows up as a failing matrix test rather than a leak.

The rules (roles × confidentiality levels):

==========  ================  ===================  ==============  =========
role        reads records at  sensitive fields at  edits           creates
==========  ================  ===================  ==============  =========
viewer      public            never                no              no
collector   its own only      its own              its own         yes
analyst     ≤ restricted      never                no              no
editor      ≤ confidential    ≤ confidential       ≤ confidential  yes
admin       every level       every level          every record    yes
==========  ================  ===================  ==============  =========

Whoever created a record can always read it, its sensitive fields included, and edit it.
Deleting is for admins only: documentation is evidence, and an edit is audited while a
deletion leaves nothing to compare. A child record (victim, source, attachment) needs access
to its event as well as to itself; acts, involvements and responses take their event's level.

The command line runs as the operator of the store (it holds the key file), so it acts with
the admin's rights and is audited under ``cli:<os user>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from sqlalchemy import ColumnElement, false, or_, true
from sqlalchemy.orm import Session

from rightsdesk.core.errors import NotFoundError, PermissionDenied
from rightsdesk.core.security import audit
from rightsdesk.core.security.models import User

__all__ = [
    "LEVEL_RANK",
    "Action",
    "Principal",
    "Record",
    "audit_read",
    "level_label",
    "may",
    "readable_levels",
    "require",
    "visible",
]

LEVEL_RANK: dict[str, int] = {
    "public": 0,
    "restricted": 1,
    "confidential": 2,
    "strictly_confidential": 3,
}
_LABELS = {
    "public": "Public",
    "restricted": "Restricted",
    "confidential": "Confidential",
    "strictly_confidential": "Strictly confidential",
}
# the most restricted level a role reads (records), and reads sensitive fields of; None: none
_READ_CEILING: dict[str, int | None] = {
    "viewer": 0,
    "collector": None,
    "analyst": 1,
    "editor": 2,
    "admin": 3,
}
_SENSITIVE_CEILING: dict[str, int | None] = {
    "viewer": None,
    "collector": None,
    "analyst": None,
    "editor": 2,
    "admin": 3,
}
_EDIT_CEILING: dict[str, int | None] = {
    "viewer": None,
    "collector": None,
    "analyst": None,
    "editor": 2,
    "admin": 3,
}
_CREATORS = frozenset({"collector", "editor", "admin"})
# reads of records at this rank or above are written to the audit log
AUDITED_READ_RANK = LEVEL_RANK["confidential"]


class Action(StrEnum):
    """What a user wants to do with a record."""

    READ = "read"
    READ_SENSITIVE = "read-sensitive"
    CREATE = "create"
    EDIT = "edit"
    DELETE = "delete"
    EXPORT = "export"


@dataclass(frozen=True)
class Principal:
    """Who acts: a logged-in user, or the command line (the store's operator)."""

    user_id: int | None
    name: str
    role: str

    @classmethod
    def of(cls, user: User) -> Principal:
        return cls(user_id=user.id, name=user.name, role=user.role)

    @classmethod
    def cli(cls) -> Principal:
        return cls(user_id=None, name=audit.cli_actor(), role="admin")

    @property
    def actor(self) -> str:
        """The name the audit log records."""
        return self.name


class Record(Protocol):
    """Anything documented: it has a level and a creator."""

    @property
    def confidentiality(self) -> str: ...

    @property
    def created_by(self) -> int | None: ...


def level_label(level: str) -> str:
    """The level in words, for pages and exports."""
    return _LABELS.get(level, level)


def _rank(level: str) -> int:
    # an unknown level is treated as the strictest: fail closed
    return LEVEL_RANK.get(level, max(LEVEL_RANK.values()))


def _as_principal(who: Principal | User) -> Principal:
    return who if isinstance(who, Principal) else Principal.of(who)


def _owns(who: Principal, record: Record) -> bool:
    return who.user_id is not None and record.created_by == who.user_id


def _within(ceiling: dict[str, int | None], who: Principal, record: Record) -> bool:
    top = ceiling.get(who.role)
    return top is not None and _rank(record.confidentiality) <= top


def may(
    who: Principal | User, action: Action, record: Record | None = None, *parents: Record
) -> bool:
    """Whether ``who`` may do ``action`` on ``record`` (None: a new record, for CREATE).

    ``parents`` are the records that hold this one (a victim's event): access needs them too.
    """
    p = _as_principal(who)
    if p.role not in _READ_CEILING:
        return False
    if action is Action.CREATE:
        return p.role in _CREATORS and all(may(p, Action.READ, x) for x in parents)
    if record is None:
        return False
    if parents and not all(may(p, Action.READ, x) for x in parents):
        return False
    if action is Action.DELETE:
        return p.role == "admin"
    if _owns(p, record):
        return True
    if action in (Action.READ, Action.EXPORT):
        return _within(_READ_CEILING, p, record)
    if action is Action.READ_SENSITIVE:
        return _within(_SENSITIVE_CEILING, p, record)
    if action is Action.EDIT:
        return _within(_EDIT_CEILING, p, record)
    return False


def require(
    who: Principal | User, action: Action, record: Record | None = None, *parents: Record
) -> None:
    """Raise unless ``may``. A record the user may not read is "not found" (404), so that its
    existence is not disclosed; a readable one the user may not change is "permission denied"."""
    if may(who, action, record, *parents):
        return
    if record is not None and not may(who, Action.READ, record, *parents):
        raise NotFoundError("no such record")
    raise PermissionDenied(f"your role ({_as_principal(who).role}) does not allow this")


def readable_levels(who: Principal | User) -> tuple[str, ...]:
    """The levels ``who`` reads regardless of ownership (for filters and forms)."""
    top = _READ_CEILING.get(_as_principal(who).role)
    if top is None:
        return ()
    return tuple(level for level, rank in LEVEL_RANK.items() if rank <= top)


def visible(who: Principal | User, model: Any) -> ColumnElement[bool]:
    """A WHERE clause for ``model`` (a documented table) keeping the rows ``who`` may read, so
    lists, counts and facets never count what the user cannot see."""
    p = _as_principal(who)
    if p.role not in _READ_CEILING:
        return false()
    if p.role == "admin":
        return true()
    levels = readable_levels(p)
    clauses: list[ColumnElement[bool]] = []
    if levels:
        clauses.append(model.confidentiality.in_(levels))
    if p.user_id is not None:
        clauses.append(model.created_by == p.user_id)
    return or_(*clauses) if clauses else false()


def audit_read(session: Session, who: Principal | User, entity: str, record: Any) -> None:
    """Log the read of a confidential or strictly confidential record (the caller commits).

    Only the record's identity is written, never its content: the log must not become a
    second copy of what it protects.
    """
    if _rank(record.confidentiality) < AUDITED_READ_RANK:
        return
    audit.record(
        session,
        _as_principal(who).actor,
        "read",
        entity,
        record.id,
        after={"confidentiality": record.confidentiality},
    )
