"""Keys derived from the instance secret: field encryption at rest and the audit chain's MAC.

The field key is derived from the instance secret; a column typed ``EncryptedText`` is stored
as a Fernet token and decrypted on load, so a copy of the database file alone discloses nothing.

The audit key (HKDF-SHA256 of the secret, with its own label) keys the MAC that chains the audit
log (``audit.py``). It lives only in the process, never in the database, so whoever can write
to the database but does not hold the secret cannot recompute the chain after an edit.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

_KEY: list[Fernet] = []
_AUDIT_KEY: list[bytes] = []

AUDIT_KEY_LABEL = b"rightsdesk audit chain v2"


def derive_key(secret_key: str, label: bytes, length: int = 32) -> bytes:
    """A key for one purpose (``label``) from the instance secret: HKDF-SHA256, no salt."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=label)
    return hkdf.derive(secret_key.encode("utf-8"))


def configure_encryption(secret_key: str) -> None:
    """Set the process keys (called by the app factory and the CLI after loading settings)."""
    digest = hashlib.sha256(("rightsdesk-fields:" + secret_key).encode()).digest()
    _KEY[:] = [Fernet(base64.urlsafe_b64encode(digest))]
    _AUDIT_KEY[:] = [derive_key(secret_key, AUDIT_KEY_LABEL)]


def audit_key() -> bytes:
    """The key of the audit chain's MAC; set by ``configure_encryption``."""
    if not _AUDIT_KEY:
        raise RuntimeError("the audit log written before configure_encryption()")
    return _AUDIT_KEY[0]


def _fernet() -> Fernet:
    if not _KEY:
        raise RuntimeError("field encryption used before configure_encryption()")
    return _KEY[0]


class EncryptedText(TypeDecorator[str]):
    """Text encrypted with the instance key; NULL stays NULL."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return _fernet().encrypt(value.encode("utf-8")).decode("ascii")

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        try:
            return _fernet().decrypt(str(value).encode("ascii")).decode("utf-8")
        except InvalidToken:
            return "[encrypted with another key]"
