"""Attachments through the service, on SQLite and PostgreSQL: a file goes in and comes back
byte for byte under its SHA-256, a file altered on disk is refused, access decides who reads
what, and the original file name is in no audit entry and nowhere in the raw database."""

from __future__ import annotations

import dataclasses
import hashlib
import io
from pathlib import Path

import pytest
from sqlalchemy import select, text

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope, sqlite_path
from rightsdesk.core.errors import ConflictError, InputError, NotFoundError, PermissionDenied
from rightsdesk.core.security.models import AuditEntry, User
from rightsdesk.monitoring.violations.access import Principal
from rightsdesk.monitoring.violations.attachment_store import blob_path
from rightsdesk.monitoring.violations.attachments import (
    WITHHELD,
    add_attachment,
    attachment_context,
    attachments_root,
    download_name,
    get_attachment,
    read_verified,
)
from rightsdesk.monitoring.violations.models import Attachment, Event
from tests.violations.conftest import Seeded
from tests.violations.test_attachments_store import PDF_BYTES

#: a name that identifies a witness: it must stay encrypted and out of every log
SECRET_NAME = "Statement of Yusuf Witnessname-Attach.pdf"


def _who(settings: Settings, role: str) -> Principal:
    with session_scope(settings.database_url) as s:
        user = s.scalars(select(User).where(User.name == role)).one()
        return Principal.of(user)


def _add(settings: Settings, seeded: Seeded, role: str, level: str, **kw: object) -> int:
    """Attach a file to the editor's event at ``level`` (the collector's with ``mine=True``)."""
    events = seeded.collector_events if kw.pop("mine", False) else seeded.events
    with session_scope(settings.database_url) as s:
        row = add_attachment(
            s,
            _who(settings, role),
            settings,
            events[level],
            io.BytesIO(kw.pop("data", PDF_BYTES)),  # type: ignore[arg-type]
            str(kw.pop("filename", SECRET_NAME)),
            **kw,  # type: ignore[arg-type]
        )
        return row.id


def test_round_trip_with_sha256_and_no_name_in_logs_or_raw_bytes(
    violations_settings: tuple[Settings, Seeded],
) -> None:
    settings, seeded = violations_settings
    att_id = _add(settings, seeded, "editor", "confidential", description="witness statement")
    digest = hashlib.sha256(PDF_BYTES).hexdigest()
    assert blob_path(attachments_root(settings), digest).read_bytes() == PDF_BYTES
    editor, analyst = _who(settings, "editor"), _who(settings, "analyst")
    with session_scope(settings.database_url) as s:
        row = get_attachment(s, editor, att_id)
        assert (row.sha256, row.size, row.media_type) == (digest, len(PDF_BYTES), "application/pdf")
        assert row.filename == SECRET_NAME and row.confidentiality == "confidential"
        data = read_verified(s, editor, settings, row)
        assert hashlib.sha256(data).hexdigest() == digest
        assert download_name(editor, row) == SECRET_NAME
        with pytest.raises(NotFoundError):  # an analyst reads up to restricted only
            get_attachment(s, analyst, att_id)
    with session_scope(settings.database_url) as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.entity == "violation_attachment"))
        by_action = {e.action: e for e in entries}
        assert set(by_action) == {"create", "read"}  # the confidential read is audited
        made = by_action["create"].after or {}
        assert made["sha256"] == digest and made["size"] == len(PDF_BYTES)
        assert made["media_type"] == "application/pdf" and "filename" not in made
        raw_audit = s.execute(
            text("SELECT CAST(before AS TEXT), CAST(after AS TEXT), note FROM audit_entry")
        ).all()
        raw_name = s.execute(text("SELECT filename FROM violation_attachment")).scalar_one()
    assert "Witnessname" not in repr(raw_audit)
    assert "Witnessname" not in str(raw_name)  # the column holds ciphertext
    db = sqlite_path(settings.database_url)
    if db is not None:
        for suffix in ("", "-wal"):
            part = Path(f"{db}{suffix}")
            if part.exists():
                assert b"Witnessname" not in part.read_bytes()


def test_a_file_altered_on_disk_is_refused_and_the_refusal_audited(
    violations_settings: tuple[Settings, Seeded],
) -> None:
    settings, seeded = violations_settings
    att_id = _add(settings, seeded, "editor", "restricted")
    path = blob_path(attachments_root(settings), hashlib.sha256(PDF_BYTES).hexdigest())
    path.write_bytes(PDF_BYTES.replace(b"Count 0", b"Count 1"))
    editor = _who(settings, "editor")
    with session_scope(settings.database_url) as s:
        row = get_attachment(s, editor, att_id)
        with pytest.raises(ConflictError, match="altered or damaged"):
            read_verified(s, editor, settings, row)
    path.unlink()
    with session_scope(settings.database_url) as s:
        row = get_attachment(s, editor, att_id)
        with pytest.raises(ConflictError, match="missing"):
            read_verified(s, editor, settings, row)
    with session_scope(settings.database_url) as s:
        failures = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "integrity-failure")
        ).all()
        assert [(e.after or {}).get("problem") for e in failures] == ["altered", "missing"]


def test_who_may_add_and_at_which_level(violations_settings: tuple[Settings, Seeded]) -> None:
    settings, seeded = violations_settings
    with pytest.raises(PermissionDenied):  # reads restricted events, edits none
        _add(settings, seeded, "analyst", "restricted")
    with pytest.raises(NotFoundError):  # an editor reads up to confidential, except its own
        _add(settings, seeded, "editor", "strictly_confidential", mine=True)
    with pytest.raises(NotFoundError):  # a collector sees only its own records
        _add(settings, seeded, "collector", "public")
    with pytest.raises(InputError, match="less restricted than its event"):
        _add(settings, seeded, "editor", "confidential", confidentiality="public")
    with pytest.raises(InputError) as caught:  # the name claims a PDF, the content is text
        _add(settings, seeded, "editor", "public", data=b"just text\n")
    assert caught.value.location.field == "file"
    with session_scope(settings.database_url) as s:
        assert s.scalars(select(Attachment)).all() == []
    # a collector on its own (strictly confidential) event, and a stricter level by the editor
    with session_scope(settings.database_url) as s:
        own = add_attachment(
            s,
            _who(settings, "collector"),
            settings,
            seeded.collector_events["strictly_confidential"],
            io.BytesIO(b"notes of the interview\n"),
            "interview.txt",
        )
        assert own.confidentiality == "strictly_confidential"
    stricter = _add(settings, seeded, "editor", "public", confidentiality="confidential")
    viewer, analyst = _who(settings, "viewer"), _who(settings, "analyst")
    with session_scope(settings.database_url) as s:
        event = s.get(Event, seeded.events["public"])
        assert event is not None
        seen = attachment_context(viewer, event)
        assert seen["attachments"] == [] and seen["attachments_hidden"] == 1
        assert not seen["may_attach"]
        with pytest.raises(NotFoundError):
            get_attachment(s, viewer, stricter)
        assert attachment_context(analyst, event)["attachments"] == []


def test_names_are_withheld_from_who_may_not_read_sensitive_fields(
    violations_settings: tuple[Settings, Seeded],
) -> None:
    settings, seeded = violations_settings
    att_id = _add(settings, seeded, "editor", "restricted", filename="Amina statement")
    with pytest.raises(InputError, match=r"ends in \.png"):  # the name claims another kind
        _add(settings, seeded, "editor", "restricted", filename="x.png")
    with session_scope(settings.database_url) as s:
        event = s.get(Event, seeded.events["restricted"])
        assert event is not None
        for role, expected in (("analyst", WITHHELD), ("editor", "Amina statement")):
            rows = attachment_context(_who(settings, role), event)["attachments"]
            assert [r.filename for r in rows] == [expected]
        row = s.get(Attachment, att_id)
        assert row is not None
        assert download_name(_who(settings, "analyst"), row) == f"attachment-{att_id}.pdf"
        # the real kind's extension is added to a name that does not end in one of its own
        assert download_name(_who(settings, "editor"), row) == "Amina statement.pdf"


def test_the_size_limit_is_the_setting(violations_sqlite: tuple[Settings, Seeded]) -> None:
    settings, seeded = violations_sqlite
    small = dataclasses.replace(settings, attachment_max_bytes=len(PDF_BYTES) - 1)
    with pytest.raises(InputError, match=f"limit of {len(PDF_BYTES) - 1:,} bytes"):
        _add(small, seeded, "editor", "public")
    exact = dataclasses.replace(small, attachment_max_bytes=len(PDF_BYTES))
    _add(exact, seeded, "editor", "public")
