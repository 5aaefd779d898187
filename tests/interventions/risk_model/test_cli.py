"""The commands on the real EWP files imported once (a store template): the JSON shape of
``rightsdesk interventions backtest``, its table, and ``forecast`` in each format.

The backtest here runs a quick logistic model with 200 resamples (the shape does not depend
on the model); the benchmark runs the chosen one."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rightsdesk.cli import app
from rightsdesk.core.config import Settings
from rightsdesk.core.db import session_scope
from rightsdesk.core.importing import run_import
from rightsdesk.forms import get_importer
from rightsdesk.interventions.risk import public
from rightsdesk.interventions.risk.evaluation import run_backtest
from rightsdesk.interventions.risk.model import ModelSpec

FILES = [
    ("ewp-basedata", "interventions/ewp/basedata2025_4august2025.csv"),
    ("ewp-predictors", "interventions/ewp/prepared2024predictors-2025-09-03.csv"),
    ("ewp-forecasts", "interventions/ewp/FOOSforecasts_3Sep2025.csv"),
]
QUICK = ModelSpec("logit", (("c", 0.01),))


@pytest.fixture(scope="module")
def store_template(shared_data: Path):
    def build(settings: Settings) -> None:
        for kind, rel in FILES:
            with session_scope(settings.database_url) as session:
                run_import(session, get_importer(kind), shared_data / rel, actor="test")

    return ("risk-model-ewp", build)


def test_backtest_and_forecast_commands(
    store_template: object, sqlite_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    quick = functools.partial(run_backtest, spec=QUICK, reps=200)
    monkeypatch.setattr(public, "run_backtest", quick)
    runner = CliRunner()
    db = ["--database", sqlite_settings.database_url]
    out = runner.invoke(app, [*db, "interventions", "backtest", "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert set(data) >= {"model", "ewp", "difference", "protocol", "rows", "onsets", "years"}
    keys = {"auc", "average_precision", "top10_recall", "top20_recall", "top30_recall", "brier"}
    for side in ("model", "ewp", "difference"):
        assert set(data[side]) == keys | {f"{k}_ci" for k in keys}
    assert data["years"] == [1994, 2024]
    assert data["onsets"] == 39 and data["rows"] > 5000
    # EWP's own figures on its own rows, as the issue quotes them
    assert data["ewp"]["auc"] == pytest.approx(0.825, abs=0.001)
    assert data["ewp"]["top30_recall"] == pytest.approx(25 / 39)

    table = runner.invoke(app, [*db, "interventions", "backtest"])
    assert table.exit_code == 0, table.output
    assert "Recall in top 30" in table.stdout and "EWP" in table.stdout

    fc = runner.invoke(
        app, [*db, "interventions", "forecast", "--year", "2024", "-f", "json", "-n", "5"]
    )
    assert fc.exit_code == 0, fc.output
    ranked = json.loads(fc.stdout)
    assert ranked["forecast_for"] == [2025, 2026] and ranked["fit_years"][1] == 2022
    assert [c["rank"] for c in ranked["countries"]] == [1, 2, 3, 4, 5]
    assert all(c["drivers"] for c in ranked["countries"])
    csv_out = runner.invoke(app, [*db, "interventions", "forecast", "-f", "csv", "-n", "3"])
    assert csv_out.exit_code == 0 and csv_out.stdout.splitlines()[0].startswith("rank,country")
    bad = runner.invoke(app, [*db, "interventions", "forecast", "--year", "1900"])
    assert bad.exit_code == 66 and "no risk forecast" in bad.output

    with session_scope(sqlite_settings.database_url) as session:
        top = public.ranking(session)[0]
        assert top.rank == 1 and top.level == "highest" and top.year == 2024
        assert public.latest_risk(session, top.iso3 or "") == top
        section = public.state_section(session, top.iso3 or "", None)
        assert section is not None and section["summary"]["rank"] == 1
        trend = section["trend"]
        assert trend[-1]["year"] == 2024 and all(r["year"] >= 1992 for r in trend)
        assert section["evaluation"]["years"] == [1994, 2024]
