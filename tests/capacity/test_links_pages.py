"""The links pages and API on a store with CAFOD's real DR Congo programmes and DR Congo's
real recommendations: a link made in the page appears in the coverage view and the audit log;
the review queue confirms and rejects (editors only, CSRF checked); the JSON API."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from rightsdesk.capacity.models import Programme, ProgrammeLink
from rightsdesk.capacity.suggest import suggest_links
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.forms import service
from tests.capacity.conftest import activity_file, import_file
from tests.capacity.links_helpers import load_drc_recommendations


def load(settings: Settings, shared_data: Path, tmp_path: Path) -> tuple[int, str, int, str]:
    """CAFOD's file and DR Congo's recommendations; a programme and a supported recommendation
    (id, title; id, text)."""
    import_file(settings, "iati-activities", activity_file(shared_data, "cafod-drc-v1.00.xml"))
    load_drc_recommendations(settings, shared_data, tmp_path)
    with session_scope(settings.database_url) as s:
        programme = s.scalars(select(Programme).order_by(Programme.id)).first()
        assert programme is not None
        rec = service("monitoring", "recommendations_of_state")(s, "COD", "supported")[5]
        return programme.id, programme.title, rec.id, rec.text


def csrf(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match is not None
    return match.group(1)


def gaps_count(client: TestClient) -> int:
    return len(client.get("/api/v1/capacity/gaps/COD").json()["gaps"])


def test_a_link_made_in_the_page_appears_in_the_coverage_view_and_the_audit_log(
    client_for, sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    pid, title, rec_id, rec_text = load(sqlite_settings, shared_data, tmp_path)
    editor: TestClient = client_for("editor")
    before = editor.get("/capacity/coverage", params={"state": "COD"})
    assert before.status_code == 200 and "132 supported recommendations" in before.text
    assert title not in before.text and gaps_count(editor) == 132

    page = editor.get(f"/capacity/programmes/{pid}/links")
    assert page.status_code == 200 and 'id="link-form"' in page.text
    no_token = editor.post(
        f"/capacity/programmes/{pid}/links", data={"recommendation": str(rec_id), "reason": "x"}
    )
    assert no_token.status_code == 403
    made = editor.post(
        f"/capacity/programmes/{pid}/links",
        data={
            "csrf_token": csrf(page.text),
            "recommendation": str(rec_id),
            "reason": "The programme trains the monitors this recommendation asks for",
        },
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    assert made.headers["location"] == f"/capacity/programmes/{pid}/links"
    listed = editor.get(f"/capacity/programmes/{pid}/links").text
    assert "The programme trains the monitors" in listed and "confirmed" in listed

    after = editor.get("/capacity/coverage", params={"state": "COD"})
    assert after.status_code == 200
    covered = after.text.split('id="coverage-covered"')[1].split("</table>")[0]
    assert f"/capacity/programmes/{pid}" in covered and f"/recommendations/{rec_id}" in covered
    assert "1 with a programme" in after.text and 'id="coverage-spec"' in after.text
    assert gaps_count(editor) == 131
    assert rec_text not in [
        g["text"] for g in editor.get("/api/v1/capacity/gaps/COD").json()["gaps"]
    ]

    admin: TestClient = client_for("admin")
    log = admin.get("/audit", params={"table": "capacity_link"})
    assert log.status_code == 200
    assert "editor-0" in log.text and "The programme trains the monitors" in log.text


def test_review_queue_confirms_and_rejects(
    client_for, sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    load(sqlite_settings, shared_data, tmp_path)
    with session_scope(sqlite_settings.database_url) as s:
        report = suggest_links(s, "tester", "COD")
        best, second = s.scalars(
            select(ProgrammeLink.id).order_by(ProgrammeLink.score.desc(), ProgrammeLink.id)
        ).all()[:2]
    assert report.created > 0
    viewer: TestClient = client_for("viewer")
    queue = viewer.get("/capacity/links")
    assert (
        queue.status_code == 200 and "same state (Democratic Republic of the Congo)" in queue.text
    )
    assert f"{report.created} suggested" in queue.text and "Confirm" not in queue.text
    refused = viewer.post(f"/capacity/links/{best}/confirm", data={"csrf_token": csrf(queue.text)})
    assert refused.status_code == 403

    editor: TestClient = client_for("editor")
    queue = editor.get("/capacity/links", params={"state": "COD"})
    assert "Confirm" in queue.text
    done = editor.post(
        f"/capacity/links/{best}/confirm",
        data={"csrf_token": csrf(queue.text), "back": "/capacity/links?state=COD"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/capacity/links?state=COD"
    editor.post(f"/capacity/links/{second}/reject", data={"csrf_token": csrf(queue.text)})
    assert f"{report.created - 2} suggested" in editor.get("/capacity/links").text
    coverage = editor.get("/api/v1/capacity/coverage/COD").json()
    assert coverage["with_programme"] >= 1 and coverage["supported"] == 132

    # the JSON API: listing, a decision (PATCH) and a person's link (POST)
    header = {"X-CSRF-Token": csrf(queue.text)}
    rejected = editor.get("/api/v1/capacity/links", params={"status": "rejected"}).json()
    assert rejected["total"] == 1 and rejected["links"][0]["id"] == second
    again = editor.patch(
        f"/api/v1/capacity/links/{second}", json={"status": "rejected"}, headers=header
    )
    assert again.status_code == 409
    undone = editor.patch(
        f"/api/v1/capacity/links/{second}",
        json={"status": "confirmed", "reason": "on second reading"},
        headers=header,
    )
    assert undone.status_code == 200 and undone.json()["reviewed_by"] == "editor-1"
    no_header = editor.patch(f"/api/v1/capacity/links/{second}", json={"status": "rejected"})
    assert no_header.status_code == 403
    programme_id = undone.json()["programme_id"]
    body = {
        "programme_id": programme_id,
        "recommendation_id": unlinked(sqlite_settings, programme_id),
        "reason": "read it",
    }
    made = editor.post("/api/v1/capacity/links", json=body, headers=header)
    assert made.status_code == 201, made.text
    assert made.json()["status"] == "confirmed" and made.json()["created_by"] == "editor-1"
    assert editor.post("/api/v1/capacity/links", json=body, headers=header).status_code == 409
    assert viewer.post("/api/v1/capacity/links", json=body, headers=header).status_code == 403
    donors = editor.get("/capacity/donors")
    assert donors.status_code == 200 and "GB-CHC-285776" in donors.text
    portfolio = editor.get("/capacity/donors", params={"org": "GB-CHC-285776"})
    assert portfolio.status_code == 200 and "Democratic Republic" in portfolio.text
    api = editor.get("/api/v1/capacity/portfolio", params={"org": "GB-CHC-285776"}).json()
    assert api["programmes"] == 57 and api["by_linked_theme"]


def unlinked(settings: Settings, programme_id: int) -> int:
    """A supported recommendation the programme has no link to."""
    with session_scope(settings.database_url) as s:
        linked = set(
            s.scalars(
                select(ProgrammeLink.recommendation_key).where(
                    ProgrammeLink.programme_id == programme_id
                )
            )
        )
        recs = service("monitoring", "recommendations_of_state")(s, "COD", "supported")
        return int(next(r.id for r in recs if r.natural_key not in linked))
