"""Attachments over HTTP (SQLite): the page form with its CSRF token, the download's headers
(attachment, nosniff, the checked type, a safe name), access (404 for who may not read), and
the JSON API twin."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from urllib.parse import quote

from fastapi.testclient import TestClient

from rightsdesk.core.config import Settings
from rightsdesk.monitoring.violations.attachment_store import MAX_ATTACHMENT_BYTES, blob_path
from rightsdesk.monitoring.violations.attachments import attachments_root
from tests.violations.conftest import Seeded
from tests.violations.test_attachments_store import PDF_BYTES

NAME = "Témoignage Amina-Webtest.pdf"
Factory = Callable[[str], TestClient]


def _csrf(client: TestClient) -> str:
    page = client.get("/")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text[:300]
    return found.group(1)


def _upload(
    client: TestClient,
    event_id: int,
    data: bytes = PDF_BYTES,
    name: str = NAME,
    csrf: str | None = None,
    **fields: str,
) -> tuple[int, str]:
    resp = client.post(
        f"/violations/events/{event_id}/attachments",
        data={"csrf_token": _csrf(client) if csrf is None else csrf, **fields},
        files={"file": (name, data, "application/pdf")},
        follow_redirects=False,
    )
    return resp.status_code, resp.headers.get("location", resp.text)


def _api_list(client: TestClient, event_id: int) -> list[dict[str, object]]:
    resp = client.get(f"/api/v1/violations/events/{event_id}/attachments")
    assert resp.status_code == 200, resp.text
    rows: list[dict[str, object]] = resp.json()
    return rows


def test_upload_form_then_download(
    client_as: Factory, violations_sqlite: tuple[Settings, Seeded]
) -> None:
    settings, seeded = violations_sqlite
    event = seeded.events["restricted"]
    editor = client_as("editor")
    status, where = _upload(editor, event, csrf="forged")
    assert status == 403 and _api_list(editor, event) == []
    status, where = _upload(editor, event, description="statement")
    assert status == 303 and where == f"/violations/events/{event}#attachments"
    [row] = _api_list(editor, event)
    assert row["filename"] == NAME and row["sha256"] == hashlib.sha256(PDF_BYTES).hexdigest()

    got = editor.get(str(row["url"]))
    assert got.status_code == 200 and got.content == PDF_BYTES
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["x-content-type-options"] == "nosniff"
    disposition = got.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="attachment-')
    assert f"filename*=UTF-8''{quote(NAME, safe='')}" in disposition

    analyst = client_as("analyst")  # reads restricted records, not their sensitive fields
    [seen] = _api_list(analyst, event)
    assert seen["filename"] == "[withheld]"
    got = analyst.get(str(row["url"]))
    assert got.status_code == 200 and "Amina" not in got.headers["content-disposition"]
    assert got.headers["content-disposition"] == (
        f'attachment; filename="attachment-{row["id"]}.pdf"; '
        f"filename*=UTF-8''attachment-{row['id']}.pdf"
    )
    viewer = client_as("viewer")  # public only: the attachment does not exist for them
    assert viewer.get(str(row["url"])).status_code == 404
    assert viewer.get(f"/api/v1/violations/events/{event}/attachments").status_code == 404


def test_refused_uploads_say_why(
    client_as: Factory, violations_sqlite: tuple[Settings, Seeded]
) -> None:
    _settings, seeded = violations_sqlite
    event = seeded.events["public"]
    editor = client_as("editor")
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + bytes(range(256))
    status, body = _upload(editor, event, data=exe, name="report.pdf")
    assert status == 400 and "this kind of file is not accepted" in body
    big = PDF_BYTES + b" " * MAX_ATTACHMENT_BYTES
    status, body = _upload(editor, event, data=big, name="big.pdf")
    assert status == 400 and "larger than the limit" in body
    assert _upload(client_as("analyst"), event)[0] == 403  # no EDIT
    assert _upload(client_as("collector"), event)[0] == 404  # not its own event
    assert _api_list(editor, event) == []


def test_tampered_file_is_refused_on_download(
    client_as: Factory, violations_sqlite: tuple[Settings, Seeded]
) -> None:
    settings, seeded = violations_sqlite
    editor = client_as("editor")
    event = seeded.events["public"]
    text = b"Notes de l'entretien, 3 mars 2019.\n"
    assert _upload(editor, event, data=text, name="notes.txt")[0] == 303
    [row] = _api_list(editor, event)
    got = editor.get(str(row["url"]))
    assert got.headers["content-type"] == "text/plain; charset=utf-8" and got.content == text
    blob_path(attachments_root(settings), str(row["sha256"])).write_bytes(text + b"forged")
    page = editor.get(str(row["url"]))
    assert page.status_code == 409 and "altered or damaged" in page.text
    api = editor.get(f"/api/v1/violations/attachments/{row['id']}")
    assert api.status_code == 409 and "altered or damaged" in api.json()["message"]


def test_api_upload_with_a_session_needs_the_csrf_header(
    client_as: Factory, violations_sqlite: tuple[Settings, Seeded]
) -> None:
    _settings, seeded = violations_sqlite
    collector = client_as("collector")
    event = seeded.collector_events["confidential"]
    url = f"/api/v1/violations/events/{event}/attachments"
    files = {"file": ("interview.txt", b"what the witness said\n", "text/plain")}
    assert collector.post(url, files=files).status_code == 403
    resp = collector.post(
        url,
        files=files,
        data={"description": "interview notes"},
        headers={"X-CSRF-Token": _csrf(collector)},
    )
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["media_type"] == "text/plain" and body["filename"] == "interview.txt"
    assert body["confidentiality"] == "confidential" and body["description"] == "interview notes"
    got = client_as("editor").get(f"/api/v1/violations/attachments/{body['id']}")
    assert got.status_code == 200 and got.content == b"what the witness said\n"
    assert got.headers["x-content-sha256"] == body["sha256"]  # editor reads confidential


def test_event_page_lists_what_each_reader_may_see(
    client_as: Factory, violations_sqlite: tuple[Settings, Seeded]
) -> None:
    _settings, seeded = violations_sqlite
    event = seeded.events["restricted"]
    editor = client_as("editor")
    assert _upload(editor, event)[0] == 303
    page = editor.get(f"/violations/events/{event}")
    assert page.status_code == 200 and 'id="attachments"' in page.text
    assert NAME in page.text and 'enctype="multipart/form-data"' in page.text
    page = client_as("analyst").get(f"/violations/events/{event}")
    assert page.status_code == 200 and 'id="attachments"' in page.text
    assert "[withheld]" in page.text and "Amina-Webtest" not in page.text
    assert "Amina" not in page.text.split('id="attachments"')[1].split("</section>")[0]
    assert 'enctype="multipart/form-data"' not in page.text  # no upload form without EDIT
