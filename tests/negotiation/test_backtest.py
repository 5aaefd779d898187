"""Out-of-time backtest: the scores, the baselines on a hand-made example, the CLI contract."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pytest

from rightsdesk.core.config import Settings
from rightsdesk.core.errors import InputError
from rightsdesk.negotiation.positions.backtest import METHODS, backtest, score
from rightsdesk.negotiation.positions.features import ForecastOptions, title_key

if TYPE_CHECKING:
    from tests.negotiation.conftest import RunCli, SyntheticVotes

FAST = ForecastOptions(max_iter=20, use_positions=False)


def test_score_by_hand() -> None:
    truth = np.array([2, 2, 2, 0, 0, 1])
    pred = np.array([2, 2, 0, 0, 2, 2])
    s = score("m", "all", truth, pred)
    assert s.accuracy == pytest.approx(3 / 6)
    assert s.recall_no == pytest.approx(1 / 2)
    assert s.recall_abstain == 0.0
    # F1: yes 2*2/(3+4)=4/7, no 2*1/(2+2)=1/2, abstain 0
    assert s.macro_f1 == pytest.approx((4 / 7 + 1 / 2 + 0) / 3)
    assert s.n == 6
    assert np.isnan(score("m", "all", np.array([2, 2]), np.array([2, 2])).recall_no)


def _hand_frame() -> pd.DataFrame:
    """Three states, three sessions, the same two titles every session."""
    votes = {
        # (session, title): {state: vote}
        (1, "Death penalty"): {"USA": "no", "CUB": "yes", "FRA": "abstain"},
        (1, "Mercenaries"): {"USA": "no", "CUB": "yes", "FRA": "no"},
        (2, "Death penalty"): {"USA": "no", "CUB": "yes", "FRA": "yes"},
        (2, "Mercenaries"): {"USA": "no", "CUB": "yes", "FRA": "abstain"},
        (3, "Death penalty"): {"USA": "yes", "CUB": "no", "FRA": "yes"},
        (3, "Mercenaries"): {"USA": "no", "CUB": "yes"},  # France absent
    }
    rows = []
    for rc, ((session, title), by_state) in enumerate(votes.items(), start=1):
        for iso3, vote in by_state.items():
            rows.append(
                {"roll_call_id": rc, "iso3": iso3, "vote": vote, "session": session,
                 "year": 2000 + session, "title": title, "issues": "hr" if rc % 2 else ""}
            )  # fmt: skip
    return pd.DataFrame(rows)


def test_baselines_on_a_hand_made_example() -> None:
    result = backtest(_hand_frame(), from_session=1, options=FAST)
    preds = result.predictions.set_index(["session", "iso3", "roll_call"])
    assert len(preds) == 3 + 3 + 3 + 3  # sessions 2 and 3 predicted, France absent once
    assert preds.loc[(3, "FRA", 5), "y"] == 3  # its absence is an outcome of its own
    preds = preds.drop((3, "FRA", 5))
    code = {"no": 0, "abstain": 1, "yes": 2}
    # repeat last vote: session 2 repeats session 1, session 3 repeats session 2
    expected = {
        (2, "USA", 2): "no", (2, "CUB", 2): "yes", (2, "FRA", 2): "abstain",
        (2, "USA", 3): "no", (2, "CUB", 3): "yes", (2, "FRA", 3): "no",
        (3, "USA", 4): "no", (3, "CUB", 4): "yes", (3, "FRA", 4): "yes",
        (3, "USA", 5): "no", (3, "CUB", 5): "yes",
    }  # fmt: skip
    for key, vote in expected.items():
        assert preds.loc[key, "repeat last vote"] == code[vote], key
    assert (preds["always yes"] == 2).all()
    table = {s.method: s for s in result.table("all")}
    assert set(table) == set(METHODS)
    truth = ["no", "yes", "yes", "no", "yes", "abstain", "yes", "no", "yes", "no", "yes"]
    for key, vote in zip(expected, truth, strict=True):
        assert preds.loc[key, "y"] == code[vote], key
    assert table["always yes"].n == 11
    assert table["always yes"].accuracy == pytest.approx(6 / 11)
    assert table["always yes"].recall_no == 0.0
    # repeat-last is right on 7 of 11: wrong for FRA twice and for USA and CUB in session 3
    assert table["repeat last vote"].accuracy == pytest.approx(7 / 11)
    assert table["repeat last vote"].recall_no == pytest.approx(3 / 4)
    hr = {s.method: s for s in result.table("hr")}
    assert hr["always yes"].n == 6  # roll calls 3 and 5 (death penalty) are tagged hr
    members = {s.method: s for s in result.table("all", "members")}
    assert members["always yes"].n == 12 and members["always yes"].recall_absent == 0.0
    assert table["model"].gain == pytest.approx(
        table["model"].accuracy - table["repeat last vote"].accuracy
    )


def test_model_learns_from_synthetic_votes(synthetic_votes: SyntheticVotes) -> None:
    frame = synthetic_votes(sessions=6, per_session=60, seed=11, recurring=True)
    result = backtest(frame, from_session=3, options=ForecastOptions(max_iter=50))
    table = {s.method: s for s in result.table("all")}
    assert table["model"].n == table["always yes"].n > 0
    assert table["model"].accuracy > table["always yes"].accuracy + 0.1
    assert table["model"].recall_no > 0.5
    assert 0 <= table["model"].macro_f1 <= 1
    assert {s.subset for s in result.scores} == {"all", "hr"}


def test_bad_session_range() -> None:
    with pytest.raises(InputError, match="no session to predict"):
        backtest(_hand_frame(), from_session=9, options=FAST)


def test_title_key() -> None:
    assert title_key("Situation of Human Rights in Myanmar, 2019 ") == title_key(
        "situation of human rights in myanmar"
    )


def test_cli_backtest_json_contract(ga_store: Settings, run_cli: RunCli) -> None:
    code, out = run_cli(ga_store, "backtest", "--body", "unga", "--from-session", "72",
                        "--format", "json")  # fmt: skip
    assert code == 0, out
    rows = json.loads(out)
    assert isinstance(rows, list) and rows
    for row in rows:
        assert {"method", "accuracy", "macro_f1", "recall_no", "recall_abstain", "n"} <= set(row)
    assert {r["method"] for r in rows} == set(METHODS)
    code, out = run_cli(ga_store, "backtest", "--from-session", "72", "--to-session", "73",
                        "--issue", "hr")  # fmt: skip
    assert code == 0, out
    assert "repeat" in out and "always" in out and "model" in out
    code, out = run_cli(ga_store, "backtest", "--from-session", "90")
    assert code != 0 and "no session to predict" in out


def test_cli_backtest_old_path_is_an_alias(ga_store: Settings, run_cli: RunCli) -> None:
    args = ("backtest", "--from-session", "72", "--to-session", "73", "--format", "csv")
    old = run_cli(ga_store, *args)
    assert old[0] == 0, old[1]
    assert old[1].splitlines()[0] == (
        "method,subset,accuracy,macro_f1,recall_no,recall_abstain,n,participation,"
        "recall_absent,gain"
    )
    assert run_cli(ga_store, "positions", *args) == old
