"""Pages and JSON API of the register: reading per role, the editor's forms (CSRF, EDIT
permission, field errors), edits recorded, API shapes and bearer-token writes."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.interventions.register.models import RegisterEntry
from tests.conftest import add_user

pytestmark = pytest.mark.usefixtures("store_template")

Clients = Callable[[str], TestClient]


def _id(settings: Settings, kind: str, key: str) -> int:
    with session_scope(settings.database_url) as s:
        found = s.scalar(
            select(RegisterEntry.id).where(RegisterEntry.kind == kind, RegisterEntry.key == key)
        )
    assert found is not None
    return int(found)


def _csrf(client: TestClient, url: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text)
    assert found is not None
    return found.group(1)


def test_pages_for_a_viewer(client_for: Clients, sqlite_settings: Settings) -> None:
    viewer = client_for("viewer")
    page = viewer.get("/interventions/register", params={"state": "UGA"})
    assert page.status_code == 200
    assert "ICC-02/04-01/15" in page.text and "UNOMUR" in page.text and "UNMISS" not in page.text
    assert "2022-04-05" in page.text and "2024-02-19" in page.text  # data up to, per source
    assert 'id="register-new"' not in page.text
    icj = viewer.get("/interventions/register", params={"kind": "icj-case", "status": "pending"})
    assert "The Gambia v. Myanmar" in icj.text and "Corfu Channel" not in icj.text
    pko = viewer.get("/interventions/register", params={"kind": "peacekeeping", "year": 1994})
    assert "UNAMIR" in pko.text and "UNMISS" not in pko.text
    bad = viewer.get("/interventions/register", params={"kind": "war"})
    assert bad.status_code == 200 and "unknown kind" in bad.text

    ongwen = _id(sqlite_settings, "icc-case", "the-prosecutor-v-ongwen")
    detail = viewer.get(f"/interventions/register/{ongwen}")
    assert detail.status_code == 200
    assert "Dominic Ongwen" in detail.text and "convicted" in detail.text
    assert "war crimes" in detail.text and "data up to 2022-04-05" in detail.text
    assert 'id="register-edit"' not in detail.text
    assert viewer.get("/interventions/register/999999").status_code == 404
    assert viewer.get("/interventions/register/new").status_code == 403
    assert client_for("analyst").get("/interventions/register/new").status_code == 403
    assert client_for("admin").get("/interventions/register/new").status_code == 200


def test_editor_creates_and_edits(client_for: Clients, sqlite_settings: Settings) -> None:
    editor, viewer = client_for("editor"), client_for("viewer")
    token = _csrf(editor, "/interventions/register/new")
    form = {
        "csrf_token": token,
        "kind": "fact-finding-mission",
        "identifier": "A/HRC/RES/34/22",
        "title": "Independent International Fact-Finding Mission on Myanmar",
        "mandate_body": "HRC",
        "mandate_ref": "A/HRC/RES/34/22",
        "states": "MMR:situation",
        "start": "2017-03-24",
        "end": "2019-09",
        "status": "concluded",
        "source": "HRC resolution 34/22",
    }
    vtoken = _csrf(viewer, "/interventions/register")
    denied = viewer.post("/interventions/register/new", data={**form, "csrf_token": vtoken})
    assert denied.status_code == 403
    no_csrf = editor.post("/interventions/register/new", data={**form, "csrf_token": "x"})
    assert no_csrf.status_code in (400, 403)
    wrong = editor.post("/interventions/register/new", data={**form, "states": "MMR:victim"})
    assert wrong.status_code == 422 and "unknown role" in wrong.text
    assert "Independent International Fact-Finding Mission on Myanmar" in wrong.text  # kept

    made = editor.post("/interventions/register/new", data=form, follow_redirects=False)
    assert made.status_code == 303
    url = made.headers["location"]
    page = editor.get(url)
    assert "2019-09" in page.text and "HRC resolution 34/22" in page.text
    twice = editor.post("/interventions/register/new", data=form)
    assert twice.status_code == 422 and "already has this kind" in twice.text

    kony = _id(sqlite_settings, "icc-case", "the-prosecutor-v-kony-et-al")
    token = _csrf(editor, f"/interventions/register/{kony}")
    edit = editor.post(
        f"/interventions/register/{kony}",
        data={
            "csrf_token": token,
            "status": "Confirmation of charges in absentia",
            "source": "ICC press release",
            "note": "after the ABA cut-off",
        },
        follow_redirects=False,
    )
    assert edit.status_code == 303
    shown = viewer.get(f"/interventions/register/{kony}").text
    assert "Confirmation of charges in absentia" in shown and "after the ABA cut-off" in shown
    assert (
        viewer.post(
            f"/interventions/register/{kony}", data={"csrf_token": vtoken, "status": "x"}
        ).status_code
        == 403
    )


def test_api(client_for: Clients, sqlite_settings: Settings) -> None:
    from rightsdesk.core.security.users import issue_token

    viewer = client_for("viewer")
    listed = viewer.get("/api/v1/interventions/register", params={"state": "MMR"}).json()
    assert set(listed) == {"filters", "total", "limit", "offset", "items", "sources"}
    assert listed["filters"] == {"state": "MMR"}
    gambia = next(i for i in listed["items"] if i["identifier"] == "ICJ 178")
    assert {(s["role"], s["iso3"]) for s in gambia["states"]} == {
        ("applicant", "GMB"),
        ("respondent", "MMR"),
    }
    assert gambia["sources"][0]["data_up_to"] == "2026"
    assert {s["kind"] for s in listed["sources"]} == {"icc-aba", "icj-cases", "un-peacekeeping"}
    bad = viewer.get("/api/v1/interventions/register", params={"kind": "x"})
    assert bad.status_code == 400 and bad.json()["error"] == "input-error"

    one = viewer.get(f"/api/v1/interventions/register/{gambia['id']}").json()
    assert one["identifier"] == "ICJ 178" and one["accused"] == [] and one["history"]
    assert viewer.get("/api/v1/interventions/register/999999").status_code == 404

    add_user(sqlite_settings, "api-editor", "editor")
    with session_scope(sqlite_settings.database_url) as s:
        etok = issue_token(s, "api-editor", actor="test")
    body = {
        "kind": "referral",
        "identifier": "S/RES/1970 (2011)",
        "title": "Referral of the situation in Libya to the ICC",
        "mandate_body": "UNSC",
        "states": [{"iso3": "LBY", "role": "situation"}],
        "start": "2011-02-26",
        "status": "referred",
    }
    anon = TestClient(viewer.app)
    assert anon.post("/api/v1/interventions/register", json=body).status_code == 401
    assert viewer.post("/api/v1/interventions/register", json=body).status_code == 403
    auth = {"Authorization": f"Bearer {etok}"}
    made = anon.post("/api/v1/interventions/register", json=body, headers=auth)
    assert made.status_code == 201, made.text
    assert made.json()["states"][0]["iso3"] == "LBY"
    put = anon.put(
        f"/api/v1/interventions/register/{made.json()['id']}",
        json={"status": "investigation opened", "note": "OTP"},
        headers=auth,
    )
    assert put.status_code == 200 and put.json()["changed"] == ["status"]
    assert put.json()["title"] == body["title"]  # fields not sent are kept
    bad_put = anon.put(
        f"/api/v1/interventions/register/{made.json()['id']}", json={"end": "2010"}, headers=auth
    )
    assert bad_put.status_code == 400 and bad_put.json()["field"] == "end"
