"""The sanctions pages and APIs on the real lists of the shared data folder (the programme
registry, the UN list of 2026, OFAC's SDN file of 2024, the EU human rights regime): the
figures the pages show agree with the files, every kind of page opens on real entities, and
screening finds a listed person from a misspelt, reordered name."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from rightsdesk.core.config import Settings
from tests.conftest import add_user, login


@pytest.fixture(scope="module")
def client(sanctions_loaded: Settings) -> Iterator[TestClient]:
    from rightsdesk.web.app import create_app

    web = create_app(sanctions_loaded)
    add_user(sanctions_loaded, "real-analyst", "analyst")
    with TestClient(web) as c:
        login(c, "real-analyst")
        yield c


def test_lists_are_as_of_their_files(client: TestClient) -> None:
    lists = {row["key"]: row for row in client.get("/api/v1/sanctions/lists").json()["lists"]}
    assert lists["un_sc_sanctions"]["version_date"] == "2026-02-27"
    assert lists["us_ofac_sdn"]["version_date"] == "2024-05-03"
    assert lists["us_ofac_sdn"]["entity_count"] > 10_000
    page = client.get("/sanctions").text
    assert "2026-02-27" in page and "2024-05-03" in page


def test_human_rights_regimes_hold_the_magnitsky_designations(client: TestClient) -> None:
    hr = {p["key"]: p for p in client.get("/api/v1/sanctions/programmes?hr=yes").json()}
    assert {"US-GLOMAG", "EU-HR", "GB-HR", "AU-HUMAN"} <= set(hr)
    assert hr["US-GLOMAG"]["active_designations"] > 300  # OFAC's GLOMAG tag, SDN 2024
    assert hr["EU-HR"]["active_designations"] > 100  # Regulation 2020/1998's annex
    detail = client.get("/api/v1/sanctions/programmes/EU-HR").json()
    years = {y["year"] for y in detail["per_year"]}
    assert min(years) == 2021  # the regime's first listings (2 March 2021)
    assert client.get("/sanctions/programmes/EU-HR").status_code == 200


def test_entity_pages_of_each_list_open(client: TestClient) -> None:
    from followthemoney import model

    for list_key in ("un_sc_sanctions", "us_ofac_sdn", "eu_journal_32020R1998"):
        found = client.get(f"/api/v1/sanctions/entities?list={list_key}&per_page=3").json()
        assert found["total"] > 100, list_key
        for row in found["items"]:
            page = client.get(f"/sanctions/entities/{row['entity_id']}")
            assert page.status_code == 200 and 'id="entity-designations"' in page.text
        ftm = client.get(f"/api/v1/sanctions/entities/{found['items'][0]['entity_id']}/ftm.json")
        proxies = [model.get_proxy(json.loads(line)) for line in ftm.text.splitlines()]
        assert proxies[0].id == found["items"][0]["entity_id"]


def test_state_panel_of_north_korea(client: TestClient) -> None:
    page = client.get("/states/PRK").text
    assert 'id="sanctions-state-regimes"' in page and "North Korea Sanctions" in page
    assert 'data-vega-spec="sanctions-state-spec"' in page


def test_screening_finds_a_listed_person_from_a_misspelt_reordered_name(
    client: TestClient,
) -> None:
    import re

    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sanctions/screen").text)
    assert token is not None
    resp = client.post(
        "/api/v1/sanctions/screen",
        json={"name": "Kim Jong Un", "birth_date": "1984-01-08"},
        headers={"X-CSRF-Token": token.group(1)},
    )
    assert resp.status_code == 200, resp.text
    best = resp.json()["hits"][0]
    assert "KIM" in best["caption"].upper() and "JONG UN" in best["caption"].upper()
    typo = client.post(
        "/api/v1/sanctions/match/default",
        json={"queries": {"k": {"schema": "Person", "properties": {"name": ["Jong-un Kimm"]}}}},
        headers={"X-CSRF-Token": token.group(1)},
    )
    assert typo.status_code == 200, typo.text
    results = typo.json()["responses"]["k"]["results"]
    assert results and results[0]["id"] == best["entity_id"] and results[0]["match"] is True
