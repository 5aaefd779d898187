"""Browser sessions kept on the server, so that logging out (or a password change) ends them.

The signed session cookie carries only a random session id; the ``user_session`` table keeps
its SHA-256 with the user, when it started and when it was last used. A session is valid while
it is not revoked, was used within the idle timeout (``session_idle_minutes``) and started less
than ``MAX_AGE`` ago. ``last_seen`` is refreshed at most once a minute, best effort: a page view
never waits for the database write lock (a long import holds it on SQLite).

The CSRF token of a logged-in browser is derived from its session id (an HMAC with a key of its
own), so the cookie needs to carry nothing else.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy import Engine, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from rightsdesk.core.db import utcnow
from rightsdesk.core.security.crypto import derive_key
from rightsdesk.core.security.models import User, UserSession

MAX_AGE = timedelta(hours=8)  # after this a session ends whatever happens
TOUCH_EVERY = timedelta(seconds=60)  # how often last_seen (and a token's last use) is written
TOUCH_WAIT_MS = 200  # how long a refresh of last_seen may wait for the write lock

log = logging.getLogger(__name__)


def digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def aware(at: datetime) -> datetime:
    """SQLite gives back naive datetimes; they are UTC."""
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def start_session(session: Session, user: User, address: str | None = None) -> str:
    """A new session for ``user``; returns the id for the cookie (the table keeps its hash)."""
    sid = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        UserSession(
            id=digest(sid),
            user_id=user.id,
            created_at=now,
            last_seen=now,
            address=(address or "")[:64] or None,
            revoked=False,
        )
    )
    session.flush()
    return sid


def session_user(session: Session, sid: str, idle: timedelta) -> User | None:
    """The active user of a valid session, or None (unknown, revoked, idle or too old)."""
    row = session.get(UserSession, digest(sid))
    if row is None or row.revoked:
        return None
    now = utcnow()
    last_seen = aware(row.last_seen)
    if now - aware(row.created_at) > MAX_AGE or now - last_seen > idle:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    if now - last_seen > TOUCH_EVERY:
        touch(
            session,
            update(UserSession)
            .where(UserSession.id == row.id, UserSession.last_seen < now - TOUCH_EVERY)
            .values(last_seen=now),
        )
    return user


def touch(session: Session, statement: object) -> None:
    """Run a bookkeeping update in its own short transaction, giving up quickly if the store is
    busy: a missed refresh costs nothing, a page waiting for an import's lock does."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    try:
        with engine.begin() as conn:
            sqlite = engine.dialect.name == "sqlite"
            if sqlite:
                usual = conn.exec_driver_sql("PRAGMA busy_timeout").scalar()
                conn.exec_driver_sql(f"PRAGMA busy_timeout={TOUCH_WAIT_MS}")
            elif engine.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{TOUCH_WAIT_MS}ms'")
            try:
                conn.execute(statement)  # type: ignore[call-overload]
            finally:
                if sqlite:  # the pooled connection keeps its usual patience
                    conn.exec_driver_sql(f"PRAGMA busy_timeout={int(usual or 0)}")
    except DBAPIError as exc:
        log.info("last-use refresh skipped (store busy): %s", type(exc).__name__)


def end_session(session: Session, sid: str) -> User | None:
    """Revoke a session (logout); returns its user, if the session was still open."""
    row = session.get(UserSession, digest(sid))
    if row is None or row.revoked:
        return None
    row.revoked = True
    return session.get(User, row.user_id)


def revoke_sessions(session: Session, user_id: int) -> int:
    """End every open session of a user (password change, deactivation); returns how many."""
    result = session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked.is_(False))
        .values(revoked=True)
    )
    return int(getattr(result, "rowcount", 0) or 0)


@cache
def _csrf_key(secret_key: str) -> bytes:
    return derive_key(secret_key, b"rightsdesk csrf v1")


def csrf_for(sid: str, secret_key: str) -> str:
    """The CSRF token of a session: an HMAC of its id, with a key of its own."""
    return hmac.new(_csrf_key(secret_key), sid.encode("utf-8"), hashlib.sha256).hexdigest()
