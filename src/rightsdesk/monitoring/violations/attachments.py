"""Attachments of documented events: adding, listing, reading back a file, and its safe name.

Every function takes who acts and goes through ``access`` (the one authorisation function):
adding needs EDIT on the event; reading an attachment needs READ on it *and* on its event;
its original file name is shown only to who may READ_SENSITIVE it (the name of a file,
"statement_of_<victim>.pdf", often names a victim or a witness, so it is encrypted at rest
and written nowhere else: not in the audit log, not in a URL, not in an error message).

A file is read back only after its SHA-256 is checked against the row: a file changed on
disk after upload (tampering, a damaged disk, a bad restore) is refused with an error that
says so, and the refusal is written to the audit log, rather than served as evidence.
The functions write no commit: the caller commits (one transaction with the audit entry).
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import quote

from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.errors import ConflictError, InputError, NotFoundError
from rightsdesk.core.security import audit
from rightsdesk.core.security.models import User
from rightsdesk.monitoring.violations import access
from rightsdesk.monitoring.violations.access import LEVEL_RANK, Action, Principal
from rightsdesk.monitoring.violations.attachment_store import (
    ATTACHMENTS_DIR,
    MAX_ATTACHMENT_BYTES,
    TEXT,
    blob_path,
    check_name,
    media_type_of,
    store_file,
)
from rightsdesk.monitoring.violations.models import LEVELS, Attachment, Event, Source

__all__ = [
    "ENTITY",
    "WITHHELD",
    "AttachmentRow",
    "add_attachment",
    "attachment_context",
    "attachment_rows",
    "attachments_root",
    "content_disposition",
    "download_name",
    "fallback_name",
    "get_attachment",
    "max_bytes",
    "read_verified",
    "served_media_type",
]

#: the audit log's name for attachment rows
ENTITY = "violation_attachment"
#: what is shown instead of a sensitive value the reader may not see
WITHHELD = "[withheld]"
MAX_DESCRIPTION = 2000
MAX_FILENAME = 255


def attachments_root(settings: Settings) -> Path:
    """The folder of attachment files: ``attachments/`` in the data folder."""
    return settings.data_dir / ATTACHMENTS_DIR


def max_bytes(settings: Settings) -> int:
    """The largest attachment accepted: the setting ``attachment_max_bytes``."""
    return settings.attachment_max_bytes


def _principal(who: Principal | User) -> Principal:
    return who if isinstance(who, Principal) else Principal.of(who)


def _clean_filename(filename: str | None) -> str | None:
    """The name without any folder part (some browsers send ``C:\\fakepath\\x.pdf``), control
    characters or surrounding space, at most 255 characters; None when nothing is left."""
    if not filename:
        return None
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    return base[:MAX_FILENAME] or None


def _level_for(event: Event, confidentiality: str | None) -> str:
    """The attachment's level: the event's unless a stricter one is asked for (a child may be
    stricter than its event, never looser)."""
    level = (confidentiality or "").strip() or event.confidentiality
    if level not in LEVELS:
        raise InputError(f"unknown level; one of {', '.join(LEVELS)}", field="confidentiality")
    if LEVEL_RANK[level] < LEVEL_RANK.get(event.confidentiality, 3):
        raise InputError(
            f"an attachment cannot be less restricted than its event "
            f"({access.level_label(event.confidentiality)})",
            field="confidentiality",
        )
    return level


def _event(session: Session, who: Principal, event_id: int, action: Action) -> Event:
    event = session.get(Event, event_id)
    if event is None:
        raise NotFoundError("no such event")
    access.require(who, action, event)
    return event


def add_attachment(
    session: Session,
    who: Principal | User,
    settings: Settings,
    event_id: int,
    stream: BinaryIO,
    filename: str | None,
    *,
    description: str | None = None,
    confidentiality: str | None = None,
    source_id: int | None = None,
    limit: int | None = None,
) -> Attachment:
    """Store the file read from ``stream`` and record it as an attachment of the event.

    Needs EDIT on the event (checked before a byte is read). At most ``limit`` bytes (default:
    the setting ``attachment_max_bytes``, RIGHTSDESK_ATTACHMENT_MAX_BYTES). The upload is
    audited with its SHA-256, size and type, never its name. No commit.
    """
    p = _principal(who)
    event = _event(session, p, event_id, Action.EDIT)
    level = _level_for(event, confidentiality)
    note = (description or "").strip() or None
    if note is not None and len(note) > MAX_DESCRIPTION:
        raise InputError(f"at most {MAX_DESCRIPTION} characters", field="description")
    if source_id is not None:
        source = session.get(Source, source_id)
        if source is None or source.event_id != event.id:
            raise InputError("no such source in this event", field="source_id")
        access.require(p, Action.READ, source, event)
    name = _clean_filename(filename)
    most = limit if limit is not None else max_bytes(settings)
    stored = store_file(attachments_root(settings), stream, most)
    check_name(name, stored.file_type)
    row = Attachment(
        event_id=event.id,
        source_id=source_id,
        filename=name,
        media_type=stored.file_type.media_type,
        size=stored.size,
        sha256=stored.sha256,
        description=note,
        confidentiality=level,
        created_by=p.user_id,
        updated_by=p.user_id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        p.actor,
        "create",
        ENTITY,
        row.id,
        after={
            "event_id": event.id,
            "source_id": source_id,
            "sha256": stored.sha256,
            "size": stored.size,
            "media_type": row.media_type,
            "confidentiality": level,
        },
    )
    return row


def get_attachment(session: Session, who: Principal | User, attachment_id: int) -> Attachment:
    """The attachment, if ``who`` may READ it and its event (else "not found": its existence
    is not disclosed); the read of a confidential one is audited. No commit."""
    row = session.get(Attachment, attachment_id)
    if row is None:
        raise NotFoundError("no such attachment")
    access.require(who, Action.READ, row, row.event)
    access.audit_read(session, who, ENTITY, row)
    return row


def read_verified(
    session: Session, who: Principal | User, settings: Settings, row: Attachment
) -> bytes:
    """The attachment's bytes, after checking their SHA-256 against the row.

    A missing or altered file raises ConflictError saying so (and the failure is audited);
    it is never served. The file is read whole (attachments are at most a few MB) so what
    is checked is exactly what is sent.
    """
    path = blob_path(attachments_root(settings), row.sha256)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = None
    if data is not None and hashlib.sha256(data).hexdigest() == row.sha256:
        return data
    problem = "missing" if data is None else "altered"
    audit.record(
        session,
        _principal(who).actor,
        "integrity-failure",
        ENTITY,
        row.id,
        after={"sha256": row.sha256, "problem": problem},
    )
    session.commit()
    if data is None:
        raise ConflictError(
            f"attachment {row.id}: its file is missing from the store; restore it from a "
            "backup (`rightsdesk restore`)"
        )
    raise ConflictError(
        f"attachment {row.id}: its file was altered or damaged after upload (its SHA-256 no "
        "longer matches the one recorded), so it is not served; restore it from a backup"
    )


def _extension(row: Attachment) -> str:
    kind = media_type_of(row.media_type)
    return kind.extension if kind is not None else ".bin"


def fallback_name(row: Attachment) -> str:
    """The name of a download for who may not see the original: ``attachment-<id>.<ext>``."""
    return f"attachment-{row.id}{_extension(row)}"


def download_name(who: Principal | User, row: Attachment) -> str:
    """The name a download is saved under: the original one for who may READ_SENSITIVE it
    (with the extension of its real kind added when its own is not one of that kind's, so a
    text file named ``x.html`` is saved as ``x.html.txt`` and never opens as a page), else
    ``attachment-<id>.<ext>``."""
    fallback = fallback_name(row)
    if not row.filename or not access.may(who, Action.READ_SENSITIVE, row, row.event):
        return fallback
    kind = media_type_of(row.media_type)
    name = row.filename
    if kind is not None and Path(name).suffix.lower() not in kind.extensions:
        name += kind.extension
    return name


def content_disposition(name: str, fallback: str) -> str:
    """``attachment`` with an ASCII fallback name and the UTF-8 name (RFC 6266 / 5987); quotes,
    backslashes and control characters cannot reach the header."""
    ascii_name = "".join(c for c in fallback if c.isascii() and c.isprintable() and c not in '"\\')
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def served_media_type(row: Attachment) -> str:
    """The Content-Type of a download (text with its charset, as it was checked to be)."""
    return "text/plain; charset=utf-8" if row.media_type == TEXT.media_type else row.media_type


@dataclass(frozen=True)
class AttachmentRow:
    """One attachment as a page or the API shows it to a given reader."""

    id: int
    event_id: int
    source_id: int | None
    filename: str
    media_type: str
    kind: str
    size: int
    size_text: str
    sha256: str
    description: str | None
    confidentiality: str
    level_label: str
    created_at: datetime
    url: str


def _size_text(size: int) -> str:
    if size < 1000:
        return f"{size} bytes"
    if size < 1_000_000:
        return f"{size / 1000:.1f} kB"
    return f"{size / 1_000_000:.1f} MB"


def attachment_rows(who: Principal | User, event: Event) -> list[AttachmentRow]:
    """The attachments of ``event`` that ``who`` may read, names withheld where they may not
    read sensitive fields. Whoever cannot read the event gets nothing."""
    if not access.may(who, Action.READ, event):
        return []
    out = []
    for row in event.attachments:
        if not access.may(who, Action.READ, row, event):
            continue
        kind = media_type_of(row.media_type)
        sensitive = access.may(who, Action.READ_SENSITIVE, row, event)
        out.append(
            AttachmentRow(
                id=row.id,
                event_id=event.id,
                source_id=row.source_id,
                filename=(row.filename or "") if sensitive else WITHHELD,
                media_type=row.media_type,
                kind=kind.label if kind is not None else row.media_type,
                size=row.size,
                size_text=_size_text(row.size),
                sha256=row.sha256,
                description=row.description,
                confidentiality=row.confidentiality,
                level_label=access.level_label(row.confidentiality),
                created_at=row.created_at,
                url=f"/violations/attachments/{row.id}",
            )
        )
    return out


def attachment_context(
    who: Principal | User, event: Event, settings: Settings | None = None
) -> dict[str, Any]:
    """What ``violations/_attachments.html`` needs, for the event page's context: the rows
    the reader may see, how many are hidden, and whether (and at which levels) they may add."""
    rows = attachment_rows(who, event)
    may_attach = access.may(who, Action.EDIT, event)
    floor = LEVEL_RANK.get(event.confidentiality, 3)
    return {
        "attachments": rows,
        "attachments_hidden": len(event.attachments) - len(rows)
        if access.may(who, Action.READ, event)
        else 0,
        "may_attach": may_attach,
        "attach_event_id": event.id,
        "attach_levels": [
            (level, access.level_label(level)) for level in LEVELS if LEVEL_RANK[level] >= floor
        ],
        "attach_limit_mb": (max_bytes(settings) if settings else MAX_ATTACHMENT_BYTES) / 1e6,
    }
