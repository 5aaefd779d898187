"""Keys held outside the database: field encryption at rest and the audit chain's MAC.

A column typed ``EncryptedText`` is stored as a Fernet token (AES-128-CBC with an HMAC-SHA256:
authenticated encryption) and decrypted on load, so a copy of the database alone discloses
nothing.

The field keys form a ring, newest first, so that keys can be rotated (``rightsdesk keys
rotate``) without making old data unreadable:

- the field key file ``DATA/field-keys`` (one Fernet key per line, newest first, mode 0600), or
  the ``RIGHTSDESK_FIELD_KEYS`` environment variable (keys separated by commas or spaces),
  which then wins over the file;
- always last, the key derived from the instance secret (``secret.key`` or
  ``RIGHTSDESK_SECRET_KEY``): what every store used before it had a key file, so its old
  values stay readable.

New values are encrypted with the first key of the ring; any key of the ring decrypts. A
running server notices a rotated key file (its modification time) before it next encrypts,
and when a value does not decrypt, so it neither writes with a retired key nor shows a value
encrypted with the new one as unreadable.

The audit key (HKDF-SHA256 of the secret, with its own label) keys the MAC that chains the audit
log (``audit.py``). It lives only in the process and is not rotated with the field keys:
whoever can write to the database but does not hold the secret cannot recompute the chain.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from rightsdesk.core.errors import ConfigError

__all__ = [
    "AUDIT_KEY_LABEL",
    "FIELD_KEYS_ENV",
    "FIELD_KEYS_FILE",
    "UNREADABLE",
    "EncryptedText",
    "KeyRing",
    "audit_key",
    "configure_encryption",
    "derive_key",
    "fingerprint",
    "key_ring",
    "parse_keys",
    "read_key_file",
    "write_key_file",
]

AUDIT_KEY_LABEL = b"rightsdesk audit chain v2"
FIELD_KEYS_FILE = "field-keys"
FIELD_KEYS_ENV = "RIGHTSDESK_FIELD_KEYS"
#: What a value shows when no key of the ring decrypts it (a lost key file, another store).
UNREADABLE = "[encrypted with another key]"


def derive_key(secret_key: str, label: bytes, length: int = 32) -> bytes:
    """A key for one purpose (``label``) from the instance secret: HKDF-SHA256, no salt."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=label)
    return hkdf.derive(secret_key.encode("utf-8"))


def secret_field_key(secret_key: str) -> bytes:
    """The field key derived from the secret (the only one before key files; kept readable)."""
    digest = hashlib.sha256(("rightsdesk-fields:" + secret_key).encode()).digest()
    return base64.urlsafe_b64encode(digest)


def fingerprint(key: bytes) -> str:
    """A short public name of a key (for ``keys status`` and the audit log): it identifies the
    key without disclosing anything usable about it."""
    return hashlib.sha256(b"rightsdesk field key fingerprint v1\0" + key).hexdigest()[:16]


def parse_keys(text: str, where: str) -> list[bytes]:
    """Fernet keys from a key file's text or the environment variable; blank lines and
    ``#`` comments are skipped. A malformed key is named by its position, never shown."""
    keys: list[bytes] = []
    for number, item in enumerate(re.split(r"[\s,]+", _strip_comments(text)), start=1):
        if not item:
            continue
        key = item.encode("ascii", "replace")
        try:
            Fernet(key)
        except (ValueError, TypeError) as exc:
            raise ConfigError(
                f"{where}: key {number} is not a Fernet key (32 bytes, url-safe base64)"
            ) from exc
        keys.append(key)
    return keys


def _strip_comments(text: str) -> str:
    return "\n".join(line.split("#", 1)[0] for line in text.splitlines())


def read_key_file(path: Path) -> list[bytes]:
    """The keys of a field key file, newest first; none when there is no file."""
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the field key file {path}: {exc}") from exc
    return parse_keys(text, str(path))


def write_key_file(path: Path, keys: list[bytes]) -> None:
    """Replace the key file at once (a reader sees the old file or the new one, never half),
    readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        header = "# rightsdesk field encryption keys, newest first; keep with secret.key\n"
        os.write(fd, (header + "".join(k.decode() + "\n" for k in keys)).encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temporary, path)


@dataclass
class KeyRing:
    """The process's field keys: ``keys`` newest first, then the secret's key (read only)."""

    secret_key: bytes
    keys: list[bytes]
    source: str  # "file", "environment" or "none"
    path: Path | None
    mtime: float | None = None
    _fernet: MultiFernet | None = field(default=None, repr=False, compare=False)

    @property
    def primary(self) -> bytes:
        """The key new values are encrypted with."""
        return self.keys[0] if self.keys else self.secret_key

    @property
    def all_keys(self) -> list[bytes]:
        return [*self.keys, *([] if self.secret_key in self.keys else [self.secret_key])]

    def fernet(self) -> MultiFernet:
        """Every key of the ring (made once: values are decrypted one by one, by the page)."""
        if self._fernet is None:
            self._fernet = MultiFernet([Fernet(k) for k in self.all_keys])
        return self._fernet


_RING: list[KeyRing] = []
_AUDIT_KEY: list[bytes] = []


def _mtime(path: Path | None) -> float | None:
    try:
        return None if path is None else path.stat().st_mtime_ns / 1e9
    except OSError:
        return None


def _default_data_dir() -> Path | None:
    """The data folder of the settings in force (environment, TOML), read without side
    effects: callers that only pass the secret still find the key file beside ``secret.key``."""
    from rightsdesk.core.config import load_settings

    try:
        return load_settings(secret_key="-").data_dir
    except ConfigError:
        return None


def _load_ring(secret_key: bytes, data_dir: Path | None) -> KeyRing:
    env = os.environ.get(FIELD_KEYS_ENV, "").strip()
    if env:
        return KeyRing(secret_key, parse_keys(env, FIELD_KEYS_ENV), "environment", None)
    path = None if data_dir is None else data_dir / FIELD_KEYS_FILE
    keys = [] if path is None else read_key_file(path)
    return KeyRing(secret_key, keys, "file" if keys else "none", path, _mtime(path))


def configure_encryption(secret_key: str, data_dir: Path | None = None) -> None:
    """Set the process keys (called by the app factory and the CLI after loading settings).

    ``data_dir`` holds the field key file; by default the data folder of the current settings.
    """
    folder = data_dir if data_dir is not None else _default_data_dir()
    _RING[:] = [_load_ring(secret_field_key(secret_key), folder)]
    _AUDIT_KEY[:] = [derive_key(secret_key, AUDIT_KEY_LABEL)]


def key_ring(refresh: bool = True) -> KeyRing:
    """The process's key ring, re-read first if its key file changed since (a rotation by
    another process)."""
    if not _RING:
        raise RuntimeError("field encryption used before configure_encryption()")
    ring = _RING[0]
    if refresh and ring.source != "environment" and _mtime(ring.path) != ring.mtime:
        ring = _RING[0] = _load_ring(
            ring.secret_key, None if ring.path is None else ring.path.parent
        )
    return ring


def audit_key() -> bytes:
    """The key of the audit chain's MAC; set by ``configure_encryption``."""
    if not _AUDIT_KEY:
        raise RuntimeError("the audit log written before configure_encryption()")
    return _AUDIT_KEY[0]


def encrypt_text(value: str) -> str:
    """``value`` as a token under the ring's newest key."""
    return Fernet(key_ring().primary).encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    """The value of a token under any key of the ring; InvalidToken if none fits."""
    data = token.encode("ascii", "replace")
    try:
        return key_ring(refresh=False).fernet().decrypt(data).decode("utf-8")
    except InvalidToken:
        return key_ring().fernet().decrypt(data).decode("utf-8")  # after a rotation elsewhere


class EncryptedText(TypeDecorator[str]):
    """Text encrypted with the ring's newest field key; NULL stays NULL."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return encrypt_text(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        try:
            return decrypt_text(str(value))
        except InvalidToken:
            return UNREADABLE
