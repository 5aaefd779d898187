"""Accounts: creation, login with rate limiting, and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from rightsdesk.core.db import utcnow
from rightsdesk.core.errors import AuthenticationError, ConflictError, InputError, NotFoundError
from rightsdesk.core.security import audit
from rightsdesk.core.security.models import ApiToken, LoginAttempt, User
from rightsdesk.core.security.passwords import (
    MIN_LENGTH,
    hash_password,
    needs_rehash,
    verify_password,
)
from rightsdesk.core.security.roles import Role

WINDOW = timedelta(minutes=15)


def create_user(session: Session, name: str, role: str, password: str, actor: str) -> User:
    """A new account; the password must be at least MIN_LENGTH characters."""
    try:
        Role(role)
    except ValueError as exc:
        roles = ", ".join(r.value for r in Role)
        raise InputError(f"unknown role {role!r}; choose one of {roles}", field="role") from exc
    if len(password) < MIN_LENGTH:
        raise InputError(f"password must be at least {MIN_LENGTH} characters", field="password")
    if session.scalars(select(User).where(User.name == name)).first():
        raise ConflictError(f"user {name!r} already exists")
    user = User(name=name, role=role, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    audit.record(session, actor, "create", "user", user.name, after={"name": name, "role": role})
    return user


def get_user(session: Session, name: str) -> User:
    user = session.scalars(select(User).where(User.name == name)).first()
    if user is None:
        raise NotFoundError(f"no user named {name!r}")
    return user


def authenticate(session: Session, name: str, password: str, address: str, limit: int = 5) -> User:
    """The user if the password is right; refuses after ``limit`` failures in 15 minutes."""
    since = utcnow() - WINDOW
    failures = session.scalar(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.name == name, LoginAttempt.address == address, LoginAttempt.at >= since
        )
    )
    if failures is not None and failures >= limit:
        raise AuthenticationError("too many failed attempts; try again in 15 minutes")
    user = session.scalars(select(User).where(User.name == name, User.active.is_(True))).first()
    if user is None or not verify_password(user.password_hash, password):
        session.add(LoginAttempt(name=name, address=address))
        session.flush()
        raise AuthenticationError("wrong user name or password")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.execute(
        delete(LoginAttempt).where(LoginAttempt.name == name, LoginAttempt.address == address)
    )
    return user


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(session: Session, name: str, actor: str) -> str:
    """A new API token for ``name``; only its hash is kept, so it is shown once."""
    user = get_user(session, name)
    token = "rd_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_sha256=_token_digest(token)))
    audit.record(session, actor, "issue-token", "user", user.name)
    session.flush()
    return token


def user_for_token(session: Session, token: str) -> User | None:
    stmt = (
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_sha256 == _token_digest(token),
            ApiToken.revoked.is_(False),
            User.active.is_(True),
        )
    )
    return session.scalars(stmt).first()
