"""The sanctions pages and their JSON API twins on a small store of known rows (both stores):
who may open them, what they show (names in their scripts, designations, history, human
rights regimes), the empty state, and the FollowTheMoney download checked with the
followthemoney library itself."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from tests.conftest import add_user, login
from tests.sanctions import pages_seed as seed
from tests.sanctions.pages_seed import Client, client_as_fixture, seeded_fixture  # noqa: F401

PAGES = (
    "/sanctions",
    "/sanctions/programmes",
    "/sanctions/programmes?hr=yes",
    "/sanctions/programmes/US-GLOMAG",
    "/sanctions/entities",
    f"/sanctions/entities/{seed.KADYROV}",
)


@pytest.mark.parametrize("path", PAGES)
def test_pages_open_for_viewers_and_not_for_strangers(client_as: Client, path: str) -> None:
    resp = client_as("viewer").get(path)
    assert resp.status_code == 200, resp.text[:500]
    assert "Traceback" not in resp.text
    stranger = client_as("anonymous").get(path, follow_redirects=False)
    assert stranger.status_code == 303 and stranger.headers["location"].startswith("/login")


def test_overview_shows_lists_as_of_their_version_and_recent_changes(client_as: Client) -> None:
    page = client_as("viewer").get("/sanctions").text
    assert "OFAC Specially Designated Nationals" in page and "2024-05-03" in page
    assert "UN Security Council Consolidated List" in page and "2026-02-27" in page
    api = client_as("viewer").get("/api/v1/sanctions/lists").json()
    by_key = {row["key"]: row for row in api["lists"]}
    assert by_key[seed.OFAC]["version_date"] == "2024-05-03"
    assert by_key[seed.OFAC]["active_entities"] == 2  # the delisted person is not in force
    assert api["recent_changes"] == [
        {
            "list_key": seed.OFAC,
            "version_date": "2024-05-03",
            "previous_version": "2021-01-04",
            "added": 1,
            "removed": 1,
            "changed": 1,
        }
    ]
    assert api["human_rights_programmes"] == 1


def test_programmes_filter_the_human_rights_regimes(client_as: Client) -> None:
    client = client_as("viewer")
    hr = client.get("/api/v1/sanctions/programmes?hr=yes").json()
    assert [p["key"] for p in hr] == ["US-GLOMAG"]
    # in force: the person and the vessel; all: the delisted person too
    assert (hr[0]["active_designations"], hr[0]["designations"]) == (2, 3)
    other = client.get("/api/v1/sanctions/programmes?hr=no").json()
    assert [p["key"] for p in other] == ["UN-SC1267"]
    page = client.get("/sanctions/programmes?hr=yes").text
    assert "Global Magnitsky Sanctions" in page and "ISIL" not in page
    assert "<td>US Treasury (OFAC)</td>" in page  # the issuer in words, not us_ofac
    bad = client.get("/api/v1/sanctions/programmes?hr=maybe")
    assert bad.status_code == 400 and bad.json()["field"] == "hr"


def test_programme_page_counts_designations_per_year_and_draws_them(client_as: Client) -> None:
    client = client_as("viewer")
    detail = client.get("/api/v1/sanctions/programmes/US-GLOMAG").json()
    years = {(y["year"], y["authority"]): y["count"] for y in detail["per_year"]}
    assert years == {
        (2017, "US Treasury OFAC"): 1,
        (2018, "US Treasury OFAC"): 1,
        (2022, "US Treasury OFAC"): 1,
    }
    assert [d["entity_id"] for d in detail["designations"]] == [
        seed.VESSEL,
        seed.DELISTED,
        seed.KADYROV,
    ]  # newest listing first
    page = client.get("/sanctions/programmes/US-GLOMAG").text
    assert 'data-vega-spec="programme-years-spec"' in page
    assert client.get("/sanctions/programmes/NO-SUCH").status_code == 404


def test_entity_search_finds_names_in_any_script_and_filters(client_as: Client) -> None:
    client = client_as("viewer")

    def ids(query: str) -> list[str]:
        body = client.get("/api/v1/sanctions/entities" + query).json()
        return [row["entity_id"] for row in body["items"]]

    assert ids("?q=кадыров") == [seed.KADYROV]  # Cyrillic, other case
    assert ids("?q=kadyrov") == [seed.KADYROV]
    assert ids("?q=" + seed.ORG) == [seed.ORG]  # an id
    assert ids("?q=%25") == []  # a LIKE wildcard is a character, not "anything"
    assert sorted(ids("?country=RUS")) == sorted([seed.KADYROV, seed.VESSEL, seed.DELISTED])
    assert sorted(ids("?country=RUS&status=active")) == sorted([seed.KADYROV, seed.VESSEL])
    assert ids("?programme=GLOMAG&schema=Vessel") == [seed.VESSEL]  # the list's own code
    assert ids("?list=un_sc_sanctions") == [seed.ORG]
    assert sorted(ids("?hr=yes")) == sorted([seed.KADYROV, seed.VESSEL, seed.DELISTED])
    assert ids("?hr=yes&status=active&schema=Person") == [seed.KADYROV]
    assert client.get("/api/v1/sanctions/entities?hr=no").status_code == 400
    body = client.get("/api/v1/sanctions/entities?country=RUS").json()
    schemas = {f["value"]: f["count"] for f in body["facets"]["schema"]}
    assert schemas == {"Person": 2, "Vessel": 1}
    assert client.get("/api/v1/sanctions/entities?status=zombie").status_code == 400
    page = client.get("/sanctions/entities?country=RUS").text
    assert "Russian Federation" in page or "Russia" in page
    assert "SEA TESTER" in page and "Test Front Organisation" not in page
    assert f'href="/sanctions/entities/{seed.VESSEL}"' in page  # each row links its page


def test_entity_page_shows_names_designations_and_history(client_as: Client) -> None:
    client = client_as("viewer")
    page = client.get(f"/sanctions/entities/{seed.KADYROV}").text
    for expected in (
        "Рамзан Ахматович Кадыров",  # the original script
        "1976-10-05",
        "Tsentaroy, Chechnya",
        "TEST123456",
        "Global Magnitsky Sanctions",
        "human rights regime",
        "Extrajudicial killings",
        "https://home.treasury.gov/news/press-releases/sm0243",
        "programmes: +UKRAINE-EO13661",  # history
        f"/api/v1/sanctions/entities/{seed.KADYROV}/ftm.json",
    ):
        assert expected in page, expected
    detail = client.get(f"/api/v1/sanctions/entities/{seed.KADYROV}").json()
    assert detail["schema"] == "Person"
    assert {p["name"]: p["values"] for p in detail["facts"]}["nationality"] == ["Russia"]
    assert detail["properties"]["nationality"] == ["ru"] and detail["id"] == seed.KADYROV
    assert [d["program_key"] for d in detail["designations"]] == ["US-GLOMAG", None]
    assert detail["history"][0]["change"] == "changed"
    gone = client.get(f"/api/v1/sanctions/entities/{seed.DELISTED}").json()
    assert gone["active"] is False and gone["designations"][0]["delisted_on"] == "2024-05-03"
    missing = client.get("/api/v1/sanctions/entities/no-such-id")
    assert missing.status_code == 404 and missing.json()["error"] == "not-found"


def test_ftm_download_is_valid_followthemoney(client_as: Client) -> None:
    from followthemoney import model

    resp = client_as("viewer").get(f"/api/v1/sanctions/entities/{seed.KADYROV}/ftm.json")
    assert resp.status_code == 200 and "attachment" in resp.headers["content-disposition"]
    proxies = [model.get_proxy(json.loads(line)) for line in resp.text.splitlines()]
    by_schema = {p.schema.name: p for p in proxies}
    proxy = by_schema["Person"]
    assert proxy.id == seed.KADYROV
    # each designation follows as a Sanction entity pointing at the person
    sanctions = [p for p in proxies if p.schema.name == "Sanction"]
    assert len(sanctions) == 2 and all(s.get("entity") == [seed.KADYROV] for s in sanctions)
    assert "Рамзан Ахматович Кадыров" in proxy.get("alias")
    assert proxy.get("birthDate") == ["1976-10-05"]


def test_bulk_ftm_export_needs_analyst_and_is_audited(client_as: Client, seeded: Settings) -> None:
    from followthemoney import model

    assert (
        client_as("viewer").get("/api/v1/sanctions/entities.ftm.json?country=RUS").status_code
        == 403
    )
    resp = client_as("analyst").get("/api/v1/sanctions/entities.ftm.json?country=RUS&status=active")
    assert resp.status_code == 200
    proxies = [model.get_proxy(json.loads(line)) for line in resp.text.splitlines()]
    listed = sorted(str(p.id) for p in proxies if p.schema.name != "Sanction")
    assert listed == sorted([seed.KADYROV, seed.VESSEL])
    actor, action, entity, after = seed.last_audit(seeded)
    assert (actor, action, entity) == ("sx-analyst", "export", "sanctions_entity")
    assert after["rows"] == 2 and after["criteria"]["country"] == ["RUS"]


def test_empty_store_explains_how_to_import(sqlite_settings: Settings, tmp_path: Path) -> None:
    from rightsdesk.web.app import create_app

    add_user(sqlite_settings, "newcomer", "viewer")
    with TestClient(create_app(sqlite_settings)) as client:
        login(client, "newcomer")
        page = client.get("/sanctions").text
        assert "No sanctions list loaded yet" in page and "rightsdesk import" in page
        entities = client.get("/sanctions/entities").text
        assert "No list is loaded" in entities
        assert client.get("/api/v1/sanctions/lists").json()["lists"] == []
        screen = client.get("/sanctions/screen").text
        assert 'id="screen-empty"' in screen
        token = re.search(r'name="csrf_token" value="([^"]+)"', screen)
        assert token is not None
        answer = client.post("/sanctions/screen", data={"csrf_token": token[1], "name": "A Name"})
        assert answer.status_code == 200 and 'id="screen-none"' in answer.text


def test_state_panel_shows_designations_by_regime_and_over_time(
    client_as: Client, seeded: Settings
) -> None:
    from rightsdesk.sanctions.panel import regimes, sanctions_panel

    with session_scope(seeded.database_url) as s:
        panel = sanctions_panel(s, "rus")
        assert panel is not None and panel.title == "Sanctions and rewards"
        ctx = panel.context
        # nationals: the two Russian people; the Russian-flagged vessel is not counted
        # (queries.NATIONAL_PROPS: nationality, citizenship, jurisdiction, an org's country)
        assert (ctx["entities"], ctx["active"]) == (2, 1)
        rows = regimes(s, "RUS")
        first = rows[0]  # the human rights regime first: one in force, one ended
        assert (first["program_key"], first["human_rights"], first["active"], first["ended"]) == (
            "US-GLOMAG",
            True,
            1,
            1,
        )
        assert rows[1]["program"] == "UKRAINE-EO13661" and rows[1]["program_key"] is None
        years = {(y["year"], y["authority"], y["count"]) for y in ctx["years"]}
        assert years == {
            (2017, "US Treasury OFAC", 1),
            (2018, "US Treasury OFAC", 1),
            (2020, "US Treasury OFAC", 1),
        }
        assert ctx["undated"] == 0
        assert ctx["spec_json"] and '"Year listed"' in ctx["spec_json"]
        syria = sanctions_panel(s, "SYR")
        assert syria is not None and syria.context["regimes"][0]["program_key"] == "UN-SC1267"
    page = client_as("viewer").get("/states/RUS")
    assert page.status_code == 200
    assert "Sanctions and rewards" in page.text and 'id="sanctions-state-regimes"' in page.text
    assert 'data-vega-spec="sanctions-state-spec"' in page.text
    assert page.text.count("vega-embed-bundle.js") == 1  # loaded once, whichever panel does
