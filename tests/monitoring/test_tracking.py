"""Implementation tracking: the service (statuses, actions, overdue, dashboard, audit) on both
stores, and who may change records through the pages and the API."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.errors import InputError, NotFoundError
from rightsdesk.core.security.audit import verify_chain
from rightsdesk.core.security.models import AuditEntry
from rightsdesk.monitoring.recommendations.models import Cluster, ClusterMember, Recommendation
from rightsdesk.monitoring.tracking import service as tracking
from rightsdesk.monitoring.tracking.dashboard import dashboard, overdue_actions, record_view
from rightsdesk.monitoring.tracking.models import ImplementationRecord, PlannedAction
from tests.conftest import add_user
from tests.monitoring.conftest import do_import, head_copy, upr_file

TODAY = dt.date(2026, 11, 24)


def load(settings: Settings, shared_data: Path, tmp_path: Path, lines: int = 121) -> None:
    do_import(settings, "upr-info", head_copy(upr_file(shared_data), tmp_path / "t.csv", lines))


def audits(session: Session, entity: str) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)
        )
    )


def test_service_on_both_stores(
    settings: Settings, session: Session, shared_data: Path, tmp_path: Path
) -> None:
    load(settings, shared_data, tmp_path)
    rec = session.scalars(select(Recommendation).order_by(Recommendation.id)).first()
    assert rec is not None
    record = tracking.set_status(
        session,
        "ed",
        "In progress",
        recommendation_id=rec.id,
        responsible_institutions="Ministry of Justice",
    )
    assert (record.status, record.state_iso3) == ("in-progress", rec.state_iso3)
    same = tracking.set_status(session, "ed", "partially_implemented", recommendation_id=rec.id)
    assert same.id == record.id and same.responsible_institutions == "Ministry of Justice"
    late = tracking.add_action(session, "ed", record.id, "Draft the bill", "2026-01-31")
    tracking.add_action(session, "ed", record.id, "Adopt the bill", TODAY + dt.timedelta(days=30))
    done = tracking.add_action(session, "ed", record.id, "Consult NGOs", "2025-06-01")
    tracking.update_action(session, "ed", done.id, done=True)
    ind = tracking.add_indicator(session, "ed", record.id, "Judges trained", "500", "120")
    tracking.update_indicator(session, "ed", ind.id, value="240")
    tracking.add_report(
        session,
        "ed",
        record.id,
        "Bill tabled in parliament",
        "2026-03-01",
        "https://example.org/bill\nhttps://example.org/debate",
    )
    session.commit()
    assert [a.id for a in overdue_actions(session, rec.state_iso3, TODAY)] == [late.id]
    board = dashboard(session, rec.state_iso3, TODAY)
    received = session.scalar(
        select(func.count()).where(Recommendation.state_iso3 == rec.state_iso3)
    )
    assert board.received == received
    assert board.status_counts["partially-implemented"] == 1
    assert sum(board.status_counts.values()) == 1
    assert board.untracked == received - 1
    assert [e.kind for e in board.timeline if e.kind != "status"] == [
        "due",
        "report",
        "due",
        "done",
    ]
    assert [e.overdue for e in board.timeline if e.kind == "due"] == [False, True]
    out = record_view(record, TODAY).model_dump(mode="json")
    assert out["indicators"][0]["value"] == "240"
    assert out["reports"][0]["evidence_links"] == [
        "https://example.org/bill",
        "https://example.org/debate",
    ]
    assert [a["overdue"] for a in out["actions"]] == [False, True, False]
    # every change audited with before and after
    entries = audits(session, "implementation_record")
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[1].before["status"] == "in-progress"  # type: ignore[index]
    assert entries[1].after["status"] == "partially-implemented"  # type: ignore[index]
    assert len(audits(session, "planned_action")) == 4
    ind_entries = audits(session, "implementation_indicator")
    assert ind_entries[-1].before["value"] == "120"  # type: ignore[index]
    assert ind_entries[-1].after["value"] == "240"  # type: ignore[index]
    assert len(audits(session, "progress_report")) == 1
    assert verify_chain(session).ok


def test_cluster_records(
    settings: Settings, session: Session, shared_data: Path, tmp_path: Path
) -> None:
    do_import(
        settings,
        "upr-info",
        head_copy(upr_file(shared_data, "sessions-14-17.csv"), tmp_path / "c.csv", 301),
    )
    cluster = session.scalars(select(Cluster).order_by(Cluster.id)).first()
    assert cluster is not None
    member = session.scalars(
        select(Recommendation).join(ClusterMember).where(ClusterMember.cluster_id == cluster.id)
    ).first()
    assert member is not None
    record = tracking.set_status(
        session, "ed", "implemented", cluster_id=cluster.id, state_iso3=member.state_iso3
    )
    session.commit()
    assert record.recommendation_id is None and record.cluster_id == cluster.id
    board = dashboard(session, member.state_iso3, TODAY)
    members_here = session.scalar(
        select(func.count())
        .select_from(ClusterMember)
        .join(Recommendation)
        .where(
            ClusterMember.cluster_id == cluster.id, Recommendation.state_iso3 == member.state_iso3
        )
    )
    assert members_here is not None
    assert board.untracked == board.received - members_here
    with pytest.raises(InputError, match="implementing state"):
        tracking.set_status(session, "ed", "implemented", cluster_id=cluster.id)


def test_validation(sqlite_settings: Settings, shared_data: Path, tmp_path: Path) -> None:
    load(sqlite_settings, shared_data, tmp_path, 6)
    with session_scope(sqlite_settings.database_url) as session:
        rec_id = session.scalars(select(Recommendation.id)).first()
        assert rec_id is not None
        with pytest.raises(InputError, match="unknown status"):
            tracking.set_status(session, "ed", "finished", recommendation_id=rec_id)
        with pytest.raises(NotFoundError):
            tracking.set_status(session, "ed", "implemented", recommendation_id=999999)
        record = tracking.set_status(session, "ed", "not started", recommendation_id=rec_id)
        with pytest.raises(InputError) as info:
            tracking.add_action(session, "ed", record.id, "x", "31/01/2026")
        assert info.value.location.field == "due_date"
        with pytest.raises(InputError) as info:
            tracking.add_report(session, "ed", record.id, "done", None, "javascript:alert(1)")
        assert info.value.location.field == "evidence_links"
        with pytest.raises(InputError, match="required"):
            tracking.add_indicator(session, "ed", record.id, "  ")


# --- who may change: pages and API --------------------------------------------------------


def csrf_of(client: Any, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)


def state_of_store(settings: Settings) -> tuple[int, int, int]:
    with session_scope(settings.database_url) as s:
        return (
            int(s.scalar(select(func.count()).select_from(ImplementationRecord)) or 0),
            int(s.scalar(select(func.count()).select_from(PlannedAction)) or 0),
            int(s.scalar(select(func.count()).select_from(AuditEntry)) or 0),
        )


def first_rec(settings: Settings) -> int:
    with session_scope(settings.database_url) as s:
        rec_id = s.scalars(select(Recommendation.id).order_by(Recommendation.id)).first()
        assert rec_id is not None
        return rec_id


def test_viewer_cannot_change_editor_can(
    client_for: Any, sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    load(sqlite_settings, shared_data, tmp_path, 21)
    rec_id = first_rec(sqlite_settings)
    viewer = client_for("viewer")
    editor = client_for("editor")
    token = csrf_of(viewer, f"/recommendations/{rec_id}")
    page = viewer.get(f"/recommendations/{rec_id}")
    assert "Start tracking" not in page.text  # no edit form for viewers
    before = state_of_store(sqlite_settings)
    denied = viewer.post(
        f"/recommendations/{rec_id}/implementation",
        data={"csrf_token": token, "status": "implemented"},
        follow_redirects=False,
    )
    assert denied.status_code == 403
    assert state_of_store(sqlite_settings) == before

    token = csrf_of(editor, f"/recommendations/{rec_id}")
    assert "Start tracking" in editor.get(f"/recommendations/{rec_id}").text
    # without the CSRF token: refused, nothing written
    forged = editor.post(
        f"/recommendations/{rec_id}/implementation",
        data={"status": "implemented"},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    assert state_of_store(sqlite_settings) == before
    ok = editor.post(
        f"/recommendations/{rec_id}/implementation",
        data={
            "csrf_token": token,
            "status": "in-progress",
            "responsible_institutions": "Ombudsman",
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303
    with session_scope(sqlite_settings.database_url) as s:
        record = s.scalars(select(ImplementationRecord)).one()
        record_id = record.id
        assert (record.status, record.updated_by) == ("in-progress", "editor-1")
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.entity == "implementation_record")
        ).one()
        assert (entry.actor, entry.action) == ("editor-1", "create")
    posted = editor.post(
        f"/implementation/records/{record_id}/actions",
        data={
            "csrf_token": token,
            "description": "Draft decree",
            "due_date": "2020-01-01",
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert posted.status_code == 303
    assert posted.headers["location"].startswith(f"/recommendations/{rec_id}")
    page = editor.get(f"/recommendations/{rec_id}")
    assert "Draft decree" in page.text and "overdue" in page.text
    # the viewer still cannot add anything to the record
    before = state_of_store(sqlite_settings)
    for path, data in [
        (f"/implementation/records/{record_id}/actions", {"description": "x"}),
        (f"/implementation/records/{record_id}/reports", {"text": "x"}),
        (f"/implementation/records/{record_id}/indicators", {"name": "x"}),
    ]:
        vtoken = csrf_of(viewer, f"/recommendations/{rec_id}")
        r = viewer.post(path, data={"csrf_token": vtoken, **data}, follow_redirects=False)
        assert r.status_code == 403
    assert state_of_store(sqlite_settings) == before
    dash = viewer.get("/implementation/AFG")
    assert dash.status_code == 200 and "Draft decree" in dash.text


def test_api_writes(
    client_for: Any, sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    from fastapi.testclient import TestClient

    from rightsdesk.core.security.users import issue_token

    load(sqlite_settings, shared_data, tmp_path, 21)
    rec_id = first_rec(sqlite_settings)
    viewer_cookie = client_for("viewer")
    editor_cookie = client_for("editor")
    add_user(sqlite_settings, "api-editor", "editor")
    add_user(sqlite_settings, "api-viewer", "viewer")
    with session_scope(sqlite_settings.database_url) as s:
        etok = issue_token(s, "api-editor", actor="test")
        vtok = issue_token(s, "api-viewer", actor="test")
    app = editor_cookie.app
    anon = TestClient(app)
    body = {"status": "in progress", "responsible_institutions": "Ministry"}
    before = state_of_store(sqlite_settings)
    r = anon.put(
        f"/api/v1/implementation/recommendations/{rec_id}",
        json=body,
        headers={"Authorization": f"Bearer {vtok}"},
    )
    assert r.status_code == 403
    # a browser session alone (no token) cannot write through the API either
    assert (
        editor_cookie.put(f"/api/v1/implementation/recommendations/{rec_id}", json=body).status_code
        == 403
    )
    assert (
        anon.put(f"/api/v1/implementation/recommendations/{rec_id}", json=body).status_code == 401
    )
    assert state_of_store(sqlite_settings) == before
    auth = {"Authorization": f"Bearer {etok}"}
    r = anon.put(f"/api/v1/implementation/recommendations/{rec_id}", json=body, headers=auth)
    assert r.status_code == 200, r.text
    record = r.json()
    assert record["status"] == "in-progress"
    r = anon.post(
        f"/api/v1/implementation/records/{record['id']}/actions",
        json={"description": "Train judges", "due_date": "2020-05-01"},
        headers=auth,
    )
    assert r.json()["actions"][0]["overdue"] is True
    action_id = r.json()["actions"][0]["id"]
    r = anon.put(f"/api/v1/implementation/actions/{action_id}", json={"done": True}, headers=auth)
    assert r.json()["actions"][0]["done"] is True
    r = anon.post(
        f"/api/v1/implementation/records/{record['id']}/reports",
        json={"text": "Done", "date": "2021-01-01", "evidence_links": ["https://example.org/r"]},
        headers=auth,
    )
    assert r.json()["reports"][0]["evidence_links"] == ["https://example.org/r"]
    bad = anon.put(
        f"/api/v1/implementation/recommendations/{rec_id}", json={"status": "sort of"}, headers=auth
    )
    assert bad.status_code == 400 and bad.json()["error"] == "input-error"
    # viewers read
    got = viewer_cookie.get(f"/api/v1/recommendations/{rec_id}").json()
    assert got["implementation"]["status"] == "in-progress"
    dash = viewer_cookie.get("/api/v1/implementation/AFG").json()
    assert dash["status_counts"]["in-progress"] == 1 and dash["overdue"] == []
    with session_scope(sqlite_settings.database_url) as s:
        actors = set(
            s.scalars(
                select(AuditEntry.actor).where(
                    AuditEntry.entity.in_(
                        ["implementation_record", "planned_action", "progress_report"]
                    )
                )
            )
        )
        assert actors == {"api-editor"}
