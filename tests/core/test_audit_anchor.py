"""An audit log you can anchor (issue 9, item 7): a chain keyed outside the database, checkpoints
that detect truncation, deletion and recomputation, and who did what (logins, tokens, roles,
exports, the operating-system user of commands); on both stores."""

from __future__ import annotations

import getpass
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, insert, select, text
from typer.testing import CliRunner

from rightsdesk.cli import app as cli_app
from rightsdesk.core.db import get_engine, session_scope, utcnow
from rightsdesk.core.security import audit
from rightsdesk.core.security.crypto import configure_encryption
from rightsdesk.core.security.models import AuditEntry
from rightsdesk.store import upgrade
from rightsdesk.web.app import create_app
from tests.conftest import PASSWORD, add_user, login, make_settings

runner = CliRunner()


def _write(url: str, n: int, actor: str = "tester") -> None:
    with session_scope(url) as s:
        for i in range(n):
            audit.record(s, actor, "update", "thing", i, before={"v": i}, after={"v": i + 1})


def _unguard(conn: Connection) -> None:
    """What an attacker with raw database access does first: drop the append-only triggers."""
    if conn.dialect.name == "sqlite":
        conn.execute(text("DROP TRIGGER audit_entry_no_update"))
        conn.execute(text("DROP TRIGGER audit_entry_no_delete"))
    else:
        conn.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only"))


def _verify(url: str, expect: str | None = None) -> audit.ChainReport:
    with session_scope(url) as s:
        return audit.verify_chain(s, expect=expect)


def _checkpoint(url: str) -> str:
    with session_scope(url) as s:
        point = audit.checkpoint(s)
    return f"{point.count}:{point.head}"


@pytest.fixture
def other_key() -> Iterator[None]:
    """Run with another instance secret, then put the test key back."""
    configure_encryption("another instance's secret " + "y" * 32)
    yield
    configure_encryption("test-secret-key-" + "x" * 32)


def test_entries_are_keyed_outside_the_database(settings: Any, other_key: None) -> None:
    """The hash is a MAC: a plain SHA-256 of the content does not reproduce it, and with another
    secret the chain does not verify."""
    configure_encryption(settings.secret_key)
    _write(settings.database_url, 3)
    with session_scope(settings.database_url) as s:
        entries = list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        assert all(e.scheme == audit.SCHEME_HMAC for e in entries)
        assert all(audit.entry_hash(e, scheme=audit.SCHEME_SHA256) != e.hash for e in entries)
    assert _verify(settings.database_url).ok
    configure_encryption("another instance's secret " + "y" * 32)
    report = _verify(settings.database_url)
    assert not report.ok and report.first_bad_id == entries[0].id
    assert "MAC" in (report.reason or "")


def test_checkpoint_is_reached_as_the_log_grows(settings: Any) -> None:
    url = settings.database_url
    _write(url, 3)
    point = _checkpoint(url)
    count, head = point.split(":")
    assert _verify(url, point).ok and _verify(url, head).ok
    _write(url, 2)  # later entries do not matter
    assert _verify(url, point).ok
    assert _verify(url, f"{count} {head}").ok  # as `audit checkpoint` prints it
    assert not _verify(url, f"{int(count) + 1}:{head}").ok  # the head is entry COUNT, not later


def test_truncation_is_detected(settings: Any) -> None:
    """Deleting the newest entries leaves an intact chain; the checkpoint shows it."""
    url = settings.database_url
    _write(url, 5)
    point = _checkpoint(url)
    with get_engine(url).begin() as conn:
        _unguard(conn)
        last_two = conn.execute(text("SELECT id FROM audit_entry ORDER BY id DESC LIMIT 2"))
        for (entry_id,) in last_two.all():
            conn.execute(text("DELETE FROM audit_entry WHERE id = :i"), {"i": entry_id})
    assert _verify(url).ok  # the chain alone cannot tell
    report = _verify(url, point)
    assert not report.ok and "not in the log" in (report.reason or "")


def test_deleting_every_entry_is_detected(settings: Any) -> None:
    url = settings.database_url
    _write(url, 2)
    point = _checkpoint(url)
    with get_engine(url).begin() as conn:
        _unguard(conn)
        conn.execute(text("DELETE FROM audit_entry"))
    assert _verify(url).ok and _verify(url).checked == 0
    assert not _verify(url, point).ok
    assert not _verify(url, point.split(":")[1]).ok


def _recompute(conn: Connection, from_id: int, scheme: int, until_id: int | None = None) -> None:
    """Rewrite the chain from ``from_id`` on (to ``until_id``) as someone without the key can:
    plain SHA-256 of each entry's content, with the entry's scheme set to ``scheme``."""
    rows = conn.execute(select(AuditEntry.__table__).order_by(AuditEntry.id)).mappings().all()
    prev = audit.GENESIS
    for row in rows:
        if row["id"] < from_id or (until_id is not None and row["id"] > until_id):
            prev = row["hash"]
            continue
        entry = AuditEntry(**{**row, "prev_hash": prev, "scheme": scheme})
        new_hash = hashlib.sha256(audit._payload(entry, scheme)).hexdigest()
        conn.execute(
            text("UPDATE audit_entry SET prev_hash = :p, hash = :h, scheme = :s WHERE id = :i"),
            {"p": prev, "h": new_hash, "s": scheme, "i": row["id"]},
        )
        prev = new_hash


@pytest.mark.parametrize("scheme", [audit.SCHEME_HMAC, audit.SCHEME_SHA256])
@pytest.mark.parametrize("where", ["middle", "first"])
def test_an_edit_with_the_chain_recomputed_is_detected(
    settings: Any, scheme: int, where: str
) -> None:
    """Edit an entry and recompute every hash after it without the key: the MACs fail, or,
    when everything is rewritten as old unkeyed entries, the checkpoint is not reached."""
    url = settings.database_url
    _write(url, 5)
    point = _checkpoint(url)
    with get_engine(url).begin() as conn:
        _unguard(conn)
        ids = list(conn.execute(text("SELECT id FROM audit_entry ORDER BY id")).scalars())
        target = ids[2] if where == "middle" else ids[0]
        conn.execute(text("UPDATE audit_entry SET actor = 'mallory' WHERE id = :i"), {"i": target})
        _recompute(conn, target, scheme)
    plain = _verify(url)
    anchored = _verify(url, point)
    assert not anchored.ok
    if not (scheme == audit.SCHEME_SHA256 and where == "first"):
        assert not plain.ok and plain.first_bad_id == target  # found without a checkpoint too


def test_old_unkeyed_entries_still_verify(store_url: str, tmp_path: Path) -> None:
    """A log written before keyed chaining (scheme 1) verifies, keyed entries continue it, and
    an edit of an old entry is caught at the first keyed entry that links to it."""
    upgrade(store_url)
    configure_encryption(make_settings(store_url, tmp_path).secret_key)
    prev = audit.GENESIS
    with get_engine(store_url).begin() as conn:
        for i in range(3):
            entry = AuditEntry(
                at=utcnow(),
                actor="old",
                action="update",
                entity="thing",
                entity_id=str(i),
                before=None,
                after={"v": i},
                note=None,
                prev_hash=prev,
            )
            entry.hash = audit.entry_hash(entry, scheme=audit.SCHEME_SHA256)
            conn.execute(
                insert(AuditEntry),
                {
                    c: getattr(entry, c)
                    for c in (
                        "at",
                        "actor",
                        "action",
                        "entity",
                        "entity_id",
                        "before",
                        "after",
                        "note",
                        "prev_hash",
                        "hash",
                    )
                },
            )
            prev = entry.hash
    _write(store_url, 2)
    report = _verify(store_url)
    assert report.ok and report.checked == 5 and report.unkeyed == 3
    with session_scope(store_url) as s:
        schemes = list(s.scalars(select(AuditEntry.scheme).order_by(AuditEntry.id)))
    assert schemes == [1, 1, 1, 2, 2]
    with get_engine(store_url).begin() as conn:
        _unguard(conn)
        first_id = conn.execute(text("SELECT MIN(id) FROM audit_entry")).scalar_one()
        conn.execute(
            text("UPDATE audit_entry SET actor = 'mallory' WHERE id = :i"), {"i": first_id}
        )
        _recompute(conn, first_id, audit.SCHEME_SHA256, until_id=first_id + 2)
    report = _verify(store_url)
    assert not report.ok and report.first_bad_id == first_id + 3  # the first keyed entry
    assert "link" in (report.reason or "")


# --- the command line ----------------------------------------------------------------------


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("RIGHTSDESK_DATA_DIR", str(tmp_path / "data"))
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert runner.invoke(cli_app, ["--database", url, "init"]).exit_code == 0
    return url


def _cli(url: str, *args: str, stdin: str | None = None) -> Any:
    return runner.invoke(cli_app, ["--database", url, *args], input=stdin)


def test_checkpoint_and_verify_commands(cli_db: str) -> None:
    assert _cli(cli_db, "users", "add", "lea", stdin=PASSWORD + "\n").exit_code == 0
    line = _cli(cli_db, "audit", "checkpoint")
    assert line.exit_code == 0
    count, head = line.stdout.strip().split(" ")
    assert count == "2" and len(head) == 64  # init, then the new account
    data = json.loads(_cli(cli_db, "audit", "checkpoint", "--format", "json").stdout)
    assert data == {"count": 2, "head": head, "expect": f"2:{head}"}

    for expect in (f"{count}:{head}", head, line.stdout.strip()):
        ok = _cli(cli_db, "audit", "verify", "--expect", expect)
        assert ok.exit_code == 0 and "checkpoint reached" in ok.output, ok.output
    assert _cli(cli_db, "audit", "verify", "--expect", "nonsense").exit_code == 65
    assert _cli(cli_db, "audit", "checkpoint", "--format", "xml").exit_code == 65

    with get_engine(cli_db).begin() as conn:
        _unguard(conn)
        conn.execute(text("DELETE FROM audit_entry WHERE id = (SELECT MAX(id) FROM audit_entry)"))
    assert _cli(cli_db, "audit", "verify").exit_code == 0
    truncated = _cli(cli_db, "audit", "verify", "--expect", f"{count}:{head}")
    assert truncated.exit_code == 1 and "not in the log" in truncated.output


def test_commands_are_attributed_to_the_os_user(cli_db: str) -> None:
    assert _cli(cli_db, "users", "add", "max", stdin=PASSWORD + "\n").exit_code == 0
    assert _cli(cli_db, "users", "token", "max").exit_code == 0
    with session_scope(cli_db) as s:
        actors = set(s.scalars(select(AuditEntry.actor).where(AuditEntry.entity == "user")))
    assert actors == {f"cli:{getpass.getuser()}"}
    assert audit.cli_actor() == f"cli:{getpass.getuser()}"


# --- what is audited -----------------------------------------------------------------------


def test_logins_logouts_and_exports_are_audited(sqlite_settings: Any) -> None:
    add_user(sqlite_settings, "nia", "analyst")
    client = TestClient(create_app(sqlite_settings))
    page = client.get("/login").text
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    wrong = "this-is-not-it-42"
    failed = client.post("/login", data={"csrf_token": token, "username": "nia", "password": wrong})
    assert failed.status_code == 401
    login(client, "nia")
    csrf = client.get("/states").text.split('name="csrf_token" value="')[1].split('"')[0]
    assert client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).is_redirect
    with session_scope(sqlite_settings.database_url) as s:
        audit.record_export(s, "nia", "recommendation", 12, {"q": "torture"}, fmt="csv")
    with session_scope(sqlite_settings.database_url) as s:
        entries = list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    trail = [(e.actor, e.action, e.entity_id) for e in entries]
    assert trail[-4:] == [
        ("anonymous", "login-failed", "nia"),
        ("nia", "login", "nia"),
        ("nia", "logout", "nia"),
        ("nia", "export", None),
    ]
    assert entries[-1].entity == "recommendation"
    assert entries[-1].after == {"rows": 12, "criteria": {"q": "torture"}, "format": "csv"}
    assert entries[-4].after and entries[-4].after["address"] == "testclient"
    dump = json.dumps([[e.before, e.after, e.note] for e in entries])
    assert wrong not in dump and PASSWORD not in dump
    assert _verify(sqlite_settings.database_url).ok
