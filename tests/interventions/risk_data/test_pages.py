"""The risk pages and JSON API for a viewer: the ranking with its map and sources, the
evaluation beside EWP, the state section partial, and the API shapes. The model's answers
(``risk.public``) are replaced by small fixed ones here: fitting it is the model room's test
(tests/interventions/risk_model), and these tests check what the pages make of its answers."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from rightsdesk.core.config import Settings
from rightsdesk.interventions.risk import public
from rightsdesk.interventions.risk.public import RiskSummary
from rightsdesk.web.app import create_app
from tests.conftest import add_user, login

DRIVERS = [("Coup attempt in the last five years", 0.0176), ("Battle deaths (log2)", 0.0151)]
RANKED = [
    RiskSummary("SDN", "Sudan", 2024, 0.146, 1, 3, "highest", DRIVERS),
    RiskSummary("MMR", "Burma/Myanmar", 2024, 0.052, 2, 3, "highest", DRIVERS[:1]),
    RiskSummary(None, "Republic of Vietnam", 2024, 0.01, 3, 3, "lower", []),
]
TREND = [
    {"year": 2022, "risk": 0.04, "rank": 12, "ewp_risk": 0.05},
    {"year": 2023, "risk": 0.05, "rank": 8, "ewp_risk": None},
]
CI = {"auc": [0.8, 0.9], "brier": [0.01, 0.02]}
REPORT: dict[str, Any] = {
    "model": {"auc": 0.87, "auc_ci": CI["auc"], "brier": 0.015, "brier_ci": CI["brier"]},
    "ewp": {"auc": 0.82, "auc_ci": [0.77, 0.87], "brier": 0.016, "brier_ci": [0.01, 0.02]},
    "difference": {
        "auc": 0.05,
        "auc_ci": [0.01, 0.09],
        "brier": -0.001,
        "brier_ci": [-0.002, 0.001],
    },
    "protocol": "Strictly out of time <b>test</b>.",
    "rows": 5000,
    "onsets": 40,
    "years": [1994, 2024],
    "model_spec": "test-model",
    "tuned_on": [1980, 1993],
    "calibration": {
        "model": [
            {
                "low": 0.0,
                "high": 0.01,
                "rows": 10,
                "onsets": 0,
                "mean_risk": 0.005,
                "onset_rate": 0.0,
            }
        ],
        "ewp": [
            {
                "low": 0.0,
                "high": 0.01,
                "rows": 9,
                "onsets": 0,
                "mean_risk": 0.006,
                "onset_rate": 0.0,
            }
        ],
    },
    "per_year": [{"year": 1994, "rows": 150, "onsets": 2, "model_top30": 2, "ewp_top30": 1}],
}


def fake_ranking(session: Session, year: int | None = None) -> list[RiskSummary]:
    return RANKED if year in (None, 2024) else []


@pytest.fixture
def client(
    risk_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, TestClient]]:
    """A viewer's and an anonymous client on a store holding the risk files."""
    monkeypatch.setattr(public, "ranking", fake_ranking)
    monkeypatch.setattr(
        public, "latest_risk", lambda s, iso3: next((r for r in RANKED if r.iso3 == iso3), None)
    )
    monkeypatch.setattr(public, "risk_trend", lambda s, iso3: TREND if iso3 == "SDN" else [])
    monkeypatch.setattr(public, "backtest_result", lambda s: REPORT)
    app = create_app(risk_settings)
    add_user(risk_settings, "risk-viewer", "viewer")
    viewer, anonymous = TestClient(app), TestClient(app)
    login(viewer, "risk-viewer")
    yield {"viewer": viewer, "anonymous": anonymous}
    viewer.close()
    anonymous.close()


def test_pages(client: dict[str, TestClient]) -> None:
    """The ranking and evaluation pages for a viewer, refused to an anonymous caller."""
    check_ranking(client["viewer"])
    check_evaluation(client["viewer"])
    check_anonymous(client["anonymous"])


def check_ranking(viewer: TestClient) -> None:
    page = viewer.get("/interventions")
    assert page.status_code == 200
    text = page.text
    assert "Forecast from the data of <strong>2024</strong>" in text and "2025 or 2026" in text
    assert '<a href="/interventions/states/SDN">Sudan</a>' in text
    assert "Myanmar" in text  # the state's stored name, not EWP's "Burma/Myanmar"
    assert "Republic of Vietnam" in text and "/interventions/states/None" not in text
    assert "14.6%" in text and "highest (top 10)" in text
    assert "Coup attempt in the last five years; Battle deaths (log2)" in text
    assert 'href="/interventions/evaluation"' in text
    spec = re.search(r'<script type="application/json" id="risk-map">(.*?)</script>', text, re.S)
    assert spec is not None and "Risk, %" in spec.group(1)
    assert json.loads(spec.group(1))["layer"]
    # the sources and up to when each runs
    assert "Political Terror Scale" in text and "1976–2023" in text
    assert '<td class="num">2019</td>' in text  # UCDP armed conflicts end 2019
    # what the ranking is made from: the chosen model reads EWP's predictors alone
    assert not public.USES_EXTRAS
    assert "Source: rightsdesk risk model on the Early Warning Project's predictors" in text
    assert 'id="risk-sources-unused"' in text and "do not enter the ranking" in text
    assert "with PTS, CIRIGHTS and UCDP." not in text
    none = viewer.get("/interventions?year=1950")
    assert none.status_code == 200 and "No ranking can be made from the data of 1950" in none.text
    assert viewer.get("/interventions?year=abc").status_code == 422
    alias = viewer.get("/interventions/risk", follow_redirects=False)
    assert alias.status_code == 307 and alias.headers["location"] == "/interventions"


def check_evaluation(viewer: TestClient) -> None:
    page = viewer.get("/interventions/evaluation")
    assert page.status_code == 200
    text = page.text
    assert "0.870" in text and "0.820" in text and "(0.800–0.900)" in text
    assert "0.0150" in text and "-0.0010" in text  # Brier with four decimals
    assert "+0.050" in text and "better" in text and "not distinguishable" in text
    assert "Strictly out of time &lt;b&gt;test&lt;/b&gt;." in text  # escaped
    assert 'id="risk-calibration"' in text and 'id="risk-per-year"' in text
    assert "In the out-of-time" not in text  # the state partial's words stay there


def check_anonymous(anonymous: TestClient) -> None:
    for url in ("/interventions", "/interventions/evaluation"):
        answer = anonymous.get(url, follow_redirects=False)
        assert answer.status_code in (302, 303, 307) and "/login" in answer.headers["location"]
    for url in ("/api/v1/interventions/risk", "/api/v1/interventions/backtest"):
        assert anonymous.get(url).status_code == 401


def test_api_shapes(client: dict[str, TestClient]) -> None:
    viewer = client["viewer"]
    ranking = viewer.get("/api/v1/interventions/risk").json()
    assert (ranking["year"], ranking["predicts"], ranking["n_ranked"]) == (2024, [2025, 2026], 3)
    first = ranking["countries"][0]
    assert first == {
        "rank": 1,
        "iso3": "SDN",
        "country": "Sudan",
        "risk": 0.146,
        "level": "highest",
        "drivers": [{"label": label, "contribution": w} for label, w in DRIVERS],
    }
    kinds = {s["kind"]: s for s in ranking["sources"]}
    assert kinds["cirights"]["last_year"] == 2020 and kinds["ucdp-onesided"]["rows"] == 1191
    assert viewer.get("/api/v1/interventions/risk?year=1950").status_code == 404
    state = viewer.get("/api/v1/interventions/risk/sdn").json()
    assert state["iso3"] == "SDN" and state["latest"]["rank"] == 1
    assert state["trend"] == TREND and state["predicts"] == [2025, 2026]
    assert viewer.get("/api/v1/interventions/risk/FRA").status_code == 404  # not ranked
    assert viewer.get("/api/v1/interventions/risk/XXZ").status_code in (404, 422)
    report = viewer.get("/api/v1/interventions/backtest").json()
    assert report["model"]["auc"] == 0.87 and report["ewp"]["auc_ci"] == [0.77, 0.87]


def test_state_partial(risk_settings: Settings) -> None:
    env = create_app(risk_settings).state.templates.env
    sec = {
        "summary": {
            "iso3": "SDN",
            "country": "Sudan",
            "year": 2024,
            "risk": 0.146,
            "rank": 1,
            "n_ranked": 168,
            "level": "highest",
            "drivers": [list(d) for d in DRIVERS],
        },
        "trend": TREND + [{"year": 2024, "risk": 0.146, "rank": 1, "ewp_risk": 0.1}],
        "evaluation": {
            "auc": 0.87,
            "top30_recall": 0.8,
            "ewp_auc": 0.82,
            "ewp_top30_recall": 0.69,
            "years": [1994, 2024],
        },
        "data_up_to": 2024,
        "forecast_for": [2025, 2026],
        "source": "EWP <panel>",
        "url": "/interventions/risk",
    }
    html = env.get_template("interventions/_risk_state.html").render(sec=sec)
    assert html.strip().startswith("<section") and "<h2>Risk</h2>" in html
    assert "<strong>14.6%</strong>, rank <strong>1</strong> of 168" in html
    assert "Coup attempt in the last five years" in html and "+0.018" in html
    spec = re.search(r'<script type="application/json" id="risk-trend">(.*?)</script>', html, re.S)
    assert spec is not None
    assert json.loads(spec.group(1))["data"]["values"][0]["year"] == 2022
    assert "AUC 0.870" in html and "EWP &lt;panel&gt;" in html
