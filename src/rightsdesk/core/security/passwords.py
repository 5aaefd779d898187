"""Password hashing with argon2id (the OWASP recommendation), with transparent rehashing."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 10


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return _hasher().verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _hasher().check_needs_rehash(stored)


@cache
def dummy_hash() -> str:
    """A hash of a random password, verified against when the user name is unknown (or the
    account inactive), so that a login costs the same time whether the name exists or not."""
    return hash_password(secrets.token_urlsafe(24))
