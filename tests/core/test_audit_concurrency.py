"""The audit chain under concurrent writers, on both stores: appends are serialised, and the
unique previous-hash link refuses a fork."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from rightsdesk.core.db import get_engine, session_scope, utcnow
from rightsdesk.core.security import audit
from rightsdesk.core.security.models import AuditEntry

WRITERS = 8
APPENDS = 20


def _count(url: str) -> int:
    with session_scope(url) as s:
        return s.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_concurrent_writers_keep_one_chain(settings: Any) -> None:
    url = settings.database_url
    before = _count(url)
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            start.wait(timeout=30)
            for i in range(APPENDS):  # one transaction (and pooled connection) per append
                with session_scope(url) as s:
                    audit.record(s, f"writer-{n}", "update", "thing", i, after={"n": n, "i": i})
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert errors == []

    with session_scope(url) as s:
        report = audit.verify_chain(s)
        actors = s.execute(select(AuditEntry.actor, func.count()).group_by(AuditEntry.actor)).all()
    assert report.ok, report
    assert report.checked == before + WRITERS * APPENDS == _count(url)
    assert {a: c for a, c in actors if a.startswith("writer-")} == {
        f"writer-{n}": APPENDS for n in range(WRITERS)
    }


def test_a_writer_waits_for_the_chain_lock(settings: Any) -> None:
    """While one transaction holds the chain, another append waits, then links after it."""
    url = settings.database_url
    done = threading.Event()
    errors: list[BaseException] = []

    def second() -> None:
        try:
            with session_scope(url) as s:
                audit.record(s, "second", "update", "thing", 2)
        except BaseException as exc:
            errors.append(exc)
        finally:
            done.set()

    with session_scope(url) as s:
        first = audit.record(s, "first", "update", "thing", 1)
        thread = threading.Thread(target=second)
        thread.start()
        assert not done.wait(1.0), "the second append did not wait for the first"
    thread.join(timeout=30)
    assert done.is_set() and errors == []
    with session_scope(url) as s:
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
        assert (last.actor, last.prev_hash) == ("second", first.hash)
        assert audit.verify_chain(s).ok


def _raw_entry(prev_hash: str, marker: str) -> dict[str, Any]:
    return {
        "at": utcnow(),
        "actor": "mallory",
        "action": "fork",
        "entity": "thing",
        "prev_hash": prev_hash,
        "hash": marker * 64,
    }


@pytest.mark.parametrize("link", ["last", "genesis"])
def test_a_fork_is_refused(settings: Any, link: str) -> None:
    """A second successor of an entry, or a second first entry, breaks the unique link."""
    url = settings.database_url
    with session_scope(url) as s:
        audit.record(s, "tester", "update", "thing", 1)
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
    prev = last.prev_hash if link == "last" else audit.GENESIS
    engine = get_engine(url)
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(AuditEntry), _raw_entry(prev, "f"))
    with session_scope(url) as s:
        assert audit.verify_chain(s).ok
