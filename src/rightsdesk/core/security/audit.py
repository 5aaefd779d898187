"""The append-only, keyed hash chain of the audit log.

Each entry's hash covers its content and the previous entry's hash, so editing or deleting an
entry directly in the database breaks the chain at that point; ``verify_chain`` finds it. The
hash is an HMAC-SHA256 keyed with a key derived from the instance secret (``crypto.audit_key``),
which is not in the database: whoever edits an entry without the key cannot recompute the chain
to hide it. Entries written before keyed chaining (``scheme`` 1, plain SHA-256) still verify,
but only before the first keyed entry: an unkeyed entry after a keyed one is a rewrite.

What the chain alone cannot show is the loss of its newest entries (or of all of them): the
remaining chain is intact. ``checkpoint`` gives the count and head hash to keep elsewhere (a
ticket, an e-mail, a printout), and ``verify_chain(expect=...)`` checks the log still reaches it.

Appends are serialised: two writers that read the same last entry would both link to it and
fork the chain (which ``verify_chain`` would then report as tampering). ``record`` takes the
chain's write lock before it reads the last entry, and holds it until the caller's transaction
ends; a unique constraint on ``prev_hash`` refuses a fork should anything get past the lock.
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from rightsdesk.core.db import utcnow
from rightsdesk.core.errors import InputError
from rightsdesk.core.security.crypto import audit_key
from rightsdesk.core.security.models import AuditEntry

GENESIS = "0" * 64  # the first entry's prev_hash (unique like every link, so one first entry)

SCHEME_SHA256 = 1  # entries written before keyed chaining: SHA-256 of the content
SCHEME_HMAC = 2  # HMAC-SHA256 of the content, keyed outside the database

# The key of the PostgreSQL advisory lock serialising appends: "rdaudit" in ASCII, a constant
# any other rightsdesk code must not reuse.
CHAIN_LOCK_KEY = 0x72646175646974


def cli_actor() -> str:
    """Who runs a command, for the audit log: ``cli:`` and the operating-system user."""
    try:
        name = getpass.getuser()
    except Exception:  # no login name in the environment nor the password database
        name = f"uid{os.getuid()}" if hasattr(os, "getuid") else "unknown"
    return f"cli:{name}"[:100]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _stamp(at: datetime) -> str:
    if at.tzinfo is None:  # SQLite gives back naive datetimes
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _payload(entry: AuditEntry, scheme: int) -> bytes:
    content: dict[str, Any] = {
        "at": _stamp(entry.at),
        "actor": entry.actor,
        "action": entry.action,
        "entity": entry.entity,
        "entity_id": entry.entity_id,
        "before": entry.before,
        "after": entry.after,
        "note": entry.note,
        "prev": entry.prev_hash,
    }
    if scheme != SCHEME_SHA256:
        content["scheme"] = scheme
    text_ = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text_.encode("utf-8")


def entry_hash(entry: AuditEntry, scheme: int | None = None) -> str:
    """The hash an entry must carry under ``scheme`` (default: its own).

    Scheme 2 needs the audit key (``crypto.configure_encryption``); scheme 1 is the unkeyed
    SHA-256 of entries written before keyed chaining.
    """
    scheme = entry.scheme if scheme is None else scheme
    if scheme is None:  # a new, unflushed entry without a scheme: the current one
        scheme = SCHEME_HMAC
    if scheme == SCHEME_SHA256:
        return hashlib.sha256(_payload(entry, scheme)).hexdigest()
    if scheme == SCHEME_HMAC:
        return hmac.new(audit_key(), _payload(entry, scheme), hashlib.sha256).hexdigest()
    raise ValueError(f"unknown audit chain scheme {scheme!r}")


def record(
    session: Session,
    actor: str,
    action: str,
    entity: str,
    entity_id: str | int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str | None = None,
) -> AuditEntry:
    """Append an entry in the caller's transaction (it commits or rolls back with the write).

    Other writers wait from here until that transaction ends (see ``lock_chain``).
    """
    lock_chain(session)
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    entry = AuditEntry(
        at=utcnow(),
        actor=actor,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        before=_jsonable(before),
        after=_jsonable(after),
        note=note,
        prev_hash=last.hash if last else GENESIS,
        scheme=SCHEME_HMAC,
    )
    entry.hash = entry_hash(entry)
    session.add(entry)
    session.flush()
    return entry


def lock_chain(session: Session) -> None:
    """Take the chain's write lock for the rest of the session's transaction.

    PostgreSQL: a transaction-level advisory lock, released at commit or rollback; under READ
    COMMITTED the next statement then sees every entry committed before the lock was granted.

    SQLite: the database write lock. pysqlite opens a transaction (deferred ``BEGIN``) just before
    the first data-changing statement, and SQLite takes its RESERVED lock at the first write,
    waiting up to ``busy_timeout`` (``core.db``). An UPDATE that matches no row is such a write:
    it changes nothing and fires no trigger (the append-only triggers are per row), but from
    then on no other connection can write until this transaction ends. Had the caller written
    already, the lock is held and this is a no-op.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
    elif dialect == "sqlite":
        session.execute(text("UPDATE audit_entry SET id = id WHERE 0"))


def record_export(
    session: Session,
    actor: str,
    what: str,
    rows: int,
    criteria: dict[str, Any] | None = None,
    fmt: str | None = None,
) -> AuditEntry:
    """Record that ``actor`` took ``rows`` records of ``what`` away (a CSV, XLSX, PDF...).

    ``criteria`` are the filters that chose the rows, so the export can be reproduced. The
    caller commits (an export is a read: commit right after this call).
    """
    after: dict[str, Any] = {"rows": rows, "criteria": criteria or {}}
    if fmt:
        after["format"] = fmt
    return record(session, actor, "export", what, None, after=after)


@dataclass(frozen=True)
class Checkpoint:
    """The chain's length and newest hash: keep it outside the database to detect truncation."""

    count: int
    head: str

    def __str__(self) -> str:
        return f"{self.count} {self.head}"


_HEX64 = re.compile(r"[0-9a-f]{64}")


def parse_expect(value: str) -> tuple[int | None, str]:
    """``HEAD`` or ``COUNT:HEAD`` (also ``COUNT HEAD``, as ``audit checkpoint`` prints it)."""
    raw = value.strip().lower()
    count: int | None = None
    if ":" in raw or " " in raw:
        first, _, head = raw.replace(":", " ").partition(" ")
        head = head.strip()
        if not first.isdigit():
            raise InputError(f"expected COUNT:HEAD, got {value!r}", field="expect")
        count = int(first)
    else:
        head = raw
    if not _HEX64.fullmatch(head):
        raise InputError(
            "the head is 64 hexadecimal characters, as `rightsdesk audit checkpoint` prints it",
            field="expect",
        )
    return count, head


def checkpoint(session: Session) -> Checkpoint:
    """The number of entries and the hash of the newest one (``GENESIS`` when empty)."""
    count = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    last = session.scalars(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first()
    return Checkpoint(count, last or GENESIS)


@dataclass
class ChainReport:
    checked: int
    first_bad_id: int | None
    reason: str | None
    head: str = GENESIS
    unkeyed: int = 0  # entries of scheme 1, written before keyed chaining

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None and self.reason is None


def verify_chain(session: Session, expect: str | None = None) -> ChainReport:
    """Walk the log in order; report the first entry whose MAC, link or scheme does not hold.

    ``expect`` (``HEAD`` or ``COUNT:HEAD`` from ``checkpoint``) must be reached: a log whose
    newest entries were deleted, or which was rebuilt, no longer contains that head (and with a
    count, the head must be that entry). Needs the audit key (the instance secret); with
    another key every keyed entry fails.
    """
    want_count, want_head = parse_expect(expect) if expect is not None else (None, None)
    prev = GENESIS
    checked = unkeyed = 0
    keyed_seen = False
    reached_at: int | None = 0 if want_head == GENESIS else None
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(1000):
        if entry.prev_hash != prev:
            return ChainReport(checked, entry.id, "link to the previous entry is broken", prev)
        if entry.scheme == SCHEME_SHA256:
            if keyed_seen:
                return ChainReport(
                    checked, entry.id, "an unkeyed entry after keyed ones (rewritten)", prev
                )
            unkeyed += 1
        elif entry.scheme == SCHEME_HMAC:
            keyed_seen = True
        else:
            return ChainReport(checked, entry.id, f"unknown scheme {entry.scheme!r}", prev)
        if not hmac.compare_digest(entry_hash(entry), entry.hash):
            reason = "content does not match its MAC (edited, or another instance secret)"
            if entry.scheme == SCHEME_SHA256:
                reason = "content does not match its hash"
            return ChainReport(checked, entry.id, reason, prev)
        prev = entry.hash
        checked += 1
        if entry.hash == want_head:
            reached_at = checked
    report = ChainReport(checked, None, None, prev, unkeyed)
    if want_head is None:
        return report
    if reached_at is None:
        report.reason = (
            f"the checkpointed head {want_head[:12]}... is not in the log: entries were deleted "
            "or the log was rebuilt since the checkpoint"
        )
    elif want_count is not None and reached_at != want_count:
        report.reason = (
            f"the checkpointed head is entry {reached_at} of the log, the checkpoint says "
            f"{want_count}: entries before it were removed or added"
        )
    return report


def recent(session: Session, limit: int = 50) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
