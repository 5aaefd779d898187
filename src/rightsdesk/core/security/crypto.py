"""Encryption at rest for sensitive fields (victims, witnesses, sources).

The key is derived from the instance secret; a column typed ``EncryptedText`` is stored as a
Fernet token and decrypted on load, so a copy of the database file alone discloses nothing.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

_KEY: list[Fernet] = []


def configure_encryption(secret_key: str) -> None:
    """Set the process key (called by the app factory and the CLI after loading settings)."""
    digest = hashlib.sha256(("rightsdesk-fields:" + secret_key).encode()).digest()
    _KEY[:] = [Fernet(base64.urlsafe_b64encode(digest))]


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
