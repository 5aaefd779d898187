"""The GSP+ pages and JSON API: the table (filter, legend, a tooltip per cell), a state's page,
recording a status from the web (editor role, CSRF token, audit), and the state-page partial."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from sqlalchemy import select

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.security.models import AuditEntry
from rightsdesk.sanctions.gsp import state_incentives
from rightsdesk.sanctions.models import ConventionStatus
from tests.sanctions.conftest import import_file
from tests.sanctions.test_gsp_import import INCENTIVE_HEADER, STATUS_HEADER, write

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "rightsdesk" / "web" / "templates"


def _seed(settings: Settings, tmp_path: Path) -> None:
    path = write(
        tmp_path / "s.csv",
        STATUS_HEADER
        + "PAK,C029,ratified,1957-12-23,2025-01-01,ILO NORMLEX,\n"
        + "PAK,C029,not-ratified,,2001-01-01,an old register,\n",
    )
    import_file(settings, "gsp-conventions-csv", path)


def _token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_table_page_and_api(client_for, sqlite_settings: Settings, tmp_path: Path) -> None:
    _seed(sqlite_settings, tmp_path)
    viewer = client_for("viewer")
    page = viewer.get("/sanctions/gsp")
    assert page.status_code == 200
    html = page.text
    assert 'id="gsp-table"' in html and 'id="gsp-legend"' in html and "sticky-first" in html
    assert "C029: ratified on 1957-12-23 per ILO NORMLEX as of 2025-01-01" in html
    assert "other sources disagree" in html and "not the same as not ratified" in html
    filtered = viewer.get("/sanctions/gsp", params={"q": "pakis"})
    assert filtered.text.count('href="/sanctions/gsp/') == 1
    none = viewer.get("/sanctions/gsp", params={"show": "qualify"})
    assert "No state matches" in none.text
    api = viewer.get("/api/v1/sanctions/gsp", params={"q": "PAK"}).json()
    assert len(api["conventions"]) == 27 and [s["iso3"] for s in api["states"]] == ["PAK"]
    cell = next(c for c in api["states"][0]["cells"] if c["convention"] == "C029")
    assert cell["status"] == "ratified" and cell["disagree"] is True
    assert cell["other_sources"][0]["source"] == "an old register"
    assert viewer.get("/api/v1/sanctions/gsp", params={"show": "x"}).status_code == 400
    one = viewer.get("/api/v1/sanctions/gsp/pakistan").json()
    assert one["iso3"] == "PAK" and one["unknown"] == 26
    assert viewer.get("/api/v1/sanctions/gsp/Atlantis").status_code == 404


def test_state_page_and_recording(client_for, sqlite_settings: Settings, tmp_path: Path) -> None:
    _seed(sqlite_settings, tmp_path)
    viewer = client_for("viewer")
    page = viewer.get("/sanctions/gsp/PAK")
    assert page.status_code == 200 and "ILO NORMLEX" in page.text
    assert 'id="gsp-record"' not in page.text  # viewers see no form
    assert viewer.get("/sanctions/gsp/pak", follow_redirects=False).status_code == 307
    editor = client_for("editor")
    page = editor.get("/sanctions/gsp/PAK")
    assert 'id="gsp-record"' in page.text
    form = {
        "convention": "C087",
        "status": "ratified",
        "source": "ILO NORMLEX",
        "date": "1951-02-14",
        "as_of": "2025-01-01",
        "note": "",
    }
    forged = editor.post("/sanctions/gsp/PAK", data={**form, "csrf_token": "forged"})
    assert forged.status_code == 403
    denied = viewer.post("/sanctions/gsp/PAK", data={**form, "csrf_token": _token(page.text)})
    assert denied.status_code == 403
    token = _token(page.text)
    done = editor.post(
        "/sanctions/gsp/PAK", data={**form, "csrf_token": token}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"].endswith("#gsp-C087")
    bad = editor.post(
        "/sanctions/gsp/PAK", data={**form, "date": "14/02/1951", "csrf_token": token}
    )
    assert bad.status_code == 422 and "malformed date" in bad.text and "14/02/1951" in bad.text
    with session_scope(sqlite_settings.database_url) as s:
        row = s.scalars(select(ConventionStatus).where(ConventionStatus.convention == "C087")).one()
        assert row.entered_by is not None and row.entered_by.startswith("editor")
        assert row.date == dt.date(1951, 2, 14)
        audited = s.scalars(
            select(AuditEntry).where(AuditEntry.entity == "gsp_convention_status")
        ).all()
        assert len(audited) == 1 and audited[0].after and audited[0].after["status"] == "ratified"


def test_state_partial(sqlite_settings: Settings, tmp_path: Path) -> None:
    """The partial H6's state panel includes, rendered with ``state_incentives``."""
    act = "test list of arrangements"
    path = write(tmp_path / "i.csv", INCENTIVE_HEADER + f"PAK,gsp-plus,2014-01-01,,{act},\n")
    import_file(sqlite_settings, "gsp-incentives-csv", path)
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)
    template = env.get_template("sanctions/_gsp_state.html")
    with session_scope(sqlite_settings.database_url) as s:
        html = template.render(gsp=state_incentives(s, "PAK", today=dt.date(2026, 1, 1)))
        none = template.render(gsp=state_incentives(s, "USA", today=dt.date(2026, 1, 1)))
    assert "GSP+ (special incentive" in html and "since 2014-01-01" in html
    assert "0</strong> of 27 ratified, <strong>27</strong> unknown" in html
    assert "No current EU arrangement recorded" in none
    assert "cannot be told until the unknown statuses are recorded" in none


def test_api_write_needs_an_editor_token(client_for, sqlite_settings: Settings) -> None:
    from fastapi.testclient import TestClient

    from rightsdesk.core.security.users import issue_token
    from tests.conftest import add_user

    cookie_editor = client_for("editor")
    add_user(sqlite_settings, "api-editor", "editor")
    add_user(sqlite_settings, "api-viewer", "viewer")
    with session_scope(sqlite_settings.database_url) as s:
        etok = issue_token(s, "api-editor", actor="test")
        vtok = issue_token(s, "api-viewer", actor="test")
    anon = TestClient(cookie_editor.app)
    body = {"convention": "C138", "status": "ratified", "source": "ILO NORMLEX",
            "date": "1979-04-09", "as_of": "2025-01-01"}  # fmt: skip
    assert anon.put("/api/v1/sanctions/gsp/KEN", json=body).status_code == 401
    assert cookie_editor.put("/api/v1/sanctions/gsp/KEN", json=body).status_code == 403
    viewer = anon.put(
        "/api/v1/sanctions/gsp/KEN", json=body, headers={"Authorization": f"Bearer {vtok}"}
    )
    assert viewer.status_code == 403
    auth = {"Authorization": f"Bearer {etok}"}
    bad = anon.put("/api/v1/sanctions/gsp/KEN", json={**body, "status": "maybe"}, headers=auth)
    assert bad.status_code == 400 and bad.json()["field"] == "status"
    done = anon.put("/api/v1/sanctions/gsp/Kenya", json=body, headers=auth)
    assert done.status_code == 200, done.text
    cell = next(c for c in done.json()["cells"] if c["convention"] == "C138")
    assert cell["status"] == "ratified" and cell["source"] == "ILO NORMLEX"
    with session_scope(sqlite_settings.database_url) as s:
        row = s.scalars(select(ConventionStatus)).one()
        assert row.entered_by == "api-editor"
