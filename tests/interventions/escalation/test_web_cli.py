"""The escalation page, its JSON API and the command line on a store with real data: the
same view in three shapes, readers only, and an unknown state refused with its name."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from tests.conftest import StoreTemplate
from tests.interventions.escalation.conftest import TEMPLATE, build_real

ClientFor = Callable[[str], TestClient]


#: every test starts from the template (``tests/conftest.py`` reads it from the fixture names)
pytestmark = pytest.mark.usefixtures("store_template")


@pytest.fixture(scope="module")
def store_template(shared_data: Path) -> StoreTemplate:
    return TEMPLATE, build_real(shared_data)


def test_page_shows_risk_responses_options_and_sources(client_for: ClientFor) -> None:
    viewer = client_for("viewer")
    page = viewer.get("/interventions/escalation/MMR")
    assert page.status_code == 200, page.text
    text = page.text
    for heading in (
        "Assessed risk",
        "Next options",
        "Responses so far",
        "The ladder of options",
        "Sources and data up to",
    ):
        assert heading in text
    assert "Situation of human rights in Myanmar" in text
    assert "Security Council vetoes" in text and "2022-07-08" in text
    assert 'id="step-court"' in text


def test_api_returns_the_view(client_for: ClientFor) -> None:
    viewer = client_for("viewer")
    resp = viewer.get("/api/v1/interventions/escalation/syr")
    assert resp.status_code == 200
    data = resp.json()
    assert data["iso3"] == "SYR" and data["name"] == "Syrian Arab Republic"
    assert [s["step"] for s in data["steps"]] == list(range(1, 11))
    assert any(u["category"] == "veto" for u in data["used"])
    assert all({"name", "data_up_to", "note"} <= set(s) for s in data["sources"])


def test_unknown_state_is_a_404_naming_it(client_for: ClientFor) -> None:
    viewer = client_for("viewer")
    resp = viewer.get("/api/v1/interventions/escalation/Atlantis")
    assert resp.status_code == 404 and "Atlantis" in resp.text
    assert viewer.get("/interventions/escalation/Atlantis").status_code == 404


def test_anonymous_callers_are_refused(sqlite_settings: Settings) -> None:
    from rightsdesk.web.app import create_app

    with TestClient(create_app(sqlite_settings)) as anonymous:
        assert anonymous.get("/api/v1/interventions/escalation/MMR").status_code == 401
        page = anonymous.get("/interventions/escalation/MMR", follow_redirects=False)
        assert page.status_code in (302, 303, 307) and "/login" in page.headers["location"]


def _cli(settings: Settings, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        app,
        ["--database", settings.database_url, "interventions", "escalation", *args],
        env={"RIGHTSDESK_SECRET_KEY": settings.secret_key, "COLUMNS": "200"},
    )
    return result.exit_code, result.stdout, result.stderr


def test_cli_show_table_and_json(sqlite_settings: Settings) -> None:
    code, out, _ = _cli(sqlite_settings, "show", "Myanmar")
    assert code == 0, out
    assert "Myanmar (MMR)" in out and "The ladder" in out and "data up to" in out
    code, out, _ = _cli(sqlite_settings, "show", "MMR", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["iso3"] == "MMR" and data["next_options"]


def test_cli_unknown_state_is_a_clear_error(sqlite_settings: Settings) -> None:
    code, out, err = _cli(sqlite_settings, "show", "Atlantis")
    assert code == 66
    assert "error:" in err and "Atlantis" in err and "Traceback" not in out + err


def test_state_section_and_its_partial(sqlite_settings: Settings) -> None:
    from rightsdesk.core.db import session_scope
    from rightsdesk.interventions.escalation.public import state_section
    from rightsdesk.web.app import create_app

    with session_scope(sqlite_settings.database_url) as db:
        sec = state_section(db, "MMR", None)
        assert state_section(db, "XXX", None) is None
        assert sec is not None and sec["url"] == "/interventions/escalation/MMR"
        assert dict(sec["counts"])["UN resolutions naming the state"] >= 40
        assert [n["title"] for n in sec["next"]][0] == "Private démarche or bilateral dialogue"
    templates = create_app(sqlite_settings).state.templates
    html = templates.get_template("interventions/_escalation_state.html").render(sec=sec)
    assert html.lstrip().startswith("<section") and "<h2>Escalation options</h2>" in html
    assert 'href="/interventions/escalation/MMR"' in html
