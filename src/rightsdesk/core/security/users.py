"""Accounts: names, creation and changes, login with rate limiting and lockout, API tokens.

Login limits (``authenticate``), counted over the last 15 minutes in ``login_attempt``:

- per account: after ``limit`` failures the account is locked, whatever the address of the
  next attempt and even with the right password, until the window passes or an administrator
  unlocks it (``unlock``, ``rightsdesk users unlock NAME``);
- per client address: ``ADDRESS_FACTOR`` times as many failures, over all names (password
  spraying), after which that address is refused.

The counting is atomic: an attempt is reserved (counted, then inserted, under a lock in a short
transaction of its own) before the password is checked, so parallel guesses cannot all read the
same count; a successful login removes its reservation. An unknown name or an inactive account
costs the same argon2 verification as a known one (against ``passwords.dummy_hash``), so the
response time does not tell which names exist.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from rightsdesk.core.db import utcnow
from rightsdesk.core.errors import AuthenticationError, ConflictError, InputError, NotFoundError
from rightsdesk.core.security import audit
from rightsdesk.core.security.models import ApiToken, LoginAttempt, User
from rightsdesk.core.security.passwords import (
    MIN_LENGTH,
    dummy_hash,
    hash_password,
    needs_rehash,
    verify_password,
)
from rightsdesk.core.security.roles import Role
from rightsdesk.core.security.sessions import TOUCH_EVERY, aware, digest, revoke_sessions, touch

WINDOW = timedelta(minutes=15)
ADDRESS_FACTOR = 4  # failures allowed per client address: this many times the per-account limit
NAME_MAX = 64
NAME_PUNCTUATION = "._-@"
NAME_COLUMN = 100  # the width of user_account.name and login_attempt.name
ADDRESS_COLUMN = 64

# The PostgreSQL advisory lock serialising login-attempt counting: "rdlogin" in ASCII.
LOGIN_LOCK_KEY = 0x72646C6F67696E

LOCKED = (
    "too many failed attempts for this account: it is locked for 15 minutes, "
    "or until an administrator unlocks it"
)
ADDRESS_LOCKED = "too many failed attempts from your address; try again in 15 minutes"
WRONG = "wrong user name or password"


# --- names ---------------------------------------------------------------------------------


def lookup_key(raw: str) -> str:
    """How a typed name is compared: Unicode NFKC, case-folded, surrounding spaces trimmed."""
    return unicodedata.normalize("NFKC", raw).casefold().strip()


def normalise_name(raw: str) -> str:
    """A new account's name, normalised and checked: 1 to 64 letters, digits and ``._-@``."""
    name = lookup_key(raw)
    if not name:
        raise InputError("the user name is empty", field="name")
    if len(name) > NAME_MAX:
        raise InputError(
            f"the user name is {len(name)} characters long; at most {NAME_MAX}", field="name"
        )
    bad = sorted({c for c in name if not (c.isalnum() or c in NAME_PUNCTUATION)})
    if bad:
        shown = " ".join(repr(c) for c in bad[:5])
        raise InputError(
            f"the user name may hold only letters, digits and {NAME_PUNCTUATION}; not {shown}",
            field="name",
        )
    return name


def _check_role(role: str) -> None:
    try:
        Role(role)
    except ValueError as exc:
        roles = ", ".join(r.value for r in Role)
        raise InputError(f"unknown role {role!r}; choose one of {roles}", field="role") from exc


def _check_password(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InputError(f"password must be at least {MIN_LENGTH} characters", field="password")


def _find(session: Session, raw: str) -> User | None:
    key = lookup_key(raw)
    if len(key) > NAME_COLUMN:
        return None
    return session.scalars(select(User).where(User.name == key)).first()


# --- accounts ------------------------------------------------------------------------------


def create_user(session: Session, name: str, role: str, password: str, actor: str) -> User:
    """A new account; the name is normalised (``normalise_name``) and must be new in that
    form ("Admin " is "admin"); the password must be at least MIN_LENGTH characters."""
    key = normalise_name(name)
    _check_role(role)
    _check_password(password)
    if _find(session, key) is not None:
        raise ConflictError(
            f"user {key!r} already exists (names are compared ignoring case and spaces around)"
        )
    user = User(name=key, role=role, password_hash=hash_password(password), active=True)
    session.add(user)
    session.flush()
    audit.record(session, actor, "create", "user", user.name, after={"name": key, "role": role})
    return user


def get_user(session: Session, name: str) -> User:
    user = _find(session, name)
    if user is None:
        raise NotFoundError(f"no user named {lookup_key(name)[:NAME_COLUMN]!r}")
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))


def set_password(session: Session, name: str, password: str, actor: str) -> User:
    """A new password; every open browser session of the account ends."""
    user = get_user(session, name)
    _check_password(password)
    user.password_hash = hash_password(password)
    ended = revoke_sessions(session, user.id)
    audit.record(session, actor, "change-password", "user", user.name, after={"sessions": ended})
    return user


def set_role(session: Session, name: str, role: str, actor: str) -> User:
    user = get_user(session, name)
    _check_role(role)
    if user.role != role:
        before = {"role": user.role}
        user.role = role
        audit.record(session, actor, "change-role", "user", user.name, before, {"role": role})
    return user


def set_active(session: Session, name: str, active: bool, actor: str) -> User:
    """Deactivate (no login, no session, no token works) or reactivate an account."""
    user = get_user(session, name)
    if user.active == active:
        return user
    user.active = active
    after: dict[str, object] = {"active": active}
    if not active:
        after["sessions"] = revoke_sessions(session, user.id)
    action = "activate" if active else "deactivate"
    audit.record(session, actor, action, "user", user.name, {"active": not active}, after)
    return user


def failures(session: Session, name: str) -> int:
    """Failed (or in-flight) logins for this account name in the current window."""
    key = lookup_key(name)[:NAME_COLUMN]
    since = utcnow() - WINDOW
    count = session.scalar(
        select(func.count(LoginAttempt.id)).where(
            LoginAttempt.name == key, LoginAttempt.at >= since
        )
    )
    return int(count or 0)


def unlock(session: Session, name: str, actor: str) -> int:
    """Forget the failed logins of an account (any address): a locked account can log in."""
    key = lookup_key(name)[:NAME_COLUMN]
    if _find(session, key) is None:
        raise NotFoundError(f"no user named {key!r}")
    result = session.execute(delete(LoginAttempt).where(LoginAttempt.name == key))
    removed = int(getattr(result, "rowcount", 0) or 0)
    audit.record(session, actor, "unlock", "user", key, after={"failures_cleared": removed})
    return removed


# --- login ---------------------------------------------------------------------------------


def _lock_attempts(session: Session) -> None:
    """Serialise the counting of attempts (for the rest of this short transaction)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOGIN_LOCK_KEY})
    elif dialect == "sqlite":  # take the write lock first (see audit.lock_chain)
        session.execute(text("UPDATE login_attempt SET id = id WHERE 0"))


def _reserve(session: Session, key: str, address: str, limit: int, address_limit: int) -> int:
    """Count this attempt before the password is checked: refuse if the account or the address
    is over its limit, else insert the attempt (a failure until the login succeeds). One short
    transaction of its own under a lock, so parallel attempts count one after another."""
    since = utcnow() - WINDOW
    with Session(bind=session.get_bind()) as own, own.begin():
        _lock_attempts(own)
        per_name = own.scalar(
            select(func.count(LoginAttempt.id)).where(
                LoginAttempt.name == key, LoginAttempt.at >= since
            )
        )
        if (per_name or 0) >= limit:
            raise AuthenticationError(LOCKED)
        per_address = own.scalar(
            select(func.count(LoginAttempt.id)).where(
                LoginAttempt.address == address, LoginAttempt.at >= since
            )
        )
        if (per_address or 0) >= address_limit:
            raise AuthenticationError(ADDRESS_LOCKED)
        attempt = LoginAttempt(name=key, address=address, at=utcnow())
        own.add(attempt)
        own.flush()
        return attempt.id


def authenticate(
    session: Session,
    name: str,
    password: str,
    address: str,
    limit: int = 5,
    address_limit: int | None = None,
) -> User:
    """The user if the name and password are right and neither the account nor the address is
    over its limit of failures in 15 minutes (``address_limit`` defaults to ADDRESS_FACTOR
    times ``limit``).

    Failures are audited (name and address, never the password) in ``session``; the caller
    commits on failure too. The attempt itself is counted in a transaction of its own.
    """
    key = lookup_key(name)
    count_key = key[:NAME_COLUMN]
    address = (address or "unknown")[:ADDRESS_COLUMN]
    limit = max(1, limit)
    address_limit = max(1, address_limit if address_limit is not None else ADDRESS_FACTOR * limit)
    attempt_id = _reserve(session, count_key, address, limit, address_limit)
    user = _find(session, key)
    usable = user is not None and user.active
    stored = user.password_hash if user is not None and usable else dummy_hash()
    right = verify_password(stored, password)
    if user is None or not usable or not right:
        now_failed = failures(session, count_key)
        audit.record(
            session,
            "anonymous",
            "login-failed",
            "user",
            count_key,
            after={
                "address": address,
                "account": "unknown" if user is None else ("active" if usable else "inactive"),
                "locked": now_failed >= limit,
            },
        )
        raise AuthenticationError(WRONG)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.execute(
        delete(LoginAttempt).where(
            (LoginAttempt.id == attempt_id)
            | ((LoginAttempt.name == count_key) & (LoginAttempt.address == address))
        )
    )
    return user


# --- API tokens ----------------------------------------------------------------------------


def _token_digest(token: str) -> str:
    return digest(token)


def create_token(
    session: Session, name: str, actor: str, expires_days: int | None = None
) -> tuple[ApiToken, str]:
    """A new API token for ``name`` (its row, and the token itself, shown once: only its hash
    is kept). ``expires_days``: it stops working that many days from now; None: never."""
    user = get_user(session, name)
    if expires_days is not None and not 1 <= expires_days <= 3650:
        raise InputError("--expires-days must be between 1 and 3650", field="expires_days")
    token = "rd_" + secrets.token_urlsafe(32)
    now = utcnow()
    row = ApiToken(
        user_id=user.id,
        token_sha256=_token_digest(token),
        created_at=now,
        revoked=False,
        expires_at=None if expires_days is None else now + timedelta(days=expires_days),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "issue-token",
        "user",
        user.name,
        after={"token_id": row.id, "expires_at": row.expires_at},
    )
    return row, token


def issue_token(session: Session, name: str, actor: str, expires_days: int | None = None) -> str:
    """A new API token for ``name``; only its hash is kept, so it is shown once."""
    return create_token(session, name, actor, expires_days)[1]


@dataclass(frozen=True)
class TokenInfo:
    id: int
    user: str
    created: datetime
    expires: datetime | None
    last_used: datetime | None
    revoked: bool

    @property
    def expired(self) -> bool:
        return self.expires is not None and aware(self.expires) <= utcnow()


def list_tokens(session: Session, name: str) -> list[TokenInfo]:
    user = get_user(session, name)
    rows = session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
    )
    return [
        TokenInfo(r.id, user.name, r.created_at, r.expires_at, r.last_used_at, r.revoked)
        for r in rows
    ]


def revoke_token(session: Session, token_id: int, actor: str) -> ApiToken:
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFoundError(f"no API token #{token_id}")
    if not row.revoked:
        row.revoked = True
        owner = session.get(User, row.user_id)
        audit.record(
            session,
            actor,
            "revoke-token",
            "user",
            owner.name if owner else None,
            after={"token_id": row.id},
        )
    return row


def user_for_token(session: Session, token: str) -> User | None:
    """The active user of a valid (not revoked, not expired) token; notes its last use."""
    now = utcnow()
    stmt = (
        select(User, ApiToken)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(
            ApiToken.token_sha256 == _token_digest(token),
            ApiToken.revoked.is_(False),
            User.active.is_(True),
        )
    )
    found = session.execute(stmt).first()
    if found is None:
        return None
    user, row = found
    if row.expires_at is not None and aware(row.expires_at) <= now:
        return None
    if row.last_used_at is None or now - aware(row.last_used_at) > TOUCH_EVERY:
        touch(session, update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now))
    return user
