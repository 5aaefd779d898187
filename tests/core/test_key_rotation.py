"""Field key rotation: every encrypted value moves to a new key in one transaction, stays
readable, the old keys are retired after the commit only, a failure leaves everything as it
was, and data written under the key derived from the secret stays readable."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select, text
from typer.testing import CliRunner

from rightsdesk.cli import app as cli_app
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import ConfigError
from rightsdesk.core.security import crypto, keys
from rightsdesk.core.security.models import AuditEntry
from rightsdesk.monitoring.violations.models import Event, Source, Victim
from tests.violations.conftest import SECRETS

runner = CliRunner()


def raw_tokens(settings: Settings) -> dict[tuple[str, int], str]:
    """The stored tokens of every encrypted violations column, by (column, row id)."""
    found: dict[tuple[str, int], str] = {}
    with session_scope(settings.database_url) as s:
        for table, column in (
            ("violation_victim", "name"),
            ("violation_victim", "contact"),
            ("violation_source", "reporter_name"),
            ("violation_event", "exact_location"),
        ):
            query = text(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL")
            for row_id, token in s.execute(query):
                found[(f"{table}.{column}", row_id)] = token
    return found


def clear_values(settings: Settings) -> set[str]:
    with session_scope(settings.database_url) as s:
        values = {v.name for v in s.scalars(select(Victim))}
        values |= {v.contact for v in s.scalars(select(Victim))}
        values |= {x.reporter_name for x in s.scalars(select(Source))}
        values |= {e.exact_location or "" for e in s.scalars(select(Event))}
    return {v for v in values if v}


def seed(settings: Settings, events: int = 4) -> None:
    """Events with an encrypted exact place, a victim (name, contact) and a witness each (no
    user accounts: password hashing would make the setup the slowest part)."""
    with session_scope(settings.database_url) as s:
        for i in range(events):
            event = Event(
                natural_key=f"ev-key-test-{i}",
                title=f"Event {i}",
                state_iso3="SYR",
                location_sensitive=True,
                exact_location=json.dumps({"place": SECRETS["exact_place"]}),
            )
            event.victims = [Victim(name=SECRETS["victim_name"], contact=SECRETS["victim_contact"])]
            event.sources = [Source(reporter_name=SECRETS["reporter_name"])]
            s.add(event)


@pytest.fixture
def seeded(settings: Settings) -> Settings:
    """Both backends: for what touches the store's transactions."""
    crypto.configure_encryption(settings.secret_key, settings.data_dir)
    seed(settings)
    return settings


@pytest.fixture
def seeded_sqlite(sqlite_settings: Settings) -> Settings:
    """SQLite only: for the key ring's own behaviour."""
    crypto.configure_encryption(sqlite_settings.secret_key, sqlite_settings.data_dir)
    seed(sqlite_settings)
    return sqlite_settings


def key_file(settings: Settings) -> Path:
    return settings.data_dir / crypto.FIELD_KEYS_FILE


def test_rotation_moves_every_value_to_a_new_key(seeded: Settings) -> None:
    before = raw_tokens(seeded)
    expected = clear_values(seeded)
    assert SECRETS["victim_name"] in expected
    report = keys.rotate(seeded, "test")
    assert report.tables["violation_victim"] == 8  # 4 victims: name and contact
    assert report.retired == 0 and report.late == 0
    after = raw_tokens(seeded)
    assert after.keys() == before.keys()
    assert all(after[k] != before[k] for k in before)
    assert clear_values(seeded) == expected
    path = key_file(seeded)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(crypto.read_key_file(path)) == 1
    # the values are under the new key only: readable without the secret's key
    only_new = Fernet(crypto.read_key_file(path)[0])
    assert only_new.decrypt(next(iter(after.values())).encode())
    with session_scope(seeded.database_url) as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "rotate")).one()
        assert entry.after is not None and entry.after["key"] == report.fingerprint
        assert not any(v in str(entry.after) for v in SECRETS.values())
    # a second rotation retires the first key
    second = keys.rotate(seeded, "test")
    assert second.retired == 1 and second.fingerprint != report.fingerprint
    assert clear_values(seeded) == expected
    assert crypto.read_key_file(path) != crypto.read_key_file(path)[:0]
    assert crypto.fingerprint(crypto.read_key_file(path)[0]) == second.fingerprint


def test_old_values_stay_readable_with_a_key_file(seeded_sqlite: Settings) -> None:
    """Values written under the secret's key before a key file existed still read, and new
    values are written under the file's key."""
    expected = clear_values(seeded_sqlite)
    new = Fernet.generate_key()
    crypto.write_key_file(key_file(seeded_sqlite), [new])
    crypto.configure_encryption(seeded_sqlite.secret_key, seeded_sqlite.data_dir)
    assert crypto.key_ring().primary == new and crypto.key_ring().source == "file"
    assert clear_values(seeded_sqlite) == expected
    token = crypto.encrypt_text("fresh")
    assert Fernet(new).decrypt(token.encode()) == b"fresh"


def test_failure_midway_leaves_everything_under_the_old_key(
    seeded: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_key = Fernet.generate_key()
    crypto.write_key_file(key_file(seeded), [old_key])
    crypto.configure_encryption(seeded.secret_key, seeded.data_dir)
    keys.rotate(seeded, "test")  # every value under a file key
    file_before = key_file(seeded).read_bytes()
    before = raw_tokens(seeded)
    expected = clear_values(seeded)
    real = keys.reencrypt_table
    calls: list[str] = []

    def failing(session: Any, tbl: Any, *args: Any, **kwargs: Any) -> int:
        calls.append(tbl.name)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(session, tbl, *args, **kwargs)

    monkeypatch.setattr(keys, "reencrypt_table", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        keys.rotate(seeded, "test")
    assert len(calls) == 2
    assert raw_tokens(seeded) == before
    assert key_file(seeded).read_bytes() == file_before
    assert clear_values(seeded) == expected
    with session_scope(seeded.database_url) as s:
        rotations = s.scalars(select(AuditEntry).where(AuditEntry.action == "rotate")).all()
        assert len(rotations) == 1


def test_environment_keys_are_read_but_not_rotated(
    seeded_sqlite: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = clear_values(seeded_sqlite)
    first, second = Fernet.generate_key(), Fernet.generate_key()
    monkeypatch.setenv(crypto.FIELD_KEYS_ENV, f"{first.decode()}, {second.decode()}")
    crypto.configure_encryption(seeded_sqlite.secret_key, seeded_sqlite.data_dir)
    assert crypto.key_ring().keys == [first, second]
    assert clear_values(seeded_sqlite) == expected
    with pytest.raises(ConfigError, match=crypto.FIELD_KEYS_ENV):
        keys.rotate(seeded_sqlite, "test")
    monkeypatch.setenv(crypto.FIELD_KEYS_ENV, "not-a-key")
    with pytest.raises(ConfigError, match="key 1 is not a Fernet key") as caught:
        crypto.configure_encryption(seeded_sqlite.secret_key, seeded_sqlite.data_dir)
    assert "not-a-key" not in caught.value.message


def test_a_server_notices_a_rotation_by_another_process(seeded_sqlite: Settings) -> None:
    """A process whose ring predates the rotation reads the new tokens (it re-reads the key
    file on a failed decryption) and writes with the new key (it checks before encrypting)."""
    expected = clear_values(seeded_sqlite)
    crypto.configure_encryption(seeded_sqlite.secret_key, seeded_sqlite.data_dir)
    stale = crypto.key_ring()
    keys.rotate(seeded_sqlite, "test")
    crypto._RING[:] = [stale]  # as in a server started before the rotation
    assert clear_values(seeded_sqlite) == expected
    newest = crypto.read_key_file(key_file(seeded_sqlite))[0]
    assert Fernet(newest).decrypt(crypto.encrypt_text("x").encode()) == b"x"


def test_cli_status_and_rotate(seeded: Settings) -> None:
    url = seeded.database_url
    result = runner.invoke(cli_app, ["--database", url, "keys", "rotate", "--yes"])
    assert result.exit_code == 0, result.output
    assert "re-encrypted" in result.output
    key = crypto.read_key_file(key_file(seeded))[0]
    result = runner.invoke(cli_app, ["--database", url, "keys", "status", "--check"])
    assert result.exit_code == 0, result.output
    assert crypto.fingerprint(key) in result.output and key.decode() not in result.output
    assert "keys: 1" in result.output
