"""Editors enter and change programmes and add activities: the service (checks with a message
per field, audit log, ``rd-`` keys), the form pages (roles, CSRF, messages next to the fields)
and the JSON API (API token of an editor). On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import etree
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.capacity import edit
from rightsdesk.capacity.edit import ActivityIn, FieldErrors, ProgrammeIn
from rightsdesk.capacity.edit_input import BudgetIn, ParticipantIn, RecipientIn, SectorIn
from rightsdesk.capacity.iati_export import ProgrammeFilter, export_iati
from rightsdesk.capacity.models import Activity, CodelistItem, Programme
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.security.models import AuditEntry
from tests.conftest import add_user, login

KEY = re.compile(r"^rd-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$")


def programme_in(**changes: Any) -> ProgrammeIn:
    data = ProgrammeIn(
        title="Support to the National Human Rights Commission",
        description="Training of the commission's staff on complaint handling.",
        reporting_org_ref="XM-DAC-41304",
        reporting_org_name="OHCHR",
        reporting_org_type="40",
        status_code="2",
        planned_start="2024-01-01",
        planned_end="2025-12-31",
        default_currency="CHF",
        participants=[ParticipantIn(role="implementing", name="CNDH", type="10")],
        recipients=[
            RecipientIn(state="DR Congo", percentage=60),
            RecipientIn(state="UGA", percentage="40"),
        ],
        sectors=[SectorIn(code="15160", percentage=70), SectorIn(code="15170", percentage=30)],
        budgets=[
            BudgetIn(period_start="2024-01-01", period_end="2024-12-31", value="250000"),
            BudgetIn(
                kind="planned-disbursement",
                period_start="2024-03-01",
                period_end="2024-03-31",
                value=100000.5,
                currency="usd",
                value_date="2024-02-15",
            ),
        ],
    )
    return data.model_copy(update=changes)


def audit_rows(session: Session, entity: str) -> list[AuditEntry]:
    stmt = select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)
    return list(session.scalars(stmt))


@pytest.fixture(scope="module")
def schema(shared_data: Path) -> etree.XMLSchema:
    path = shared_data / "capacity" / "iati" / "schemas-2.03" / "iati-activities-schema.xsd"
    return etree.XMLSchema(etree.parse(str(path)))


def test_create_update_and_audit(session: Session, schema: etree.XMLSchema) -> None:
    programme = edit.create_programme(session, "ed", programme_in())
    session.commit()
    assert KEY.match(programme.natural_key)
    assert (programme.created_by, programme.iati_version) == ("ed", None)
    assert [(p.role, p.name) for p in programme.participants] == [("4", "CNDH")]
    assert [(r.state_iso3, r.percentage) for r in programme.recipients] == [
        ("COD", 60.0),
        ("UGA", 40.0),
    ]
    assert [(s.vocabulary, s.code) for s in programme.sectors] == [("1", "15160"), ("1", "15170")]
    budget, planned = programme.budgets
    assert (str(budget.value), budget.currency, str(budget.value_date)) == (
        "250000.00",
        "CHF",  # the default currency
        "2024-01-01",  # the period start
    )
    assert (planned.kind, str(planned.value), planned.currency) == (
        "planned-disbursement",
        "100000.50",
        "USD",
    )
    created = audit_rows(session, "capacity_programme")
    assert [(e.action, e.actor, e.entity_id) for e in created] == [
        ("create", "ed", str(programme.id))
    ]
    assert (created[0].after or {})["title"] == programme.title

    # an entered programme exports and validates as IATI 2.03
    root = etree.fromstring(export_iati(session, ProgrammeFilter(ids=(programme.id,))).xml)
    assert schema.validate(root), schema.error_log
    assert root.findtext("iati-activity/iati-identifier") == programme.natural_key
    assert [c.get("code") for c in root.findall("iati-activity/recipient-country")] == ["CD", "UG"]

    # no participant given: the donor is recorded as funder (IATI needs one)
    edit.update_programme(
        session, "ed2", programme.id, programme_in(title="NHRC support", participants=[])
    )
    session.commit()
    assert [(p.role, p.org_ref) for p in programme.participants] == [("1", "XM-DAC-41304")]
    update = audit_rows(session, "capacity_programme")[-1]
    assert (update.action, update.actor) == ("update", "ed2")
    assert (update.before or {})["title"] != (update.after or {})["title"] == "NHRC support"
    # the same values again: nothing changes, nothing is logged
    edit.update_programme(
        session, "ed2", programme.id, programme_in(title="NHRC support", participants=[])
    )
    session.commit()
    assert len(audit_rows(session, "capacity_programme")) == 2

    activity = edit.add_activity(
        session, "ed", programme.id, ActivityIn(title="Workshop in Goma", start_date="2024-05-02")
    )
    session.commit()
    assert (activity.programme_id, activity.created_by) == (programme.id, "ed")
    edit.update_activity(session, "ed3", activity.id, ActivityIn(title="Workshop in Bukavu"))
    session.commit()
    entries = audit_rows(session, "capacity_activity")
    assert [(e.action, e.actor) for e in entries] == [("create", "ed"), ("update", "ed3")]
    assert (entries[1].after or {})["title"] == "Workshop in Bukavu"


def test_validation_names_each_field(session: Session) -> None:
    bad = programme_in(
        title="  ",
        description="a NUL \x00 byte",
        reporting_org_ref="GB GOV 1",
        reporting_org_type="",
        status_code="",
        planned_start="2024-13-01",
        planned_end="",
        default_currency="EURO",
        recipients=[RecipientIn(state="Narnia")],
        sectors=[SectorIn(code="1516", percentage=70), SectorIn(code="15170", percentage=20)],
        budgets=[BudgetIn(period_start="2024-06-01", period_end="2024-01-01", value="abc")],
    )
    with pytest.raises(FieldErrors) as caught:
        edit.create_programme(session, "ed", bad)
    errors = caught.value.errors
    assert errors["title"] == "is required"
    assert errors["description"] == "contains a NUL character"
    assert "no spaces" in errors["reporting_org_ref"]
    assert "required" in errors["reporting_org_type"]
    assert "required" in errors["status_code"]
    assert "not a date" in errors["planned_start"]
    assert "currency" in errors["default_currency"]
    assert "Narnia" in errors["recipients.0.state"]
    assert "DAC 5-digit" in errors["sectors.0.code"]
    assert "add up to 100" in errors["sectors"]
    assert "ends before it starts" in errors["budgets.0.period_end"]
    assert "not a number" in errors["budgets.0.value"]
    assert caught.value.to_dict()["fields"] == errors
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Programme)) == 0
    assert audit_rows(session, "capacity_programme") == []

    # once the IATI codelists are loaded, codes are checked against them
    session.add_all(
        [
            CodelistItem(codelist="ActivityStatus", code="2", name="Implementation"),
            CodelistItem(codelist="OrganisationType", code="40", name="Multilateral"),
            CodelistItem(codelist="OrganisationType", code="10", name="Government"),
            CodelistItem(codelist="Sector", code="15160", name="Human rights"),
        ]
    )
    session.flush()
    with pytest.raises(FieldErrors) as caught:
        edit.create_programme(session, "ed", programme_in(status_code="9", reporting_org_type="41"))
    assert set(caught.value.errors) == {"status_code", "reporting_org_type", "sectors.1.code"}
    made = edit.create_programme(
        session, "ed", programme_in(sectors=[SectorIn(code="15160", percentage="100")])
    )
    assert made.sectors[0].name == "Human rights"  # the codelist's name
    with pytest.raises(FieldErrors) as caught:
        edit.add_activity(session, "ed", made.id, ActivityIn(title="", end_date="soon"))
    assert set(caught.value.errors) == {"title", "end_date"}


# --- pages and API -------------------------------------------------------------------------


@pytest.fixture
def client_of(settings: Settings) -> Iterator[Callable[[str], TestClient]]:
    """Logged-in clients on a fresh store of each backend, one per role."""
    from rightsdesk.web.app import create_app

    app = create_app(settings)
    made: list[TestClient] = []

    def make(role: str) -> TestClient:
        name = f"{role}-{len(made)}"
        add_user(settings, name, role)
        client = TestClient(app)
        login(client, name)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


def csrf_of(client: TestClient, path: str) -> str:
    page = client.get(path)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None, page.text[:500]
    return found.group(1)


def form_data(token: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "csrf_token": token,
        "title": "Police training on the prevention of torture",
        "description": "",
        "reporting_org_ref": "NL-KVK-12345678",
        "reporting_org_name": "Embassy small grants",
        "reporting_org_type": "10",
        "status_code": "2",
        "planned_start": "2024-02-01",
        "planned_end": "2024-11-30",
        "default_currency": "EUR",
        "participant_role": ["4", "1"],
        "participant_name": ["Police academy", ""],
        "participant_ref": ["", ""],
        "participant_type": ["10", ""],
        "recipient_state": ["Uganda", ""],
        "recipient_percentage": ["", ""],
        "sector_vocabulary": ["1", "1"],
        "sector_code": ["15160", ""],
        "sector_name": ["", ""],
        "sector_percentage": ["", ""],
        "budget_kind": ["budget", "budget"],
        "budget_status": ["2", ""],
        "budget_period_start": ["2024-01-01", ""],
        "budget_period_end": ["2024-12-31", ""],
        "budget_value": ["45000", ""],
        "budget_currency": ["", ""],
        "budget_value_date": ["", ""],
    }
    data.update(changes)
    return data


def counts(settings: Settings) -> tuple[int, int]:
    with session_scope(settings.database_url) as s:
        return (
            int(s.scalar(select(func.count()).select_from(Programme)) or 0),
            int(s.scalar(select(func.count()).select_from(AuditEntry)) or 0),
        )


def test_pages_roles_csrf_and_messages(
    client_of: Callable[[str], TestClient], settings: Settings
) -> None:
    viewer, editor = client_of("viewer"), client_of("editor")
    assert viewer.get("/capacity/programmes/new").status_code == 403
    before = counts(settings)
    token = csrf_of(editor, "/capacity/programmes/new")
    vtoken = csrf_of(viewer, "/")  # the logout form of every page carries it
    denied = viewer.post("/capacity/programmes/new", data=form_data(vtoken), follow_redirects=False)
    assert denied.status_code == 403
    forged = editor.post("/capacity/programmes/new", data=form_data(""), follow_redirects=False)
    assert forged.status_code == 403
    assert counts(settings) == before

    wrong = editor.post(
        "/capacity/programmes/new",
        data=form_data(token, title="", planned_start="01/02/2024", sector_code=["15160", "999"]),
        follow_redirects=False,
    )
    assert wrong.status_code == 422
    assert 'id="error-title"' in wrong.text and "is required" in wrong.text
    assert "not a date (expected YYYY-MM-DD)" in wrong.text
    assert 'id="error-sectors-1-code"' in wrong.text
    assert 'value="Police academy"' in wrong.text  # what was typed is kept
    assert counts(settings) == before

    saved = editor.post("/capacity/programmes/new", data=form_data(token), follow_redirects=False)
    assert saved.status_code == 303, saved.text
    found = re.fullmatch(r"/capacity/programmes/(\d+)", saved.headers["location"])
    assert found is not None
    pid = int(found.group(1))
    with session_scope(settings.database_url) as s:
        programme = s.get(Programme, pid)
        assert programme is not None and KEY.match(programme.natural_key)
        assert programme.created_by == "editor-1"
        budgets = [(str(b.value), b.currency, b.status) for b in programme.budgets]
        assert budgets == [("45000.00", "EUR", "2")]
        assert [e.action for e in audit_rows(s, "capacity_programme")] == ["create"]

    page = editor.get(f"/capacity/programmes/{pid}/edit")
    assert page.status_code == 200 and 'value="Police training' in page.text
    assert viewer.get(f"/capacity/programmes/{pid}/edit").status_code == 403
    assert editor.get("/capacity/programmes/999999/edit").status_code == 404
    changed = editor.post(
        f"/capacity/programmes/{pid}/edit",
        data=form_data(token, title="Police training (phase 2)"),
        follow_redirects=False,
    )
    assert (
        changed.status_code == 303 and changed.headers["location"] == f"/capacity/programmes/{pid}"
    )
    added = editor.post(
        f"/capacity/programmes/{pid}/activities",
        data={"csrf_token": token, "title": "Course in Gulu", "start_date": "2024-03-04"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    assert added.headers["location"] == f"/capacity/programmes/{pid}#activities"
    refused = editor.post(
        f"/capacity/programmes/{pid}/activities",
        data={
            "csrf_token": token,
            "title": "Course",
            "start_date": "2024-05-01",
            "end_date": "2024-04-01",
        },
        follow_redirects=False,
    )
    assert refused.status_code == 422 and "ends before it starts" in refused.text
    vdenied = viewer.post(
        f"/capacity/programmes/{pid}/activities",
        data={"csrf_token": vtoken, "title": "x"},
        follow_redirects=False,
    )
    assert vdenied.status_code == 403
    with session_scope(settings.database_url) as s:
        assert s.get(Programme, pid).title == "Police training (phase 2)"  # type: ignore[union-attr]
        assert [a.title for a in s.scalars(select(Activity))] == ["Course in Gulu"]
        actions = [
            (e.entity, e.action) for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]
    assert actions[-2:] == [("capacity_programme", "update"), ("capacity_activity", "create")]


def test_api(client_of: Callable[[str], TestClient], settings: Settings) -> None:
    from rightsdesk.core.security.users import issue_token

    editor_cookie = client_of("editor")
    add_user(settings, "api-editor", "editor")
    add_user(settings, "api-viewer", "viewer")
    with session_scope(settings.database_url) as s:
        etok = issue_token(s, "api-editor", actor="test")
        vtok = issue_token(s, "api-viewer", actor="test")
    anon = TestClient(editor_cookie.app)
    body = programme_in().model_dump()
    before = counts(settings)
    assert anon.post("/api/v1/capacity/programmes", json=body).status_code == 401
    viewer = anon.post(
        "/api/v1/capacity/programmes", json=body, headers={"Authorization": f"Bearer {vtok}"}
    )
    assert viewer.status_code == 403
    assert editor_cookie.post("/api/v1/capacity/programmes", json=body).status_code == 403
    assert counts(settings) == before

    auth = {"Authorization": f"Bearer {etok}"}
    made = anon.post("/api/v1/capacity/programmes", json=body, headers=auth)
    assert made.status_code == 201, made.text
    out = made.json()
    assert KEY.match(out["natural_key"]) and out["created_by"] == "api-editor"
    assert out["url"] == f"/capacity/programmes/{out['id']}"
    assert [r["state"] for r in out["values"]["recipients"]] == ["COD", "UGA"]
    body["title"] = "Renamed"
    put = anon.put(f"/api/v1/capacity/programmes/{out['id']}", json=body, headers=auth)
    assert put.status_code == 200 and put.json()["values"]["title"] == "Renamed"
    act = anon.post(
        f"/api/v1/capacity/programmes/{out['id']}/activities",
        json={"title": "Mission to Kinshasa", "start_date": "2024-09-01"},
        headers=auth,
    )
    assert act.status_code == 201 and act.json()["activities"][0]["title"] == "Mission to Kinshasa"
    aid = act.json()["activities"][0]["id"]
    upd = anon.put(
        f"/api/v1/capacity/activities/{aid}", json={"title": "Mission to Goma"}, headers=auth
    )
    assert upd.status_code == 200 and upd.json()["activities"][0]["title"] == "Mission to Goma"
    bad = anon.post(
        "/api/v1/capacity/programmes",
        json={**body, "status_code": "", "planned_start": "never"},
        headers=auth,
    )
    assert bad.status_code == 400
    assert bad.json()["error"] == "input-error"
    assert set(bad.json()["fields"]) == {"status_code", "planned_start"}
    missing = anon.put("/api/v1/capacity/programmes/999999", json=body, headers=auth)
    assert missing.status_code == 404
    with session_scope(settings.database_url) as s:
        actions = [
            (e.entity, e.action, e.actor)
            for e in s.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity.in_(["capacity_programme", "capacity_activity"]))
                .order_by(AuditEntry.id)
            )
        ]
    assert actions == [
        ("capacity_programme", "create", "api-editor"),
        ("capacity_programme", "update", "api-editor"),
        ("capacity_activity", "create", "api-editor"),
        ("capacity_activity", "update", "api-editor"),
    ]
