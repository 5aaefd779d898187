"""Bloc cohesion with the members of each vote's date, on the real General Assembly votes of
1983-1986 (sessions 38-41) and 2019 (session 74), through the functions, the command-line
contract (``negotiation cohesion GROUP --from --to --format json``), the API and the page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from rightsdesk.core.config import Settings
from rightsdesk.core.db import dispose_engine, session_scope
from rightsdesk.core.importing import run_import
from rightsdesk.core.states import members_at
from rightsdesk.forms import get_importer
from rightsdesk.negotiation.votes import agreement as ag
from rightsdesk.negotiation.votes import service as svc
from rightsdesk.store import init_store
from tests.conftest import add_user, login, make_settings
from tests.negotiation.conftest import RunCli, UnvotesSessions

COLD_WAR_EAST = {"POL", "ROU", "BGR", "HUN", "CZE", "SVK", "EST", "LVA", "LTU", "HRV", "SVN"}


@pytest.fixture(scope="module")
def bloc_store(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[Settings]:
    """A SQLite store with the GA votes of sessions 38-41 (1983-86) and 74 (2019)."""
    from tests.negotiation.conftest import _unvotes_sessions

    unvotes: UnvotesSessions = _unvotes_sessions
    tmp = tmp_path_factory.mktemp("blocs")
    s = make_settings(f"sqlite:///{tmp / 'blocs.db'}", tmp)
    init_store(s)
    path = unvotes(shared_data, tmp / "unvotes", (38, 39, 40, 41, 74))
    with session_scope(s.database_url) as session:
        run_import(session, get_importer("unvotes"), path, actor="test")
    yield s
    dispose_engine(s.database_url)


def test_ec_counts_ten_members_in_1985(bloc_store: Settings) -> None:
    with session_scope(bloc_store.database_url) as session:
        per_year, defect = ag.group_cohesion(session, "EU", years=(1983, 1986))
        assert len(members_at(session, "EU", date(1985, 11, 1))) == 10
    rows = per_year.set_index("year")
    assert rows.loc[1985, "members"] == 10  # the Ten: no Spain or Portugal before 1986
    assert rows.loc[1983, "members"] == 10
    assert rows.loc[1986, "members"] == 12
    assert rows["voters"].loc[1985] <= 10
    # today's 27 applied to 1985 gave about 0.54; the Ten voted far more alike (about 0.75)
    assert rows["cohesion"].loc[1985] > 0.7
    # nobody is a defector of the EC before joining: the Warsaw Pact states are not there
    assert not set(defect["iso3"]) & COLD_WAR_EAST
    assert set(defect["iso3"]) <= {
        "BEL", "FRA", "DEU", "ITA", "LUX", "NLD", "DNK", "IRL", "GBR", "GRC", "ESP", "PRT",
    }  # fmt: skip


def test_uk_counts_for_the_eu_in_2019(bloc_store: Settings) -> None:
    with session_scope(bloc_store.database_url) as session:
        per_year, defect = ag.group_cohesion(session, "EU", years=(2019, 2019))
        assert "GBR" in members_at(session, "EU", date(2019, 12, 1))
        assert "GBR" not in members_at(session, "EU", date(2021, 1, 1))
    assert per_year.set_index("year").loc[2019, "members"] == 28
    assert "GBR" in set(defect["iso3"])


def test_defectors_never_before_joining_on_the_page(bloc_store: Settings) -> None:
    with session_scope(bloc_store.database_url) as session:
        page = svc._bloc_page(session, "EU", svc.VoteScope(from_year=1983, to_year=1986))
    assert {r["members"] for r in page["per_year"]} == {10, 12}
    assert not {d["iso3"] for d in page["defectors"]} & COLD_WAR_EAST


def test_cli_contract_json_rows(bloc_store: Settings, run_cli: RunCli) -> None:
    args = ("cohesion", "EU", "--from", "1983", "--to", "1986", "--format", "json")
    code, out = run_cli(bloc_store, *args)
    assert code == 0, out
    rows = json.loads(out)
    assert isinstance(rows, list)
    assert [set(r) for r in rows] == [{"year", "members", "roll_calls", "cohesion"}] * 4
    assert [r["year"] for r in rows] == [1983, 1984, 1985, 1986]
    assert [r["members"] for r in rows] == [10, 10, 10, 12]
    assert all(isinstance(r["roll_calls"], int) and 0 < r["cohesion"] <= 1 for r in rows)
    # the room's path gives the same bytes; the old option names still work
    assert run_cli(bloc_store, "votes", *args) == (code, out)
    old = ("cohesion", "EU", "--from-year", "1983", "--to-year", "1986", "--format", "json")
    assert run_cli(bloc_store, *old) == (code, out)


def test_cli_defectors_command(bloc_store: Settings, run_cli: RunCli) -> None:
    code, out = run_cli(
        bloc_store, "votes", "defectors", "EU", "--from", "1983", "--to", "1986", "--format",
        "json",
    )  # fmt: skip
    assert code == 0, out
    rows = json.loads(out)
    assert rows and {"iso3", "votes", "defections", "rate"} <= set(rows[0])
    assert not {r["iso3"] for r in rows} & COLD_WAR_EAST
    code, out = run_cli(bloc_store, "cohesion", "EU", "--from", "1985", "--to", "1985")
    words = " ".join(out.split())  # Rich wraps titles to the terminal
    assert code == 0 and "members at each vote" in words and "against the group line" in words


def test_api_and_page_use_members_at_the_date(bloc_store: Settings) -> None:
    from rightsdesk.web.app import create_app

    add_user(bloc_store, "blocs-analyst", "analyst")
    client = TestClient(create_app(bloc_store))
    login(client, "blocs-analyst")
    body = client.get(
        "/api/v1/blocs/eu/cohesion", params={"from_year": 1983, "to_year": 1986}
    ).json()
    assert [r["members"] for r in body["cohesion"]] == [10, 10, 10, 12]
    assert not {d["iso3"] for d in body["defectors"]} & COLD_WAR_EAST
    page = client.get("/blocs", params={"group": "EU", "from_year": 1985, "to_year": 1985})
    assert page.status_code == 200 and "Cohesion (Agreement index, 0 to 1)" in page.text
