"""Settings, read when asked for (never at import time), from the environment, then a TOML file.

Order of precedence: explicit arguments > ``RIGHTSDESK_*`` environment variables > the TOML
file named by ``RIGHTSDESK_CONFIG`` (default ``rightsdesk.toml`` in the working folder) >
defaults. Keeping this in one place is what lets the docs test check every setting is documented.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rightsdesk.core.errors import ConfigError

#: Every setting, its environment variable and what it is for. The README documents each one
#: and a test fails when one is missing there.
SETTINGS: dict[str, tuple[str, str]] = {
    "database_url": (
        "RIGHTSDESK_DATABASE_URL",
        "SQLAlchemy URL of the store; default sqlite:///rightsdesk.db in the working folder.",
    ),
    "data_dir": (
        "RIGHTSDESK_DATA_DIR",
        "Folder for the secret key, trained models and exports; default .rightsdesk/ "
        "(made absolute when the settings are read).",
    ),
    "shared_data": (
        "RIGHTSDESK_SHARED_DATA",
        "Folder of open datasets that `rightsdesk load` imports; default ../shared/data.",
    ),
    "secret_key": (
        "RIGHTSDESK_SECRET_KEY",
        "Key for session cookies, CSRF tokens and field encryption; generated once if unset.",
    ),
    "admin_password": (
        "RIGHTSDESK_ADMIN_PASSWORD",
        "Password of the first admin account created by scripts/start.sh.",
    ),
    "login_rate_limit": (
        "RIGHTSDESK_LOGIN_RATE_LIMIT",
        "Failed logins allowed per account in 15 minutes before it is locked (per client "
        "address: four times as many, over all names); default 5.",
    ),
    "trusted_proxies": (
        "RIGHTSDESK_TRUSTED_PROXIES",
        "Addresses or networks (comma-separated) of reverse proxies whose X-Forwarded-For "
        "names the client; default none (the peer address is the client).",
    ),
    "session_idle_minutes": (
        "RIGHTSDESK_SESSION_IDLE_MINUTES",
        "Minutes without a request after which a browser session ends; default 30 "
        "(a session ends 8 hours after login in any case).",
    ),
    "secure_cookies": (
        "RIGHTSDESK_SECURE_COOKIES",
        "Set to 1 behind HTTPS so session cookies carry the Secure flag; default 0.",
    ),
    "attachment_max_bytes": (
        "RIGHTSDESK_ATTACHMENT_MAX_BYTES",
        "Largest violations attachment accepted, in bytes; default 9500000 (uploads are "
        "also bounded by the web app's 10 MB request limit).",
    ),
}


@dataclass(frozen=True)
class Settings:
    """Resolved settings for one process; pass it around rather than reading globals."""

    database_url: str = "sqlite:///rightsdesk.db"
    data_dir: Path = field(default_factory=lambda: Path(".rightsdesk"))
    shared_data: Path = field(default_factory=lambda: Path("../shared/data"))
    secret_key: str = ""
    admin_password: str = ""
    login_rate_limit: int = 5
    trusted_proxies: str = ""
    session_idle_minutes: int = 30
    secure_cookies: bool = False
    attachment_max_bytes: int = 9_500_000
    #: Where the secret key came from: its file (absolute), or None when it was given as a
    #: setting. Not a setting itself; ``load_settings`` fills it.
    secret_key_file: Path | None = None

    def with_database(self, url: str | None) -> Settings:
        """A copy pointing at another store (the ``--database`` option)."""
        return self if not url else replace(self, database_url=normalise_url(url))


def normalise_url(url: str) -> str:
    """Accept a bare path as a SQLite file and ``postgresql://`` as psycopg 3."""
    if "://" not in url:
        return f"sqlite:///{url}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _coerce(name: str, value: Any) -> Any:
    if name in ("data_dir", "shared_data"):
        return Path(str(value))
    if name in ("login_rate_limit", "session_idle_minutes", "attachment_max_bytes"):
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{name} must be a whole number, got {value!r}") from exc
    if name == "secure_cookies":
        return str(value).lower() in ("1", "true", "yes", "on")
    if name == "database_url":
        return normalise_url(str(value))
    return str(value)


def load_settings(**overrides: Any) -> Settings:
    """Build settings from defaults, the TOML file, the environment and explicit overrides."""
    values: dict[str, Any] = {}
    config_file = Path(os.environ.get("RIGHTSDESK_CONFIG", "rightsdesk.toml"))
    if config_file.is_file():
        try:
            data = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{config_file}: not valid TOML ({exc})") from exc
        for key, value in data.get("rightsdesk", data).items():
            if key not in SETTINGS:
                raise ConfigError(f"{config_file}: unknown setting {key!r}")
            values[key] = _coerce(key, value)
    for key, (env, _doc) in SETTINGS.items():
        if env in os.environ and os.environ[env] != "":
            values[key] = _coerce(key, os.environ[env])
    for key, value in overrides.items():
        if value is not None:
            values[key] = _coerce(key, value)
    settings = Settings(**values)
    # decided once: a relative folder is taken from the working folder now, so that code
    # which changes folder later still finds the same key, models and exports
    settings = replace(settings, data_dir=settings.data_dir.expanduser().resolve())
    if not settings.secret_key:
        path = settings.data_dir / KEY_FILE
        settings = replace(settings, secret_key=_persistent_secret(path), secret_key_file=path)
    return settings


KEY_FILE = "secret.key"


def _persistent_secret(path: Path) -> str:
    """A random key kept in the data folder so sessions and encrypted fields survive restarts."""
    if path.is_file():
        key = path.read_text(encoding="utf-8").strip()
        if not key:
            raise ConfigError(f"the secret key file {path} is empty; restore it from a backup")
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # created readable by the owner only, and never over a file another process just wrote
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it a moment ago: use that one
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


# --- the key a store was made with -------------------------------------------------------

#: The reference Dataset (``rightsdesk.store.REFERENCE_KIND``) keeps the store's key
#: fingerprint in its notes, on a line starting with this.
FINGERPRINT_LINE = "secret-key fingerprint: "
REFERENCE_KIND = "reference-states"


def key_fingerprint(secret_key: str) -> str:
    """A short HMAC of a constant under the key: tells keys apart, reveals nothing of them."""
    mac = hmac.new(secret_key.encode("utf-8"), b"rightsdesk store key v1", hashlib.sha256)
    return mac.hexdigest()[:16]


def key_source(settings: Settings) -> str:
    """Where the key of ``settings`` came from, for messages."""
    if settings.secret_key_file is not None:
        return f"the key file {settings.secret_key_file}"
    return "the key given by RIGHTSDESK_SECRET_KEY (or the settings)"


def stored_fingerprint(notes: str | None) -> str | None:
    """The fingerprint recorded in the reference dataset's notes, if any."""
    for line in (notes or "").splitlines():
        if line.startswith(FINGERPRINT_LINE):
            return line[len(FINGERPRINT_LINE) :].strip()
    return None


def check_store_key(settings: Settings, record: bool = True) -> None:
    """Refuse to work with a secret key other than the one the store was made with.

    The first check on an initialised store records the key's fingerprint (in the notes of
    the reference dataset); later checks compare. A different key (the key file of another
    folder, a new ``RIGHTSDESK_SECRET_KEY``) would make encrypted fields unreadable and every
    session invalid: ConfigError naming the key's source. A store that cannot be read yet (not
    initialised, file missing) is left alone; ``check_ready`` and the server's store watch
    report those.
    """
    from sqlalchemy import select, update
    from sqlalchemy.exc import SQLAlchemyError

    from rightsdesk.core.db import session_scope, sqlite_path
    from rightsdesk.core.provenance import Dataset

    path = sqlite_path(settings.database_url)
    if path is not None and not path.is_file():
        return
    expected = key_fingerprint(settings.secret_key)
    try:
        with session_scope(settings.database_url) as session:
            # two columns only: this also runs on a store whose schema is behind the models
            stmt = select(Dataset.id, Dataset.notes).where(Dataset.kind == REFERENCE_KIND)
            reference = session.execute(stmt.order_by(Dataset.id).limit(1)).first()
            if reference is None:
                return
            stored = stored_fingerprint(reference.notes)
            if stored is None:
                if record:
                    line = FINGERPRINT_LINE + expected
                    notes = f"{reference.notes}\n{line}" if reference.notes else line
                    session.execute(
                        update(Dataset).where(Dataset.id == reference.id).values(notes=notes)
                    )
                return
    except SQLAlchemyError:
        return
    if stored != expected:
        raise ConfigError(
            f"the secret key does not match this store: {key_source(settings)} has "
            f"fingerprint {expected}, the store was made with a key of fingerprint {stored}. "
            "Encrypted fields and sessions need the original key: point RIGHTSDESK_DATA_DIR "
            "at the folder holding its secret.key, or set RIGHTSDESK_SECRET_KEY to it."
        )
