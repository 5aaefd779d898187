"""Settings, read when asked for (never at import time), from the environment, then a TOML file.

Order of precedence: explicit arguments > ``RIGHTSDESK_*`` environment variables > the TOML
file named by ``RIGHTSDESK_CONFIG`` (default ``rightsdesk.toml`` in the working folder) >
defaults. Keeping this in one place is what lets the docs test check every setting is documented.
"""

from __future__ import annotations

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
        "Folder for the secret key, trained models and exports; default .rightsdesk/.",
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
        "Failed logins allowed per user and address in 15 minutes before refusal; default 5.",
    ),
    "secure_cookies": (
        "RIGHTSDESK_SECURE_COOKIES",
        "Set to 1 behind HTTPS so session cookies carry the Secure flag; default 0.",
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
    secure_cookies: bool = False

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
    if name == "login_rate_limit":
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
    if not settings.secret_key:
        settings = replace(settings, secret_key=_persistent_secret(settings.data_dir))
    return settings


def _persistent_secret(data_dir: Path) -> str:
    """A random key kept in the data folder so sessions and encrypted fields survive restarts."""
    path = data_dir / "secret.key"
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key, encoding="utf-8")
    path.chmod(0o600)
    return key
