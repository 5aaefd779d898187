"""Roles and what they may do. Every route and command names the permission it needs."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """Roles in increasing power: each holds the permissions of the ones before it, except the
    data collector, who stands apart: it reads public data and documents violations, but sees
    and edits only the records it created (``monitoring.violations.access``)."""

    VIEWER = "viewer"
    COLLECTOR = "collector"
    ANALYST = "analyst"
    EDITOR = "editor"
    ADMIN = "admin"


class Permission(StrEnum):
    READ = "read"  # public-level data: states, treaties, votes, recommendations
    ANALYSE = "analyse"  # run models, forecasts, exports
    EDIT = "edit"  # change records, imports, review suggestions
    READ_CONFIDENTIAL = "read-confidential"  # sensitive fields (victims, witnesses)
    DOCUMENT = "document"  # record violations (events, victims, sources); scope decided per record
    ADMIN = "admin"  # users, tokens, audit


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset({Permission.READ}),
    Role.COLLECTOR: frozenset({Permission.READ, Permission.DOCUMENT}),
    Role.ANALYST: frozenset({Permission.READ, Permission.ANALYSE}),
    Role.EDITOR: frozenset(
        {Permission.READ, Permission.ANALYSE, Permission.EDIT, Permission.DOCUMENT}
    ),
    Role.ADMIN: frozenset(Permission),
}


def allows(role: str, permission: Permission) -> bool:
    """Whether ``role`` holds ``permission``; unknown roles hold nothing."""
    try:
        return permission in GRANTS[Role(role)]
    except ValueError:
        return False
