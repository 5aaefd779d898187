"""Backup and restore (issue 9, item 8): a verified round trip on SQLite and PostgreSQL (rows
of every table and the audit head equal), consistent while the store is in use, and a restore
that checks what it is given and changes nothing when it refuses."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select, table, text
from sqlalchemy.pool import NullPool
from typer.testing import CliRunner

from rightsdesk import backup as backup_module
from rightsdesk.backup import StoreSummary, backup, pg_tool, restore, store_summary
from rightsdesk.cli import app
from rightsdesk.core.db import dispose_engine, get_engine, session_scope, sqlite_path
from rightsdesk.core.errors import ConfigError, ConflictError, InputError
from rightsdesk.core.security import audit
from rightsdesk.core.security.users import create_user

runner = CliRunner()


def _counts(url: str) -> dict[str, int]:
    """Rows of every table, read independently of the code under test."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        names = [n for n in inspect(engine).get_table_names() if not n.startswith("sqlite_")]
        with engine.connect() as conn:
            return {
                n: int(conn.scalar(select(func.count()).select_from(table(n))) or 0) for n in names
            }
    finally:
        engine.dispose()


def _audit_head(url: str) -> tuple[bool, str]:
    with session_scope(url) as s:
        report = audit.verify_chain(s)
        return report.ok, str(audit.checkpoint(s))


def _write_some(url: str, tag: str) -> None:
    with session_scope(url) as s:
        create_user(s, f"user-{tag}", "editor", "a long enough password", actor="test")
        for i in range(3):
            audit.record(s, "test", "update", "thing", f"{tag}{i}", after={"v": i})


def _round_trip(settings, tmp_path: Path) -> None:
    url = settings.database_url
    _write_some(url, "a")
    counts, head = _counts(url), _audit_head(url)
    assert head[0] and counts["user_account"] == 1 and counts["audit_entry"] >= 4

    file = tmp_path / "store.bak"
    made = backup(settings, file)
    assert file.is_file() and made.tables == counts
    assert f"{made.audit_entries} {made.audit_head}" == head[1] and made.audit_intact

    _write_some(url, "b")  # changes after the backup: the restore takes them away
    assert _counts(url)["user_account"] == 2
    dispose_engine(url)
    restored = restore(settings, file)
    dispose_engine(url)
    assert _counts(url) == counts and restored.tables == counts
    assert _audit_head(url) == head and restored.audit_intact
    assert f"{restored.audit_entries} {restored.audit_head}" == head[1]
    _write_some(url, "c")  # the restored store works
    assert _audit_head(url)[0]


def test_round_trip(settings, tmp_path: Path) -> None:
    """SQLite and PostgreSQL: counts of every table and the audit head come back equal."""
    if sqlite_path(settings.database_url) is None:
        pg_tool("pg_dump")  # ConfigError (a failure) if the client programs are missing
    _round_trip(settings, tmp_path)


def test_cli_round_trip(sqlite_settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RIGHTSDESK_SECRET_KEY", sqlite_settings.secret_key)
    db = sqlite_settings.database_url
    _write_some(db, "a")
    before = _counts(db)
    file = tmp_path / "cli.bak"
    made = runner.invoke(app, ["--database", db, "backup", str(file), "--verbose"])
    assert made.exit_code == 0, made.output
    assert "backup written" in made.output and "audit log intact" in made.output
    _write_some(db, "b")
    dispose_engine(db)
    refused = runner.invoke(app, ["--database", db, "restore", str(file)])
    assert refused.exit_code == 64 and "--yes" in refused.output
    assert _counts(db) != before  # nothing happened without --yes
    done = runner.invoke(app, ["--database", db, "restore", str(file), "--yes"])
    assert done.exit_code == 0, done.output
    assert _counts(db) == before
    head = made.output.split("head ")[1].split()[0]
    assert f"head {head}" in done.output


def test_backup_is_consistent_while_the_store_is_written(sqlite_settings, tmp_path: Path) -> None:
    """A writer holding an open transaction does not block the backup, nor leak into it."""
    url = sqlite_settings.database_url
    before = _counts(url)
    db = sqlite_path(url)
    assert db is not None
    writer = sqlite3.connect(db)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO grouping (code, name, kind) VALUES ('HALF', 'half done', 'x')")
    try:
        made = backup(sqlite_settings, tmp_path / "live.bak")
    finally:
        writer.rollback()
        writer.close()
    assert made.tables == before  # the uncommitted row is not in the copy


def _bad_file(tmp_path: Path, kind: str, settings) -> Path:
    path = tmp_path / f"{kind}.bak"
    if kind == "text":
        path.write_text("id,name\n1,not a database\n")
    elif kind == "other-sqlite":
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE t (x)")
    elif kind in ("newer", "damaged"):
        backup(settings, path)
        with sqlite3.connect(path) as conn:
            if kind == "newer":
                conn.execute(
                    "UPDATE alembic_version SET version_num = '9999_from_the_future' "
                    "WHERE version_num = (SELECT max(version_num) FROM alembic_version)"
                )
        if kind == "damaged":
            data = bytearray(path.read_bytes())
            data[4096 * 3 : 4096 * 6] = b"\xff" * (4096 * 3)
            path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("kind", ["text", "other-sqlite", "newer", "damaged"])
def test_restore_refuses_what_is_not_a_known_store(
    sqlite_settings, tmp_path: Path, kind: str
) -> None:
    url = sqlite_settings.database_url
    db = sqlite_path(url)
    assert db is not None
    file = _bad_file(tmp_path, kind, sqlite_settings)
    dispose_engine(url)
    before = db.read_bytes()
    with pytest.raises(InputError) as caught:
        restore(sqlite_settings, file)
    assert str(file) in caught.value.message
    assert db.read_bytes() == before  # untouched
    assert not [p for p in db.parent.iterdir() if p.name.endswith(".tmp")]


def test_restore_refuses_a_backup_made_with_another_key(sqlite_settings, tmp_path: Path) -> None:
    from rightsdesk.web.app import create_app

    create_app(sqlite_settings)  # records the key's fingerprint in the store
    file = tmp_path / "keyed.bak"
    backup(sqlite_settings, file)
    other = dataclasses.replace(sqlite_settings, secret_key="another instance secret " * 2)
    dispose_engine(other.database_url)
    with pytest.raises(ConfigError, match="another secret key"):
        restore(other, file)


def test_restore_refuses_while_the_store_is_open(sqlite_settings, tmp_path: Path) -> None:
    url = sqlite_settings.database_url
    file = tmp_path / "open.bak"
    backup(sqlite_settings, file)
    db = sqlite_path(url)
    assert db is not None
    other_program = sqlite3.connect(db)  # a running server keeps connections open
    other_program.execute("SELECT count(*) FROM state").fetchone()
    try:
        with pytest.raises(ConflictError, match="in use"):
            restore(sqlite_settings, file)
    finally:
        other_program.close()
    dispose_engine(url)
    restore(sqlite_settings, file)  # once it is closed


def test_restore_brings_back_a_lost_store(sqlite_settings, tmp_path: Path) -> None:
    url = sqlite_settings.database_url
    file = tmp_path / "lost.bak"
    made = backup(sqlite_settings, file)
    db = sqlite_path(url)
    assert db is not None
    dispose_engine(url)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    restored = restore(sqlite_settings, file)
    assert restored == made == store_summary(sqlite_settings)
    with get_engine(url).connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_missing_pg_tools_are_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(backup_module, "Path", _NoPostgresPath)
    with pytest.raises(ConfigError, match="pg_dump was not found on PATH nor under"):
        pg_tool("pg_dump")


class _NoPostgresPath(type(Path())):  # type: ignore[misc]
    def glob(self, pattern: str, **_kwargs: object) -> Iterator[Path]:
        return iter(())


def test_summary_counts_every_table(sqlite_settings) -> None:
    summary = store_summary(sqlite_settings)
    assert isinstance(summary, StoreSummary)
    assert set(summary.tables) >= {"state", "audit_entry", "user_account", "alembic_version"}
    assert summary.revisions and summary.audit_intact


def test_restore_refuses_a_text_file_on_both_stores(settings, tmp_path: Path) -> None:
    if sqlite_path(settings.database_url) is None:
        pg_tool("pg_restore")
    before = _counts(settings.database_url)
    file = _bad_file(tmp_path, "text", settings)
    with pytest.raises(InputError):
        restore(settings, file)
    assert _counts(settings.database_url) == before
