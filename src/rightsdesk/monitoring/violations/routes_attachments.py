"""Attachments: upload from the event page, download, and the JSON API twin.

Roles, and why: every route needs a logged-in reader (``Viewer``); what the user may do with
*this* event or attachment is then decided by ``access`` alone: adding a file needs EDIT on
the event (a collector on its own events, an editor up to confidential), a download needs
READ on the attachment and its event (404 otherwise, so that a restricted file's existence
is not disclosed). A download is always ``Content-Disposition: attachment`` with
``X-Content-Type-Options: nosniff`` and the type the content was checked to be, so a file
never renders in the application's origin; its original name is sent only to who may read
sensitive fields (``attachment-<id>.<ext>`` otherwise). The file's SHA-256 is checked before
it is sent. The page form posts the CSRF token as a form field; API calls use a token.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Path, UploadFile
from fastapi.responses import RedirectResponse, Response
from pydantic import Field

from rightsdesk.core.errors import ConflictError, InputError, NotFoundError
from rightsdesk.monitoring.violations import access
from rightsdesk.monitoring.violations.access import Action
from rightsdesk.monitoring.violations.attachment_store import FILE_TYPES
from rightsdesk.monitoring.violations.attachments import (
    add_attachment,
    attachment_rows,
    content_disposition,
    download_name,
    fallback_name,
    get_attachment,
    read_verified,
    served_media_type,
)
from rightsdesk.monitoring.violations.models import Event
from rightsdesk.web.deps import CsrfChecked, DbSession, SettingsDep, Viewer
from rightsdesk.web.schemas import ApiModel, UtcDateTime, error_responses

router = APIRouter()
TAG = "violations"
#: a record's number in a path or form (bounded: the stores' integers)
RecordId = Annotated[int, Path(ge=1, le=2**53, description="The record's number.")]


class AttachmentOut(ApiModel):
    """An attachment as the caller may see it: ``filename`` is "[withheld]" for a caller who
    may not read sensitive fields."""

    id: int
    event_id: int
    source_id: int | None = None
    filename: str = Field(description='The original name, or "[withheld]".')
    media_type: str = Field(description="The type the content was checked to be.")
    kind: str
    size: int = Field(description="Bytes.")
    sha256: str = Field(description="SHA-256 of the content (hex), checked on every download.")
    description: str | None = None
    confidentiality: str
    created_at: UtcDateTime
    url: str = Field(description="Where to download it (same authorisation).")


def _readable_event(db: DbSession, user: Viewer, event_id: int) -> Event:
    event = db.get(Event, event_id)
    if event is None:
        raise NotFoundError("no such event")
    access.require(user, Action.READ, event)
    return event


def _out(user: Viewer, event: Event, attachment_id: int) -> AttachmentOut:
    row = next(r for r in attachment_rows(user, event) if r.id == attachment_id)
    return AttachmentOut.model_validate(row)


@router.post("/violations/events/{event_id}/attachments", include_in_schema=False)
def upload_page(
    event_id: RecordId,
    db: DbSession,
    settings: SettingsDep,
    user: Viewer,
    _csrf: CsrfChecked,
    file: Annotated[UploadFile, File()],
    description: Annotated[str, Form(max_length=4000)] = "",
    confidentiality: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Add a file to the event (EDIT on the event), back to the event page; a refused file
    is shown on the error page with the reason (type, size, level)."""
    add_attachment(
        db,
        user,
        settings,
        event_id,
        file.file,
        file.filename,
        description=description,
        confidentiality=confidentiality,
    )
    db.commit()
    return RedirectResponse(f"/violations/events/{event_id}#attachments", status_code=303)


#: what a download's 200 may be: every accepted kind
_DOWNLOAD_TYPES: dict[str, dict[str, object]] = {t.media_type: {} for t in FILE_TYPES}


def _download(attachment_id: int, db: DbSession, settings: SettingsDep, user: Viewer) -> Response:
    row = get_attachment(db, user, attachment_id)
    data = read_verified(db, user, settings, row)
    db.commit()  # the audited read
    name = download_name(user, row)
    return Response(
        data,
        media_type=served_media_type(row),
        headers={
            "Content-Disposition": content_disposition(name, fallback_name(row)),
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "sandbox; default-src 'none'",
            "Cache-Control": "no-store",
            "X-Content-SHA256": row.sha256,
        },
    )


@router.get("/violations/attachments/{attachment_id}", include_in_schema=False)
def download(
    attachment_id: RecordId, db: DbSession, settings: SettingsDep, user: Viewer
) -> Response:
    """Download an attachment from a page (errors as pages); the API twin answers in JSON."""
    return _download(attachment_id, db, settings, user)


@router.get(
    "/api/v1/violations/attachments/{attachment_id}",
    tags=[TAG],
    response_class=Response,
    responses={
        200: {"description": "The file, as a download.", "content": _DOWNLOAD_TYPES},
        **error_responses(NotFoundError, ConflictError),
    },
)
def api_download(
    attachment_id: RecordId, db: DbSession, settings: SettingsDep, user: Viewer
) -> Response:
    """Download an attachment (READ on it and on its event; 404 otherwise), as
    ``Content-Disposition: attachment`` with the type its content was checked to be. Its
    SHA-256 is checked first (also sent as ``X-Content-SHA256``): an altered or missing file
    is refused (409) and the refusal audited. Reading a confidential attachment is audited."""
    return _download(attachment_id, db, settings, user)


@router.get(
    "/api/v1/violations/events/{event_id}/attachments",
    tags=[TAG],
    response_model=list[AttachmentOut],
    responses=error_responses(NotFoundError),
)
def api_list(event_id: RecordId, db: DbSession, user: Viewer) -> list[AttachmentOut]:
    """The event's attachments the caller may read (404 if the event is not readable);
    names "[withheld]" without the right to read sensitive fields."""
    event = _readable_event(db, user, event_id)
    return [AttachmentOut.model_validate(r) for r in attachment_rows(user, event)]


@router.post(
    "/api/v1/violations/events/{event_id}/attachments",
    tags=[TAG],
    status_code=201,
    response_model=AttachmentOut,
    responses=error_responses(NotFoundError, InputError),
)
def api_upload(
    event_id: RecordId,
    db: DbSession,
    settings: SettingsDep,
    user: Viewer,
    file: Annotated[UploadFile, File(description="The file (multipart/form-data).")],
    description: Annotated[str, Form(max_length=4000)] = "",
    confidentiality: Annotated[
        str, Form(max_length=40, description="Default: the event's; never less restricted.")
    ] = "",
    source_id: Annotated[
        int | None, Form(ge=1, le=2**53, description="A source of this event it backs.")
    ] = None,
) -> AttachmentOut:
    """Add a file to the event (EDIT on the event). Accepted kinds are decided from the
    content (PDF, PNG, JPEG, GIF, WebP, UTF-8 text, MP3, MP4, WAV, docx, xlsx), not the
    declared type; at most RIGHTSDESK_ATTACHMENT_MAX_BYTES (default 9.5 MB). Audited with
    its SHA-256, size and type."""
    row = add_attachment(
        db,
        user,
        settings,
        event_id,
        file.file,
        file.filename,
        description=description,
        confidentiality=confidentiality,
        source_id=source_id,
    )
    db.commit()
    event = _readable_event(db, user, event_id)
    return _out(user, event, row.id)
