"""Roles and what they may do. Every route and command names the permission it needs."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """Roles in increasing power: each holds the permissions of the ones before it."""

    VIEWER = "viewer"
    ANALYST = "analyst"
    EDITOR = "editor"
    ADMIN = "admin"


class Permission(StrEnum):
    READ = "read"  # public-level data: states, treaties, votes, recommendations
    ANALYSE = "analyse"  # run models, forecasts, exports
    EDIT = "edit"  # change records, imports, review suggestions
    READ_CONFIDENTIAL = "read-confidential"  # sensitive fields (victims, witnesses)
    ADMIN = "admin"  # users, tokens, audit


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset({Permission.READ}),
    Role.ANALYST: frozenset({Permission.READ, Permission.ANALYSE}),
    Role.EDITOR: frozenset({Permission.READ, Permission.ANALYSE, Permission.EDIT}),
    Role.ADMIN: frozenset(Permission),
}


def allows(role: str, permission: Permission) -> bool:
    """Whether ``role`` holds ``permission``; unknown roles hold nothing."""
    try:
        return permission in GRANTS[Role(role)]
    except ValueError:
        return False
