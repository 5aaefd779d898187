"""Forecasts that agree and answer fast: one saved model per body and data version, shared by
the CLI and the API; unknown symbols refused before any training; only members counted;
absences predicted; sponsors as a feature. On the real Human Rights Council votes."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from rightsdesk.core.config import Settings
from rightsdesk.core.db import dispose_engine, session_scope
from rightsdesk.negotiation.positions import model_store
from rightsdesk.negotiation.positions.forecast import Forecaster, forecast_draft
from rightsdesk.negotiation.votes.models import Resolution, RollCall
from tests.conftest import add_user, login, make_settings
from tests.negotiation.conftest import build_hrc
from tests.store_templates import StoreTemplates, ready

if TYPE_CHECKING:
    from tests.negotiation.conftest import RunCli, SyntheticVotes


@pytest.fixture(scope="module")
def hrc_store(
    tmp_path_factory: pytest.TempPathFactory, shared_data: Path, store_templates: StoreTemplates
) -> Iterator[Settings]:
    """A SQLite store with the real HRC and CHR resolutions and votes (a copy of the store
    imported once per test process; the model folder is this module's own)."""
    tmp = tmp_path_factory.mktemp("hrc")
    s = make_settings(f"sqlite:///{tmp / 'hrc.db'}", tmp)
    store_templates.create(s.database_url, "hrc", build_hrc(shared_data))
    ready(s)
    yield s
    dispose_engine(s.database_url)


def _latest_sponsored(settings: Settings) -> tuple[str, str]:
    """(symbol, main sponsors) of the latest recorded HRC vote on a text with sponsors."""
    with session_scope(settings.database_url) as s:
        row = s.execute(
            select(Resolution.symbol, Resolution.main_sponsors)
            .join(RollCall, RollCall.resolution_id == Resolution.id)
            .where(RollCall.body == "hrc", Resolution.main_sponsors.is_not(None))
            .where(Resolution.symbol.is_not(None), RollCall.is_amendment.is_(False))
            .order_by(RollCall.date.desc(), RollCall.id.desc())
        ).first()
    assert row is not None
    return str(row[0]), str(row[1])


def _forecast(run_cli: RunCli, settings: Settings, *args: str) -> dict[str, Any]:
    code, out = run_cli(settings, "forecast", "--body", "hrc", *args, "--format", "json")
    assert code == 0, out
    parsed: dict[str, Any] = json.loads(out[out.index("{") :])
    return parsed


def test_model_saved_once_and_shared_by_cli_and_api(hrc_store: Settings, run_cli: RunCli) -> None:
    symbol, _ = _latest_sponsored(hrc_store)
    before = model_store.TRAINED["count"]
    cli = _forecast(run_cli, hrc_store, "--like", symbol)
    files = list((Path(hrc_store.data_dir) / "models").glob("forecaster-*.pickle"))
    assert len(files) == 1
    trained = model_store.TRAINED["count"]
    assert trained <= before + 1
    mtime = files[0].stat().st_mtime_ns
    model_store.forget()  # a new process: reads the saved file, does not train
    again = _forecast(run_cli, hrc_store, "--like", symbol)
    assert model_store.TRAINED["count"] == trained
    assert files[0].stat().st_mtime_ns == mtime
    assert again["votes"] == cli["votes"]

    from rightsdesk.web.app import create_app

    add_user(hrc_store, "forecaster", "analyst")
    with TestClient(create_app(hrc_store)) as client:
        login(client, "forecaster")
        page = client.get("/forecast", params={"body": "hrc"}).text
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        resp = client.post(
            "/api/v1/forecast",
            json={"body": "hrc", "like": symbol},
            headers={"X-CSRF-Token": token},
        )
    assert resp.status_code == 200, resp.text
    api = resp.json()
    assert model_store.TRAINED["count"] == trained  # the API used the same saved model
    by_cli = {
        v["iso3"]: (v["p_yes"], v["p_no"], v["p_abstain"], v["p_absent"]) for v in cli["votes"]
    }
    by_api = {
        v["iso3"]: (v["p_yes"], v["p_no"], v["p_abstain"], v["p_absent"]) for v in api["votes"]
    }
    assert by_cli == by_api
    assert api["provenance"]["latest"] and api["provenance"]["label"].startswith("UN votes to")


def test_unknown_like_answers_at_once(hrc_store: Settings, run_cli: RunCli) -> None:
    model_store.forget()
    before = model_store.TRAINED["count"]
    started = time.perf_counter()
    code, out = run_cli(hrc_store, "forecast", "--body", "hrc", "--like", "A/HRC/RES/99/999")
    assert code == 66 and "no roll call" in out
    assert time.perf_counter() - started < 10
    assert model_store.TRAINED["count"] == before  # refused before any training


def test_hrc_counts_members_only_and_predicts_absences(
    hrc_store: Settings, run_cli: RunCli
) -> None:
    symbol, sponsors = _latest_sponsored(hrc_store)
    with session_scope(hrc_store.database_url) as s:
        members = set(model_store.current_members(s, "hrc"))
    assert 40 <= len(members) <= 47
    outsider = next(c for c in ("NOR", "SWE", "NZL", "AUS", "IRL", "CAN") if c not in members)
    data = _forecast(run_cli, hrc_store, "--like", symbol, "--sponsors", outsider)
    assert data["members"] == len(data["votes"]) <= 47
    assert sum(data["predicted"].values()) == data["members"]
    assert sum(data["expected"].values()) == pytest.approx(data["members"], abs=0.1)
    assert {v["iso3"] for v in data["votes"]} <= members
    assert outsider in data["sponsors"] and outsider in data["sponsors_not_members"]
    assert {"absent"} <= set(data["expected"]) & set(data["predicted"])  # its own outcome
    assert data["like"]["sponsors"]  # the main sponsors of the text are carried over
    assert set(data["like"]["sponsors"]) <= set(data["sponsors"])
    assert sponsors


def test_naming_a_sponsor_changes_its_prediction(hrc_store: Settings, run_cli: RunCli) -> None:
    symbol, _ = _latest_sponsored(hrc_store)
    plain = _forecast(run_cli, hrc_store, "--like", symbol)
    sponsors = set(plain["sponsors"])
    target = min((v for v in plain["votes"] if v["iso3"] not in sponsors), key=lambda v: v["p_yes"])
    named = _forecast(run_cli, hrc_store, "--like", symbol, "--sponsors", target["iso3"])
    after = next(v for v in named["votes"] if v["iso3"] == target["iso3"])
    assert after["sponsor"] is True and after["p_yes"] != target["p_yes"]


def test_sponsor_feature_is_learned(synthetic_votes: SyntheticVotes) -> None:
    """Where sponsors are in the data, the model learns that sponsors vote yes (no rule)."""
    frame = synthetic_votes(sessions=5, per_session=60, seed=3, recurring=True)
    rng = np.random.default_rng(0)
    sponsors = {}
    for rc in frame["roll_call_id"].unique():
        chosen = frozenset(rng.choice(["CUB", "RUS", "IND", "BRA", "GBR", "USA"], 2, False))
        sponsors[rc] = chosen
    frame["sponsors"] = frame["roll_call_id"].map(sponsors)
    sponsor_of = frame.apply(lambda r: r["iso3"] in r["sponsors"], axis=1)
    frame.loc[sponsor_of, "vote"] = "yes"
    model = Forecaster(frame)
    assert model.uses_sponsors
    like = str(frame["symbol"].iloc[-1])
    last_sponsors = sponsors[frame["roll_call_id"].iloc[-1]]
    other = next(s for s in ("CUB", "USA", "RUS", "GBR") if s not in last_sponsors)
    base = forecast_draft(model, like=like).votes.set_index("iso3")
    named = forecast_draft(model, like=like, sponsors=[other]).votes.set_index("iso3")
    assert named["p_yes"].loc[other] > base["p_yes"].loc[other]
    assert named["p_yes"].loc[other] < 1.0  # learned, not the "sponsors vote yes" rule
    assert isinstance(base, pd.DataFrame)
