"""Votes pages and JSON API: lists, a roll call, a state's profile and panel, blocs, roles."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.importing import run_import
from rightsdesk.forms import get_importer
from rightsdesk.negotiation.votes.models import Resolution, RollCall
from tests.store_templates import Build, StoreTemplates

if TYPE_CHECKING:
    from tests.negotiation.conftest import UnvotesSessions

Client = Callable[[str], TestClient]


def _build(shared_data: Path, unvotes_sessions: UnvotesSessions) -> Build:
    def build(settings: Settings) -> None:
        hrc = shared_data / "negotiation" / "hrc"
        folder = Path(settings.data_dir) / "unvotes"
        files = [
            ("hrc-resolutions", hrc / "resolutions.csv"),
            ("hrc-votes", hrc / "votes_long.csv"),
            ("unvotes", unvotes_sessions(shared_data, folder, (74,))),
        ]
        with session_scope(settings.database_url) as s:
            for kind, path in files:
                run_import(s, get_importer(kind), path, actor="test")

    return build


@pytest.fixture
def loaded(
    sqlite_settings: Settings,
    shared_data: Path,
    unvotes_sessions: UnvotesSessions,
    store_templates: StoreTemplates,
) -> dict[str, int]:
    """HRC/CHR in full and the 2019 General Assembly votes; returns some roll call ids. Each
    test gets its own copy of a store imported once per test process (the tests write)."""
    build = _build(shared_data, unvotes_sessions)
    store_templates.replace(sqlite_settings.database_url, "votes-web", build)
    with session_scope(sqlite_settings.database_url) as s:

        def rc(symbol: str) -> int:
            found = s.scalar(
                select(RollCall.id).join(Resolution).where(Resolution.symbol == symbol)
            )
            assert found is not None
            return int(found)

        return {"mismatch": rc("E/CN.4/RES/2001/35"), "ga": rc("A/RES/74/251")}


def test_votes_list_and_search(client_for: Client, loaded: dict[str, int]) -> None:
    viewer = client_for("viewer")
    page = viewer.get("/votes")
    assert page.status_code == 200
    assert 'id="votes-list"' in page.text
    hits = viewer.get("/votes", params={"body": "hrc", "q": "Myanmar"})
    assert "Myanmar" in hits.text
    listed = hits.text.split('id="votes-list"')[1].split("</table>")[0]
    assert "Belarus" not in listed
    # words, not codes: the body and how the text was adopted
    assert "<td>Human Rights Council</td>" in listed and "<td>hrc</td>" not in listed
    assert "adopted without a vote" in listed and "without-vote" not in listed
    ga = viewer.get("/votes", params={"body": "unga", "session": 74, "issue": "hr"})
    assert "A/RES/74/" in ga.text
    assert viewer.get("/votes", params={"body": "hrc chr"}).status_code == 200
    bad = viewer.get("/votes", params={"body": "security-council"})
    assert bad.status_code == 400


def test_roll_call_page(client_for: Client, loaded: dict[str, int]) -> None:
    viewer = client_for("viewer")
    page = viewer.get(f"/votes/{loaded['mismatch']}")
    assert page.status_code == 200
    assert 'id="totals-mismatch"' in page.text  # 38-15-0 official, 38-0-15 recorded
    assert 'id="vote-groups"' in page.text and 'id="vote-states"' in page.text
    assert "groups-spec" in page.text  # the chart enhances the tables
    groups = page.text.split('id="vote-groups"')[1].split("</table>")[0]
    assert "Asia-Pacific Group" in groups and "UN-APG" not in groups
    assert "Commission on Human Rights" in page.text
    ga = viewer.get(f"/votes/{loaded['ga']}")
    assert "not published in this source" in ga.text
    assert 'id="totals-mismatch"' not in ga.text
    assert viewer.get("/votes/99999999").status_code == 404


def test_state_profile_and_panel(client_for: Client, loaded: dict[str, int]) -> None:
    viewer = client_for("viewer")
    page = viewer.get("/states/FRA/votes", params={"with": "USA,RUS", "body": "hrc+chr"})
    assert page.status_code == 200, page.text
    table = page.text.split('id="state-agreement"')[1].split("</table>")[0]
    assert "USA" in table and "RUS" in table
    assert "United States of America" in table and "Russian Federation" in table
    assert 'id="agreement-period"' in page.text
    assert "Human Rights Council and Commission on Human Rights roll calls" in page.text
    assert 'id="state-hr-votes"' in page.text
    assert "agreement-spec" in page.text
    state = viewer.get("/states/FRA")
    assert 'id="state-votes-panel"' in state.text
    assert "/states/FRA/votes" in state.text


def test_api(client_for: Client, loaded: dict[str, int]) -> None:
    viewer = client_for("viewer")
    listing = viewer.get("/api/v1/votes", params={"body": "chr", "q": "2001/35"}).json()
    assert listing["total"] >= 1
    item = next(i for i in listing["items"] if i["symbol"] == "E/CN.4/RES/2001/35")
    assert item["official"] == {"yes": 38, "no": 15, "abstain": 0}
    assert item["recorded"]["no"] == 0
    one: dict[str, Any] = viewer.get(f"/api/v1/votes/{loaded['ga']}").json()
    assert sum(one["recorded"].values()) == len(one["votes"])
    # members without a recorded vote are shown as absent (unvotes drops them)
    assert {v["vote"] for v in one["votes"]} <= {"yes", "no", "abstain", "absent"}
    assert viewer.get("/api/v1/votes/99999999").json()["error"] == "not-found"


def test_heavy_routes_need_analyst(client_for: Client, loaded: dict[str, int]) -> None:
    viewer = client_for("viewer")
    assert viewer.get("/api/v1/states/USA/agreement").status_code == 403
    assert viewer.get("/api/v1/blocs/EU/cohesion").status_code == 403
    assert viewer.get("/blocs").status_code == 403
    analyst = client_for("analyst")
    agreement = analyst.get(
        "/api/v1/states/USA/agreement", params={"from_year": 2019, "to_year": 2019}
    ).json()
    partners = {p["partner"]: p for p in agreement["partners"]}
    assert partners["ISR"]["agreement"] > 0.9 > partners["CUB"]["agreement"]
    cohesion = analyst.get("/api/v1/blocs/eu/cohesion", params={"body": "unga"}).json()
    assert cohesion["group"] == "EU"
    assert 0.5 < cohesion["cohesion"][0]["cohesion"] <= 1
    page = analyst.get("/blocs", params={"group": "OIC", "body": "hrc+chr"})
    assert page.status_code == 200
    assert 'id="bloc-cohesion"' in page.text and 'id="bloc-defectors"' in page.text
    assert "Voting cohesion of the Organisation of Islamic Cooperation" in page.text
    period = page.text.split('id="bloc-period"')[1].split("</p>")[0]
    assert "roll calls" in period and "–" in period
    assert analyst.get("/api/v1/blocs/NOPE/cohesion").status_code == 404


def test_api_needs_login(sqlite_settings: Settings) -> None:
    from rightsdesk.web.app import create_app

    client = TestClient(create_app(sqlite_settings))
    assert client.get("/api/v1/votes").status_code == 401
    assert client.get("/votes", follow_redirects=False).status_code == 303
