"""Vote forecasts: the draft forecast, the CLI contract, the pages and the JSON API."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.importing import run_import
from rightsdesk.forms import get_importer
from rightsdesk.negotiation.positions import model_store
from rightsdesk.negotiation.positions.forecast import Forecaster, forecast_draft
from rightsdesk.negotiation.votes.models import Resolution, RollCall, RollCallIssue

if TYPE_CHECKING:
    from tests.negotiation.conftest import RunCli, SyntheticVotes, UnvotesSessions

Client = Callable[[str], TestClient]


def _hr_symbol(settings: Settings, session_no: int = 74) -> str:
    """A human-rights resolution of the session that was put to a recorded vote."""
    with session_scope(settings.database_url) as s:
        stmt = (
            select(Resolution.symbol)
            .join(RollCall, RollCall.resolution_id == Resolution.id)
            .join(RollCallIssue, RollCallIssue.roll_call_id == RollCall.id)
            .where(RollCall.session == session_no, RollCallIssue.issue == "hr")
            .where(Resolution.symbol.is_not(None), RollCall.is_amendment.is_(False))
            .order_by(Resolution.symbol)
        )
        found = s.scalars(stmt).first()
    assert found
    return str(found)


def test_forecast_of_a_recurring_text_on_synthetic_votes(synthetic_votes: SyntheticVotes) -> None:
    frame = synthetic_votes(sessions=5, per_session=60, seed=4, recurring=True)
    model = Forecaster(frame, {"USA": "UN-WEOG", "GBR": "UN-WEOG", "CUB": "UN-GRULAC"})
    result = forecast_draft(model, like="A/RES/5/300", sponsors=["GBR"])
    votes = result.votes.set_index("iso3")
    assert set(votes.index) == {"CUB", "RUS", "IND", "BRA", "GBR", "USA"}
    probs = votes[["p_no", "p_abstain", "p_yes"]].sum(axis=1)
    assert probs.round(6).eq(1.0).all()
    assert votes.loc["GBR", "p_yes"] == 1.0 and bool(votes.loc["GBR", "sponsor"])
    assert sum(result.expected.values()) == pytest.approx(6, abs=0.05)
    assert sum(result.predicted.values()) == 6
    assert result.margin == pytest.approx(result.expected["yes"] - result.expected["no"])
    assert result.like is not None and result.like["session"] == 5 and result.session == 6
    assert all(s["reasons"] for s in result.swing)
    assert "GBR" not in {s["iso3"] for s in result.swing}  # sponsors are not swing states
    payload = result.as_dict()
    assert {"expected", "predicted", "margin", "swing", "votes", "model"} <= set(payload)


def test_cli_forecast_contract(ga_store: Settings, run_cli: RunCli) -> None:
    symbol = _hr_symbol(ga_store)
    code, out = run_cli(ga_store, "forecast", "--body", "unga", "--like", symbol,
                        "--sponsor", "France", "--format", "json")  # fmt: skip
    assert code == 0, out
    data = json.loads(out)
    assert data["like"]["symbol"] == symbol and data["session"] == 75
    assert data["sponsors"] == ["FRA"]
    assert data["expected"]["absent"] > 0  # members that did not vote are predicted too
    assert sum(data["predicted"].values()) == data["members"] == len(data["votes"])
    assert len(data["votes"]) > 150
    assert {"iso3", "p_yes", "p_no", "p_abstain", "predicted"} <= set(data["votes"][0])
    assert data["swing"] and all(s["reasons"] for s in data["swing"])
    code, out = run_cli(ga_store, "forecast", "--like", symbol, "--format", "csv")
    assert code == 0, out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and set(rows[0]) >= {"iso3", "p_yes", "p_abstain", "p_no", "predicted"}
    assert out.splitlines()[0] == "iso3,name,p_yes,p_abstain,p_no,predicted,sponsor,p_absent"
    # the older path is an alias of ``negotiation positions forecast``
    assert run_cli(ga_store, "positions", "forecast", "--like", symbol, "--format", "csv") == (
        code,
        out,
    )
    code, out = run_cli(ga_store, "forecast", "--title", "Situation of human rights in Myanmar")
    assert code == 0 and "swing states" in out and "expected yes" in out
    code, out = run_cli(ga_store, "forecast", "--like", "A/RES/NO/SUCH")
    assert code == 66 and "no roll call" in out
    code, out = run_cli(ga_store, "forecast")
    assert code != 0 and "--like" in out


@pytest.fixture
def web_votes(
    sqlite_settings: Settings,
    shared_data: Path,
    tmp_path: Path,
    unvotes_sessions: UnvotesSessions,
) -> str:
    path = unvotes_sessions(shared_data, tmp_path / "unvotes", (73, 74))
    with session_scope(sqlite_settings.database_url) as s:
        run_import(s, get_importer("unvotes"), path, actor="test")
    return _hr_symbol(sqlite_settings)


def _same_site(page: str) -> dict[str, str]:
    """The page's CSRF token as the header a same-site API write sends."""
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match is not None
    return {"X-CSRF-Token": match.group(1)}


def test_pages_and_api(client_for: Client, web_votes: str) -> None:
    viewer = client_for("viewer")
    page = viewer.get("/positions", params={"states": "USA, Cuba", "issue": "hr"})
    assert page.status_code == 200, page.text
    table = page.text.split('id="positions"')[1]
    assert "(USA)" in table and "(CUB)" in table
    assert 'data-vega-spec="positions-spec"' in page.text
    api = viewer.get("/api/v1/positions", params={"iso3": "USA"})
    assert api.status_code == 200
    rows = api.json()
    assert {r["session"] for r in rows} == {73, 74}
    assert all(r["iso3"] == "USA" and r["ideal_point"] > 0 and r["se"] > 0 for r in rows)
    assert viewer.get("/positions", params={"states": "Atlantis"}).status_code == 404
    assert viewer.get("/forecast").status_code == 403
    viewer_csrf = _same_site(viewer.get("/positions").text)
    denied = viewer.post("/api/v1/forecast", json={"like": web_votes}, headers=viewer_csrf)
    assert denied.status_code == 403 and "does not allow" in denied.json()["message"]

    analyst = client_for("analyst")
    form = analyst.get("/forecast")
    assert form.status_code == 200 and 'id="past-texts"' in form.text
    assert web_votes in form.text
    csrf = _same_site(form.text)  # an API write with the session cookie carries the token
    params = {"like": web_votes, "sponsors": "FRA"}
    page = analyst.get("/forecast", params=params)  # no model yet: trains in the background
    assert page.status_code == 200, page.text
    assert 'id="forecast-training"' in page.text and 'http-equiv="refresh"' in page.text
    busy = analyst.post("/api/v1/forecast", json={"like": web_votes}, headers=csrf)
    assert busy.status_code == 503 and busy.json()["error"] == "model-training"
    model_store.wait_for_training()
    page = analyst.get("/forecast", params=params)
    assert page.status_code == 200, page.text
    assert 'id="provenance"' in page.text
    for part in ("forecast-totals", "forecast-swing", "forecast-votes"):
        assert f'id="{part}"' in page.text
    resp = analyst.post(
        "/api/v1/forecast", json={"like": web_votes, "sponsors": ["France"]}, headers=csrf
    )
    assert resp.status_code == 200, resp.text
    data = resp.json()
    fra = next(v for v in data["votes"] if v["iso3"] == "FRA")
    assert fra["p_yes"] == 1.0 and fra["sponsor"] is True
    assert sum(data["expected"].values()) == pytest.approx(len(data["votes"]), abs=0.1)
    assert analyst.post("/api/v1/forecast", json={}, headers=csrf).status_code == 400
    bad = analyst.post(
        "/api/v1/forecast", json={"title": "x y", "sponsors": ["Atlantis"]}, headers=csrf
    )
    assert bad.status_code == 404 and bad.json()["error"] == "unknown-state"
