"""Treaty pages, the state-page panel and the JSON API, after a real import."""

from __future__ import annotations

from pathlib import Path

import pytest

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.importing import run_import
from rightsdesk.forms import get_importer
from rightsdesk.negotiation.treaties.instruments import SHORTS

TREATIES = "negotiation/treaties"


@pytest.fixture
def viewer(client_for, sqlite_settings: Settings, shared_data: Path):
    with session_scope(sqlite_settings.database_url) as s:
        for kind, rel in (
            ("untc-ratifications", "un_hr_ratifications.csv"),
            ("untreaties-reservations", "untreaties/declarations/4-9.txt"),
        ):
            run_import(s, get_importer(kind), shared_data / TREATIES / rel, actor="test")
    return client_for("viewer")


def test_matrix_page(viewer) -> None:
    page = viewer.get("/treaties")
    assert page.status_code == 200
    html = page.text
    assert 'id="treaty-matrix"' in html and 'class="st-signed"' in html
    assert all(f'href="/treaties/{s}"' in html for s in SHORTS)
    assert '<select name="group"' in html and 'value="UN-WEOG"' in html
    assert 'href="/datasets/' in html
    weog = viewer.get("/treaties", params={"group": "UN-WEOG"}).text
    assert "Norway" in weog and "China" not in weog
    assert viewer.get("/treaties", params={"group": "NATO"}).status_code == 404


def test_instrument_page(viewer) -> None:
    page = viewer.get("/treaties/crc")
    assert page.status_code == 200
    assert 'id="party-count">196<' in page.text
    assert 'id="parties-over-time"' in page.text  # the table readable without JavaScript
    assert 'data-vega-spec="parties-spec"' in page.text
    assert "/static/vendor/vega-embed-bundle.js" in page.text and "/static/charts.js" in page.text
    assert '"$schema"' in page.text and "cumulative" in page.text
    assert viewer.get("/treaties/XYZ").status_code == 404
    assert viewer.get("/static/charts.js").status_code == 200


def test_state_panel(viewer) -> None:
    page = viewer.get("/states/USA")
    assert page.status_code == 200
    html = page.text
    assert '<table class="data" id="state-treaties">' in html
    assert "1977-10-05" in html and "not ratified" in html  # ICESCR signed only
    assert "Fifth, Eighth, and/or Fourteenth Amendments" in html  # CAT reservation
    assert 'href="/datasets/' in html


def test_api(viewer) -> None:
    instruments = viewer.get("/api/v1/treaties").json()
    assert [i["short"] for i in instruments] == list(SHORTS)
    crc = next(i for i in instruments if i["short"] == "CRC")
    assert (crc["parties"], crc["signed_only"], crc["body"]) == (196, 1, "CRC")

    matrix = viewer.get("/api/v1/treaties/matrix", params={"group": "UN-WEOG"}).json()
    nor = next(s for s in matrix["states"] if s["iso3"] == "NOR")
    assert nor["cells"]["ICCPR"]["consent_date"] == "1972-09-13"
    assert nor["cells"]["ICCPR"]["dataset_id"] in matrix["dataset_ids"]
    assert viewer.get("/api/v1/treaties/matrix", params={"group": "x"}).status_code == 404

    usa = viewer.get("/api/v1/states/United States of America/treaties").json()
    cells = {c["instrument"]: c for c in usa["treaties"]}
    assert cells["ICESCR"]["status"] == "signed" and cells["ICESCR"]["party"] is False
    assert "ICESCR" in {g["instrument"] for g in usa["gaps"]}
    assert usa["reservations"][0]["instrument"] == "CAT"
    assert len(usa["dataset_ids"]) == 2

    one = viewer.get("/api/v1/treaties/ICCPR").json()
    assert one["parties"] == len(one["parties_list"]) == 175
    assert one["over_time"][-1]["cumulative"] >= 175
    assert viewer.get("/api/v1/treaties/nope").status_code == 404
    assert viewer.get("/api/v1/states/Narnia/treaties").status_code == 404


def test_api_needs_login(sqlite_settings: Settings) -> None:
    from fastapi.testclient import TestClient

    from rightsdesk.web.app import create_app

    client = TestClient(create_app(sqlite_settings))
    assert client.get("/api/v1/treaties").status_code == 401
    assert client.get("/treaties", follow_redirects=False).status_code == 303
